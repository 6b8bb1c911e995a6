"""Transition premium to entrepreneurship, widened from 1 April 2021 to April 2022.

Source: minister's answer: an income support of EUR 15,600 per person; job seekers over
45 (the existing premium), widened temporarily to those under 30 and to disadvantaged
groups (low-educated, disability, born outside the EU); 650 extra premiums cost about
EUR 10 million; a completed pre-starter trajectory is required.

Each month in ``[start, end]``, registered job seekers under 30 or low-educated (the
model's proxy for the disadvantaged groups; ``include_45plus`` adds the 45+ premium that
exists already) start as self-employed with ``start_rate`` (per month, including the
pre-starter trajectory), up to ``max_premiums`` premiums in all. A starter becomes employed
with ``employee = False`` in the sector of their skill profile; the new business adds its
own job to that sector's demand. The premium is booked when paid out (``premium_eur``).
"""

from __future__ import annotations

import numpy as np

from sim import transitions
from sim.policies.base import FLAG_PREMIUM
from sim.policies.budget import Lever
from sim.state import Education, Status


class TransitionPremium(Lever):
    """Premium for job seekers who start as self-employed."""

    name = "transition_premium"
    ENVELOPES = ("total",)

    def before_matching(self) -> None:
        """Eligible job seekers start their own business."""
        if not self.active(self.p["transition_premium.start"], self.p["transition_premium.end"]):
            return
        m, w = self.model, self.model.workers
        unit = self.p["transition_premium.premium_eur"]
        left = int(self.p["transition_premium.max_premiums"] / self.ppa) - self.participants_total
        if left <= 0 or self.out_of_budget(unit):
            return
        js = np.flatnonzero((w.status == Status.JOB_SEEKER) & w.registered)
        age = w.age_months[js]
        ok = (age < 30 * 12) | (w.education[js] == Education.LOW)
        if self.p["transition_premium.include_45plus"]:
            ok |= age >= 45 * 12
        js = js[ok & ((w.flags[js] & FLAG_PREMIUM) == 0)]
        rows = js[self.rng.random(len(js)) < self.p["transition_premium.start_rate"]]
        if len(rows) > left:
            rows = rows[self.rng.permutation(len(rows))[:left]]
        rows = self.affordable(rows, unit)
        if len(rows) == 0:
            return
        transitions.start_self_employed(m, rows, w.skill[rows].astype(np.int64))
        w.flags[rows] |= np.int8(FLAG_PREMIUM)
        self.take(rows)
        self.spend(len(rows) * unit * self.ppa)
        self.commit(len(rows) * unit * self.ppa)
