"""Matching with frictions: applications, offers, acceptance.

1. Searchers: registered job seekers (``matching.search_registered``), unregistered
   (``matching.search_unregistered``), temporarily unemployed (``..._temporarily_unemployed``),
   job seekers in training (lock-in, ``matching.search_in_training``), employed workers
   (on-the-job search, ``matching.on_the_job_search``); each times attachment.
2. Each searcher sends ``matching.applications_per_searcher`` applications (+ extra when
   counselled by VDAB). Each application goes to sector s with weight
   vacancies(s) x exp(-b x distance), then to one of that sector's open vacancies at random.
3. The employer would hire the applicant with probability
   ``matching.hire_probability`` x (1 - distance)^g x factors for education, age 50+,
   low digital skills, unemployment duration and attachment.
4. A vacancy with several would-be hires picks one at random (one scatter pass);
   a worker with several offers keeps the first; the worker accepts with a probability
   that depends on the status (``matching.accept_*``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.state import NO_SECTOR, Education, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel
    from sim.streams import Draws

#: applications are numbered per worker and month below this (keys of the draws)
MAX_APPLICATIONS = 64
# the search and acceptance tables below list one probability per status code
assert len(Status) == 7, "update the per-status tables in sim/rules/matching.py"


def searchers(model: LabourMarketModel, draws: Draws) -> np.ndarray:
    """Rows of the workers who search this month.

    Job seekers (registered or not, or in training) are few: each gets a keyed draw. The
    employed and temporarily unemployed search rarely: candidates are sampled sparsely
    from the whole table, then thinned to each one's own probability.
    """
    w, p = model.workers, model.params
    st = w.status
    on_the_job = p["matching.on_the_job_search"]
    tu = p["matching.search_temporarily_unemployed"] * model.tu_search_factor()
    # by status code: employed, seconded, temporarily unemployed (the others do not search
    # on the job)
    search_p = np.array([on_the_job, on_the_job, tu, 0.0, 0.0, 0.0, 0.0])
    # the sampling rate must not depend on policy factors, or a lever that changes one
    # group's search would change which employed workers are drawn (unpairing scenarios)
    p_max = max(on_the_job, p["matching.search_temporarily_unemployed"], tu)
    cand = draws.sample(w.n, p_max, "employed")
    prob = search_p[st[cand]] * w.attachment[cand] / max(p_max, 1e-12)
    employed = cand[draws.uniform(cand, "employed") < prob]
    # job seekers (status 3) and job seekers in a course (status 4)
    search_p = np.array(
        [0.0, 0.0, 0.0, p["matching.search_registered"], p["matching.search_in_training"], 0.0, 0.0]
    )
    js = np.flatnonzero((st == Status.JOB_SEEKER) | (st == Status.TRAINING))
    prob = search_p[st[js]] * w.attachment[js]
    unreg = ~w.registered[js] & (st[js] == Status.JOB_SEEKER)
    prob[unreg] *= p["matching.search_unregistered"] / max(p["matching.search_registered"], 1e-9)
    unemployed = js[draws.uniform(js, "unemployed") < prob]
    return np.concatenate([unemployed, employed])


def person_factor_table(model: LabourMarketModel) -> np.ndarray:
    """Hiring factor for each (education, age 50+, low digital) combination, 12 values.

    Index ``education * 4 + age_50_plus * 2 + low_digital``.
    """
    p = model.params
    edu = np.array([p["matching.factor_low_educated"], 1.0, p["matching.factor_high_educated"]])
    age = np.array([1.0, p["matching.factor_age_50"]])
    dig = np.array([1.0, p["matching.factor_low_digital"]])
    return (edu[:, None, None] * age[None, :, None] * dig[None, None, :]).ravel()


def hire_probability(
    model: LabourMarketModel,
    rows: np.ndarray,
    of: np.ndarray,
    profile: np.ndarray,
    sector: np.ndarray,
) -> np.ndarray:
    """Chance that the employer wants to hire each applicant (see module docstring).

    Args:
        model: the model.
        rows: the searchers (worker rows).
        of: for each application, the index in ``rows`` of the searcher who sends it.
        profile: each application's row of the profile tables.
        sector: each application's sector.

    The skill fit (1 - distance)^g and the scarring (1 - s)^(months / 12) come from tables
    computed once per run; the person factors from a 12-entry table. What depends on the
    person only is looked up once per searcher, not once per application.
    """
    w = model.workers
    key = w.education[rows].astype(np.intp)
    key *= 4
    key += (w.age_months[rows] >= 50 * 12) * 2
    key += w.low_digital[rows]
    person = model.person_factors[key]
    scarring = model.scarring[np.minimum(w.unemployment_months[rows], len(model.scarring) - 1)]
    fit = model.profile_fit.ravel().take(profile * model.n_sectors + sector)  # 3x faster
    prob = fit * person[of]  # than [r, s]
    prob *= scarring[of]
    prob *= w.attachment[rows].astype(np.float64)[of]  # widened once per searcher
    return prob


def draw_sector(cum: np.ndarray, profile: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw of a sector for each application, all profiles at once.

    ``cum`` holds each profile's cumulative weights. They are normalised and shifted so
    that profile r occupies [r, r + 1); the sector is the number of cumulative shares at or
    below ``r + u`` (at most the last sector). Two ways to count give the same sectors: one
    ``searchsorted`` over every profile's shares, cheaper for a few draws, and one
    comparison per sector column, about five times faster for thousands (matching).
    """
    n_sectors = cum.shape[1]
    tot = cum[:, -1:]
    if (tot > 0).all():
        norm = cum / tot
    else:
        norm = np.divide(cum, tot, out=np.ones_like(cum), where=tot > 0)
    norm += np.arange(len(cum))[:, None]
    value = profile + u
    if len(profile) < 256:
        idx = np.searchsorted(norm.ravel(), value, side="right") - profile * n_sectors
        return np.minimum(idx, n_sectors - 1)
    columns = norm.T.copy()
    idx = (columns[0].take(profile) <= value).astype(np.int64)
    for j in range(1, n_sectors - 1):  # the last share, r + 1, is above r + u
        idx += columns[j].take(profile) <= value
    return idx


def pick_winners(slot: np.ndarray, priority: np.ndarray, n_slots: int) -> np.ndarray:
    """Indices of the applications that win their slot: the highest priority in each.

    One ``np.maximum.at`` pass, no sorting (shared/PERFORMANCE.md). On an exact tie of
    priorities (53-bit keyed numbers: about once in 1e11 months) the later application
    wins, as with a stable sort by priority, so that a slot is never filled twice.
    """
    top = np.zeros(n_slots)
    np.maximum.at(top, slot, priority)
    won = np.flatnonzero(top[slot] == priority)
    last = np.empty(n_slots, dtype=np.int64)  # only the won slots are read
    last[slot[won]] = -1
    np.maximum.at(last, slot[won], won)
    return won[last[slot[won]] == won]


def run(model: LabourMarketModel) -> None:
    """One month of applications, offers and acceptances; fills vacancies.

    Every draw is keyed by worker and application number (sim/streams.py), so a worker's
    applications go to the same places in every scenario as long as the vacancies do.
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("matching")
    vac = model.vacancies
    v_by_sector = vac.sum(axis=1)
    total_v = int(v_by_sector.sum())
    if total_v == 0:
        return
    seekers = searchers(model, draws)
    n_apps = np.full(len(seekers), p["matching.applications_per_searcher"], dtype=np.int64)
    n_apps[w.counselled[seekers]] += p["vdab.counselling_extra_applications"]
    # skill profile and certificate of each searcher: the row of the profile tables
    profile = model.profile_row(w.skill[seekers], w.cert[seekers])
    weights = v_by_sector[None, :] * model.application_kernel  # profiles x sectors
    cum = np.cumsum(weights, axis=1)
    ok = cum[profile, -1] > 0
    if not ok.all():
        seekers, n_apps, profile = seekers[ok], n_apps[ok], profile[ok]
    of = np.repeat(np.arange(len(seekers)), n_apps)  # the searcher of each application
    # application id: worker row x MAX_APPLICATIONS + the application's number for the worker
    first_app = np.cumsum(n_apps) - n_apps
    app_id = (seekers * MAX_APPLICATIONS - first_app)[of]
    app_id += np.arange(len(of))
    rows_tab = profile[of]
    u = draws.uniforms(app_id, "sector", "verdict")
    sector = draw_sector(cum, rows_tab, u[0])
    # the employer's verdict
    wanted = u[1] < hire_probability(model, seekers, of, rows_tab, sector)
    app_id, sector = app_id[wanted], sector[wanted]
    if len(app_id) == 0:
        return
    app_worker = seekers[of[wanted]]
    # one vacancy slot per application; a vacancy keeps the applicant with top priority
    offsets = np.concatenate([[0], np.cumsum(v_by_sector)[:-1]])
    u = draws.uniforms(app_id, "slot", "priority")
    slot = offsets[sector] + (u[0] * v_by_sector[sector]).astype(np.int64)
    won = pick_winners(slot, u[1], total_v)
    # a worker with several offers keeps the first one
    offered = app_worker[won]
    first = np.empty(w.n, dtype=np.int64)  # only the offered rows are read
    first[offered] = len(slot)
    np.minimum.at(first, offered, won)
    won = won[first[offered] == won]
    rows, sector, slot = app_worker[won], sector[won], slot[won]
    employed, job_seeker = p["matching.accept_employed"], p["matching.accept_jobseeker"]
    accept = np.array(
        [
            employed,
            employed,  # by status code (docs/ODD.md 7.17)
            p["matching.accept_temporarily_unemployed"] * model.tu_accept_factor(),
            job_seeker,
            job_seeker,
            0.0,
            0.0,
        ]
    )
    yes = draws.uniform(rows, "accept") < accept[w.status[rows]]
    hire(model, rows[yes], sector[yes], slot[yes], draws)


def hire(
    model: LabourMarketModel, rows: np.ndarray, sector: np.ndarray, slot: np.ndarray, draws: Draws
) -> None:
    """Move hired workers into their new jobs and close the vacancies they fill."""
    w, p = model.workers, model.params
    if len(rows) == 0:
        return
    from_status = w.status[rows]  # fancy indexing copies
    from_sector = w.sector[rows]
    # close the vacancy slots, by age bucket
    flat = model.vacancies.reshape(-1)
    bucket = np.searchsorted(np.cumsum(flat), slot, side="right")
    np.subtract.at(flat, bucket, 1)
    model.leave_employment(rows)  # any old job or secondment ends
    w.set_status(rows, Status.EMPLOYED, sector=sector)
    w.registered[rows] = False
    w.unemployment_months[rows] = 0
    w.counselled[rows] = False
    u = draws.uniform(rows, "self_employed")
    w.employee[rows] = u >= p["sector.self_employed_share"][sector]
    dropped = rows[w.course[rows] > 0]  # a new job ends a VDAB course
    w.course[dropped] = 0
    model.tally["training_dropouts"] += len(dropped)
    n = model.n_sectors
    model.tally["hires"] += len(rows)
    model.tally["hires_by_sector"] += np.bincount(sector, minlength=n)
    model.tally["job_to_job"] += int(np.count_nonzero(from_status <= Status.TEMPORARILY_UNEMPLOYED))
    model.tally["hires_from_temporary_unemployment"] += int(
        np.count_nonzero(from_status == Status.TEMPORARILY_UNEMPLOYED)
    )
    model.tally["hires_low_educated"] += int(np.count_nonzero(w.education[rows] == Education.LOW))
    known = from_sector != NO_SECTOR
    np.add.at(model.tally_flows, (from_sector[known], sector[known]), 1)
