"""Batch runner benchmark: parallel efficiency on 2 cores, and memory across many runs.

    .venv/bin/python benchmarks/bench_batch.py [--runs 8] [--many 1000]

1. Parallel efficiency: the same batch of default-scale runs (``basis``, one run per
   replication) on 1 worker (in this process) and on 2 worker processes;
   efficiency = T(1) / (2 x T(2)). Pool start-up is included in T(2).
2. Memory: ``--many`` tiny runs (scale 5000 persons per agent, six months) through a
   2-process pool, with the resident memory of this process and of the workers sampled
   every tenth of the batch. Results stream to disk, so the parent should stay flat.

Prints the numbers measured in this one invocation; there are no assertions.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from experiments.design import design_hash, expand_runs
from experiments.model_api import load_model_api
from experiments.runner import ExecutorFactory, run_batch
from experiments.spec import load_experiment
from experiments.store import ResultStore


def rss_mb(pid: int | None = None) -> float:
    """Resident set size of a process in MB (from /proc)."""
    try:
        text = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    except OSError:
        return float("nan")
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def experiment(folder: Path, name: str, reps: int, extra: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nscenarios: [basis]\nreplications: {reps}\nroot_seed: 1\n{extra}",
        encoding="utf-8",
    )
    return path


class Sampler:
    """Samples memory of the parent and the pool's workers every ``every`` runs."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.done = 0
        self.samples: list[tuple[int, float, float]] = []
        self.factory: ExecutorFactory | None = None
        self.executor = None

    def __call__(self, run, outcome) -> None:
        self.done += 1
        if self.done % self.every == 0:
            workers = []
            procs = getattr(self.executor, "_processes", None) or {}
            for pid in list(procs):
                workers.append(rss_mb(pid))
            self.samples.append((self.done, rss_mb(), max(workers) if workers else float("nan")))


def timed_batch(path: Path, out: Path, workers: int, hook=None) -> tuple[float, int]:
    api = load_model_api()
    spec = load_experiment(path, api)
    runs = expand_runs(spec)
    store = ResultStore.open(out, spec, runs, design_hash(spec, runs))
    factory = ExecutorFactory(workers=workers)

    def make():
        ex = factory()
        if hook is not None:
            hook.executor = ex
        return ex

    t0 = time.perf_counter()
    result = run_batch(runs, store, make, api.simulate, slots=workers, on_done=hook)
    elapsed = time.perf_counter() - t0
    store.close()
    return elapsed, result.completed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="default-scale runs per timing")
    parser.add_argument("--many", type=int, default=1000, help="tiny runs for the memory test")
    args = parser.parse_args()
    load_model_api()  # import the model once, outside the timings
    print(
        f"cores available: {len(os.sched_getaffinity(0))}; load average before: "
        f"{os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = experiment(tmp, "eff", args.runs)
        t1, n1 = timed_batch(path, tmp / "serial", 1)
        t2, n2 = timed_batch(path, tmp / "parallel", 2)
        eff = t1 / (2 * t2)
        print(f"parallel efficiency, {args.runs} default-scale runs (basis, 2020-2025):")
        print(f"  1 worker : {t1:7.2f} s  ({t1 / n1:.2f} s/run)")
        print(f"  2 workers: {t2:7.2f} s  ({t2 / n2:.2f} s/run, pool start-up included)")
        print(f"  speed-up {t1 / t2:.2f}x, efficiency {eff:.0%}")

        path = experiment(
            tmp,
            "many",
            args.many,
            "parameters: {simulation.persons_per_agent: 5000, simulation.end: 2019-06}\n",
        )
        sampler = Sampler(max(1, args.many // 10))
        t, n = timed_batch(path, tmp / "many", 2, sampler)
        size = sum(p.stat().st_size for p in (tmp / "many" / "runs").glob("*/*.parquet"))
        print(
            f"memory across {n} tiny runs on 2 workers ({t:.1f} s, "
            f"{size / 1e6:.1f} MB of run files):"
        )
        print("  runs done   parent RSS MB   largest worker RSS MB")
        for done, parent, worker in sampler.samples:
            print(f"  {done:9d}   {parent:13.1f}   {worker:21.1f}")
        if len(sampler.samples) >= 2:
            first, last = sampler.samples[0], sampler.samples[-1]
            print(
                f"  parent grew {last[1] - first[1]:+.1f} MB, largest worker "
                f"{last[2] - first[2]:+.1f} MB from the first to the last sample"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
