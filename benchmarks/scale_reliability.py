"""Not a timing: from which scale is each output reliable? Its spread over seeds by scale.

For each scale (persons per worker agent) the preset runs with seeds 1..N; for each output
the statistic is its mean over the months of one year (``--year``, default 2024), and its
coefficient of variation over the seeds (standard deviation / mean) says how much of it is
seed noise. An output is called reliable at a scale when that coefficient is at most
``--threshold`` (default 10%); the coarsest such scale is printed as 'reliable from'.

Outputs: every numeric column of the monthly table; the sector table (each column's median
over the sectors of the per-sector coefficient, and the worst sector); the sector-to-sector
flow matrix (the median over the cells that hold at least one hire a month at the finest
scale, and the share of those cells that are reliable).

Usage: ``python benchmarks/scale_reliability.py [--preset alle-hens-aan-dek]
[--scales 1000 100 10 1] [--seeds 5] [--fine-seeds 3]``; ``--markdown`` prints the
table of docs/SCALE.md. The finest scale runs ``--fine-seeds`` seeds (1:1: about 25 s and
0.7 GB a run).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

import sim
from experiments.store import Results


def yearly(result: sim.SimulationResult | SimpleNamespace, year: str) -> dict[str, pd.Series]:
    """The year's mean of every numeric output, by table (sectors and flows by cell)."""
    m = result.monthly[result.monthly["month"].str[:4] == year]
    monthly = m.drop(columns=["month"]).select_dtypes("number").mean()
    monthly = monthly[~monthly.index.str.endswith("_budget_exhausted")]  # flags
    s = result.sectors[result.sectors["month"].str[:4] == year]
    sectors = s.drop(columns=["month"]).groupby("sector").mean().stack()
    f = result.sector_flows[result.sector_flows["year"] == int(year)]
    flows = f.set_index(["from_sector", "to_sector"])["persons"] / 12.0
    return {"monthly": monthly, "sectors": sectors, "flows": flows}


def cv(values: pd.DataFrame) -> pd.Series:
    """Coefficient of variation over the rows (seeds) of each column; NaN where the mean is 0."""
    mean = values.mean()
    return values.std(ddof=1) / mean.abs().where(mean != 0)


def batch_runs(folder: Path, scenario: str) -> tuple[int, list[SimpleNamespace]]:
    """The runs of ``scenario`` in a results folder, as results with the model's tables."""
    params = Results(folder).params()[scenario]
    keys = ["run_id", "scenario", "replication", "point"]
    runs = []
    for path in sorted((folder / "runs" / "monthly").glob(f"{scenario}__r*.parquet")):
        tables = {
            t: pd.read_parquet(folder / "runs" / t / path.name).drop(columns=keys)
            for t in ("monthly", "sectors", "sector_flows")
        }
        runs.append(SimpleNamespace(**tables))
    return int(params["simulation.persons_per_agent"]), runs


def measure(
    preset: str,
    scales: list[int],
    seeds: int,
    fine_seeds: int,
    year: str,
    batch: tuple[int, list[SimpleNamespace]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Coefficients of variation: one column per scale, per table.

    ``batch``: the scale and runs of a results folder, used instead of running that scale.
    """
    out: dict[str, dict[int, pd.Series]] = {"monthly": {}, "sectors": {}, "flows": {}}
    means: dict[str, pd.Series] = {}
    finest = min(scales)
    for scale in scales:
        n = fine_seeds if scale == finest else seeds
        if batch is not None and batch[0] == scale:
            runs = [yearly(r, year) for r in batch[1]]
        else:
            runs = [
                yearly(
                    sim.simulate(preset, seed=s, overrides={"simulation.persons_per_agent": scale}),
                    year,
                )
                for s in range(1, n + 1)
            ]
        for table in out:
            frame = pd.DataFrame([r[table] for r in runs]).fillna(0.0)
            out[table][scale] = cv(frame)
            if scale == finest:
                means[table] = frame.mean()
    result = {t: pd.DataFrame(v) for t, v in out.items()}
    for t in result:
        result[t]["mean_finest"] = means[t].reindex(result[t].index)
    return result


def reliable_from(row: pd.Series, scales: list[int], threshold: float) -> str:
    """The coarsest scale from which the coefficient stays at or below ``threshold``."""
    ok = [s for s in sorted(scales) if np.isfinite(row[s]) and row[s] <= threshold]
    coarsest = None
    for s in sorted(scales):  # fine to coarse: reliable while every finer one is too
        if s in ok:
            coarsest = s
        else:
            break
    return f"1:{coarsest}" if coarsest is not None else f"not at 1:{min(scales)}"


def summary(tables: dict[str, pd.DataFrame], scales: list[int], threshold: float) -> pd.DataFrame:
    """One row per output (sector table columns and the flow matrix summarised)."""
    rows = []
    mon = tables["monthly"]
    for name, r in mon.iterrows():
        if r["mean_finest"] == 0:
            continue
        rows.append({"output": f"monthly.{name}", **{s: r[s] for s in scales}})
    sec = tables["sectors"]
    for col in sec.index.get_level_values(1).unique():
        part = sec.xs(col, level=1)
        part = part[part["mean_finest"] != 0]
        if part.empty:
            continue
        rows.append({"output": f"sectors.{col} (median sector)", **part[scales].median().to_dict()})
        rows.append({"output": f"sectors.{col} (worst sector)", **part[scales].max().to_dict()})
    flows = tables["flows"]
    cells = flows[flows["mean_finest"] >= 1.0]
    rows.append(
        {
            "output": f"sector_flows cells ({len(cells)} with >= 1 hire a month)",
            **cells[scales].median().to_dict(),
        }
    )
    frame = pd.DataFrame(rows).set_index("output")
    frame["reliable from"] = [reliable_from(r, scales, threshold) for _, r in frame.iterrows()]
    share = {s: float((cells[s] <= threshold).mean()) for s in scales}
    frame.attrs["flow_cells_reliable"] = share
    return frame


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame`` with its index as the first column."""
    head = [frame.index.name or "", *map(str, frame.columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for idx, row in frame.iterrows():
        lines.append("| " + " | ".join([f"`{idx}`", *map(str, row)]) + " |")
    return "\n".join(lines)


def main() -> None:
    """Measure and print."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", default="alle-hens-aan-dek")
    ap.add_argument("--scales", type=int, nargs="+", default=[1000, 100, 10, 1])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--fine-seeds", type=int, default=3)
    ap.add_argument("--year", default="2024")
    ap.add_argument("--threshold", type=float, default=0.10)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument(
        "--results",
        type=Path,
        default=None,
        help="a results folder (run --scale N) whose runs of the preset stand for scale N",
    )
    args = ap.parse_args()
    batch = batch_runs(args.results, args.preset) if args.results else None
    scales = sorted(set(args.scales) | ({batch[0]} if batch else set()), reverse=True)
    tables = measure(args.preset, scales, args.seeds, args.fine_seeds, args.year, batch)
    table = summary(tables, scales, args.threshold)
    shown = table.rename(columns={s: f"CV 1:{s}" for s in scales})
    for s in scales:
        shown[f"CV 1:{s}"] = shown[f"CV 1:{s}"].map(lambda v: f"{v:.1%}" if np.isfinite(v) else "-")
    print(
        f"{args.preset}, mean of {args.year}; CV: standard deviation / mean over seeds "
        f"({args.seeds} seeds, {args.fine_seeds} at 1:{min(scales)}); reliable: CV <= "
        f"{args.threshold:.0%} at that scale and every finer one"
    )
    print(markdown(shown) if args.markdown else shown.to_string())
    share = table.attrs["flow_cells_reliable"]
    print("sector_flows cells reliable: " + ", ".join(f"1:{s} {v:.0%}" for s, v in share.items()))


if __name__ == "__main__":
    main()
