"""The results folder of one experiment: run files, manifest, and what goes with them.

Layout of ``results/NAME/``::

    manifest.json        provenance: experiment hash, git commit, versions, seeds, runs
    experiment.yaml      the experiment file as run
    runs/TABLE/RUN_ID.parquet  one file per table and run (monthly, sectors, transitions,
                         sector_flows), written atomically as soon as the run finishes;
                         every file of a table has the same columns (experiments.worker)
    summary.csv ...      tables written by the analysis (Parquet and CSV)
    report.nl.html       the report

A run counts as done when its file of every table exists: each file is written to a
temporary name and renamed into place, so it is either complete or absent, and a run
stopped between two files is run again. The manifest is rewritten atomically (at most
about once a second during a batch, and at the end); after a hard kill it is reconciled
with the files on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.design import RunSpec
from experiments.model_api import model_fingerprint
from experiments.spec import ExperimentSpec
from experiments.worker import RunOutcome, batch_tables, read_meta

#: 2: one file per table and run, every declared column in every file (1: one stacked file)
FORMAT_VERSION = 2
PACKAGES = (
    "werk-naar-werk",
    "mesa",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "SALib",
    "seaborn",
    "matplotlib",
    "dask",
    "distributed",
    "pyyaml",
)


class StoreError(RuntimeError):
    """A results folder that cannot be used for this experiment (with a clear message)."""


class StaleFolderError(StoreError):
    """A results folder whose runs cannot be mixed with this experiment's.

    It holds runs of another design of the experiment, or runs made by another version of
    the model code. :func:`archive_folder` can move it aside.

    Attributes:
        reason: What differs, in a few words (for a one-line note).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def package_versions() -> dict[str, str]:
    """Python and package versions for the manifest."""
    out = {"python": platform.python_version(), "platform": platform.platform()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_info(path: Path | None = None) -> dict[str, Any]:
    """The git commit (and whether the tree has changes) of the code being run."""
    where = path or Path(__file__).resolve().parent.parent
    info: dict[str, Any] = {"commit": None, "dirty": None}
    try:
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "sim", "experiments"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        info["dirty"] = bool(status.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``.

    The temporary file is removed when writing fails (a full disk), so none is left behind.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write text atomically (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a results folder, or ``None`` when there is none.

    Raises:
        StaleFolderError: When the manifest is damaged (not JSON, not a mapping, or without
            its run records): such a folder is refused, or moved aside with
            ``--archive-stale``, never guessed at.
    """
    p = Path(folder) / "manifest.json"
    if not p.is_file():
        return None
    try:
        manifest = json.loads(p.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        problem = f"cannot be read ({type(exc).__name__})"
    else:
        problem = _manifest_problem(manifest)
        if not problem:
            return manifest
    raise StaleFolderError(
        f"{p} is damaged: it {problem}. The folder cannot be resumed safely; move it aside "
        "with --archive-stale (or delete it) and run again.",
        "damaged manifest.json",
    )


def _manifest_problem(manifest: Any) -> str:
    """What is wrong with a manifest's shape, or ``''``."""
    if not isinstance(manifest, dict):
        return "is not a mapping"
    if manifest.get("format_version") != FORMAT_VERSION:
        return ""  # another format: refused as such by check_folder and Results
    shapes = {"experiment": dict, "runs": dict, "sessions": list}
    for key, kind in shapes.items():
        if not isinstance(manifest.get(key), kind):
            return f"has no valid '{key}'"
    if not all(isinstance(r, dict) and "status" in r for r in manifest["runs"].values()):
        return "has run records without a status"
    return ""


PARQUET_MAGIC = b"PAR1"


def readable_run_file(path: Path) -> bool:
    """Whether a run file looks like a whole Parquet file (``PAR1`` at both ends).

    Run files are written whole and renamed into place, so a file that fails this was
    put there by something else (a copy gone wrong, an editor, a full disk outside this
    tool). Reading only 8 bytes keeps the check cheap for folders of many runs.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(-4, os.SEEK_END)
            return head == PARQUET_MAGIC and fh.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def damaged_run_files(runs_dir: Path) -> list[Path]:
    """Run files (``runs/TABLE/RUN_ID.parquet``) that are not whole Parquet files."""
    return [p for p in sorted(Path(runs_dir).glob("*/*.parquet")) if not readable_run_file(p)]


def set_aside_damaged_runs(runs_dir: Path) -> list[str]:
    """Rename run files that cannot be read to ``RUN_ID.parquet.damaged`` (run again).

    A run with a damaged file of any table no longer counts as done, so it runs again and
    all its files are rewritten.

    Returns:
        The ids of the runs concerned.
    """
    bad = []
    for p in damaged_run_files(runs_dir):
        os.replace(p, p.with_name(p.name + ".damaged"))
        if p.stem not in bad:
            bad.append(p.stem)
    return bad


def remove_temporary_files(folder: Path) -> None:
    """Remove the temporary files a killed batch may have left (``.NAME.PID.tmp``)."""
    for tmp in [*folder.glob(".*.tmp"), *(folder / "runs").glob("**/.*.tmp")]:
        tmp.unlink(missing_ok=True)


def check_folder(folder: Path, spec: ExperimentSpec, design: str) -> str:
    """Decide, without writing anything, whether ``folder`` may hold this experiment.

    Args:
        folder: The results folder.
        spec: The experiment.
        design: Its design hash.

    Returns:
        ``"new"``, ``"resume"`` (same experiment) or ``"resume-changed"`` (the file changed
        only in fields that do not affect the runs: title, description, outcomes, horizons
        or analysis options).

    Raises:
        StoreError: When the folder holds another experiment or a changed design.
    """
    folder = Path(folder)
    try:
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder} exists and is not a folder.")
        manifest = read_manifest(folder)
        has_files = folder.is_dir() and any(folder.iterdir())
    except OSError as exc:
        raise StoreError(f"cannot use {folder} as results folder: {exc.strerror}.") from None
    if manifest is None:
        if has_files:
            raise StoreError(
                f"{folder} is not empty and has no manifest.json: it is not a results folder "
                "of this tool. Choose another folder with --out, or empty it."
            )
        return "new"
    _check_scenarios(folder, manifest, spec)
    old = manifest.get("experiment", {})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StaleFolderError(
            f"{folder} holds run files of format {manifest.get('format_version')}, this "
            f"version writes format {FORMAT_VERSION} (one file per table and run): old and "
            "new runs cannot be mixed. Run into a new folder with --out DIR, move the old "
            "folder aside with --archive-stale, or delete it to start again.",
            "another run-file format",
        )
    if old.get("design_hash") != design:
        raise StaleFolderError(
            f"{folder} holds results of a different version of experiment "
            f"'{manifest.get('name')}' (experiment file {old.get('path')}, "
            f"sha256 {str(old.get('sha256'))[:12]}..., now {spec.file_sha256[:12]}...). "
            "Its scenarios, replications, seeds, parameters or design changed, so old and new "
            "runs cannot be mixed. Run it into a new folder with --out DIR (or give the "
            "experiment a new name), move the old folder aside with --archive-stale, or "
            "delete it to start again.",
            "another design of the experiment",
        )
    made_by = manifest.get("model_fingerprint")
    if made_by is not None and made_by != model_fingerprint():
        raise StaleFolderError(
            f"{folder} holds runs made by another version of the model code (sim/ "
            f"fingerprint {made_by[:12]}..., now {model_fingerprint()[:12]}...): old and new "
            "runs cannot be mixed. Run into a new folder with --out DIR, move the old folder "
            "aside with --archive-stale, or delete it to start again.",
            "another version of the model code",
        )
    if old.get("sha256") != spec.file_sha256:
        return "resume-changed"
    return "resume"


def done_runs(runs_dir: Path) -> set[str]:
    """Ids of the runs whose file of every batch table is in ``runs_dir``."""
    ids = [{p.stem for p in (Path(runs_dir) / t).glob("*.parquet")} for t in batch_tables()]
    return set.intersection(*ids) if ids else set()


def scenario_record(spec: ExperimentSpec) -> dict[str, Any]:
    """What each scenario resolved to when the experiment was read (kept in the manifest).

    Every run of a scenario uses these overrides; a later batch on the same folder must
    resolve its scenarios to the same values (see :func:`check_folder`).
    """
    return {
        s.name: {"source": s.source, "kind": s.kind, "files": s.files, "overrides": s.resolved}
        for s in spec.scenarios
    }


def _plain(value: Any) -> Any:
    """``value`` as it reads back from the manifest's JSON."""
    return json.loads(json.dumps(value, default=str))


def _check_scenarios(folder: Path, manifest: dict[str, Any], spec: ExperimentSpec) -> None:
    """Refuse a folder whose runs used other values for a scenario, naming its files.

    Raises:
        StaleFolderError: When a scenario now resolves to other overrides than those stored
            in the manifest (its scenario file or preset was edited).
    """
    stored = manifest.get("scenarios")
    if not isinstance(stored, dict):
        return
    for s in spec.scenarios:
        old = stored.get(s.name)
        if not isinstance(old, dict) or _plain(s.resolved) == old.get("overrides"):
            continue
        before = old.get("overrides") or {}
        names = sorted(
            k for k in {*before, *s.resolved} if before.get(k) != _plain(s.resolved).get(k)
        )
        old_files = old.get("files") or {}
        files = [f for f in {**old_files, **s.files} if old_files.get(f) != s.files.get(f)]
        where = ", ".join(files) if files else f"source {s.source!r}"
        raise StaleFolderError(
            f"{folder} holds runs of scenario '{s.name}' made with other values: {where} "
            f"changed since (parameter(s) {', '.join(names[:10])}). Old and new runs cannot "
            "be mixed. Undo the change, run into a new folder with --out DIR, or move the old "
            "folder aside with --archive-stale.",
            f"scenario file {', '.join(Path(f).name for f in files) or s.source} changed",
        )


def lock_folder(folder: Path) -> Any:
    """Take a results folder's lock (``.lock``, exclusive, without waiting).

    Returns:
        The open lock file; closing it releases the lock.

    Raises:
        StoreError: When another process holds the lock.
    """
    lock_fh = open(Path(folder) / ".lock", "a+")
    try:
        fcntl.flock(lock_fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        lock_fh.close()
        raise StoreError(
            f"another process is running a batch into {folder}; wait for it to finish."
        ) from exc
    return lock_fh


def archive_folder(folder: Path) -> Path:
    """Move a results folder aside, to ``NAME.stale-YYYYMMDDTHHMMSSZ`` beside it.

    Nothing is deleted: the old runs, tables and report stay readable there. The folder's
    lock is taken first, so a folder that another batch is writing is never moved.

    Args:
        folder: The results folder.

    Returns:
        The folder's new path.

    Raises:
        StoreError: When another process holds the folder's lock.
    """
    folder = Path(folder)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = folder.with_name(f"{folder.name}.stale-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = folder.with_name(f"{folder.name}.stale-{stamp}-{n}")
    with lock_folder(folder):
        os.rename(folder, target)
    return target


class ResultStore:
    """A results folder opened for writing by one batch.

    Use :meth:`open` (which checks, creates and locks the folder) and close it with
    :meth:`close` (or as a context manager).
    """

    def __init__(self, folder: Path, manifest: dict[str, Any], lock_fh: Any):
        self.folder = Path(folder)
        self.runs_dir = self.folder / "runs"
        self.manifest = manifest
        self._lock_fh = lock_fh
        self._last_flush = 0.0
        self._dirty = False
        self.damaged: list[str] = []

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        folder: Path,
        spec: ExperimentSpec,
        runs: list[RunSpec],
        design: str,
        session: dict[str, Any] | None = None,
    ) -> ResultStore:
        """Check, create (or reopen) and lock a results folder.

        Args:
            folder: The results folder.
            spec: The experiment.
            runs: Its runs.
            design: Its design hash.
            session: Facts about this invocation (workers, scheduler, command).

        Returns:
            The opened store, reconciled with the run files on disk.

        Raises:
            StoreError: See :func:`check_folder`, or when another process holds the lock.
        """
        folder = Path(folder)
        state = check_folder(folder, spec, design)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock_fh = lock_folder(folder)
        except OSError as exc:
            raise StoreError(f"cannot create results folder {folder}: {exc.strerror}.") from None
        try:
            return cls._prepare(folder, spec, runs, design, state, session, lock_fh)
        except BaseException:
            lock_fh.close()
            raise

    @classmethod
    def _prepare(
        cls,
        folder: Path,
        spec: ExperimentSpec,
        runs: list[RunSpec],
        design: str,
        state: str,
        session: dict[str, Any] | None,
        lock_fh: Any,
    ) -> ResultStore:
        """Reconcile a locked folder with its run files and write the opening manifest."""
        runs_dir = folder / "runs"
        for table in batch_tables():
            (runs_dir / table).mkdir(parents=True, exist_ok=True)
        remove_temporary_files(folder)
        damaged = set_aside_damaged_runs(runs_dir)
        manifest = read_manifest(folder) if state != "new" else None
        if manifest is None:
            manifest = {
                "tool": "werk-naar-werk experiments",
                "format_version": FORMAT_VERSION,
                "name": spec.name,
                "created": now(),
                "experiment": {},
                "root_seed": spec.root_seed,
                "reference": spec.reference,
                "n_runs": len(runs),
                "sessions": [],
                "runs": {},
            }
        manifest["experiment"] = {
            "path": str(Path(spec.path).resolve()),
            "sha256": spec.file_sha256,
            "design_hash": design,
            "copy": "experiment.yaml",
        }
        manifest["reference"] = spec.reference
        manifest["scenarios"] = _plain(scenario_record(spec))
        manifest["git"] = git_info()
        manifest["model_fingerprint"] = model_fingerprint()
        manifest["versions"] = package_versions()
        known = manifest["runs"]
        for r in runs:
            rec = known.get(r.run_id)
            base = {
                "run_id": r.run_id,
                "scenario": r.scenario,
                "source": r.source,
                "replication": r.replication,
                "point": r.point,
                "spawn_key": list(r.spawn_key),
                "overrides": r.overrides,
                "files": {t: f"runs/{t}/{r.run_id}.parquet" for t in batch_tables()},
            }
            if rec is None:
                rec = {
                    **base,
                    "status": "pending",
                    "attempts": 0,
                    "duration_s": None,
                    "error": None,
                }
            else:
                rec.update(base)
            known[r.run_id] = rec
        on_disk = done_runs(runs_dir)
        for run_id, rec in known.items():
            if run_id in on_disk and rec["status"] != "done":
                rec.update(status="done", error=None, note="recovered from disk after a stop")
            elif run_id not in on_disk and rec["status"] == "done":
                rec.update(status="pending", note="file missing; run again")
            elif rec["status"] == "failed":
                rec.update(status="pending", attempts=0)
            if run_id in damaged:
                rec.update(status="pending", note="damaged file set aside (.damaged); run again")
        sess = {
            "session": len(manifest["sessions"]) + 1,
            "started": now(),
            "finished": None,
            "state": state,
            "git_commit": manifest["git"].get("commit"),
            **(session or {}),
        }
        manifest["sessions"].append(sess)
        store = cls(folder, manifest, lock_fh)
        store.damaged = damaged
        shutil.copyfile(spec.path, folder / "experiment.yaml")
        store.flush(force=True)
        return store

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def session(self) -> dict[str, Any]:
        """This invocation's record in the manifest."""
        return self.manifest["sessions"][-1]

    # ----------------------------------------------------------------- runs
    def done_ids(self) -> set[str]:
        """Ids of runs whose files are all on disk."""
        return done_runs(self.runs_dir)

    def write_run(self, run: RunSpec, outcome: RunOutcome, attempts: int) -> None:
        """Write a finished run's files atomically, then record it in the manifest.

        Args:
            run: The run.
            outcome: What the worker returned (its files).
            attempts: How often the run was started, the attempts that Dask retried on
                its own included.
        """
        for table, data in outcome.files.items():
            atomic_write_bytes(self.runs_dir / table / f"{run.run_id}.parquet", data)
        self.record(
            run.run_id,
            status="done",
            attempts=attempts,
            duration_s=round(outcome.duration, 4),
            error=None,
            host=outcome.host,
            pid=outcome.pid,
            worker=outcome.worker or f"{outcome.host}:{outcome.pid}",
            session=self.session["session"],
            finished=now(),
        )

    def record(self, run_id: str, **fields: Any) -> None:
        """Update a run's manifest record and flush now and then."""
        self.manifest["runs"][run_id].update(fields)
        self._dirty = True
        self.flush()

    def flush(self, force: bool = False) -> None:
        """Rewrite the manifest atomically (at most about once a second unless forced)."""
        if not force and (not self._dirty or time.monotonic() - self._last_flush < 1.0):
            return
        runs = self.manifest["runs"].values()
        self.manifest["updated"] = now()
        self.manifest["counts"] = {
            s: sum(1 for r in runs if r["status"] == s) for s in ("done", "failed", "pending")
        }
        atomic_write_text(
            self.folder / "manifest.json",
            json.dumps(self.manifest, indent=1, sort_keys=False, default=str) + "\n",
        )
        self._last_flush = time.monotonic()
        self._dirty = False

    def close(self, **session_fields: Any) -> None:
        """Finish the session record, write the manifest and release the lock."""
        if self._lock_fh is None:
            return
        self.session.update(finished=now(), **session_fields)
        try:
            self.flush(force=True)
        except OSError:
            pass  # a full disk: the next batch reconciles the manifest with the run files
        with contextlib.suppress(OSError):
            fcntl.flock(self._lock_fh.fileno(), fcntl.LOCK_UN)
        self._lock_fh.close()
        self._lock_fh = None


class Results:
    """Read-only access to a results folder (for analysis and the report)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        manifest = read_manifest(self.folder)
        if manifest is None:
            raise StoreError(f"{self.folder} has no manifest.json: not a results folder.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise StoreError(
                f"{self.folder} holds run files of format {manifest.get('format_version')}; "
                f"this version reads format {FORMAT_VERSION} (one file per table and run). "
                "Run the experiment again into a new folder."
            )
        self.manifest = manifest
        self._cache: dict[str, pd.DataFrame] = {}
        runs_dir = self.folder / "runs"
        damaged = [str(p.relative_to(runs_dir)) for p in damaged_run_files(runs_dir)]
        if damaged:
            more = f" and {len(damaged) - 5} more" if len(damaged) > 5 else ""
            raise StoreError(
                f"{self.folder}/runs holds run files that cannot be read: "
                f"{', '.join(damaged[:5])}{more}. Run the experiment again on this folder: "
                "it sets them aside and reruns those runs."
            )

    def run_ids(self) -> list[str]:
        """Ids of the finished runs (every file on disk), in manifest order."""
        done = done_runs(self.folder / "runs")
        return [r for r in self.manifest["runs"] if r in done]

    def run_files(self, table: str = "monthly") -> list[Path]:
        """The files of one table of the finished runs, in manifest order."""
        return [self.folder / "runs" / table / f"{r}.parquet" for r in self.run_ids()]

    def table(self, name: str) -> pd.DataFrame:
        """One table of every finished run, stacked (run columns first).

        Args:
            name: Table name (e.g. ``monthly``; :func:`experiments.worker.batch_tables`).

        Returns:
            The stacked table; empty when no run has it.
        """
        if name not in self._cache:
            files = self.run_files(name) if name in batch_tables() else []
            if files:
                table = pa.concat_tables([pq.read_table(p) for p in files])
                self._cache[name] = table.to_pandas()
            else:
                self._cache[name] = pd.DataFrame()
        return self._cache[name]

    def table_names(self) -> list[str]:
        """Tables of the run files."""
        return list(batch_tables())

    def params(self) -> dict[str, dict[str, Any]]:
        """Parameters actually used, per scenario (from each scenario's first monthly file)."""
        out: dict[str, dict[str, Any]] = {}
        for p in self.run_files("monthly"):
            meta = read_meta(p)
            scen = meta.get("run", {}).get("scenario")
            if scen not in out and meta.get("params"):
                out[scen] = meta["params"]
        return out

    def iter_runs(self) -> Iterator[dict[str, Any]]:
        """The manifest's run records."""
        yield from self.manifest["runs"].values()


def versions_line() -> str:
    """A one-line version summary for messages."""
    v = package_versions()
    return f"Python {v['python']}, mesa {v['mesa']}, numpy {v['numpy']}, pandas {v['pandas']}"


def python_executable() -> str:
    """The running interpreter (for messages that tell users what to type)."""
    return sys.executable
