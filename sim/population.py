"""The initial population of January 2019 and the inflow of school leavers.

Workers are drawn so that the stocks match Flanders in 2019: population 20-64 by age and
education, the employment rate 20-64 (75.5%), employment by sector, the self-employed,
registered job seekers, and the rest inactive or (from 60) retired. See docs/ODD.md,
'Initialisation'.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np

from sim.registry import Params
from sim.state import NO_SECTOR, Education, Status

AGE_BANDS = {
    "20-29": (20, 30),
    "30-39": (30, 40),
    "40-49": (40, 50),
    "50-59": (50, 60),
    "60-64": (60, 65),
}


def _shares(params: Params, name: str) -> tuple[list[str], np.ndarray]:
    d = params[name]
    keys = list(d)
    return keys, np.array([d[k] for k in keys], dtype=float)


@functools.cache  # a few share vectors, drawn from every month
def _cumulative(shares: tuple[float, ...]) -> np.ndarray:
    """The cumulative distribution of ``shares``, normalised to end at 1 (read-only)."""
    cdf = np.cumsum(np.array(shares, dtype=float), dtype=np.float64)
    cdf /= cdf[-1]
    cdf.flags.writeable = False
    return cdf


def draw_category(rng: np.random.Generator, p: np.ndarray | Iterable[float], k: int) -> np.ndarray:
    """``k`` draws of categories 0..len(p)-1 with probabilities ``p``.

    The same numbers as ``rng.choice(len(p), size=k, p=p)`` (its inverse-CDF method on
    one ``rng.random(k)``) without its argument checks, which cost more than the draw for
    the few entrants of a month; ``p`` (an array, or the shares of a registry mapping)
    comes validated from the registry, and its cumulative distribution is computed once.
    """
    shares = tuple(p.tolist()) if isinstance(p, np.ndarray) else tuple(p)
    return _cumulative(shares).searchsorted(rng.random(k), side="right")


@functools.cache
def _factor(values: tuple[float, ...]) -> np.ndarray:
    factor = np.array(values, dtype=float)
    factor.flags.writeable = False
    return factor


def digital_factor(params: Params) -> np.ndarray:
    """Relative chance of low digital skills by education (low, mid, high); read-only."""
    return _factor(tuple(params["population.digital_by_education"].values()))


def draw_low_digital(
    params: Params,
    age_years: np.ndarray,
    education: np.ndarray,
    share: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Low digital skills, more likely with age (+3% a year) and lower education."""
    w = (1.0 + 0.03 * (age_years - 20.0)) * digital_factor(params)[education]
    p = np.minimum(np.maximum(w * share / w.mean(), 0.0), 1.0)  # np.clip, without its overhead
    return rng.random(len(p)) < p


def initial_population(params: Params, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Columns of the worker table in January 2019 (one row per agent)."""
    ppa = params["simulation.persons_per_agent"]
    n = round(params["population.size_20_64"] / ppa)
    bands, band_p = _shares(params, "population.age_shares")
    band = rng.choice(len(bands), size=n, p=band_p)
    lo = np.array([AGE_BANDS[b][0] for b in bands]) * 12
    hi = np.array([AGE_BANDS[b][1] for b in bands]) * 12
    age_m = lo[band] + (rng.random(n) * (hi[band] - lo[band])).astype(np.int64)
    _, edu_p = _shares(params, "population.education_shares")
    edu = rng.choice(3, size=n, p=edu_p).astype(np.int8)
    low_dig = draw_low_digital(
        params, age_m / 12.0, edu, params["population.low_digital_share"], rng
    )

    # employment: age profile x education profile, scaled to the 20-64 rate
    _, emp_age = _shares(params, "population.employment_rate_by_age")
    _, emp_edu = _shares(params, "population.employment_rate_by_education")
    w = emp_age[band] * emp_edu[edu] / np.average(emp_edu, weights=edu_p)
    p_emp = np.clip(w * params["population.employment_rate_20_64"] / w.mean(), 0, 0.99)
    employed = rng.random(n) < p_emp

    status = np.full(n, Status.INACTIVE, dtype=np.int8)
    status[employed] = Status.EMPLOYED
    shares = params["sector.employment_share"]
    n_sec = len(shares)
    sector = rng.choice(n_sec, size=n, p=shares).astype(np.int8)  # current or last sector
    employee = rng.random(n) >= params["sector.self_employed_share"][sector]

    # non-employed aged 60+: most are retired
    old = ~employed & (age_m >= 60 * 12)
    status[old & (rng.random(n) < params["population.retired_share_60_64"])] = Status.RETIRED
    # job seekers among the other non-employed (younger ones more likely)
    pool = np.flatnonzero(status == Status.INACTIVE)
    weight = np.where(
        age_m[pool] >= 55 * 12, params["population.jobseeker_weight_55_plus"], 1.0
    ) * np.where(edu[pool] == 0, params["population.jobseeker_weight_low_educated"], 1.0)
    n_js = round(params["population.job_seekers_start"] / ppa)
    n_unreg = round(params["population.unregistered_unemployed_start"] / ppa)
    k = min(len(pool), n_js + n_unreg)
    chosen = rng.choice(pool, size=k, replace=False, p=weight / weight.sum())
    status[chosen] = Status.JOB_SEEKER
    registered = np.zeros(n, dtype=bool)
    registered[chosen[:n_js]] = True

    unemp = np.zeros(n, dtype=np.int16)
    unemp[chosen] = np.minimum(
        rng.geometric(1.0 / params["population.mean_unemployment_duration"], size=k) - 1, 240
    )
    months = np.where(status == Status.JOB_SEEKER, unemp, rng.integers(0, 120, size=n)).astype(
        np.int16
    )
    # job seekers' attachment has eroded as the model's own rule would have it
    # (sim/rules/flows.erode_attachment) over their spell so far
    attachment = np.ones(n, dtype=np.float32)
    onset = params["attachment.erosion_onset"]
    months_eroded = np.maximum(unemp[chosen].astype(np.float64) - onset, 0.0)
    attachment[chosen] = np.maximum(
        (1.0 - params["attachment.erosion_rate"]) ** months_eroded, params["attachment.floor"]
    )
    inactive = status == Status.INACTIVE
    attachment[inactive] = rng.uniform(0.1, 0.9, size=inactive.sum())
    return {
        "status": status,
        "sector": sector,
        "skill": sector.copy(),
        "cert": np.full(n, NO_SECTOR, dtype=np.int8),
        "host": np.full(n, NO_SECTOR, dtype=np.int8),
        "education": edu,
        "low_digital": low_dig,
        "employee": employee,
        "age_months": age_m.astype(np.int16),
        "months_in_status": months,
        "unemployment_months": unemp,
        "attachment": attachment,
        "registered": registered,
    }


#: columns of a newcomer that are the same for all (job seeker, never worked here, no
#: certificate, an employee when hired, full attachment); the rest are drawn
NEWCOMER_CONSTANTS: dict[str, object] = {
    "status": Status.JOB_SEEKER,
    "sector": NO_SECTOR,
    "cert": NO_SECTOR,
    "host": NO_SECTOR,
    "employee": True,
    "attachment": 1.0,
}


def newcomers(*groups: dict[str, np.ndarray]) -> dict[str, object]:
    """Columns for the worker table of newcomers (school leavers, immigrants).

    The drawn columns of the groups are joined; the constant ones are given as scalars
    (``WorkerTable.append`` broadcasts them).
    """
    if len(groups) == 1:
        columns: dict[str, object] = dict(groups[0])
    else:
        columns = {name: np.concatenate([g[name] for g in groups]) for name in groups[0]}
    columns.update(NEWCOMER_CONSTANTS)
    return columns


def _drawn(
    edu: np.ndarray,
    age_months: np.ndarray,
    skill: np.ndarray,
    low_digital: np.ndarray,
    registered: np.ndarray,
) -> dict[str, np.ndarray]:
    # codes and ages stay in numpy's default integer type (the fastest to index with):
    # WorkerTable.append stores them in the table's compact types
    return {
        "education": edu,
        "age_months": age_months,
        "skill": skill,
        "low_digital": low_digital,
        "registered": registered,
    }


def _draw_skill(params: Params, k: int, rng: np.random.Generator) -> np.ndarray:
    """Skill profiles in proportion to the sector structure of employment."""
    shares = params["sector.employment_share"]
    return draw_category(rng, shares, k)


#: school leavers' age at entry by education (low 19, mid 20-21, high 22-24), in months
ENTRY_AGE_FROM_MONTHS = np.array([19, 20, 22]) * 12
ENTRY_AGE_SPAN_MONTHS = np.array([12, 24, 36])


def school_leavers(params: Params, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Drawn columns for ``k`` school leavers entering as job seekers (see :func:`newcomers`).

    Age at entry follows the education level (low 19, mid 20-21, high 22-24). Their skill
    profile is drawn from the sector structure of employment (field of study follows the
    economy). They register with VDAB with ``demography.entrant_registration_share``.
    """
    edu_shares = params["demography.entrant_education_shares"].values()
    edu = draw_category(rng, edu_shares, k)
    age_lo = ENTRY_AGE_FROM_MONTHS[edu]
    age_span = ENTRY_AGE_SPAN_MONTHS[edu]
    age_m = age_lo + (rng.random(k) * age_span).astype(np.int64)
    skill = _draw_skill(params, k, rng)
    low_dig = rng.random(k) < (
        params["demography.entrant_low_digital_share"] * digital_factor(params)[edu]
    )
    registered = rng.random(k) < params["demography.entrant_registration_share"]
    return _drawn(edu, age_m, skill, low_dig, registered)


def immigrants(params: Params, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Drawn columns for ``k`` working-age immigrants (20-49), entering as job seekers.

    Education follows the population's shares; a share
    ``demography.migrant_registration_share`` registers with VDAB at once, the rest later
    (``flows.register_rate``); low digital skills as in the population.
    """
    edu = draw_category(rng, params["population.education_shares"].values(), k)
    age_m = (20 * 12 + rng.random(k) * 30 * 12).astype(np.int64)
    skill = _draw_skill(params, k, rng)
    low_dig = draw_low_digital(
        params, age_m / 12.0, edu, params["population.low_digital_share"], rng
    )
    registered = rng.random(k) < params["demography.migrant_registration_share"]
    return _drawn(edu, age_m, skill, low_dig, registered)


__all__ = ["Education", "immigrants", "initial_population", "newcomers", "school_leavers"]
