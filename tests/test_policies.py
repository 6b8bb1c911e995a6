"""The 'Alle hens aan dek' levers: switching, budgets, presets and average effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.lockdown_paths import third_wave_paths
from sim.policies import LEVERS
from sim.policies.budget import exhausted_months
from sim.registry import load_registry

SEED = 11
SHORT = {"simulation.end": "2022-06"}  # the levers act in 2020-2022; keeps tests fast


@pytest.fixture(scope="module")
def basis_short() -> pd.DataFrame:
    return sim.simulate("basis", seed=SEED, overrides=SHORT).monthly


@pytest.mark.parametrize("lever", list(LEVERS))
def test_lever_switched_off_equals_basis(lever: str, basis_short: pd.DataFrame) -> None:
    """A lever whose parameters are changed but which is switched off changes nothing."""
    reg = load_registry()
    changed = {}
    for name, par in reg.parameters.items():
        if name.startswith(lever + ".") and par.type in ("float", "int") and par.range:
            changed[name] = par.range[1]
    res = sim.simulate(
        "basis", seed=SEED, overrides={**SHORT, **changed, f"{lever}.enabled": False}
    )
    pd.testing.assert_frame_equal(res.monthly, basis_short)
    assert res.model.policies == []


def test_pilot_of_size_zero_equals_basis(basis_short: pd.DataFrame) -> None:
    """The worker-sharing pilot with capacity 0 gives basis (apart from its own columns)."""
    res = sim.simulate(
        "basis",
        seed=SEED,
        overrides={**SHORT, "worker_sharing.enabled": True, "worker_sharing.capacity": 0},
    )
    extra = [c for c in res.monthly.columns if c not in basis_short.columns]
    assert res.monthly["worker_sharing_placed"].sum() == 0
    pd.testing.assert_frame_equal(res.monthly.drop(columns=extra), basis_short)


def test_monitor_draws_no_random_numbers(basis_short: pd.DataFrame) -> None:
    """The intensive-TU monitor adds columns and changes nothing else."""
    res = sim.simulate("basis", seed=SEED, overrides={**SHORT, "monitor.intensive_tu": True})
    extra = ["intensive_tu", "intensive_tu_year", "intensive_tu_reached_share"]
    assert set(res.monthly.columns) - set(basis_short.columns) == set(extra)
    pd.testing.assert_frame_equal(res.monthly.drop(columns=extra), basis_short)
    assert res.monthly["intensive_tu_year"].max() > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_more_training_capacity_never_gives_fewer_trainees(seed: int) -> None:
    """In the same state (the offensive's first month), more seats seat at least as many."""

    def starts(seats: int) -> int:
        res = sim.simulate(
            "basis",
            seed=seed,
            overrides={
                "simulation.end": "2021-01",
                "training_offensive.enabled": True,
                "training_offensive.outreach_capacity": 60000,
                "training_offensive.extra_seats_short": seats,
                "training_offensive.extra_seats_retraining": seats // 4,
                "training_offensive.extra_seats_digital": seats // 2,
            },
        )
        return int(res.monthly["training_offensive_participants"].iloc[-1])

    counts = [starts(s) for s in (0, 500, 1000, 2000, 8000)]
    assert counts == sorted(counts), counts
    assert counts[-1] > counts[0]


def test_budget_cap_binds_when_set_low() -> None:
    """A low cap stops new participants and the output says when."""
    res = sim.simulate(
        "basis",
        seed=SEED,
        overrides={
            **SHORT,
            "training_offensive.enabled": True,
            "training_offensive.budget_eur": 2e6,
        },
    )
    m = res.monthly
    month = exhausted_months(m)["training_offensive"]
    assert month is not None
    after = m["month"] > month
    assert m.loc[after, "training_offensive_participants"].sum() == 0
    committed = res.model.policies[0].own_committed
    assert committed <= 2e6
    free = sim.simulate(
        "basis", seed=SEED, overrides={**SHORT, "training_offensive.enabled": True}
    ).monthly
    assert exhausted_months(free)["training_offensive"] is None
    assert (
        free["training_offensive_participants"].sum() > m["training_offensive_participants"].sum()
    )


@pytest.mark.parametrize("preset", sim.list_presets())
def test_every_preset_loads_and_validates(preset: str) -> None:
    """Each preset has nl and en title and description and valid parameters."""
    sc = sim.load_scenario(preset)
    for key in ("nl", "en"):
        assert sc.title.get(key) and sc.description.get(key)
    load_registry().resolve(sc.overrides)


def test_presets_combine_with_third_wave() -> None:
    """'alle-hens-aan-dek+derde-golf' has every lever and the third-wave paths."""
    sc = sim.load_scenario("alle-hens-aan-dek+derde-golf")
    assert sc.overrides["training_offensive.enabled"] is True
    assert sc.overrides["shock.first_wave_path"]["2021-04"] == third_wave_paths()[0]["2021-04"]


def test_third_wave_repeats_the_default_paths_before_march_2021() -> None:
    """derde-golf replaces the whole series: its months up to 2021-02 must match basis."""
    reg = load_registry()
    sc = sim.load_scenario("derde-golf")
    for name in ("shock.first_wave_path", "shock.closure_path"):
        default = reg.parameters[name].default
        early = {k: v for k, v in default.items() if k < "2021-03"}
        assert {k: v for k, v in sc.overrides[name].items() if k < "2021-03"} == early


def test_every_lever_runs_and_books_spending() -> None:
    """All levers together (alle-hens-aan-dek): participants and spending for each."""
    res = sim.simulate("alle-hens-aan-dek", seed=SEED, overrides=SHORT)
    m = res.monthly
    for lever in (
        "training_offensive",
        "automatic_registration",
        "worker_sharing",
        "side_entry",
        "dismissed_offer",
        "transition_premium",
        "training_leave",
    ):
        assert m[f"{lever}_participants"].sum() > 0, lever
        assert m[f"{lever}_spending_eur"].sum() > 0, lever
    assert m["seconded"].max() > 0
    assert 0 <= m["intensive_tu_reached_share"].max() <= 1
    total = sum(
        m[f"{lever}_spending_eur"].sum() for lever in LEVERS if f"{lever}_spending_eur" in m
    )
    assert total <= 190e6 * 1.05  # commitments bind at 190 m; spending lags commitments


SEEDS = (1, 2, 3, 4)
AVG = {"simulation.end": "2022-12"}


def paired_monthly(seeds, overrides: dict, lever: str):
    """For each seed, the monthly tables of basis without and with ``lever`` enabled."""
    for s in seeds:
        base = sim.simulate("basis", seed=s, overrides=overrides).monthly
        on = sim.simulate("basis", seed=s, overrides={**overrides, f"{lever}.enabled": True})
        yield base, on.monthly


def test_training_offensive_raises_training_starts_on_average() -> None:
    """Over four seeds, more training starts in 2021 than in basis."""
    diffs = []
    for b, t in paired_monthly(SEEDS, AVG, "training_offensive"):
        year = b["month"].str.startswith("2021")
        diffs.append(t.loc[year, "training_starts"].sum() - b.loc[year, "training_starts"].sum())
    assert np.mean(diffs) > 0, diffs


def test_pilot_lowers_long_open_care_vacancies_on_average() -> None:
    """Over four seeds, fewer care vacancies open 3+ months while the pilot runs."""
    diffs = []
    for s in SEEDS:
        b = sim.simulate("basis", seed=s, overrides=AVG).sectors
        p = sim.simulate("werknemersdelen", seed=s, overrides=AVG).sectors
        sel = (b["sector"] == "care") & b["month"].between("2021-01", "2022-12")
        diffs.append(
            p.loc[sel, "vacancies_open_3m"].mean() - b.loc[sel, "vacancies_open_3m"].mean()
        )
    assert np.mean(diffs) < 0, diffs


def test_a_new_business_adds_one_job_also_where_a_lockdown_holds_demand_near_zero() -> None:
    """A start as self-employed adds one job to its class's path, not a multiple of it.

    The transition premium's starters add their own job (``model.add_jobs``). Scaling the
    class's base by 1 + 1/demand, as an earlier version did, doubled the whole path of a
    class closed by a lockdown (demand 0): one premium in a closed horeca class gave
    +10,000 employed a year later in one seed and none in others.
    """
    from sim.simulate import build_model

    m = build_model("basis", seed=SEED, overrides={"simulation.persons_per_agent": 1000})
    while m.month != "2020-04":
        m.step()
    c = 1  # horeca's stable employers, closed entirely (as the class shock 1 of 2021 did)
    m.class_demand[c] = 0.0
    m.demand_changed()
    base, demand = m.class_capacity0.copy(), m.class_demand.copy()
    m.add_jobs(np.array([c]))
    added = m.class_capacity0 - base
    assert added[c] == pytest.approx(1.0 / m.class_level[c])
    assert 0.5 < added[c] < 2.0  # one job's worth of the path (trend since 2019)
    assert np.count_nonzero(added) == 1
    assert m.class_demand[c] - demand[c] == pytest.approx(1.0)


def test_the_training_offensive_reaches_the_temporarily_unemployed_of_shrinking_employers_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``at_risk_first`` the offensive's participants of its first quarter are mostly
    temporarily unemployed of shrinking employers, whose jobs a restructuring cuts first;
    their share falls clearly without it. ``retraining_share_at_risk`` sends half of them
    (those not lacking digital skills) to retraining towards a shortage sector."""
    from sim.policies import training_offensive
    from sim.policies.training_offensive import at_risk_of_dismissal
    from sim.simulate import build_model
    from sim.state import Course

    share, retraining = {}, {}
    for first in (True, False):
        starts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        real_start = training_offensive.training.start

        def spy(model, rows, course, target, counter=None, starts=starts, real=real_start):
            if counter is None:  # the offensive (regular uptake names its counter)
                starts.append((rows.copy(), course.copy(), at_risk_of_dismissal(model, rows)))
            return real(model, rows, course, target, counter)

        monkeypatch.setattr(training_offensive.training, "start", spy)
        build_model(
            "basis",
            SEED,
            overrides={
                "simulation.end": "2021-03",
                "training_offensive.enabled": True,
                "training_offensive.at_risk_first": first,
            },
        ).run()
        monkeypatch.undo()
        course = np.concatenate([c for _, c, _ in starts])
        at_risk = np.concatenate([a for _, _, a in starts])
        assert len(course) > 50
        share[first] = at_risk.mean()
        retraining[first] = (course[at_risk] == Course.RETRAINING).mean()
    assert share[True] > 0.75, share
    assert share[True] > share[False] + 0.15, share
    assert retraining[True] > 0.3, retraining


@pytest.mark.slow
def test_the_transition_premium_adds_at_most_about_its_starters_to_employment() -> None:
    """At 20 persons per agent (its 650 premiums are 32 agents) the premium's effect on
    employment in 2023 stays within the 650 starters, in the mean and in every seed (within
    twice the starters plus the paired noise of about 400 persons a seed, docs/POLICIES.md
    section 7); a start that scaled its class's demand (the add_jobs bug) gave +5,177 in the
    mean and +14,383 in one seed. Its sign is not asserted: with three seeds the paired noise
    (sd about 380) is larger than the effect (+336 ± 383 over eight seeds before the refit of
    2 December)."""
    fine = {"simulation.persons_per_agent": 20, "simulation.end": "2023-12"}
    diffs = []
    for base, prem in paired_monthly((1, 2, 3), fine, "transition_premium"):
        year = base["month"].str.startswith("2023")
        diffs.append(prem.loc[year, "employed"].mean() - base.loc[year, "employed"].mean())
        assert prem["transition_premium_participants_total"].iloc[-1] <= 650
    assert abs(np.mean(diffs)) < 650, diffs
    assert max(abs(d) for d in diffs) < 2 * 650 + 400, diffs
