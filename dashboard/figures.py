"""The two figures of the page, drawn with matplotlib (no pyplot: no global figure state).

* Trajectories: per indicator, ``basis`` as a grey 80% band, A and B as median lines
  with their 80% bands.
* Paired difference: per indicator, B - A per seed, median line and 80% band, with zero.
"""

from __future__ import annotations

import io
import textwrap

import numpy as np
import pandas as pd
from matplotlib.dates import DateFormatter, YearLocator
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from dashboard.compare import Comparison
from dashboard.i18n import t
from dashboard.summary import INDICATORS, POLICY_START, bands, series

COLORS = {"basis": "#8c8c8c", "A": "#1f5fa8", "B": "#d9730d"}
FONT = 14


def _months(index: pd.Index) -> pd.DatetimeIndex:
    return pd.to_datetime(pd.Index(index).astype(str), format="%Y-%m")


def _thousands(lang: str) -> FuncFormatter:
    sep = "." if lang == "nl" else ","

    def fmt(x: float, _pos: int) -> str:
        return f"{x:,.0f}".replace(",", sep)

    return FuncFormatter(fmt)


def _grid(n: int, size: tuple[float, float]) -> tuple[Figure, list]:
    fig = Figure(figsize=size, layout="constrained")
    cols = 2
    rows = int(np.ceil(n / cols))
    axes = [fig.add_subplot(rows, cols, i + 1) for i in range(n)]
    return fig, axes


def _style(ax, title: str, lang: str, font: int = FONT, years: int = 1) -> None:
    ax.set_title(title, fontsize=font + 1, loc="left")
    ax.tick_params(labelsize=font - 2)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.xaxis.set_major_locator(YearLocator(years))
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def trajectories(comparison: Comparison, names: dict[str, str], lang: str = "nl") -> Figure:
    """Basis band, A and B medians with 80% bands, one panel per indicator.

    Args:
        comparison: The comparison.
        names: Display name per group (``basis``, ``A``, ``B``).
        lang: ``nl`` or ``en``.

    Returns:
        The figure.
    """
    plotted = [i for i in INDICATORS if i.plot]
    fig, axes = _grid(len(plotted), (13, 7.6))
    for ax, ind in zip(axes, plotted, strict=True):
        vals = series(comparison, ind)
        for group in ("basis", "A", "B"):
            b = bands(vals[group])
            x = _months(b.index)
            if group == "basis":
                ax.fill_between(
                    x,
                    b["lo"],
                    b["hi"],
                    color=COLORS[group],
                    alpha=0.35,
                    lw=0,
                    label=_wrap(f"{names['basis']} ({t('band80', lang)})"),
                )
                ax.plot(x, b["median"], color=COLORS[group], lw=1.2)
            else:
                ax.fill_between(x, b["lo"], b["hi"], color=COLORS[group], alpha=0.18, lw=0)
                ax.plot(
                    x,
                    b["median"],
                    color=COLORS[group],
                    lw=2.4,
                    label=_wrap(f"{group}: {names[group]}"),
                )
        _style(ax, _wrap(f"{ind.title(lang)} ({ind.unit[lang]})", 48), lang)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=FONT, frameon=False)
    return fig


def differences(comparison: Comparison, lang: str = "nl") -> Figure:
    """B - A per seed over time: median and 80% band, one panel per indicator.

    Args:
        comparison: The comparison.
        lang: ``nl`` or ``en``.

    Returns:
        The figure.
    """
    plotted = [i for i in INDICATORS if i.plot]
    fig, axes = _grid(len(plotted), (8, 7.6))
    for ax, ind in zip(axes, plotted, strict=True):
        vals = series(comparison, ind)
        b = bands(vals["B"] - vals["A"])
        x = _months(b.index)
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(pd.Timestamp(POLICY_START), color="#555555", lw=0.8, ls=":")
        ax.fill_between(
            x, b["lo"], b["hi"], color=COLORS["B"], alpha=0.25, lw=0, label=t("band80", lang)
        )
        ax.plot(x, b["median"], color=COLORS["B"], lw=2.4, label=t("median_diff", lang))
        _style(ax, _wrap(f"{ind.title(lang)} ({ind.unit[lang]})", 34), lang, FONT - 2, years=2)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="outside lower center", ncols=2, fontsize=FONT - 2, frameon=False
    )
    return fig


def _wrap(text: str, width: int = 42) -> str:
    return "\n".join(textwrap.wrap(text, width))


def png_bytes(fig: Figure, dpi: int = 120) -> bytes:
    """The figure as PNG bytes (for the download buttons)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
