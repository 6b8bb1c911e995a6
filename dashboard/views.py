"""HTML of the page's result blocks: headline cards, the paired table, 'what differs'.

Pure functions of the summary table (:func:`dashboard.summary.paired_table`), so that the
page and the one-page summary show the same thing, and tests can read them without a
browser. Numbers are rounded with :mod:`dashboard.numbers`; every cell carries its raw
interval in ``data-lo``/``data-hi`` and its verdict in a class (``more``/``noise``).
"""

from __future__ import annotations

import html
import math

import pandas as pd

from dashboard import numbers
from dashboard.differ import Difference, value_text
from dashboard.i18n import t
from dashboard.summary import BY_KEY, COST_KEY, pair_name

#: The headline cards, in order.
CARDS = ("employed", "shortage_vacancies", "spending", COST_KEY)
#: Indicators counted in persons or vacancies (rounded no finer than the scale allows).
COUNTS = ("employed", "temporarily_unemployed", "job_seekers", "shortage_vacancies")


def _step(row: dict, scale: int, n_seeds: int) -> float:
    half = (row["hi"] - row["lo"]) / 2 if math.isfinite(row["hi"] - row["lo"]) else math.nan
    if row["key"] in COUNTS:
        return numbers.display_step(half, scale / max(n_seeds, 1))
    if row["key"] == "spending":
        return numbers.display_step(half * 1e6 if math.isfinite(half) else abs(row["diff"]) * 1e5)
    ref = half if math.isfinite(half) else abs(row["diff"]) / 10
    return numbers.display_step(ref)


def tone(row: dict) -> str:
    """``good``, ``bad`` or ``noise``: the colour of a difference."""
    if row["key"] == COST_KEY or numbers.verdict(row["lo"], row["hi"]) == "noise":
        return "noise"
    return "good" if row["better"] * row["diff"] > 0 else "bad"


def cell(row: dict, lang: str, scale: int, n_seeds: int) -> tuple[str, str]:
    """(value, interval) of one difference as text, rounded to what the scale supports."""
    step = _step(row, scale, n_seeds)
    if row["key"] == COST_KEY:
        if not math.isfinite(row["diff"]):
            return t("no_job_gain", lang), ""
        value = f"{numbers.money(row['diff'], lang, step)} {t('per_job_year', lang)}"
        if math.isfinite(row["hi"]):
            interval = t(
                "interval_short",
                lang,
                lo=numbers.money(row["lo"], lang, step),
                hi=numbers.money(row["hi"], lang, step),
            )
        else:
            interval = (
                t("interval_short", lang, lo=numbers.money(row["lo"], lang, step), hi="∞")
                + "; "
                + t("open_end", lang, share=_pct(row["no_gain_share"]))
            )
        return value, interval
    if row["key"] == "spending":
        value = numbers.money(row["diff"] * 1e6, lang, step, sign=True)
        lo = numbers.money(row["lo"] * 1e6, lang, step, sign=True)
        hi = numbers.money(row["hi"] * 1e6, lang, step, sign=True)
    else:
        value = numbers.signed(row["diff"], step, lang)
        lo = numbers.signed(row["lo"], step, lang)
        hi = numbers.signed(row["hi"], step, lang)
    return value, t("interval_short", lang, lo=lo, hi=hi)


def _pct(share: float) -> str:
    return "–" if not math.isfinite(share) else f"{100 * share:.0f}"


def _data(row: dict) -> str:
    return f"data-lo='{row['lo']!r}' data-hi='{row['hi']!r}' data-diff='{row['diff']!r}'"


def _unit(key: str, lang: str, start: str, end: str) -> str:
    return t(f"unit_card_{key}", lang, start=start, end=end)


def cards_html(
    table: pd.DataFrame, lang: str, scale: int, n_seeds: int, start: str, end: str
) -> str:
    """The headline cards: per card A and B against basis, with verdict and interval."""
    rows = {(r["key"], r["pair"]): r for r in table.to_dict("records")}
    out = []
    for key in CARDS:
        lines = []
        for group in ("A", "B"):
            row = rows[(key, pair_name((group, "basis")))]
            value, interval = cell(row, lang, scale, n_seeds)
            verdict = numbers.verdict(row["lo"], row["hi"])
            say = "" if key == COST_KEY else f"<span class='wnw-verdict'>{t(verdict, lang)}</span>"
            lines.append(
                f"<div class='wnw-hl-row wnw-hl-{group} {tone(row)} {verdict}' {_data(row)}>"
                f"<span class='wnw-grp'>{group}</span> <span class='wnw-num'>{value}</span> "
                f"{say}<div class='wnw-iv'>{interval}</div></div>"
            )
        out.append(
            f"<div class='wnw-hl wnw-hl-{key}'><div class='wnw-hl-title'>"
            f"{t('card_' + key, lang)}</div><div class='wnw-hl-unit'>"
            f"{_unit(key, lang, start, end)}</div>{''.join(lines)}</div>"
        )
    return f"<div class='wnw-cards'>{''.join(out)}</div>"


def table_html(table: pd.DataFrame, lang: str, scale: int, n_seeds: int) -> str:
    """The paired table: one row per indicator, columns A − basis, B − basis, B − A."""
    pairs = list(dict.fromkeys(table["pair"]))
    head = "".join(f"<th>{p.replace('-', ' − ')}</th>" for p in pairs)
    body = []
    for key, rows in table.groupby("key", sort=False):
        by_pair = {r["pair"]: r for r in rows.to_dict("records")}
        if key == COST_KEY:
            label, unit = t("cost_per_job_year", lang), "EUR"
        else:
            ind = BY_KEY[key]
            label, unit = ind.label[lang], ind.unit[lang]
        cells = []
        for p in pairs:
            row = by_pair[p]
            value, interval = cell(row, lang, scale, n_seeds)
            verdict = numbers.verdict(row["lo"], row["hi"])
            cells.append(
                f"<td class='num wnw-cell-{key}-{p} {tone(row)} {verdict}' {_data(row)}>"
                f"<div class='wnw-num'>{value}</div><div class='wnw-iv'>{interval}</div></td>"
            )
        body.append(
            f"<tr class='wnw-row-{key}'><td>{label}<div class='wnw-iv'>{unit}</div></td>"
            f"{''.join(cells)}</tr>"
        )
    return (
        f"<table class='wnw-table'><tr><th>{t('indicator', lang)}</th>{head}</tr>"
        f"{''.join(body)}</table>"
    )


def differs_html(diffs: list[Difference], lang: str) -> str:
    """'What differs': one row per setting, its kind, and the value in basis, A and B.

    The baseline of a comparison is the ``basis`` preset unless an assumption shared by
    basis, A and B was changed; only then does the table show two baseline columns, the
    preset's value ("Standaardwaarde") and the comparison's ("Basis in deze vergelijking"),
    otherwise one ("Basis").
    """
    from sim.registry import load_registry

    if not diffs:
        return f"<p class='wnw-differs-none'>{t('what_differs_none', lang)}</p>"
    reg = load_registry()
    split = any(d.values["basis"] != d.values["plain"] for d in diffs)
    groups = ("plain", "basis", "A", "B") if split else ("basis", "A", "B")
    rows = []
    for d in diffs:
        par = reg.parameters[d.name]
        kind = t(
            f"kind_{d.kind}" if d.kind in ("policy_lever", "behavioural") else "kind_other", lang
        )
        cells = []
        for g in groups:
            changed = g != "plain" and d.values[g] != d.values["plain"]
            cls = " class='wnw-changed'" if changed else ""
            cells.append(f"<td{cls}>{html.escape(value_text(d.values[g], lang))}</td>")
        rows.append(
            f"<tr class='wnw-differs-{d.name.replace('.', '-')}'><td>"
            f"{html.escape(par.text(lang)[0])} <span class='wnw-kind'>({kind})</span></td>"
            f"{''.join(cells)}</tr>"
        )
    names = {
        "plain": t("differs_default", lang),
        "basis": t("differs_basis_here" if split else "differs_basis", lang),
        "A": "A",
        "B": "B",
    }
    notes = {"plain": t("differs_default_note", lang), "basis": t("differs_basis_note", lang)}
    head = "".join(
        f"<th class='wnw-differs-col-{g}'"
        + (f" title='{html.escape(notes[g])}'" if split and g in notes else "")
        + f">{html.escape(names[g])}</th>"
        for g in groups
    )
    head = f"<tr><th>{t('setting', lang)}</th>{head}</tr>"
    return f"<table class='wnw-differs'>{head}{''.join(rows)}</table>"
