"""Training offensive for temporarily unemployed workers (section 1; section 3).

From ``training_offensive.start`` VDAB gives temporarily unemployed (TU) workers free access
to its courses and reaches out to those it knows (after the RVA data lag), up to
``outreach_capacity`` contacts a month, intensively TU first and, with ``at_risk_first``,
first of all the TU of shrinking employers (their job is at risk: a restructuring wave
dismisses them first, ``temporary_unemployment.restructure``). VDAB contacts a worker once
a calendar year (the agreement's objective is to reach, in time, all intensively TU). A
contact reaches a TU worker
registered with VDAB for sure and others with ``contact_rate_unregistered``. A reached worker
takes up a course with ``uptake_intensive`` or ``uptake_other``, times (1 -
``negative_share``) for those who react negatively to VDAB's offer, times the federal
top-up's factor (``model.tu_training_factor()``). The course (short sector module,
retraining towards a shortage sector, digital skills) follows ``course_mix`` (low digital
skills: digital first); participants from shrinking employers get long retraining towards
a shortage sector with ``retraining_share_at_risk`` (the agreement's transition between
sectors in restructurings), so that after a dismissal they search and are hired where the
vacancies are; the offensive adds ``extra_seats_<course>`` seats a month for its own
participants, on top of what is left of VDAB's regular seats. Durations, success rates
and costs are the regular ``training.<course>.*`` ones.

Spending: outreach cost per contact (booked here) and the course cost of its participants
(booked by the training rule; counted here for the lever's column and budget).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.employers import N_GROWTH
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
        """Course type of each new participant (:func:`offensive_courses`)."""
        u = self.rng.random((2, len(rows)))
        return offensive_courses(self.model, rows, u[0], u[1])

    def outreach_order(self, pool: np.ndarray) -> np.ndarray:
        """``pool`` in the order VDAB contacts it: intensive TU first, random within a tier.

        With ``at_risk_first``: intensive TU of shrinking employers, other intensive, other
        TU of shrinking employers, the rest.
        """
        w = self.model.workers
        intensive = w.months_in_status[pool] >= self.p["monitor.intensive_months"]
        tier = np.where(intensive, 0, 2)
        if self.p["training_offensive.at_risk_first"]:
            tier = tier + (~at_risk_of_dismissal(self.model, pool)).astype(np.int64)
        return pool[np.argsort(tier + self.rng.random(len(pool)), kind="stable")]

    def before_training(self) -> None:
        """Outreach, uptake and enrolment of this month."""
        if not self.active(
            self.p["training_offensive.start"], self.p["training_offensive.end"]
        ) or self.out_of_budget(self.p["training_offensive.outreach_cost"]):
            return
        m, w = self.model, self.model.workers
        st = w.status
        rng = self.rng
        if m.month.endswith("-01"):  # a new year's campaign: everyone may be contacted again
            w.flags &= np.int8(~FLAG_CONTACTED)
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
        # reach up to the outreach capacity, in the order of outreach_order
        cap = int(stochastic_round(self.p["training_offensive.outreach_capacity"] / self.ppa, rng))
        unit = self.p["training_offensive.outreach_cost"] * self.ppa
        if unit > 0:
            cap = min(cap, int(min(self.room() / unit, 1e9)))
        contacted = np.sort(self.outreach_order(pool)[:cap])
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


def offensive_courses(
    model: LabourMarketModel,
    rows: np.ndarray,
    u_mix: np.ndarray,
    u_retraining: np.ndarray,
) -> np.ndarray:
    """Course type by ``course_mix``; workers with low digital skills take digital.

    Participants whose employer shrinks (job at risk) and who do not lack digital skills
    get retraining towards a shortage sector with ``retraining_share_at_risk`` (the
    agreement's transition between sectors in restructurings, section 3).

    Args:
        model: the model.
        rows: the participants.
        u_mix: one uniform number per participant for the course mix.
        u_retraining: one uniform number per participant for the retraining of those at risk.
    """
    w = model.workers
    mix = model.params["training_offensive.course_mix"]
    mix_cum = np.cumsum([mix["short"], mix["retraining"], mix["digital"]])
    code = np.array([Course.SHORT, Course.RETRAINING, Course.DIGITAL], dtype=np.int8)
    course = code[np.minimum(np.searchsorted(mix_cum, u_mix * mix_cum[-1]), 2)]
    at_risk = at_risk_of_dismissal(model, rows)
    share = model.params["training_offensive.retraining_share_at_risk"]
    course[at_risk & (u_retraining < share)] = Course.RETRAINING
    course[w.low_digital[rows]] = Course.DIGITAL
    return course


def at_risk_of_dismissal(model: LabourMarketModel, rows: np.ndarray) -> np.ndarray:
    """Mask of ``rows`` whose employer class shrinks (the first hit by a restructuring)."""
    return model.workers.employer[rows] % N_GROWTH == N_GROWTH - 1
