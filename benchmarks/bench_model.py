"""Speed and memory of the simulation core, measured in one run of this script.

Prints:
  (a) worker-months per second of the full monthly update (matching included) at the
      default scale and at ten times it;
  (b) the same number of Mesa agents doing a trivial step with ``shuffle_do`` (one draw,
      three attribute updates), and the ratio (a)/(b);
  (c) the time of one default run, model construction included;
  (d) peak memory per worker (tracemalloc, the whole model at 10x scale).

Targets (issue 2): (a) >= 10 million worker-months/s at the default scale; (c) <= 1 s
for 72 months; (d) <= 1.5 KB per worker. Usage: ``python benchmarks/bench_model.py``.
"""

from __future__ import annotations

import time
import tracemalloc

import mesa

from sim.simulate import build_model

REPEATS = 3


def month_throughput(persons_per_agent: int) -> tuple[float, int]:
    """Best-of worker-months per second of LabourMarketModel.step over a full run."""
    best = 0.0
    n = 0
    for rep in range(REPEATS):
        model = build_model("basis", seed=rep,
                            overrides={"simulation.persons_per_agent": persons_per_agent})
        t0 = time.perf_counter()
        worker_months = 0
        while model.running:
            worker_months += model.workers.n
            model.step()
        best = max(best, worker_months / (time.perf_counter() - t0))
        n = model.workers.n
    return best, n


class TrivialAgent(mesa.Agent):
    """One random draw and three attribute updates per step."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.a = 0
        self.b = 0.0
        self.c = False

    def step(self) -> None:
        """The trivial rule."""
        u = self.random.random()
        self.a += 1
        self.b = u
        self.c = u < 0.5


def mesa_throughput(n_agents: int, months: int = 12) -> float:
    """Agent-steps per second of shuffle_do('step') over n_agents trivial agents."""
    best = 0.0
    for rep in range(REPEATS):
        model = mesa.Model(rng=rep)
        TrivialAgent.create_agents(model, n_agents)
        t0 = time.perf_counter()
        for _ in range(months):
            model.agents.shuffle_do("step")
        best = max(best, n_agents * months / (time.perf_counter() - t0))
    return best


def default_run_time() -> tuple[float, float]:
    """Best-of wall time of one default run from construction, 84 and 72 months."""
    best84 = best72 = float("inf")
    for rep in range(REPEATS):
        t0 = time.perf_counter()
        model = build_model("basis", seed=rep)
        t_build = time.perf_counter() - t0
        t1 = time.perf_counter()
        model.run()
        t_run = time.perf_counter() - t1
        best84 = min(best84, t_build + t_run)
        best72 = min(best72, t_build + t_run * 72 / model.n_months)
    return best84, best72


def memory_per_worker(persons_per_agent: int) -> float:
    """Peak traced bytes per worker of building and running the model."""
    tracemalloc.start()
    model = build_model("basis", seed=0,
                        overrides={"simulation.persons_per_agent": persons_per_agent})
    model.run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / model.workers.n


def main() -> None:
    """Measure and print."""
    rate1, n1 = month_throughput(100)
    rate10, n10 = month_throughput(10)
    mesa_rate = mesa_throughput(n1)
    t84, t72 = default_run_time()
    mem = memory_per_worker(10)
    print(f"monthly update, default scale ({n1:,} workers):  {rate1 / 1e6:6.2f} M worker-months/s"
          f"   target >= 10")
    print(f"monthly update, 10x scale ({n10:,} workers):   {rate10 / 1e6:6.2f} M worker-months/s")
    print(f"Mesa shuffle_do trivial step ({n1:,} agents):  {mesa_rate / 1e6:6.2f} M agent-steps/s")
    print(f"ratio full vectorised month / trivial Mesa step: {rate1 / mesa_rate:6.1f}x")
    print(f"one default run incl. construction: {t84:.2f} s for 84 months (2019-2025), "
          f"{t72:.2f} s pro rata for 72 months   target <= 1 s")
    print(f"peak memory per worker (10x scale, tracemalloc): {mem:,.0f} bytes   "
          f"target <= 1,536")


if __name__ == "__main__":
    main()
