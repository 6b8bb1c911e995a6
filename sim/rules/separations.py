"""Separations from employment outside shocks: into unemployment and into inactivity.

Rates ``flows.separation_rate`` and ``flows.employed_to_inactive`` are calibrated so that
the job-seeker stock and the employment rate are stable in 2019 (sim/calibration.yaml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import transitions
from sim.rules.temporary_unemployment import excess_staff
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def separate(model: LabourMarketModel) -> None:
    """Employed workers (at work, not seconded) leave their job at monthly hazards.

    Rare events: candidate rows are sampled sparsely with the total hazard, then split
    between unemployment and inactivity (sim/streams.py). A separation into unemployment
    is a quit with ``flows.quit_share``, else a dismissal; at an employer class with excess
    staff the dismissals do not happen here: the layoff and temporary-unemployment rules
    decide who goes there (``dismissals_avoided``).
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("separations")
    q_u, q_i = p["flows.separation_rate"], p["flows.employed_to_inactive"]
    cand = draws.sample(w.n, q_u + q_i)
    cand = cand[w.status[cand] == Status.EMPLOYED]
    u = draws.uniforms(cand, "destination", "dismissal")  # keyed by row: one call for both
    to_u = u[0] < q_u / (q_u + q_i)
    # at an over-staffed employer a dismissal goes through the layoff and temporary
    # unemployment rules (employers use TU instead); only quits leave through this one
    over = (excess_staff(model) > 0)[w.employer[cand]] & w.employee[cand]
    dismissal = u[1] >= p["flows.quit_share"]
    kept = to_u & over & dismissal
    model.tally["dismissals_avoided"] += int(np.count_nonzero(kept))
    transitions.leave_jobs(model, cand[to_u & ~kept], cand[~to_u])
