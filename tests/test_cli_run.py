"""The command line end to end: run, rerun, refusal of a changed file, kill and resume."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TINY = """
name: tiny
title: {nl: Kleine proef, en: Tiny trial}
scenarios:
  - basis
  - name: meer-opleiding
    base: basis
    overrides: {training.tu_uptake: 0.5}
replications: REPS
root_seed: 11
horizon: {start: 2020-01, end: 2020-12}
horizons: [2020-06, 2020-12]
parameters: {simulation.persons_per_agent: 2000}
"""


def _experiment(tmp_path: Path, reps: int = 3, extra: str = "") -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(textwrap.dedent(TINY).replace("REPS", str(reps)) + extra, encoding="utf-8")
    return path


def _cli(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "run_experiment.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _snapshot(folder: Path) -> dict[str, tuple[tuple[int, int], ...]]:
    """(inode, mtime) of the files of each finished run (one file in every table folder)."""
    tables = ("monthly", "sectors", "transitions", "sector_flows")
    runs = folder / "runs"
    ids = set.intersection(*({p.stem for p in (runs / t).glob("*.parquet")} for t in tables))
    return {
        r: tuple(
            (
                (runs / t / f"{r}.parquet").stat().st_ino,
                (runs / t / f"{r}.parquet").stat().st_mtime_ns,
            )
            for t in tables
        )
        for r in sorted(ids)
    }


def test_tiny_experiment_end_to_end_through_the_cli(tmp_path):
    exp = _experiment(tmp_path)
    out = tmp_path / "out"
    res = _cli("run", str(exp), "--out", str(out), "--workers", "2")
    assert res.returncode == 0, res.stderr
    assert "6 runs" in res.stdout and f"report: {out}/report.nl.html" in res.stdout
    assert "6/6 runs" in res.stderr  # the progress bar
    for name in (
        "manifest.json",
        "experiment.yaml",
        "summary.csv",
        "summary.parquet",
        "differences.csv",
        "differences_over_time.csv",
        "replication_advice.csv",
        "monthly.csv",
        "report.nl.html",
    ):
        assert (out / name).is_file(), name
    assert len(list((out / "runs" / "monthly").glob("*.parquet"))) == 6
    m = json.loads((out / "manifest.json").read_text())
    assert m["experiment"]["sha256"] == hashlib.sha256(exp.read_bytes()).hexdigest()
    assert m["root_seed"] == 11 and m["git"]["commit"]
    assert {"python", "mesa", "numpy", "pandas"} <= set(m["versions"])
    rec = m["runs"]["meer-opleiding__r002"]
    assert rec["status"] == "done" and rec["spawn_key"] == [2] and rec["duration_s"] > 0

    # Rerunning the same command completes only missing runs: here none.
    before = _snapshot(out)
    res = _cli("run", str(exp), "--out", str(out), "--workers", "1", "--no-report")
    assert res.returncode == 0, res.stderr
    assert "6 run(s) already" in res.stdout and "0 to run" in res.stdout
    assert _snapshot(out) == before

    # A changed design pointed at the same folder is refused, and nothing changes.
    manifest_text = (out / "manifest.json").read_text()
    changed = _experiment(tmp_path, reps=4)
    res = _cli("run", str(changed), "--out", str(out))
    assert res.returncode == 2
    assert "refused" in res.stderr and "different version" in res.stderr
    assert "--out" in res.stderr
    assert _snapshot(out) == before
    assert (out / "manifest.json").read_text() == manifest_text

    # A change that only affects the report is accepted without rerunning anything.
    _experiment(tmp_path, reps=3, extra="description: {nl: Anders, en: Other}\n")
    res = _cli("run", str(exp), "--out", str(out), "--workers", "1", "--no-report")
    assert res.returncode == 0, res.stderr
    assert "not in anything that affects the runs" in res.stdout
    assert _snapshot(out) == before


def test_batch_killed_half_way_resumes_with_no_run_lost_or_repeated(tmp_path):
    exp = _experiment(tmp_path, reps=8)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "run_experiment.py",
        "run",
        str(exp),
        "--out",
        str(out),
        "--workers",
        "2",
        "--no-progress",
        "--no-report",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if (out / "runs" / "sector_flows").is_dir() and len(_snapshot(out)) >= 3:
                break  # three runs finished (a run is done when all its tables are)
            assert proc.poll() is None, "the batch ended before it could be killed"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its forkserver and its workers
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.2)
    before = _snapshot(out)
    assert 3 <= len(before) < 16, len(before)

    res = _cli("run", str(exp), "--out", str(out), "--workers", "2", "--no-report")
    assert res.returncode == 0, res.stderr
    after = _snapshot(out)
    assert len(after) == 16  # no run lost
    assert {k: after[k] for k in before} == before  # no finished run done again
    m = json.loads((out / "manifest.json").read_text())
    assert m["sessions"][-1]["completed"] == 16 - len(before)
    assert all(r["status"] == "done" for r in m["runs"].values())
    assert not list((out / "runs").glob("*/.*.tmp"))  # no half-written file left behind


def test_run_any_preset_against_basis(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "run_experiment.py",
            "run",
            "--scenario",
            "derde-golf",
            "--replications",
            "1",
            "--workers",
            "1",
            "--no-progress",
            "--no-report",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(list((out / "runs" / "monthly").glob("*.parquet"))) == 2
    bad = subprocess.run(
        [sys.executable, "run_experiment.py", "run", "--scenario", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and "nope" in bad.stderr
