"""Temporary unemployment and layoffs when a shock pushes demand below the jobs held.

Decided per employer class (sector x growth, ``sim/employers.py``). Excess staff of a
class = jobs held (at work, temporarily unemployed, seconded out) minus the demand of the
month. Each month a share ``shock.layoff_rate_of_excess`` of the excess
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
from sim.employers import N_GROWTH
from sim.months import month_label
from sim.rules.sampling import at_most_by_group, sparse_thin_by_group, thin_by_group
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


def excess_staff(model: LabourMarketModel) -> np.ndarray:
    """Jobs held above this month's work volume, per employer class (agent units, >= 0).

    The staff with no work this month: employers put them on temporary unemployment
    (:func:`adjust`) or lend them (worker sharing).
    """
    return np.maximum(model.jobs_held_by_class() - model.class_work, 0.0)


def excess_jobs(model: LabourMarketModel) -> np.ndarray:
    """Jobs held above the jobs employers keep this month, per class (agent units, >= 0).

    Equal to :func:`excess_staff` when ``shock.job_share`` is 1; smaller when part of a
    shock falls on hours only, whose jobs are kept.
    """
    return np.maximum(model.jobs_held_by_class() - model.class_demand, 0.0)


def lay_off(model: LabourMarketModel) -> None:
    """Destroy ``shock.layoff_rate_of_excess`` of the excess jobs: those workers become unemployed.

    Excess jobs are those above the jobs employers keep (:func:`excess_jobs`). Temporarily
    unemployed workers are the first candidates (``layoffs_from_tu``).
    """
    w = model.workers
    draws = model.streams.draws("layoffs")
    wanted = draws.round(excess_jobs(model) * model.params["shock.layoff_rate_of_excess"])
    if wanted.sum() == 0:
        return
    tu = np.flatnonzero(w.status == Status.TEMPORARILY_UNEMPLOYED)
    first = thin_by_group(tu, w.employer[tu], wanted, draws.uniform(tu, "tu"))
    rest = wanted - np.bincount(w.employer[first], minlength=model.n_classes)
    second = sparse_thin_by_group(
        draws,
        w.n,
        w.class_counts[Status.EMPLOYED, 1:],
        lambda rows: w.status[rows] == Status.EMPLOYED,
        w.employer,
        np.maximum(rest, 0),
        "at_work",
    )
    laid_off = np.concatenate([first, second])
    model.tally["layoffs_from_tu"] += len(first)
    transitions.become_unemployed(model, laid_off, "layoff")


def dismiss_with_jobs(model: LabourMarketModel, rows: np.ndarray) -> None:
    """Dismiss ``rows``: they become job seekers and the slots they filled go with them.

    The slots at work, or kept for them on temporary unemployment (``kept_slots``), are
    lost to the employer class for good (``give_up_jobs``); no replacement opens.
    """
    filled = model.filled_slots()
    transitions.become_unemployed(model, rows, "layoff", slot_lost=True)
    model.give_up_jobs((filled - model.filled_slots()).astype(float))


def dismiss_from_tu(model: LabourMarketModel) -> None:
    """Spells of full-time temporary unemployment that end in a dismissal.

    Each month a share ``shock.tu_dismissal_rate`` of the workers on full-time temporary
    unemployment are dismissed: the employer gives up their job (:func:`dismiss_with_jobs`;
    counted in ``layoffs_from_tu``). The other ends of a spell are a recall
    (:func:`adjust`, ``tu_recalled``) and a move to another employer (matching,
    ``hires_from_temporary_unemployment``).
    """
    rate = model.params["shock.tu_dismissal_rate"]
    w = model.workers
    if rate <= 0 or not w.anyone(Status.TEMPORARILY_UNEMPLOYED):
        return
    draws = model.streams.draws("tu_dismissal")
    tu = np.flatnonzero(w.status == Status.TEMPORARILY_UNEMPLOYED)
    gone = tu[draws.uniform(tu, "who") < rate]
    dismiss_with_jobs(model, gone)
    model.tally["layoffs_from_tu"] += len(gone)


def adjust(model: LabourMarketModel) -> None:
    """Move employees onto or back from temporary unemployment.

    The target of each employer class is ``shock.tu_absorption`` x its excess staff.
    """
    w = model.workers
    draws = model.streams.draws("temporary_unemployment")
    st = w.status
    # workers on loan to another sector (worker-sharing pilot) stay on their home employer's
    # temporary unemployment; they come back through the pilot's own rule
    n_tu = w.class_counts[Status.TEMPORARILY_UNEMPLOYED, 1:] + w.class_counts[Status.SECONDED, 1:]
    target = draws.round(excess_staff(model) * model.params["shock.tu_absorption"])
    more = np.maximum(target - n_tu, 0)
    fewer = np.maximum(n_tu - target, 0)
    tu = np.flatnonzero(st == Status.TEMPORARILY_UNEMPLOYED) if fewer.any() else None
    if more.any():
        # employees at work per sector: the employed minus the self-employed among them
        own = np.flatnonzero(~w.employee)
        own = own[st[own] == Status.EMPLOYED]
        avail = w.class_counts[Status.EMPLOYED, 1:] - np.bincount(
            w.employer[own], minlength=model.n_classes
        )
        new = sparse_thin_by_group(
            draws,
            w.n,
            avail,
            lambda rows: (st[rows] == Status.EMPLOYED) & w.employee[rows],
            w.employer,
            more,
            "put_on",
        )
        w.set_status(new, Status.TEMPORARILY_UNEMPLOYED)
        w.tu_days[new] = 0
        model.tally["tu_inflow"] += len(new)
    if fewer.any():
        back = thin_by_group(tu, w.employer[tu], fewer, draws.uniform(tu, "recall"))
        w.set_status(back, Status.EMPLOYED)
        w.registered[back] = False
        model.tally["tu_recalled"] += len(back)


#: working days in a month (for full-time equivalents)
WORKING_DAYS = 21.7


def partial(model: LabourMarketModel) -> None:
    """Partial temporary unemployment for economic reasons, in normal times as in shocks.

    Employees at work (not self-employed) take some days of temporary unemployment in a
    month without losing their job slot: a spell starts with a monthly hazard such that
    ``shock.partial_tu_share`` of employees are on it in the steady state, lasts
    ``shock.partial_tu_spell_months`` on average (then the worker is recalled to full
    hours) and takes 1 to 2 x ``shock.partial_tu_days`` - 1 days a month (mean
    ``shock.partial_tu_days``). Workers who leave work (a new job, full temporary
    unemployment, a separation) leave the spell (``transitions``).
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("partial_tu")
    share = p["shock.partial_tu_share"]
    h_out = 1.0 / p["shock.partial_tu_spell_months"]
    h_in = share * h_out / max(1.0 - share, 1e-9)
    on = np.flatnonzero(w.tu_days > 0)
    ended = on[draws.uniform(on, "recall") < h_out]
    w.tu_days[ended] = 0
    model.tally["tu_partial_recalled"] += len(ended)
    cand = draws.sample(w.n, h_in, "start")
    cand = cand[(w.status[cand] == Status.EMPLOYED) & w.employee[cand] & (w.tu_days[cand] == 0)]
    w.tu_days[cand] = draw_days(p["shock.partial_tu_days"], draws.uniform(cand, "days"))
    model.tally["tu_partial_inflow"] += len(cand)


def draw_days(mean: float, u: np.ndarray) -> np.ndarray:
    """Days of partial temporary unemployment, uniform on 1 .. 2 x mean - 1 (mean ``mean``)."""
    top = max(round(2 * mean - 1), 1)
    return np.minimum(1 + (u * top).astype(np.int64), int(WORKING_DAYS)).astype(np.int8)


def start_partial(model: LabourMarketModel) -> None:
    """At the start, ``shock.partial_tu_share`` of employees at work are on partial TU."""
    w, p = model.workers, model.params
    rng = model.streams["partial_tu_init"]
    emp = np.flatnonzero((w.status == Status.EMPLOYED) & w.employee)
    on = emp[rng.random(len(emp)) < p["shock.partial_tu_share"]]
    w.tu_days[on] = draw_days(p["shock.partial_tu_days"], rng.random(len(on)))


def restructure(model: LabourMarketModel) -> None:
    """A restructuring wave: part of the shrinking employers restructure or fail.

    Over ``restructuring.months`` months from ``restructuring.start`` (when the corona
    support for temporary unemployment ends), shrinking employers lose
    ``restructuring.demand_cut`` of their jobs, an equal part each month (0 in basis),
    spread over the shrinking classes by size x :func:`idle_risk`.
    Their workers are dismissed and become job seekers: the temporarily unemployed first
    (full-time, then partial: support has ended), then others at work; with
    ``restructuring.idle_first`` those whose job stood idle longest (most months of
    full-time temporary unemployment with this employer, ``tu_months``) first: the
    employers that restructure or fail are those the support kept going through the crisis
    (assumption; the source document expects the wave when support ends). The jobs of those
    at work go with them (the class's demand falls by as many; no replacement opens), and
    so do the slots kept for the temporarily unemployed among them (``kept_slots``).
    """
    p = model.params
    cut = p["restructuring.demand_cut"]
    if cut <= 0:
        return
    start, months = p["restructuring.start"], p["restructuring.months"]
    if not start <= model.month < month_label(start, months):
        return
    w = model.workers
    draws = model.streams.draws("restructuring")
    st = w.status
    cand = np.flatnonzero(
        ((st == Status.TEMPORARILY_UNEMPLOYED) | ((st == Status.EMPLOYED) & w.employee))
        & (w.employer % N_GROWTH == N_GROWTH - 1)
    )
    shrinking = np.arange(N_GROWTH - 1, model.n_classes, N_GROWTH)
    jobs = model.class_capacity0[shrinking] * cut / months
    risk = idle_risk(model, cand)[shrinking]
    wanted = np.zeros(model.n_classes)
    wanted[shrinking] = jobs * risk * jobs.sum() / max(float((jobs * risk).sum()), 1e-12)
    wanted = draws.round(wanted)
    # priority: full-time TU, then partial TU, then the others at work
    tier = np.where(
        st[cand] == Status.TEMPORARILY_UNEMPLOYED, 0, np.where(w.tu_days[cand] > 0, 1, 2)
    )
    u = draws.uniform(cand, "who")
    if p["restructuring.idle_first"] and len(cand):
        # within a tier, the longest idle first (random among equal months): key in [0, 1)
        idle = w.tu_months[cand].astype(np.float64)
        u = (idle.max() - idle + u) / (idle.max() + 1.0)
    chosen = at_most_by_group(cand, w.employer[cand], wanted, tier + u)
    at_work = chosen[st[chosen] == Status.EMPLOYED]
    from_tu = len(chosen) - len(at_work)
    partial_tu = int(np.count_nonzero(w.tu_days[at_work]))
    dismiss_with_jobs(model, chosen)
    model.tally["layoffs_from_tu"] += from_tu
    model.tally["restructuring_dismissals"] += len(chosen)
    model.tally["restructuring_dismissals_tu"] += from_tu + partial_tu


def idle_risk(model: LabourMarketModel, rows: np.ndarray) -> np.ndarray:
    """Relative risk of each employer class's jobs in a restructuring wave (mean 1 per job).

    (1 - a) + a x (mean ``tu_months`` of the class's ``rows``) / (mean over all ``rows``),
    a = ``restructuring.idle_weight``: the employers the temporary-unemployment support
    carried longest restructure or fail more often (assumption; 0: risk in proportion to
    size only). 1 for every class when nobody was temporarily unemployed.
    """
    a = model.params["restructuring.idle_weight"]
    w = model.workers
    n = np.bincount(w.employer[rows], minlength=model.n_classes).astype(np.float64)
    idle = np.bincount(w.employer[rows], weights=w.tu_months[rows], minlength=model.n_classes)
    overall = idle.sum() / max(n.sum(), 1.0)
    if a <= 0 or overall <= 0:
        return np.ones(model.n_classes)
    mean = np.divide(idle, n, out=np.zeros(model.n_classes), where=n > 0)
    return (1.0 - a) + a * mean / overall
