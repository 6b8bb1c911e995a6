"""Every job change is counted once, in sim/transitions.py, so that the flows add up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim import transitions
from sim.state import Education, Status
from tests.test_snapshot import EVERY_LEVER

SCALE = {"simulation.persons_per_agent": 400}
RUNS = {name: name for name in sim.list_presets()} | {"every-lever": EVERY_LEVER}


def sectors_with_start(scenario: object, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """The sectors table of a run and the jobs held per sector before its first month."""
    model = sim.build_model(scenario, seed, overrides=SCALE)
    start = model.workers.jobs_held() * model.params["simulation.persons_per_agent"]
    model.run()
    return model.recorder.sectors(), start


@pytest.mark.parametrize("name", list(RUNS))
def test_jobs_held_follow_from_the_flows_in_every_sector_and_month(name: str) -> None:
    sectors, start = sectors_with_start(RUNS[name])
    n = len(start)
    employed = sectors["employed"].to_numpy().reshape(-1, n)
    before = np.vstack([start, employed[:-1]])
    flow = {
        col: sectors[col].to_numpy().reshape(-1, n)
        for col in ("hires", "separations", "moves_out", "retirements")
    }
    expected = (
        before + flow["hires"] - flow["separations"] - flow["moves_out"] - flow["retirements"]
    )
    np.testing.assert_array_equal(employed, expected)


def test_monthly_job_to_job_is_the_sum_of_moves_out() -> None:
    result = sim.simulate(EVERY_LEVER, seed=3, overrides=SCALE)
    moves_out = result.sectors.groupby("month", sort=False)["moves_out"].sum().to_numpy()
    np.testing.assert_array_equal(result.monthly["job_to_job"].to_numpy(), moves_out)


def test_side_entry_raises_sector_moves() -> None:
    base = sim.simulate("basis", seed=3, overrides=SCALE).monthly
    on = sim.simulate(
        {"side_entry.enabled": True, "side_entry.rate": 0.002}, seed=3, overrides=SCALE
    ).monthly
    assert on["side_entry_participants"].sum() > 1000
    assert on["sector_moves"].sum() > base["sector_moves"].sum() + 1000


@pytest.fixture
def model() -> sim.LabourMarketModel:
    m = sim.build_model("basis", 1, overrides=SCALE)
    transitions.new_month(m)
    return m


def test_an_entry_from_another_sector_counts_as_hire_move_and_sector_flow(model) -> None:
    w = model.workers
    rows = np.flatnonzero((w.status == Status.EMPLOYED) & (w.sector == 0))[:7]
    to = np.full(len(rows), 3 * 3 + 1)  # the stable employers of sector 3
    low = int(np.count_nonzero(w.education[rows] == Education.LOW))
    transitions.enter_jobs(model, rows, to, employee=True)
    t = model.tally
    assert (t["hires"], t["job_to_job"], t["hires_low_educated"]) == (7, 7, low)
    assert t["hires_by_sector"][3] == 7 and t["moves_out_by_sector"][0] == 7
    assert model.tally_flows[0, 3] == 7 and model.tally_flows.sum() == 7
    assert (w.sector[rows] == 3).all() and (w.status[rows] == Status.EMPLOYED).all()
    assert (w.employer[rows] == 10).all()


def test_a_converted_secondment_is_a_hire_in_the_host_and_a_move_out_of_home(model) -> None:
    w = model.workers
    rows = np.flatnonzero((w.status == Status.EMPLOYED) & (w.sector == 1))[:4]
    w.set_status(rows, Status.TEMPORARILY_UNEMPLOYED)
    transitions.start_secondment(model, rows, np.full(4, 5), months=6)
    assert model.tally["hires"] == 0  # a secondment keeps the home job
    transitions.convert_secondment(model, rows)
    assert model.tally["hires"] == 4 and model.tally["job_to_job"] == 4
    assert model.tally_flows[1, 5] == 4
    assert (w.sector[rows] == 5).all() and (w.host[rows] == -1).all()


def test_a_start_as_self_employed_is_a_hire(model) -> None:
    w = model.workers
    rows = np.flatnonzero(w.status == Status.JOB_SEEKER)[:3]
    transitions.start_self_employed(model, rows, np.full(3, 2))
    assert model.tally["hires"] == 3 and model.tally["job_to_job"] == 0
    assert not w.employee[rows].any()
