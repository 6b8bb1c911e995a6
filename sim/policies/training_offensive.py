"""Training offensive for temporarily unemployed workers (section 1; section 3).

From ``training_offensive.start`` VDAB gives temporarily unemployed (TU) workers free access
to its courses and reaches out to those it knows (after the RVA data lag), up to
``outreach_capacity`` contacts a month, intensively TU first. A contact reaches a TU worker
registered with VDAB for sure and others with ``contact_rate_unregistered``. A reached worker
takes up a course with ``uptake_intensive`` or ``uptake_other``, times (1 -
``negative_share``) for those who react negatively to VDAB's offer, times the federal
top-up's factor (``model.tu_training_factor()``). The course (short sector module,
retraining towards a shortage sector, digital skills) follows ``course_mix`` (low digital
skills: digital first); the offensive adds ``extra_seats_<course>`` seats a month for its own
participants, on top of what is left of VDAB's regular seats. Durations, success rates
and costs are the regular ``training.<course>.*`` ones.

Spending: outreach cost per contact (booked here) and the course cost of its participants
(booked by the training rule; counted here for the lever's column and budget).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.base import FLAG_CONTACTED, FLAG_ENROLLED
from sim.policies.budget import Lever
from sim.rules import training
from sim.rules.sampling import stochastic_round
from sim.state import Course, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: the offensive's extra seats a month, per course type
EXTRA_SEATS = {
    Course.SHORT: "training_offensive.extra_seats_short",
    Course.RETRAINING: "training_offensive.extra_seats_retraining",
    Course.DIGITAL: "training_offensive.extra_seats_digital",
}


class TrainingOffensive(Lever):
    """VDAB outreach and training for the temporarily unemployed."""

    name = "training_offensive"
    ENVELOPES = ("total", "training_career", "vdab_partners")

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        p = self.p
        self.course_cost = np.zeros(4)  # EUR per person for a whole course
        self.month_cost = np.zeros(4)  # EUR per person-month
        for c, prefix in training.COURSE_PARAM.items():
            self.month_cost[c] = p[f"{prefix}.cost"]
            self.course_cost[c] = p[f"{prefix}.cost"] * p[f"{prefix}.duration"]
        mix = self.p["training_offensive.course_mix"]
        self.mix_cum = np.cumsum([mix["short"], mix["retraining"], mix["digital"]])
        self.seat_rng = model.streams["policy.training_offensive.seats"]
        self.rows = np.empty(0, dtype=np.int64)  # participants (to attribute course costs)
        self.contacts = 0
        self.in_course = 0

    def after_shocks(self) -> None:
        """Reset counters; count this month's course cost of the offensive's participants."""
        super().after_shocks()
        self.contacts = 0
        if len(self.rows) == 0:
            self.in_course = 0
            return
        w = self.model.workers
        self.rows = self.rows[w.course[self.rows] > 0]
        self.in_course = len(self.rows)
        # the cost is booked on VDAB's ledger by training.progress; counted here only
        cost = float(self.month_cost[w.course[self.rows]].sum()) * self.ppa
        self.spent += cost

    def choose_course(self, rows: np.ndarray) -> np.ndarray:
        """Course type by ``course_mix``; workers with low digital skills take digital."""
        u = self.rng.random(len(rows)) * self.mix_cum[-1]
        code = np.array([Course.SHORT, Course.RETRAINING, Course.DIGITAL], dtype=np.int8)
        course = code[np.minimum(np.searchsorted(self.mix_cum, u, side="right"), 2)]
        course[self.model.workers.low_digital[rows]] = Course.DIGITAL
        return course

    def before_training(self) -> None:
        """Outreach, uptake and enrolment of this month."""
        if not self.active(
            self.p["training_offensive.start"], self.p["training_offensive.end"]
        ) or self.out_of_budget(self.p["training_offensive.outreach_cost"]):
            return
        m, w = self.model, self.model.workers
        st = w.status
        rng = self.rng
        # registration with VDAB on own initiative (automatic registration is a lever)
        known = np.flatnonzero(
            (st == Status.TEMPORARILY_UNEMPLOYED) & w.registered & ((w.flags & FLAG_ENROLLED) == 0)
        )
        own = known[rng.random(len(known)) < self.p["training_offensive.own_registration_rate"]]
        w.flags[own] |= np.int8(FLAG_ENROLLED)
        pool = np.flatnonzero(
            (st == Status.TEMPORARILY_UNEMPLOYED)
            & w.registered
            & (w.course == Course.NONE)
            & ((w.flags & FLAG_CONTACTED) == 0)
        )
        if len(pool) == 0:
            return
        intensive = w.months_in_status[pool] >= self.p["monitor.intensive_months"]
        # reach up to the outreach capacity, intensive TU first
        cap = int(stochastic_round(self.p["training_offensive.outreach_capacity"] / self.ppa, rng))
        unit = self.p["training_offensive.outreach_cost"] * self.ppa
        if unit > 0:
            cap = min(cap, int(min(self.room() / unit, 1e9)))
        first, rest = pool[intensive], pool[~intensive]
        if len(first) > cap:
            first = np.sort(rng.choice(first, cap, replace=False))
        room = max(cap - len(first), 0)
        if len(rest) > room:
            rest = np.sort(rng.choice(rest, room, replace=False))
        contacted = np.concatenate([first, rest])
        w.flags[contacted] |= np.int8(FLAG_CONTACTED)
        enrolled = (w.flags[contacted] & FLAG_ENROLLED) > 0
        reached = enrolled | (
            rng.random(len(contacted)) < self.p["training_offensive.contact_rate_unregistered"]
        )
        self.contacts = len(contacted)
        self.spend(self.contacts * self.p["training_offensive.outreach_cost"] * self.ppa)
        self.commit(self.contacts * self.p["training_offensive.outreach_cost"] * self.ppa)
        rows = contacted[reached]
        p_int = self.p["training_offensive.uptake_intensive"]
        p_oth = self.p["training_offensive.uptake_other"]
        prob = np.where(
            w.months_in_status[rows] >= self.p["monitor.intensive_months"], p_int, p_oth
        )
        prob = prob * (1.0 - self.p["training_offensive.negative_share"]) * m.tu_training_factor()
        rows = rows[rng.random(len(rows)) < prob]
        if len(rows) == 0:
            return
        course = self.choose_course(rows)
        keep_rows = self.affordable(rows, self.course_cost[course])
        if len(keep_rows) < len(rows):
            keep = np.isin(rows, keep_rows)
            rows, course = rows[keep], course[keep]
        rows, course = self._seat(rows, course)
        if len(rows) == 0:
            return
        target = training.course_targets(
            m, rows, course, self.draws.uniform(rows, "training_offensive.target")
        )
        training.start(m, rows, course, target)  # counted as training_offensive_participants
        self.commit(float(self.course_cost[course].sum()) * self.ppa)
        self.take(rows)
        self.rows = np.concatenate([self.rows, rows])

    def _seat(self, rows: np.ndarray, course: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Seats: the offensive's extra seats, then what is left of the regular ones.

        Seats go to a random subset of each course's applicants (the ``room`` smallest of
        one uniform draw each, from a stream of its own, so that more seats never seat
        fewer). Extra seats the offensive does not use this month are not given to others.
        """
        m = self.model
        base = m.seats_left.copy()
        keep = np.zeros(len(rows), dtype=bool)
        u = self.seat_rng.random(len(rows))
        for c, extra_seats in EXTRA_SEATS.items():
            extra = float(stochastic_round(self.p[extra_seats] / self.ppa, self.rng))
            room = int(max(m.seats_left[c] + extra, 0.0))
            idx = np.flatnonzero(course == c)
            if len(idx) > room:
                idx = idx[np.argpartition(u[idx], room)[:room]] if room > 0 else idx[:0]
            keep[idx] = True
            m.seats_left[c] += extra - len(idx)
        np.minimum(m.seats_left, base, out=m.seats_left)
        return rows[keep], course[keep]

    def record(self) -> dict[str, float]:
        """Lever columns plus contacts and participants in a course now."""
        row = super().record()
        row["training_offensive_contacts"] = self.contacts * self.ppa
        row["training_offensive_in_course"] = self.in_course * self.ppa
        return row
