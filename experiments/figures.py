"""Seaborn figures of the report, returned as base64 PNG for embedding in HTML.

Every figure shows all scenarios; the reference scenario is drawn in grey so the eye
reads the others against it. Bands are the central share of replications (80% by
default), lines their median.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from experiments import analysis
from experiments.design import NO_POINT

REFERENCE_COLOUR = "#808080"
WIDTH_IN = 6.9  # fits an A4 page with 2 cm margins
DPI = 130


def palette(scenarios: Sequence[str], reference: str) -> dict[str, str]:
    """Colours per scenario: the reference grey, the others from a colour-blind palette."""
    others = [s for s in scenarios if s != reference]
    colours = sns.color_palette("colorblind", max(len(others), 1)).as_hex()
    out = {s: colours[i % len(colours)] for i, s in enumerate(others)}
    out[reference] = REFERENCE_COLOUR
    return out


def to_base64(fig: plt.Figure) -> str:
    """Encode a figure as a base64 PNG and close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _dates(months: pd.Series) -> pd.Series:
    return pd.to_datetime(months.astype(str) + "-01")


def _style() -> None:
    sns.set_theme(style="whitegrid", context="paper", font_scale=1.0)


def indicator_figure(
    monthly: pd.DataFrame,
    column: str,
    *,
    scenarios: Sequence[str],
    reference: str,
    labels: dict[str, str],
    title: str,
    ylabel: str,
    band: float = 0.8,
    scale: float = 1.0,
    start: str | None = None,
    horizons: Sequence[str] = (),
) -> str:
    """Median and central band over replications of one monthly column, per scenario.

    Args:
        monthly: Stacked monthly table.
        column: The column.
        scenarios: Scenarios in legend order.
        reference: Drawn in grey, underneath the others.
        labels: Scenario name -> legend label.
        title: Figure title.
        ylabel: Y-axis label (with unit).
        band: Central share of replications in the band.
        scale: Display factor (100 for shares).
        start: First month shown.
        horizons: Months marked with a dotted vertical line.

    Returns:
        Base64 PNG.
    """
    _style()
    df = monthly if start is None else monthly[monthly["month"] >= start]
    b = analysis.bands(df, column, band)
    colours = palette(scenarios, reference)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.9))
    order = [reference] + [s for s in scenarios if s != reference]
    for s in order:
        g = b[b["scenario"] == s]
        if g.empty:
            continue
        x = _dates(g["month"])
        lw = 1.4 if s == reference else 1.6
        ax.fill_between(
            x,
            g["low"] * scale,
            g["high"] * scale,
            color=colours[s],
            alpha=0.25 if s == reference else 0.18,
            linewidth=0,
        )
        ax.plot(
            x,
            g["median"] * scale,
            color=colours[s],
            lw=lw,
            label=labels.get(s, s),
            zorder=3 if s != reference else 2,
        )
    for h in horizons:
        ax.axvline(pd.Timestamp(f"{h}-01"), color="#444444", lw=0.7, ls=":")
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_fmt_tick))
    ax.legend(
        fontsize=7,
        ncol=min(4, len(order)),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        frameon=False,
    )
    return to_base64(fig)


def _fmt_tick(x: float, _pos: int) -> str:
    """Tick labels with a thin space as thousands separator (reads in Dutch and English)."""
    if abs(x) >= 1000:
        return f"{x:,.0f}".replace(",", "\u2009")
    return f"{x:.4g}"


def differences_figure(
    over_time: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    scenarios: Sequence[str],
    reference: str,
    labels: dict[str, str],
    outcome_labels: dict[str, str],
    scales: dict[str, float],
    title: str,
) -> str:
    """Paired differences against the reference over time with their intervals.

    Returns:
        Base64 PNG (one panel per outcome).
    """
    _style()
    colours = palette(scenarios, reference)
    n = len(outcomes)
    fig, axes = plt.subplots(n, 1, figsize=(WIDTH_IN, 2.0 * n + 0.4), sharex=True, squeeze=False)
    for ax, o in zip(axes[:, 0], outcomes, strict=True):
        d = over_time[(over_time["outcome"] == o) & (over_time["point"] == NO_POINT)]
        for s in scenarios:
            g = d[d["scenario"] == s]
            if g.empty:
                continue
            x = _dates(g["month"])
            sc = scales.get(o, 1.0)
            ax.fill_between(
                x, g["ci_low"] * sc, g["ci_high"] * sc, color=colours[s], alpha=0.2, linewidth=0
            )
            ax.plot(x, g["diff"] * sc, color=colours[s], lw=1.4, label=labels.get(s, s))
        ax.axhline(0, color=REFERENCE_COLOUR, lw=1)
        ax.set_title(outcome_labels.get(o, o), loc="left", fontsize=9)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_fmt_tick))
    axes[0, 0].figure.suptitle(title, x=0.02, ha="left", fontsize=10, fontweight="bold")
    axes[-1, 0].legend(
        fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False
    )
    fig.tight_layout()
    return to_base64(fig)


def interval_figure(
    table: pd.DataFrame,
    *,
    value: str,
    low: str,
    high: str,
    category: str,
    hue: str,
    labels: dict[str, str],
    category_labels: dict[str, str],
    colours: dict[str, str],
    title: str,
    xlabel: str,
    scale: float = 1.0,
) -> str:
    """Horizontal point-and-interval chart (differences with intervals, costs, groups).

    Returns:
        Base64 PNG.
    """
    _style()
    cats = list(dict.fromkeys(table[category]))
    hues = list(dict.fromkeys(table[hue]))
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.45 * len(cats) * max(1, len(hues)) / 1.6 + 1.2))
    step = 0.8 / max(1, len(hues))
    for j, h in enumerate(hues):
        g = table[table[hue] == h].set_index(category)
        y = np.array([cats.index(c) for c in g.index]) - 0.4 + step * (j + 0.5)
        v, lo, hi = (g[value] * scale, g[low] * scale, g[high] * scale)
        ax.errorbar(
            v,
            y,
            xerr=[np.abs(v - lo.fillna(v)), np.abs(hi.fillna(v) - v)],
            fmt="o",
            color=colours.get(h, "#333333"),
            ms=4,
            capsize=2,
            lw=1.2,
            label=labels.get(h, h),
        )
    ax.axvline(0, color=REFERENCE_COLOUR, lw=1)
    ax.set_yticks(range(len(cats)))
    ax.set_yticklabels([category_labels.get(c, c) for c in cats], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_fmt_tick))
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.legend(
        fontsize=7,
        ncol=min(4, len(hues)),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        frameon=False,
    )
    return to_base64(fig)


def cost_figure(
    monthly: pd.DataFrame,
    column: str,
    *,
    scenarios: Sequence[str],
    reference: str,
    labels: dict[str, str],
    start: str,
    title: str,
    ylabel: str,
) -> str:
    """Cumulative spending over time per scenario (median and 80% band).

    Returns:
        Base64 PNG.
    """
    df = monthly[monthly["month"] >= start].sort_values("month").copy()
    df["_cum"] = df.groupby("run_id")[column].cumsum()
    return indicator_figure(
        df,
        "_cum",
        scenarios=scenarios,
        reference=reference,
        labels=labels,
        title=title,
        ylabel=ylabel,
    )


def flow_heatmaps(
    matrix: pd.DataFrame,
    *,
    scenarios: Sequence[str],
    reference: str,
    labels: dict[str, str],
    sector_labels: dict[str, str],
    shrinking: Sequence[str],
    growing: Sequence[str],
    title: str,
    diff_title: str,
) -> str:
    """Hires by previous and new sector: the reference, and each scenario minus it.

    Only moves out of shrinking sectors into growing ones are shown (rows: from, columns:
    to). Values are mean persons per run over the whole window.

    Returns:
        Base64 PNG.
    """
    _style()
    panels = [reference] + [s for s in scenarios if s != reference]
    ncols = 2
    nrows = int(np.ceil(len(panels) / ncols))
    rows = list(shrinking)
    cols = list(growing)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(WIDTH_IN, (0.32 * len(rows) + 1.1) * nrows + 0.3), squeeze=False
    )

    def grid(s: str) -> pd.DataFrame:
        g = matrix[matrix["scenario"] == s].pivot_table(
            index="from_sector", columns="to_sector", values="persons", aggfunc="sum"
        )
        return g.reindex(index=rows, columns=cols).fillna(0)

    ref = grid(reference)
    for k, s in enumerate(panels):
        ax = axes[k // ncols, k % ncols]
        if s == reference:
            data, cmap, center, ttl = ref, "Greys", None, f"{labels.get(s, s)}: {title}"
            vmin, vmax = 0, max(float(ref.to_numpy().max()) * 1.6, 1.0)
        else:
            data, cmap, center, ttl = grid(s) - ref, "RdBu", 0, f"{labels.get(s, s)}: {diff_title}"
            vmax = max(float(np.abs(data.to_numpy()).max()) * 1.6, 1.0)
            vmin = -vmax
        sns.heatmap(
            data,
            ax=ax,
            cmap=cmap,
            center=center,
            vmin=vmin,
            vmax=vmax,
            annot=True,
            fmt=".0f",
            linewidths=0.5,
            linecolor="white",
            annot_kws={"fontsize": 6},
            cbar=False,
            xticklabels=[sector_labels.get(c, c) for c in cols],
            yticklabels=[sector_labels.get(r, r) for r in rows],
        )
        ax.set_title(ttl, fontsize=8, loc="left")
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(labelsize=7)
    for k in range(len(panels), nrows * ncols):
        axes[k // ncols, k % ncols].axis("off")
    fig.tight_layout()
    return to_base64(fig)


def sensitivity_figure(
    table: pd.DataFrame, *, method: str, labels: dict[str, str], title: str
) -> str:
    """Bar chart of Sobol (S1, ST) or Morris (mu*) indices with confidence intervals.

    Returns:
        Base64 PNG.
    """
    _style()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.35 * len(table) + 1.2))
    y = np.arange(len(table))
    if method == "sobol":
        ax.barh(y - 0.2, table["S1"], 0.4, xerr=table["S1_conf"], label="S1", color="#4c72b0")
        ax.barh(y + 0.2, table["ST"], 0.4, xerr=table["ST_conf"], label="ST", color="#dd8452")
    else:
        ax.barh(y, table["mu_star"], 0.6, xerr=table["mu_star_conf"], label="mu*", color="#4c72b0")
    ax.set_yticks(y)
    ax.set_yticklabels([labels.get(p, p) for p in table["parameter"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.legend(fontsize=7)
    return to_base64(fig)
