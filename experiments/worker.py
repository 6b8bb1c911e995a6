"""What a worker process does for one run: simulate, then serialise to Parquet bytes.

The worker returns bytes, not DataFrames or the model, so that what crosses a process or
network boundary is small and plain; the parent writes the bytes to disk atomically. An
exception inside the model is caught here and returned with its traceback, so the runner
decides about retries whatever the executor.

One run's Parquet file holds every table of ``result.to_frames()`` stacked: a ``table``
column names the table, the run's id, scenario, replication and point come first, and
the file's metadata (key ``wnw``) lists each table's columns and dtypes so that
:func:`read_frames` gives back the frames as they were.
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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.seeds import run_seed

RUN_COLUMNS = ("run_id", "scenario", "replication", "point")
META_KEY = b"wnw"


@dataclass
class RunOutcome:
    """What comes back from a worker.

    Attributes:
        run_id: The run.
        ok: Whether the model ran and its output was serialised.
        data: Parquet bytes (when ``ok``).
        error: ``Type: message`` of the exception (when not ``ok``).
        traceback: Formatted traceback (when not ``ok``).
        duration: Seconds spent in the worker.
        host: Host name of the worker.
        pid: Process id of the worker.
    """

    run_id: str
    ok: bool
    data: bytes = b""
    error: str = ""
    traceback: str = ""
    duration: float = 0.0
    host: str = ""
    pid: int = 0


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


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """A frame with a plain RangeIndex and string column names."""
    if not isinstance(df.index, pd.RangeIndex) or df.index.name is not None:
        df = df.reset_index()
    else:
        df = df.reset_index(drop=True)
    if isinstance(df.columns, pd.MultiIndex):
        df.columns = ["_".join(str(c) for c in col if str(c)) for col in df.columns]
    df.columns = [str(c) for c in df.columns]
    return df


def frames_to_parquet(
    frames: Mapping[str, pd.DataFrame], run: Mapping[str, Any], params: Any = None
) -> bytes:
    """Serialise one run's frames into a single Parquet file (bytes).

    Args:
        frames: Table name -> DataFrame (``result.to_frames()``).
        run: The run (``RunSpec.to_json()``).
        params: Parameters actually used by the model (stored in the file's metadata).

    Returns:
        The Parquet file's bytes; identical for identical input.
    """
    tables: dict[str, pa.Table] = {}
    layout: dict[str, dict[str, Any]] = {}
    for name in sorted(frames):
        df = _flat(frames[name])
        df = df.drop(columns=[c for c in (*RUN_COLUMNS, "table") if c in df.columns])
        layout[name] = {
            "columns": list(df.columns),
            "dtypes": {c: str(df[c].dtype) for c in df.columns},
        }
        tables[name] = pa.Table.from_pandas(df, preserve_index=False)

    # Columns that appear with different types in different tables: numbers become
    # float64, anything else text. read_frames restores each table's own dtypes.
    types: dict[str, set[pa.DataType]] = {}
    for t in tables.values():
        for f in t.schema:
            types.setdefault(f.name, set()).add(f.type)
    conflict = {n: ts for n, ts in types.items() if len(ts) > 1}
    if conflict:
        for name, t in tables.items():
            for col, ts in conflict.items():
                if col not in t.column_names:
                    continue
                numeric = all(
                    pa.types.is_integer(x)
                    or pa.types.is_floating(x)
                    or pa.types.is_boolean(x)
                    or pa.types.is_null(x)
                    for x in ts
                )
                target = pa.float64() if numeric else pa.string()
                i = t.column_names.index(col)
                t = t.set_column(i, col, t.column(col).cast(target))
            tables[name] = t

    parts = []
    point = run.get("point")
    for name, t in tables.items():
        n = t.num_rows
        head = pa.table(
            {
                "run_id": pa.array([run["run_id"]] * n, pa.string()),
                "scenario": pa.array([run["scenario"]] * n, pa.string()),
                "replication": pa.array([int(run["replication"])] * n, pa.int32()),
                "point": pa.array([point] * n, pa.int32()),
                "table": pa.array([name] * n, pa.string()),
            }
        )
        for col in t.column_names:
            head = head.append_column(col, t.column(col))
        parts.append(head.replace_schema_metadata(None))
    combined = pa.concat_tables(parts, promote_options="permissive")
    meta = {"run": dict(run), "tables": layout, "params": params}
    combined = combined.replace_schema_metadata(
        {META_KEY: json.dumps(meta, sort_keys=True, default=_json_default).encode()}
    )
    sink = io.BytesIO()
    pq.write_table(combined, sink, compression="zstd")
    return sink.getvalue()


def read_meta(path: Any) -> dict[str, Any]:
    """The ``wnw`` metadata of a run file (run, tables, params)."""
    schema = pq.read_schema(path)
    raw = (schema.metadata or {}).get(META_KEY, b"{}")
    return json.loads(raw)


def read_frames(path: Any, tables: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read a run file back into its frames, each with the run columns first.

    Args:
        path: A run's Parquet file (path or file-like).
        tables: Names to read (default: all).

    Returns:
        Table name -> DataFrame with ``run_id``, ``scenario``, ``replication``, ``point``
        and the table's own columns in their original dtypes.
    """
    meta = read_meta(path)
    layout = meta.get("tables", {})
    names = [t for t in (tables or list(layout)) if t in layout]
    out = {}
    for name in names:
        cols = list(RUN_COLUMNS) + layout[name]["columns"]
        t = pq.read_table(path, columns=cols, filters=[("table", "=", name)])
        df = t.to_pandas()
        for col, dtype in layout[name]["dtypes"].items():
            if col in df.columns and str(df[col].dtype) != dtype:
                try:
                    df[col] = df[col].astype(dtype)
                except (TypeError, ValueError):
                    pass
        out[name] = df
    return out


def execute_run(
    run: Mapping[str, Any], simulate: Callable[..., Any], extra: Mapping[str, Any] | None = None
) -> RunOutcome:
    """Do one run in this process; never raises for errors in the model.

    Args:
        run: The run (``RunSpec.to_json()``).
        simulate: The model's ``simulate`` function.
        extra: Overrides applied before the run's own (e.g. the horizon).

    Returns:
        A :class:`RunOutcome` with the Parquet bytes or the error.
    """
    t0 = time.perf_counter()
    host, pid = socket.gethostname(), os.getpid()
    try:
        seed = run_seed(run["root_seed"], tuple(run["spawn_key"]))
        overrides = {**(extra or {}), **(run.get("overrides") or {})}
        result = simulate(scenario=run["source"], seed=seed, overrides=overrides or None)
        frames = result.to_frames()
        params = getattr(result, "params", None)
        data = frames_to_parquet(frames, run, params)
        del result, frames
        gc.collect()
        return RunOutcome(
            run["run_id"], True, data=data, duration=time.perf_counter() - t0, host=host, pid=pid
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
        )
