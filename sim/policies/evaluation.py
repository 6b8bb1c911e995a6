"""An in-silico evaluation of a VDAB course: a randomised cohort inside paired runs.

Not a lever of the agreement but an experiment on the model, as an evaluation study would
run it (the effect on the treated, ATT). In the month ``evaluation.month`` the eligible
group ``evaluation.group`` is drawn up (:func:`eligible`), and a share ``evaluation.share``
of it, chosen with one keyed uniform number per worker (``sim/streams.py``), forms the
treated cohort; the rest of the group is the control group. With ``evaluation.treat`` the
treated start a course that month (:func:`start_courses`: the model's own course start,
``training.start``, on extra seats so that nobody else loses one); without it they are
only followed. Two runs with the same seed, one with ``evaluation.treat`` off (arm A: the
model as it is) and one with it on (arm B), hold the same persons in the cohort, because
the state before the assignment and the assignment draw are the same; the difference of
the treated's outcomes between B and A is the effect of the course on the treated, and
the difference of the control group's is the displacement the course causes (they
compete for the same vacancies). ``experiments/evaluation.py`` runs the pairs and
tabulates the effect by months since assignment.

The evaluation draws from a random stream of its own and changes nothing when
``evaluation.treat`` is off: arm A's tables equal the model's without the evaluation apart
from the evaluation's own columns (tests/test_evaluation.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.base import Policy
from sim.policies.training_offensive import at_risk_of_dismissal, offensive_courses
from sim.rules import training
from sim.state import N_STATUS, Course, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: course types a treated worker can be given (``evaluation.course``); ``model``: as the
#: model gives them (:func:`choose_courses`)
FIXED_COURSES = {"short": Course.SHORT, "retraining": Course.RETRAINING, "digital": Course.DIGITAL}


def eligible(model: LabourMarketModel, group: str) -> np.ndarray:
    """Rows of the evaluation's eligible group ``group`` now, none of them in a course.

    - ``job_seekers``: job seekers registered with VDAB (the population of the
      evaluations of VDAB training, Cockx, Lechner & Bollens 2023);
    - ``tu``: temporarily unemployed: full-time for ``monitor.intensive_months`` or more in
      a row (intensive; the target group of the training offensive), or partially now (days
      a month, at work). After the corona support the model's temporary unemployment is
      partial only, so in 2022 the group holds the partially temporarily unemployed;
    - ``tu_at_risk``: those of them whose employer class shrinks
      (:func:`~sim.policies.training_offensive.at_risk_of_dismissal`), the first a
      restructuring wave dismisses (``temporary_unemployment.restructure``: full-time, then
      partial temporary unemployment first).
    """
    w = model.workers
    free = w.course == Course.NONE
    if group == "job_seekers":
        return np.flatnonzero((w.status == Status.JOB_SEEKER) & w.registered & free)
    intensive = (w.status == Status.TEMPORARILY_UNEMPLOYED) & (
        w.months_in_status >= model.params["monitor.intensive_months"]
    )
    partial = (w.status == Status.EMPLOYED) & (w.tu_days > 0)
    rows = np.flatnonzero((intensive | partial) & free)
    if group == "tu":
        return rows
    if group == "tu_at_risk":
        return rows[at_risk_of_dismissal(model, rows)]
    raise ValueError(f"evaluation.group: unknown group {group!r}")


def choose_courses(
    model: LabourMarketModel, rows: np.ndarray, kind: str, u: np.ndarray
) -> np.ndarray:
    """Course type of each treated worker.

    ``kind`` ``model``: the course the model would give them: job seekers by VDAB's
    guidance (``training.choose_course``), temporarily unemployed by the training
    offensive's mix (``training_offensive.offensive_courses``: retraining towards a
    shortage sector for those at risk); otherwise the one course type ``kind``.
    ``u``: two rows of keyed uniform numbers, one column per worker.
    """
    if kind != "model":
        return np.full(len(rows), FIXED_COURSES[kind], dtype=np.int8)
    w = model.workers
    tu = (w.status[rows] == Status.TEMPORARILY_UNEMPLOYED) | (w.tu_days[rows] > 0)
    course = training.choose_course(model, rows, u[0], u[1])
    if tu.any():
        course[tu] = offensive_courses(model, rows[tu], u[0][tu], u[1][tu])
    return course


class TrainingEvaluation(Policy):
    """The randomised evaluation cohort (see the module docstring)."""

    name = "evaluation"

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        p = model.params
        self.month = p["evaluation.month"]
        self.ppa = p["simulation.persons_per_agent"]
        self.treated = np.empty(0, dtype=np.int64)
        self.control = np.empty(0, dtype=np.int64)

    def before_training(self) -> None:
        """In the evaluation month: draw the cohort and, with ``treat``, start its courses."""
        m = self.model
        if m.month != self.month:
            return
        p = m.params
        draws = m.streams.draws("evaluation")
        group = eligible(m, p["evaluation.group"])
        u = draws.uniforms(group, "assign", "course.a", "course.b", "target")
        assigned = u[0] < p["evaluation.share"]
        self.treated, self.control = group[assigned], group[~assigned]
        if p["evaluation.treat"] and len(self.treated):
            start_courses(m, self.treated, p["evaluation.course"], u[1:, assigned])

    def record(self) -> dict[str, float]:
        """Size, persons at work and in ILO employment of the treated and the control group.

        At work: employed (also partly temporarily unemployed) or seconded; in ILO
        employment: also the full-time temporarily unemployed (``Status`` codes 0-2).
        """
        w = self.model.workers
        row: dict[str, float] = {}
        for arm, rows in (("treated", self.treated), ("control", self.control)):
            by_status = np.bincount(w.status[rows], minlength=N_STATUS)
            row[f"evaluation_{arm}"] = len(rows) * self.ppa
            row[f"evaluation_{arm}_at_work"] = (
                int(by_status[: Status.SECONDED + 1].sum()) * self.ppa
            )
            row[f"evaluation_{arm}_employed"] = (
                int(by_status[: Status.TEMPORARILY_UNEMPLOYED + 1].sum()) * self.ppa
            )
            row[f"evaluation_{arm}_in_course"] = int(np.count_nonzero(w.course[rows])) * self.ppa
        return row


def start_courses(model: LabourMarketModel, rows: np.ndarray, kind: str, u: np.ndarray) -> None:
    """Start a course for ``rows`` now (the model's own start, ``training.start``).

    The course type comes from :func:`choose_courses`, its target sector from
    ``training.course_targets``; the seats are extra (no seat is taken from the month's
    regular capacity, so nobody else is refused a course), as the training offensive's
    ``extra_seats_*``. The course runs, succeeds and costs as any other
    (``training.<type>.*``). ``u``: three rows of keyed uniform numbers per worker (two for
    the course type, one for the target).
    """
    course = choose_courses(model, rows, kind, u[:2])
    target = training.course_targets(model, rows, course, u[2])
    training.start(model, rows, course, target)
