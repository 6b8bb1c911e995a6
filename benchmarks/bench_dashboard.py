"""Benchmark of the dashboard's comparison: cold and cached, at the workshop scale.

Targets (issue 5): a comparison of two presets with 10 seeds each at the workshop scale
in <= 5 s on 2 cores; the same comparison again (cached) in < 0.5 s.

    .venv/bin/python benchmarks/bench_dashboard.py [A] [B]

A comparison runs basis, A and B on the same 10 seeds (basis is always drawn), so a
comparison against basis is 20 runs and one between two other presets 30. The worker pool
is started (and imports the model) before the clock starts, as it is on a server.
"""

from __future__ import annotations

import os
import sys
import time

from dashboard import compare, summary
from sim.scenarios import list_presets


def timed(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<58s} {dt:6.2f} s")
    return out, dt


def main() -> int:
    presets = list_presets()
    others = [p for p in presets if p != compare.BASIS]
    a = sys.argv[1] if len(sys.argv) > 1 else compare.BASIS
    b = sys.argv[2] if len(sys.argv) > 2 else (others[0] if others else compare.BASIS)
    print(
        f"cores: {os.cpu_count()}, scale: 1 agent = {compare.WORKSHOP_SCALE} persons, "
        f"seeds: {compare.N_SEEDS}, presets: {', '.join(presets)}"
    )
    cache = compare.RunCache()
    # start the pool and import the model in every worker before timing
    list(cache._executor().map(_noop, range(cache.workers)))

    def run(x: str, y: str):
        comp = compare.compare(compare.ScenarioChoice(x), compare.ScenarioChoice(y), cache=cache)
        return summary.difference_table(comp)

    results = {}
    _, results["cold"] = timed(f"cold: {a} vs {b} (basis, A, B x 10 seeds)", lambda: run(a, b))
    _, results["cached"] = timed(f"cached: {a} vs {b} again", lambda: run(a, b))
    if len(others) >= 2:
        x, y = others[-2], others[-1]
        fresh = [
            k
            for c in (x, y)
            for k in compare.run_keys(
                compare.ScenarioChoice(c), compare.N_SEEDS, compare.WORKSHOP_SCALE
            )
            if not cache.cached(k)
        ]
        _, results["cold2"] = timed(f"cold: {x} vs {y} ({len(fresh)} new runs)", lambda: run(x, y))
    cache.shutdown()
    ok = results["cold"] <= 5.0 and results["cached"] < 0.5
    print(f"targets (cold <= 5 s, cached < 0.5 s): {'met' if ok else 'NOT met'}")
    return 0


def _noop(_i: int) -> None:
    time.sleep(0.5)  # each worker takes one: all have run their initializer


if __name__ == "__main__":
    sys.exit(main())
