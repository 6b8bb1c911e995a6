"""The batch runner: identical results whatever the executor; retries; dying workers."""

from __future__ import annotations

import json
import os
import textwrap
from functools import partial
from pathlib import Path

import pytest

import sim
from experiments import cli
from experiments.spec import load_experiment

TINY = """
name: tiny
scenarios:
  - basis
  - name: meer-opleiding
    base: basis
    overrides: {training.tu_uptake: 0.5}
replications: 3
root_seed: 11
horizon: {start: 2020-01, end: 2020-12}
horizons: [2020-06, 2020-12]
parameters: {simulation.persons_per_agent: 2000}
"""


@pytest.fixture
def tiny(tmp_path, api):
    path = tmp_path / "tiny.yaml"
    path.write_text(textwrap.dedent(TINY), encoding="utf-8")
    return load_experiment(path, api)


def _is_basis(overrides) -> bool:
    return "training.tu_uptake" not in (overrides or {})


def flaky_simulate(scenario, seed, overrides=None, *, marker_dir: str):
    """Basis replication 1 raises once; basis replication 2 raises every time."""
    if _is_basis(overrides) and seed.spawn_key == (1,):
        marker = Path(marker_dir) / "flaky-once"
        if not marker.exists():
            marker.touch()
            raise RuntimeError("a flaky failure")
    if _is_basis(overrides) and seed.spawn_key == (2,):
        raise ValueError("this run always fails")
    return sim.simulate(scenario, seed, overrides=overrides)


def dying_simulate(scenario, seed, overrides=None, *, marker_dir: str):
    """Basis replication 1 kills its worker once; basis replication 2 every time."""
    if _is_basis(overrides) and seed.spawn_key == (1,):
        marker = Path(marker_dir) / "died-once"
        if not marker.exists():
            marker.touch()
            os._exit(3)
    if _is_basis(overrides) and seed.spawn_key == (2,):
        os._exit(3)
    return sim.simulate(scenario, seed, overrides=overrides)


def _files(folder: Path, table: str = "*") -> dict[str, bytes]:
    """Run files by path under ``runs/`` (``TABLE/RUN_ID.parquet``)."""
    runs = folder / "runs"
    return {
        str(p.relative_to(runs)): p.read_bytes() for p in sorted(runs.glob(f"{table}/*.parquet"))
    }


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def test_serial_parallel_and_dask_give_identical_result_files(tmp_path, tiny, api):
    from dask.distributed import Client, LocalCluster

    opts = {"progress": False, "report": False, "analyse": False}
    assert cli.execute(tiny, api, out=tmp_path / "serial", workers=1, **opts) == 0
    assert cli.execute(tiny, api, out=tmp_path / "parallel", workers=2, **opts) == 0
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        assert cli.execute(tiny, api, out=tmp_path / "dask", client=client, **opts) == 0
    serial = _files(tmp_path / "serial")
    assert len(serial) == 6 * 4  # monthly, sectors, transitions, sector_flows
    assert _files(tmp_path / "parallel") == serial
    assert _files(tmp_path / "dask") == serial
    # Common random numbers: replication r has the same spawn key in every scenario.
    runs = _manifest(tmp_path / "serial")["runs"]
    assert runs["basis__r002"]["spawn_key"] == runs["meer-opleiding__r002"]["spawn_key"] == [2]


def test_a_run_that_raises_is_retried_reported_and_the_others_complete(tmp_path, tiny, api, capsys):
    out = tmp_path / "out"
    simulate = partial(flaky_simulate, marker_dir=str(tmp_path))
    code = cli.execute(
        tiny, api, out=out, workers=2, retries=1, simulate=simulate, progress=False, report=False
    )
    assert code == 1
    captured = capsys.readouterr()
    assert "FAILED basis__r002: ValueError: this run always fails" in captured.err
    assert "1 run(s) failed" in captured.err
    runs = _manifest(out)["runs"]
    assert runs["basis__r001"]["status"] == "done" and runs["basis__r001"]["attempts"] == 2
    failed = runs["basis__r002"]
    assert failed["status"] == "failed" and failed["attempts"] == 2
    assert "always fails" in failed["error"] and "Traceback" in failed["traceback"]
    assert sorted(_files(out, "monthly")) == sorted(
        f"monthly/{r}.parquet" for r in runs if r != "basis__r002"
    )
    # The summary tables are written from the runs that finished.
    assert (out / "summary.csv").is_file()


def test_a_worker_that_dies_does_not_take_other_runs_with_it(tmp_path, tiny, api, capsys):
    out = tmp_path / "out"
    simulate = partial(dying_simulate, marker_dir=str(tmp_path))
    code = cli.execute(
        tiny,
        api,
        out=out,
        workers=2,
        retries=1,
        simulate=simulate,
        progress=False,
        report=False,
        analyse=False,
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "FAILED basis__r002: worker process died" in err
    runs = _manifest(out)["runs"]
    assert runs["basis__r001"]["status"] == "done"
    assert runs["basis__r002"]["status"] == "failed"
    assert len(_files(out, "monthly")) == 5
    # A rerun tries the failed run again (and, with the real model, completes it).
    assert (
        cli.execute(tiny, api, out=out, workers=2, progress=False, report=False, analyse=False) == 0
    )
    assert len(_files(out, "monthly")) == 6
    assert _manifest(out)["sessions"][-1]["completed"] == 1


def test_runs_of_other_model_code_are_not_mixed(tmp_path, tiny, api, monkeypatch):
    import experiments.store as store_mod

    out = tmp_path / "out"
    code = cli.execute(tiny, api, out=out, workers=1, progress=False, report=False, analyse=False)
    assert code == 0
    monkeypatch.setattr(store_mod, "model_fingerprint", lambda: "0" * 64)
    with pytest.raises(store_mod.StoreError, match="another version of the model code"):
        store_mod.check_folder(out, tiny, store_mod.read_manifest(out)["experiment"]["design_hash"])


def test_a_stale_folder_is_moved_aside_only_when_asked(tmp_path, tiny, api, monkeypatch, capsys):
    import experiments.store as store_mod

    out = tmp_path / "out"
    assert (
        cli.execute(tiny, api, out=out, workers=1, progress=False, report=False, analyse=False) == 0
    )
    old_runs = _files(out)
    monkeypatch.setattr(store_mod, "model_fingerprint", lambda: "0" * 64)
    # by default the batch refuses and leaves the folder as it was
    assert (
        cli.execute(tiny, api, out=out, workers=1, progress=False, report=False, analyse=False)
        == cli.EXIT_USAGE
    )
    assert "another version of the model code" in capsys.readouterr().err
    assert _files(out) == old_runs
    # with archive_stale it moves the old folder aside, whole, and runs afresh
    assert (
        cli.execute(
            tiny,
            api,
            out=out,
            workers=1,
            progress=False,
            report=False,
            analyse=False,
            archive_stale=True,
        )
        == 0
    )
    note = capsys.readouterr().out
    (moved,) = tmp_path.glob("out.stale-*")
    assert str(moved) in note
    assert _files(moved) == old_runs
    assert _manifest(out)["model_fingerprint"] == "0" * 64
    assert len(_files(out)) == len(old_runs)


def test_archive_folder_does_not_move_a_folder_being_written(tmp_path, tiny, api):
    import fcntl

    import experiments.store as store_mod

    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        # flock locks belong to the open file description: a second open conflicts
        with pytest.raises(store_mod.StoreError, match="another process is running"):
            store_mod.archive_folder(out)
    assert out.is_dir()
    assert not list(tmp_path.glob("out.stale-*"))


def test_the_default_job_archives_stale_results(monkeypatch):
    seen = {}
    monkeypatch.setattr(
        cli, "COMMANDS", {**cli.COMMANDS, "run": lambda a: seen.update(vars(a)) or 0}
    )
    assert cli.main([]) == 0
    assert seen["archive_stale"] is True and seen["experiment"] is None
    seen.clear()
    assert cli.main(["run"]) == 0
    assert seen["archive_stale"] is False


def test_run_experiment_is_the_batch_as_one_python_call(tmp_path, tiny, api):
    from experiments import run_experiment

    seen = []
    done = run_experiment(
        tiny, api, out=tmp_path / "out", workers=1, report=False, on_start=seen.append
    )
    assert seen[0].todo == 6 and seen[0].folder == tmp_path / "out"
    assert done.runs_on_disk == 6 and not done.failed and not done.interrupted
    assert set(done.tables["differences"]["scenario"]) == {"meer-opleiding"}
    again = run_experiment(tiny, api, out=tmp_path / "out", workers=1, analyse_results=False)
    assert again.batch.todo == 0 and again.result is None and again.tables is None
