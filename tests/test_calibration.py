"""The baseline reproduces the calibration targets of sim/calibration.yaml."""

from __future__ import annotations

import sim
from sim.calibration import evaluate, load_targets


def test_every_target_has_a_source():
    for name, t in load_targets().items():
        assert t["source"]["document"] and t["source"]["where"], name


def test_baseline_meets_calibration_targets(basis_run):
    runs = [basis_run.monthly] + [sim.simulate("basis", seed=s).monthly for s in (2, 3)]
    table = evaluate(runs)
    failed = table[~table["ok"]]
    assert failed.empty, failed.to_string()
