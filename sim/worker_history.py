"""Monthly histories of individual workers: what 'follow a worker' needs from a run.

The model keeps no per-worker history of its own. :func:`worker_history` builds a model,
steps it to its end and keeps, after every month, a few columns of the workers present at
the start (status, sector, host sector, course and its target, registration), with their
profile at the start. Callers (the workshop page) read the history, never the model's
worker table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.scenarios import Scenario
from sim.simulate import build_model

#: Columns kept after every month, per worker present at the start.
HISTORY_COLUMNS = ("status", "sector", "host", "course", "course_target", "registered")
#: Profile at the start, per worker.
PROFILE_COLUMNS = ("age_months", "education", "low_digital")


@dataclass
class WorkerHistory:
    """Monthly snapshots of some worker columns for the workers present at the start.

    Attributes:
        months: ``YYYY-MM`` per snapshot (after each month's step).
        columns: Column name -> array (months x workers), see :data:`HISTORY_COLUMNS`.
        profile: Column name -> array (workers) at the start, see :data:`PROFILE_COLUMNS`.
        sector_ids: Sector id per sector code.
        sector_labels: ``{lang: [label per sector code]}``.
        status: Status code -> name (``EMPLOYED``, ``SECONDED``...).
        scale: Persons per agent.
        model: The Mesa model after the run (it stays with the caller's session).
    """

    months: list[str]
    columns: dict[str, np.ndarray]
    profile: dict[str, np.ndarray]
    sector_ids: list[str]
    sector_labels: dict[str, list[str]]
    status: dict[int, str]
    scale: int
    model: Any = field(default=None, repr=False)

    def code(self, status: str) -> int:
        """The code of a status name (``EMPLOYED``...)."""
        return next(k for k, v in self.status.items() if v == status)


def worker_history(
    scenario: str | Path | Mapping[str, Any] | Scenario | None = "basis",
    seed: int | np.random.SeedSequence = 0,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> WorkerHistory:
    """Run one scenario with one seed and keep the monthly path of every starting worker.

    Same arguments as :func:`sim.simulate`; the run itself is the same (same seed, same
    numbers), only the recording differs.

    Returns:
        The history of the workers present at the start.
    """
    from sim.state import Status

    model = build_model(scenario, seed, overrides=overrides)
    w = model.workers
    n0 = w.n
    profile = {c: getattr(w, c)[:n0].copy() for c in PROFILE_COLUMNS}
    snaps: dict[str, list[np.ndarray]] = {c: [] for c in HISTORY_COLUMNS}
    months: list[str] = []
    while model.running:
        model.step()
        months.append(model.month)
        for c in HISTORY_COLUMNS:
            snaps[c].append(getattr(w, c)[:n0].copy())
    labels = {
        lang: [model.registry.sector_label(s, lang) for s in model.sector_ids]
        for lang in ("nl", "en")
    }
    return WorkerHistory(
        months=months,
        columns={c: np.stack(v) for c, v in snaps.items()},
        profile=profile,
        sector_ids=list(model.sector_ids),
        sector_labels=labels,
        status={int(s): s.name for s in Status},
        scale=int(model.params["simulation.persons_per_agent"]),
        model=model,
    )
