"""Matching with frictions: applications, offers, acceptance.

1. Searchers: registered job seekers (``matching.search_registered``), unregistered
   (``matching.search_unregistered``), temporarily unemployed (``..._temporarily_unemployed``),
   job seekers in training (lock-in, ``matching.search_in_training``), employed workers
   (on-the-job search, ``matching.on_the_job_search``), inactive persons who search
   passively (``matching.search_inactive``); each times attachment.
2. Each searcher sends ``matching.applications_per_searcher`` x (tightness / tightness at
   the start)^``matching.contact_elasticity`` applications (:func:`applications`: a
   searcher finds fewer suitable postings in a slack market), + extra when counselled by
   VDAB. Each application goes to sector s with weight
   vacancies(s) x exp(-b x distance), then to one of that sector's open vacancies at random.
3. The employer would hire the applicant with probability
   ``matching.hire_probability`` x (1 - distance)^g x factors for education, age 50+,
   low digital skills, unemployment duration and attachment.
   Sector and verdict are drawn together by thinning (:func:`verdicts`).
4. A vacancy with several would-be hires picks one at random (one scatter pass);
   a worker with several offers keeps the first; the worker accepts with a probability
   that depends on the status (``matching.accept_*``; the inactive as job seekers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim import transitions
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel
    from sim.registry import Params
    from sim.streams import Draws

#: applications are numbered per worker and month below this (keys of the draws)
MAX_APPLICATIONS = 64
# the search and acceptance tables below list one probability per status code
assert len(Status) == 7, "update the per-status tables in sim/rules/matching.py"


class Searchers(NamedTuple):
    """The rows of the workers who search this month, by the group they search in."""

    #: job seekers, registered or not, and job seekers in a course
    unemployed: np.ndarray
    #: at work, seconded or temporarily unemployed (on-the-job search; the sampled
    #: candidates of other statuses have no search probability)
    employed: np.ndarray
    #: the inactive who search passively
    inactive: np.ndarray

    def rows(self) -> np.ndarray:
        """All searchers: the unemployed, then the employed, then the inactive."""
        return np.concatenate(self)


def searchers(
    model: LabourMarketModel, draws: Draws, unemployed: np.ndarray | None = None
) -> Searchers:
    """The workers who search this month.

    Job seekers (registered or not, or in training) are few: each gets a keyed draw. The
    employed and temporarily unemployed search rarely: candidates are sampled sparsely
    from the whole table, then thinned to each one's own probability. ``unemployed``: the
    rows of the job seekers and job seekers in a course, when the caller has them.
    """
    w, p = model.workers, model.params
    st = w.status
    base = p["matching.on_the_job_search"]
    on_the_job = base * on_the_job_factor(model)
    tu = p["matching.search_temporarily_unemployed"] * model.tu_search_factor()
    # by status code: employed, seconded, temporarily unemployed (the others do not search
    # on the job)
    search_p = np.array([on_the_job, on_the_job, tu, 0.0, 0.0, 0.0, 0.0])
    # the sampling rate must not depend on policy factors or on the market of the month,
    # or a lever that changes one group's search would change which employed workers are
    # drawn (unpairing scenarios): the on-the-job rate's cap, set by parameters, is used
    p_max = max(base * on_the_job_cap(p), p["matching.search_temporarily_unemployed"], tu)
    cand = draws.sample(w.n, p_max, "employed")
    prob = search_p[st[cand]] * w.attachment[cand] / max(p_max, 1e-12)
    employed = cand[draws.uniform(cand, "employed") < prob]
    js = unemployed_rows(model) if unemployed is None else unemployed
    unemployed = js[draws.uniform(js, "unemployed") < unemployed_search_probability(model, js)]
    return Searchers(unemployed, employed, inactive_searchers(model, draws))


def unemployed_search_probability(model: LabourMarketModel, rows: np.ndarray) -> np.ndarray:
    """This month's search probability of each job seeker (or job seeker in a course) in ``rows``.

    ``matching.search_registered`` (registered), ``matching.search_unregistered``
    (unregistered) or ``matching.search_in_training`` (in a course: lock-in), times the
    worker's attachment.
    """
    w, p = model.workers, model.params
    st = w.status[rows]
    # job seekers (status 3) and job seekers in a course (status 4)
    search_p = np.array(
        [0.0, 0.0, 0.0, p["matching.search_registered"], p["matching.search_in_training"], 0.0, 0.0]
    )
    prob = search_p[st] * w.attachment[rows]
    unreg = ~w.registered[rows] & (st == Status.JOB_SEEKER)
    ratio = p["matching.search_unregistered"] / max(p["matching.search_registered"], 1e-9)
    return np.multiply(prob, ratio, out=prob, where=unreg)


def lockdown_factor(model: LabourMarketModel) -> float:
    """Hiring slows in a lockdown beyond what the open vacancies say.

    1 - ``matching.lockdown_efficiency_loss`` x the month's general lockdown intensity
    (``shock.first_wave_path``, 1 in April 2020): interviews, trial days and starts are
    postponed, VDAB's offices and most of its courses closed, and employers with posted
    vacancies wait (a lower matching efficiency, not fewer vacancies). The Flemish stock
    of job seekers rose only about 11,500 in 2020 while hires fell (VDAB received 17.6%
    fewer vacancies in 2020: VDAB, 'Ontvangen vacatures'); no Flemish estimate of the
    efficiency loss was found, so it is fitted by the calibration (range 0-0.8).
    """
    loss = model.params["matching.lockdown_efficiency_loss"]
    return 1.0 - loss * model.intensity_general if loss > 0.0 else 1.0


#: the cap of :func:`on_the_job_factor` (on-the-job search at most this times its base)
ON_THE_JOB_CAP = 3.0
#: tightness above this multiple of the start's raises on-the-job search no further
TIGHTNESS_RATIO_CAP = 4.0


def on_the_job_cap(p: Params) -> float:
    """The largest value :func:`on_the_job_factor` can take with these parameters.

    min(``TIGHTNESS_RATIO_CAP`` ^ ``matching.on_the_job_cyclicality``, ``ON_THE_JOB_CAP``):
    the employed are sampled at the base rate times this, then thinned to the month's
    rate, so a small elasticity keeps the sample (and its cost) near the base rate.
    """
    eta = p["matching.on_the_job_cyclicality"]
    return min(TIGHTNESS_RATIO_CAP**eta, ON_THE_JOB_CAP) if eta > 0.0 else 1.0


def on_the_job_factor(model: LabourMarketModel) -> float:
    """Procyclical on-the-job search: employed workers search more when postings abound.

    (open vacancies per unemployed person now / at the start, at most
    ``TIGHTNESS_RATIO_CAP``) ^ ``matching.on_the_job_cyclicality``, at most
    ``ON_THE_JOB_CAP``. Job-to-job moves
    rise and fall with labour-market tightness (Fallick and Fleischman 2004, 'Employer-to-
    employer flows in the U.S. labor market', FEDS 2004-34; Haltiwanger, Hyatt and
    McEntarfer 2018, 'Who moves up the job ladder?', Journal of Labor Economics 36(S1)); in
    Belgium the yearly job-to-job rate went from 5-6% before the pandemic to 7.2% in the
    record-tight market of 2022-2023 (Statbel, labour force survey transitions). The
    elasticity has no Flemish estimate: it is fitted by the calibration (range 0-1.5).
    """
    eta = model.params["matching.on_the_job_cyclicality"]
    if eta <= 0.0:
        return 1.0
    tally = model.tally
    now = tally["vacancies_at_matching"] / max(tally["unemployed_at_matching"], 1.0)
    ratio = min(now / model.tightness_u_ref, TIGHTNESS_RATIO_CAP)
    return float(min(ratio**eta, ON_THE_JOB_CAP))


def inactive_searchers(model: LabourMarketModel, draws: Draws) -> np.ndarray:
    """Rows of the inactive who search passively this month (marginal attachment).

    Each inactive person (not retired) searches with probability
    ``matching.search_inactive`` x attachment: persons outside the labour force who would
    take a job they come across (the marginally attached) compete for the same open
    vacancies as the unemployed. In the US, hires of persons who were not unemployed the
    month before are a large share of all hires (Hall and Schulhofer-Wohl 2018,
    'Measuring job-finding rates and matching efficiency with heterogeneous job-seekers',
    AEJ: Macroeconomics 10(1)); in Belgium about 10% of the inactive 15-64 are at work a
    year later, 4% unemployed (Statbel, labour force survey transitions).
    """
    w = model.workers
    rate = model.params["matching.search_inactive"]
    if rate <= 0.0:
        return np.empty(0, dtype=np.int64)
    # one keyed number per inactive row (about an eighth of the table): cheaper than
    # sampling candidates over the whole table at the rate and keeping the inactive
    inactive = np.flatnonzero(w.status == Status.INACTIVE)
    return inactive[draws.uniform(inactive, "inactive") < rate * w.attachment[inactive]]


@dataclass(frozen=True)
class ProfileTables:
    """Distance, application kernel and hiring fit for every (skill profile, certificate).

    Computed once per run. Row ``skill * (S + 1) + cert + 1`` (:meth:`row`); a certificate
    for sector c cuts the distance to c by ``training.short.distance_cut`` and multiplies
    the fit in c by 1 + ``training.certificate_hire_gain`` (capped at 1).

    Attributes:
        distance: skill distance from each profile row to each sector.
        application_kernel: exp(-``skill.application_aversion`` x distance), the weight of
            a sector in a searcher's applications (times its vacancies).
        fit: ``matching.hire_probability`` x (1 - distance)^``skill.hire_elasticity``, x (1
            + ``training.certificate_hire_gain``) in a certificate's sector (at most 1).
        fit_max: each profile row's largest fit over the sectors (the first draw of the
            verdict, :func:`run`).
        person_factors: hiring factor per (education, age 50+, low digital), 12 values
            (:func:`person_factor_table`).
        scarring: (1 - ``matching.long_term_scarring``)^(months / 12) by months unemployed.
    """

    n_sectors: int
    distance: np.ndarray
    application_kernel: np.ndarray
    fit: np.ndarray
    fit_max: np.ndarray
    person_factors: np.ndarray
    scarring: np.ndarray

    @classmethod
    def build(cls, p: Params, sector_distance: np.ndarray) -> ProfileTables:
        """The tables for parameters ``p`` and the sector-to-sector skill distances."""
        n = len(sector_distance)
        cut = p["training.short.distance_cut"]
        dist = np.repeat(sector_distance, n + 1, axis=0).reshape(n, n + 1, n).copy()
        for c in range(n):
            dist[:, c + 1, c] = np.minimum(dist[:, c + 1, c], sector_distance[:, c] * (1 - cut))
        distance = dist.reshape(n * (n + 1), n)
        fit = p["matching.hire_probability"] * (1.0 - dist) ** p["skill.hire_elasticity"]
        # a certificate for sector c raises the employer's verdict there (capped at 1)
        gain = 1.0 + p["training.certificate_hire_gain"]
        for c in range(n):
            fit[:, c + 1, c] = np.minimum(fit[:, c + 1, c] * gain, 1.0)
        months = np.arange(0, 12 * 50 + 1)
        fit = fit.reshape(n * (n + 1), n)
        return cls(
            n_sectors=n,
            distance=distance,
            application_kernel=np.exp(-p["skill.application_aversion"] * distance),
            fit=fit,
            fit_max=fit.max(axis=1),
            person_factors=person_factor_table(p),
            scarring=(1.0 - p["matching.long_term_scarring"]) ** (months / 12.0),
        )

    def row(self, skill: np.ndarray, cert: np.ndarray) -> np.ndarray:
        """Row of the tables for each (skill, certificate)."""
        return skill.astype(np.int64) * (self.n_sectors + 1) + cert.astype(np.int64) + 1


def draw_sectors(
    model: LabourMarketModel, skill: np.ndarray, cert: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """A sector per worker, with weight vacancies x exp(-b x distance), as applications go.

    ``u`` holds one uniform number per worker (keyed draws, sim/streams.py).
    """
    tables = model.profiles
    weights = model.by_sector(model.vacancies.sum(axis=1))[None, :] * tables.application_kernel
    weights += 1e-12
    return draw_sector(np.cumsum(weights, axis=1), tables.row(skill, cert), u)


def person_factor_table(p: Params) -> np.ndarray:
    """Hiring factor for each (education, age 50+, low digital) combination, 12 values.

    Index ``education * 4 + age_50_plus * 2 + low_digital``.
    """
    edu = np.array([p["matching.factor_low_educated"], 1.0, p["matching.factor_high_educated"]])
    age = np.array([1.0, p["matching.factor_age_50"]])
    dig = np.array([1.0, p["matching.factor_low_digital"]])
    return (edu[:, None, None] * age[None, :, None] * dig[None, None, :]).ravel()


def person_factor(model: LabourMarketModel, rows: np.ndarray) -> np.ndarray:
    """What a searcher brings to every employer's verdict, whatever the sector.

    The hiring factors for education, age 50+ and low digital skills (a 12-entry table),
    the scarring of unemployment (1 - ``matching.long_term_scarring``)^(months / 12),
    attachment, and the month's :func:`lockdown_factor`. The verdict on an application is
    this times the fit of the searcher's profile in the sector
    (:attr:`ProfileTables.fit`; see the module docstring).
    """
    w = model.workers
    key = w.education[rows].astype(np.intp)
    key *= 4
    key += (w.age_months[rows] >= 50 * 12) * 2
    key += w.low_digital[rows]
    tables = model.profiles
    person = tables.person_factors[key]
    person *= tables.scarring[np.minimum(w.unemployment_months[rows], len(tables.scarring) - 1)]
    person *= w.attachment[rows]
    person *= lockdown_factor(model)
    return person


def verdicts(
    model: LabourMarketModel,
    draws: Draws,
    seekers: np.ndarray,
    of: np.ndarray,
    app_id: np.ndarray,
    profile: np.ndarray,
    cum: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The applications an employer would take, and their sectors.

    An application goes to sector s with weight vacancies(s) x exp(-b x distance) and is
    wanted with probability person x fit(profile, s) (:func:`person_factor`). Drawn by
    thinning: a first keyed draw at person x the profile's largest fit over the sectors,
    then, for the applications that pass it (about one in eight), the sector and a second
    draw at fit(profile, s) / largest fit. Each (sector, wanted) has the same probability
    as with one draw after the sector, but the sector is drawn only for the few.

    Args:
        model: the model.
        draws: the month's keyed draws of matching.
        seekers: the searchers (worker rows).
        of: for each application, the index in ``seekers`` of its searcher.
        app_id: each application's key (worker row x ``MAX_APPLICATIONS`` + its number).
        profile: each searcher's row of the profile tables.
        cum: cumulative application weights by profile row and sector.

    Returns:
        ``(index, sector)``: the indices of the wanted applications and their sectors.
    """
    tables = model.profiles
    best = tables.fit_max[profile]
    best *= person_factor(model, seekers)
    first = np.flatnonzero(draws.uniform(app_id, "verdict") < best[of])
    rows_tab = profile[of[first]]
    u = draws.uniforms(app_id[first], "sector", "fit")
    sector = draw_sector(cum, rows_tab, u[0])
    fit = tables.fit.ravel().take(rows_tab * model.n_sectors + sector)  # 3x faster than [r, s]
    wanted = u[1] * tables.fit_max[rows_tab] < fit
    return first[wanted], sector[wanted]


def draw_sector(cum: np.ndarray, profile: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw of a sector for each application, all profiles at once.

    ``cum`` holds each profile's cumulative weights. They are normalised and shifted so
    that profile r occupies [r, r + 1); the sector is the number of cumulative shares at or
    below ``r + u``, counted over all sectors but the last (so at most the last sector,
    also where ``r + u`` rounds up to r + 1). One gather of every application's shares
    and one comparison: for a few hundred draws as fast as a ``searchsorted`` over every
    profile's shares, for thousands (matching) several times faster.
    """
    tot = cum[:, -1:]
    if (tot > 0).all():
        norm = cum / tot
    else:
        norm = np.divide(cum, tot, out=np.ones_like(cum), where=tot > 0)
    norm += np.arange(len(cum))[:, None]
    value = profile + u
    shares = norm[:, :-1].T.copy()  # sectors x profiles: the gather below reads rows
    return (shares.take(profile, axis=1) <= value).sum(axis=0)


def pick_winners(slot: np.ndarray, priority: np.ndarray, n_slots: int) -> np.ndarray:
    """Indices of the applications that win their slot (the highest priority), ascending.

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


def first_offers(worker: np.ndarray) -> np.ndarray:
    """Mask of each worker's first offer, for offers in the order of the applications.

    A searcher's applications are numbered one after the other, every worker searches
    once, and the offers keep the order of the applications (:func:`pick_winners`), so a
    worker's offers are adjacent: the first of each worker is the one whose worker differs
    from the previous offer's.
    """
    first = np.ones(len(worker), dtype=bool)
    np.not_equal(worker[1:], worker[:-1], out=first[1:])
    return first


def expected_searchers(model: LabourMarketModel) -> float:
    """Expected number of searchers in the worker table, without policy factors.

    The same probabilities as :func:`searchers`, summed instead of drawn: the reference
    market of the application rule, the same for every scenario of a seed.
    """
    w, p = model.workers, model.params
    st = w.status
    search_p = np.array(
        [
            p["matching.on_the_job_search"],
            p["matching.on_the_job_search"],
            p["matching.search_temporarily_unemployed"],
            p["matching.search_registered"],
            p["matching.search_in_training"],
            p["matching.search_inactive"],
            0.0,
        ]
    )
    prob = search_p[st] * w.attachment
    unreg = ~w.registered & (st == Status.JOB_SEEKER)
    prob[unreg] *= p["matching.search_unregistered"] / max(p["matching.search_registered"], 1e-9)
    return float(prob.sum())


def applications(
    model: LabourMarketModel, draws: Draws, seekers: np.ndarray, open_vacancies: int
) -> np.ndarray:
    """Applications each searcher sends this month: limited by the postings there are.

    ``matching.applications_per_searcher`` x (tightness / tightness at the start)
    ^ ``matching.contact_elasticity``, tightness = open vacancies per searcher (employed or
    not), rounded at random (keyed draw); counselled job
    seekers send ``vdab.counselling_extra_applications`` more. In a slack market a
    searcher finds fewer suitable postings, so extra searchers crowd each other out on
    the worker side as well as in the urn of each vacancy.
    """
    w, p = model.workers, model.params
    tightness = open_vacancies / max(len(seekers), 1)
    scale = (tightness / model.tightness_ref) ** p["matching.contact_elasticity"]
    mean = p["matching.applications_per_searcher"] * scale
    whole = math.floor(mean)  # a Python int: no numpy scalars, and the sum is int64 at once
    n_apps = whole + (draws.uniform(seekers, "applications") < mean - whole).astype(np.int64)
    n_apps[w.counselled[seekers]] += p["vdab.counselling_extra_applications"]
    return np.minimum(n_apps, MAX_APPLICATIONS)


def unemployed_rows(model: LabourMarketModel) -> np.ndarray:
    """Rows of the job seekers, registered or not, and of the job seekers in a course."""
    st = model.workers.status
    return np.flatnonzero((st == Status.JOB_SEEKER) | (st == Status.TRAINING))


#: the tally names of the unemployed at matching by duration band
_UNEMPLOYED_BY_BAND = tuple(f"unemployed_{name}" for _, name in transitions.DURATION_BANDS)


def record_stocks(
    model: LabourMarketModel, open_vacancies: int, unemployed: np.ndarray | None = None
) -> None:
    """Count the stocks that meet in this month's matching (the matching function's inputs).

    Open vacancies, registered job seekers, and the unemployed (job seekers, registered or
    not, and job seekers in a course) by unemployment duration
    (``transitions.DURATION_BANDS``), so that hires from unemployment can be related to
    both sides and job finding to duration (``sim/stylised_facts.py``). ``unemployed``: their
    rows (:func:`unemployed_rows`), when the caller has them.
    """
    w, tally = model.workers, model.tally
    if unemployed is None:
        unemployed = unemployed_rows(model)
    tally["vacancies_at_matching"] = open_vacancies
    tally["unemployed_at_matching"] = len(unemployed)
    registered = w.registered[unemployed] & (w.status[unemployed] == Status.JOB_SEEKER)
    tally["job_seekers_at_matching"] = int(np.count_nonzero(registered))
    bands = transitions.duration_band_counts(w.unemployment_months[unemployed])
    for name, k in zip(_UNEMPLOYED_BY_BAND, bands, strict=True):
        tally[name] = k


def record_searchers(model: LabourMarketModel, found: Searchers) -> None:
    """Count this month's searchers who are not unemployed: on the job and inactive.

    With ``unemployed_at_matching`` they make the searchers of the matching function
    with on-the-job search (Broersma and van Ours 1999, ``sim/stylised_facts.py``).
    """
    model.tally["employed_searchers"] = len(found.employed)
    model.tally["inactive_searchers"] = len(found.inactive)


def run(model: LabourMarketModel) -> None:
    """One month of applications, offers and acceptances; fills vacancies.

    Every draw is keyed by worker and application number (sim/streams.py), so a worker's
    applications go to the same places in every scenario as long as the vacancies do.
    """
    w, p = model.workers, model.params
    draws = model.streams.draws("matching")
    v_by_sector = model.by_sector(model.vacancies.sum(axis=1))
    total_v = int(v_by_sector.sum())
    unemployed = unemployed_rows(model)  # counted, then searching
    record_stocks(model, total_v, unemployed)
    model.searched_rows = np.empty(0, dtype=np.int64)
    if total_v == 0:
        return
    found = searchers(model, draws, unemployed)
    seekers = found.rows()
    model.searched_rows = seekers  # for the ILO status of the month (sim/outputs.py)
    record_searchers(model, found)
    n_apps = applications(model, draws, seekers, total_v)
    # skill profile and certificate of each searcher: the row of the profile tables
    profile = model.profiles.row(w.skill[seekers], w.cert[seekers])
    weights = v_by_sector[None, :] * model.profiles.application_kernel  # profiles x sectors
    cum = np.cumsum(weights, axis=1)
    if not (cum[:, -1] > 0).all():  # a profile without a sector to apply to: its searchers
        ok = cum[profile, -1] > 0  # send nothing
        seekers, n_apps, profile = seekers[ok], n_apps[ok], profile[ok]
    of = np.repeat(np.arange(len(seekers)), n_apps)  # the searcher of each application
    # application id: worker row x MAX_APPLICATIONS + the application's number for the worker
    first_app = np.cumsum(n_apps) - n_apps
    app_id = (seekers * MAX_APPLICATIONS - first_app)[of]
    app_id += np.arange(len(of))
    # the employer's verdict on each application, and its sector
    wanted, sector = verdicts(model, draws, seekers, of, app_id, profile, cum)
    app_id = app_id[wanted]
    if len(app_id) == 0:
        return
    app_worker = seekers[of[wanted]]
    # one vacancy slot per application; a vacancy keeps the applicant with top priority
    offsets = np.cumsum(v_by_sector) - v_by_sector  # first slot of each sector
    u = draws.uniforms(app_id, "slot", "priority")
    slot = offsets[sector] + (u[0] * v_by_sector[sector]).astype(np.int64)
    won = pick_winners(slot, u[1], total_v)
    won = won[first_offers(app_worker[won])]  # a worker with several offers keeps the first
    rows, sector, slot = app_worker[won], sector[won], slot[won]
    employed, job_seeker = p["matching.accept_employed"], p["matching.accept_jobseeker"]
    accept = np.array(
        [
            employed,
            employed,  # by status code (docs/ODD.md 7.17)
            p["matching.accept_temporarily_unemployed"] * model.tu_accept_factor(),
            job_seeker,
            job_seeker,
            job_seeker,  # the inactive who search passively accept as job seekers do
            0.0,
        ]
    )
    u = draws.uniforms(rows, "accept", "self_employed")  # keyed by row: one call for both
    yes = u[0] < accept[w.status[rows]]
    rows, sector, slot = rows[yes], sector[yes], slot[yes]
    # the self-employed share of the sector: some hires start on their own account
    employee = u[1][yes] >= p["sector.self_employed_share"][sector]
    transitions.hire(model, rows, sector, slot, employee)
