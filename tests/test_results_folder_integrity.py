"""Nothing silently wrong in a results folder (issue 14, items 1, 3 and 6): scenarios are
resolved once and never mixed, bad folder states are repaired or refused, a full disk
leaves no temporary file, and batch workers die with the batch."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

import sim
from experiments import cli
from experiments.spec import load_experiment
from experiments.worker import read_meta

ROOT = Path(__file__).resolve().parents[1]

WITH_FILE = """
name: edited
scenarios:
  - basis
  - file: hiring.yaml
replications: 4
root_seed: 5
horizon: {start: 2020-01, end: 2020-06}
horizons: [2020-06]
parameters: {simulation.persons_per_agent: 4000}
"""

HIRING = "name: hiring\nparameters:\n  matching.hire_probability: {value}\n"


def _setup(tmp_path: Path) -> Path:
    (tmp_path / "hiring.yaml").write_text(HIRING.format(value=0.15), encoding="utf-8")
    exp = tmp_path / "edited.yaml"
    exp.write_text(textwrap.dedent(WITH_FILE), encoding="utf-8")
    return exp


def _hire_probabilities(out: Path) -> dict[str, float]:
    return {
        p.stem: read_meta(p)["params"]["matching.hire_probability"]
        for p in sorted((out / "runs" / "monthly").glob("hiring__*.parquet"))
    }


class EditsTheFileAfterTheFirstRun:
    """``simulate`` that edits the scenario file once the first run is done (a colleague
    saving the file while the batch runs)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.calls = 0

    def __call__(self, scenario, seed, overrides=None):
        self.calls += 1
        if self.calls == 4:  # after hiring__r000 and basis__r001
            self.path.write_text(HIRING.format(value=0.30), encoding="utf-8")
        return sim.simulate(scenario, seed, overrides=overrides)


def test_a_scenario_file_edited_during_a_batch_is_never_mixed_and_then_refused_by_name(
    tmp_path, api, capsys
):
    exp = _setup(tmp_path)
    out = tmp_path / "out"
    spec = load_experiment(exp, api)
    simulate = EditsTheFileAfterTheFirstRun(tmp_path / "hiring.yaml")
    code = cli.execute(
        spec, api, out=out, workers=1, progress=False, report=False, simulate=simulate
    )
    assert code == 0
    assert simulate.calls == 8
    assert set(_hire_probabilities(out).values()) == {0.15}  # every run: the value read first
    assert "hiring.yaml changed while the batch ran" in capsys.readouterr().err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenarios"]["hiring"]["overrides"] == {"matching.hire_probability": 0.15}
    assert [Path(f).name for f in manifest["scenarios"]["basis"]["files"]] == ["basis.yaml"]

    assert cli.main(["run", str(exp), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "hiring.yaml" in err and "matching.hire_probability" in err
    assert set(_hire_probabilities(out).values()) == {0.15}


def test_a_garbage_run_file_is_set_aside_and_run_again(tmp_path, api, capsys):
    exp = _setup(tmp_path)
    out = tmp_path / "out"
    assert cli.main(["run", str(exp), "--out", str(out), "--workers", "1", "--no-report"]) == 0
    monthly = out / "runs" / "monthly"
    good = (monthly / "basis__r001.parquet").read_bytes()
    (monthly / "basis__r001.parquet").write_bytes(b"garbage")
    (out / ".manifest.json.4242.tmp").write_text("{")  # left by a killed batch
    (monthly / ".basis__r002.parquet.4242.tmp").write_bytes(b"half")
    capsys.readouterr()

    assert cli.main(["report", str(out)]) == 2
    assert "basis__r001.parquet" in capsys.readouterr().err

    assert cli.main(["run", str(exp), "--out", str(out), "--workers", "1", "--no-report"]) == 0
    printed = capsys.readouterr().out
    assert "could not be read (basis__r001)" in printed and "1 to run" in printed
    assert (monthly / "basis__r001.parquet").read_bytes() == good
    assert (monthly / "basis__r001.parquet.damaged").read_bytes() == b"garbage"
    assert not list(out.rglob(".*.tmp"))


def test_a_full_disk_is_exit_2_with_a_message_and_leaves_no_temporary_file(
    tmp_path, api, capsys, monkeypatch
):
    import experiments.store as store_mod

    exp = _setup(tmp_path)
    out = tmp_path / "out"
    real_fsync = os.fsync
    writes = {"n": 0}

    def fsync(fd: int) -> None:
        writes["n"] += 1
        if writes["n"] > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(store_mod.os, "fsync", fsync)
    assert cli.main(["run", str(exp), "--out", str(out), "--workers", "1", "--no-report"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert not list(out.rglob(".*.tmp"))
    monkeypatch.setattr(store_mod.os, "fsync", real_fsync)
    assert cli.main(["run", str(exp), "--out", str(out), "--workers", "1", "--no-report"]) == 0
    assert len(list((out / "runs" / "monthly").glob("*.parquet"))) == 8


@pytest.mark.timeout(120)
def test_batch_workers_die_with_the_main_process_after_kill_9(tmp_path):
    exp = _setup(tmp_path)
    text = exp.read_text().replace("replications: 4", "replications: 60")
    exp.write_text(text.replace("end: 2020-06", "end: 2021-06"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["--out", str(tmp_path / "out"), "--workers", "2", "--no-progress", "--no-report"]
    proc = subprocess.Popen(
        [sys.executable, "run_experiment.py", "run", str(exp), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    main = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "out" / "runs").glob("*/*.parquet")):  # workers are running
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.2)
    family = main.children(recursive=True)
    assert len(family) >= 3  # forkserver and two workers (and a resource tracker)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _, alive = psutil.wait_procs(family, timeout=15)
    for p in alive:
        p.kill()
    assert not alive, f"{len(alive)} process(es) of the batch outlived it"
