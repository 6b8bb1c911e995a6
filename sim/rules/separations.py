"""Separations from employment outside shocks: into unemployment and into inactivity.

Rates ``flows.separation_rate`` and ``flows.employed_to_inactive`` are calibrated so that
the job-seeker stock and the employment rate are stable in 2019 (sim/calibration.yaml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import transitions
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def separate(model: LabourMarketModel) -> None:
    """Employed workers (at work, not seconded) leave their job at monthly hazards.

    Rare events: candidate rows are sampled sparsely with the total hazard, then split
    between unemployment and inactivity (sim/streams.py).
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("separations")
    q_u, q_i = p["flows.separation_rate"], p["flows.employed_to_inactive"]
    cand = draws.sample(w.n, q_u + q_i)
    cand = cand[w.status[cand] == Status.EMPLOYED]
    to_u = draws.uniform(cand, "destination") < q_u / (q_u + q_i)
    transitions.become_unemployed(model, cand[to_u], "separation")
    transitions.become_inactive(model, cand[~to_u])
