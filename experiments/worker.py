"""What a worker process does for one run: simulate, then serialise to Parquet bytes.

The worker returns bytes, not DataFrames or the model, so that what crosses a process or
network boundary is small and plain; the parent writes the bytes to disk atomically. An
exception inside the model is caught here and returned with its traceback, so the runner
decides about retries whatever the executor.

A run gives one Parquet file per table (``runs/TABLE/RUN_ID.parquet``). Every file of a
table has the same columns in the same order and with the same types: the run columns
(``run_id``, ``scenario``, ``replication``, ``point``), then every column the output schema
(``sim/outputs.yaml``) declares for the table, null where the run's levers did not make
it. So ``pyarrow.dataset.dataset("runs/monthly")`` or ``pandas.read_parquet("runs/monthly")``
keeps every column. The file's metadata (key ``wnw``) holds the run and, in the monthly
file, the parameters the model used.
"""

from __future__ import annotations

import gc
import io
import json
import os
import socket
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.design import NO_POINT
from experiments.model_api import load_model_api
from experiments.seeds import run_seed

RUN_COLUMNS = ("run_id", "scenario", "replication", "point")
META_KEY = b"wnw"
#: Arrow type of each dtype the output schema may declare.
ARROW_TYPES = {
    "int64": pa.int64(),
    "int8": pa.int8(),
    "float64": pa.float64(),
    "string": pa.string(),
}
#: Dask event topic on which a worker reports each start of a run (prefix; the runner
#: adds a token of its batch).
ATTEMPT_TOPIC = "wnw-run-start"


@dataclass
class RunOutcome:
    """What comes back from a worker.

    Attributes:
        run_id: The run.
        ok: Whether the model ran and its output was serialised.
        files: Table name -> Parquet bytes (when ``ok``).
        error: ``Type: message`` of the exception (when not ``ok``).
        traceback: Formatted traceback (when not ``ok``).
        duration: Seconds spent in the worker.
        host: Host name of the worker.
        pid: Process id of the worker.
        worker: Address of the Dask worker that ran it (empty outside Dask).
    """

    run_id: str
    ok: bool
    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""
    traceback: str = ""
    duration: float = 0.0
    host: str = ""
    pid: int = 0
    worker: str = ""


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


@cache
def batch_tables() -> tuple[str, ...]:
    """The tables a batch keeps, from the output schema."""
    return tuple(load_model_api().outputs.batch_tables())


@cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of every run file of ``table``: run columns, then the declared ones."""
    cols = load_model_api().outputs.columns(table)
    return pa.schema(
        [
            pa.field("run_id", pa.string()),
            pa.field("scenario", pa.string()),
            pa.field("replication", pa.int64()),
            pa.field("point", pa.int64()),
            *(pa.field(c.name, ARROW_TYPES[c.dtype]) for c in cols),
        ]
    )


def conform(df: pd.DataFrame, table: str, run: Mapping[str, Any]) -> pa.Table:
    """One run's table in the declared schema: run columns first, absent columns null.

    Raises:
        ValueError: When the frame has a column the output schema does not declare.
    """
    schema = arrow_schema(table)
    extra = [c for c in df.columns if c not in schema.names]
    if extra:
        raise ValueError(
            f"table {table!r} has columns {extra} that sim/outputs.yaml does not declare"
        )
    n = len(df)
    point = run.get("point")
    head = {
        "run_id": pa.array([run["run_id"]] * n, pa.string()),
        "scenario": pa.array([run["scenario"]] * n, pa.string()),
        "replication": pa.array([int(run["replication"])] * n, pa.int64()),
        "point": pa.array([NO_POINT if point is None else int(point)] * n, pa.int64()),
    }
    arrays = [
        head[f.name]
        if f.name in head
        else (
            pa.array(df[f.name], type=f.type, from_pandas=True)
            if f.name in df.columns
            else pa.nulls(n, f.type)
        )
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def tables_to_parquet(
    frames: Mapping[str, pd.DataFrame], run: Mapping[str, Any], params: Any = None
) -> dict[str, bytes]:
    """Serialise one run's tables, one Parquet file (bytes) per batch table.

    Args:
        frames: Table name -> DataFrame (``result.to_frames()``).
        run: The run (``RunSpec.to_json()``).
        params: Parameters actually used by the model (kept in the monthly file's metadata).

    Returns:
        Table name -> the Parquet file's bytes; identical for identical input.
    """
    out = {}
    for name in batch_tables():
        table = conform(frames[name], name, run)
        meta: dict[str, Any] = {"run": dict(run), "table": name}
        if name == "monthly":
            meta["params"] = params
        table = table.replace_schema_metadata(
            {META_KEY: json.dumps(meta, sort_keys=True, default=_json_default).encode()}
        )
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd")
        out[name] = sink.getvalue()
    return out


def read_meta(path: Any) -> dict[str, Any]:
    """The ``wnw`` metadata of a run file (run, table, and params in the monthly file)."""
    schema = pq.read_schema(path)
    raw = (schema.metadata or {}).get(META_KEY, b"{}")
    return json.loads(raw)


def read_frames(
    runs_dir: Any, run_id: str, tables: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Read one run's tables back, each with the run columns first.

    Args:
        runs_dir: The ``runs`` folder of a results folder.
        run_id: The run.
        tables: Names to read (default: every batch table on disk).

    Returns:
        Table name -> DataFrame.
    """
    out = {}
    for name in tables or batch_tables():
        path = Path(runs_dir) / name / f"{run_id}.parquet"
        if path.is_file():
            out[name] = pq.read_table(path).to_pandas()
    return out


def _dask_worker() -> Any:
    """The Dask worker running this task, or None outside Dask."""
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):
        return None


def execute_run(
    run: Mapping[str, Any],
    simulate: Callable[..., Any],
    extra: Mapping[str, Any] | None = None,
    attempt_topic: str | None = None,
) -> RunOutcome:
    """Do one run in this process; never raises for errors in the model.

    Args:
        run: The run (``RunSpec.to_json()``).
        simulate: The model's ``simulate`` function.
        extra: Overrides applied before the run's own (e.g. the horizon).
        attempt_topic: Inside a Dask worker, the event topic on which to report this
            start, so that the runner counts the attempts that Dask retried on its own
            (a worker that died is restarted by its nanny and its task run again).

    Returns:
        A :class:`RunOutcome` with the Parquet bytes or the error.
    """
    t0 = time.perf_counter()
    host, pid = socket.gethostname(), os.getpid()
    dask_worker = _dask_worker()
    worker = str(dask_worker.address) if dask_worker is not None else ""
    if dask_worker is not None and attempt_topic:
        # through the worker's client, which waits for the scheduler: the worker's own
        # log_event is batched and would be lost with a worker that dies in this run
        from distributed import get_client

        get_client().log_event(attempt_topic, {"run_id": run["run_id"], "worker": worker})
    try:
        seed = run_seed(run["root_seed"], tuple(run["spawn_key"]))
        overrides = {**(extra or {}), **(run.get("overrides") or {})}
        # the scenario as resolved when the experiment was read, never its file again
        scenario = run.get("scenario_overrides")
        if scenario is None:
            scenario = run["source"]
        result = simulate(scenario=scenario, seed=seed, overrides=overrides or None)
        frames = result.to_frames()
        params = getattr(result, "params", None)
        files = tables_to_parquet(frames, run, params)
        del result, frames
        gc.collect()
        return RunOutcome(
            run["run_id"],
            True,
            files=files,
            duration=time.perf_counter() - t0,
            host=host,
            pid=pid,
            worker=worker,
        )
    except Exception as exc:
        return RunOutcome(
            run["run_id"],
            False,
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(limit=20),
            duration=time.perf_counter() - t0,
            host=host,
            pid=pid,
            worker=worker,
        )
