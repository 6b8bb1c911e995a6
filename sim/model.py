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

from sim import arguments, population, transitions
from sim import policies as policy_modules
from sim.agents import VDAB, Sector, Worker
from sim.datacollection import make_datacollector
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


def month_label(start: str, index: int) -> str:
    """'YYYY-MM' of the month ``index`` months after ``start``."""
    y, m = int(start[:4]), int(start[5:7]) - 1 + index
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def months_between(start: str, end: str) -> int:
    """Number of months from ``start`` to ``end`` inclusive."""
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1


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

        # skill distances and the matching tables, per (skill profile, certificate)
        self.distance = distance_matrix(p)
        self.profiles = matching.ProfileTables.build(p, self.distance)

        # agents
        cols = population.initial_population(p, self.streams["init"])
        self.workers = WorkerTable(
            capacity=int(len(cols["status"]) * 1.12), n_sectors=self.n_sectors
        )
        self.sector_list = [
            Sector(self, i, s.id, s.shortage) for i, s in enumerate(self.registry.sectors)
        ]
        self.vdab = VDAB(self)
        self.worker_agents: list[Worker] = []
        self.add_workers(cols)
        self.shortage_mask = np.array([s.shortage for s in self.sector_list])

        # sector capacity so that the initial vacancy stock matches the vacancy rate
        held = self.jobs_held()
        vr = p["sector.vacancy_rate"]
        h = p["vacancy.persistent_share"]
        for s, sec in enumerate(self.sector_list):
            sec.capacity0 = held[s] / (1.0 - (1.0 - h) * vr[s])
            sec.demand = sec.capacity0
        self.vacancies = np.zeros((self.n_sectors, MAX_AGE), dtype=np.int64)
        v0 = np.rint(vr * self.demand()).astype(np.int64)
        age_share = p["vacancy.initial_age_decay"] ** np.arange(MAX_AGE)
        age_share /= age_share.sum()
        for s in range(self.n_sectors):
            self.vacancies[s] = self.streams["init"].multinomial(v0[s], age_share)

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
        """Append workers to the table and create their Mesa agents."""
        rows = self.workers.append(columns)
        self.worker_agents.extend([Worker(self, r) for r in rows.tolist()])
        return rows

    # ------------------------------------------------------------------ sector aggregates
    def demand(self) -> np.ndarray:
        """Jobs demanded this month per sector (agent units)."""
        return np.array([s.demand for s in self.sector_list])

    def jobs_held(self) -> np.ndarray:
        """Jobs held per home sector: at work, temporarily unemployed or seconded out."""
        return self.workers.jobs_held().astype(np.float64)

    def seconded_in(self) -> np.ndarray:
        """Seconded workers per borrowing sector."""
        w = self.workers
        if not w.counts[Status.SECONDED].any():  # no pilot running: skip the pass
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
        weight = np.where(self.shortage_mask, self.vacancies[:, 3:].sum(axis=1) + 1.0, 0.0)
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
        self.intensity_general = p["shock.first_wave_path"].get(self.month, 0.0)
        self.intensity_closure = p["shock.closure_path"].get(self.month, 0.0)
        transitions.new_month(self)  # the month's counts of job changes start at zero
        self.vdab.spending_eur = 0.0

        self.sectors.do("update_demand")  # trend and shocks
        demography.age(self)
        demography.retire(self)
        demography.enter(self)
        separations.separate(self)  # quits and moves to inactivity
        temporary_unemployment.lay_off(self)  # excess jobs destroyed
        temporary_unemployment.adjust(self)  # temporary unemployment and recall
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
