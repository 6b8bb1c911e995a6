"""What the model records each month: the tidy tables of a run.

Every column is declared in sim/outputs.yaml (label, unit, kind, dtype, meaning; loaded by
``sim.output_schema``, documented in docs/OUTPUTS.md). Stocks and flows are in persons
(agent counts times ``simulation.persons_per_agent``); rates are shares.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.rules.matching import unemployed_rows, unemployed_search_probability
from sim.rules.temporary_unemployment import WORKING_DAYS
from sim.state import Education, Status, WorkerTable
from sim.transitions import DURATION_BANDS

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: monthly tally counters copied to the monthly table (agent units, scaled to persons)
FLOW_COUNTERS = (
    "hires",
    "separations",
    "layoffs",
    "layoffs_from_tu",
    "dismissals_avoided",
    "restructuring_dismissals",
    "restructuring_dismissals_tu",
    "job_to_job",
    "hires_from_temporary_unemployment",
    "hires_low_educated",
    "entrants",
    "immigrants",
    "retirements",
    "retirements_labour_force",
    "to_inactivity",
    "from_inactivity",
    "vacancies_withdrawn",
    "vacancies_opened_growth",
    "vacancies_replacement",
    "vacancies_closed",
    "attrition",
    "hires_from_unemployment",
    *(f"hires_from_unemployment_{name}" for _, name in DURATION_BANDS),
    "vacancies_at_matching",
    "unemployed_at_matching",
    "job_seekers_at_matching",
    "employed_searchers",
    "inactive_searchers",
    "hires_from_inactivity",
    *(f"unemployed_{name}" for _, name in DURATION_BANDS),
    "tu_inflow",
    "tu_recalled",
    "tu_ended_other",
    "tu_returned_from_secondment",
    "tu_partial_inflow",
    "tu_partial_recalled",
    "training_starts",
    "training_starts_jobseekers",
    "training_starts_tu",
    "training_completions",
    "training_successes",
    "training_dropouts",
    "in_training",
    "counselled",
)
#: counters already in EUR
MONEY_COUNTERS = ("training_spending_eur", "counselling_spending_eur")
BROAD = np.array([0, 0, 0, 1, 1, 2, 3], dtype=np.int8)  # status -> E, U, I, R (transitions)
BROAD_NAMES = ("employment", "unemployment", "inactivity", "retired")
#: columns of the sector table that are not counts of agents (not scaled to persons)
SECTOR_SHARES = frozenset({"shock"})
#: the definitions of the transitions table: the register's states and the survey's
DEFINITIONS = ("register", "ilo")


def broad_states(model: LabourMarketModel, searched: np.ndarray) -> dict[str, np.ndarray]:
    """Each worker's broad state (index of ``BROAD_NAMES``) in both definitions.

    ``register``: employment (at work, seconded or temporarily unemployed), unemployment
    (job seekers, registered or not, and job seekers in a course), inactivity, retired.
    ``ilo``: the same, except that a job seeker who did not search (rows not in
    ``searched``) is inactive, as the labour force survey counts them
    (:func:`ilo_unemployed`).
    """
    # take, not BROAD[status]: indexing with an int8 array took 82 us at 44,000 rows,
    # take 30 (it converts the indices in one go)
    register = BROAD.take(model.workers.status)
    ilo = register.copy()
    not_searched = ilo == 1  # unemployed in the register's definition ...
    not_searched[searched] = False  # ... who did not search
    ilo[not_searched] = 2
    return {"register": register, "ilo": ilo}


def searched_at_start(model: LabourMarketModel) -> np.ndarray:
    """Job seekers who count as searching in the state at the start (no matching has run).

    A keyed draw (process ``ilo_start``) with this month's search probabilities
    (``matching.unemployed_search_probability``), so that the first year's transitions in
    the survey's definition start from a comparable state.
    """
    rows = unemployed_rows(model)
    u = model.streams.draws("ilo_start").uniform(rows, "searched")
    return rows[u < unemployed_search_probability(model, rows)]


def ilo_unemployed(model: LabourMarketModel) -> int:
    """Unemployed in the ILO sense this month, in agents: job seekers who searched.

    The labour force survey counts as unemployed who is without work, has looked for work
    actively in the past four weeks and can start within two weeks (Statbel, 'Enquête naar
    de arbeidskrachten'); VDAB's job seekers (``job_seekers``) count who is registered,
    whether or not they searched. Here: the job seekers, registered or not, and the job
    seekers in a course who searched in this month's matching (``matching.searchers``:
    ``matching.search_registered``, ``..._unregistered``, ``..._in_training``, each x
    attachment) and did not find a job. The passive searchers among the inactive stay
    inactive, as the survey's 'marginally attached' do.
    """
    rows = model.searched_rows
    status = model.workers.status[rows]
    return int(np.count_nonzero((status == Status.JOB_SEEKER) | (status == Status.TRAINING)))


def employment_20_64(w: WorkerTable) -> tuple[int, int, float, float, float]:
    """Population and employment 20-64 in agents, and the employment rates of three groups.

    Returns (population 20-64, employed 20-64, employment rate 20-64 of the low-educated,
    of those aged 50-64, of those with low digital skills); a rate is NaN for an empty
    group. Counts of masks, about three times faster here than one bincount over a
    combined key.
    """
    age, st = w.age_months, w.status
    in_age = (age >= 240) & (age < 780)
    working = in_age & (st <= Status.TEMPORARILY_UNEMPLOYED)  # employed, 20-64

    def rate(group: np.ndarray) -> float:
        """Employment rate 20-64 of the workers in the ``group`` mask."""
        n = int(np.count_nonzero(in_age & group))
        return int(np.count_nonzero(working & group)) / n if n else float("nan")

    return (
        int(np.count_nonzero(in_age)),
        int(np.count_nonzero(working)),
        rate(w.education == Education.LOW),
        rate(age >= 600),
        rate(w.low_digital),
    )


def register_counts(w: WorkerTable) -> tuple[int, int, int]:
    """VDAB's register in agents.

    Returns (registered job seekers, of whom unemployed 12 months or longer, temporarily
    unemployed known to VDAB).
    """
    st, registered = w.status, w.registered
    registered_js = registered & (st == Status.JOB_SEEKER)
    n_js = int(np.count_nonzero(registered_js))
    n_long = int(np.count_nonzero(registered_js & (w.unemployment_months >= 12)))
    tu_known = 0
    if w.anyone(Status.TEMPORARILY_UNEMPLOYED):  # most months: nobody on full TU
        tu_known = int(np.count_nonzero(registered & (st == Status.TEMPORARILY_UNEMPLOYED)))
    return n_js, n_long, tu_known


class Recorder:
    """Collects one row per month (and per month and sector) during a run."""

    def __init__(self, model: LabourMarketModel) -> None:
        self.model = model
        self.rows: list[dict[str, Any]] = []
        self.sector_rows: list[dict[str, np.ndarray]] = []
        self.flow_by_year: dict[int, np.ndarray] = {}
        self.snapshots: dict[int, tuple[dict[str, np.ndarray], np.ndarray]] = {}
        # the state at the start stands for December of the year before, so that the
        # transitions table has the first simulated year (2019: before the shocks)
        start_year = int(model.params["simulation.start"][:4])
        w = model.workers
        states = broad_states(model, searched_at_start(model))
        self.snapshots[start_year - 1] = (states, w.age_months.copy())

    def record(self) -> None:
        """Record the month that just ended."""
        m = self.model
        w = m.workers
        ppa = m.params["simulation.persons_per_agent"]
        # workers per status as Python ints: the sums of a few of them below cost a
        # fraction of numpy's fixed cost per call
        c = w.status_counts().tolist()
        full_tu = c[Status.TEMPORARILY_UNEMPLOYED]
        at_work = c[Status.EMPLOYED] + c[Status.SECONDED]
        employed = at_work + full_tu  # at work, seconded out or temporarily unemployed
        n_js, n_long, tu_known = register_counts(w)
        unemployed_ilo = ilo_unemployed(m)
        vac = m.sector_vacancies()
        # integer counts: the totals follow from the sectors' sums, each summed once
        vac_by_sector = vac.sum(axis=1)
        open_3m_by_sector = vac[:, 3:].sum(axis=1)
        v_total = int(vac_by_sector.sum())
        # int32: at most 21 days a row, no overflow below 100 million rows; twice as fast
        partial_days = int(w.tu_days.sum(dtype=np.int32))
        n_partial = int(np.count_nonzero(w.tu_days))
        pop, n_employed, rate_low_edu, rate_50_64, rate_low_digital = employment_20_64(w)
        row: dict[str, Any] = {
            "month": m.month,
            "population_20_64": pop * ppa,
            "labour_force": (employed + c[Status.JOB_SEEKER] + c[Status.TRAINING]) * ppa,
            "employed": employed * ppa,
            "at_work": at_work * ppa,
            "employment_rate_20_64": n_employed / pop if pop else np.nan,
            "temporarily_unemployed": (full_tu + n_partial) * ppa,
            "temporarily_unemployed_full": full_tu * ppa,
            "temporarily_unemployed_partial": n_partial * ppa,
            "fte_at_work": (at_work - partial_days / WORKING_DAYS) * ppa,
            "seconded": c[Status.SECONDED] * ppa,
            "job_seekers": n_js * ppa,
            "job_seekers_long_term": n_long * ppa,
            "long_term_share": float(n_long / n_js) if n_js else np.nan,
            "job_seekers_unregistered": (c[Status.JOB_SEEKER] - n_js) * ppa,
            "job_seekers_in_training": c[Status.TRAINING] * ppa,
            "unemployed_ilo": unemployed_ilo * ppa,
            "unemployment_rate_ilo": unemployed_ilo / (employed + unemployed_ilo)
            if employed + unemployed_ilo
            else np.nan,
            "inactive": c[Status.INACTIVE] * ppa,
            "retired": c[Status.RETIRED] * ppa,
            "vacancies": v_total * ppa,
            "vacancy_rate": v_total / (v_total + at_work) if v_total + at_work else np.nan,
            "vacancies_open_3m": int(open_3m_by_sector.sum()) * ppa,
            "vacancies_open_3m_shortage": int(open_3m_by_sector[m.shortage_mask].sum()) * ppa,
            "tu_known_to_vdab": tu_known * ppa,
            "employment_rate_low_educated": rate_low_edu,
            "employment_rate_50_64": rate_50_64,
            "employment_rate_low_digital": rate_low_digital,
        }
        tally = m.tally
        row.update({key: int(tally.get(key, 0)) * ppa for key in FLOW_COUNTERS})
        row.update({key: float(tally.get(key, 0.0)) for key in MONEY_COUNTERS})
        row["sector_moves"] = int(m.tally_flows.sum() - m.tally_flows.trace()) * ppa
        row["vdab_spending_eur"] = float(m.vdab.spending_eur)
        tu = w.counts[Status.TEMPORARILY_UNEMPLOYED, 1:]
        row["sectors_with_tu_and_vacancies"] = int(np.count_nonzero((tu > 0) & (vac_by_sector > 0)))
        for pol in m.policies:
            row.update(pol.record())
        self.rows.append(row)

        # the sector table and the flows between sectors are kept in agents (one product
        # fewer per column and month); sectors() and sector_flows() scale them to persons
        slots, filled = m.slots(), m.filled_slots()
        self.sector_rows.append(
            {
                "employed": w.jobs_held(),
                "temporarily_unemployed": tu,  # rows of w.counts: read-only, never updated
                "seconded_out": w.counts[Status.SECONDED, 1:],
                "seconded_in": m.seconded_in().astype(np.int64),
                "vacancies": vac_by_sector,
                "vacancies_open_3m": open_3m_by_sector,
                "hires": tally["hires_by_sector"].copy(),
                "separations": tally["separations_by_sector"].copy(),
                "moves_out": tally["moves_out_by_sector"].copy(),
                "retirements": tally["retirements_by_sector"].copy(),
                "demand": m.by_sector(slots),
                "filled": m.by_sector(np.minimum(filled, slots)),
                "over_staffing": m.by_sector(np.maximum(filled - slots, 0)),
                "shock": np.array([s.shock for s in m.sector_list]),
            }
        )
        year = int(m.month[:4])
        if year not in self.flow_by_year:
            self.flow_by_year[year] = np.zeros_like(m.tally_flows)
        self.flow_by_year[year] += m.tally_flows
        if m.month.endswith("-12"):
            self.snapshots[year] = (broad_states(m, m.searched_rows), w.age_months.copy())

    # ------------------------------------------------------------------ tables
    def monthly(self) -> pd.DataFrame:
        """One row per month."""
        return pd.DataFrame(self.rows)

    def sectors(self) -> pd.DataFrame:
        """One row per month and sector."""
        m = self.model
        months = [r["month"] for r in self.rows]
        n = m.n_sectors
        data: dict[str, Any] = {
            "month": np.repeat(months, n),
            "sector": np.tile(m.sector_ids, len(months)),
        }
        ppa = m.params["simulation.persons_per_agent"]
        for key in self.sector_rows[0]:
            column = np.concatenate([r[key] for r in self.sector_rows])
            data[key] = column if key in SECTOR_SHARES else column * ppa  # agents to persons
        return pd.DataFrame(data)

    def transitions(self) -> pd.DataFrame:
        """Yearly transition shares between employment, unemployment and inactivity.

        From December of year y-1 to December of year y, among persons aged 20-64 and not
        retired in December y-1 (so school leavers who entered in between are excluded);
        'retired' is an exit state. In two definitions (:func:`broad_states`): the
        register's (VDAB job seekers are unemployed) and the labour force survey's (only
        those who searched in the month), which is the one of Statbel's transition shares.
        """
        out = []
        years = sorted(self.snapshots)
        ppa = self.model.params["simulation.persons_per_agent"]
        for y0, y1 in itertools.pairwise(years):
            states0, a0 = self.snapshots[y0]
            states1, _ = self.snapshots[y1]
            for definition in DEFINITIONS:
                s0, s1 = states0[definition], states1[definition]
                keep = (a0 >= 240) & (a0 < 780) & (s0 < 3)
                a, b = s0[keep], s1[: len(s0)][keep]
                mat = np.bincount(a * 4 + b, minlength=12).reshape(3, 4)
                for i in range(3):
                    tot = mat[i].sum()
                    for j in range(4):
                        out.append(
                            {
                                "year": y1,
                                "definition": definition,
                                "from": BROAD_NAMES[i],
                                "to": BROAD_NAMES[j],
                                "persons": int(mat[i, j]) * ppa,
                                "share": mat[i, j] / tot if tot else np.nan,
                            }
                        )
        return pd.DataFrame(out)

    def sector_flows(self) -> pd.DataFrame:
        """Hires by previous sector and new sector, per year (persons)."""
        ids = self.model.sector_ids
        ppa = self.model.params["simulation.persons_per_agent"]
        out = []
        for year, agents in sorted(self.flow_by_year.items()):
            mat = agents * ppa
            for i, a in enumerate(ids):
                for j, b in enumerate(ids):
                    if mat[i, j]:
                        out.append(
                            {
                                "year": year,
                                "from_sector": a,
                                "to_sector": b,
                                "persons": int(mat[i, j]),
                            }
                        )
        return pd.DataFrame(out, columns=["year", "from_sector", "to_sector", "persons"])
