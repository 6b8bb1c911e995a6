"""The page's figures, drawn with matplotlib (no pyplot: no global figure state).

* The difference figure (the main one): per indicator, A - basis and B - basis per seed
  (median line and 80% band) and B - A (median line), with zero and the 2021 policy start.
* The levels figure (behind a tab): ``basis`` as a grey 80% band, A and B as median lines.

Colours are the Okabe-Ito palette (safe for colour-blind viewers) and every series has
its own line style as well, so the figure reads in grey print too. Text is at least
:data:`MIN_FONT` points at :data:`DPI`, so that at the page's width (about 1,000 px, the
image's own width) it is at least 18 px high on a 1024 px beamer.
"""

from __future__ import annotations

import io
import textwrap

import pandas as pd
from matplotlib.dates import DateFormatter, YearLocator
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from dashboard.compare import Comparison
from dashboard.i18n import t
from dashboard.summary import INDICATORS, POLICY_START, bands, series

#: Okabe & Ito (2008) colours: grey, blue, vermillion, black.
COLORS = {"basis": "#999999", "A": "#0072B2", "B": "#D55E00", "B-A": "#000000"}
STYLES = {"A": "-", "B": "--", "B-A": ":"}
#: Smallest text in the figures, in points.
MIN_FONT = 14
#: Resolution of the PNGs: 1 point = DPI / 72 pixels.
DPI = 100
#: Figure size in inches (1,000 x 760 px at :data:`DPI`).
SIZE = (10.0, 7.6)


def _months(index: pd.Index) -> pd.DatetimeIndex:
    return pd.to_datetime(pd.Index(index).astype(str), format="%Y-%m")


def _thousands(lang: str) -> FuncFormatter:
    sep = "." if lang == "nl" else ","

    def fmt(x: float, _pos: int) -> str:
        text = f"{abs(x):,.0f}".replace(",", sep)
        return ("\u2212" + text) if round(x) < 0 else text

    return FuncFormatter(fmt)


def _grid(n: int) -> tuple[Figure, list]:
    fig = Figure(figsize=SIZE, layout="constrained")
    cols = 2
    rows = -(-n // cols)
    axes = [fig.add_subplot(rows, cols, i + 1) for i in range(n)]
    return fig, axes


def _style(ax, title: str, lang: str) -> None:
    ax.set_title(title, fontsize=MIN_FONT + 1, loc="left")
    ax.tick_params(labelsize=MIN_FONT)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.xaxis.set_major_locator(YearLocator(2))
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _policy_start(ax, lang: str, label: bool) -> None:
    ax.axvline(pd.Timestamp(POLICY_START), color="#444444", lw=1.2, ls="-.")
    if label:
        ax.annotate(
            t("policy_start", lang),
            xy=(pd.Timestamp(POLICY_START), 1),
            xycoords=("data", "axes fraction"),
            xytext=(4, -4),
            textcoords="offset points",
            va="top",
            fontsize=MIN_FONT,
            color="#444444",
        )


def _title(ind, lang: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(f"{ind.title(lang)} ({ind.unit[lang]})", width))


def _finish(fig: Figure, axes: list, title: str | None, ncols: int) -> Figure:
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, fontsize=MIN_FONT)
    if title:
        fig.suptitle("\n".join(textwrap.wrap(title, 80)), fontsize=MIN_FONT + 2, ha="left", x=0.01)
    return fig


def differences(
    comparison: Comparison, names: dict[str, str], lang: str = "nl", title: str | None = None
) -> Figure:
    """A and B against basis (median and 80% band per seed pair) and B - A, per indicator.

    Args:
        comparison: The comparison.
        names: Display name per group (``basis``, ``A``, ``B``).
        lang: ``nl`` or ``en``.
        title: Title above the panels (the exported PNG says what it shows).

    Returns:
        The figure.
    """
    plotted = [i for i in INDICATORS if i.plot]
    fig, axes = _grid(len(plotted))
    for n, (ax, ind) in enumerate(zip(axes, plotted, strict=True)):
        vals = series(comparison, ind)
        ax.axhline(0, color="black", lw=0.8)
        _policy_start(ax, lang, label=n == 0)
        for group in ("A", "B"):
            b = bands(vals[group] - vals["basis"])
            x = _months(b.index)
            ax.fill_between(
                x,
                b["lo"],
                b["hi"],
                facecolor=COLORS[group] if group == "A" else "none",
                edgecolor=COLORS[group],
                hatch=None if group == "A" else "///",
                alpha=0.2 if group == "A" else 0.5,
                lw=0,
            )
            ax.plot(
                x,
                b["median"],
                color=COLORS[group],
                ls=STYLES[group],
                lw=2.6,
                label=f"{group} − basis",
            )
        d = bands(vals["B"] - vals["A"])
        ax.plot(
            _months(d.index),
            d["median"],
            color=COLORS["B-A"],
            ls=STYLES["B-A"],
            lw=2,
            label="B − A",
        )
        _style(ax, _title(ind, lang), lang)
    return _finish(fig, axes, title, 3)


def levels(
    comparison: Comparison, names: dict[str, str], lang: str = "nl", title: str | None = None
) -> Figure:
    """Basis band, A and B medians with 80% bands, one panel per indicator.

    Args:
        comparison: The comparison.
        names: Display name per group (``basis``, ``A``, ``B``).
        lang: ``nl`` or ``en``.
        title: Title above the panels.

    Returns:
        The figure.
    """
    plotted = [i for i in INDICATORS if i.plot]
    fig, axes = _grid(len(plotted))
    for n, (ax, ind) in enumerate(zip(axes, plotted, strict=True)):
        vals = series(comparison, ind)
        _policy_start(ax, lang, label=n == 0)
        for group in ("basis", "A", "B"):
            b = bands(vals[group])
            x = _months(b.index)
            ax.fill_between(x, b["lo"], b["hi"], color=COLORS[group], alpha=0.25, lw=0)
            ax.plot(
                x,
                b["median"],
                color=COLORS[group],
                ls=STYLES.get(group, "-"),
                lw=1.6 if group == "basis" else 2.6,
                label=group,
            )
        _style(ax, _title(ind, lang), lang)
    return _finish(fig, axes, title, 3)


def render(
    comparison: Comparison, kind: str, lang: str, names: dict[str, str]
) -> tuple[bytes, float]:
    """One titled figure as PNG bytes and its smallest text in pixels.

    A module-level function, so that the page can draw it in its worker pool.

    Args:
        comparison: The comparison.
        kind: ``differences`` or ``levels``.
        lang: ``nl`` or ``en``.
        names: Display name per group.
    """
    draw = differences if kind == "differences" else levels
    title = t(f"fig_{kind}_title", lang, a=names["A"], b=names["B"])
    fig = draw(comparison, names, lang, title=title)
    return png_bytes(fig), min_font_px(fig)


def min_font_px(fig: Figure, dpi: int = DPI) -> float:
    """The smallest text of a figure in pixels of its PNG at ``dpi``."""
    sizes = [
        txt.get_fontsize()
        for txt in fig.findobj(Text)
        if txt.get_visible() and txt.get_text().strip()
    ]
    return min(sizes) * dpi / 72.0 if sizes else 0.0


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes (for the page and the download buttons)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
