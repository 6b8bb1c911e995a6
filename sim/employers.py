"""Employer classes: each sector's employers split by growth (growing, stable, shrinking).

Why classes and not individual employers (docs/ODD.md 2, 'Employer class'): the questions of
the model are about sectors and groups of workers; what they need from employers is that
growing and shrinking employers coexist inside a sector, so that temporary unemployment
(at employers whose demand fell) and open vacancies (at employers whose demand held or
grew) can be there together for a reason, and a lender and a borrower exist in one
sector. Three classes per sector give that at the cost of three numbers per sector, stay
vectorised (a class index per worker, counts by class) and need no firm-size
distribution, which the public Flemish sources give only coarsely.

Class c of sector s is ``s * 3 + g`` with g = 0 growing, 1 stable, 2 shrinking, so a
sector's classes are contiguous (vacancy slots numbered sector by sector stay so).

- Share of the sector's jobs at the start: ``employer.growing_share``,
  ``employer.shrinking_share``, the rest stable.
- Trend: the sector's ``sector.trend_growth`` plus ``employer.growth_spread`` (growing),
  minus it (shrinking).
- Shocks: a sector's shock falls on its classes in proportion to their exposure
  (``employer.exposure_growing``, 1 for stable, ``employer.exposure_shrinking``), scaled so
  that the job-weighted mean over the classes is the sector's shock; a class's shock is
  capped at 1, the rest moved to the classes below the cap (water filling).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.registry import Params

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: growth classes, in the order of the class index within a sector
GROWTH_CLASSES = ("growing", "stable", "shrinking")
N_GROWTH = len(GROWTH_CLASSES)


def class_shares(p: Params) -> np.ndarray:
    """Share of a sector's jobs in each growth class at the start."""
    grow, shrink = p["employer.growing_share"], p["employer.shrinking_share"]
    if grow + shrink > 1:
        raise ValueError(
            "employer.growing_share + employer.shrinking_share must be at most 1 "
            f"(now {grow} + {shrink})"
        )
    return np.array([grow, 1.0 - grow - shrink, shrink])


def class_trend(p: Params) -> np.ndarray:
    """Yearly trend of every class (sector-major), from the sector's trend and the spread."""
    spread = p["employer.growth_spread"] * np.array([1.0, 0.0, -1.0])
    return (p["sector.trend_growth"][:, None] + spread[None, :]).ravel()


def exposure(p: Params) -> np.ndarray:
    """Relative exposure of each growth class to a sector's shock."""
    return np.array([p["employer.exposure_growing"], 1.0, p["employer.exposure_shrinking"]])


def class_shocks(sector_shock: np.ndarray, shares: np.ndarray, expo: np.ndarray) -> np.ndarray:
    """Each class's shock (sectors x classes) whose job-weighted mean is the sector's shock.

    In proportion to ``expo`` (evenly where no class below the cap is exposed), capped at
    1; what a capped class cannot take goes to the others (water filling; at most one pass
    per class).
    """
    n = len(sector_shock)
    if not sector_shock.any():  # most months: no shock anywhere
        return np.zeros((n, N_GROWTH))
    all_shares = np.broadcast_to(shares, (n, N_GROWTH))
    capped = np.zeros((n, N_GROWTH), dtype=bool)
    out = np.zeros((n, N_GROWTH))
    for _ in range(N_GROWTH + 1):
        mass = sector_shock - np.where(capped, all_shares, 0.0).sum(axis=1)
        w = np.where(capped, 0.0, all_shares * expo)
        none_exposed = w.sum(axis=1) <= 0
        w[none_exposed] = np.where(capped, 0.0, all_shares)[none_exposed]
        tot = w.sum(axis=1)
        level = np.divide(mass, tot, out=np.zeros(n), where=tot > 0)
        out = np.where(capped, 1.0, level[:, None] * w / all_shares.clip(1e-12))
        over = out > 1.0 + 1e-12
        if not over.any():
            break
        capped |= over
    return np.clip(out, 0.0, 1.0)


def draw_classes(sector: np.ndarray, p: Params, u: np.ndarray) -> np.ndarray:
    """An employer class for each worker of ``sector`` (-1 stays -1), from uniforms ``u``."""
    g = np.searchsorted(np.cumsum(class_shares(p))[:-1], u, side="right")
    return np.where(sector >= 0, sector.astype(np.int64) * N_GROWTH + g, -1).astype(np.int8)


def update_demand(model: LabourMarketModel) -> None:
    """Demand of every employer class this month, all sectors at once.

    demand = class_capacity0 x (1 + trend)^(years) x (1 - class shock) x (1 - cycle) x
    (1 + ``shock.reopening_level`` x reopening): trend ``sector.trend_growth`` plus or
    minus ``employer.growth_spread``; the sector's shock (``Sector.update_demand``) spread
    over its classes by exposure (:func:`class_shocks`); a synthetic cycle, off by default
    (``simulation.cycle_amplitude``), that moves every class alike; the rebound after the
    reopening, ``shock.reopening_path`` carried forward after its last month.

    The shock falls on two quantities (docs/ODD.md 7.16): the work volume
    (``model.class_work``, the full shock: the hours employers need worked) and the jobs
    they keep (``model.class_demand``, the account of jobs and vacancies: the sector's job
    shock, ``shock.job_share`` of the general lockdown and ``shock.closure_job_share`` of
    the closures, spread over the classes alike). The jobs between the two are kept for the
    temporarily unemployed: their contract is suspended, the job is not gone (NBB/INR,
    2020Q2: employee work volume -11.7%, persons employed -0.8%).
    """
    p = model.params
    sector_shock = np.array([s.shock for s in model.sector_list])
    shock = class_shocks(sector_shock, model.class_shares, model.class_exposure).ravel()
    sector_jobs = np.array([s.job_shock for s in model.sector_list])
    job_shock = class_shocks(sector_jobs, model.class_shares, model.class_exposure).ravel()
    trend = (1.0 + model.class_trend) ** (model.month_index / 12.0)
    cycle = p["simulation.cycle_amplitude"] * (
        1.0 + np.sin(2.0 * np.pi * model.month_index / p["simulation.cycle_period"])
    )
    rebound = np.repeat(1.0 + p["shock.reopening_level"] * model.reopening, N_GROWTH)
    # demand per job of the base apart from the shock (model.add_jobs)
    model.class_level[:] = trend * (1.0 - cycle / 2.0) * rebound
    base = model.class_capacity0 * trend
    for out, hit in ((model.class_work, shock), (model.class_demand, job_shock)):
        np.multiply(base, 1.0 - hit, out=out)
        out *= 1.0 - cycle / 2.0
        out *= rebound
    model.demand_changed()
