"""The labour-market model: a Mesa model of work-to-work transitions in Flanders.

One step is one month. Workers, sectors and VDAB are Mesa agents; the worker state lives
in the columns of a :class:`~sim.state.WorkerTable` that the rules in ``sim/rules`` update
for all workers at once (see docs/ODD.md for the process overview and every rule's source).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import mesa
import numpy as np

from sim import arguments, employers, population, transitions
from sim import policies as policy_modules
from sim.agents import VDAB, Sector, Worker
from sim.datacollection import make_datacollector
from sim.months import month_label, months_between
from sim.outputs import Recorder
from sim.registry import Params, load_registry
from sim.rules import (
    demography,
    flows,
    matching,
    separations,
    temporary_unemployment,
    training,
    vacancies,
    vdab,
)
from sim.rules.vacancies import MAX_AGE
from sim.skills import distance_matrix
from sim.state import Status, WorkerTable
from sim.streams import Streams
from sim.worker_agents import ModelAgents, WorkerAgents


def carried_forward(path: dict[str, float], month: str) -> float:
    """The value of ``path`` at ``month``, or at its last listed month before; 0 before all."""
    before = [m for m in path if m <= month]
    return float(path[max(before)]) if before else 0.0


class LabourMarketModel(mesa.Model):
    """Flemish labour market, monthly, from January 2019 (calibration year) to the end month.

    Built as every Mesa model is, with keyword arguments (``sim/arguments.py``)::

        LabourMarketModel(scenario="werknemersdelen", persons_per_agent=1000,
                          worker_sharing_capacity=6000, rng=None)

    Args:
        params: validated parameters (``load_registry().resolve(...)``), as
            :func:`sim.simulate` passes them; then no parameter keywords.
        scenario: preset name, ``a+b``, scenario file, dict of overrides or a Mesa scenario
            (``preset`` is an alias); ``basis`` if None.
        rng: the run's seed (int or numpy SeedSequence); None draws a fresh one (kept in
            ``seed_sequence.entropy``). Every random stream derives from it.
        **parameters: registry parameters by flat name (``worker_sharing_capacity``;
            ``persons_per_agent`` and ``end`` for the simulation settings).

    Attributes:
        datacollector: Mesa DataCollector of the headline columns in persons, collected
            every month (``sim/datacollection.py``).
        running: False once the end month (``simulation.end``) is recorded.
    """

    def __init__(
        self,
        params: Params | None = None,
        *,
        scenario: Any = None,
        rng: int | np.random.SeedSequence | None = None,
        **parameters: Any,
    ) -> None:
        setup = arguments.resolve(params, scenario, rng, parameters)
        self.seed_sequence = setup.seed_sequence
        super().__init__(scenario=setup.mesa_scenario)
        self.scenario_spec = setup.scenario
        self.registry = load_registry()
        self.params = setup.params
        p = self.params
        self.streams = Streams(self.seed_sequence)
        self.start = p["simulation.start"]
        self.n_months = months_between(self.start, p["simulation.end"])
        self.month_index = 0
        self.month = self.start
        self.sector_ids = self.registry.sector_ids
        self.n_sectors = len(self.sector_ids)
        self.intensity_general = 0.0
        self.intensity_closure = 0.0
        self.reopening = 0.0

        # skill distances and the matching tables, per (skill profile, certificate)
        self.distance = distance_matrix(p)
        self.profiles = matching.ProfileTables.build(p, self.distance)

        # agents
        cols = population.initial_population(p, self.streams["init"])
        cols["employer"] = employers.draw_classes(
            cols["sector"], p, self.streams["employers"].random(len(cols["sector"]))
        )
        self.n_classes = self.n_sectors * employers.N_GROWTH
        self.class_sector = np.arange(self.n_classes) // employers.N_GROWTH
        self.workers = WorkerTable(
            capacity=int(len(cols["status"]) * 1.12),
            n_sectors=self.n_sectors,
            n_classes=self.n_classes,
        )
        self.sector_list = [
            Sector(self, i, s.id, s.shortage) for i, s in enumerate(self.registry.sectors)
        ]
        self.vdab = VDAB(self)
        #: every row of the worker table as a Mesa Worker, made when first asked for
        self.worker_agents = WorkerAgents(self)
        self.add_workers(cols)
        self.shortage_mask = np.array([s.shortage for s in self.sector_list])

        # demand = filled slots + open vacancies per employer class, with the 2019 vacancy
        # rate of each sector
        self.vacancies = np.zeros((self.n_classes, MAX_AGE), dtype=np.int64)
        filled = self.workers.class_counts[Status.EMPLOYED, 1:].copy()  # nobody on TU yet
        vr = p["sector.vacancy_rate"][self.class_sector]
        self.class_capacity0 = filled / (1.0 - vr)
        self.class_demand = self.class_capacity0.copy()
        self.class_work = self.class_capacity0.copy()
        # demand per job of class_capacity0 apart from the shock (trend, cycle, rebound):
        # set by employers.update_demand, used to add a new business's job (add_jobs)
        self.class_level = np.ones(self.n_classes)
        self.class_trend = employers.class_trend(p)
        self.class_shares = employers.class_shares(p)
        self.class_exposure = employers.exposure(p)
        self.demand_changed()
        v0 = np.maximum(self.slots() - filled, 0)
        age_share = p["vacancy.initial_age_decay"] ** np.arange(MAX_AGE)
        age_share /= age_share.sum()
        for c in range(self.n_classes):
            self.vacancies[c] = self.streams["init"].multinomial(v0[c], age_share)
        # the market at the start: searchers send matching.applications_per_searcher here
        self.tightness_ref = max(int(v0.sum()) / max(matching.expected_searchers(self), 1.0), 1e-9)
        # open vacancies per unemployed person at the start (procyclical on-the-job search)
        n_unemployed = self.workers.counts[[Status.JOB_SEEKER, Status.TRAINING]].sum()
        self.tightness_u_ref = max(int(v0.sum()) / max(int(n_unemployed), 1), 1e-9)

        temporary_unemployment.start_partial(self)
        #: rows of the workers who searched in the month's matching (matching.run)
        self.searched_rows = np.empty(0, dtype=np.int64)
        self.tally: defaultdict[str, Any] = defaultdict(float)
        self.tally_flows = np.zeros((self.n_sectors, self.n_sectors), dtype=np.int64)
        self.seats_left = np.zeros(4)
        self.policies = policy_modules.build(self)
        self.recorder = Recorder(self)
        self.datacollector = make_datacollector()

    # ------------------------------------------------------------------ structure
    @property
    def sectors(self) -> mesa.agent.AgentSet:
        """The Sector agents."""
        return self.agents_by_type[Sector]

    def add_workers(self, columns: dict[str, np.ndarray | object]) -> np.ndarray:
        """Append workers to the table; their Mesa agents are made when first asked for."""
        rows = self.workers.append(columns)
        if len(rows):
            self.worker_agents.reserve_ids(int(rows[0]), len(rows))
        return rows

    # Mesa's public registry, with the workers (sim/worker_agents.py): Mesa's own code
    # (DataCollector) reads these three properties, not the private dicts behind them.
    @property
    def agents(self) -> ModelAgents:
        """Every agent: the sectors and VDAB (Mesa's registry), then every worker by row."""
        return ModelAgents(super().agents, self.worker_agents)

    @property
    def agents_by_type(self) -> dict[type, mesa.agent.AbstractAgentSet]:
        """Mesa's agent sets by type, with ``Worker`` listing every row."""
        return {**super().agents_by_type, Worker: self.worker_agents}

    @property
    def agent_types(self) -> list[type]:
        """The agent types: Sector, VDAB and Worker."""
        return list(self.agents_by_type)

    # ------------------------------------------------------------------ sector aggregates
    def demand(self) -> np.ndarray:
        """Jobs demanded this month per sector (agent units)."""
        return np.array([s.demand for s in self.sector_list])

    def slots(self) -> np.ndarray:
        """Job slots demanded this month per employer class: demand in whole agents.

        Kept from the last :meth:`demand_changed` (read-only: do not modify).
        """
        return self._slots

    def work_slots(self) -> np.ndarray:
        """Job slots with work this month per employer class: the work volume in whole agents.

        Kept from the last :meth:`demand_changed` (read-only: do not modify).
        """
        return self._work_slots

    def kept_slots(self) -> np.ndarray:
        """Slots kept for the temporarily unemployed per employer class (docs/ODD.md 7.16).

        The jobs the employer keeps (``slots``) above the work of the month
        (``work_slots``; the part of a shock that ``shock.job_share`` leaves on hours), as
        far as temporarily unemployed or seconded-out workers of the class hold them.
        """
        c = self.workers.class_counts
        pool = c[Status.TEMPORARILY_UNEMPLOYED, 1:] + c[Status.SECONDED, 1:]
        return np.minimum(pool, self._slots_beyond_work)

    def filled_slots(self) -> np.ndarray:
        """Filled job slots per employer class: at work there, seconded in, and kept slots.

        The temporarily unemployed and the seconded-out hold a contract with their home
        employer; they hold a slot only where their job is kept (:meth:`kept_slots`), not
        where it is beyond the jobs demanded (docs/ODD.md 7.16). Where a class is not
        over-staffed, filled + open vacancies = demand.
        """
        w = self.workers
        filled = w.class_counts[Status.EMPLOYED, 1:] + self.kept_slots()
        if w.anyone(Status.SECONDED):
            host = w.host_employer[w.status == Status.SECONDED]
            filled += np.bincount(host, minlength=self.n_classes)
        return filled

    def by_sector(self, per_class: np.ndarray) -> np.ndarray:
        """Sum a per-class array (classes first) over each sector's classes."""
        return per_class.reshape(self.n_sectors, employers.N_GROWTH, *per_class.shape[1:]).sum(
            axis=1
        )

    def sector_vacancies(self) -> np.ndarray:
        """Open vacancies per sector and age (sectors x age buckets)."""
        return self.by_sector(self.vacancies)

    def jobs_held_by_class(self) -> np.ndarray:
        """Jobs held per employer class: at work, temporarily unemployed or seconded out."""
        return self.workers.class_counts[: Status.TEMPORARILY_UNEMPLOYED + 1, 1:].sum(axis=0)

    def give_up_jobs(self, jobs: np.ndarray) -> None:
        """Lower each employer class's demand path by ``jobs`` (per class, agent units) for good."""
        d = self.class_demand
        share = np.divide(jobs, d, out=np.zeros(len(d)), where=d > 0)
        self.class_capacity0 *= np.maximum(0.0, 1.0 - share)
        np.maximum(d - jobs, 0.0, out=d)
        np.maximum(self.class_work - jobs, 0.0, out=self.class_work)
        self.demand_changed()

    def demand_changed(self) -> None:
        """What follows from the classes' demand and work volume, after either changed.

        Each sector's demand (the sum over its employer classes) and the job slots in
        whole agents (:meth:`slots`, :meth:`work_slots`), which the transitions read at
        every exit. Whoever writes ``class_demand`` or ``class_work`` calls this.
        """
        for sec, v in zip(
            self.sector_list, self.by_sector(self.class_demand).tolist(), strict=True
        ):
            sec.demand = v
        self._slots = np.rint(self.class_demand).astype(np.int64)
        self._work_slots = np.rint(self.class_work).astype(np.int64)
        self._slots_beyond_work = np.maximum(self._slots - self._work_slots, 0)

    def add_jobs(self, employer: np.ndarray) -> None:
        """Each entry of ``employer`` adds one job to that class's demand path (a new business).

        The job is added to the class's base (``class_capacity0``) in units of this month's
        level without the shock (trend, cycle, rebound): one job now, one job's worth of the
        path later. Scaling the base by ``1 + k / demand`` instead would multiply the class's
        whole path where a shock holds its demand near zero (horeca in a lockdown).
        """
        k = np.bincount(employer, minlength=self.n_classes)
        self.class_capacity0 += k / self.class_level
        self.class_demand += k
        self.class_work += k
        self.demand_changed()

    def jobs_held(self) -> np.ndarray:
        """Jobs held per home sector: at work, temporarily unemployed or seconded out."""
        return self.workers.jobs_held().astype(np.float64)

    def seconded_in(self) -> np.ndarray:
        """Seconded workers per borrowing sector."""
        w = self.workers
        if not w.anyone(Status.SECONDED):  # no pilot running: skip the pass
            return np.zeros(self.n_sectors)
        return np.bincount(w.host[w.status == Status.SECONDED], minlength=self.n_sectors).astype(
            np.float64
        )

    def weak_sector_mask(self) -> np.ndarray:
        """Sectors that shrink structurally or are hit hard (``training.weak_sector_shock``)."""
        shock = np.array([s.shock for s in self.sector_list])
        return (self.params["sector.trend_growth"] < 0) | (
            shock >= self.params["training.weak_sector_shock"]
        )

    def shortage_weights(self) -> np.ndarray:
        """Probability of each sector as a retraining target.

        Shortage sectors weighted by their vacancies open three months or more (plus one).
        """
        weight = np.where(self.shortage_mask, self.sector_vacancies()[:, 3:].sum(axis=1) + 1.0, 0.0)
        return weight / weight.sum()

    # ------------------------------------------------------------------ policy hooks
    def _factor(self, name: str) -> float:
        f = 1.0
        for pol in self.policies:
            f *= pol.factor(name)
        return f

    def tu_search_factor(self) -> float:
        """Multiplier on the search of the temporarily unemployed (policies)."""
        return self._factor("tu_search")

    def tu_accept_factor(self) -> float:
        """Multiplier on acceptance of offers by the temporarily unemployed (policies)."""
        return self._factor("tu_accept")

    def tu_training_factor(self) -> float:
        """Multiplier on own-initiative training uptake of the temporarily unemployed."""
        return self._factor("tu_training")

    def capacity_factor(self, course: int) -> float:
        """Multiplier on the monthly capacity of a course type (policies)."""
        return self._factor(f"capacity_{int(course)}")

    def _policy_stage(self, stage: str) -> None:
        for pol in self.policies:
            getattr(pol, stage)()

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """One month, in the order of docs/ODD.md, 'Process overview and scheduling'.

        Raises:
            RuntimeError: when the end month (``simulation.end``) has already been run.
        """
        if self.month_index >= self.n_months:
            raise RuntimeError(
                f"the simulation ended with {self.month} (simulation.end); "
                "build a new model or set a later end month"
            )
        self.month = month_label(self.start, self.month_index)
        self.streams.month = self.month_index
        p = self.params
        # the path is a turnover loss relative to April 2020's; the curvature maps it to
        # the loss of work (sim/lockdown_paths.py, docs/ODD.md 'Input data')
        self.intensity_general = (
            p["shock.first_wave_path"].get(self.month, 0.0) ** p["shock.general_curvature"]
        )
        self.intensity_closure = p["shock.closure_path"].get(self.month, 0.0)
        self.reopening = carried_forward(p["shock.reopening_path"], self.month)
        transitions.new_month(self)  # the month's counts of job changes start at zero
        self.vdab.spending_eur = 0.0

        self.sectors.do("update_demand")  # each sector's shock
        employers.update_demand(self)  # trend, shock, reopening per employer class
        demography.age(self)
        demography.retire(self)
        demography.enter(self)
        separations.separate(self)  # quits and moves to inactivity
        temporary_unemployment.lay_off(self)  # excess jobs destroyed
        temporary_unemployment.dismiss_from_tu(self)  # TU spells ending in dismissal
        temporary_unemployment.restructure(self)  # a restructuring wave (a scenario)
        temporary_unemployment.adjust(self)  # temporary unemployment and recall
        temporary_unemployment.partial(self)  # partial TU (economic reasons), in any month
        self._policy_stage("after_shocks")  # secondments return, ...
        flows.inactivity_flows(self)
        flows.register(self)
        vdab.register_temporarily_unemployed(self)
        flows.erode_attachment(self)
        training.progress(self)
        training.open_seats(self)
        self._policy_stage("before_training")  # training offensive reaches TU first
        training.take_up(self)
        vdab.counsel(self)
        vacancies.withdraw_old(self)
        vacancies.update(self)
        self._policy_stage("before_matching")  # worker-sharing placements, ...
        matching.run(self)
        self._policy_stage("after_matching")
        self.recorder.record()
        self.datacollector.collect(self)
        self.month_index += 1
        if self.month_index >= self.n_months:
            self.running = False

    def run(self) -> LabourMarketModel:
        """Run every month up to ``simulation.end``."""
        while self.running:
            self.step()
        return self
