"""The Mesa agents: Worker, Sector and VDAB.

Workers are thin views on rows of the model's :class:`~sim.state.WorkerTable`: every
attribute reads the same numpy column that the vectorised monthly update writes, so there is
one source of truth and no per-worker Python call in the step. Sectors and VDAB are few
and hold their own small state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.employers import N_GROWTH
from sim.state import COURSE_NAMES, NO_SECTOR, Course, Education, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


class Worker(mesa.Agent):
    """A worker (standing for ``simulation.persons_per_agent`` persons).

    Attributes are read-only views of row ``row`` of ``model.workers``; the rules in
    ``sim/rules`` change that state for all workers at once. Workers are made on demand by
    ``model.worker_agents`` (``sim/worker_agents.py``), which lists them for
    ``model.agents_by_type[Worker]``; they do not pass through Mesa's ``register_agent``.
    """

    def __init__(self, model: LabourMarketModel, row: int, unique_id: int) -> None:
        # not super().__init__: that registers each agent with Mesa (4.5 µs and ~280 bytes
        # a worker); the model's WorkerAgents view is the registry of workers
        self.model = model
        self.unique_id = int(unique_id)
        self.pos = None
        self.row = int(row)

    def remove(self) -> None:
        """Refused: a worker keeps its row for the whole run (a retired worker too)."""
        raise TypeError(
            "a Worker cannot be removed: workers are rows of model.workers and stay "
            "(retirement is a status)"
        )

    def _col(self, name: str):
        return getattr(self.model.workers, name)[self.row]

    @property
    def status(self) -> Status:
        """Labour status."""
        return Status(int(self._col("status")))

    def _sector_id(self, code: int) -> str | None:
        return None if code == NO_SECTOR else self.model.sector_ids[code]

    @property
    def sector(self) -> str | None:
        """Sector of the (home) employer, or the last sector; None if never worked."""
        return self._sector_id(int(self._col("sector")))

    @property
    def host_sector(self) -> str | None:
        """Borrowing sector while seconded, else None."""
        return self._sector_id(int(self._col("host")))

    @property
    def skill_profile(self) -> str:
        """Sector whose skill profile the worker holds (changes with retraining)."""
        return self.model.sector_ids[int(self._col("skill"))]

    @property
    def certificate(self) -> str | None:
        """Sector of a short-module certificate, if any."""
        return self._sector_id(int(self._col("cert")))

    @property
    def age(self) -> float:
        """Age in years."""
        return int(self._col("age_months")) / 12.0

    @property
    def education(self) -> Education:
        """Education level."""
        return Education(int(self._col("education")))

    @property
    def low_digital(self) -> bool:
        """True when the worker lacks basic digital skills."""
        return bool(self._col("low_digital"))

    @property
    def self_employed(self) -> bool:
        """True for the self-employed."""
        return not bool(self._col("employee"))

    @property
    def months_in_status(self) -> int:
        """Months since the last change of status."""
        return int(self._col("months_in_status"))

    @property
    def unemployment_months(self) -> int:
        """Months of the current unemployment spell (0 when not unemployed)."""
        return int(self._col("unemployment_months"))

    @property
    def attachment(self) -> float:
        """Attachment to work, 0..1 (erodes in long spells out of work)."""
        return float(self._col("attachment"))

    @property
    def registered(self) -> bool:
        """Known to VDAB (registered job seeker, or temporarily unemployed after the lag)."""
        return bool(self._col("registered"))

    @property
    def course(self) -> str | None:
        """Current VDAB course type, or None."""
        code = int(self._col("course"))
        return None if code == Course.NONE else COURSE_NAMES[Course(code)]

    def as_dict(self) -> dict[str, object]:
        """All attributes in one dict (for inspection and the dashboard)."""
        return {
            "row": self.row,
            "status": self.status.name.lower(),
            "sector": self.sector,
            "host_sector": self.host_sector,
            "skill_profile": self.skill_profile,
            "certificate": self.certificate,
            "age": self.age,
            "education": self.education.name.lower(),
            "low_digital": self.low_digital,
            "self_employed": self.self_employed,
            "months_in_status": self.months_in_status,
            "unemployment_months": self.unemployment_months,
            "attachment": round(self.attachment, 3),
            "registered": self.registered,
            "course": self.course,
        }

    def __repr__(self) -> str:
        return f"Worker(row={self.row}, {self.status.name.lower()}, sector={self.sector})"


class Sector(mesa.Agent):
    """A sector of the Flemish economy: labour demand, vacancies, shortage.

    Its employers are three classes (growing, stable, shrinking; ``classes``), each with its
    own demand and vacancy stock, kept by age in months (``model.vacancies[class, age]``)
    so that vacancies open three months or more (shortage) can be counted.
    """

    def __init__(
        self, model: LabourMarketModel, index: int, sector_id: str, shortage: bool
    ) -> None:
        super().__init__(model)
        self.index = index
        self.sector_id = sector_id
        self.shortage = shortage
        #: the sector's employer classes (growing, stable, shrinking; sim/employers.py)
        self.classes = np.arange(index * N_GROWTH, (index + 1) * N_GROWTH)
        self.demand = 0.0  # jobs demanded this month (sum over its classes), in agent units
        self.shock = 0.0  # share of demand lost to shocks this month
        self.job_shock = 0.0  # share of the jobs employers keep lost to shocks this month

    def update_demand(self) -> None:
        """The sector's shock this month (its employer classes' demand follows in one pass).

        Shock: general lockdown intensity times ``shock.first_wave_sensitivity`` plus
        closure intensity times ``shock.closure_sensitivity``, capped at 1: the work lost.
        Job shock: the same with the general part times ``shock.job_share`` and the
        closure part times ``shock.closure_job_share``: the jobs employers give up. The demand of
        the sector's employer classes (trend, shock by exposure, reopening) is set for all
        sectors at once by :func:`sim.employers.update_demand`.
        """
        m = self.model
        p = m.params
        general = p["shock.first_wave_sensitivity"][self.index] * m.intensity_general
        closure = p["shock.closure_sensitivity"][self.index] * m.intensity_closure
        self.shock = min(1.0, general + closure)
        # the part of the shock that removes jobs, not only hours (docs/ODD.md 7.1)
        self.job_shock = min(
            1.0, p["shock.job_share"] * general + p["shock.closure_job_share"] * closure
        )

    @property
    def label(self) -> str:
        """Dutch label (see ``label_in`` for English)."""
        return self.model.registry.sector_label(self.sector_id, "nl")

    def label_in(self, lang: str) -> str:
        """Label in ``lang``."""
        return self.model.registry.sector_label(self.sector_id, lang)

    @property
    def vacancies(self) -> int:
        """Open vacancies (agent units)."""
        return int(self.model.vacancies[self.classes].sum())

    @property
    def vacancies_open_3m(self) -> int:
        """Vacancies open three months or more (agent units)."""
        return int(self.model.vacancies[self.classes, 3:].sum())

    def __repr__(self) -> str:
        return f"Sector({self.sector_id})"


class VDAB(mesa.Agent):
    """The Flemish public employment service.

    Registers job seekers and (after the RVA data lag) temporarily unemployed workers,
    counsels within its capacity, runs its courses and books what it spends. The rules it
    applies are in ``sim/rules/vdab.py`` and ``sim/rules/training.py``.
    """

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.spending_eur = 0.0  # this month
        self.spending_total_eur = 0.0  # since the start

    def book(self, amount_eur: float) -> None:
        """Add spending of this month (EUR)."""
        self.spending_eur += amount_eur
        self.spending_total_eur += amount_eur

    def __repr__(self) -> str:
        return "VDAB()"
