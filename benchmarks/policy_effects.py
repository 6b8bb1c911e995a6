"""Effect of each 'Alle hens aan dek' lever against basis, paired by seed.

For each lever (switched on alone) and each preset, over ``--seeds`` seeds (common random
numbers: the same seed for the lever run and its basis run), the mean and standard
deviation across seeds of:

- extra person-months in employment, January 2020 to the last month;
- change in vacancies open 3+ months in care + education (mean over 2021-2025, persons);
- Flemish spending of the lever(s) (sum of ``<lever>_spending_eur``; the federal top-up's
  federal money is shown separately);
- cost per extra job-year = mean spending / (mean extra person-months / 12), a ratio of
  means over the seeds (n/a when the mean employment effect is not positive);
- share of the intensively temporarily unemployed reached in 2021 (cumulative at 2021-12).

Usage: ``.venv/bin/python benchmarks/policy_effects.py --seeds 5``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.policies import LEVERS

MONITOR = {"monitor.intensive_tu": True}


def _run(job: tuple[str, str, dict, int]) -> tuple[str, int, pd.DataFrame]:
    import sim

    label, scenario, overrides, seed = job
    res = sim.simulate(scenario, seed=seed, overrides={**MONITOR, **overrides})
    return label, seed, res.monthly


def summarise(
    runs: dict[tuple[str, int], pd.DataFrame], labels: list[str], seeds: list[int]
) -> pd.DataFrame:
    """The effects table (mean and spread across seeds)."""
    rows = []
    for label in labels:
        vals: dict[str, list[float]] = {
            k: [] for k in ("emp", "short", "cost", "fed", "reach", "reach_b")
        }
        for s in seeds:
            b, m = runs[("basis", s)], runs[(label, s)]
            d_emp = float((m["employed"] - b["employed"]).sum())
            late = m["month"] >= "2021-01"
            d_short = float(
                (
                    m.loc[late, "vacancies_open_3m_shortage"]
                    - b.loc[late, "vacancies_open_3m_shortage"]
                ).mean()
            )
            spend = [
                c
                for c in m.columns
                if c.endswith("_spending_eur") and c.split("_spending")[0] in LEVERS
            ]
            fed = (
                float(m["federal_top_up_spending_eur"].sum())
                if "federal_top_up_spending_eur" in m
                else 0.0
            )
            cost = float(sum(m[c].sum() for c in spend)) - fed
            dec = m["month"] == "2021-12"
            vals["emp"].append(d_emp)
            vals["short"].append(d_short)
            vals["cost"].append(cost)
            vals["fed"].append(fed)
            vals["reach"].append(float(m.loc[dec, "intensive_tu_reached_share"].iloc[0]))
            vals["reach_b"].append(float(b.loc[dec, "intensive_tu_reached_share"].iloc[0]))

        def ms(
            key: str, scale: float = 1.0, fmt: str = "{:,.0f}", vals: dict[str, list[float]] = vals
        ) -> str:
            a = np.array(vals[key], dtype=float) / scale
            ok = a[np.isfinite(a)]
            if len(ok) == 0:
                return "n/a"
            sd = ok.std(ddof=1) if len(ok) > 1 else 0.0
            tail = "" if len(ok) == len(a) else f" ({len(ok)}/{len(a)})"
            return f"{fmt.format(ok.mean())} ± {fmt.format(sd)}{tail}"

        rows.append(
            {
                "lever": label,
                "extra person-months employed": ms("emp"),
                "Δ shortage vacancies (care+educ, 3m+)": ms("short", fmt="{:,.0f}"),
                "Flemish cost (EUR m)": ms("cost", 1e6, "{:,.1f}"),
                "cost per extra job-year (EUR k)": (
                    f"{np.mean(vals['cost']) / (np.mean(vals['emp']) / 12.0) / 1e3:,.0f}"
                    if np.mean(vals["emp"]) > 0 and np.mean(vals["cost"]) > 0
                    else "n/a"
                ),
                "intensive TU reached 2021 (basis)": (
                    f"{np.mean(vals['reach']):.2f} ({np.mean(vals['reach_b']):.2f})"
                ),
                "federal cost (EUR m)": ms("fed", 1e6, "{:,.0f}") if any(vals["fed"]) else "",
            }
        )
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    """A pipe table (no extra dependency)."""
    head = "| " + " | ".join(table.columns) + " |"
    sep = "|" + "|".join("---" for _ in table.columns) + "|"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([head, sep, *body])


def main() -> None:
    """Run the lever and preset runs with their paired basis runs, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--processes", type=int, default=None)
    args = ap.parse_args()
    seeds = list(range(1, args.seeds + 1))
    specs: dict[str, tuple[str, dict]] = {"basis": ("basis", {})}
    for lever in LEVERS:
        specs[lever] = ("basis", {f"{lever}.enabled": True})
    for preset in ("opleidingsoffensief", "werknemersdelen", "alle-hens-aan-dek"):
        specs[preset] = (preset, {})
    jobs = [(label, sc, ov, s) for label, (sc, ov) in specs.items() for s in seeds]
    t0 = time.perf_counter()
    with mp.Pool(args.processes) as pool:
        runs = {(label, s): m for label, s, m in pool.imap_unordered(_run, jobs)}
    labels = [k for k in specs if k != "basis"]
    table = summarise(runs, labels, seeds)
    print(
        f"# {len(jobs)} runs, seeds {seeds}, {time.perf_counter() - t0:.0f} s; "
        "mean ± sd across seeds, paired with basis under the same seed"
    )
    print(markdown(table))


if __name__ == "__main__":
    main()
