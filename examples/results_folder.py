"""Read a results folder with pandas, pyarrow, polars and DuckDB; reproduce one run.

A batch (``python run_experiment.py run``) writes one Parquet file per table and run,
``results/NAME/runs/TABLE/RUN_ID.parquet``, and every file of a table has the same columns:
a lever's columns are null in the runs without the lever (docs/EXPERIMENTS.md). So each
table folder reads as one dataset with any Arrow tool. This script first runs a tiny batch
into a temporary folder; point ``folder`` at your own results folder instead.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow.dataset as ds

import sim

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENT = """
name: tiny
scenarios: [basis, werknemersdelen]
replications: 2
root_seed: 3
horizon: {start: 2020-01, end: 2021-12}
horizons: [2021-12]
parameters: {simulation.persons_per_agent: 2000}
"""


def tiny_batch(where: Path) -> Path:
    """Run the tiny experiment with the project's runner and return its results folder."""
    (where / "tiny.yaml").write_text(EXPERIMENT, encoding="utf-8")
    out = where / "tiny"
    cmd = [sys.executable, str(ROOT / "run_experiment.py"), "run", str(where / "tiny.yaml")]
    cmd += ["--out", str(out), "--workers", "2", "--no-progress", "--no-report"]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return out


def main() -> None:
    """Run the tiny batch, read its monthly table four ways, reproduce one run."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = tiny_batch(Path(tmp))
        monthly = folder / "runs" / "monthly"

        # pandas: the whole table, every run stacked
        df = pd.read_parquet(monthly)
        print(f"pandas: {df.shape[0]} rows x {df.shape[1]} columns")

        # pyarrow: a dataset, filtered while reading
        dec = ds.dataset(monthly, format="parquet").to_table(
            columns=["scenario", "replication", "employed", "worker_sharing_seconded"],
            filter=ds.field("month") == "2021-12",
        )
        print(f"pyarrow: {dec.num_rows} runs in 2021-12, {len(dec.schema)} columns read")

        # polars: lazily, one row per scenario
        by_scenario = (
            pl.scan_parquet(monthly / "*.parquet")
            .filter(pl.col("month") == "2021-12")
            .group_by("scenario")
            .agg(pl.col("employed").mean(), pl.col("worker_sharing_seconded").mean())
            .sort("scenario")
            .collect()
        )
        print("polars:", by_scenario.rows())

        # DuckDB: SQL over the files; the pilot's column is null in the baseline's runs
        sql = f"""
            SELECT scenario, count(worker_sharing_placed) AS months_with_value,
                   sum(worker_sharing_placed) AS placed
            FROM read_parquet('{monthly}/*.parquet') GROUP BY scenario ORDER BY scenario
        """
        print("duckdb:", duckdb.sql(sql).fetchall())

        # Reproduce one batch run from Python: its seed and overrides are in the manifest.
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        rec = manifest["runs"]["werknemersdelen__r001"]
        seed = np.random.SeedSequence(manifest["root_seed"], spawn_key=tuple(rec["spawn_key"]))
        result = sim.simulate(rec["source"], seed=seed, overrides=rec["overrides"])
        stored = pd.read_parquet(folder / rec["files"]["monthly"])
        pd.testing.assert_frame_equal(
            stored[result.monthly.columns], result.monthly, check_exact=True
        )
        print(f"reproduced {rec['run_id']}: identical monthly table")


if __name__ == "__main__":
    main()
