"""One calibration evaluation (all seeds of one parameter vector) at the calibration scale.

Targets of issue 11: one evaluation <= 2 s on 2 cores; a full calibration of today's model
<= 2 hours on 2 cores. Prints the time of an evaluation through the batch runner (a
process pool of N workers, the pool started once as in a calibration), the model runs a
full calibration of the file needs (budget x seeds, plus the identification), and the
time that implies. Never asserted: the machine's speed drifts.

    python benchmarks/bench_calibration.py [experiments/calibration/basis.yaml] [--workers 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from experiments.calibrate import Evaluator, KeptExecutor, load_calibration
from experiments.runner import ExecutorFactory


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default="experiments/calibration/basis.yaml")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    spec = load_calibration(args.file)
    pool = KeptExecutor(ExecutorFactory(workers=args.workers))
    rng = np.random.default_rng(0)
    times = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ev = Evaluator(spec, Path(tmp), pool, slots=args.workers)
            ev.batch([spec.x0()])  # warm the workers (imports)
            for _ in range(args.rounds):
                x = rng.uniform(0.2, 0.8, len(spec.parameters))
                t0 = time.perf_counter()
                ev.batch([x])
                times.append(time.perf_counter() - t0)
    finally:
        pool.close()
    per_eval = min(times)
    d = len(spec.parameters)
    runs = spec.budget * spec.replications + (2 * d + 1) * spec.replications
    print(
        f"{spec.path}: {d} parameters, {spec.replications} seeds, persons_per_agent "
        f"{spec.overrides.get('simulation.persons_per_agent')}, to "
        f"{spec.overrides.get('simulation.end')}"
    )
    print(
        f"one evaluation ({spec.replications} runs) on {args.workers} workers: best "
        f"{per_eval:.2f} s, median {statistics.median(times):.2f} s   target <= 2 s"
    )
    print(
        f"full calibration: budget {spec.budget} evaluations + {2 * d + 1} for the "
        f"identification = {runs} model runs; at the best time above about "
        f"{(spec.budget + 2 * d + 1) * per_eval / 60:.0f} min   target <= 120 min"
    )


if __name__ == "__main__":
    main()
