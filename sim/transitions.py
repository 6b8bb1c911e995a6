"""Every change of a worker's job, and the counts of those changes.

Rules (``sim/rules``) decide who changes job; levers (``sim/policies``) decide who takes part;
the change itself happens here, and only here are the job flows counted:

- entries into a job: :func:`hire` (matching: into a vacancy slot), :func:`enter_jobs` (any
  entry, e.g. side entry after :func:`fill_oldest`), :func:`convert_secondment` (a shared
  worker stays in the host), :func:`start_self_employed` (transition premium);
- exits from a job: :func:`leave_jobs` (separations into unemployment and inactivity in one
  pass; :func:`become_unemployed` for a separation or layoff, :func:`become_inactive`),
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

Jobs and vacancies are one account (docs/ODD.md 7.16): a sector's demand (in job slots) is
its filled slots (workers at work there, and workers seconded in) plus its open vacancies.
A hire fills an open vacancy, which is then gone; a worker who leaves a filled slot opens a
replacement vacancy at once (:func:`vacate`), unless the sector is over-staffed, where the
exit is attrition that shrinks the excess (``vacancies_replacement``, ``attrition``).
Hires from unemployment are also counted by unemployment duration (``DURATION_BANDS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.employers import N_GROWTH
from sim.state import NO_SECTOR, Education, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: unemployment-duration bands (months, lower bounds) of the duration-dependence counts
DURATION_BANDS = ((0, "0_5m"), (6, "6_11m"), (12, "12_23m"), (24, "24m_plus"))
_BAND_EDGES = np.array([b for b, _ in DURATION_BANDS[1:]])
_BAND_STARTS = np.array([b for b, _ in DURATION_BANDS])
_N_BANDS = len(DURATION_BANDS)
#: the tally names of the hires from unemployment by duration band
_HIRES_BY_BAND = tuple(f"hires_from_unemployment_{name}" for _, name in DURATION_BANDS)

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
def duration_band(months: np.ndarray) -> np.ndarray:
    """Index in ``DURATION_BANDS`` of each unemployment duration (months)."""
    return np.searchsorted(_BAND_EDGES, months, side="right")


def duration_band_counts(months: np.ndarray) -> list[int]:
    """How many of ``months`` (unemployment durations, >= 0) fall in each duration band.

    One ``bincount`` by month, summed per band: the same counts as ``duration_band`` and
    a ``bincount`` of the bands, about twice as fast for thousands of durations.
    """
    top = int(_BAND_EDGES[-1]) + 1
    return np.add.reduceat(np.bincount(months, minlength=top), _BAND_STARTS).tolist()


def slot_classes(
    model: LabourMarketModel, rows: np.ndarray, status: np.ndarray | None = None
) -> np.ndarray:
    """The employer class whose job slot each of ``rows`` fills, -1 for none.

    At work: the own employer class; seconded: the host's; temporarily unemployed or not
    in a job: none (a temporarily unemployed worker holds a contract beyond demand, not a
    slot). ``status``: the rows' status, when the caller has it.
    """
    w = model.workers
    if status is None:
        status = w.status[rows]
    out = np.where(status == Status.EMPLOYED, w.employer[rows], NO_SECTOR).astype(np.int64)
    if w.anyone(Status.SECONDED):  # no pilot running: nobody is seconded
        sec = status == Status.SECONDED
        out[sec] = w.host_employer[rows[sec]]
    return out


def vacate(model: LabourMarketModel, slot_class: np.ndarray, kept_before: np.ndarray) -> None:
    """Workers have left the filled slots of ``slot_class`` (-1: no slot): replacements open.

    A slot that is still demanded becomes an open vacancy at once (age 0); where the
    employer class had more workers at work than demand, the exit shrinks the excess
    instead (attrition). Slots kept for temporarily unemployed workers
    (``LabourMarketModel.kept_slots``, taken before as ``kept_before``) that are no longer
    kept count as left too. Call after the workers' status has changed (``slot_classes``
    taken before).
    """
    left = slot_class[slot_class != NO_SECTOR]
    k = np.bincount(left, minlength=model.n_classes) + (kept_before - model.kept_slots())
    if not k.any():
        return
    # the demand not filled now that they have left reopens, up to the k slots left
    # (k >= 0: leaving frees slots, it never takes one); the rest was an excess of workers
    opened = np.minimum(np.maximum(model.slots() - model.filled_slots(), 0), k)
    n_opened, n_left = int(opened.sum()), int(k.sum())
    model.vacancies[:, 0] += opened
    model.tally["vacancies_replacement"] += n_opened
    model.tally["attrition"] += n_left - n_opened


def take_slots(model: LabourMarketModel, slot: np.ndarray) -> np.ndarray:
    """Close the vacancies at ``slot`` of the flattened (class, age) stock; their classes.

    Slot k is the k-th open vacancy counting employer class by class (so sector by
    sector: a sector's classes are contiguous), age bucket by age bucket (the numbering
    of :func:`sim.rules.matching.run`); each slot is taken once. Returns the employer
    class of each slot.
    """
    flat = model.vacancies.reshape(-1)
    bucket = np.searchsorted(np.cumsum(flat), slot, side="right")
    flat -= np.bincount(bucket, minlength=flat.size)
    return bucket // model.vacancies.shape[1]


def fill_oldest(
    model: LabourMarketModel, sector: np.ndarray, skip: np.ndarray | None = None
) -> np.ndarray:
    """Each entry of ``sector`` fills one of that sector's oldest open vacancies.

    Returns the employer class of each entry's vacancy. Callers cap their entries by the
    sector's open vacancies (nobody enters beyond demand); an entry beyond them would get
    -1. ``skip``: per entry an employer class whose vacancies it may not fill (-1: none),
    e.g. a worker lent within the own sector is not lent to the own employer.
    """
    vac = model.vacancies
    out = np.full(len(sector), NO_SECTOR, dtype=np.int64)
    sector = np.asarray(sector, dtype=np.int64)
    skip = np.full(len(sector), -1, dtype=np.int64) if skip is None else skip.astype(np.int64)
    n_cls = model.n_classes + 1
    for key in np.unique(sector * n_cls + skip + 1):
        s, banned = divmod(int(key), n_cls)
        idx = np.flatnonzero((sector == s) & (skip == banned - 1))
        got: list[np.ndarray] = []
        k = len(idx)
        classes = [c for c in model.sector_list[s].classes if c != banned - 1]
        for age in range(vac.shape[1] - 1, -1, -1):
            for c in classes:
                if k <= 0:
                    break
                take = min(k, int(vac[c, age]))
                if take:
                    vac[c, age] -= take
                    got.append(np.full(take, c))
                    k -= take
        if got:
            filled = np.concatenate(got)
            out[idx[: len(filled)]] = filled
    return out


def fill_own_class(model: LabourMarketModel, employer: np.ndarray) -> np.ndarray:
    """Fill one of the oldest open vacancies of each entry's own employer class.

    Returns a mask of the entries that found one (a recall to a demanded slot).
    """
    vac = model.vacancies
    ok = np.zeros(len(employer), dtype=bool)
    for c in np.unique(employer):
        idx = np.flatnonzero(employer == c)
        k = min(len(idx), int(vac[c].sum()))
        ok[idx[:k]] = True
        for age in range(vac.shape[1] - 1, -1, -1):
            take = min(k, int(vac[c, age]))
            vac[c, age] -= take
            k -= take
    return ok


# ------------------------------------------------------------------ entries
def status_band_counts(status: np.ndarray, months: np.ndarray) -> tuple[list[int], list[int]]:
    """Workers by status, and the job seekers (in a course or not) by duration band.

    ``status`` and ``months`` (months unemployed) hold one entry per worker. One
    ``bincount`` of (status, duration band) pairs gives both: the counts per status (one
    per ``Status`` code) and, summed over the two unemployed statuses, the counts per
    ``DURATION_BANDS`` band. Python ints, to be added to the month's tallies.
    """
    key = duration_band(months)
    key += status.astype(np.intp) * _N_BANDS
    pairs = np.bincount(key, minlength=len(Status) * _N_BANDS).reshape(len(Status), _N_BANDS)
    unemployed = pairs[Status.JOB_SEEKER] + pairs[Status.TRAINING]
    return pairs.sum(axis=1).tolist(), unemployed.tolist()


def _count_entries(
    model: LabourMarketModel, rows: np.ndarray, from_status: np.ndarray, sector: np.ndarray
) -> None:
    """Count ``rows`` (status ``from_status``) entering a job in ``sector`` (before the change)."""
    w, tally, n = model.workers, model.tally, model.n_sectors
    from_sector = w.sector[rows]
    by_status, bands = status_band_counts(from_status, w.unemployment_months[rows])
    tally["hires"] += len(rows)
    tally["hires_by_sector"] += np.bincount(sector, minlength=n)
    tally["job_to_job"] += sum(by_status[: Status.TEMPORARILY_UNEMPLOYED + 1])
    tally["hires_from_temporary_unemployment"] += by_status[Status.TEMPORARILY_UNEMPLOYED]
    tally["hires_from_inactivity"] += by_status[Status.INACTIVE]
    tally["hires_from_unemployment"] += by_status[Status.JOB_SEEKER] + by_status[Status.TRAINING]
    for name, k in zip(_HIRES_BY_BAND, bands, strict=True):
        tally[name] += k
    tally["hires_low_educated"] += int(np.count_nonzero(w.education[rows] == Education.LOW))
    had_job = from_status <= Status.TEMPORARILY_UNEMPLOYED
    tally["moves_out_by_sector"] += np.bincount(from_sector[had_job], minlength=n)
    known = from_sector != NO_SECTOR
    flows = model.tally_flows.reshape(-1)  # previous x new sector, counted by one bincount
    key = from_sector[known].astype(np.intp)  # int8: widened before the multiply
    key *= n
    key += sector[known]
    flows += np.bincount(key, minlength=flows.size)


def enter_jobs(
    model: LabourMarketModel,
    rows: np.ndarray,
    employer: np.ndarray,
    employee: bool | np.ndarray | None,
    keep_slot: bool = False,
) -> None:
    """``rows`` take a job at ``employer`` (a class); any old job or secondment ends. Counted.

    Args:
        model: the model.
        rows: the workers (rows of the worker table).
        employer: each one's new employer class (its sector is the class's).
        employee: True for an employee, False for self-employed, per row or for all; None
            keeps the worker's own.
        keep_slot: True when the workers keep the slot they fill now (a seconded worker
            hired by the host): no replacement vacancy opens. Otherwise the caller has
            closed one open vacancy of ``sector`` per row.
    """
    if len(rows) == 0:
        return
    w = model.workers
    employer = np.asarray(employer, dtype=np.int64)
    sector = model.class_sector[employer]
    status = w.status[rows]  # fancy indexing copies
    _count_entries(model, rows, status, sector)
    # a slot left opens a replacement; a seconded worker who converts keeps the host slot
    left = np.full(len(rows), NO_SECTOR) if keep_slot else slot_classes(model, rows, status)
    kept = model.kept_slots()
    _clear_job(model, rows)
    w.set_status(rows, Status.EMPLOYED, sector=sector, employer=employer)
    vacate(model, left, kept)
    w.registered[rows] = False
    w.unemployment_months[rows] = 0
    w.tu_months[rows] = 0  # a new employer: the idle months were with the old one
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
    """Matching: ``rows`` fill the vacancy ``slot`` of ``sector`` (see :func:`take_slots`).

    A new job ends a VDAB course and this month's counselling.
    """
    if len(rows) == 0:
        return
    employer = take_slots(model, slot)
    enter_jobs(model, rows, employer, employee)
    model.workers.counselled[rows] = False
    end_courses(model, rows)


def start_self_employed(model: LabourMarketModel, rows: np.ndarray, sector: np.ndarray) -> None:
    """``rows`` start their own business in ``sector``; each adds its own job to demand.

    The new business is counted with the sector's stable employers.
    """
    employer = np.asarray(sector, dtype=np.int64) * N_GROWTH + 1
    model.add_jobs(employer)
    enter_jobs(model, rows, employer, employee=False)


# ------------------------------------------------------------------ secondments
def start_secondment(
    model: LabourMarketModel, rows: np.ndarray, host: np.ndarray, months: int
) -> np.ndarray:
    """Temporarily unemployed ``rows`` go on loan to ``host`` for ``months``.

    They keep their home employer (their job is still counted there); each fills one of the
    host's oldest vacancies, at another employer class than their own when lent within the
    own sector. Returns the rows placed (those for whom such a vacancy was open).
    """
    w = model.workers
    own = np.where(host == w.sector[rows], w.employer[rows].astype(np.int64), -1)
    slot = fill_oldest(model, host, skip=own)
    ok = slot >= 0
    rows, host, slot = rows[ok], host[ok], slot[ok]
    model.tally["tu_ended_other"] += len(rows)  # the full-time TU spell ends in a loan
    w.host_employer[rows] = slot
    w.set_status(rows, Status.SECONDED)
    w.host[rows] = host
    w.secondment_left[rows] = months
    return rows


def end_secondment(model: LabourMarketModel, rows: np.ndarray, home_ok: np.ndarray) -> None:
    """Shared workers go back to their home employer (not a job change: no count).

    Their slot in the host opens as a replacement vacancy. At home they fill an open
    vacancy of their own employer class where ``home_ok`` (its demand has recovered) and
    one is open; the others are on temporary unemployment again (their employer recalls
    them when a slot is free: ``temporary_unemployment.adjust``).
    """
    w = model.workers
    host = slot_classes(model, rows)
    kept = model.kept_slots()
    _clear_job(model, rows)
    w.set_status(rows, Status.TEMPORARILY_UNEMPLOYED)
    vacate(model, host, kept)
    ok = rows[home_ok]
    back = ok[fill_own_class(model, w.employer[ok].astype(np.int64))]
    kept = model.kept_slots()
    w.set_status(back, Status.EMPLOYED)
    w.registered[back] = False
    model.tally["tu_returned_from_secondment"] += len(rows) - len(back)
    # a worker back at work no longer needs the slot kept for them: it opens again
    vacate(model, np.empty(0, dtype=np.int64), kept)


def convert_secondment(model: LabourMarketModel, rows: np.ndarray) -> None:
    """Shared workers take a permanent job in their host: a hire there, a move out of home."""
    employer = model.workers.host_employer[rows].astype(np.int64)
    enter_jobs(model, rows, employer, employee=None, keep_slot=True)


# ------------------------------------------------------------------ exits
def _clear_job(model: LabourMarketModel, rows: np.ndarray) -> None:
    """Bookkeeping for workers who leave a job or secondment (the caller sets the status)."""
    model.workers.host[rows] = NO_SECTOR
    model.workers.host_employer[rows] = NO_SECTOR
    model.workers.tu_days[rows] = 0  # a spell of partial temporary unemployment ends
    model.workers.secondment_left[rows] = 0


def _count_separations(model: LabourMarketModel, rows: np.ndarray) -> None:
    model.tally["separations"] += len(rows)
    model.tally["separations_by_sector"] += np.bincount(
        model.workers.sector[rows], minlength=model.n_sectors
    )


def leave_jobs(
    model: LabourMarketModel,
    to_unemployment: np.ndarray,
    to_inactivity: np.ndarray,
    cause: str = "separation",
    slot_lost: bool = False,
) -> None:
    """Workers leave their job: ``to_unemployment`` become job seekers, ``to_inactivity`` inactive.

    Both are separations, counted once; the slots they filled open as replacements in one
    pass (:func:`vacate`), as two passes would. A share of the new job seekers registers
    with VDAB at once (``flows.registration_share``); ``cause`` names that draw:
    ``separation`` or ``layoff`` (also counted in ``layoffs``). ``slot_lost``: their jobs
    go with them (a restructuring; the caller lowers demand), no replacement opens.
    """
    w = model.workers
    rows = np.concatenate([to_unemployment, to_inactivity])
    if len(rows) == 0:
        return
    left = np.full(len(rows), NO_SECTOR) if slot_lost else slot_classes(model, rows)
    kept = model.kept_slots()
    _clear_job(model, rows)
    w.set_status(to_unemployment, Status.JOB_SEEKER)
    w.set_status(to_inactivity, Status.INACTIVE)
    if not slot_lost:
        vacate(model, left, kept)
    if len(to_unemployment):
        w.unemployment_months[to_unemployment] = 0
        u = model.streams.draws("registration").uniform(to_unemployment, cause)
        w.registered[to_unemployment] = u < model.params["flows.registration_share"]
        if cause == "layoff":
            model.tally["layoffs"] += len(to_unemployment)
    _count_separations(model, rows)


def become_unemployed(
    model: LabourMarketModel, rows: np.ndarray, cause: str, slot_lost: bool = False
) -> None:
    """Workers who lose or leave a job become job seekers (:func:`leave_jobs`)."""
    leave_jobs(model, rows, rows[:0], cause, slot_lost)


def become_inactive(model: LabourMarketModel, rows: np.ndarray) -> None:
    """Workers leave their job for inactivity (a separation, :func:`leave_jobs`)."""
    leave_jobs(model, rows[:0], rows)


def retire(model: LabourMarketModel, rows: np.ndarray) -> None:
    """``rows`` retire, from a job or from outside one; a course or registration ends."""
    w = model.workers
    status = w.status[rows]
    had_job = status <= Status.TEMPORARILY_UNEMPLOYED
    from_job = rows[had_job]
    model.tally["retirements"] += len(rows)
    model.tally["tu_ended_other"] += int(np.count_nonzero(status == Status.TEMPORARILY_UNEMPLOYED))
    model.tally["retirements_labour_force"] += int(np.count_nonzero(status <= Status.TRAINING))
    model.tally["retirements_by_sector"] += np.bincount(
        w.sector[from_job], minlength=model.n_sectors
    )
    left = slot_classes(model, from_job, status[had_job])
    kept = model.kept_slots()
    _clear_job(model, from_job)
    w.set_status(rows, Status.RETIRED)
    vacate(model, left, kept)
    w.course[rows] = 0
    w.registered[rows] = False
