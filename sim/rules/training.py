"""VDAB courses: who starts, how long, what success changes, what it costs.

Three course types (``training.<type>.*`` parameters: monthly start capacity, duration,
success rate, cost per participant-month):

- ``short``: a short sector-specific module; success gives a certificate for the module's
  sector that cuts the skill distance to it by ``training.short.distance_cut``;
- ``retraining``: long retraining towards a shortage sector (care, education); success
  gives the target sector's skill profile (distance 0) and its certificate;
- ``digital``: digital skills; success lifts the worker to basic digital skills.

A certificate (short module or retraining) also raises the employer's verdict in its
sector by ``training.certificate_hire_gain`` (``matching.ProfileTables``): what a course
adds to a job seeker's chance of a hire there, also after a dismissal.

Job seekers in a course have status TRAINING and search little (lock-in,
``matching.search_in_training``); temporarily unemployed workers keep their status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.rules import matching
from sim.rules.sampling import lowest
from sim.state import NO_SECTOR, Course, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel
    from sim.streams import Draws

COURSE_PARAM = {
    Course.SHORT: "training.short",
    Course.RETRAINING: "training.retraining",
    Course.DIGITAL: "training.digital",
}


def choose_course(
    model: LabourMarketModel, rows: np.ndarray, u_retraining: np.ndarray, u_digital: np.ndarray
) -> np.ndarray:
    """Course type for each worker who takes up training.

    Low digital skills: digital course with probability ``training.choice_digital``.
    Workers whose skill sector shrinks or is hit by a shock of ``training.weak_sector_shock``
    or more: retraining with probability ``training.choice_retraining``. Others: a short
    module. (Assumptions about VDAB's guidance practice.) ``u_*``: one keyed uniform
    number per worker for each choice.
    """
    w = model.workers
    course = np.full(len(rows), Course.SHORT, dtype=np.int8)
    weak_sector = model.weak_sector_mask()[w.skill[rows]]
    p = model.params
    course[weak_sector & (u_retraining < p["training.choice_retraining"])] = Course.RETRAINING
    digital = u_digital < p["training.choice_digital"]
    course[w.low_digital[rows] & digital] = Course.DIGITAL
    return course


def course_targets(
    model: LabourMarketModel, rows: np.ndarray, course: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """Target sector of each course (``u``: one keyed uniform number per worker).

    Short modules: near sectors with vacancies; retraining: shortage sectors (by vacancies
    open 3+ months); digital: none.
    """
    w = model.workers
    target = np.full(len(rows), NO_SECTOR, dtype=np.int8)
    short = course == Course.SHORT
    if short.any():
        r = rows[short]
        target[short] = matching.draw_sectors(model, w.skill[r], w.cert[r], u[short])
    retr = course == Course.RETRAINING
    if retr.any():
        cum = np.cumsum(model.shortage_weights())
        target[retr] = np.minimum(
            np.searchsorted(cum, u[retr] * cum[-1], side="right"), model.n_sectors - 1
        )
    return target


def start(
    model: LabourMarketModel,
    rows: np.ndarray,
    course: np.ndarray,
    target: np.ndarray,
    counter: str | None = None,
) -> None:
    """Enrol ``rows``; job seekers enter status TRAINING.

    Counted in ``training_starts`` and, if given, in the monthly counter ``counter``.
    """
    w, p = model.workers, model.params
    w.course[rows] = course
    w.course_target[rows] = target
    dur = np.array(
        [0] + [p[f"{prefix}.duration"] for prefix in COURSE_PARAM.values()], dtype=np.int8
    )  # by course code
    w.course_left[rows] = dur[course]
    js = rows[w.status[rows] == Status.JOB_SEEKER]
    w.set_status(js, Status.TRAINING)
    model.tally["training_starts"] += len(rows)
    if counter is not None:
        model.tally[counter] += len(rows)


def within_capacity(
    model: LabourMarketModel, rows: np.ndarray, course: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """Mask of the applicants who get a seat.

    Seats are what is left of each course's monthly capacity (``training.<type>.capacity``);
    when applicants outnumber seats, those with the lowest keyed number ``u`` get them (so
    more seats never seat fewer).
    """
    keep = np.zeros(len(rows), dtype=bool)
    for c in COURSE_PARAM:
        idx = np.flatnonzero(course == c)
        chosen = lowest(idx, model.seats_left[c], u[idx])
        keep[chosen] = True
        model.seats_left[c] -= len(chosen)
    return keep


def enrol(
    model: LabourMarketModel, rows: np.ndarray, draws: Draws, counter: str, *, count: bool = True
) -> np.ndarray:
    """Choose course and target for ``rows``, keep those with a seat, start them.

    ``counter`` tags the keyed draws and, when ``count``, names the monthly counter of these
    starts (all starts are counted in ``training_starts`` in any case).
    """
    if len(rows) == 0:
        return rows
    u = draws.uniforms(
        rows, counter + ".retraining", counter + ".digital", counter + ".seat", counter + ".target"
    )
    course = choose_course(model, rows, u[0], u[1])
    keep = within_capacity(model, rows, course, u[2])
    rows, course = rows[keep], course[keep]
    target = course_targets(model, rows, course, u[3][keep])
    start(model, rows, course, target, counter if count else None)
    return rows


def open_seats(model: LabourMarketModel) -> None:
    """Monthly start capacity of each course, in agent units (stochastic rounding)."""
    draws = model.streams.draws("training")
    ppa = model.params["simulation.persons_per_agent"]
    seats = np.array(
        [
            model.params[f"{prefix}.capacity"] * model.capacity_factor(c) / ppa
            for c, prefix in COURSE_PARAM.items()
        ]
    )
    model.seats_left[list(COURSE_PARAM)] = draws.round(seats, "seats")


def take_up(model: LabourMarketModel) -> None:
    """Baseline training uptake, within the seats left.

    Registered job seekers take up a course with ``training.jobseeker_uptake`` x
    attachment; temporarily unemployed workers known to VDAB on their own initiative with
    ``training.tu_uptake``.
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("training")
    known_free = w.registered & (w.course == Course.NONE)  # known to VDAB, not in a course
    js = np.flatnonzero((w.status == Status.JOB_SEEKER) & known_free)
    js = js[draws.uniform(js, "uptake") < p["training.jobseeker_uptake"] * w.attachment[js]]
    enrol(model, js, draws, "training_starts_jobseekers")
    if w.anyone(Status.TEMPORARILY_UNEMPLOYED):  # most months: nobody on full TU
        tu = np.flatnonzero((w.status == Status.TEMPORARILY_UNEMPLOYED) & known_free)
        p_tu = p["training.tu_uptake"] * model.tu_training_factor()
        enrol(model, tu[draws.uniform(tu, "tu_uptake") < p_tu], draws, "training_starts_tu")


def progress(model: LabourMarketModel) -> None:
    """Courses advance a month and book their cost.

    Finished courses succeed with ``training.<type>.success``; the cost is
    ``training.<type>.cost`` per participant-month.
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("training")
    in_course = np.flatnonzero(w.course > 0)
    if len(in_course) == 0:
        return
    ppa = p["simulation.persons_per_agent"]
    counts = np.bincount(w.course[in_course], minlength=4)
    cost = sum(counts[c] * p[f"{prefix}.cost"] for c, prefix in COURSE_PARAM.items())
    model.vdab.book(cost * ppa)
    model.tally["training_spending_eur"] += cost * ppa
    model.tally["in_training"] += len(in_course)
    w.course_left[in_course] -= 1
    done = in_course[w.course_left[in_course] <= 0]
    course = w.course[done]
    success_p = np.array([0.0] + [p[f"{prefix}.success"] for prefix in COURSE_PARAM.values()])
    ok = draws.uniform(done, "success") < success_p[course]
    apply_success(model, done[ok], course[ok])
    model.tally["training_completions"] += len(done)
    model.tally["training_successes"] += int(np.count_nonzero(ok))
    w.course[done] = Course.NONE
    back = done[w.status[done] == Status.TRAINING]
    w.set_status(back, Status.JOB_SEEKER)


def apply_success(model: LabourMarketModel, rows: np.ndarray, course: np.ndarray) -> None:
    """What a successful course changes in the worker's skills."""
    w = model.workers
    short = rows[course == Course.SHORT]
    w.cert[short] = w.course_target[short]
    retr = rows[course == Course.RETRAINING]
    w.skill[retr] = w.course_target[retr]
    w.cert[retr] = w.course_target[retr]  # the diploma: a hire gain in the target sector
    w.low_digital[rows[course == Course.DIGITAL]] = False
