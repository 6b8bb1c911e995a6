"""Paired effect of one lever across many seeds, alone or inside a shock scenario.

For each seed, the lever on and off under the same seed (common random numbers), in the
scenario ``--scenario`` (default basis): extra person-months employed over the whole run,
the difference in employed persons at 2021-12 and 2024-12, and the mean difference in
employed persons and registered job seekers over 2023-2025. With ``--against`` (a second
scenario, e.g. basis when ``--scenario`` is herstructureringsgolf) also the difference of
the two paired effects per seed: how much more the lever does in the one scenario than in
the other (four runs per seed). Mean, standard deviation across seeds and standard error.

Usage::

    python benchmarks/lever_seed_spread.py transition_premium --seeds 12
    python benchmarks/lever_seed_spread.py training_offensive --scenario herstructureringsgolf \\
        --against basis --seeds 30
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sim

MEASURES = (
    "person-months",
    "employed 2021-12",
    "employed 2024-12",
    "employed 2023-25",
    "job seekers 2023-25",
)


def paired_effect(lever: str, scenario: str, seed: int, scale: int) -> np.ndarray:
    """The lever's paired effect on :data:`MEASURES` in ``scenario`` under ``seed``."""
    base = {"simulation.persons_per_agent": scale}
    off = sim.simulate(scenario, seed=seed, overrides=base).monthly.set_index("month")
    on = sim.simulate(
        scenario, seed=seed, overrides={**base, f"{lever}.enabled": True}
    ).monthly.set_index("month")
    d = on[["employed", "job_seekers"]] - off[["employed", "job_seekers"]]
    late = d.loc["2023-01":"2025-12"]
    return np.array(
        [
            d["employed"].sum(),
            d.loc["2021-12", "employed"],
            d.loc["2024-12", "employed"],
            late["employed"].mean(),
            late["job_seekers"].mean(),
        ]
    )


def summary(label: str, values: np.ndarray) -> pd.DataFrame:
    """Mean, sd and standard error over seeds (rows) of each measure (columns)."""
    n = len(values)
    sd = values.std(axis=0, ddof=1) if n > 1 else np.zeros(values.shape[1])
    return pd.DataFrame(
        {
            "effect": [label] * len(MEASURES),
            "measure": MEASURES,
            "mean": values.mean(axis=0),
            "sd": sd,
            "se": sd / np.sqrt(n),
        }
    )


def main() -> None:
    """Print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lever", help="a lever name of sim/policies.yaml, e.g. transition_premium")
    ap.add_argument("--scenario", default="basis")
    ap.add_argument("--against", default=None, help="a second scenario to compare with")
    ap.add_argument("--seeds", type=int, default=12)
    ap.add_argument("--scale", type=int, default=100, help="persons per agent")
    args = ap.parse_args()
    t0 = time.time()
    seeds = range(1, args.seeds + 1)
    main_eff = np.array([paired_effect(args.lever, args.scenario, s, args.scale) for s in seeds])
    tables = [summary(f"{args.lever} in {args.scenario}", main_eff)]
    if args.against:
        other = np.array([paired_effect(args.lever, args.against, s, args.scale) for s in seeds])
        tables.append(summary(f"{args.lever} in {args.against}", other))
        tables.append(summary(f"{args.scenario} minus {args.against}", main_eff - other))
    table = pd.concat(tables, ignore_index=True)
    print(
        f"# {args.lever}, seeds 1-{args.seeds}, {args.scale} persons per agent, "
        f"{time.time() - t0:.0f} s; paired on the seed; persons (person-months for the sum)"
    )
    print("| effect | measure | mean | sd | se |\n|---|---|---|---|---|")
    for r in table.itertuples(index=False):
        print(f"| {r.effect} | {r.measure} | {r.mean:+,.0f} | {r.sd:,.0f} | {r.se:,.0f} |")


if __name__ == "__main__":
    main()
