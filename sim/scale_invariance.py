"""Does the model's scale change its rates? Runs at two scales compared within seed noise.

A worker agent stands for ``simulation.persons_per_agent`` persons. Rates (shares of
persons) should not depend on that scale beyond the noise of the seeds: every stock and flow
is a count of agents times the scale, and what is fixed in persons (VDAB's capacity, a
pilot's size, the entrants of a month) is divided by the scale with one rounding. The
rates compared (:data:`RATES`) are the employment rate 20-64, the job-finding rate of the
unemployed, the vacancy rate and the two elasticities of the matching function
(:func:`sim.stylised_facts.matching_regression`), each over the whole run.

``python -m sim.scale_invariance 100 1 --seeds 3`` prints the table of the closing note of
issue 16 (1:100 against 1:1; about 20 s and 0.7 GB a run at 1:1).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.stylised_facts import matching_regression

#: rate -> label (English; the table is for the model's documentation)
RATES = {
    "employment_rate": "employment rate 20-64 (mean of months)",
    "job_finding_rate": "job-finding rate of the unemployed (per month, pooled)",
    "vacancy_rate": "vacancy rate (mean of months)",
    "matching_elasticity_unemployed": "matching function: elasticity on the unemployed",
    "matching_elasticity_vacancies": "matching function: elasticity on vacancies",
}


def rates(monthly: pd.DataFrame) -> dict[str, float]:
    """The rates of :data:`RATES` of one run's monthly table."""
    fit = matching_regression(monthly)
    return {
        "employment_rate": float(monthly["employment_rate_20_64"].mean()),
        "job_finding_rate": float(
            monthly["hires_from_unemployment"].sum() / monthly["unemployed_at_matching"].sum()
        ),
        "vacancy_rate": float(monthly["vacancy_rate"].mean()),
        "matching_elasticity_unemployed": fit.coefficient("unemployed"),
        "matching_elasticity_vacancies": fit.coefficient("vacancies"),
    }


def rates_by_seed(
    persons_per_agent: int, seeds: Sequence[int], preset: str = "basis", end: str | None = None
) -> pd.DataFrame:
    """One row of :func:`rates` per seed, at ``persons_per_agent`` persons per agent."""
    import sim  # here: sim imports this package's modules

    overrides: dict[str, object] = {"simulation.persons_per_agent": persons_per_agent}
    if end is not None:
        overrides["simulation.end"] = end
    rows = [rates(sim.simulate(preset, seed=s, overrides=overrides).monthly) for s in seeds]
    return pd.DataFrame(rows, index=pd.Index(list(seeds), name="seed"))


def compare(coarse: pd.DataFrame, fine: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard error over seeds at each scale, the difference and its z-score.

    ``z`` is the difference of the means over its standard error (the two standard errors
    of the mean over seeds combined): within about two it is seed noise.
    """
    se_c = coarse.std(ddof=1) / np.sqrt(len(coarse))
    se_f = fine.std(ddof=1) / np.sqrt(len(fine)) if len(fine) > 1 else 0.0 * se_c
    diff = fine.mean() - coarse.mean()
    se = np.sqrt(se_c**2 + se_f**2)
    return pd.DataFrame(
        {
            "coarse_mean": coarse.mean(),
            "coarse_se": se_c,
            "fine_mean": fine.mean(),
            "fine_se": se_f,
            "difference": diff,
            "z": diff / se,
        }
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print the comparison of two scales."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("coarse", type=int, help="persons per agent of the coarse scale, e.g. 100")
    ap.add_argument("fine", type=int, help="persons per agent of the fine scale, e.g. 1")
    ap.add_argument("--seeds", type=int, default=3, help="seeds 1..N at each scale")
    ap.add_argument("--coarse-seeds", type=int, default=None, help="seeds at the coarse scale")
    ap.add_argument("--preset", default="basis")
    args = ap.parse_args(argv)
    fine = rates_by_seed(args.fine, range(1, args.seeds + 1), args.preset)
    coarse = rates_by_seed(
        args.coarse, range(1, (args.coarse_seeds or args.seeds) + 1), args.preset
    )
    table = compare(coarse, fine)
    table.index = [f"{RATES[r]}" for r in table.index]
    with pd.option_context("display.width", 200, "display.float_format", "{:.4f}".format):
        print(
            f"{args.preset}, 2019-01 to the end month; coarse 1:{args.coarse} "
            f"({len(coarse)} seeds), fine 1:{args.fine} ({len(fine)} seeds)"
        )
        print(table.to_string())


if __name__ == "__main__":
    main()
