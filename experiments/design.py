"""From an experiment spec to the list of runs: scenarios x design points x replications.

Run ids are stable and readable (``basis__r003``, ``basis__p0012__r000``), so that a
rerun of the same experiment finds the runs already on disk. Runs are ordered replication
first, so a batch stopped half way has complete sets of scenarios for its first
replications.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from experiments.seeds import spawn_key
from experiments.spec import ExperimentSpec

#: The design point of a run without sweep or sample, in the manifest, the run files and
#: every table. An integer rather than NaN/null: pandas' groupby and merge drop rows whose
#: key is NaN by default (a run without a point would silently leave the paired
#: comparisons), and the column stays an integer in Parquet and CSV. Points count from 0.
NO_POINT = -1


@dataclass(frozen=True)
class RunSpec:
    """Everything needed to do one model run, in plain picklable values.

    Attributes:
        run_id: Stable id, also the Parquet file's stem.
        scenario: Scenario name in the experiment.
        source: The scenario's preset expression or file path (for records; not read again).
        scenario_overrides: The scenario's overrides as resolved once when the experiment
            was read; ``simulate`` receives these as its ``scenario``. ``None`` (a run made
            by other code, e.g. calibration): ``simulate`` receives ``source``.
        replication: Replication number (0-based).
        point: Design point (sweep or sample row), or :data:`NO_POINT`.
        overrides: Parameter overrides applied last (common, inline, design point).
        root_seed: The experiment's root seed.
        spawn_key: The seed's spawn key, ``(replication,)``.
    """

    run_id: str
    scenario: str
    source: str
    replication: int
    point: int
    overrides: dict[str, Any] = field(default_factory=dict)
    scenario_overrides: dict[str, Any] | None = None
    root_seed: int = 0
    spawn_key: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict of the run."""
        d = asdict(self)
        d["spawn_key"] = list(self.spawn_key)
        return d


def design_points(spec: ExperimentSpec) -> list[dict[str, Any]]:
    """Parameter values of each design point (one empty point without sweep or sample).

    Args:
        spec: The experiment.

    Returns:
        One dict per point, in design order (the order SALib's analysis expects).
    """
    if spec.sweep:
        names = list(spec.sweep)
        return [
            dict(zip(names, combo, strict=True))
            for combo in itertools.product(*spec.sweep.values())
        ]
    if spec.sample:
        from experiments.sensitivity import sample_matrix

        names, matrix = sample_matrix(spec.sample)
        ints = set(spec.sample.integers)
        return [
            {
                n: (round(float(v)) if n in ints else float(v))
                for n, v in zip(names, row, strict=True)
            }
            for row in matrix
        ]
    return [{}]


def expand_runs(spec: ExperimentSpec) -> list[RunSpec]:
    """All runs of an experiment, replication first.

    Args:
        spec: The experiment.

    Returns:
        The runs, with stable ids.
    """
    points = design_points(spec)
    has_points = bool(spec.sweep or spec.sample)
    runs = []
    for r in range(spec.replications):
        for p, values in enumerate(points):
            for s in spec.scenarios:
                run_id = f"{s.name}__p{p:04d}__r{r:03d}" if has_points else f"{s.name}__r{r:03d}"
                overrides = {**spec.parameters, **s.overrides, **values}
                runs.append(
                    RunSpec(
                        run_id=run_id,
                        scenario=s.name,
                        source=s.source,
                        replication=r,
                        point=p if has_points else NO_POINT,
                        overrides=overrides,
                        scenario_overrides=s.resolved,
                        root_seed=spec.root_seed,
                        spawn_key=spawn_key(r),
                    )
                )
    return runs


def design_hash(spec: ExperimentSpec, runs: list[RunSpec]) -> str:
    """Hash of what determines the runs' results.

    It covers each run's id, scenario source and the scenario's resolved overrides, the
    run's overrides and seed, and the horizon. Title, description, outcomes, horizons and
    analysis options are left out: changing them only changes the report.

    Args:
        spec: The experiment.
        runs: Its runs, from :func:`expand_runs`.

    Returns:
        SHA-256 hex digest.
    """
    payload = {
        "horizon": spec.horizon,
        "scenarios": {
            s.name: {"source": s.source if s.kind != "file" else "file", "resolved": s.resolved}
            for s in spec.scenarios
        },
        "runs": [r.to_json() for r in runs],
    }
    text = json.dumps(payload, sort_keys=True, default=_json_default)
    return hashlib.sha256(text.encode()).hexdigest()


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    return str(obj)
