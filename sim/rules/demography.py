"""Ageing, retirement and the inflow of school leavers.

For every 100 workers who retire only 80 young people enter (source document, answer of
the SERV vice-chair): ``demography.school_leavers_per_year`` is calibrated to that ratio,
which is a calibration target (sim/calibration.yaml), not a rule of the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import population, transitions
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def age(model: LabourMarketModel) -> None:
    """Everyone ages a month (the retired too); spell counters advance."""
    w = model.workers
    w.age_months += 1
    w.months_in_status += 1
    unemployed = (w.status == Status.JOB_SEEKER) | (w.status == Status.TRAINING)
    w.unemployment_months += unemployed  # +1 where unemployed: one pass, no mask
    # months the job stood idle (full-time TU) with this employer: a new job resets it
    w.tu_months += w.status == Status.TEMPORARILY_UNEMPLOYED


def retire(model: LabourMarketModel) -> None:
    """Retirement at the pension age, and early retirement from 60 at a monthly hazard.

    Sources: ``demography.pension_age`` (Belgian law) and
    ``demography.early_retirement_hazard`` (calibrated to the employment rate 55-64).
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("demography")
    older = np.flatnonzero((w.age_months >= 60 * 12) & (w.status != Status.RETIRED))
    due = w.age_months[older] >= p["demography.pension_age"] * 12
    early = draws.uniform(older, "early") < p["demography.early_retirement_hazard"]
    transitions.retire(model, older[due | early])


def enter(model: LabourMarketModel) -> None:
    """School leavers and working-age immigrants enter as job seekers.

    Numbers: ``demography.school_leavers_per_year`` and ``demography.migrants_per_year``.
    """
    p = model.params
    draws = model.streams.draws("demography")
    ppa = p["simulation.persons_per_agent"]
    yearly = (p["demography.school_leavers_per_year"], p["demography.migrants_per_year"])
    monthly = np.array([n / 12.0 / ppa for n in yearly])  # agents a month, before rounding
    k_school, k_migr = (int(k) for k in draws.round(monthly, "entry"))
    # the month's generator (draws.rng) is made only in a month with entrants
    parts = []
    if k_school > 0:
        parts.append(population.school_leavers(p, k_school, draws.rng))
    if k_migr > 0:
        parts.append(population.immigrants(p, k_migr, draws.rng))
    if parts:
        model.add_workers(population.newcomers(*parts))
    model.tally["entrants"] += k_school
    model.tally["immigrants"] += k_migr
