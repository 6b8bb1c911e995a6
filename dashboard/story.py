"""'Follow a worker': one worker's monthly path, told as a short story.

The path is drawn from the simulation itself. The session runs its own model of scenario
B (one seed, a finer scale) through the model API, which keeps a snapshot of the worker
columns (status, sector, host sector, course and its target) after every month.
From those it picks a hospitality worker whose path runs through temporary unemployment
and training or a secondment into care, preferring one who ends up working in care, and
turns the months into episodes and sentences.

The model keeps no per-worker history of its own; the model API records it while stepping
(:func:`sim.worker_history.worker_history`, see docs/DASHBOARD.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard.i18n import number
from experiments.seeds import run_seed, spawn_key
from sim.worker_history import WorkerHistory, worker_history

HOME = "horeca"
TARGET = "care"
_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_EDU = {
    "nl": ("laaggeschoold", "middengeschoold", "hooggeschoold"),
    "en": ("low-educated", "medium-educated", "high-educated"),
}
_COURSE = {
    "nl": {
        1: "een korte sectorale module",
        2: "een omscholing",
        3: "een opleiding digitale vaardigheden",
    },
    "en": {1: "a short sector module", 2: "a retraining course", 3: "a digital-skills course"},
}


def pick_worker(history: WorkerHistory, seed: int = 0) -> tuple[int, int]:
    """Choose the worker to follow.

    Tiers, best first: (4) a hospitality worker who was temporarily unemployed, then in
    training towards care or seconded to care, and works in care at the end; (3) the same
    without ending in care; (2) temporarily unemployed and later in training or seconded
    anywhere; (1) temporarily unemployed at some point. Ties are broken at random
    (a fixed seed, so a comparison always tells the same story).

    Args:
        history: The recorded history.
        seed: Seed of the tie-break.

    Returns:
        (worker index in the history, tier); tier 0 when no hospitality worker qualifies.
    """
    c = history.columns
    home = history.sector_ids.index(HOME)
    care = history.sector_ids.index(TARGET)
    tu, trn, sec, emp = (
        history.code(n) for n in ("TEMPORARILY_UNEMPLOYED", "TRAINING", "SECONDED", "EMPLOYED")
    )
    start_home = (c["sector"][0] == home) & (c["status"][0] <= tu)
    was_tu = (c["status"] == tu) & (c["sector"] == home)
    first_tu = np.where(was_tu.any(axis=0), was_tu.argmax(axis=0), len(history.months))
    after = np.arange(len(history.months))[:, None] > first_tu[None, :]
    to_care = after & (
        ((c["status"] == trn) & (c["course_target"] == care))
        | ((c["status"] == sec) & (c["host"] == care))
    )
    moved = after & ((c["status"] == trn) | (c["status"] == sec))
    ends_care = ((c["status"][-1] == emp) | (c["status"][-1] == sec)) & (
        (c["sector"][-1] == care) | (c["host"][-1] == care)
    )
    tier = np.zeros(c["status"].shape[1], dtype=int)
    tier[start_home & was_tu.any(axis=0)] = 1
    tier[start_home & moved.any(axis=0)] = 2
    tier[start_home & to_care.any(axis=0)] = 3
    tier[start_home & to_care.any(axis=0) & ends_care] = 4
    best = int(tier.max())
    if best == 0:
        candidates = np.flatnonzero(start_home)
        if len(candidates) == 0:
            candidates = np.arange(len(tier))
    else:
        candidates = np.flatnonzero(tier == best)
    rng = np.random.default_rng(seed)
    return int(rng.choice(candidates)), best


@dataclass
class Episode:
    """Consecutive months in the same situation."""

    start: str
    end: str
    months: int
    status: str
    sector: int
    host: int
    course: int
    target: int


@dataclass
class Story:
    """One worker's path (months in episodes) and how it was chosen."""

    worker: int
    tier: int
    profile: dict[str, object]
    episodes: list[Episode] = field(default_factory=list)
    sector_labels: dict[str, list[str]] = field(default_factory=dict)
    scale: int = 1

    def _sector(self, code: int, lang: str) -> str:
        labels = self.sector_labels[lang]
        if 0 <= code < len(labels):
            return labels[code].lower()
        return "?"

    def sentence(self, ep: Episode, lang: str) -> str:
        """One episode in words."""
        nl = lang == "nl"
        sec = self._sector(ep.sector, lang)
        match ep.status:
            case "EMPLOYED":
                return f"werkt in de sector {sec}" if nl else f"works in {sec}"
            case "SECONDED":
                host = self._sector(ep.host, lang)
                return (
                    f"wordt gedeeld: werkt tijdelijk in {host}, blijft in dienst van de "
                    f"werkgever in {sec}"
                    if nl
                    else f"is shared: works for a while in {host}, still employed by the "
                    f"employer in {sec}"
                )
            case "TEMPORARILY_UNEMPLOYED":
                return (
                    f"tijdelijk werkloos, blijft verbonden aan de werkgever in {sec}"
                    if nl
                    else f"temporarily unemployed, still tied to the employer in {sec}"
                )
            case "JOB_SEEKER":
                return "werkzoekend" if nl else "looking for work"
            case "TRAINING":
                course = _COURSE[lang].get(ep.course, "een opleiding" if nl else "a course")
                target = self._sector(ep.target, lang) if ep.target >= 0 else ""
                towards = (f" richting {target}" if nl else f" towards {target}") if target else ""
                return (
                    f"volgt {course} bij VDAB{towards}"
                    if nl
                    else f"takes {course} with VDAB{towards}"
                )
            case "INACTIVE":
                return "niet beschikbaar voor werk (inactief)" if nl else "out of the labour force"
            case "RETIRED":
                return "met pensioen" if nl else "retired"
        return ep.status.lower()

    def markdown(self, lang: str = "nl") -> str:
        """The story as Markdown: an introduction and one line per episode."""
        nl = lang == "nl"
        p = self.profile
        edu = _EDU[lang][int(p["education"])]
        digital = (
            (", met zwakke digitale vaardigheden" if nl else ", with weak digital skills")
            if p["low_digital"]
            else ""
        )
        who = (
            f"Een werknemer van {p['age']} jaar, {edu}{digital}, in januari 2019 aan de slag "
            f"in de horeca. Eén van de gesimuleerde werknemers in scenario B; elk staat voor "
            f"{number(self.scale, lang)} personen."
            if nl
            else f"A worker aged {p['age']}, {edu}{digital}, working in hospitality in January "
            f"2019. One of the simulated workers in scenario B; each stands for "
            f"{number(self.scale, lang)} persons."
        )
        lines = [who, ""]
        for ep in self.episodes:
            span = (
                _month(ep.start, lang)
                if ep.start == ep.end
                else f"{_month(ep.start, lang)} – {_month(ep.end, lang)}"
            )
            unit = (
                ("maand" if ep.months == 1 else "maanden")
                if nl
                else ("month" if ep.months == 1 else "months")
            )
            lines.append(f"- **{span}** ({ep.months} {unit}): {self.sentence(ep, lang)}")
        return "\n".join(lines)


def _month(ym: str, lang: str) -> str:
    return f"{_MONTHS[lang][int(ym[5:7]) - 1]} {ym[:4]}"


def tell(history: WorkerHistory, worker: int, tier: int) -> Story:
    """Turn one worker's monthly snapshots into episodes."""
    c = {k: v[:, worker] for k, v in history.columns.items()}
    episodes: list[Episode] = []
    start = 0
    n = len(history.months)

    def key(i: int) -> tuple:
        status = history.status[int(c["status"][i])]
        course = int(c["course"][i]) if status == "TRAINING" else 0
        target = int(c["course_target"][i]) if status == "TRAINING" else -1
        host = int(c["host"][i]) if status == "SECONDED" else -1
        return status, int(c["sector"][i]), host, course, target

    for i in range(1, n + 1):
        if i == n or key(i) != key(start):
            status, sector, host, course, target = key(start)
            episodes.append(
                Episode(
                    history.months[start],
                    history.months[i - 1],
                    i - start,
                    status,
                    sector,
                    host,
                    course,
                    target,
                )
            )
            start = i
    profile = {
        "age": int(history.profile["age_months"][worker]) // 12,
        "education": int(history.profile["education"][worker]),
        "low_digital": bool(history.profile["low_digital"][worker]),
    }
    return Story(
        worker=worker,
        tier=tier,
        profile=profile,
        episodes=episodes,
        sector_labels=history.sector_labels,
        scale=history.scale,
    )


#: Persons per agent of the session's story model: finer than the comparison, so that
#: there are a few hundred hospitality workers to choose from.
STORY_SCALE = 200


def follow(
    choice, seed: int = 0, scale: int = STORY_SCALE, root_seed: int | None = None
) -> tuple[Story, object]:
    """Run the session's own model of a scenario and tell one hospitality worker's path.

    Args:
        choice: A :class:`dashboard.compare.ScenarioChoice` (scenario B on the page).
        seed: Replication number (the same seed as replication ``seed`` of the comparison).
        scale: Persons per agent of this run.
        root_seed: Root seed (default: the comparison's).

    Returns:
        (the story, the Mesa model after the run; it stays with the browser session).
    """
    from dashboard.compare import ROOT_SEED

    history = worker_history(
        choice.scenario(),
        run_seed(ROOT_SEED if root_seed is None else root_seed, spawn_key(seed)),
        overrides={"simulation.persons_per_agent": scale},
    )
    worker, tier = pick_worker(history, seed)
    return tell(history, worker, tier), history.model


def story_of(choice, seed: int = 0, scale: int = STORY_SCALE) -> Story:
    """Only the story of :func:`follow` (picklable: it runs in the page's worker pool)."""
    return follow(choice, seed, scale)[0]
