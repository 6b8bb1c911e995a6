"""Which optimiser converges in fewer model runs on this model: CMA-ES or differential evolution.

A small recovery problem (4 calibrated parameters, 6 moments of 2019 at 4,000 agents, 2
seeds): the moments of known values are the "observed" targets, and each optimiser starts
from the same point with the same budget. Printed per optimiser and optimiser seed: the
model runs until the objective first fell below the number of targets (a root mean square
error of one tolerance), the best objective after 40, 80, 160, ... evaluations (each
evaluation is 2 model runs), and the largest error of a
recovered parameter as a share of its search range.

    python benchmarks/compare_optimisers.py [--budget 240] [--seeds 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import yaml

from experiments.calibrate import calibrate, load_calibration
from experiments.seeds import run_seed, spawn_key
from sim import calibration as cal
from sim import simulate

KNOWN = {
    "flows.separation_rate": 0.0070,
    "matching.hire_probability": 0.24,
    "flows.jobseeker_to_inactive": 0.012,
    "flows.inactive_to_jobseeker": 0.020,
}
RANGES = {
    "flows.separation_rate": [0.003, 0.010],
    "matching.hire_probability": [0.10, 0.35],
    "flows.jobseeker_to_inactive": [0.002, 0.03],
    "flows.inactive_to_jobseeker": [0.005, 0.04],
}
SCALE = {"persons_per_agent": 1000, "end": "2019-12"}
SEEDS = {"replications": 2, "root_seed": 11}
WINDOW = {"from": "2019-01", "to": "2019-12"}
MEASURES = {
    "job_seekers_end": {"column": "job_seekers", "how": "value", "month": "2019-12"},
    "hires": {"column": "hires", "how": "sum", **WINDOW},
    "separations": {"column": "separations", "how": "sum", **WINDOW},
    "to_inactivity": {"column": "to_inactivity", "how": "sum", **WINDOW},
    "from_inactivity": {"column": "from_inactivity", "how": "sum", **WINDOW},
    "employment_rate": {"column": "employment_rate_20_64", "how": "mean", **WINDOW},
}


def observed() -> dict[str, float]:
    runs = []
    for r in range(SEEDS["replications"]):
        ov = {f"simulation.{k}": v for k, v in SCALE.items()} | KNOWN
        seed = run_seed(SEEDS["root_seed"], spawn_key(r))
        runs.append(simulate("basis", seed=seed, overrides=ov).to_frames())
    return {n: sum(cal.measure(t, s) for t in runs) / len(runs) for n, s in MEASURES.items()}


def write(folder: Path, obs: dict[str, float], method: str, seed: int, budget: int) -> Path:
    targets = {
        n: {
            "label": {"en": n},
            "role": "calibration",
            "measure": MEASURES[n],
            "observed": float(v),
            "tolerance": {"relative": 0.02, "why": "synthetic"},
            "source": {"publisher": "synthetic"},
        }
        for n, v in obs.items()
    }
    (folder / "targets.yaml").write_text(yaml.safe_dump({"targets": targets}))
    data = {
        "name": f"{method}-{seed}",
        "targets_file": "targets.yaml",
        "parameters": {
            n: {"range": r, "start": r[0] + 0.2 * (r[1] - r[0])} for n, r in RANGES.items()
        },
        "seeds": SEEDS,
        "scale": SCALE,
        "optimiser": {
            "method": method,
            "popsize": 8,
            "sigma0": 0.3,
            "seed": seed,
            "budget": budget,
        },
    }
    path = folder / f"{method}-{seed}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=int, default=240)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    obs = observed()
    print(
        f"{'optimiser':<10} {'seed':>4} {'runs to RMS<=1 tol':>19} {'best':>8} "
        f"{'max param error':>16} {'seconds':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for method in ("cma", "de"):
            for seed in range(1, args.seeds + 1):
                folder = Path(tmp) / f"{method}-{seed}"
                folder.mkdir()
                spec = load_calibration(write(folder, obs, method, seed, args.budget))
                s = calibrate(
                    spec,
                    out=folder / "out",
                    workers=args.workers,
                    progress=False,
                    report=False,
                    identify=False,
                )
                trace = s["trace"]
                hit = trace[trace["best"] <= len(MEASURES)]
                runs_to = int(hit["evaluation"].iloc[0]) * spec.replications if len(hit) else None
                err = max(
                    abs(s["best"]["values"][p.name] - KNOWN[p.name]) / (p.hi - p.lo)
                    for p in spec.parameters
                )
                print(
                    f"{method:<10} {seed:>4} {runs_to or 'not reached'!s:>19} "
                    f"{s['best']['objective']:>8.3g} {err:>16.3f} {s['seconds']:>8.0f}"
                )


if __name__ == "__main__":
    main()
