"""Calibration targets of the baseline and how far a run is from them.

The targets, with their sources, are in ``sim/calibration.yaml``. Run
``python -m sim.calibration [SEEDS]`` for the table (target, source, simulated, error).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml


def load_targets() -> dict[str, dict[str, Any]]:
    """The calibration targets, by name."""
    text = resources.files("sim").joinpath("calibration.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["targets"]


def _window(monthly: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    return monthly[(monthly["month"] >= start) & (monthly["month"] <= end)]


def measure(monthly: pd.DataFrame, spec: dict[str, Any]) -> float:
    """Compute one target's quantity on a monthly table."""
    col, how = spec["column"], spec["how"]
    by_month = monthly.set_index("month")[col]
    if how == "value":
        return float(by_month[spec["month"]])
    if how == "change":
        return float(by_month[spec["month"]] - by_month[spec["from"]])
    win = _window(monthly, spec["from"], spec["to"])
    if how == "mean":
        return float(win[col].mean())
    if how == "sum":
        return float(win[col].sum())
    if how == "min_ratio":
        base = _window(monthly, spec["base_from"], spec["base_to"])[col].mean()
        return float(win[col].min() / base)
    if how == "ratio_of_sums":
        return float(win[col].sum() / win[spec["denominator"]].sum())
    raise ValueError(f"unknown measure {how!r}")


def within(simulated: float, observed: float, tolerance: dict[str, float]) -> bool:
    """Whether ``simulated`` is within the tolerance of ``observed``."""
    if "relative" in tolerance:
        return abs(simulated - observed) <= tolerance["relative"] * abs(observed)
    return abs(simulated - observed) <= tolerance["absolute"]


def evaluate(monthlies: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The calibration table for one or more runs (mean and spread over runs)."""
    rows = []
    for name, t in load_targets().items():
        values = np.array([measure(m, t["measure"]) for m in monthlies])
        sim_mean = float(values.mean())
        tol = t["tolerance"]
        rows.append(
            {
                "target": name,
                "observed": t["observed"],
                "simulated": sim_mean,
                "sd_over_seeds": float(values.std(ddof=1)) if len(values) > 1 else np.nan,
                "error": (sim_mean - t["observed"]) / t["observed"],
                "tolerance": (
                    f"±{tol['relative']:.0%}" if "relative" in tol else f"±{tol['absolute']:g}"
                ),
                "ok": within(sim_mean, t["observed"], tol),
                "source": f"{t['source']['document']}: {t['source']['where']}",
            }
        )
    return pd.DataFrame(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the calibration table of ``basis`` over a few seeds."""
    from sim import simulate

    argv = list(sys.argv[1:] if argv is None else argv)
    seeds = range(int(argv[0]) if argv else 5)
    table = evaluate([simulate("basis", seed=s).monthly for s in seeds])
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(table.drop(columns="source").to_string(index=False))
    return 0 if table["ok"].all() else 1


if __name__ == "__main__":
    raise SystemExit(main())
