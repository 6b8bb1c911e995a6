"""The self-contained HTML report of a results folder (Dutch by default, English on request).

One file, no external resources: the figures are seaborn PNGs embedded as base64, the
styles inline (with A4 print rules). Sections, each with a stable ``id`` so that tests and
readers can find them: ``headline``, ``indicators``, ``over-time``, ``costs``, ``flows``,
``groups``, ``replications``, ``sensitivity`` (sample designs), ``parameters`` (appendix)
and ``provenance`` (footer). :data:`SECTIONS` lists them.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from experiments import figures
from experiments.design import NO_POINT
from experiments.indicators import (
    GROUP_INDICATORS,
    KEY_INDICATORS,
    TOTAL_COST,
    is_count,
    outcome_label,
    outcome_scale,
    outcome_unit,
)
from experiments.model_api import ModelAPI, label
from experiments.spec import ExperimentSpec
from experiments.store import Results, atomic_write_text
from experiments.tables import Tables

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECTIONS = (
    "headline",
    "indicators",
    "over-time",
    "costs",
    "flows",
    "groups",
    "replications",
    "sensitivity",
    "parameters",
    "provenance",
)

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "report": "Rapport",
        "contents": "Inhoud",
        "generated": "Gemaakt op",
        "runs": "runs",
        "scenarios": "Scenario's",
        "reference": "referentie",
        "replications": "replicaties",
        "scale": "schaal (personen per agent)",
        "headline": "Kernresultaten: verschil met {ref}",
        "headline_intro": "Gemiddeld verschil met het referentiescenario over gepaarde "
        "replicaties (zelfde toevalsgetallen), met het {conf}%-"
        "betrouwbaarheidsinterval tussen haakjes ({method}). Vetgedrukt: "
        "het interval sluit nul uit. Personen tenzij anders vermeld; "
        "aandelen in procentpunten.",
        "method_t": "t-interval",
        "method_bootstrap": "bootstrap",
        "at": "Stand op",
        "indicator": "Indicator",
        "unit": "Eenheid",
        "indicators": "Kernindicatoren doorheen de tijd",
        "indicators_intro": "Mediaan over de replicaties (lijn) en de centrale {band}% "
        "(band). {ref} in grijs. Stippellijnen: de peilmomenten.",
        "over_time": "Verschil met {ref} doorheen de tijd",
        "over_time_intro": "Gemiddeld gepaard verschil per maand met het {conf}%-"
        "betrouwbaarheidsinterval.",
        "costs": "Kosten en kost per extra jobjaar",
        "costs_intro": "Extra Vlaamse beleidsuitgaven (alles wat VDAB boekt: begeleiding, "
        "opleiding en de hefbomen; de federale toeslag niet) en extra jobjaren (extra "
        "werkenden opgeteld over de maanden, gedeeld door 12), beide vanaf {start} tot "
        "het peilmoment, tegenover {ref}. De kost per extra jobjaar is de verhouding van "
        "beide gemiddelden, met een bootstrap-interval; de bovengrens is open (∞) als de "
        "banenwinst nul of negatief kan zijn, en de kost is leeg als er gemiddeld geen "
        "banenwinst is.",
        "extra_cost": "Extra uitgaven (euro)",
        "extra_jobs": "Extra jobjaren",
        "cost_per_job": "Kost per extra jobjaar (euro)",
        "cum_spending": "Cumulatieve beleidsuitgaven",
        "no_costs": "Het model rapporteert geen uitgaven, of er is maar één scenario.",
        "flows": "Stromen van krimp- naar groeisectoren",
        "flows_intro": "Aanwervingen van personen die uit een krimpsector komen ({shrinking}) "
        "in een groeisector ({growing}), cumulatief vanaf {start_year}. "
        "Krimpsectoren: werkgelegenheid in {ref} zakt in het venster minstens "
        "5% onder het niveau ervoor. Groeisectoren: knelpuntsectoren uit het "
        "register en sectoren die groeien.",
        "flows_heat": "gemiddelde aanwervingen per run",
        "flows_diff": "verschil met de referentie",
        "mean": "Gemiddelde",
        "difference": "Verschil",
        "no_flows": "Geen sectorstromen beschikbaar, of geen krimp- of groeisectoren gevonden.",
        "groups": "Uitkomsten per groep",
        "groups_intro": "Werkzaamheidsgraad 20-64 van de groepen waar het debat zich zorgen "
        "over maakt: verschil met {ref} in procentpunten.",
        "no_groups": "Het model rapporteert geen uitkomsten per groep.",
        "group": "Groep",
        "replications_title": "Aantal replicaties",
        "replications_intro": "Halve breedte van het {conf}%-interval nu, en het aantal "
        "replicaties nodig voor de gewenste precisie (standaard 10% van "
        "het verschil; in te stellen met analysis.precision).",
        "half_width": "Halve breedte nu",
        "wanted": "Gewenst",
        "needed": "Nodig",
        "scenario": "Scenario",
        "horizon": "Peilmoment",
        "sensitivity": "Gevoeligheidsanalyse",
        "sensitivity_intro": "{method}-indices met hun {conf}%-interval, per uitkomst op "
        "{horizon}.",
        "parameters": "Bijlage: parameters",
        "parameters_intro": "Waarden zoals gebruikt in de runs, uit het parameterregister. "
        "Een waarde per scenario waar de scenario's verschillen.",
        "parameter": "Parameter",
        "value": "Waarde",
        "source": "Bron",
        "provenance": "Herkomst",
        "experiment_file": "Experimentbestand",
        "design_hash": "Ontwerp-hash",
        "git_commit": "Git-commit",
        "dirty": "met lokale wijzigingen",
        "root_seed": "Wortelzaad",
        "seeds_note": "Replicatie r gebruikt SeedSequence(wortelzaad, spawn_key=(r,)) in elk "
        "scenario (gemeenschappelijke toevalsgetallen).",
        "versions": "Versies",
        "runs_done": "Runs klaar",
        "runs_failed": "mislukt",
        "notes": "Opmerkingen",
        "by_sector": "per sector",
        "notes_missing": "ontbreekt",
    },
    "en": {
        "report": "Report",
        "contents": "Contents",
        "generated": "Generated on",
        "runs": "runs",
        "scenarios": "Scenarios",
        "reference": "reference",
        "replications": "replications",
        "scale": "scale (persons per agent)",
        "headline": "Headline results: difference from {ref}",
        "headline_intro": "Mean difference from the reference scenario over paired "
        "replications (common random numbers), with the {conf}% "
        "confidence interval in brackets ({method}). Bold: the interval "
        "excludes zero. Persons unless stated; shares in percentage points.",
        "method_t": "t-interval",
        "method_bootstrap": "bootstrap",
        "at": "At",
        "indicator": "Indicator",
        "unit": "Unit",
        "indicators": "Key indicators over time",
        "indicators_intro": "Median over replications (line) and the central {band}% (band). "
        "{ref} in grey. Dotted lines: the horizons.",
        "over_time": "Difference from {ref} over time",
        "over_time_intro": "Mean paired difference per month with its {conf}% confidence interval.",
        "costs": "Costs and cost per extra job-year",
        "costs_intro": "Extra Flemish policy spending (all VDAB books: counselling, training "
        "and the levers; not the federal top-up) and extra job-years (extra employed "
        "summed over the months, divided by 12), both from {start} to the horizon, "
        "against {ref}. The cost per extra job-year is the ratio of the two means, with a "
        "bootstrap interval; its upper end is open (∞) when the job gain can be zero or "
        "negative, and the cost is empty when there is no job gain on average.",
        "extra_cost": "Extra spending (EUR)",
        "extra_jobs": "Extra job-years",
        "cost_per_job": "Cost per extra job-year (EUR)",
        "cum_spending": "Cumulative policy spending",
        "no_costs": "The model reports no spending, or there is only one scenario.",
        "flows": "Flows from shrinking to growing sectors",
        "flows_intro": "Hires of people coming from a shrinking sector ({shrinking}) into a "
        "growing sector ({growing}), cumulative from {start_year}. Shrinking: "
        "employment in {ref} falls at least 5% below its pre-window level "
        "within the window. Growing: the registry's shortage sectors and "
        "sectors that grow.",
        "flows_heat": "mean hires per run",
        "flows_diff": "difference from the reference",
        "mean": "Mean",
        "difference": "Difference",
        "no_flows": "No sector flows available, or no shrinking or growing sectors found.",
        "groups": "Outcomes by group",
        "groups_intro": "Employment rate 20-64 of the groups the debate worries about: "
        "difference from {ref} in percentage points.",
        "no_groups": "The model reports no outcomes by group.",
        "group": "Group",
        "replications_title": "Number of replications",
        "replications_intro": "Half-width of the {conf}% interval now, and the replications "
        "needed for the wanted precision (default 10% of the difference; "
        "set with analysis.precision).",
        "half_width": "Half-width now",
        "wanted": "Wanted",
        "needed": "Needed",
        "scenario": "Scenario",
        "horizon": "Horizon",
        "sensitivity": "Sensitivity analysis",
        "sensitivity_intro": "{method} indices with their {conf}% interval, per outcome at "
        "{horizon}.",
        "parameters": "Appendix: parameters",
        "parameters_intro": "Values as used in the runs, from the parameter registry. One "
        "value per scenario where scenarios differ.",
        "parameter": "Parameter",
        "value": "Value",
        "source": "Source",
        "provenance": "Provenance",
        "experiment_file": "Experiment file",
        "design_hash": "Design hash",
        "git_commit": "Git commit",
        "dirty": "with local changes",
        "root_seed": "Root seed",
        "seeds_note": "Replication r uses SeedSequence(root seed, spawn_key=(r,)) in every "
        "scenario (common random numbers).",
        "versions": "Versions",
        "runs_done": "Runs done",
        "runs_failed": "failed",
        "notes": "Notes",
        "by_sector": "by sector",
        "notes_missing": "missing",
    },
}


# --------------------------------------------------------------------------- formatting
def fmt(x: Any, lang: str, decimals: int = 0, sign: bool = False) -> str:
    """A number with the language's separators (nl: 1.234,5; en: 1,234.5)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    text = f"{x:{'+' if sign else ''},.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _decimals(values: list[float]) -> int:
    """Decimals that show the differences of a row sensibly."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    if not finite:
        return 0
    m = max(finite)
    return 0 if m >= 100 else 1 if m >= 1 else 2 if m >= 0.1 else 3


def _interval_cell(d: float, lo: float, hi: float, lang: str, decimals: int) -> str:
    return (
        f"{fmt(d, lang, decimals, sign=True)} [{fmt(lo, lang, decimals)}; "
        f"{fmt(hi, lang, decimals)}]"
    )


def _cost_cell(r: pd.Series, lang: str) -> str:
    """Cost per extra job-year with its interval; an open upper end shows as ∞."""
    if not math.isfinite(r["cost_per_job_year"]):
        return "–"
    hi = r["cost_per_job_year_high"]
    high = fmt(hi, lang, 0) if math.isfinite(hi) else "∞"
    return (
        f"{fmt(r['cost_per_job_year'], lang, 0)} "
        f"[{fmt(r['cost_per_job_year_low'], lang, 0)}; {high}]"
    )


def _split_cell(d: float, lo: float, hi: float, lang: str, decimals: int) -> dict[str, str]:
    """Value and interval as two lines of a table cell."""
    return {
        "value": fmt(d, lang, decimals, sign=True),
        "interval": f"[{fmt(lo, lang, decimals)}; {fmt(hi, lang, decimals)}]",
    }


def _value_text(value: Any, lang: str, by_sector: str) -> str:
    if isinstance(value, dict):
        items = list(value.items())
        shown = ", ".join(f"{k}: {_value_text(v, lang, by_sector)}" for k, v in items[:6])
        return shown + (", …" if len(items) > 6 else "")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return fmt(value, lang, 4 if abs(value) < 1 else 2).rstrip("0").rstrip(",.") or "0"
    if isinstance(value, int):
        return fmt(value, lang, 0)
    return html.escape(str(value))


# --------------------------------------------------------------------------- sections
def _scenario_labels(spec: ExperimentSpec, api: ModelAPI, lang: str) -> dict[str, str]:
    out = {}
    for s in spec.scenarios:
        title = s.title.get(lang) if s.title else None
        if not title and s.kind != "inline":
            try:
                title = label(getattr(api.load_scenario(s.source), "title", {}) or {}, lang)
            except (ValueError, OSError):
                title = None
        out[s.name] = title or s.name
    return out


def _headline(
    tables: Tables, spec: ExperimentSpec, lang: str, labels: dict[str, str]
) -> list[dict[str, Any]]:
    diffs = tables["differences"]
    if diffs.empty:
        return []
    diffs = diffs[diffs["point"] == NO_POINT]
    others = [s.name for s in spec.scenarios if s.name != spec.reference]
    blocks = []
    for h in tables.horizons:
        rows = []
        for o in tables.outcomes:
            d = diffs[(diffs["outcome"] == o.name) & (diffs["horizon"] == h)].set_index("scenario")
            scale = outcome_scale(o.name)
            vals = [d.loc[s, "diff"] * scale for s in others if s in d.index]
            dec = _decimals(vals)
            cells = []
            for s in others:
                if s not in d.index:
                    cells.append({"value": "–", "interval": "", "bold": False})
                    continue
                r = d.loc[s]
                cells.append(
                    {
                        **_split_cell(
                            r["diff"] * scale, r["ci_low"] * scale, r["ci_high"] * scale, lang, dec
                        ),
                        "bold": bool(r["significant"]),
                        "ref": fmt(r["reference_mean"] * scale, lang, dec if scale == 1 else 1),
                    }
                )
            name = outcome_label(o.name, lang)  # the total cost's label included
            unit = outcome_unit(o.name, lang)
            if unit == "%":
                unit = "pp" if lang == "en" else "procentpunt"
            rows.append(
                {
                    "label": name,
                    "unit": unit,
                    "cells": cells,
                    "ref": cells[0].get("ref", "–") if cells else "–",
                }
            )
        blocks.append({"horizon": h, "scenarios": [labels[s] for s in others], "rows": rows})
    return blocks


_CONSOLE = {
    "nl": {
        "title": "Verschil met {ref} in {h}: gemiddelde over {n} gepaarde replicaties "
        "± de helft van het {conf:.0%}-interval; * = verschilt van nul",
        "indicator": "indicator",
        "million": "mln euro",
        "pp": "%; verschil in procentpunt",
    },
    "en": {
        "title": "Difference from {ref} in {h}: mean over {n} paired replications "
        "± half the {conf:.0%} interval; * = differs from zero",
        "indicator": "indicator",
        "million": "million euro",
        "pp": "%; difference in pp",
    },
}


def headline_text(tables: Tables, spec: ExperimentSpec, lang: str = "nl") -> str:
    """The report's headline table at the last horizon, as plain text for the terminal.

    One row per outcome: the reference scenario's mean, then each other scenario's paired
    difference ± half its interval (``*`` when the interval excludes zero); euro amounts in
    millions. Empty when the experiment has no paired differences (a sweep or a sample).
    """
    diffs = tables["differences"]
    if diffs.empty or not tables.horizons:
        return ""
    horizon = tables.horizons[-1]
    diffs = diffs[(diffs["point"] == NO_POINT) & (diffs["horizon"] == horizon)]
    others = [s.name for s in spec.scenarios if s.name != spec.reference]
    t = _CONSOLE[lang]
    header = [t["indicator"], spec.reference, *others]
    rows = []
    for o in tables.outcomes:
        d = diffs[diffs["outcome"] == o.name].set_index("scenario")
        if d.empty:
            continue
        scale, unit = outcome_scale(o.name), outcome_unit(o.name, lang)
        if unit == "%":
            unit = t["pp"]
        elif unit == "euro":
            scale, unit = scale / 1e6, t["million"]
        dec = _decimals([d.loc[s, "diff"] * scale for s in others if s in d.index])
        if is_count(o.name):
            dec = 0  # persons and vacancies: a fraction of one is below any scale's precision
        name = outcome_label(o.name, lang)
        ref = d["reference_mean"].iloc[0] * scale
        cells = []
        for s in others:
            if s not in d.index:
                cells.append("–")
                continue
            r = d.loc[s]
            half = (r["ci_high"] - r["ci_low"]) / 2 * scale
            cells.append(
                f"{fmt(r['diff'] * scale, lang, dec, sign=True)} "
                f"±{fmt(half, lang, dec)}{' *' if r['significant'] else '  '}"
            )
        rows.append([f"{name} ({unit})", fmt(ref, lang, dec if scale == 1 else 1), *cells])
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            [
                cells[0].ljust(widths[0]),
                *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)),
            ]
        )

    n = int(diffs["n"].min())
    return "\n".join(
        [
            t["title"].format(ref=spec.reference, h=horizon, n=n, conf=spec.analysis.confidence),
            line(header),
            "  ".join("-" * w for w in widths),
            *(line(r) for r in rows),
        ]
    )


def _indicator_figures(
    tables: Tables, spec: ExperimentSpec, lang: str, labels: dict[str, str]
) -> list[dict[str, str]]:
    monthly = tables["monthly"]
    names = [s.name for s in spec.scenarios]
    wanted = [o.name for o in tables.outcomes if o.name != TOTAL_COST]
    out = []
    for col in wanted:
        if col not in monthly:
            continue
        unit = outcome_unit(col, lang)
        title = outcome_label(col, lang)
        if any(o.name == col and o.aggregation == "cumulative" for o in tables.outcomes):
            per = "per maand" if lang == "nl" else "per month"
            title = f"{outcome_label(col, lang, 'level')} ({per})"
        img = figures.indicator_figure(
            monthly,
            col,
            scenarios=names,
            reference=spec.reference,
            labels=labels,
            title=title,
            ylabel=unit,
            band=spec.analysis.band,
            scale=outcome_scale(col),
            start=tables.start,
            horizons=tables.horizons,
        )
        out.append({"id": f"fig-{col}", "column": col, "title": title, "img": img})
    return out


def _table_html(df: pd.DataFrame, lang: str) -> str:
    """A plain HTML table from a small DataFrame of display strings."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    del lang
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _costs(
    tables: Tables, spec: ExperimentSpec, lang: str, labels: dict[str, str], t: dict[str, str]
) -> dict[str, Any]:
    costs = tables["costs"]
    if costs.empty:
        return {}
    rows = []
    for _, r in costs.iterrows():
        rows.append(
            {
                t["scenario"]: html.escape(labels.get(r["scenario"], r["scenario"])),
                t["horizon"]: r["horizon"],
                t["extra_cost"]: _interval_cell(
                    r["extra_cost"], r["extra_cost_low"], r["extra_cost_high"], lang, 0
                ),
                t["extra_jobs"]: _interval_cell(
                    r["extra_job_years"],
                    r["extra_job_years_low"],
                    r["extra_job_years_high"],
                    lang,
                    0,
                ),
                t["cost_per_job"]: _cost_cell(r, lang),
            }
        )
    img = figures.cost_figure(
        tables["monthly"],
        TOTAL_COST,
        scenarios=[s.name for s in spec.scenarios],
        reference=spec.reference,
        labels=labels,
        start=tables.start,
        title=t["cum_spending"],
        ylabel="euro",
    )
    return {"table": _table_html(pd.DataFrame(rows), lang), "img": img}


def _flows(
    tables: Tables,
    spec: ExperimentSpec,
    api: ModelAPI,
    lang: str,
    labels: dict[str, str],
    t: dict[str, str],
) -> dict[str, Any]:
    flows = tables["flows"]
    if flows.empty:
        return {}
    sector_labels = {s.id: label(s, lang, s.id) for s in api.sectors}
    rows = []
    for _, r in flows.iterrows():
        rows.append(
            {
                t["scenario"]: html.escape(labels.get(r["scenario"], r["scenario"])),
                t["horizon"]: r["horizon"],
                t["mean"]: f"{fmt(r['mean'], lang)} [{fmt(r['ci_low'], lang)}; "
                f"{fmt(r['ci_high'], lang)}]",
                t["difference"]: _interval_cell(r["diff"], r["diff_low"], r["diff_high"], lang, 0)
                if math.isfinite(r["diff"])
                else "–",
            }
        )
    img = figures.flow_heatmaps(
        tables["flow_matrix"],
        scenarios=[s.name for s in spec.scenarios],
        reference=spec.reference,
        labels=labels,
        sector_labels=sector_labels,
        shrinking=tables.shrinking,
        growing=tables.growing,
        title=t["flows_heat"],
        diff_title=t["flows_diff"],
    )
    return {
        "table": _table_html(pd.DataFrame(rows), lang),
        "img": img,
        "shrinking": ", ".join(sector_labels.get(s, s) for s in tables.shrinking),
        "growing": ", ".join(sector_labels.get(s, s) for s in tables.growing),
    }


def _groups(
    tables: Tables, spec: ExperimentSpec, lang: str, labels: dict[str, str], t: dict[str, str]
) -> dict[str, Any]:
    groups = tables["groups"]
    if groups.empty:
        return {}
    groups = groups[groups["point"] == NO_POINT]
    glabels = {g.column: g.short[lang] for g in GROUP_INDICATORS}
    h = tables.horizons[-1]
    last = groups[groups["horizon"] == h]
    colours = figures.palette([s.name for s in spec.scenarios], spec.reference)
    img = figures.interval_figure(
        last,
        value="diff",
        low="ci_low",
        high="ci_high",
        category="outcome",
        hue="scenario",
        labels=labels,
        category_labels=glabels,
        colours=colours,
        title=f"{t['groups']} ({h})",
        xlabel="pp",
        scale=100,
    )
    rows = []
    for (outcome, h), g in groups.groupby(["outcome", "horizon"], sort=False):
        row = {
            t["group"]: glabels.get(outcome, outcome),
            t["horizon"]: h,
            labels.get(spec.reference, spec.reference): fmt(
                g["reference_mean"].iloc[0] * 100, lang, 1
            )
            + "%",
        }
        for _, r in g.iterrows():
            row[html.escape(labels.get(r["scenario"], r["scenario"])) + " (pp)"] = _interval_cell(
                r["diff"] * 100, r["ci_low"] * 100, r["ci_high"] * 100, lang, 2
            )
        rows.append(row)
    return {"table": _table_html(pd.DataFrame(rows), lang), "img": img}


def _advice(tables: Tables, lang: str, labels: dict[str, str], t: dict[str, str]) -> str:
    adv = tables["replication_advice"]
    if adv.empty:
        return ""
    adv = adv[adv["point"] == NO_POINT]
    rows = []
    for _, r in adv.iterrows():
        scale = outcome_scale(r["outcome"])
        dec = _decimals([r["diff"] * scale])
        rows.append(
            {
                t["indicator"]: outcome_label(r["outcome"], lang),
                t["scenario"]: html.escape(labels.get(r["scenario"], r["scenario"])),
                t["horizon"]: r["horizon"],
                t["difference"]: fmt(r["diff"] * scale, lang, dec, sign=True),
                t["half_width"]: fmt(r["half_width"] * scale, lang, dec),
                t["wanted"]: fmt(r["wanted"] * scale, lang, dec),
                "n": int(r["n"]),
                t["needed"]: ">100.000" if r["needed"] >= 100_000 else str(int(r["needed"])),
            }
        )
    return _table_html(pd.DataFrame(rows), lang)


def _sensitivity(
    tables: Tables, spec: ExperimentSpec, api: ModelAPI, lang: str, t: dict[str, str]
) -> dict[str, Any]:
    sens = tables["sensitivity"]
    if sens.empty or spec.sample is None or "parameter" not in sens:
        return {}
    plabels = {n: label(api.parameters[n], lang, n) for n in spec.sample.parameters}
    h = tables.horizons[-1]
    imgs, blocks = [], []
    for (scen, outcome), g in sens[sens["horizon"] == h].groupby(
        ["scenario", "outcome"], sort=False
    ):
        title = f"{outcome_label(outcome, lang)} ({scen}, {h})"
        imgs.append(
            {
                "title": title,
                "img": figures.sensitivity_figure(
                    g, method=spec.sample.method, labels=plabels, title=title
                ),
            }
        )
        show = g.drop(columns=["scenario", "outcome", "horizon"], errors="ignore").copy()
        show["parameter"] = show["parameter"].map(lambda p: html.escape(plabels.get(p, p)))
        for c in show.columns[1:]:
            show[c] = show[c].map(lambda x: fmt(x, lang, 3))
        blocks.append({"title": title, "table": _table_html(show, lang)})
    return {
        "figures": imgs,
        "tables": blocks,
        "method": spec.sample.method.capitalize(),
        "horizon": h,
    }


def _parameters(
    results: Results,
    spec: ExperimentSpec,
    api: ModelAPI,
    lang: str,
    labels: dict[str, str],
    t: dict[str, str],
) -> dict[str, Any]:
    used = results.params()
    names = [s.name for s in spec.scenarios if s.name in used]
    rows = []
    for pname, par in api.parameters.items():
        values = [used[s].get(pname) for s in names]
        differ = len({repr(v) for v in values}) > 1
        if differ:
            value = "<br>".join(
                f"<span class=sc>{html.escape(labels.get(s, s))}:</span> "
                f"{_value_text(v, lang, t['by_sector'])}"
                for s, v in zip(names, values, strict=True)
            )
        else:
            value = _value_text(
                values[0] if values else getattr(par, "default", ""), lang, t["by_sector"]
            )
        src = getattr(par, "source", {}) or {}
        source = " · ".join(
            html.escape(str(src.get(k))) for k in ("document", "where", "note") if src.get(k)
        )
        rows.append(
            {
                "name": pname,
                "label": html.escape(label(par, lang, pname)),
                "unit": html.escape(str(getattr(par, "unit", ""))),
                "value": value,
                "source": source,
                "kind": getattr(par, "kind", ""),
                "differ": differ,
            }
        )
    return {"rows": rows}


def scale_text(results: Results) -> str:
    """The runs' scale as ``1:N`` (persons per worker agent), ``1:N-1:M`` when it differs."""
    used = results.params()
    scales = sorted({int(p["simulation.persons_per_agent"]) for p in used.values()})
    return "-".join(f"1:{s}" for s in scales[:1] + scales[1:][-1:])


def _provenance(results: Results, spec: ExperimentSpec) -> dict[str, Any]:
    m = results.manifest
    runs = list(results.iter_runs())
    return {
        "experiment": m.get("experiment", {}),
        "git": m.get("git", {}),
        "versions": m.get("versions", {}),
        "root_seed": m.get("root_seed", spec.root_seed),
        "done": sum(1 for r in runs if r.get("status") == "done"),
        "failed": sum(1 for r in runs if r.get("status") == "failed"),
        "total": len(runs),
        "sessions": len(m.get("sessions", [])),
        "created": m.get("created"),
    }


def render_report(
    results: Results, spec: ExperimentSpec, api: ModelAPI, tables: Tables, lang: str = "nl"
) -> str:
    """The report as one HTML string.

    Args:
        results: The results folder.
        spec: Its experiment.
        api: The model (registry labels, sectors, scenario titles).
        tables: Computed tables (:func:`experiments.tables.write_tables`).
        lang: ``nl`` or ``en``.

    Returns:
        HTML text.
    """
    t = TEXT[lang]
    labels = _scenario_labels(spec, api, lang)
    ref_label = labels.get(spec.reference, spec.reference)
    conf = round(spec.analysis.confidence * 100)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    sensitivity = _sensitivity(tables, spec, api, lang, t)
    key_cols = {i.column for i in KEY_INDICATORS}
    context = {
        "lang": lang,
        "t": t,
        "title": spec.title.get(lang) or spec.name,
        "description": spec.description.get(lang, ""),
        "name": spec.name,
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "scenarios": [
            {
                "name": s.name,
                "label": labels[s.name],
                "is_ref": s.name == spec.reference,
                "description": s.description.get(lang, ""),
            }
            for s in spec.scenarios
        ],
        "replications": spec.replications,
        "scale": scale_text(results),
        "reference": ref_label,
        "headline": _headline(tables, spec, lang, labels),
        "headline_intro": t["headline_intro"].format(
            conf=conf, method=t[f"method_{spec.analysis.interval}"]
        ),
        "headline_title": t["headline"].format(ref=ref_label),
        "indicator_figures": _indicator_figures(tables, spec, lang, labels),
        "indicators_intro": t["indicators_intro"].format(
            band=round(spec.analysis.band * 100), ref=ref_label
        ),
        "over_time_img": _over_time(tables, spec, lang, labels, key_cols),
        "over_time_title": t["over_time"].format(ref=ref_label),
        "over_time_intro": t["over_time_intro"].format(conf=conf),
        "costs": _costs(tables, spec, lang, labels, t),
        "costs_intro": t["costs_intro"].format(start=tables.start, ref=ref_label),
        "flows": _flows(tables, spec, api, lang, labels, t),
        "groups": _groups(tables, spec, lang, labels, t),
        "groups_intro": t["groups_intro"].format(ref=ref_label),
        "advice": _advice(tables, lang, labels, t),
        "advice_intro": t["replications_intro"].format(conf=conf),
        "sensitivity": sensitivity,
        "sensitivity_intro": t["sensitivity_intro"].format(
            method=sensitivity.get("method", ""), conf=conf, horizon=sensitivity.get("horizon", "")
        )
        if sensitivity
        else "",
        "parameters": _parameters(results, spec, api, lang, labels, t),
        "provenance": _provenance(results, spec),
        "notes": tables.notes,
        "start_year": tables.start[:4],
        "multi": len(spec.scenarios) > 1,
    }
    if context["flows"]:
        context["flows_intro"] = t["flows_intro"].format(
            shrinking=context["flows"]["shrinking"],
            growing=context["flows"]["growing"],
            start_year=tables.start[:4],
            ref=ref_label,
        )
    else:
        context["flows_intro"] = ""
    return env.get_template("report.html.j2").render(**context)


def _over_time(
    tables: Tables, spec: ExperimentSpec, lang: str, labels: dict[str, str], key_cols: set[str]
) -> str:
    ot = tables["differences_over_time"]
    if ot.empty:
        return ""
    wanted = [o.name for o in tables.outcomes if o.name in key_cols and o.aggregation == "level"]
    wanted = wanted[:4]
    if not wanted:
        return ""
    others = [s.name for s in spec.scenarios if s.name != spec.reference]
    return figures.differences_figure(
        ot,
        wanted,
        scenarios=others,
        reference=spec.reference,
        labels=labels,
        outcome_labels={c: outcome_label(c, lang) for c in wanted},
        scales={c: outcome_scale(c) for c in wanted},
        title=TEXT[lang]["over_time"].format(ref=labels.get(spec.reference, spec.reference)),
    )


def write_report(
    results: Results, spec: ExperimentSpec, api: ModelAPI, tables: Tables, lang: str = "nl"
) -> Path:
    """Render the report and write it to ``report.LANG.html`` in the results folder.

    Returns:
        The report's path.
    """
    text = render_report(results, spec, api, tables, lang)
    path = results.folder / f"report.{lang}.html"
    atomic_write_text(path, text)
    return path
