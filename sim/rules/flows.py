"""Flows between unemployment and inactivity, registration, and attachment to work.

Long spells out of work erode attachment ('arbeidsattitude', source document); attachment
scales search effort, the chance of being hired and the return from inactivity.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def erode_attachment(model: LabourMarketModel) -> None:
    """Attachment erodes after ``attachment.erosion_onset`` months out of work.

    It erodes by ``attachment.erosion_rate`` a month down to ``attachment.floor``, and
    recovers at work or in training (``attachment.recovery_rate``).
    """
    w, p = model.workers, model.params
    st, att = w.status, w.attachment
    floor = np.float32(p["attachment.floor"])
    # one combined mask, then one flatnonzero (cheaper than filtering a large row set);
    # attachment at or below the floor does not erode, so those rows (most of the
    # long-term inactive) are left out of the update, which leaves them as they are
    eroding = np.flatnonzero(
        (att > floor)
        & (st >= Status.TEMPORARILY_UNEMPLOYED)
        & (st <= Status.INACTIVE)
        & (st != Status.TRAINING)
        & (w.months_in_status >= p["attachment.erosion_onset"])
    )
    current = att[eroding]
    eroded = current * np.float32(1.0 - p["attachment.erosion_rate"])
    att[eroding] = np.maximum(eroded, np.minimum(floor, current))
    gain = np.float32(p["attachment.recovery_rate"])
    # rows at a fixed point of the recovery (just below 1) are left out: same numbers
    below = np.flatnonzero(
        (att < recovery_fixed_from(float(gain))) & ((st <= Status.SECONDED) | (w.course > 0))
    )
    att[below] += gain * (np.float32(1.0) - att[below])


@functools.cache
def recovery_fixed_from(gain: float) -> np.float32:
    """The lowest float32 attachment from which recovery no longer moves it, up to 1.

    Recovery adds ``gain`` x (1 - a) in float32. Just below 1 that step is less than half
    the spacing of float32 numbers (2^-24) and rounds away, so attachment recovering at work
    stops a few spacings short of 1 and stays there. :func:`erode_attachment` leaves rows
    at or above this value out of the update, which changes no number: each is a fixed
    point. With about 8,000 such rows in the default run, the update then touches the
    recovering rows only.
    """
    g = np.float32(gain)
    if g <= 0:
        return np.float32(0.0)  # no recovery: every value is a fixed point
    k = np.arange(1, min(2**23, int(0.5 / float(g)) + 8), dtype=np.float32)
    a = np.float32(1.0) - k * np.float32(2.0**-24)  # the float32 numbers just below 1
    moved = (a + g * (np.float32(1.0) - a)) != a
    first = int(np.argmax(moved)) if moved.any() else len(a)
    return a[first - 1] if first > 0 else np.float32(1.0)


def inactivity_flows(model: LabourMarketModel) -> None:
    """Job seekers drop out to inactivity; inactive people start looking for work.

    Drop-out: ``flows.jobseeker_to_inactive`` x (2 - attachment). Return:
    ``flows.inactive_to_jobseeker`` x attachment; a returner registers with
    ``flows.registration_share``.
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("inactivity")
    js = np.flatnonzero(w.status == Status.JOB_SEEKER)
    quit_p = p["flows.jobseeker_to_inactive"] * (2.0 - w.attachment[js])
    leaving = js[draws.uniform(js, "drop_out") < quit_p]
    cand = draws.sample(w.n, p["flows.inactive_to_jobseeker"], "return")
    cand = cand[w.status[cand] == Status.INACTIVE]
    returning = cand[draws.uniform(cand, "attachment") < w.attachment[cand]]
    w.set_status(leaving, Status.INACTIVE)
    w.registered[leaving] = False
    w.unemployment_months[leaving] = 0
    w.set_status(returning, Status.JOB_SEEKER)
    w.registered[returning] = draws.uniform(returning, "register") < p["flows.registration_share"]
    model.tally["to_inactivity"] += len(leaving)
    model.tally["from_inactivity"] += len(returning)


def register(model: LabourMarketModel) -> None:
    """Unregistered job seekers register with VDAB (``flows.register_rate``)."""
    w = model.workers
    draws = model.streams.draws("registration")
    unreg = np.flatnonzero((w.status == Status.JOB_SEEKER) & ~w.registered)
    later = draws.uniform(unreg, "later") < model.params["flows.register_rate"]
    w.registered[unreg[later]] = True
