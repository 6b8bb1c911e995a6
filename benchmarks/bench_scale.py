"""The model at 1:100, 1:10 and 1:1 (persons per worker agent), and Mesa's trivial step.

Each scale runs ``basis`` for 72 months (2019-01 to 2024-12) in a fresh process, model
construction included, and reports its time, worker-months per second of the monthly
update and its peak resident memory (``resource.getrusage`` of that process, so the numbers
do not mix). Mesa's trivial step (``bench_model.TrivialAgent``: one draw and three attribute
updates per agent, ``shuffle_do``) is measured at the agent counts of 1:100 and 1:10 as the
reference rate; at 1:1 the 1:10 rate stands in (creating 4.3 million Mesa agents alone takes
about 20 s and 1.2 GB, see ``sim/worker_agents.py``).

Targets (issue 16): 1:1, 72 months, construction included, <= 30 s on one core and a peak
memory <= 3 GB. Usage: ``python benchmarks/bench_scale.py [--scales 100 10 1]``; the load
average of the machine is printed before and after, as other work slows every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

END = "2024-12"  # 72 months from 2019-01


def one(persons_per_agent: int, seed: int = 1) -> dict[str, float]:
    """Build and run ``basis`` at one scale in this process; times and peak memory."""
    t0 = time.perf_counter()
    from sim.simulate import build_model

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = build_model(
        "basis",
        seed=seed,
        overrides={"simulation.persons_per_agent": persons_per_agent, "simulation.end": END},
    )
    t_build = time.perf_counter() - t0
    n0 = model.workers.n
    worker_months = 0
    t0 = time.perf_counter()
    while model.running:
        worker_months += model.workers.n
        model.step()
    t_run = time.perf_counter() - t0
    return {
        "scale": persons_per_agent,
        "months": model.n_months,
        "workers_start": n0,
        "workers_end": model.workers.n,
        "import_s": t_import,
        "build_s": t_build,
        "run_s": t_run,
        "worker_months": worker_months,
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,  # KiB on Linux
        "mesa_workers_made": model.worker_agents.n_made,
    }


def in_subprocess(persons_per_agent: int) -> dict[str, float]:
    """:func:`one` in a fresh Python process."""
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(persons_per_agent)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def trivial_rate(n_agents: int, months: int) -> float:
    """Agent-steps per second of Mesa's trivial step over ``n_agents`` agents."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_model import mesa_throughput

    return mesa_throughput(n_agents, months=months, repeats=1)


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Measure every scale, then Mesa's trivial step, and print."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[100, 10, 1])
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one)))
        return
    print(f"load average before: {load()}  ({os.cpu_count()} cores)")
    rows = [in_subprocess(s) for s in args.scales]
    trivial: dict[int, float] = {}
    for r in rows:
        n = int(r["workers_start"])
        if n <= 500_000:
            trivial[r["scale"]] = trivial_rate(n, months=12 if n <= 100_000 else 3)
    print(f"load average after: {load()}")
    print(
        f"{'scale':>6} {'workers':>21} {'build s':>8} {'72 months s':>12} {'total s':>8} "
        f"{'M worker-months/s':>18} {'trivial Mesa M/s':>17} {'ratio':>6} {'peak GB':>8}"
    )
    for r in rows:
        rate = r["worker_months"] / r["run_s"]
        ref_scale = r["scale"] if r["scale"] in trivial else min(trivial, default=None)
        ref = trivial.get(ref_scale, float("nan")) if ref_scale is not None else float("nan")
        star = "" if ref_scale == r["scale"] else "*"
        workers = f"{int(r['workers_start']):,}-{int(r['workers_end']):,}"
        print(
            f"{'1:' + str(r['scale']):>6} {workers:>21} {r['build_s']:8.2f} {r['run_s']:12.2f} "
            f"{r['build_s'] + r['run_s']:8.2f} {rate / 1e6:18.2f} {ref / 1e6:16.2f}{star:1} "
            f"{rate / ref:6.1f} {r['peak_rss_gb']:8.2f}"
        )
    print(
        "ratio: the model's worker-months/s over Mesa's trivial agent-steps/s at the same agent"
        " count (* that of the largest count measured); total: construction + 72 months; "
        "peak: the process's peak resident memory; targets at 1:1: total <= 30 s, peak <= 3 GB"
    )


if __name__ == "__main__":
    main()
