"""Temporary unemployment and layoffs when a shock pushes demand below the jobs held.

Excess staff of a sector = jobs held (at work, temporarily unemployed, seconded out) minus
the demand of the month. Each month a share ``shock.layoff_rate_of_excess`` of the excess
is destroyed (dismissal, bankruptcy); of the rest, employers put a share
``shock.tu_absorption`` of employees on temporary unemployment instead of laying them off,
and recall them as demand returns. The self-employed use the bridging right instead and
stay counted as employed. Calibrated to almost 700,000 temporarily unemployed in April
2020, about 1 in 3 employees (source document, context).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import transitions
from sim.rules.sampling import sparse_thin_by_group, thin_by_group
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def excess_staff(model: LabourMarketModel) -> np.ndarray:
    """Jobs held above this month's demand, per sector (agent units, >= 0)."""
    return np.maximum(model.jobs_held() - model.demand(), 0.0)


def lay_off(model: LabourMarketModel) -> None:
    """Destroy ``shock.layoff_rate_of_excess`` of the excess jobs: those workers become unemployed.

    Temporarily unemployed workers are the first candidates.
    """
    w = model.workers
    draws = model.streams.draws("layoffs")
    wanted = draws.round(excess_staff(model) * model.params["shock.layoff_rate_of_excess"])
    if wanted.sum() == 0:
        return
    tu = np.flatnonzero(w.status == Status.TEMPORARILY_UNEMPLOYED)
    first = thin_by_group(tu, w.sector[tu], wanted, draws.uniform(tu, "tu"))
    rest = wanted - np.bincount(w.sector[first], minlength=model.n_sectors)
    second = sparse_thin_by_group(
        draws,
        w.n,
        w.counts[Status.EMPLOYED, 1:],
        lambda rows: w.status[rows] == Status.EMPLOYED,
        w.sector,
        np.maximum(rest, 0),
        "at_work",
    )
    laid_off = np.concatenate([first, second])
    transitions.become_unemployed(model, laid_off, "layoff")


def adjust(model: LabourMarketModel) -> None:
    """Move employees onto or back from temporary unemployment.

    The target of each sector is ``shock.tu_absorption`` x its excess staff.
    """
    w = model.workers
    draws = model.streams.draws("temporary_unemployment")
    st = w.status
    # workers on loan to another sector (worker-sharing pilot) stay on their home employer's
    # temporary unemployment; they come back through the pilot's own rule
    n_tu = w.counts[Status.TEMPORARILY_UNEMPLOYED, 1:] + w.counts[Status.SECONDED, 1:]
    target = draws.round(excess_staff(model) * model.params["shock.tu_absorption"])
    more = np.maximum(target - n_tu, 0)
    fewer = np.maximum(n_tu - target, 0)
    tu = np.flatnonzero(st == Status.TEMPORARILY_UNEMPLOYED) if fewer.any() else None
    if more.any():
        # employees at work per sector: the employed minus the self-employed among them
        own = np.flatnonzero(~w.employee)
        own = own[st[own] == Status.EMPLOYED]
        avail = w.counts[Status.EMPLOYED, 1:] - np.bincount(
            w.sector[own], minlength=model.n_sectors
        )
        new = sparse_thin_by_group(
            draws,
            w.n,
            avail,
            lambda rows: (st[rows] == Status.EMPLOYED) & w.employee[rows],
            w.sector,
            more,
            "put_on",
        )
        w.set_status(new, Status.TEMPORARILY_UNEMPLOYED)
        model.tally["tu_inflow"] += len(new)
    if fewer.any():
        back = thin_by_group(tu, w.sector[tu], fewer, draws.uniform(tu, "recall"))
        w.set_status(back, Status.EMPLOYED)
        w.registered[back] = False
        model.tally["tu_recalled"] += len(back)
