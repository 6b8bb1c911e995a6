"""An experiment's batch as one Python call: :func:`run_experiment`.

``run_experiment(spec)`` checks (and, when asked, moves aside) the results folder, runs every
run not yet on disk, locally or on a Dask cluster, and writes the tables and the report. It
prints nothing: the command line (:mod:`experiments.cli`) passes hooks and prints what they
tell. From Python::

    from experiments import load_model_api, load_experiment, run_experiment

    api = load_model_api()
    done = run_experiment(load_experiment("experiments/ahad.yaml", api), api, workers=2)
    done.folder, done.tables["differences"]
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.design import RunSpec, design_hash, expand_runs
from experiments.model_api import ModelAPI
from experiments.runner import BatchResult, ExecutorFactory, default_workers, run_batch
from experiments.spec import ExperimentSpec, changed_scenario_files
from experiments.store import (
    Results,
    ResultStore,
    StaleFolderError,
    archive_folder,
    check_folder,
)


@dataclass
class Batch:
    """A batch about to run (what the ``on_start`` hook receives).

    Attributes:
        spec: The experiment.
        folder: Its results folder.
        runs: Every run of the experiment.
        done_before: Runs already on disk when the batch started.
        state: ``new``, ``resume`` or ``resume-changed`` (see :func:`check_folder`).
        archived_to: Where a stale folder was moved, or ``None``.
        archived_reason: Why it was moved (a few words), or ``""``.
        executor: Where the runs go, in words.
        damaged: Runs whose file could not be read; set aside and run again.
    """

    spec: ExperimentSpec
    folder: Path
    runs: list[RunSpec]
    done_before: int = 0
    state: str = "new"
    archived_to: Path | None = None
    archived_reason: str = ""
    executor: str = ""
    damaged: list[str] = field(default_factory=list)

    @property
    def todo(self) -> int:
        """Runs still to do."""
        return len(self.runs) - self.done_before


@dataclass
class ExperimentRun:
    """What :func:`run_experiment` did.

    Attributes:
        batch: The batch (folder, runs, state).
        result: How the runs went (``None`` when nothing was left to run).
        interrupted: Whether the batch was stopped (Ctrl-C); rerun to finish.
        runs_on_disk: Runs in the folder at the end.
        seconds: Wall time of the runs.
        changed_files: Scenario files edited while the batch ran (the runs used the values
            read at the start; the next batch on this folder is refused).
        tables: The summary tables (when analysed).
        report: The HTML report (when written).
    """

    batch: Batch
    result: BatchResult | None = None
    interrupted: bool = False
    runs_on_disk: int = 0
    seconds: float = 0.0
    changed_files: list[str] = field(default_factory=list)
    tables: dict[str, Any] | None = None
    report: Path | None = None

    @property
    def folder(self) -> Path:
        """The results folder."""
        return self.batch.folder

    @property
    def failed(self) -> dict[str, str]:
        """Run id -> error of the runs that failed every attempt."""
        return dict(self.result.failed) if self.result else {}


def results_folder(spec: ExperimentSpec, out: Path | str | None) -> Path:
    """The results folder: ``out``, or ``results/NAME``."""
    return Path(out) if out is not None else Path("results") / spec.name


def _checked_folder(
    spec: ExperimentSpec, folder: Path, design: str, archive_stale: bool
) -> tuple[str, Path | None, str]:
    """``(state, moved_to, reason)`` after checking (and maybe moving aside) the folder."""
    try:
        return check_folder(folder, spec, design), None, ""
    except StaleFolderError as exc:
        if not archive_stale:
            raise
        moved = archive_folder(folder)
        return check_folder(folder, spec, design), moved, exc.reason


def _open_store(
    spec: ExperimentSpec, folder: Path, runs: list[RunSpec], design: str, factory: Any
) -> ResultStore:
    session = {
        "argv": sys.argv[1:],
        "workers": factory.workers,
        "scheduler": factory.scheduler,
        "executor": factory.describe(),
        "pid": os.getpid(),
    }
    return ResultStore.open(folder, spec, runs, design, session)


def _slots(factory: ExecutorFactory) -> int:
    """Runs to keep in flight: local workers, or the cluster's threads once connected."""
    if factory.scheduler and factory.client is None:
        factory()  # connect first, so that slots counts the cluster's workers
    return factory.slots if factory.scheduler or factory.client else factory.workers


def analyse(
    folder: Path, spec: ExperimentSpec, api: ModelAPI, *, report: bool = True, lang: str = "nl"
) -> tuple[dict[str, Any], Path | None]:
    """Write the summary tables (and the report) of a results folder.

    Returns:
        The tables and the report's path (``None`` without a report).
    """
    from experiments.tables import write_tables

    results = Results(folder)
    tables = write_tables(results, spec, api)
    if not report:
        return tables, None
    from experiments.report import write_report

    return tables, Path(write_report(results, spec, api, tables, lang=lang))


def run_experiment(
    spec: ExperimentSpec,
    api: ModelAPI,
    *,
    out: Path | str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    retries: int | None = None,
    archive_stale: bool = False,
    analyse_results: bool = True,
    report: bool = True,
    lang: str = "nl",
    simulate: Callable[..., Any] | None = None,
    on_start: Callable[[Batch], None] | None = None,
    on_done: Callable[[RunSpec, Any], None] | None = None,
) -> ExperimentRun:
    """Run an experiment's missing runs, then write its tables and report.

    Args:
        spec: The validated experiment.
        api: The model.
        out: Results folder (default ``results/NAME``).
        workers: Local worker processes (default: all cores; 1 runs in this process).
        scheduler: Dask scheduler address, or ``local`` for a Dask LocalCluster.
        client: An existing ``dask.distributed.Client`` (instead of ``scheduler``).
        retries: Extra attempts of a run that raises (default: the experiment's).
        archive_stale: Move a folder whose runs cannot be mixed with these aside, to
            ``DIR.stale-TIMESTAMP``, instead of refusing.
        analyse_results: Write the summary tables (and the report) after the runs.
        report: Write the HTML report.
        lang: Report language.
        simulate: Replacement for ``api.simulate`` (tests).
        on_start: Called once the folder is open, before any run.
        on_done: Called after each run ends (outcome ``None`` for a failed run).

    Returns:
        An :class:`ExperimentRun`. Tables are written only when at least one run is on
        disk and the batch was not interrupted.

    Raises:
        experiments.store.StoreError: A results folder that cannot be used (another
            experiment, changed scenario files, another model version, locked, not
            creatable); nothing was run.
    """
    runs = expand_runs(spec)
    design = design_hash(spec, runs)
    folder = results_folder(spec, out)
    state, moved, reason = _checked_folder(spec, folder, design, archive_stale)
    factory = ExecutorFactory(
        workers=workers or default_workers(), scheduler=scheduler, client=client
    )
    store = _open_store(spec, folder, runs, design, factory)
    batch = Batch(spec, folder, runs, len(store.done_ids()), state, moved, reason)
    batch.executor = factory.describe()
    batch.damaged = list(store.damaged)
    done = ExperimentRun(batch)
    if on_start:
        on_start(batch)
    t0 = time.perf_counter()
    try:
        if batch.todo:
            done.result = run_batch(
                runs,
                store,
                factory,
                simulate or api.simulate,
                slots=_slots(factory),
                retries=spec.retries if retries is None else retries,
                on_done=on_done,
            )
    except KeyboardInterrupt:
        done.interrupted = True
    finally:
        factory.close()
        done.seconds = time.perf_counter() - t0
        store.close(
            interrupted=done.interrupted,
            completed=done.result.completed if done.result else 0,
            failed=sorted(done.failed),
            seconds=round(done.seconds, 2),
        )
    done.runs_on_disk = len(store.done_ids())
    done.changed_files = changed_scenario_files(spec)
    if analyse_results and done.runs_on_disk and not done.interrupted:
        done.tables, done.report = analyse(folder, spec, api, report=report, lang=lang)
    return done
