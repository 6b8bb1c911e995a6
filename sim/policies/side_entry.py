"""Side entry into care and teaching, with the seniority barrier for older workers.

Source: section 2.3 (side entry into care and teaching jobs; speerpunt 16: focus on care
and education) and a member's remark that few people aged 40-50+ move into teaching when
they cannot carry their seniority.

Each month in ``[start, end]``, workers aged 25-59 outside the target sectors (at work,
temporarily unemployed, or registered job seekers at ``jobseeker_factor`` times the rate)
enter a target sector through a side-entry route with ``rate`` per month; those aged 40+
with ``factor_40plus`` when their seniority is not carried over, ``factor_40plus_seniority``
when it is (``seniority_carried``, the lever). The target sector is drawn with weight
``target_weight`` x open vacancies, capped by its open vacancies; an entrant fills one of
its oldest vacancies, takes the target sector's skill profile (learning on the job) and
is hired as an employee.

Costs (assumptions): ``cost_per_entrant`` (guidance and qualification) and, for entrants
40+ when seniority is carried, ``seniority_cost`` per month while they work in the sector.
Events are drawn by sparse sampling (no pass over all workers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import transitions
from sim.policies.base import FLAG_SIDE_ENTRY
from sim.policies.budget import Lever
from sim.policies.sparse import sample_rows
from sim.rules.sampling import at_most_by_group
from sim.state import NO_SECTOR, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


class SideEntry(Lever):
    """Side-entry routes into care and education."""

    name = "side_entry"
    ENVELOPES = ("total",)

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.target_w = self.p["side_entry.target_weight"].copy()
        self.seniority = bool(self.p["side_entry.seniority_carried"])
        self.f40 = (
            self.p["side_entry.factor_40plus_seniority"]
            if self.seniority
            else self.p["side_entry.factor_40plus"]
        )
        self.older = np.empty(0, dtype=np.int64)  # entrants 40+ with seniority carried

    def after_shocks(self) -> None:
        """Pay the carried seniority of entrants 40+ still in their target sector."""
        super().after_shocks()
        if len(self.older):
            w = self.model.workers
            o = self.older
            self.older = o[
                (w.status[o] <= Status.TEMPORARILY_UNEMPLOYED)
                & (self.target_w[np.maximum(w.sector[o], 0)] > 0)
                & (w.sector[o] != NO_SECTOR)
            ]
            self.spend(len(self.older) * self.p["side_entry.seniority_cost"] * self.ppa)

    def before_matching(self) -> None:
        """Draw this month's side entrants and place them in open vacancies."""
        if not self.active(self.p["side_entry.start"], self.p["side_entry.end"]):
            return
        m, w = self.model, self.model.workers
        rate, jsf = self.p["side_entry.rate"], self.p["side_entry.jobseeker_factor"]
        rows = sample_rows(w.n, rate * max(jsf, 1.0), self.rng)
        if len(rows) == 0:
            return
        st, age = w.status[rows], w.age_months[rows]
        p = np.where(st <= Status.TEMPORARILY_UNEMPLOYED, rate, 0.0)
        p = np.where((st == Status.JOB_SEEKER) & w.registered[rows], rate * jsf, p)
        p = np.where((age < 25 * 12) | (age >= 60 * 12), 0.0, p)
        p = np.where(age >= 40 * 12, p * self.f40, p)
        inside = (self.target_w[np.maximum(w.sector[rows], 0)] > 0) & (w.sector[rows] != NO_SECTOR)
        p = np.where(inside, 0.0, p)
        rows = rows[self.rng.random(len(rows)) * rate * max(jsf, 1.0) < p]
        open_v = m.by_sector(m.vacancies.sum(axis=1)).astype(np.float64)
        weight = self.target_w * open_v
        if len(rows) == 0 or weight.sum() <= 0:
            return
        target = self.rng.choice(m.n_sectors, size=len(rows), p=weight / weight.sum())
        keep = at_most_by_group(
            np.arange(len(rows)),
            target,
            open_v.astype(np.int64),
            self.rng.random(len(rows)),
        )
        rows, target = rows[keep], target[keep]
        months_left = max(m.n_months - m.month_index, 1)
        older = w.age_months[rows] >= 40 * 12
        cost = self.p["side_entry.cost_per_entrant"] + np.where(
            older & self.seniority, self.p["side_entry.seniority_cost"] * months_left, 0.0
        )
        order = np.argsort(rows)
        rows, target, cost = rows[order], target[order], cost[order]
        kept = np.sort(self.affordable(rows, cost))
        idx = np.searchsorted(rows, kept)
        rows, target, cost = kept, target[idx], cost[idx]
        if len(rows) == 0:
            return
        employer = transitions.fill_oldest(m, target)
        transitions.enter_jobs(m, rows, employer, employee=True)
        transitions.end_courses(m, rows)
        w.skill[rows] = target  # the entrant learns the target sector's trade on the job
        w.flags[rows] |= np.int8(FLAG_SIDE_ENTRY)
        self.take(rows)
        self.spend(len(rows) * self.p["side_entry.cost_per_entrant"] * self.ppa)
        self.commit(float(cost.sum()) * self.ppa)
        if self.seniority:
            self.older = np.concatenate([self.older, rows[w.age_months[rows] >= 40 * 12]])
