"""How the page writes a number: rounded to what the simulation supports, in its language.

A difference is the mean over a few seeds of a simulation in which one agent stands for
``scale`` persons. Writing "+783" suggests a precision the model does not have, so every
difference on the cards and in the table is rounded to a step chosen from its uncertainty
and the scale (:func:`display_step`); money is written in words ("€ 12 miljoen").
"""

from __future__ import annotations

import math

from dashboard.i18n import number, t


def display_step(half_width: float, floor: float = 0.0) -> float:
    """The rounding step of a difference with a confidence interval.

    Two significant digits of the interval's half-width (the uncertainty), and never
    finer than ``floor`` (for counts: a tenth of the persons one agent stands for, the
    resolution of a mean over ten seeds).

    Args:
        half_width: Half the width of the interval (same unit as the value).
        floor: The finest step allowed.

    Returns:
        A power of ten (at least ``floor`` rounded down to a power of ten).
    """
    ref = max(abs(half_width) if math.isfinite(half_width) else 0.0, floor)
    if ref <= 0:
        return 1.0
    step = 10.0 ** (math.floor(math.log10(ref)) - 1)
    if floor > 0:
        step = max(step, 10.0 ** math.floor(math.log10(floor)))
    return step


def rounded(x: float, step: float) -> float:
    """``x`` rounded to a multiple of ``step`` (zero stays unsigned)."""
    if not math.isfinite(x):
        return x
    value = round(x / step) * step
    return 0.0 if value == 0 else value


def _digits(step: float) -> int:
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0


def signed(x: float, step: float, lang: str) -> str:
    """A difference rounded to ``step`` with its sign (``+1.200``, ``−300``, ``0``)."""
    value = rounded(x, step)
    text = number(abs(value), lang, _digits(step))
    if value > 0:
        return "+" + text
    if value < 0:
        return "\u2212" + text
    return text


def plain(x: float, step: float, lang: str) -> str:
    """A value rounded to ``step`` with a minus sign only when negative."""
    value = rounded(x, step)
    text = number(abs(value), lang, _digits(step))
    return ("\u2212" + text) if value < 0 else text


def money(eur: float, lang: str, step: float | None = None, sign: bool = False) -> str:
    """An amount in euro in words: ``€ 12 miljoen``, ``€ 45.000``, ``EUR 1.2 million``.

    Args:
        eur: The amount in euro.
        lang: ``nl`` or ``en``.
        step: Rounding step in euro (default: two significant digits).
        sign: Whether to write ``+`` for a positive amount.
    """
    if not math.isfinite(eur):
        return "∞" if eur > 0 else "−∞"
    if step is None:
        step = display_step(abs(eur) / 10 if eur else 1.0)
    big = abs(eur) >= 1e6 and step >= 1e4
    scale = 1e6 if big else 1.0
    fmt = signed if sign else plain
    text = fmt(eur / scale, step / scale, lang)
    cur = "€" if lang == "nl" else "EUR"
    if text.startswith(("+", "\u2212")):
        head, text = text[0], text[1:]
    else:
        head = ""
    out = f"{head}{cur} {text}"
    return f"{out} {t('million', lang)}" if big else out


def verdict(lo: float, hi: float) -> str:
    """``more`` when the interval lies wholly above or below zero, else ``noise``."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "noise" if not (lo > 0 or hi < 0) else "more"
    return "more" if lo > 0 or hi < 0 else "noise"


def read_number(text: str, lang: str) -> float | str:
    """A number typed in the page's format (``98.000.000`` or ``98,000,000``).

    Returns the text itself when it is not a number; the registry's check then refuses it
    with a message.
    """
    thousands, decimal = (".", ",") if lang == "nl" else (",", ".")
    clean = text.strip().replace(" ", "").replace(thousands, "").replace(decimal, ".")
    try:
        return float(clean)
    except ValueError:
        return text
