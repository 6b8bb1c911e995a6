"""Where a month's time goes: each stage of ``LabourMarketModel.step``, at two scales.

Times every stage of the month (the rules in ``sim/rules``, the policy hooks, the
sectors' demand update and the recorder) at the default scale and at a tiny scale, in
turns, and splits each stage's cost into a fixed part (what it costs at about 900
workers: Python and the per-call overhead of numpy) and a part per worker. Prints, never
asserts. Usage: ``python benchmarks/profile_month.py [--rounds N]``.

The stages are timed by wrapping the module functions that ``step`` calls, which adds
about a microsecond per call: negligible against stages of 20 to 2,000 microseconds.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sim import employers
from sim import model as model_module
from sim.agents import Sector
from sim.outputs import Recorder
from sim.rules import (
    demography,
    flows,
    matching,
    separations,
    temporary_unemployment,
    training,
    vacancies,
    vdab,
)
from sim.simulate import build_model

#: (module, function names) in the order of LabourMarketModel.step
STAGES = (
    (employers, ("update_demand",)),
    (demography, ("age", "retire", "enter")),
    (separations, ("separate",)),
    (temporary_unemployment, ("lay_off", "restructure", "adjust", "partial")),
    (flows, ("inactivity_flows", "register", "erode_attachment")),
    (vdab, ("register_temporarily_unemployed", "counsel")),
    (training, ("progress", "open_seats", "take_up")),
    (vacancies, ("withdraw_old", "update")),
    (matching, ("run",)),
)
SMALL, DEFAULT = 5000, 100  # persons per agent


def _timed(name: str, func: Callable[..., Any], spent: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - t0

    return wrapper


def instrument(spent: dict[str, float]) -> None:
    """Wrap every stage of the month so that its time adds up in ``spent``."""
    for module, names in STAGES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name in names:
            setattr(module, name, _timed(f"{short}.{name}", getattr(module, name), spent))
    Recorder.record = _timed("outputs.record", Recorder.record, spent)
    Sector.update_demand = _timed("sectors.update_demand (all)", Sector.update_demand, spent)
    LabourMarketModel = model_module.LabourMarketModel
    LabourMarketModel._policy_stage = _timed(
        "policy hooks (4 stages)", LabourMarketModel._policy_stage, spent
    )


def measure(persons_per_agent: int, seed: int, spent: dict[str, float]) -> tuple[float, int, int]:
    """Run one model; returns (seconds in step, months, workers at the end)."""
    model = build_model(
        "basis", seed=seed, overrides={"simulation.persons_per_agent": persons_per_agent}
    )
    t0 = time.perf_counter()
    model.run()
    return time.perf_counter() - t0, model.n_months, model.workers.n


def main() -> None:
    """Measure in turns and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6, help="runs per scale (default 6)")
    args = parser.parse_args()
    spent = {SMALL: defaultdict(float), DEFAULT: defaultdict(float)}
    current: dict[str, float] = defaultdict(float)
    instrument(current)
    total = {SMALL: 0.0, DEFAULT: 0.0}
    months = {SMALL: 0, DEFAULT: 0}
    workers = {SMALL: 0, DEFAULT: 0}
    for rep in range(args.rounds):
        for ppa in (SMALL, DEFAULT):
            current.clear()
            seconds, n_months, n_workers = measure(ppa, rep, current)
            total[ppa] += seconds
            months[ppa] += n_months
            workers[ppa] = n_workers
            for k, v in current.items():
                spent[ppa][k] += v
    per_month = {
        ppa: {k: v / months[ppa] * 1e6 for k, v in spent[ppa].items()} for ppa in (SMALL, DEFAULT)
    }
    month_us = {ppa: total[ppa] / months[ppa] * 1e6 for ppa in (SMALL, DEFAULT)}
    extra = workers[DEFAULT] - workers[SMALL]
    print(
        f"one month: {month_us[SMALL]:,.0f} us at {workers[SMALL]:,} workers, "
        f"{month_us[DEFAULT]:,.0f} us at {workers[DEFAULT]:,} workers "
        f"({workers[DEFAULT] / month_us[DEFAULT]:.2f} M worker-months/s); "
        f"{args.rounds} runs each, in turns"
    )
    print(f"{'stage':38s} {'small':>8s} {'default':>8s} {'ns/worker':>10s} {'share':>6s}")
    rows = sorted(per_month[DEFAULT], key=lambda k: -per_month[DEFAULT][k])
    for k in rows:
        small, big = per_month[SMALL].get(k, 0.0), per_month[DEFAULT][k]
        print(
            f"{k:38s} {small:8.0f} {big:8.0f} {(big - small) / extra * 1e3:10.1f} "
            f"{big / month_us[DEFAULT]:6.1%}"
        )
    rest = {ppa: month_us[ppa] - sum(per_month[ppa].values()) for ppa in (SMALL, DEFAULT)}
    print(
        f"{'rest of step (bookkeeping, Mesa)':38s} {rest[SMALL]:8.0f} {rest[DEFAULT]:8.0f} "
        f"{(rest[DEFAULT] - rest[SMALL]) / extra * 1e3:10.1f} "
        f"{rest[DEFAULT] / month_us[DEFAULT]:6.1%}"
    )
    print(
        f"{'whole month':38s} {month_us[SMALL]:8.0f} {month_us[DEFAULT]:8.0f} "
        f"{(month_us[DEFAULT] - month_us[SMALL]) / extra * 1e3:10.1f} {1:6.0%}"
    )
    print("small/default: us per month; ns/worker: the extra cost of each further worker.")


if __name__ == "__main__":
    main()
