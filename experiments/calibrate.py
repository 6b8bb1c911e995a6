"""Calibration by simulated method of moments: ``python run_experiment.py calibrate FILE``.

A calibration file (``experiments/calibration/basis.yaml``) names the parameters to fit
(kind ``calibrated`` in the registry, each with a search range inside its registry
range), the targets file (``sim/calibration.yaml``), the seeds (common random numbers:
every parameter vector is run with the same replications), the scale and horizon, the
optimiser and its budget. The objective is the sum over calibration targets of
``weight * ((mean over seeds - observed) / tolerance) ** 2``.

Every model run goes through the batch runner (:func:`experiments.runner.run_batch`: local
processes or Dask, retries, a crashed pool rebuilt); as it finishes, its moments are
measured on its tables and written to ``OUT/runs/moments/RUN_ID.json``, and each evaluated
vector is appended to ``OUT/evaluations.jsonl``. The optimisers are deterministic given
their seed, so a stopped calibration, started again with the same command, replays its
proposals and finds every finished evaluation (and run) on disk: nothing is run twice.

At the end: the fitted values with their provenance (``OUT/fitted.yaml``; ``--install``
copies it to ``sim/calibrated.yaml``, where the registry reads the defaults of the
calibrated parameters), the identification table (finite-difference sensitivity of each
calibration moment to each fitted parameter), the target and validation tables, and the
HTML report (:mod:`experiments.calibration_report`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import yaml

from experiments.design import RunSpec
from experiments.runner import ExecutorFactory, default_workers, run_batch
from experiments.seeds import spawn_key
from experiments.store import (
    StoreError,
    atomic_write_bytes,
    atomic_write_text,
    git_info,
    lock_folder,
    model_fingerprint,
    now,
)
from experiments.worker import RunOutcome, read_frames
from sim import calibration as cal

ROOT = Path(__file__).resolve().parent.parent
METHODS = ("cma", "de")
#: objective contribution of a calibration moment the run could not produce (NaN)
NAN_PENALTY = 100.0


class CalibrationFileError(ValueError):
    """A calibration file that cannot be used (names the field and what is allowed)."""


# --------------------------------------------------------------------------- the file
@dataclasses.dataclass(frozen=True)
class FittedParameter:
    """One fitted coordinate: a parameter or one element (``NAME.KEY``) of a mapping.

    Attributes:
        name: As written in the file (``flows.separation_rate``,
            ``shock.first_wave_sensitivity.horeca``).
        base: The registry parameter.
        key: The element of a mapping, or None.
        lo: Lower end of the search range.
        hi: Upper end of the search range.
        log: Search on a log scale (rates spanning orders of magnitude).
        integer: Round to a whole number (``int`` parameters).
        start: Value the search starts from (the registry default unless given).
    """

    name: str
    base: str
    key: str | None
    lo: float
    hi: float
    log: bool
    integer: bool
    start: float

    def to_value(self, u: float) -> float | int:
        """The parameter value at unit coordinate ``u`` in [0, 1]."""
        u = min(max(float(u), 0.0), 1.0)
        if self.log:
            v = math.exp(math.log(self.lo) + u * (math.log(self.hi) - math.log(self.lo)))
        else:
            v = self.lo + u * (self.hi - self.lo)
        v = min(max(v, self.lo), self.hi)
        return round(v) if self.integer else float(f"{v:.6g}")

    def to_unit(self, v: float) -> float:
        """The unit coordinate of value ``v``."""
        if self.log:
            return (math.log(v) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        return (v - self.lo) / (self.hi - self.lo)


@dataclasses.dataclass
class CalibrationSpec:
    """A validated calibration file."""

    path: Path
    sha256: str
    design_sha256: str
    name: str
    title: dict[str, str]
    scenario: str
    targets_path: Path | None
    targets: dict[str, dict[str, Any]]
    weights: dict[str, float]
    parameters: list[FittedParameter]
    replications: int
    root_seed: int
    overrides: dict[str, Any]
    method: str
    budget: int
    popsize: int
    sigma0: float
    optimiser_seed: int
    identification_step: float
    identification_threshold: float
    holdout: int = 0
    holdout_candidates: int = 5

    @property
    def calibration_targets(self) -> list[str]:
        """Targets in the objective (role calibration, with an observed value)."""
        return [
            n
            for n, t in self.targets.items()
            if t["role"] == "calibration" and t.get("observed") is not None
        ]

    def x0(self) -> np.ndarray:
        """The start vector in unit coordinates."""
        return np.array([min(max(p.to_unit(p.start), 0.0), 1.0) for p in self.parameters])

    def values(self, x: Sequence[float]) -> dict[str, float | int]:
        """Parameter values (by name in the file) at unit vector ``x``."""
        return {p.name: p.to_value(u) for p, u in zip(self.parameters, x, strict=True)}

    def overrides_for(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Registry overrides: the file's fixed ones, then the fitted values.

        An element of a mapping is merged into its parameter's mapping.
        """
        out: dict[str, Any] = dict(self.overrides)
        for p in self.parameters:
            v = values[p.name]
            if p.key is None:
                out[p.base] = v
            else:
                out.setdefault(p.base, {})
                out[p.base] = {**out[p.base], p.key: v}
        return out


def _need(data: Mapping[str, Any], key: str, path: Path) -> Any:
    if key not in data:
        raise CalibrationFileError(f"{path}: field '{key}' is missing")
    return data[key]


def _title(value: Any, path: Path) -> dict[str, str]:
    """The title as ``{nl, en}`` (a plain string serves both)."""
    if isinstance(value, Mapping):
        return {
            "nl": str(value.get("nl") or value.get("en")),
            "en": str(value.get("en") or value.get("nl")),
        }
    text = str(value or f"Calibration {path.stem}")
    return {"nl": text, "en": text}


def load_calibration(path: str | Path) -> CalibrationSpec:
    """Read and check a calibration file against the registry and the targets.

    Raises:
        CalibrationFileError: for a missing field, a parameter that is not of kind
            ``calibrated``, a range outside the registry's, an unknown target or method.
    """
    from sim.registry import ParameterError, load_registry, split_target

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalibrationFileError(f"cannot read calibration file {path}: {exc}") from exc
    data = yaml.safe_load(text) or {}
    reg = load_registry()
    targets_file = data.get("targets_file")
    targets_path = (path.parent / targets_file).resolve() if targets_file else None
    try:
        targets = cal.load_targets(targets_path)
    except cal.TargetError as exc:
        raise CalibrationFileError(f"{path}: targets: {exc}") from exc
    weights = {n: 1.0 for n in targets}
    for n, w in (data.get("weights") or {}).items():
        if n not in targets:
            raise CalibrationFileError(f"{path}: weights: unknown target '{n}'")
        if not (isinstance(w, int | float) and w >= 0):
            raise CalibrationFileError(f"{path}: weights.{n}: a number >= 0, got {w!r}")
        weights[n] = float(w)
    params = []
    for name, rec in (_need(data, "parameters", path) or {}).items():
        rec = rec or {}
        try:
            base, key = split_target(str(name), reg.parameters)
        except ParameterError as exc:
            raise CalibrationFileError(f"{path}: parameters: {exc}") from exc
        par = reg.parameters[base]
        if par.kind != "calibrated":
            raise CalibrationFileError(
                f"{path}: parameters.{name}: kind is '{par.kind}'; only parameters of kind "
                "'calibrated' are fitted (see `run_experiment.py list --kind calibrated`)"
            )
        if (key is None) != (par.type in ("float", "int")):
            raise CalibrationFileError(
                f"{path}: parameters.{name}: give a number parameter, or NAME.KEY for one "
                f"element of the mapping '{base}'"
            )
        rlo, rhi = par.range or (-math.inf, math.inf)
        lo, hi = rec.get("range", [rlo, rhi])
        if not (rlo <= lo < hi <= rhi):
            raise CalibrationFileError(
                f"{path}: parameters.{name}.range [{lo}, {hi}]: must be an interval inside "
                f"the registry range [{rlo}, {rhi}]"
            )
        log = bool(rec.get("log", False))
        if log and lo <= 0:
            raise CalibrationFileError(f"{path}: parameters.{name}: log scale needs range > 0")
        default = par.default if key is None else par.default.get(key, 0.0)
        start = float(rec.get("start", default))
        params.append(
            FittedParameter(
                str(name), base, key, float(lo), float(hi), log, par.type == "int", start
            )
        )
    if not params:
        raise CalibrationFileError(f"{path}: parameters: name at least one parameter to fit")
    seeds = data.get("seeds") or {}
    scale = data.get("scale") or {}
    opt = data.get("optimiser") or {}
    ident = data.get("identification") or {}
    overrides = dict(data.get("overrides") or {})
    if "persons_per_agent" in scale:
        overrides["simulation.persons_per_agent"] = int(scale["persons_per_agent"])
    if "end" in scale:
        overrides["simulation.end"] = str(scale["end"])
    try:
        reg.validate(overrides)
    except ParameterError as exc:
        raise CalibrationFileError(f"{path}: overrides/scale: {exc}") from exc
    method = str(opt.get("method", "cma"))
    if method not in METHODS:
        raise CalibrationFileError(
            f"{path}: optimiser.method {method!r}; allowed: {', '.join(METHODS)}"
        )
    d = len(params)
    design = {**data, "optimiser": {k: v for k, v in opt.items() if k != "budget"}}
    spec = CalibrationSpec(
        path=path,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        design_sha256=hashlib.sha256(
            json.dumps(design, sort_keys=True, default=str).encode()
        ).hexdigest(),
        name=str(data.get("name") or path.stem),
        title=_title(data.get("title"), path),
        scenario=str(data.get("scenario", "basis")),
        targets_path=targets_path,
        targets=targets,
        weights=weights,
        parameters=params,
        replications=int(seeds.get("replications", 4)),
        root_seed=int(seeds.get("root_seed", 0)),
        overrides=overrides,
        method=method,
        budget=int(opt.get("budget", 200)),
        popsize=int(opt.get("popsize", 4 + int(3 * math.log(d)))),
        sigma0=float(opt.get("sigma0", 0.25)),
        optimiser_seed=int(opt.get("seed", 1)),
        identification_step=float(ident.get("step", 0.05)),
        identification_threshold=float(ident.get("threshold", 0.1)),
        holdout=int(seeds.get("holdout", 0)),
        holdout_candidates=int(seeds.get("holdout_candidates", 5)),
    )
    if spec.replications < 1 or spec.budget < 1 or spec.popsize < 2:
        raise CalibrationFileError(
            f"{path}: seeds.replications and optimiser.budget must be >= 1, popsize >= 2"
        )
    if spec.holdout < 0 or spec.holdout_candidates < 1:
        raise CalibrationFileError(
            f"{path}: seeds.holdout must be >= 0 (0: no check on fresh seeds) and "
            f"seeds.holdout_candidates >= 1; got {spec.holdout} and {spec.holdout_candidates}"
        )
    if not spec.calibration_targets:
        raise CalibrationFileError(f"{path}: the targets have no calibration target")
    return spec


# --------------------------------------------------------------------------- one run
#: run tables the moments are measured on (the targets' ``measure.table``)
MOMENT_TABLES = ("monthly", "transitions")


def _frame(data: bytes) -> pd.DataFrame:
    return pq.read_table(io.BytesIO(data)).to_pandas()


class EvaluationStore:
    """The runs of a calibration, kept as the runner hands them over.

    The runner's workers simulate and return each run's tables as Parquet bytes
    (:func:`experiments.worker.execute_run`); as each run arrives, while the others are
    still running, this store measures every target on its tables and writes the moments
    to ``runs/moments/RUN_ID.json``. The tables themselves are written
    (``runs/TABLE/RUN_ID.parquet``) only for runs whose id starts with ``tables__`` (the
    fitted vector's runs, for the report). It offers what :func:`run_batch` needs of a
    store (``done_ids``, ``write_run``, ``record``, ``flush``, ``session``); a run counts
    as done when its moments file exists.
    """

    def __init__(self, folder: Path, targets: Mapping[str, Any]) -> None:
        self.runs_dir = Path(folder) / "runs"
        self.moments_dir = self.runs_dir / "moments"
        self.moments_dir.mkdir(parents=True, exist_ok=True)
        self.targets = dict(targets)
        self.failures: dict[str, dict[str, Any]] = {}
        self.session = {"session": 1}
        for tmp in self.runs_dir.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)

    def done_ids(self) -> set[str]:
        """Ids of runs whose moments are on disk."""
        return {p.stem for p in self.moments_dir.glob("*.json")}

    def write_run(self, run: RunSpec, outcome: RunOutcome, attempts: int) -> None:
        """Measure the targets on a finished run; write its moments (and tables if kept)."""
        tables = {t: _frame(outcome.files[t]) for t in MOMENT_TABLES if t in outcome.files}
        values = cal.moments(tables, self.targets)
        if run.run_id.startswith("tables__"):
            for name, data in outcome.files.items():
                (self.runs_dir / name).mkdir(exist_ok=True)
                atomic_write_bytes(self.runs_dir / name / f"{run.run_id}.parquet", data)
        text = json.dumps({k: (v if math.isfinite(v) else None) for k, v in values.items()})
        atomic_write_text(self.moments_dir / f"{run.run_id}.json", text)

    def record(self, run_id: str, **fields: Any) -> None:
        """Remember a failed or retried run."""
        self.failures.setdefault(run_id, {}).update(fields)

    def flush(self, force: bool = False) -> None:
        """Nothing to flush: files are written at once."""

    def moments(self, run_id: str) -> dict[str, float]:
        """The moments of a finished run (NaN where the run could not give one)."""
        raw = json.loads((self.moments_dir / f"{run_id}.json").read_text(encoding="utf-8"))
        return {k: (math.nan if v is None else float(v)) for k, v in raw.items()}

    def frames(self, run_id: str, tables: Sequence[str]) -> dict[str, pd.DataFrame]:
        """Kept tables of a finished run."""
        return read_frames(self.runs_dir, run_id, list(tables))


# --------------------------------------------------------------------------- evaluations
class KeptExecutor:
    """One executor kept across the batches of a calibration.

    :func:`run_batch` shuts its executor down at the end of every batch; a calibration
    runs hundreds of small batches (one per generation), and starting a process pool
    for each costs more than the batch. This wrapper ignores that shutdown and makes a
    new executor only after a real one (a broken pool, an interrupt: ``cancel_futures``)
    or :meth:`close`.
    """

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory
        self.executor: Any = None

    def __call__(self) -> KeptExecutor:
        """The kept executor (made on first use and after a real shutdown)."""
        if self.executor is None:
            self.executor = self.factory()
        return self

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Submit to the kept executor."""
        return self.executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """End of a batch: keep the executor; a cancelling shutdown ends it."""
        if cancel_futures:
            self.close(wait=False)

    def close(self, wait: bool = True) -> None:
        """Shut the kept executor down."""
        if self.executor is not None:
            try:
                self.executor.shutdown(wait=wait, cancel_futures=not wait)
            except TypeError:  # dask's ClientExecutor has no cancel_futures
                self.executor.shutdown(wait=wait)
            self.executor = None


def vector_id(overrides: Mapping[str, Any], spec: CalibrationSpec) -> str:
    """A stable id of one evaluation: hash of its overrides, scenario and seeds."""
    payload = {
        "overrides": overrides,
        "scenario": spec.scenario,
        "seed": spec.root_seed,
        "replications": spec.replications,
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def objective(means: Mapping[str, float], spec: CalibrationSpec) -> tuple[float, dict[str, float]]:
    """The SMM objective and each calibration target's contribution."""
    parts = {}
    for name in spec.calibration_targets:
        t = spec.targets[name]
        m = means.get(name, math.nan)
        z = (m - float(t["observed"])) / cal.sigma(t)
        parts[name] = spec.weights[name] * (z * z if math.isfinite(z) else NAN_PENALTY)
    return float(sum(parts.values())), parts


class Evaluator:
    """Evaluates parameter vectors in batches through the runner, with a log on disk.

    Attributes:
        log: Evaluation id -> record (values, moments per seed, means, objective).
        order: Evaluation ids in the order the optimiser asked for them (this session's
            replay included), for the convergence plot.
        runs_done: Model runs finished in this session.
    """

    def __init__(
        self,
        spec: CalibrationSpec,
        folder: Path,
        factory: Callable[[], Any],
        slots: int,
        progress: Any = None,
        retries: int = 2,
    ) -> None:
        self.spec = spec
        self.folder = Path(folder)
        self.store = EvaluationStore(self.folder, spec.targets)
        self.factory = factory if isinstance(factory, KeptExecutor) else KeptExecutor(factory)
        self.slots = slots
        self.progress = progress
        self.retries = retries
        self.log_path = self.folder / "evaluations.jsonl"
        self.log: dict[str, dict[str, Any]] = {}
        if self.log_path.is_file():
            for line in self.log_path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    self.log[rec["id"]] = rec
        self.order: list[str] = []
        self.runs_done = 0
        self.best = math.inf

    def runs_for(
        self,
        eid: str,
        overrides: Mapping[str, Any],
        prefix: str = "",
        replications: Sequence[int] | None = None,
    ) -> list[RunSpec]:
        """The runs (one per replication) of one evaluation.

        ``replications``: the seeds' numbers (default ``range(spec.replications)``, the
        fitting seeds; the held-out seeds follow them).
        """
        reps = range(self.spec.replications) if replications is None else replications
        return [
            RunSpec(
                run_id=f"{prefix}{eid}__r{r:03d}",
                scenario=self.spec.name,
                source=self.spec.scenario,
                replication=r,
                point=None,
                overrides=dict(overrides),
                root_seed=self.spec.root_seed,
                spawn_key=spawn_key(r),
            )
            for r in reps
        ]

    def _execute(self, runs: list[RunSpec]) -> None:
        todo = [r for r in runs if r.run_id not in self.store.done_ids()]
        if not todo:
            return
        from sim import simulate

        result = run_batch(
            todo,
            self.store,
            self.factory,
            simulate,
            slots=self.slots,
            retries=self.retries,
        )
        self.runs_done += result.completed
        if result.failed:
            first = next(iter(result.failed.items()))
            raise RuntimeError(
                f"{len(result.failed)} model run(s) failed, e.g. {first[0]}: {first[1]}"
            )

    def batch(self, xs: Sequence[Sequence[float]], tag: str = "search") -> list[float]:
        """Objective of each unit vector in ``xs`` (runs not on disk are run in parallel)."""
        items = []
        for x in xs:
            values = self.spec.values(x)
            overrides = self.spec.overrides_for(values)
            items.append((vector_id(overrides, self.spec), values, overrides, list(map(float, x))))
        runs = [r for eid, _, ov, _ in items if eid not in self.log for r in self.runs_for(eid, ov)]
        self._execute(runs)
        out = []
        new_lines = []
        for eid, values, _, x in items:
            if eid not in self.log:
                moments, means = self.seed_moments(eid, range(self.spec.replications))
                obj, _ = objective(means, self.spec)
                rec = {
                    "id": eid,
                    "tag": tag,
                    "x": x,
                    "values": values,
                    "objective": obj,
                    "means": means,
                    "moments": moments,
                    "finished": now(),
                }
                self.log[eid] = rec
                new_lines.append(json.dumps(rec, default=_json_default))
            self.order.append(eid)
            obj = self.log[eid]["objective"]
            if tag == "search":
                self.best = min(self.best, obj)
            out.append(obj)
        if new_lines:
            with open(self.log_path, "a", encoding="utf-8") as fh:
                fh.write("\n".join(new_lines) + "\n")
        if self.progress is not None and tag == "search":
            self.progress.set_postfix_str(f"best {self.best:.4g}", refresh=False)
            self.progress.update(len(xs))
        return out

    def seed_moments(
        self, eid: str, replications: Sequence[int], prefix: str = ""
    ) -> tuple[dict[str, list[float]], dict[str, float]]:
        """Each target's moment per seed and its mean over the seeds (NaN-aware)."""
        per_seed = [self.store.moments(f"{prefix}{eid}__r{r:03d}") for r in replications]
        moments = {n: [m.get(n, math.nan) for m in per_seed] for n in self.spec.targets}
        with np.errstate(all="ignore"):
            means = {
                n: float(np.nanmean(v)) if np.isfinite(v).any() else math.nan
                for n, v in moments.items()
            }
        return moments, means

    def check_on_holdout(self) -> tuple[pd.DataFrame, dict[str, list[float]]]:
        """The best vectors of the search again, on seeds the fit never saw.

        With a few seeds per vector, the search's lowest objective is partly luck: the
        optimiser also fits those seeds' noise, so the objective on the fitting seeds is
        biased downwards. The ``seeds.holdout_candidates`` best vectors run again on
        ``seeds.holdout`` fresh seeds (numbered after the fitting seeds, same root seed);
        their objective there is an unbiased measure of the fit and shows whether the
        search's ranking survives new draws.

        Returns:
            One row per candidate (``rank`` on the fitting seeds, ``id``,
            ``objective_fit_seeds``, ``objective_holdout``) and the moments per held-out
            seed of the best vector, by target.
        """
        spec = self.spec
        best = sorted(self.searched(), key=lambda r: r["objective"])[: spec.holdout_candidates]
        reps = range(spec.replications, spec.replications + spec.holdout)
        runs = [
            run
            for rec in best
            for run in self.runs_for(
                rec["id"], spec.overrides_for(rec["values"]), "holdout__", reps
            )
        ]
        self._execute(runs)
        rows, best_moments = [], {}
        for rank, rec in enumerate(best, start=1):
            moments, means = self.seed_moments(rec["id"], reps, prefix="holdout__")
            rows.append(
                {
                    "rank": rank,
                    "id": rec["id"],
                    "objective_fit_seeds": rec["objective"],
                    "objective_holdout": objective(means, spec)[0],
                }
            )
            if rank == 1:
                best_moments = moments
        return pd.DataFrame(rows), best_moments

    def close(self) -> None:
        """Shut the kept executor down."""
        self.factory.close()

    def searched(self) -> list[dict[str, Any]]:
        """The evaluations of the search and of its start, each once, in the order asked."""
        return [
            self.log[e]
            for e in dict.fromkeys(self.order)
            if self.log[e]["tag"] in ("search", "start")
        ]

    def best_record(self) -> dict[str, Any]:
        """The evaluation of the search (or its start) with the lowest objective."""
        return min(self.searched(), key=lambda r: r["objective"])

    def tables_of(self, eid: str, overrides: Mapping[str, Any]) -> list[dict[str, pd.DataFrame]]:
        """Tables and moments of an evaluation's runs, run again once with tables kept."""
        runs = self.runs_for(eid, overrides, prefix="tables__")
        self._execute(runs)
        return [
            {**self.store.frames(r.run_id, MOMENT_TABLES), "moments": self.store.moments(r.run_id)}
            for r in runs
        ]


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    return str(obj)


# --------------------------------------------------------------------------- optimisers
def run_cma(spec: CalibrationSpec, ev: Evaluator) -> dict[str, Any]:
    """CMA-ES (``cma``) in the unit cube; stops at the budget or cma's own criteria.

    Returns:
        ``{"correlation": matrix or None, "stop": reasons}``.
    """
    import cma

    opts = {
        "bounds": [0.0, 1.0],
        "popsize": spec.popsize,
        "seed": spec.optimiser_seed,
        "maxfevals": spec.budget,
        "verbose": -9,
        "verb_log": 0,
        "verb_disp": 0,
        "tolfun": 1e-4,
        "tolx": 1e-4,
    }
    # the start itself, so that the fit is never worse than where it began (CMA-ES samples
    # around the start but need not draw it); outside the budget, not told to CMA-ES
    ev.batch([spec.x0()], tag="start")
    es = cma.CMAEvolutionStrategy(spec.x0(), spec.sigma0, opts)
    n = 0
    while not es.stop() and n + spec.popsize <= spec.budget:
        xs = es.ask()
        es.tell(xs, ev.batch(xs))
        n += len(xs)
    corr = None
    try:
        c = np.asarray(es.sm.C, dtype=float)
        d = np.sqrt(np.diag(c))
        corr = (c / np.outer(d, d)).tolist()
    except (AttributeError, ValueError):
        pass
    return {"correlation": corr, "stop": {k: str(v) for k, v in es.stop().items()} or "budget"}


def run_de(spec: CalibrationSpec, ev: Evaluator) -> dict[str, Any]:
    """Scipy's differential evolution, whole generations evaluated in parallel."""
    from scipy.optimize import differential_evolution

    d = len(spec.parameters)
    per_gen = max(5, spec.popsize // d) * d
    maxiter = max(1, spec.budget // per_gen - 1)

    def mapper(func: Callable[..., float], xs: Any) -> list[float]:
        return ev.batch([list(x) for x in xs])

    res = differential_evolution(
        lambda x: ev.batch([list(x)])[0],
        bounds=[(0.0, 1.0)] * d,
        x0=spec.x0(),
        popsize=max(5, spec.popsize // d),
        maxiter=maxiter,
        seed=spec.optimiser_seed,
        workers=mapper,
        updating="deferred",
        polish=False,
        tol=1e-4,
        init="latinhypercube",
    )
    return {"correlation": None, "stop": str(res.message)}


OPTIMISERS: dict[str, Callable[[CalibrationSpec, Evaluator], dict[str, Any]]] = {
    "cma": run_cma,
    "de": run_de,
}


# --------------------------------------------------------------------------- identification
def identification(spec: CalibrationSpec, ev: Evaluator, x: Sequence[float]) -> pd.DataFrame:
    """Finite-difference sensitivity of each calibration moment to each fitted parameter.

    For parameter j, the moments at ``x`` +/- ``step`` (unit coordinates, clipped to the
    range) with the same seeds; the entry is the change of the moment over that step in
    units of the target's tolerance. A target that no parameter moves by at least
    ``threshold`` tolerances, and by at least twice the seed noise of such a difference
    (column ``noise``), is not identified by the fitted parameters.

    Returns:
        One row per calibration target, one column per parameter, plus ``max_abs`` and
        ``identified``.
    """
    h = spec.identification_step
    ev.batch([list(x)], tag="identification")
    xs = []
    for j in range(len(spec.parameters)):
        for sgn in (1.0, -1.0):
            xx = list(x)
            xx[j] = min(max(xx[j] + sgn * h, 0.0), 1.0)
            xs.append(xx)
    ev.batch(xs, tag="identification")
    rows = {}
    for name in spec.calibration_targets:
        sig = cal.sigma(spec.targets[name])
        row = {}
        for j, p in enumerate(spec.parameters):
            up = ev.log[vector_id(spec.overrides_for(spec.values(xs[2 * j])), spec)]
            dn = ev.log[vector_id(spec.overrides_for(spec.values(xs[2 * j + 1])), spec)]
            row[p.name] = (up["means"][name] - dn["means"][name]) / sig
        rows[name] = row
    df = pd.DataFrame.from_dict(rows, orient="index")
    df["max_abs"] = df.abs().max(axis=1)
    # seed noise of a difference of two means, in tolerances (unpaired: conservative,
    # common random numbers make the paired noise smaller)
    centre = ev.log[vector_id(spec.overrides_for(spec.values(x)), spec)]
    noise = {}
    for name in df.index:
        v = np.asarray(centre["moments"][name], dtype=float)
        sd = float(np.std(v, ddof=1)) if v.size > 1 else 0.0
        noise[name] = math.sqrt(2.0 / v.size) * sd / cal.sigma(spec.targets[name])
    df["noise"] = pd.Series(noise)
    df["identified"] = df["max_abs"] >= np.maximum(spec.identification_threshold, 2 * df["noise"])
    df.index.name = "target"
    return df


# --------------------------------------------------------------------------- the command
def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    return tqdm(
        total=total,
        unit="eval",
        disable=not enabled,
        dynamic_ncols=True,
        file=sys.stderr,
        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} evaluations [{elapsed}<{remaining}{postfix}]",
    )


def _open_folder(folder: Path, spec: CalibrationSpec, archive_stale: bool) -> dict[str, Any]:
    """Create or reopen a calibration folder; refuse one of another file or model code."""
    from experiments.store import archive_folder

    manifest_path = folder / "manifest.json"
    fingerprint = model_fingerprint()
    targets_sha = cal.targets_sha256(spec.targets_path)
    seconds_before = 0.0
    if manifest_path.is_file():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        same = (
            old.get("design_sha256") == spec.design_sha256
            and old.get("model_fingerprint") == fingerprint
            and old.get("targets_sha256") == targets_sha
        )
        if not same:
            if not archive_stale:
                raise StoreError(
                    f"{folder} holds a calibration of another calibration file (other than "
                    "in optimiser.budget), targets file or model code; its runs cannot be "
                    "reused. Use --out DIR, move it aside "
                    "with --archive-stale, or delete it."
                )
            moved = archive_folder(folder)
            print(f"note: moved the old calibration folder to {moved}")
        else:
            seconds_before = float(old.get("seconds", 0.0))
    elif folder.is_dir() and any(folder.iterdir()):
        raise StoreError(f"{folder} is not empty and is not a calibration folder.")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "tool": "werk-naar-werk calibrate",
        "calibration_file": str(spec.path),
        "calibration_sha256": spec.sha256,
        "design_sha256": spec.design_sha256,
        "targets_file": str(spec.targets_path or "sim/calibration.yaml"),
        "targets_sha256": targets_sha,
        "model_fingerprint": fingerprint,
        "git": git_info(),
        "root_seed": spec.root_seed,
        "replications": spec.replications,
        "seconds": seconds_before,
        "updated": now(),
    }
    atomic_write_text(manifest_path, json.dumps(manifest, indent=1) + "\n")
    shutil.copyfile(spec.path, folder / "calibration.yaml")
    return manifest


def fitted_document(
    spec: CalibrationSpec,
    best: Mapping[str, Any],
    manifest: Mapping[str, Any],
    runs: int,
    seconds: float,
    holdout: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The parameter set with its provenance (what ``fitted.yaml`` holds).

    With a check on fresh seeds (``holdout``, :meth:`Evaluator.check_on_holdout`), the
    provenance also gives the fitted set's objective on those seeds.
    """
    doc = {
        "provenance": {
            "name": spec.name,
            "date": now(),
            "calibration_file": Path(spec.path).name,
            "calibration_sha256": spec.sha256,
            "targets_file": manifest["targets_file"],
            "targets_sha256": manifest["targets_sha256"],
            "code_fingerprint": manifest["model_fingerprint"],
            "git_commit": (manifest.get("git") or {}).get("commit"),
            "objective": float(f"{best['objective']:.6g}"),
            "optimiser": spec.method,
            "evaluations": runs // spec.replications,
            "model_runs": runs,
            "seconds": round(seconds),  # all sessions of a resumed calibration
            "seeds": {"root_seed": spec.root_seed, "replications": spec.replications},
            "persons_per_agent": spec.overrides.get("simulation.persons_per_agent"),
            "end": spec.overrides.get("simulation.end"),
        },
        "values": dict(best["values"]),
    }
    if holdout is not None and len(holdout):
        doc["provenance"]["holdout"] = {
            "seeds": spec.holdout,
            "objective": float(f"{holdout['objective_holdout'].iloc[0]:.6g}"),
        }
    return doc


def calibrate(
    spec: CalibrationSpec,
    *,
    out: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    progress: bool = True,
    report: bool = True,
    identify: bool = True,
    install: bool = False,
    archive_stale: bool = False,
    lang: str = "nl",
) -> dict[str, Any]:
    """Run (or resume) a calibration and write its outputs.

    Returns:
        ``{"folder", "best", "fitted", "identification", "table", "runs", "seconds",
        "evaluations", "result"}``.
    """
    folder = Path(out) if out is not None else Path("results") / f"calibration-{spec.name}"
    manifest = _open_folder(folder, spec, archive_stale)
    lock = lock_folder(folder)
    factory = ExecutorFactory(
        workers=workers or default_workers(), scheduler=scheduler, client=client
    )
    t0 = time.perf_counter()
    try:
        slots = factory.slots
        if factory.scheduler and not client:
            factory()
            slots = factory.slots
        bar = _progress(spec.budget, progress)
        ev = Evaluator(spec, folder, factory, slots, progress=bar)
        already = len(ev.log)
        try:
            result = OPTIMISERS[spec.method](spec, ev)
        finally:
            bar.close()
        best = ev.best_record()
        ident = identification(spec, ev, best["x"]) if identify else None
        tables = ev.tables_of(best["id"], spec.overrides_for(best["values"]))
        holdout, holdout_moments = ev.check_on_holdout() if spec.holdout else (None, {})
        ev.close()
    finally:
        factory.close()
        lock.close()
    seconds = time.perf_counter() - t0
    # the wall time of every session of this calibration (a resumed one adds its own)
    manifest["seconds"] = manifest["seconds"] + seconds
    atomic_write_text(folder / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    search_ids = [e for e in dict.fromkeys(ev.order) if ev.log[e]["tag"] == "search"]
    runs_total = len(search_ids) * spec.replications
    fitted = fitted_document(spec, best, manifest, runs_total, manifest["seconds"], holdout)
    text = (
        "# Fitted values of the calibrated parameters, with the provenance of the fit.\n"
        "# Written by `python run_experiment.py calibrate`; `--install` copies it to\n"
        "# sim/calibrated.yaml, which the registry reads (docs/CALIBRATION.md).\n"
        + yaml.safe_dump(fitted, sort_keys=False, allow_unicode=True)
    )
    atomic_write_text(folder / "fitted.yaml", text)
    values = {n: [m[n] for m in _moments_of(tables)] for n in spec.targets}
    target_table = cal.table(values, spec.targets, lang="en")
    target_table.to_csv(folder / "targets.csv", index=False)
    if ident is not None:
        ident.to_csv(folder / "identification.csv")
    holdout_table = None
    if holdout is not None:
        holdout.to_csv(folder / "holdout.csv", index=False)
        holdout_table = cal.table(holdout_moments, spec.targets, lang="en")
        holdout_table.to_csv(folder / "holdout_targets.csv", index=False)
    trace = pd.DataFrame(
        [
            {"evaluation": i + 1, "objective": ev.log[e]["objective"]}
            for i, e in enumerate(search_ids)
        ]
    )
    trace["best"] = trace["objective"].cummin()
    trace.to_csv(folder / "convergence.csv", index=False)
    summary = {
        "folder": folder,
        "best": best,
        "fitted": fitted,
        "identification": ident,
        "table": target_table,
        "holdout": holdout,
        "holdout_table": holdout_table,
        "runs": runs_total,
        "runs_this_session": ev.runs_done,
        "evaluations_reused": already,
        "seconds": seconds,
        "trace": trace,
        "result": result,
        "tables": tables,
    }
    if report:
        from experiments.calibration_report import write_calibration_report

        summary["report"] = write_calibration_report(spec, summary, lang=lang)
    if install:
        shutil.copyfile(folder / "fitted.yaml", ROOT / "sim" / "calibrated.yaml")
    return summary


def _moments_of(tables: Sequence[Mapping[str, Any]]) -> list[dict[str, float]]:
    return [dict(t["moments"]) for t in tables]


def print_summary(spec: CalibrationSpec, summary: Mapping[str, Any]) -> None:
    """The target, identification and validation tables on the terminal."""
    tab = summary["table"]
    cols = ["target", "observed", "simulated", "band_low", "band_high", "error", "ok"]
    fmt = "{:.4g}".format
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        for role in cal.ROLES:
            print(f"\n{role} targets (error in tolerances):")
            print(tab[tab["role"] == role][cols].to_string(index=False, float_format=fmt))
        ident = summary.get("identification")
        if ident is not None:
            print(
                f"\nidentification: change of each moment (in tolerances) over "
                f"+/-{spec.identification_step:g} of each parameter's range"
            )
            print(ident.to_string(float_format="{:.2f}".format))
            lost = list(ident.index[~ident["identified"]])
            if lost:
                print("not moved by any fitted parameter: " + ", ".join(lost))
    holdout = summary.get("holdout")
    if holdout is not None:
        print(
            f"\nthe {len(holdout)} best vectors again on {spec.holdout} fresh seeds "
            "(objective; the fit's seeds were not among them):"
        )
        print(holdout.to_string(index=False, float_format="{:.4g}".format))
    best = summary["best"]
    print(f"\nbest objective {best['objective']:.4g}; fitted values:")
    for k, v in best["values"].items():
        print(f"  {k} = {v}")
    print(
        f"{summary['runs']} model runs ({summary['runs'] // spec.replications} evaluations x "
        f"{spec.replications} seeds), {summary['runs_this_session']} run in this session, "
        f"{summary['seconds']:.0f} s"
    )


# --------------------------------------------------------------------------- CLI hook
def add_subcommand(sub: Any) -> None:
    """Add ``calibrate`` to the subcommands of ``run_experiment.py``."""
    c = sub.add_parser(
        "calibrate",
        help="fit the calibrated parameters to the targets (simulated method of moments)",
        description="Fit the parameters named in a calibration file to the calibration "
        "targets (sim/calibration.yaml) by simulated method of moments; runs go through "
        "the batch runner and are kept, so the same command resumes a stopped "
        "calibration. See docs/CALIBRATION.md.",
    )
    c.add_argument(
        "file", type=Path, help="calibration file, e.g. experiments/calibration/basis.yaml"
    )
    c.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="local worker processes (default: all cores)",
    )
    c.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler address, or 'local'"
    )
    c.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder (default: results/calibration-NAME)",
    )
    c.add_argument(
        "--install",
        action="store_true",
        help="copy the fitted set to sim/calibrated.yaml (the registry's defaults)",
    )
    c.add_argument(
        "--archive-stale",
        action="store_true",
        help="move aside a folder of another file or model version",
    )
    c.add_argument("--no-identification", action="store_true", help="skip the identification table")
    c.add_argument("--no-progress", action="store_true", help="no progress bar")
    c.add_argument("--no-report", action="store_true", help="no HTML report")
    c.add_argument("--lang", choices=("nl", "en"), default="nl", help="report language")


def cmd_calibrate(args: Any) -> int:
    """``calibrate FILE``: exit 0 when the calibration ran to the end, 2 for a bad file."""
    try:
        spec = load_calibration(args.file)
    except CalibrationFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"calibration '{spec.name}': {len(spec.parameters)} parameter(s), "
        f"{len(spec.calibration_targets)} calibration target(s), {spec.method} with a budget "
        f"of {spec.budget} evaluations x {spec.replications} seeds"
    )
    try:
        summary = calibrate(
            spec,
            out=args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=not args.no_progress,
            report=not args.no_report,
            identify=not args.no_identification,
            install=args.install,
            archive_stale=args.archive_stale,
            lang=args.lang,
        )
    except StoreError as exc:
        print(f"error: refused: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nstopped; run the same command again to resume.", file=sys.stderr)
        return 130
    print_summary(spec, summary)
    print(f"fitted set: {summary['folder']}/fitted.yaml")
    if summary.get("report"):
        print(f"report: {summary['report']}")
    if args.install:
        print("installed as sim/calibrated.yaml (run `python -m sim.reference` for the docs)")
    return 0
