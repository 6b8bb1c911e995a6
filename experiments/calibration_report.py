"""The calibration report: one HTML file, in the style of the experiment report.

Sections: the fitted values with their provenance; every calibration target observed vs
simulated (mean and 5-95% band over the seeds) with the validation table beside it; the
paths of 2020-2021 against the published monthly and quarterly figures; convergence; the
best vectors again on fresh seeds (when the file asks for ``seeds.holdout``); the
identification table; parameter correlations where the optimiser gives them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.figures import WIDTH_IN, to_base64
from experiments.report import TEMPLATES

TEXT = {
    "en": {
        "report": "Calibration report",
        "fitted": "Fitted values",
        "parameter": "parameter",
        "start": "start",
        "value": "fitted",
        "range": "search range",
        "calibration": "Calibration targets (in the objective)",
        "validation": "Validation (reported, never fitted)",
        "target": "target",
        "observed": "observed",
        "simulated": "simulated",
        "band": "band over seeds (5-95%)",
        "error": "error (tolerances)",
        "tolerance": "tolerance",
        "source": "source",
        "paths": "Paths of 2020-2021",
        "convergence": "Convergence",
        "identification": "Identification",
        "ident_intro": "Change of each calibration moment, in units of its tolerance, when "
        "one fitted parameter moves by ±{step} of its search range (same seeds). A target "
        "that no fitted parameter moves by {threshold} tolerances or more is not identified: "
        "it only adds a constant to the objective.",
        "not_identified": "Not moved by any fitted parameter",
        "correlation": "Parameter correlations (CMA-ES covariance at the end)",
        "no_correlation": "The optimiser gives no covariance.",
        "holdout": "Check on fresh seeds",
        "holdout_intro": "The {k} best vectors of the search run again on {n} seeds the fit "
        "never saw. On its own seeds the search also fits their noise, so its lowest "
        "objective is biased downwards; the objective on fresh seeds is the honest measure "
        "of the fit, and the ranking shows whether the choice of the best vector survives "
        "new draws.",
        "rank": "rank in the search",
        "objective_fit": "objective, fitting seeds",
        "objective_holdout": "objective, fresh seeds",
        "provenance": "Provenance",
        "missing": "no observed value found",
        "yes": "yes",
        "no": "no",
    },
    "nl": {
        "report": "Kalibratierapport",
        "fitted": "Geschatte waarden",
        "parameter": "parameter",
        "start": "start",
        "value": "geschat",
        "range": "zoekbereik",
        "calibration": "Kalibratiedoelen (in de doelfunctie)",
        "validation": "Validatie (gerapporteerd, nooit geschat)",
        "target": "doel",
        "observed": "waargenomen",
        "simulated": "gesimuleerd",
        "band": "band over seeds (5-95%)",
        "error": "fout (toleranties)",
        "tolerance": "tolerantie",
        "source": "bron",
        "paths": "Verloop 2020-2021",
        "convergence": "Convergentie",
        "identification": "Identificatie",
        "ident_intro": "Verandering van elk kalibratiemoment, in eenheden van zijn tolerantie, "
        "als één geschatte parameter ±{step} van zijn zoekbereik verschuift (zelfde seeds). "
        "Een doel dat geen enkele parameter met {threshold} toleranties of meer beweegt, is "
        "niet geïdentificeerd: het voegt alleen een constante toe aan de doelfunctie.",
        "not_identified": "Door geen enkele geschatte parameter bewogen",
        "correlation": "Correlaties tussen parameters (CMA-ES-covariantie op het einde)",
        "no_correlation": "De optimalisator geeft geen covariantie.",
        "holdout": "Controle op nieuwe seeds",
        "holdout_intro": "De {k} beste vectoren van de zoektocht opnieuw gedraaid op {n} seeds "
        "die de schatting nooit zag. Op haar eigen seeds past de zoektocht ook hun ruis, dus "
        "haar laagste doelfunctie is naar beneden vertekend; de doelfunctie op nieuwe seeds "
        "is de eerlijke maat van de fit, en de rangorde toont of de keuze van de beste "
        "vector nieuwe trekkingen overleeft.",
        "rank": "rang in de zoektocht",
        "objective_fit": "doelfunctie, schattingsseeds",
        "objective_holdout": "doelfunctie, nieuwe seeds",
        "provenance": "Herkomst",
        "missing": "geen waargenomen waarde gevonden",
        "yes": "ja",
        "no": "nee",
    },
}


def _num(x: Any) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    x = float(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _target_rows(tab: pd.DataFrame, role: str, lang: str, targets: Mapping[str, Any]) -> list:
    rows = []
    for r in tab[tab["role"] == role].itertuples():
        t = targets[r.target]
        obs = _num(r.observed) if math.isfinite(r.observed) else ""
        if t.get("band") is not None:
            obs = f"[{t['band'][0]:g}, {t['band'][1]:g}]"
        rows.append(
            {
                "label": t["label"].get(lang) or t["label"]["en"],
                "name": r.target,
                "observed": obs or TEXT[lang]["missing"],
                "tolerance": _num(r.tolerance),
                "why": (t.get("tolerance") or {}).get("why", ""),
                "simulated": _num(r.simulated),
                "band": f"{_num(r.band_low)} – {_num(r.band_high)}",
                "error": "" if not math.isfinite(r.error) else f"{r.error:+.2f}",
                "ok": r.ok,
                "source": r.source,
                "missing": r.missing,
            }
        )
    return rows


def _convergence_figure(trace: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.6))
    ax.plot(trace["evaluation"], trace["objective"], ".", ms=2, color="#bbbbbb")
    ax.plot(trace["evaluation"], trace["best"], color="#1f5f8b")
    ax.set_yscale("log")
    ax.set_xlabel("evaluation")
    ax.set_ylabel("objective")
    ax.grid(alpha=0.3)
    return to_base64(fig)


def _path_figure(
    tables: list[Mapping[str, pd.DataFrame]],
    column: str,
    observed: dict[str, float],
    title: str,
) -> str:
    monthly = [t["monthly"].set_index("month")[column] for t in tables if "monthly" in t]
    df = pd.concat(monthly, axis=1)
    df = df[(df.index >= "2019-01") & (df.index <= "2022-12")]
    x = pd.to_datetime(df.index + "-01")
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.4))
    ax.fill_between(x, df.min(axis=1), df.max(axis=1), color="#1f5f8b", alpha=0.25, lw=0)
    ax.plot(x, df.mean(axis=1), color="#1f5f8b", label="simulated")
    if observed:
        ox = pd.to_datetime([m + "-01" for m in observed])
        ax.plot(ox, list(observed.values()), "o", color="#c0392b", ms=4, label="observed")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False)
    return to_base64(fig)


def _observed_months(targets: Mapping[str, Any], column: str) -> dict[str, float]:
    out = {}
    for t in targets.values():
        m = t["measure"]
        if m.get("column") != column or t.get("observed") is None:
            continue
        if m.get("how") == "value":
            out[m["month"]] = float(t["observed"])
        elif m.get("how") == "mean" and m["from"][:4] == m["to"][:4]:
            mid = pd.Period(m["from"], "M") + (
                (pd.Period(m["to"], "M") - pd.Period(m["from"], "M")).n // 2
            )
            out[str(mid)] = float(t["observed"])
    return dict(sorted(out.items()))


def render_calibration_report(spec: Any, summary: Mapping[str, Any], lang: str = "nl") -> str:
    """The report as HTML text."""
    t = TEXT[lang]
    tab = summary["table"]
    best = summary["best"]
    ident = summary.get("identification")
    params = [
        {
            "name": p.name,
            "start": _num(p.start),
            "value": _num(best["values"][p.name]),
            "range": f"[{_num(p.lo)}, {_num(p.hi)}]" + (" log" if p.log else ""),
        }
        for p in spec.parameters
    ]
    paths = []
    for column in ("temporarily_unemployed", "job_seekers", "vacancy_rate"):
        paths.append(
            _path_figure(summary["tables"], column, _observed_months(spec.targets, column), column)
        )
    ident_html = ""
    lost: list[str] = []
    if ident is not None:
        short = {p.name: p.name.rsplit(".", 1)[-1] for p in spec.parameters}
        ident_html = ident.rename(columns=short).to_html(
            float_format=lambda v: f"{v:+.2f}", classes="num", border=0, escape=True
        )
        lost = list(ident.index[~ident["identified"]])
    corr = (summary.get("result") or {}).get("correlation")
    corr_html = ""
    if corr is not None:
        names = [p.name for p in spec.parameters]
        corr_html = pd.DataFrame(np.asarray(corr), index=names, columns=names).to_html(
            float_format=lambda v: f"{v:+.2f}", border=0
        )
    holdout = summary.get("holdout")
    holdout_rows = []
    if holdout is not None:
        holdout_rows = [
            {
                "rank": int(r.rank),
                "fit": _num(r.objective_fit_seeds),
                "holdout": _num(r.objective_holdout),
                "id": r.id,
            }
            for r in holdout.itertuples()
        ]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["j2"])
    )
    return env.get_template("calibration.html.j2").render(
        lang=lang,
        t=t,
        title=spec.title[lang],
        name=spec.name,
        step=f"{spec.identification_step:g}",
        threshold=f"{spec.identification_threshold:g}",
        params=params,
        calibration=_target_rows(tab, "calibration", lang, spec.targets),
        validation=_target_rows(tab, "validation", lang, spec.targets),
        paths=paths,
        convergence=_convergence_figure(summary["trace"]),
        ident_html=ident_html,
        lost=lost,
        corr_html=corr_html,
        holdout_rows=holdout_rows,
        holdout_seeds=spec.holdout,
        provenance=summary["fitted"]["provenance"],
        objective=f"{best['objective']:.4g}",
        escape=html.escape,
    )


def write_calibration_report(spec: Any, summary: Mapping[str, Any], lang: str = "nl") -> Path:
    """Write ``report.LANG.html`` into the calibration folder and return its path."""
    path = Path(summary["folder"]) / f"report.{lang}.html"
    path.write_text(render_calibration_report(spec, summary, lang), encoding="utf-8")
    return path
