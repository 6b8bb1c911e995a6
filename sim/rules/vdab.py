"""What VDAB does each month apart from training: registration and counselling.

Temporarily unemployed workers become known to VDAB only after the RVA data lag
(``vdab.tu_data_lag``, about one month in the source document). Registered job seekers
are counselled within ``vdab.counselling_capacity``; counselled job seekers send
``vdab.counselling_extra_applications`` more applications.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.rules.sampling import lowest
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def register_temporarily_unemployed(model: LabourMarketModel) -> None:
    """Temporarily unemployed workers enter VDAB's files after the RVA data lag."""
    w = model.workers
    if not w.anyone(Status.TEMPORARILY_UNEMPLOYED):  # most months: nobody
        return
    tu = (w.status == Status.TEMPORARILY_UNEMPLOYED) & ~w.registered
    w.registered[tu & (w.months_in_status >= model.params["vdab.tu_data_lag"])] = True


def counsel(model: LabourMarketModel) -> None:
    """Counsel registered job seekers within capacity; book the cost."""
    w, p = model.workers, model.params
    draws = model.streams.draws("counselling")
    w.counselled[:] = False
    js = np.flatnonzero((w.status == Status.JOB_SEEKER) & w.registered)
    limit = p["vdab.counselling_capacity"] / p["simulation.persons_per_agent"]
    chosen = lowest(js, limit, draws.uniform(js, "priority"))
    w.counselled[chosen] = True
    cost = len(chosen) * p["vdab.counselling_cost"] * p["simulation.persons_per_agent"]
    model.vdab.book(cost)
    model.tally["counselled"] += len(chosen)
    model.tally["counselling_spending_eur"] += cost
