"""The offer for dismissed workers not entitled to outplacement (from 1 March 2021).

Source: section 2.3: for dismissed workers without a right to outplacement the minister
provides a new offer from 1 March 2021: short career conversations, then a tailored
trajectory where needed, to reorient them to a new job as fast as possible.

Each month in ``[start, end]``, workers who lost their job this month (separation or
layoff; registered or not) and are younger than ``max_age`` (outplacement is a right from
45, CAO 82) take part with ``uptake``, within ``capacity`` a month. A participant registers
with VDAB, has a career talk, and is followed for ``trajectory_months``: while a job
seeker they send the extra applications of a counselled job seeker; a share
``training_referral`` is referred to a VDAB course at once (regular seats).

Costs (assumptions): ``talk_cost`` per participant, ``trajectory_cost`` per month followed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.base import FLAG_DISMISSED
from sim.policies.budget import Lever
from sim.rules import training
from sim.rules.sampling import lowest
from sim.state import NO_SECTOR, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


class DismissedOffer(Lever):
    """Career talk and trajectory for dismissed workers."""

    name = "dismissed_offer"
    ENVELOPES = ("total", "training_career", "vdab_partners")

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.rows = np.empty(0, dtype=np.int64)
        self.left = np.empty(0, dtype=np.int16)
        self.referred = np.empty(0, dtype=np.int64)  # this month's referrals to a course
        self.unit = (
            self.p["dismissed_offer.talk_cost"]
            + self.p["dismissed_offer.trajectory_cost"]
            * self.p["dismissed_offer.trajectory_months"]
        )

    def after_shocks(self) -> None:
        """Take up this month's dismissed workers; trajectories run a month."""
        super().after_shocks()
        w = self.model.workers
        if len(self.rows):
            st = w.status[self.rows]
            on = (self.left > 0) & ((st == Status.JOB_SEEKER) | (st == Status.TRAINING))
            self.rows, self.left = self.rows[on], self.left[on] - 1
            self.spend(len(self.rows) * self.p["dismissed_offer.trajectory_cost"] * self.ppa)
        if not self.active(
            self.p["dismissed_offer.start"], self.p["dismissed_offer.end"]
        ) or self.out_of_budget(self.unit):
            return
        new = np.flatnonzero(
            (w.status == Status.JOB_SEEKER)
            & (w.months_in_status == 0)
            & (w.unemployment_months == 0)
            & (w.sector != NO_SECTOR)
            & (w.age_months < self.p["dismissed_offer.max_age"] * 12)
            & ((w.flags & FLAG_DISMISSED) == 0)
        )
        new = new[self.rng.random(len(new)) < self.p["dismissed_offer.uptake"]]
        new = lowest(
            new, self.p["dismissed_offer.capacity"] / self.ppa, self.draws.uniform(new, "capacity")
        )
        new = self.affordable(new, self.unit)
        if len(new) == 0:
            return
        w.registered[new] = True
        w.flags[new] |= np.int8(FLAG_DISMISSED)
        self.take(new)
        self.spend(len(new) * self.p["dismissed_offer.talk_cost"] * self.ppa)
        self.commit(len(new) * self.unit * self.ppa)
        self.rows = np.concatenate([self.rows, new])
        self.left = np.concatenate(
            [
                self.left,
                np.full(len(new), self.p["dismissed_offer.trajectory_months"], dtype=np.int16),
            ]
        )
        self.referred = new[self.rng.random(len(new)) < self.p["dismissed_offer.training_referral"]]

    def before_training(self) -> None:
        """Refer a share of this month's participants to a course."""
        if len(self.referred):
            training.enrol(
                self.model,
                self.referred,
                self.draws,
                "training_starts_dismissed_offer",  # the draws' tag; no column of its own
                count=False,
            )
        self.referred = self.referred[:0]

    def before_matching(self) -> None:
        """Participants in their trajectory search with VDAB's support."""
        if len(self.rows):
            w = self.model.workers
            r = self.rows[w.status[self.rows] == Status.JOB_SEEKER]
            w.counselled[r] = True
