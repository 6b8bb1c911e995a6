"""The vacancy stock of each sector, by age in months: one account with the filled jobs.

Per employer class (sector x growth, ``sim/employers.py``): demand, in job slots
(``LabourMarketModel.slots``), is the filled slots (at work there, or seconded in) plus the
open vacancies. Vacancies open when a worker leaves a
demanded slot (a replacement: quits, retirements, dismissals, moves; opened at once by
``transitions.vacate``) and when demand grows (:func:`update`); they close when they are
filled (``transitions.hire``; a filled vacancy is gone), when demand falls below filled +
open (:func:`update`: postings withdrawn because the work is no longer there), and when
employers give up on a vacancy open six months or more (:func:`withdraw_old`: the job is
dropped from the sector's demand; reorganisation, automation or activity not started).
There is no stock kept open whatever the balance: where a sector has more workers at work
than demand, it has no open vacancy. Vacancies age by a month each month; those open three
months or more count as shortage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

MAX_AGE = 7  # age buckets 0..6, the last one is "6 months or more"


def open_slots(model: LabourMarketModel) -> np.ndarray:
    """Demanded slots not filled, per employer class (agent units, >= 0): what should be open."""
    return np.maximum(model.slots() - model.filled_slots(), 0)


def withdraw_old(model: LabourMarketModel) -> None:
    """Employers give up on some of the vacancies open six months or more.

    A share ``vacancy.withdrawal_rate`` a month; the demand they stood for is lost to the
    employer class (``LabourMarketModel.give_up_jobs``), so the account stays whole.
    """
    rng = model.streams.draws("vacancies").rng
    old = model.vacancies[:, -1]
    gone = rng.binomial(old, model.params["vacancy.withdrawal_rate"])
    model.vacancies[:, -1] -= gone
    if gone.any():
        model.give_up_jobs(gone.astype(np.float64))
    model.tally["vacancies_withdrawn"] += int(gone.sum())


def update(model: LabourMarketModel) -> None:
    """Age the stock, then open vacancies where demand grew, close them where it fell.

    After this, open vacancies = max(slots - filled, 0) in every class; new ones open at
    age 0 (``vacancies_opened_growth``), surplus ones are withdrawn at random across ages
    (multivariate hypergeometric, ``vacancies_closed``).
    """
    vac = model.vacancies
    vac[:, -1] += vac[:, -2]
    vac[:, 1:-1] = vac[:, :-2].copy()
    vac[:, 0] = 0
    target = open_slots(model)
    have = vac.sum(axis=1)
    opened = np.maximum(target - have, 0)
    vac[:, 0] += opened
    model.tally["vacancies_opened_growth"] += int(opened.sum())
    surplus = have - target
    closing = np.flatnonzero(surplus > 0)
    if len(closing) == 0:
        return
    rng = model.streams.draws("vacancies").rng
    model.tally["vacancies_closed"] += int(surplus[closing].sum())
    surplus, have = surplus[closing].tolist(), have[closing].tolist()
    for c, k, n in zip(closing.tolist(), surplus, have, strict=True):
        if k == n:  # all close; the draw would take no number from the generator
            vac[c] = 0
        else:
            vac[c] -= rng.multivariate_hypergeometric(vac[c], k)
