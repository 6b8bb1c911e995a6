"""Recipe: a Sobol sensitivity analysis with SALib around ``sim.simulate``.

SALib hands over numpy numbers (``np.float64``), which the registry accepts as they are
(an integer parameter takes an integral value: ``np.rint(x).astype(np.int64)``). The
project's own ``python run_experiment.py sensitivity`` does the same at scale, in parallel
and resumable; this is the ten-line version.

Run: ``python examples/salib_sobol.py``
"""

import numpy as np
from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample

import sim

PROBLEM = {
    "num_vars": 2,
    "names": ["matching.hire_probability", "flows.registration_share"],
    "bounds": [[0.15, 0.35], [0.5, 0.9]],
}


def outcome(values: np.ndarray, seed: int = 1) -> float:
    """Employed persons in December 2021 in the baseline."""
    hire_probability, registration_share = values
    result = sim.simulate(
        "basis",
        seed=seed,  # common random numbers: one seed for every sample point
        overrides={
            "simulation.persons_per_agent": 5000,  # small and quick
            "simulation.end": "2021-12",
            "matching.hire_probability": hire_probability,  # np.float64 as SALib gives it
            "flows.registration_share": registration_share,
        },
    )
    return float(result.monthly["employed"].iloc[-1])


def main() -> dict:
    """Sample, run every point (in sample order: SALib reads Y by position), analyse."""
    samples = sobol_sample.sample(PROBLEM, 16, calc_second_order=False, seed=1)
    y = np.array([outcome(row) for row in samples])
    indices = sobol.analyze(PROBLEM, y, calc_second_order=False, seed=1)
    print("first-order (S1) and total (ST) Sobol indices, ± half their 95% interval")
    print("(64 runs is a demonstration; real analyses use thousands)")
    for i, name in enumerate(PROBLEM["names"]):
        s1, s1c = indices["S1"][i], indices["S1_conf"][i]
        st, stc = indices["ST"][i], indices["ST_conf"][i]
        print(f"{name:28s} S1 {s1:+.2f} ± {s1c:.2f}   ST {st:+.2f} ± {stc:.2f}")
    print(f"{len(y)} runs")
    return indices


if __name__ == "__main__":
    main()
