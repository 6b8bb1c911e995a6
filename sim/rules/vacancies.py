"""The vacancy stock of each sector, by age in months.

Open vacancies = the gap between demand and jobs held (growth, quits, retirements,
layoffs not replaced yet) + a persistent part: a share ``vacancy.persistent_share`` of the
structural stock (``sector.vacancy_rate``) that stays open whatever the sector-wide balance,
because firms within a sector differ and some profiles are always sought. The persistent
share is fitted to 'vacancies almost halved at the low point of the first lockdown'
(source document). Vacancies age by a month each month; those open three months or more
count as shortage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

MAX_AGE = 7  # age buckets 0..6, the last one is "6 months or more"


def persistent_vacancies(model: LabourMarketModel) -> np.ndarray:
    """The part of the structural vacancy stock that stays open in any case."""
    p = model.params
    return p["vacancy.persistent_share"] * p["sector.vacancy_rate"] * model.demand()


def target_vacancies(model: LabourMarketModel) -> np.ndarray:
    """Vacancies each sector wants open this month (agent units)."""
    gap = np.maximum(model.demand() - model.jobs_held() - model.seconded_in(), 0.0)
    return gap + persistent_vacancies(model)


def withdraw_old(model: LabourMarketModel) -> None:
    """Employers give up on some of the vacancies open six months or more.

    A share ``vacancy.withdrawal_rate`` a month; the demand they stood for is lost to the
    sector.
    """
    rng = model.streams.draws("vacancies").rng
    old = model.vacancies[:, -1]
    gone = rng.binomial(old, model.params["vacancy.withdrawal_rate"])
    model.vacancies[:, -1] -= gone
    for s in np.flatnonzero(gone):
        model.sector_list[s].give_up_jobs(float(gone[s]))
    model.tally["vacancies_withdrawn"] += int(gone.sum())


def update(model: LabourMarketModel) -> None:
    """Age the stock, then open new vacancies or withdraw some to reach the target."""
    vac = model.vacancies
    vac[:, -1] += vac[:, -2]
    vac[:, 1:-1] = vac[:, :-2].copy()
    vac[:, 0] = 0
    target = np.rint(target_vacancies(model)).astype(np.int64)
    have = vac.sum(axis=1)
    vac[:, 0] += np.maximum(target - have, 0)
    rng = model.streams.draws("vacancies").rng
    for s in np.flatnonzero(have > target):
        vac[s] -= rng.multivariate_hypergeometric(vac[s], int(have[s] - target[s]))
