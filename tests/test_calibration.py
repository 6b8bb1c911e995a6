"""The targets file (sim/calibration.yaml) and the moments measured on a run."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from sim import calibration as cal
from sim import stylised_facts


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


def test_fitted_elasticities_leave_the_beveridge_curve_for_validation():
    """The two elasticities of hires from unemployment are fitted to the literature's value;
    the Beveridge curve, the all-searchers elasticity (and the synthetic cycle of
    tests/test_market.py) stay out of the objective, and no moment is both fitted and
    validated."""
    targets = cal.load_targets()
    for name in ("matching_elasticity_unemployed", "matching_elasticity_vacancies"):
        assert targets[name]["role"] == "calibration"
    for name in ("beveridge_correlation", "beveridge_slope", "matching_elasticity_all_searchers"):
        assert targets[name]["role"] == "validation"
    roles: dict[str, set[str]] = {}
    for t in targets.values():
        key = json.dumps(t["measure"], sort_keys=True)
        roles.setdefault(key, set()).add(t["role"])
    assert all(len(r) == 1 for r in roles.values())


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


def test_matching_elasticity_measure_recovers_a_known_matching_function():
    rng = np.random.default_rng(0)
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(48)]
    u = rng.uniform(1e5, 2e5, 48)
    v = rng.uniform(3e4, 6e4, 48)
    m = pd.DataFrame(
        {
            "month": months,
            "hires_from_unemployment": 2.0 * u**0.4 * v**0.6,
            "unemployed_at_matching": u,
            "vacancies_at_matching": v,
        }
    )
    spec = {"how": "matching_elasticity", "searchers": "unemployed", "from": "2019-01"}
    spec["to"] = "2022-12"
    assert cal.measure(m, {**spec, "coefficient": "searchers"}) == pytest.approx(0.4)
    assert cal.measure(m, {**spec, "coefficient": "vacancies"}) == pytest.approx(0.6)
    # the same numbers as sim.stylised_facts: one definition
    reg = stylised_facts.matching_regression(m, "2019-01", "2022-12")
    assert reg.coefficient("unemployed") == pytest.approx(0.4)


def test_calibration_measures_call_the_stylised_facts(basis_run):
    targets = cal.load_targets()
    frames = basis_run.to_frames()
    m = frames["monthly"]
    reg = stylised_facts.matching_regression(m, "2019-01", "2023-12", "unemployed")
    got = cal.measure(frames, targets["matching_elasticity_unemployed"]["measure"])
    assert got == reg.coefficient("unemployed")
    got = cal.measure(frames, targets["beveridge_correlation"]["measure"])
    assert got == stylised_facts.beveridge_correlation(m, "2020-01", "2022-12")


def test_transition_measure_sums_destinations(basis_run):
    spec = {"table": "transitions", "year": 2019, "from": "employment"}
    total = cal.measure(
        basis_run.to_frames(),
        {**spec, "to": ["employment", "unemployment", "inactivity", "retired"]},
    )
    assert total == pytest.approx(1.0)
