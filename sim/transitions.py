"""Every change of a worker's job, and the counts of those changes.

Rules (``sim/rules``) decide who changes job; levers (``sim/policies``) decide who takes part;
the change itself happens here, and only here are the job flows counted:

- entries into a job: :func:`hire` (matching: into a vacancy slot), :func:`enter_jobs` (any
  entry, e.g. side entry after :func:`fill_oldest`), :func:`convert_secondment` (a shared
  worker stays in the host), :func:`start_self_employed` (transition premium);
- exits from a job: :func:`become_unemployed` (separation or layoff), :func:`become_inactive`,
  :func:`retire`;
- within the home employer: :func:`start_secondment`, :func:`end_secondment`.

The counts (agent units, in ``model.tally`` and ``model.tally_flows``; docs/OUTPUTS.md):
``hires``, ``hires_by_sector`` (every entry into a job), ``job_to_job`` and
``moves_out_by_sector`` (entries of workers who held a job: at work, seconded or temporarily
unemployed), ``hires_from_temporary_unemployment``, ``hires_low_educated``, the flow matrix
``tally_flows`` (previous sector x new sector, for every entry whose worker had a sector),
``separations``, ``separations_by_sector``, ``layoffs``, ``retirements``,
``retirements_labour_force``, ``retirements_by_sector`` (from a job) and
``training_dropouts`` (courses ended by a new job). With them the jobs held per sector obey,
month by month, jobs(t) = jobs(t-1) + hires - separations - moves out - retirements
(``tests/test_transitions.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.state import NO_SECTOR, Education, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: per-sector counters, reset at the start of every month
SECTOR_COUNTERS = (
    "hires_by_sector",
    "separations_by_sector",
    "moves_out_by_sector",
    "retirements_by_sector",
)


def new_month(model: LabourMarketModel) -> None:
    """Reset the month's job-flow counts (the other counters start at zero by default)."""
    model.tally.clear()
    model.tally_flows[:] = 0
    for key in SECTOR_COUNTERS:
        model.tally[key] = np.zeros(model.n_sectors, dtype=np.int64)


# ------------------------------------------------------------------ vacancies
def close_slots(model: LabourMarketModel, slot: np.ndarray) -> None:
    """Close the vacancies at the given slots of the flattened (sector, age) stock.

    Slot k is the k-th open vacancy counting sector by sector, age bucket by age bucket
    (the numbering of :func:`sim.rules.matching.run`).
    """
    flat = model.vacancies.reshape(-1)
    bucket = np.searchsorted(np.cumsum(flat), slot, side="right")
    np.subtract.at(flat, bucket, 1)


def fill_oldest(model: LabourMarketModel, sector: np.ndarray) -> None:
    """Each entry of ``sector`` fills one of that sector's oldest open vacancies."""
    vac = model.vacancies
    for s, k in enumerate(np.bincount(sector, minlength=model.n_sectors)):
        for age in range(vac.shape[1] - 1, -1, -1):
            if k <= 0:
                break
            take = min(int(k), int(vac[s, age]))
            vac[s, age] -= take
            k -= take


# ------------------------------------------------------------------ entries
def _count_entries(model: LabourMarketModel, rows: np.ndarray, sector: np.ndarray) -> None:
    """Count ``rows`` entering a job in ``sector`` (before their state changes)."""
    w, tally, n = model.workers, model.tally, model.n_sectors
    from_status = w.status[rows]  # fancy indexing copies
    from_sector = w.sector[rows]
    had_job = from_status <= Status.TEMPORARILY_UNEMPLOYED
    tally["hires"] += len(rows)
    tally["hires_by_sector"] += np.bincount(sector, minlength=n)
    tally["job_to_job"] += int(np.count_nonzero(had_job))
    tally["moves_out_by_sector"] += np.bincount(from_sector[had_job], minlength=n)
    tally["hires_from_temporary_unemployment"] += int(
        np.count_nonzero(from_status == Status.TEMPORARILY_UNEMPLOYED)
    )
    tally["hires_low_educated"] += int(np.count_nonzero(w.education[rows] == Education.LOW))
    known = from_sector != NO_SECTOR
    np.add.at(model.tally_flows, (from_sector[known], sector[known]), 1)


def enter_jobs(
    model: LabourMarketModel,
    rows: np.ndarray,
    sector: np.ndarray,
    employee: bool | np.ndarray | None,
) -> None:
    """``rows`` take a job in ``sector``; any old job or secondment ends. Counted.

    Args:
        model: the model.
        rows: the workers (rows of the worker table).
        sector: each one's new sector.
        employee: True for an employee, False for self-employed, per row or for all; None
            keeps the worker's own.
    """
    if len(rows) == 0:
        return
    w = model.workers
    _count_entries(model, rows, sector)
    _clear_job(model, rows)
    w.set_status(rows, Status.EMPLOYED, sector=sector)
    w.registered[rows] = False
    w.unemployment_months[rows] = 0
    if employee is not None:
        w.employee[rows] = employee


def end_courses(model: LabourMarketModel, rows: np.ndarray) -> None:
    """A new job ends the VDAB course of those among ``rows`` who follow one (a dropout)."""
    w = model.workers
    dropped = rows[w.course[rows] > 0]
    w.course[dropped] = 0
    model.tally["training_dropouts"] += len(dropped)


def hire(
    model: LabourMarketModel,
    rows: np.ndarray,
    sector: np.ndarray,
    slot: np.ndarray,
    employee: np.ndarray,
) -> None:
    """Matching: ``rows`` fill the vacancy ``slot`` of ``sector`` (see :func:`close_slots`).

    A new job ends a VDAB course and this month's counselling.
    """
    if len(rows) == 0:
        return
    close_slots(model, slot)
    enter_jobs(model, rows, sector, employee)
    model.workers.counselled[rows] = False
    end_courses(model, rows)


def start_self_employed(model: LabourMarketModel, rows: np.ndarray, sector: np.ndarray) -> None:
    """``rows`` start their own business in ``sector``; each adds its own job to demand."""
    enter_jobs(model, rows, sector, employee=False)
    for s, k in enumerate(np.bincount(sector, minlength=model.n_sectors)):
        if k:
            sec = model.sector_list[s]
            sec.capacity0 *= 1.0 + k / max(sec.demand, 1.0)
            sec.demand += k


# ------------------------------------------------------------------ secondments
def start_secondment(
    model: LabourMarketModel, rows: np.ndarray, host: np.ndarray, months: int
) -> None:
    """Temporarily unemployed ``rows`` go on loan to ``host`` for ``months``.

    They keep their home employer (their job is still counted there); each fills one of the
    host's oldest vacancies.
    """
    w = model.workers
    fill_oldest(model, host)
    w.set_status(rows, Status.SECONDED)
    w.host[rows] = host
    w.secondment_left[rows] = months


def end_secondment(model: LabourMarketModel, rows: np.ndarray, home_ok: np.ndarray) -> None:
    """Shared workers go back to their home employer (not a job change: no count).

    At work where ``home_ok`` (the home sector's demand has recovered), else on temporary
    unemployment.
    """
    w = model.workers
    _clear_job(model, rows)
    w.set_status(rows[home_ok], Status.EMPLOYED)
    w.registered[rows[home_ok]] = False
    w.set_status(rows[~home_ok], Status.TEMPORARILY_UNEMPLOYED)


def convert_secondment(model: LabourMarketModel, rows: np.ndarray) -> None:
    """Shared workers take a permanent job in their host: a hire there, a move out of home."""
    enter_jobs(model, rows, model.workers.host[rows].astype(np.int64), employee=None)


# ------------------------------------------------------------------ exits
def _clear_job(model: LabourMarketModel, rows: np.ndarray) -> None:
    """Bookkeeping for workers who leave a job or secondment (the caller sets the status)."""
    model.workers.host[rows] = NO_SECTOR
    model.workers.secondment_left[rows] = 0


def _count_separations(model: LabourMarketModel, rows: np.ndarray) -> None:
    model.tally["separations"] += len(rows)
    model.tally["separations_by_sector"] += np.bincount(
        model.workers.sector[rows], minlength=model.n_sectors
    )


def become_unemployed(model: LabourMarketModel, rows: np.ndarray, cause: str) -> None:
    """Workers who lose or leave a job become job seekers (a separation).

    A share registers with VDAB at once (``flows.registration_share``); ``cause`` names the
    draw: ``separation`` or ``layoff`` (also counted in ``layoffs``).
    """
    w = model.workers
    _clear_job(model, rows)
    w.set_status(rows, Status.JOB_SEEKER)
    w.unemployment_months[rows] = 0
    u = model.streams.draws("registration").uniform(rows, cause)
    w.registered[rows] = u < model.params["flows.registration_share"]
    _count_separations(model, rows)
    if cause == "layoff":
        model.tally["layoffs"] += len(rows)


def become_inactive(model: LabourMarketModel, rows: np.ndarray) -> None:
    """Workers leave their job for inactivity (a separation)."""
    _clear_job(model, rows)
    model.workers.set_status(rows, Status.INACTIVE)
    _count_separations(model, rows)


def retire(model: LabourMarketModel, rows: np.ndarray) -> None:
    """``rows`` retire, from a job or from outside one; a course or registration ends."""
    w = model.workers
    status = w.status[rows]
    from_job = rows[status <= Status.TEMPORARILY_UNEMPLOYED]
    model.tally["retirements"] += len(rows)
    model.tally["retirements_labour_force"] += int(np.count_nonzero(status <= Status.TRAINING))
    model.tally["retirements_by_sector"] += np.bincount(
        w.sector[from_job], minlength=model.n_sectors
    )
    _clear_job(model, from_job)
    w.set_status(rows, Status.RETIRED)
    w.course[rows] = 0
    w.registered[rows] = False
