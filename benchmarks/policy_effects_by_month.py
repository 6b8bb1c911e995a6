"""Paired differences of each lever and preset against basis at 2021-12 and 2024-12.

For each lever (alone) and preset, seeds 1-N (``--seeds``, default 3), the difference
with basis under the same seed (common random numbers) in ILO employment, full-time
equivalents at work, registered job seekers, vacancies open 3+ months in care and
education, and temporarily unemployed (full-time and partial), at the end of 2021 and of
2024; mean and standard deviation over the seeds. Output: markdown tables
(docs/POLICIES.md quotes them).

Usage: ``python benchmarks/policy_effects_by_month.py [--seeds N]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sim
from sim.policies import LEVERS

MONITOR = {"monitor.intensive_tu": True}
COLUMNS = [
    "employed",
    "fte_at_work",
    "job_seekers",
    "vacancies_open_3m_shortage",
    "temporarily_unemployed",
]
MONTHS = ("2021-12", "2024-12")
PRESETS = (
    "opleidingsoffensief",
    "werknemersdelen",
    "alle-hens-aan-dek",
    "herstructureringsgolf",
    "opleidingsoffensief+herstructureringsgolf",
)


def main() -> None:
    """Print one table per month."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=3, help="seeds 1..N (default 3)")
    seeds = range(1, ap.parse_args().seeds + 1)
    runs: dict[str, object] = {n: {f"{n}.enabled": True} for n in LEVERS if n != "monitor"}
    runs.update({p: p for p in PRESETS})
    base = {
        s: sim.simulate("basis", seed=s, overrides=MONITOR).monthly.set_index("month")
        for s in seeds
    }
    rows = []
    for name, scenario in runs.items():
        diff: dict[tuple[str, str], list[float]] = {}
        for s in seeds:
            m = sim.simulate(scenario, seed=s, overrides=MONITOR).monthly.set_index("month")
            for month in MONTHS:
                for c in COLUMNS:
                    diff.setdefault((month, c), []).append(m.loc[month, c] - base[s].loc[month, c])
        row = {"scenario": name}
        for (month, c), v in diff.items():
            row[f"{c} {month}"] = f"{np.mean(v):+,.0f} ± {np.std(v, ddof=1):,.0f}"
        rows.append(row)
    table = pd.DataFrame(rows)
    for month in MONTHS:
        print(
            f"\n### paired difference vs basis at {month} "
            f"(mean ± sd over seeds 1-{len(seeds)}, persons)"
        )
        print("| scenario | " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * (len(COLUMNS) + 1))
        for r in table[["scenario"] + [f"{c} {month}" for c in COLUMNS]].itertuples(index=False):
            print("| " + " | ".join(map(str, r)) + " |")


if __name__ == "__main__":
    main()
