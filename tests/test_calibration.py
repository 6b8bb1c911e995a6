"""The targets file (sim/calibration.yaml) and the moments measured on a run."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim import calibration as cal


def test_every_target_has_role_source_and_a_reasoned_tolerance_or_says_what_is_missing():
    targets = cal.load_targets()  # raises TargetError for a bad record
    assert {t["role"] for t in targets.values()} == set(cal.ROLES)
    for name, t in targets.items():
        src = t["source"]
        assert src.get("publisher") or src.get("document"), name
        if t.get("observed") is not None:
            assert t["tolerance"]["why"], name
            assert cal.sigma(t) > 0, name
        elif t.get("band") is None:
            assert src["missing"], name


def test_stylised_facts_are_validation_never_calibration():
    targets = cal.load_targets()
    for name in ("matching_elasticity_job_seekers", "beveridge_correlation"):
        assert targets[name]["role"] == "validation"


def test_every_measurable_target_is_measured_on_a_baseline_run(basis_run):
    targets = cal.load_targets()
    values = cal.moments(basis_run.to_frames(), targets)
    for name, t in targets.items():
        if t["measure"].get("how") != "none":
            assert math.isfinite(values[name]), name


def test_target_table_reports_error_in_tolerances(basis_run):
    table = cal.evaluate([basis_run.to_frames()])
    row = table.set_index("target").loc["employment_rate_2019"]
    assert row["error"] == pytest.approx((row["simulated"] - 0.755) / 0.005)
    missing = table.set_index("target").loc["employment_rate_2023"]
    assert missing["ok"] is None and missing["missing"]


def test_elasticity_measure_recovers_a_known_matching_function():
    rng = np.random.default_rng(0)
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(48)]
    u = rng.uniform(1e5, 2e5, 48)
    v = rng.uniform(3e4, 6e4, 48)
    m = pd.DataFrame({"month": months, "hires": 2.0 * u**0.4 * v**0.6, "u": u, "v": v})
    spec = {"how": "elasticity", "y": "hires", "x": ["u", "v"], "from": "2019-01", "to": "2022-12"}
    assert cal.measure(m, {**spec, "coefficient": "u"}) == pytest.approx(0.4)
    assert cal.measure(m, {**spec, "coefficient": "v"}) == pytest.approx(0.6)


def test_transition_measure_sums_destinations(basis_run):
    spec = {"table": "transitions", "year": 2019, "from": "employment"}
    total = cal.measure(
        basis_run.to_frames(),
        {**spec, "to": ["employment", "unemployment", "inactivity", "retired"]},
    )
    assert total == pytest.approx(1.0)
