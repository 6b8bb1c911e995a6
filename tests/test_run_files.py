"""Run files with one schema: a results folder reads with pyarrow.dataset, every column kept."""

from __future__ import annotations

import json
import os
import textwrap
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

import sim
from experiments import cli
from experiments.design import NO_POINT
from experiments.spec import load_experiment
from sim.output_schema import load_output_schema

#: the baseline (no lever) and the worker-sharing pilot (a lever with its own columns)
TWO = """
name: two
scenarios: [basis, werknemersdelen]
replications: 2
root_seed: 7
horizon: {start: 2020-01, end: 2021-06}
horizons: [2021-06]
parameters: {simulation.persons_per_agent: 2000}
"""


def _spec(tmp_path, api, text: str = TWO):
    path = tmp_path / "exp.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_experiment(path, api)


@pytest.fixture(scope="module")
def folder(tmp_path_factory, api):
    tmp = tmp_path_factory.mktemp("runfiles")
    out = tmp / "out"
    spec = _spec(tmp, api)
    opts = {"progress": False, "report": False, "analyse": False}
    assert cli.execute(spec, api, out=out, workers=1, **opts) == 0
    return out


def test_a_dataset_scan_of_each_table_keeps_every_declared_column(folder):
    schema = load_output_schema()
    run_cols = ["run_id", "scenario", "replication", "point"]
    for table in schema.batch_tables():
        scanned = ds.dataset(folder / "runs" / table, format="parquet").to_table()
        assert scanned.column_names == run_cols + schema.names(table), table
        assert set(scanned.column("run_id").to_pylist()) == {
            "basis__r000",
            "basis__r001",
            "werknemersdelen__r000",
            "werknemersdelen__r001",
        }
    monthly = ds.dataset(folder / "runs" / "monthly", format="parquet").to_table().to_pandas()
    # the pilot's columns: null in the baseline's rows, numbers in the pilot's
    basis = monthly[monthly["scenario"] == "basis"]
    pilot = monthly[monthly["scenario"] == "werknemersdelen"]
    assert basis["worker_sharing_placed"].isna().all()
    assert pilot["worker_sharing_placed"].notna().all() and pilot["worker_sharing_placed"].sum() > 0
    assert (monthly["point"] == NO_POINT).all()


def test_run_files_keep_the_values_of_the_run(folder):
    """The stored table equals what sim.simulate gives for the same seed (columns it has)."""
    from experiments.seeds import run_seed

    manifest = json.loads((folder / "manifest.json").read_text())
    rec = manifest["runs"]["werknemersdelen__r001"]
    seed = run_seed(manifest["root_seed"], tuple(rec["spawn_key"]))
    result = sim.simulate("werknemersdelen", seed=seed, overrides=rec["overrides"])
    for table in ("monthly", "sectors", "transitions", "sector_flows"):
        stored = pd.read_parquet(folder / "runs" / table / "werknemersdelen__r001.parquet")
        direct = getattr(result, table)
        pd.testing.assert_frame_equal(
            stored[list(direct.columns)].reset_index(drop=True), direct, check_dtype=False
        )


def test_the_manifest_names_the_worker_and_attempts_of_each_run(folder):
    runs = json.loads((folder / "manifest.json").read_text())["runs"]
    for rec in runs.values():
        assert rec["attempts"] == 1 and rec["worker"] == f"{rec['host']}:{rec['pid']}"
        assert rec["files"]["monthly"] == f"runs/monthly/{rec['run_id']}.parquet"


def _dies_once(scenario, seed, overrides=None, *, marker_dir: str):
    """Replication 1 of the baseline kills its Dask worker the first time."""
    marker = Path(marker_dir) / "died"
    if seed.spawn_key == (1,) and "worker_sharing.enabled" not in str(overrides):
        if not marker.exists():
            marker.touch()
            os._exit(3)
    return sim.simulate(scenario, seed, overrides=overrides)


def test_attempts_that_dask_retried_on_its_own_are_counted(tmp_path, api):
    from dask.distributed import Client, LocalCluster

    one = TWO.replace("[basis, werknemersdelen]", "[basis]")
    spec = _spec(tmp_path, api, one)
    out = tmp_path / "out"
    simulate = partial(_dies_once, marker_dir=str(tmp_path))
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        code = cli.execute(
            spec, api, out=out, client=client, simulate=simulate, progress=False, report=False
        )
    assert code == 0
    runs = json.loads((out / "manifest.json").read_text())["runs"]
    assert runs["basis__r000"]["attempts"] == 1
    assert runs["basis__r001"]["attempts"] == 2  # the worker died; Dask ran it again
    assert runs["basis__r001"]["worker"].startswith("tcp://127.0.0.1:")


def test_the_documented_recipe_reproduces_a_batch_run_file_exactly(folder):
    """docs/EXPERIMENTS.md 'Reproduce one batch run from Python', as written there."""
    manifest = json.loads((folder / "manifest.json").read_text())
    rec = manifest["runs"]["werknemersdelen__r001"]
    seed = np.random.SeedSequence(manifest["root_seed"], spawn_key=tuple(rec["spawn_key"]))
    result = sim.simulate(rec["source"], seed=seed, overrides=rec["overrides"])

    stored = pd.read_parquet(folder / rec["files"]["monthly"])
    pd.testing.assert_frame_equal(stored[result.monthly.columns], result.monthly, check_exact=True)
    others = stored.columns.difference([*result.monthly.columns, *stored.columns[:4]])
    assert len(others) > 0 and stored[others].isna().all().all()  # other levers' columns


def test_a_folder_of_the_old_stacked_format_is_refused_as_stale(tmp_path, api):
    from experiments import store
    from experiments.design import design_hash, expand_runs

    spec = _spec(tmp_path, api)
    out = tmp_path / "old"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"format_version": 1, "runs": {}}))
    design = design_hash(spec, expand_runs(spec))
    with pytest.raises(store.StaleFolderError, match="one file per table and run") as err:
        store.check_folder(out, spec, design)
    assert err.value.reason == "another run-file format"
    from experiments.store import Results

    with pytest.raises(store.StoreError, match="format 1; this version reads format 2"):
        Results(out)
