"""Separations from employment outside shocks: into unemployment and into inactivity.

Rates ``flows.separation_rate`` and ``flows.employed_to_inactive`` are calibrated so that
the job-seeker stock and the employment rate are stable in 2019 (sim/calibration.yaml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def separate(model: LabourMarketModel) -> None:
    """Employed workers (at work, not seconded) leave their job at monthly hazards."""
    w, p = model.workers, model.params
    rng = model.streams["separations"]
    at_work = np.flatnonzero(w.status == Status.EMPLOYED)
    u = rng.random(len(at_work))
    q_u = p["flows.separation_rate"]
    to_unemployment = at_work[u < q_u]
    to_inactive = at_work[(u >= q_u) & (u < q_u + p["flows.employed_to_inactive"])]
    model.become_unemployed(to_unemployment, model.streams["registration"])
    model.leave_employment(to_inactive)
    w.set_status(to_inactive, Status.INACTIVE)
    model.tally["separations"] += len(to_unemployment) + len(to_inactive)
    model.tally["separations_by_sector"] += np.bincount(
        w.sector[np.concatenate([to_unemployment, to_inactive])], minlength=model.n_sectors)
