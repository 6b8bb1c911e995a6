"""The HTML report and the sensitivity analysis."""

from __future__ import annotations

import random
import re
import textwrap

import numpy as np
import pandas as pd
import pytest

from experiments import cli
from experiments.indicators import KEY_INDICATORS
from experiments.report import SECTIONS
from experiments.sensitivity import indices, sample_matrix
from experiments.spec import SampleSpec, load_experiment

SMALL = """
name: small
title: {nl: Kleine vergelijking, en: Small comparison}
scenarios:
  - basis
  - name: meer-opleiding
    base: basis
    title: {nl: Meer opleiding, en: More training}
    overrides: {training.tu_uptake: 0.5}
replications: 3
root_seed: 5
horizon: {start: 2020-01, end: 2021-12}
horizons: [2020-12, 2021-12]
# closures fall on jobs only (the top of its range), so that horeca shrinks by more than
# the report's 5% in this small run and the flows section has a table to test (at the
# default 0.3 horeca's low point is about 4% below 2019 here)
parameters: {simulation.persons_per_agent: 1000, shock.closure_job_share: 1.0}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory, api):
    base = tmp_path_factory.mktemp("report")
    path = base / "small.yaml"
    path.write_text(textwrap.dedent(SMALL), encoding="utf-8")
    spec = load_experiment(path, api)
    out = base / "out"
    assert cli.execute(spec, api, out=out, workers=2, progress=False) == 0
    return out


def _section(text: str, sid: str) -> str:
    m = re.search(rf'<(section|footer) id="{sid}"[^>]*>(.*?)</\1>', text, re.S)
    assert m, f"section {sid} missing"
    return m.group(2)


def test_report_contains_every_promised_figure_and_table(folder, api):
    text = (folder / "report.nl.html").read_text(encoding="utf-8")
    for sid in SECTIONS:
        if sid != "sensitivity":  # only for sample designs
            _section(text, sid)
    # Headline table: every non-reference scenario, every analysed key indicator.
    head = _section(text, "headline")
    assert "Meer opleiding" in head and "Stand op 2020-12" in head and "Stand op 2021-12" in head
    assert "Werkenden" in head and "Beleidsuitgaven" in head
    # A figure per key indicator the model produces.
    monthly = pd.read_parquet(folder / "monthly.parquet")
    cols = [i.column for i in KEY_INDICATORS if i.column in monthly]
    assert len(cols) >= 8
    figs = _section(text, "indicators")
    for col in cols:
        assert re.search(
            rf'<figure id="fig-{col}"[^>]*><img[^>]+src="data:image/png;base64,', figs
        ), col
    assert "data:image/png;base64," in _section(text, "over-time")
    costs = _section(text, "costs")
    assert "Kost per extra job" in costs and "<table>" in costs and "base64," in costs
    flows = _section(text, "flows")
    assert "<table>" in flows and "base64," in flows and "krimpsector" in flows
    groups = _section(text, "groups")
    assert "Laaggeschoolden" in groups and "base64," in groups and "<table>" in groups
    assert "<table>" in _section(text, "replications")
    appendix = _section(text, "parameters")
    assert appendix.count("<tr>") == len(api.parameters) + 1
    assert "Personen per agent" in appendix and "persons" in appendix
    assert "SRC" in appendix or "assumption" in appendix  # sources from the registry
    footer = _section(text, "provenance")
    assert "SeedSequence" in footer and "sha256" in footer and "numpy" in footer
    # Self-contained and printable.
    assert not re.search(r'(src|href)="https?:', text)
    assert "@page { size: A4" in text and "@media print" in text


def test_report_in_english_through_the_report_command(folder, capsys):
    assert cli.main(["report", str(folder), "--lang", "en"]) == 0
    assert "report.en.html" in capsys.readouterr().out
    text = (folder / "report.en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in text
    for phrase in (
        "Headline results",
        "More training",
        "Cost per extra job",
        "Flows from shrinking to growing sectors",
        "Appendix: parameters",
        "Persons per agent",
    ):
        assert phrase in text, phrase
    assert "Kernresultaten" not in text


def test_summary_has_mean_and_95_interval_per_scenario_and_outcome(folder):
    summary = pd.read_csv(folder / "summary.csv")
    assert {"scenario", "outcome", "horizon", "mean", "ci_low", "ci_high"} <= set(summary)
    emp = summary[(summary["outcome"] == "employed") & (summary["horizon"] == "2021-12")]
    assert set(emp["scenario"]) == {"basis", "meer-opleiding"}
    assert (emp["ci_low"] <= emp["mean"]).all() and (emp["mean"] <= emp["ci_high"]).all()
    diffs = pd.read_csv(folder / "differences.csv")
    assert set(diffs["scenario"]) == {"meer-opleiding"} and (diffs["n"] == 3).all()


def test_sensitivity_indices_do_not_depend_on_the_order_runs_finish_in():
    sample = SampleSpec(
        method="sobol", n=64, parameters={"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)}, seed=1
    )
    _, x = sample_matrix(sample)
    y = 4 * x[:, 0] + x[:, 1] ** 2 + 0.01 * x[:, 2]
    values = {i: float(v) for i, v in enumerate(y)}
    items = list(values.items())
    random.Random(0).shuffle(items)
    a = indices(sample, values)
    b = indices(sample, dict(items))
    pd.testing.assert_frame_equal(a, b)
    s1 = a.set_index("parameter")["S1"]
    assert s1["a"] > 0.8 and s1["c"] < 0.05


def test_small_sobol_design_returns_indices(tmp_path, capsys):
    path = tmp_path / "sobol.yaml"
    path.write_text(
        textwrap.dedent("""
        name: sobol-small
        scenarios: [basis]
        replications: 1
        root_seed: 2
        horizon: {start: 2020-01, end: 2020-06}
        horizons: [2020-06]
        outcomes: [employed, job_seekers]
        parameters: {simulation.persons_per_agent: 5000}
        sample:
          method: sobol
          n: 4
          parameters:
            training.tu_uptake: null
            matching.hire_probability: [0.1, 0.3]
        """),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = cli.main(
        [
            "sensitivity",
            str(path),
            "--out",
            str(out),
            "--workers",
            "2",
            "--no-progress",
            "--no-report",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "16 runs" in printed and "S1" in printed and "ST" in printed
    sens = pd.read_csv(out / "sensitivity.csv")
    assert set(sens["parameter"]) == {"training.tu_uptake", "matching.hire_probability"}
    assert set(sens["outcome"]) == {"employed", "job_seekers"}
    assert np.isfinite(sens[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy()).all()
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 16 and points["matching.hire_probability"].between(0.1, 0.3).all()


def test_the_terminal_summary_matches_the_difference_table(folder, api):
    from experiments.cli import spec_from_results
    from experiments.report import headline_text
    from experiments.store import Results
    from experiments.tables import compute_tables

    spec = spec_from_results(folder, api)
    tables = compute_tables(Results(folder), spec, api)
    text = headline_text(tables, spec, "en")
    lines = text.splitlines()
    assert "2021-12" in lines[0] and "3 paired replications" in lines[0]
    assert lines[1].split()[-2:] == ["basis", "meer-opleiding"]
    diffs = tables["differences"]
    diffs = diffs[(diffs["horizon"] == "2021-12") & (diffs["point"] == -1)]
    for o in tables.outcomes:
        row = diffs[diffs["outcome"] == o.name].iloc[0]
        label = (
            next(i for i in KEY_INDICATORS if i.column == o.name).label["en"]
            if o.name != "policy_cost_eur"
            else "Policy spending (cumulative)"
        )
        (line,) = [ln for ln in lines[3:] if ln.startswith(label + " (")]
        # the significance mark follows the table, whatever the numbers are
        assert line.rstrip().endswith("*") == bool(row["significant"])
    assert "Policy spending (cumulative) (million euro)" in text
    assert headline_text(tables, spec, "nl").splitlines()[0].startswith("Verschil met basis")
