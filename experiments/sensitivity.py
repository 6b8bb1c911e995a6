"""Global sensitivity analysis through SALib: sample designs and Sobol / Morris indices.

SALib's ``analyze`` functions use only the order of the outputs, so the outputs must be
given in sample order; :func:`indices` takes a mapping point -> value and orders it itself,
whatever order the runs finished in.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from experiments.spec import SampleSpec


def problem(sample: SampleSpec) -> dict:
    """The SALib problem dict of a sample design."""
    names = list(sample.parameters)
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(sample.parameters[n]) for n in names],
    }


def sample_matrix(sample: SampleSpec) -> tuple[list[str], np.ndarray]:
    """The design matrix (one row per point), deterministic given the sample's seed.

    Args:
        sample: The sample design.

    Returns:
        Parameter names and the matrix of shape (points, parameters).
    """
    prob = problem(sample)
    if sample.method == "sobol":
        from SALib.sample import sobol as sobol_sample

        x = sobol_sample.sample(
            prob, sample.n, calc_second_order=sample.second_order, seed=sample.seed
        )
    elif sample.method == "morris":
        from SALib.sample import morris as morris_sample

        x = morris_sample.sample(prob, sample.n, num_levels=sample.levels, seed=sample.seed)
    elif sample.method == "lhs":
        from SALib.sample import latin

        x = latin.sample(prob, sample.n, seed=sample.seed)
    else:  # pragma: no cover - validated in spec
        raise ValueError(f"unknown sample method {sample.method!r}")
    return prob["names"], np.asarray(x, dtype=float)


def ordered_outputs(values: Mapping[int, float], n_points: int) -> np.ndarray:
    """Outputs in sample order; raises when a point is missing.

    Args:
        values: Design point index -> model output (e.g. the mean over replications).
        n_points: Number of design points.

    Returns:
        Array of length ``n_points``.
    """
    missing = [p for p in range(n_points) if p not in values]
    if missing:
        raise ValueError(
            f"{len(missing)} of {n_points} design points have no result (first: {missing[0]}); "
            "complete the runs before the sensitivity analysis."
        )
    return np.array([values[p] for p in range(n_points)], dtype=float)


def indices(
    sample: SampleSpec, values: Mapping[int, float], *, confidence: float = 0.95
) -> pd.DataFrame:
    """Sobol or Morris indices of one output with their confidence.

    Args:
        sample: The sample design (method ``sobol`` or ``morris``).
        values: Design point index -> output.
        confidence: Confidence level of the intervals.

    Returns:
        One row per parameter. Sobol: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``; Morris:
        ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma``.
    """
    names, x = sample_matrix(sample)
    y = ordered_outputs(values, len(x))
    prob = problem(sample)
    if sample.method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(
            prob,
            y,
            calc_second_order=sample.second_order,
            conf_level=confidence,
            seed=sample.seed,
            print_to_console=False,
        )
        cols = ["S1", "S1_conf", "ST", "ST_conf"]
    elif sample.method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(
            prob,
            x,
            y,
            num_levels=sample.levels,
            conf_level=confidence,
            seed=sample.seed,
            print_to_console=False,
        )
        cols = ["mu", "mu_star", "mu_star_conf", "sigma"]
    else:
        raise ValueError("indices need a Sobol or Morris sample; LHS has none.")
    return pd.DataFrame({"parameter": names, **{c: np.asarray(res[c], float) for c in cols}})
