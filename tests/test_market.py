"""The market core (issue 12): jobs and vacancies as one account, matching on both sides."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim import stylised_facts, transitions
from sim.model import carried_forward
from sim.rules import matching, vacancies
from sim.state import Status
from tests.test_snapshot import EVERY_LEVER

SCALE = {"simulation.persons_per_agent": 400}


def stepped(scenario: object, months: int, seed: int = 3, **overrides: object):
    """A model after ``months`` months."""
    model = sim.build_model(scenario, seed, overrides={**SCALE, **overrides})
    for _ in range(months):
        model.step()
    return model


@pytest.mark.parametrize("scenario", ["basis", "alle-hens-aan-dek", "every-lever"])
def test_filled_plus_open_is_demand_at_every_employer_class_every_month(scenario: str) -> None:
    model = sim.build_model(
        EVERY_LEVER if scenario == "every-lever" else scenario, 3, overrides=SCALE
    )
    while model.running:
        model.step()
        filled, slots = model.filled_slots(), model.slots()  # per employer class
        # the slots kept by demand_changed follow every change of demand (levers too)
        np.testing.assert_array_equal(slots, np.rint(model.class_demand), model.month)
        np.testing.assert_array_equal(model.work_slots(), np.rint(model.class_work))
        open_v = model.vacancies.sum(axis=1)
        staffed = filled <= slots
        # where demand is not exceeded: filled + open = demand, exactly
        np.testing.assert_array_equal((filled + open_v)[staffed], slots[staffed], model.month)
        # where it is (a shock): no open vacancy, the excess is visible as over-staffing
        assert (open_v[~staffed] == 0).all(), model.month
        assert (model.vacancies >= 0).all()
        np.testing.assert_array_equal(model.workers.class_counts, model.workers.recount_classes())


def test_the_sectors_table_shows_the_account(basis_run) -> None:
    s = basis_run.sectors
    np.testing.assert_array_equal(s["filled"] + s["vacancies"], s["demand"])
    assert (s["over_staffing"] > 0).any()  # the 2020 shock over-staffs employers
    assert "largest gap 0 persons" in stylised_facts.accounting(s)


def test_temporary_unemployment_and_vacancies_coexist_in_a_sector(basis_run) -> None:
    m = basis_run.monthly.set_index("month")
    # in the first lockdown shrinking and stable employers put staff on temporary
    # unemployment while growing employers of the same sectors keep vacancies open
    assert m.loc["2020-04", "sectors_with_tu_and_vacancies"] >= 5
    assert m.loc["2020-04", "vacancies"] > 0.1 * m.loc["2019-12", "vacancies"]
    assert m.loc["2020-04", "hires"] > 0


def test_no_hire_beyond_the_vacancies_open_at_matching() -> None:
    model = stepped("basis", 5)
    open_before = model.by_sector(model.vacancies.sum(axis=1))
    employer_before = model.workers.employer.copy()
    transitions.new_month(model)
    model.streams.month += 1
    matching.run(model)
    hired = model.tally["hires_by_sector"]
    assert hired.sum() > 0
    assert (hired <= open_before).all()
    # and per employer class: every class filled at most its open vacancies
    moved = np.flatnonzero(model.workers.employer[: len(employer_before)] != employer_before)
    assert len(moved) > 0


def test_a_filled_vacancy_does_not_reappear() -> None:
    model = stepped("basis", 5)
    w = model.workers
    c = int(np.argmax(model.vacancies.sum(axis=1)))  # the employer class with most
    open_before = int(model.vacancies[c].sum())
    rows = np.flatnonzero(w.status == Status.JOB_SEEKER)[:5]
    transitions.new_month(model)
    first = int(model.vacancies.sum(axis=1)[:c].sum())  # slots are numbered class by class
    sector = np.full(5, model.class_sector[c])
    transitions.hire(model, rows, sector, np.arange(first, first + 5), np.ones(5, bool))
    assert (w.employer[rows] == c).all()
    assert int(model.vacancies[c].sum()) == open_before - 5
    vacancies.update(model)  # demand unchanged: nothing reopens
    assert int(model.vacancies[c].sum()) == open_before - 5
    assert model.tally["vacancies_opened_growth"] == 0


def test_a_quit_opens_a_replacement_vacancy_and_an_exit_from_excess_does_not() -> None:
    model = stepped("basis", 5)
    w = model.workers
    transitions.new_month(model)
    c = 4  # the stable employers of care
    rows = np.flatnonzero((w.status == Status.EMPLOYED) & (w.employer == c))[:4]
    before = int(model.vacancies[c].sum())
    transitions.become_unemployed(model, rows, "separation")
    assert int(model.vacancies[c].sum()) == before + 4
    assert model.tally["vacancies_replacement"] == 4
    # an over-staffed employer class: the same exits are attrition
    model.class_demand[c] = float(model.filled_slots()[c] - 10)
    model.demand_changed()
    vacancies.update(model)
    assert model.vacancies[c].sum() == 0
    more = np.flatnonzero((w.status == Status.EMPLOYED) & (w.employer == c))[:4]
    transitions.become_inactive(model, more)
    assert model.vacancies[c].sum() == 0 and model.tally["attrition"] == 4


def matching_round(extra: int) -> tuple[int, int]:
    """Hires from unemployment in one month's matching with ``extra`` added job seekers.

    Returns the hires from unemployment and how many of the added were hired.

    The added job seekers hold the skill profile of the sector with most vacancies, are
    registered, fully attached and newly unemployed: qualified searchers.
    """
    model = stepped("basis", 5, seed=4, **{"simulation.persons_per_agent": 200})
    if extra:
        w = model.workers
        like = np.flatnonzero(w.status == Status.JOB_SEEKER)[0]
        s = int(np.argmax(model.by_sector(model.vacancies.sum(axis=1))))
        cols = {
            name: np.full(extra, getattr(w, name)[like]) for name in ("education", "age_months")
        }
        cols.update(
            status=np.full(extra, Status.JOB_SEEKER, dtype=np.int8),
            sector=np.full(extra, s, dtype=np.int8),
            skill=np.full(extra, s, dtype=np.int8),
            cert=np.full(extra, -1, dtype=np.int8),
            host=np.full(extra, -1, dtype=np.int8),
            employee=np.ones(extra, bool),
            attachment=np.ones(extra, np.float32),
            registered=np.ones(extra, bool),
        )
        model.add_workers(cols)
    transitions.new_month(model)
    model.streams.month += 1
    matching.run(model)
    newcomers_hired = int(np.count_nonzero(model.workers.status[-extra:] == Status.EMPLOYED))
    return int(model.tally["hires_from_unemployment"]), newcomers_hired if extra else 0


def test_extra_job_seekers_crowd_each_other_out() -> None:
    base, _ = matching_round(0)
    n = 300  # agents (60,000 persons): about a fifth of the unemployed
    more, newcomers_hired = matching_round(n)
    gained = more - base
    # each extra searcher raises hires by clearly less than one, and by less than the
    # newcomers' own hires: with a finite stock of vacancies the others lose jobs to them
    assert 0 < gained < 0.5 * n
    assert gained < newcomers_hired


def test_matching_function_and_beveridge_curve_on_a_synthetic_cycle() -> None:
    coefs, corr = [], []
    for seed in (1, 2, 3):
        scenario = stylised_facts.synthetic_cycle(0.05, 48)
        scenario["simulation.persons_per_agent"] = 200
        monthly = sim.simulate(scenario, seed=seed).monthly
        reg = stylised_facts.matching_regression(monthly, "2020-01")
        coefs.append(reg.coefficients)
        corr.append(stylised_facts.beveridge_correlation(monthly, "2020-01"))
        assert reg.r2 > 0.4
    on_job_seekers, on_vacancies = np.mean(coefs, axis=0)
    assert 0.3 <= on_job_seekers <= 0.8
    assert 0.3 <= on_vacancies <= 0.8
    assert max(corr) < 0


def test_job_finding_falls_with_unemployment_duration(basis_run) -> None:
    rate = stylised_facts.job_finding_by_duration(basis_run.monthly).to_numpy()
    assert (np.diff(rate) < 0).all(), rate
    assert 0.05 < rate[0] < 0.25


def test_hires_from_unemployment_add_up_over_duration_bands(basis_run) -> None:
    m = basis_run.monthly
    bands = sum(m[f"hires_from_unemployment_{name}"] for _, name in transitions.DURATION_BANDS)
    np.testing.assert_array_equal(bands, m["hires_from_unemployment"])
    stocks = sum(m[f"unemployed_{name}"] for _, name in transitions.DURATION_BANDS)
    np.testing.assert_array_equal(stocks, m["unemployed_at_matching"])


def test_worker_sharing_can_lend_within_a_sector_from_a_class_with_tu_to_one_with_vacancies():
    model = sim.build_model(
        "werknemersdelen",
        3,
        overrides={
            **SCALE,
            "simulation.end": "2021-03",
            "worker_sharing.within_sector_weight": 5.0,
        },
    )
    within = 0
    while model.running:
        model.step()
        w = model.workers
        sec = np.flatnonzero(w.status == Status.SECONDED)
        same = sec[w.host[sec] == w.sector[sec]]
        # lent to another employer class of the same sector, never to the own class
        assert (w.host_employer[same] != w.employer[same]).all()
        within = max(within, len(same))
    assert within > 0


def test_temporary_unemployment_exists_in_normal_times_and_is_partial(basis_run) -> None:
    m = basis_run.monthly.set_index("month")
    normal = m.loc["2019-01":"2019-12"]
    # RVA: about 65,000-78,000 persons a month in Flanders in 2019, about 5 days a month
    assert (normal["temporarily_unemployed"] > 40_000).all()
    assert (normal["temporarily_unemployed_full"] == 0).all()
    days = (normal["at_work"] - normal["fte_at_work"]) * 21.7 / normal["temporarily_unemployed"]
    assert ((days > 3) & (days < 8)).all()
    assert m.loc["2020-04", "temporarily_unemployed_full"] > 400_000


def test_the_restructuring_wave_turns_temporary_unemployment_into_job_seekers() -> None:
    overrides = {**SCALE, "simulation.end": "2023-12"}
    base = sim.simulate("basis", seed=3, overrides=overrides).monthly.set_index("month")
    wave = sim.simulate("herstructureringsgolf", seed=3, overrides=overrides).monthly
    wave = wave.set_index("month")
    after = slice("2022-07", "2023-06")
    # about 30,000 jobs go over a year; the temporarily unemployed are dismissed first
    assert 20_000 < wave.loc[after, "restructuring_dismissals"].sum() < 40_000
    assert wave.loc[after, "restructuring_dismissals_tu"].sum() > 10_000
    assert wave.loc["2023-06", "job_seekers"] > base.loc["2023-06", "job_seekers"] + 5_000
    assert wave.loc["2023-06", "employed"] < base.loc["2023-06", "employed"] - 10_000
    # paired: identical up to the end of support
    np.testing.assert_array_equal(wave.loc[:"2022-06"].to_numpy(), base.loc[:"2022-06"].to_numpy())


def test_the_reopening_raises_vacancies_above_2019_from_demand_not_from_vacancy_data(
    basis_run,
) -> None:
    m = basis_run.monthly.set_index("month")
    rate_2019 = m.loc["2019-01":"2019-12", "vacancy_rate"].mean()
    rate_2022 = m.loc["2022-01":"2022-12", "vacancy_rate"].mean()
    # Statbel: about 3.8% in 2019, a record 5.4% in 2021Q3 and about 5.2% after
    assert rate_2022 > rate_2019 + 0.005
    # the rebound is a level kept after mid-2022 (carried forward), not a spike
    path = basis_run.model.params["shock.reopening_path"]
    assert carried_forward(path, "2020-12") == 0.0
    assert carried_forward(path, "2021-07") == path["2021-06"]
    assert carried_forward(path, "2030-01") == 1.0


def test_a_secondment_can_leave_a_certificate_for_the_host() -> None:
    overrides = {**SCALE, "simulation.end": "2021-12", "worker_sharing.skill_gain": 1.0}
    model = sim.build_model("werknemersdelen", 3, overrides=overrides).run()
    w = model.workers
    certified = np.flatnonzero((w.cert >= 0) & (w.status != Status.SECONDED))
    assert len(certified) > 0
    base = sim.build_model(
        "werknemersdelen", 3, overrides={**overrides, "worker_sharing.skill_gain": 0.0}
    )
    base.run()
    assert np.count_nonzero(base.workers.cert >= 0) < np.count_nonzero(w.cert >= 0)


def test_on_the_job_search_rises_with_tightness_when_cyclical() -> None:
    """With matching.on_the_job_cyclicality > 0, job-to-job moves rise in the tight market
    of 2022 and fall in the slack months of 2020 (against constant search, same seed)."""

    def job_to_job(eta: float):
        monthly = sim.simulate(
            "basis",
            seed=1,
            overrides={
                "simulation.persons_per_agent": 100,  # at 400 the ratios sit near the bounds
                "simulation.end": "2022-12",
                "matching.on_the_job_cyclicality": eta,
            },
        ).monthly.set_index("month")["job_to_job"]
        return monthly["2020-04":"2020-12"].sum(), monthly["2022-01":"2022-12"].sum()

    slack0, tight0 = job_to_job(0.0)
    slack1, tight1 = job_to_job(1.5)
    assert slack1 < 0.8 * slack0
    assert tight1 > 1.2 * tight0


def test_a_shock_on_hours_keeps_jobs_and_their_vacancies_a_shock_on_jobs_closes_them() -> None:
    overrides = {**SCALE, "simulation.end": "2020-06"}
    ratio = {}
    for share in (0.07, 1.0):
        run = sim.simulate("basis", seed=3, overrides={**overrides, "shock.job_share": share})
        m = run.monthly.set_index("month")
        ratio[share] = m.loc["2020-03":"2020-06", "vacancies"].min() / (
            m.loc["2019-01":"2019-12", "vacancies"].mean()
        )
        # the hours lost are on temporary unemployment either way (NBB 2020Q2: -11.7% work
        # volume of employees, -0.8% persons)
        assert m.loc["2020-04", "temporarily_unemployed_full"] > 400_000
    # vacancies 'almost halved' (SRC) when the shock falls on hours; nearly gone on jobs
    assert 0.35 < ratio[0.07] < 0.65
    assert ratio[1.0] < 0.3


def test_a_temporarily_unemployed_worker_holds_a_kept_slot_that_reopens_when_they_leave() -> None:
    model = stepped("basis", 16)  # April 2020, the first lockdown
    kept = model.kept_slots()
    assert kept.sum() > 0  # jobs kept for the temporarily unemployed
    w = model.workers
    tu = np.flatnonzero(w.status == Status.TEMPORARILY_UNEMPLOYED)
    # a class whose every TU worker holds a kept slot and that is not over-staffed
    pool = w.class_counts[Status.TEMPORARILY_UNEMPLOYED, 1:] + w.class_counts[Status.SECONDED, 1:]
    ok = (kept == pool) & (pool > 0) & (model.filled_slots() <= model.slots())
    assert ok.any()
    c = int(np.flatnonzero(ok)[0])
    leaver = tu[w.employer[tu] == c][:1]
    before = int(model.vacancies[c].sum())
    transitions.become_inactive(model, leaver)
    assert model.kept_slots()[c] == kept[c] - 1
    assert model.vacancies[c].sum() == before + 1  # the kept job is replaced
    assert model.filled_slots()[c] + model.vacancies[c].sum() == model.slots()[c]


@pytest.mark.parametrize("scenario", ["basis", "werknemersdelen"])
def test_temporary_unemployment_spells_end_in_recall_move_or_dismissal_each_counted_once(
    scenario: str,
) -> None:
    overrides = {**SCALE, "simulation.end": "2021-12"}
    m = sim.simulate(scenario, seed=3, overrides=overrides).monthly.set_index("month")
    stock = m["temporarily_unemployed_full"]
    inflow = m["tu_inflow"] + m["tu_returned_from_secondment"]
    ends = ["tu_recalled", "hires_from_temporary_unemployment", "layoffs_from_tu"]
    outflow = m[ends].sum(axis=1) + m["tu_ended_other"]
    # TU(t) = TU(t-1) + inflow - recalls - moves - dismissals - other exits, every month
    np.testing.assert_array_equal(stock.diff().iloc[1:], (inflow - outflow).iloc[1:])
    assert stock.iloc[0] == inflow.iloc[0] - outflow.iloc[0]
    shock = m.loc["2020-03":"2021-12"]
    total = shock[ends].sum()
    assert (total > 0).all(), total  # every route is used in the shock
    # most spells end in a recall (RVA: only a small percentage ended in unemployment)
    assert total["tu_recalled"] > 0.8 * total.sum()
    assert total["layoffs_from_tu"] < 0.06 * total.sum()
    if scenario == "werknemersdelen":
        assert shock["tu_ended_other"].sum() > 0 and shock["tu_returned_from_secondment"].sum() > 0


def test_sector_reopening_levels_follow_their_sourced_employment_ranges() -> None:
    from importlib import resources

    import yaml

    from sim.registry import load_registry

    table = yaml.safe_load(resources.files("sim").joinpath("sector_demand.yaml").read_text())
    reg = load_registry()
    level = reg.parameters["shock.reopening_level"].default
    trend = reg.parameters["sector.trend_growth"].default
    assert set(table["sectors"]) == set(reg.sector_ids)  # every sector of the registry
    for sector, rec in table["sectors"].items():
        low, high = rec["index_2022"]
        assert 90 <= low <= high <= 115, sector
        assert rec["sources"], sector
        for src in rec["sources"]:  # publisher, table, date, address: never a vacancy series
            assert {"publisher", "table", "date", "url"} <= set(src), sector
            assert "vacatur" not in src["table"].lower() and "vacanc" not in src["table"], sector
        implied = (low + high) / 200.0 / (1.0 + trend[sector]) ** 3 - 1.0
        assert level[sector] == pytest.approx(implied, abs=5e-4), sector


def test_a_lockdown_slows_matching_only_while_it_lasts() -> None:
    """matching.lockdown_efficiency_loss cuts hires in the lockdown months (vacancies stay
    posted, so more of them are open) and changes nothing before March 2020."""

    def run(loss: float):
        return sim.simulate(
            "basis",
            seed=2,
            overrides={
                **SCALE,
                "simulation.end": "2020-12",
                "matching.lockdown_efficiency_loss": loss,
            },
        ).monthly.set_index("month")

    normal, slow = run(0.0), run(0.6)
    before = ["hires", "job_seekers", "vacancies"]
    assert normal.loc[:"2020-02", before].equals(slow.loc[:"2020-02", before])
    lockdown = slice("2020-04", "2020-06")
    assert slow.loc[lockdown, "hires"].sum() < 0.85 * normal.loc[lockdown, "hires"].sum()
    assert slow.loc["2020-05", "vacancies"] > normal.loc["2020-05", "vacancies"]
    assert slow.loc["2020-12", "job_seekers"] > normal.loc["2020-12", "job_seekers"]


def test_a_secondment_fills_a_vacancy_of_the_borrowing_employer() -> None:
    """The seconded count as filled slots of the host class, whose vacancy closes."""
    model = stepped("basis", 16)  # 2020-04: many temporarily unemployed, care hiring
    w = model.workers
    care = [s.sector_id for s in model.sector_list].index("care")
    lent = np.flatnonzero(w.status == Status.TEMPORARILY_UNEMPLOYED)[:5]
    open_before = model.vacancies.sum(axis=1).copy()
    filled_before = model.filled_slots()
    assert open_before[model.sector_list[care].classes].sum() >= len(lent)
    transitions.start_secondment(model, lent, np.full(len(lent), care), 6)
    host = w.host_employer[lent].astype(np.int64)
    assert (model.class_sector[host] == care).all()
    placed = np.bincount(host, minlength=model.n_classes)
    np.testing.assert_array_equal(model.vacancies.sum(axis=1), open_before - placed)
    np.testing.assert_array_equal(model.filled_slots(), filled_before + placed)
    # the home employer keeps the job (no slot): its class's jobs held are unchanged
    assert (w.status[lent] == Status.SECONDED).all()


def _wave_month(idle_first: bool, idle_weight: float) -> tuple[object, np.ndarray, np.ndarray]:
    """The first month of the restructuring wave: the model, the candidates, the dismissed."""
    from sim.rules import temporary_unemployment
    from sim.state import Status as St

    model = sim.build_model(
        "herstructureringsgolf",
        3,
        overrides={
            "simulation.persons_per_agent": 100,
            "simulation.end": "2022-12",
            "restructuring.idle_first": idle_first,
            "restructuring.idle_weight": idle_weight,
        },
    )
    while model.month != "2022-06":
        model.step()
    w = model.workers
    at_work = np.flatnonzero((w.status == St.EMPLOYED) & w.employee & (w.employer % 3 == 2))
    model.month = "2022-07"  # the wave's first month, as step() would set it
    model.streams.month = model.month_index
    temporary_unemployment.restructure(model)
    return model, at_work, at_work[w.status[at_work] == St.JOB_SEEKER]


def test_the_restructuring_wave_dismisses_the_longest_idle_first_and_where_they_are() -> None:
    """Jobs that stood idle longest go first (``idle_first``), in the classes the support
    carried longest (``idle_weight``): where the training offensive found its participants."""
    from sim.rules.temporary_unemployment import idle_risk

    model, at_work, gone = _wave_month(True, 0.5)
    w = model.workers
    kept = np.setdiff1d(at_work, gone)
    assert len(gone) > 10
    assert w.tu_months[gone].mean() > w.tu_months[kept].mean() + 4
    plain, at_work0, gone0 = _wave_month(False, 0.0)
    idle0 = plain.workers.tu_months
    assert abs(idle0[gone0].mean() - idle0[at_work0].mean()) < 3  # random within the tier
    np.testing.assert_array_equal(idle_risk(plain, at_work0), np.ones(model.n_classes))
    # risk per job: above 1 in horeca (closed longest), below 1 in care; 1 per job on average
    risk = idle_risk(model, at_work)
    shrinking = [s.classes[-1] for s in model.sector_list]
    names = [s.sector_id for s in model.sector_list]
    assert risk[shrinking[names.index("horeca")]] > 1.2
    assert risk[shrinking[names.index("care")]] < 0.9
    n = np.bincount(w.employer[at_work], minlength=model.n_classes)
    assert (n * risk).sum() / n.sum() == pytest.approx(1.0)


def test_a_certificate_raises_the_hiring_chance_in_its_sector_only() -> None:
    """``training.certificate_hire_gain`` multiplies the fit in the certificate's sector."""
    small = {"simulation.persons_per_agent": 5000, "simulation.end": "2019-06"}
    plain = sim.build_model("basis", 1, overrides={**small, "training.certificate_hire_gain": 0})
    gain = sim.build_model("basis", 1, overrides={**small, "training.certificate_hire_gain": 0.3})
    n = plain.n_sectors
    for skill in range(n):
        for cert in range(n):
            row = plain.profiles.row(np.array([skill]), np.array([cert]))[0]
            f0, f1 = plain.profiles.fit[row], gain.profiles.fit[row]
            assert f1[cert] == pytest.approx(min(f0[cert] * 1.3, 1.0))
            others = np.arange(n) != cert
            np.testing.assert_array_equal(f1[others], f0[others])


def test_the_verdict_by_thinning_has_the_probabilities_of_one_draw_after_the_sector() -> None:
    """``matching.verdicts`` draws a first verdict at the profile's best fit, the sector only
    for those that pass, then a second at fit / best fit: each (sector, wanted) must have
    probability weight(sector) / total weight x fit(profile, sector) x person factor."""
    model = sim.build_model("basis", 2, overrides={"simulation.persons_per_agent": 2000})
    for _ in range(6):
        model.step()
    w = model.workers
    seekers = np.flatnonzero(w.status == Status.JOB_SEEKER)[:4]
    n_apps = 200_000
    of = np.repeat(np.arange(len(seekers)), n_apps)
    app_id = np.arange(len(of), dtype=np.int64)
    tables = model.profiles
    profile = tables.row(w.skill[seekers], w.cert[seekers])
    weights = model.by_sector(model.vacancies.sum(axis=1))[None, :] * tables.application_kernel
    cum = np.cumsum(weights, axis=1)
    draws = model.streams.draws("matching")
    index, sector = matching.verdicts(model, draws, seekers, of, app_id, profile, cum)
    person = matching.person_factor(model, seekers)
    for i, r in enumerate(profile):
        share = weights[r] / weights[r].sum()
        expected = share * tables.fit[r] * person[i]
        counts = np.bincount(sector[of[index] == i], minlength=model.n_sectors)
        observed = counts / n_apps
        se = np.sqrt(expected * (1 - expected) / n_apps)
        assert (np.abs(observed - expected) <= 5 * se + 1e-6).all(), (i, observed, expected)
        assert counts.sum() > 100  # enough wanted applications to test
