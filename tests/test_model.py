"""Behaviour of the simulation core: accounting, reproducibility, scale, agents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.agents import Sector, Worker
from sim.output_schema import load_output_schema
from sim.state import COLUMNS, Status
from sim.streams import Streams

STATUS_STOCKS = [
    "at_work",
    "temporarily_unemployed_full",  # the partial ones are at work
    "job_seekers",
    "job_seekers_unregistered",
    "job_seekers_in_training",
    "inactive",
    "retired",
]


def test_statuses_sum_to_population_every_month():
    model = sim.build_model("basis", seed=3, overrides={"simulation.end": "2021-12"})
    ppa = model.params["simulation.persons_per_agent"]
    previous_active = None
    while model.running:
        model.step()
        row = model.recorder.rows[-1]
        total = sum(row[c] for c in STATUS_STOCKS)
        assert total == model.workers.n * ppa
        counts = np.bincount(model.workers.status, minlength=len(Status))
        assert counts.sum() == model.workers.n
        active = model.workers.n - counts[Status.RETIRED]
        if previous_active is not None:
            inflow = (row["entrants"] + row["immigrants"]) // ppa
            outflow = row["retirements"] // ppa
            assert active == previous_active + inflow - outflow
        previous_active = active


def test_no_negative_stocks(basis_run):
    numeric = basis_run.monthly.select_dtypes("number")
    assert (numeric.fillna(0) >= 0).all().all()
    sectors = basis_run.sectors.select_dtypes("number")
    assert (sectors >= 0).all().all()


def test_same_seed_identical_other_seed_different(small_overrides):
    a = sim.simulate("basis", seed=7, overrides=small_overrides)
    b = sim.simulate("basis", seed=7, overrides=small_overrides)
    c = sim.simulate("basis", seed=8, overrides=small_overrides)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    pd.testing.assert_frame_equal(a.sectors, b.sectors)
    assert not a.monthly.equals(c.monthly)


def test_seed_sequence_and_int_seed_agree(small_overrides):
    a = sim.simulate("basis", seed=5, overrides=small_overrides)
    b = sim.simulate("basis", seed=np.random.SeedSequence(5), overrides=small_overrides)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)


def test_streams_are_independent_of_creation_order():
    s1 = Streams(np.random.SeedSequence(1))
    s2 = Streams(np.random.SeedSequence(1))
    s2["some_new_policy"].random(10)
    assert s1["matching"].random() == s2["matching"].random()


def test_rates_agree_across_scales():
    coarse = [
        sim.simulate("basis", seed=s, overrides={"simulation.persons_per_agent": 400})
        for s in range(3)
    ]
    fine = sim.simulate("basis", seed=0).monthly
    cols = ["employment_rate_20_64", "vacancy_rate"]
    for col in cols:
        c = np.mean([r.monthly[col].to_numpy() for r in coarse], axis=0)
        assert np.max(np.abs(c - fine[col].to_numpy())) < 0.01, col
    tu = np.mean([r.monthly["temporarily_unemployed"] for r in coarse], axis=0)
    peak = fine["temporarily_unemployed"].max()
    assert abs(tu.max() - peak) / peak < 0.08


def test_worker_agent_reads_the_array_state(basis_run):
    model = basis_run.model
    workers = model.agents_by_type[Worker]
    assert len(workers) == model.workers.n
    rng = np.random.default_rng(0)
    for row in rng.choice(model.workers.n, size=200, replace=False):
        agent = model.worker_agents[row]
        assert agent.row == row
        assert agent.status == Status(model.workers.status[row])
        code = model.workers.sector[row]
        assert agent.sector == (None if code < 0 else model.sector_ids[code])
        assert agent.age == model.workers.age_months[row] / 12
        assert agent.attachment == pytest.approx(float(model.workers.attachment[row]))
        assert set(agent.as_dict()) >= {"status", "sector", "age", "education"}


def test_agent_views_follow_changes():
    model = sim.build_model("basis", seed=2, overrides={"simulation.end": "2019-06"})
    agent = model.worker_agents[10]
    model.workers.set_status(np.array([10]), Status.INACTIVE)
    assert agent.status is Status.INACTIVE
    model.run()
    assert agent.status == Status(model.workers.status[10])


def test_sectors_and_vdab_are_agents(basis_run):
    model = basis_run.model
    assert len(model.agents_by_type[Sector]) >= 8
    ids = {s.sector_id for s in model.agents_by_type[Sector]}
    assert {"horeca", "care", "education", "manufacturing", "construction", "trade"} <= ids
    assert model.vdab.spending_total_eur > 0


def test_monthly_has_documented_columns(basis_run):
    required = {
        "month",
        "employed",
        "employment_rate_20_64",
        "temporarily_unemployed",
        "job_seekers",
        "job_seekers_long_term",
        "vacancies",
        "vacancy_rate",
        "vacancies_open_3m",
        "hires",
        "separations",
        "job_to_job",
        "training_starts",
        "training_completions",
        "seconded",
        "vdab_spending_eur",
    }
    assert required <= set(basis_run.monthly.columns)
    assert {
        "month",
        "sector",
        "employed",
        "temporarily_unemployed",
        "vacancies",
        "vacancies_open_3m",
        "hires",
    } <= set(basis_run.sectors.columns)
    assert basis_run.monthly["month"].iloc[0] == "2019-01"
    assert basis_run.monthly["month"].iloc[-1] == "2025-12"
    schema = load_output_schema()
    assert list(basis_run.monthly.columns) == schema.produced("monthly", basis_run.params)
    assert list(basis_run.sectors.columns) == schema.names("sectors")


def test_transitions_are_shares(basis_run):
    tr = basis_run.transitions
    assert set(tr["from"]) == {"employment", "unemployment", "inactivity"}
    assert set(tr["definition"]) == {"register", "ilo"}
    sums = tr.groupby(["definition", "year", "from"])["share"].sum()
    assert np.allclose(sums, 1.0)
    stay = tr[(tr["from"] == "employment") & (tr["to"] == "employment")]["share"]
    assert (stay > 0.85).all()


def test_the_survey_definition_moves_job_seekers_who_did_not_search_to_inactivity(basis_run):
    """ILO states: employment and retirement as in the register; unemployment a subset."""
    persons = basis_run.transitions.pivot_table(
        index=["year", "from", "to"], columns="definition", values="persons"
    )
    ilo, register = persons["ilo"], persons["register"]
    # employment to employment and to retirement are the same persons in both definitions
    for key in (("employment", "employment"), ("employment", "retired")):
        np.testing.assert_array_equal(
            ilo.xs(key, level=["from", "to"]), register.xs(key, level=["from", "to"])
        )
    by_origin = persons.groupby(level=["year", "from"]).sum()
    unemployed = by_origin.xs("unemployment", level="from")
    assert (unemployed["ilo"] < 0.9 * unemployed["register"]).all()  # not all searched
    assert (unemployed["ilo"] > 0.3 * unemployed["register"]).all()
    inactive = by_origin.xs("inactivity", level="from")
    assert (inactive["ilo"] > inactive["register"]).all()


def test_shock_puts_workers_on_temporary_unemployment_not_layoffs(basis_run):
    m = basis_run.monthly.set_index("month")
    tu = m["temporarily_unemployed_full"]  # normal times have partial TU only
    assert tu["2020-04"] > 10 * tu["2020-02"] + 100_000
    assert m.loc["2020-04", "layoffs"] < 0.1 * m.loc["2020-04", "temporarily_unemployed"]
    horeca = basis_run.sectors.query("sector == 'horeca' and month == '2020-04'")
    share = horeca["temporarily_unemployed"].iloc[0] / horeca["employed"].iloc[0]
    assert share > 0.5


def test_training_lowers_distance_and_moves_people():
    result = sim.simulate("basis", seed=4, overrides={"simulation.persons_per_agent": 200})
    model = result.model
    moved = (model.workers.skill != model.workers.sector) & (model.workers.sector >= 0)
    assert moved.any()
    assert result.monthly["training_successes"].sum() > 0
    assert result.sector_flows["persons"].sum() > 0


def test_worker_table_layout_is_compact(basis_run):
    table = basis_run.model.workers
    per_row = sum(np.dtype(t).itemsize for t in COLUMNS.values())
    assert per_row <= 32
    assert table.nbytes() <= per_row * table.n * 1.6


@pytest.mark.parametrize("scenario", ["basis", "alle-hens-aan-dek+derde-golf"])
def test_running_counts_match_a_full_recount_every_month(scenario):
    model = sim.build_model(scenario, seed=11, overrides={"simulation.persons_per_agent": 300})
    while model.running:
        model.step()
        np.testing.assert_array_equal(model.workers.counts, model.workers.recount())


def test_status_and_sector_cannot_be_written_around_set_status():
    model = sim.build_model("basis", seed=1, overrides={"simulation.end": "2019-06"})
    with pytest.raises(ValueError, match="read-only"):
        model.workers.status[0] = Status.RETIRED
    with pytest.raises(AttributeError, match="set_status"):
        model.workers.sector = 0
