"""Stylised facts of the labour market measured on a run's monthly table.

The tests a labour economist runs on a market core (issue 12; validation targets of the
calibration, ``sim/calibration.yaml``):

- the aggregate **matching function**: OLS of log hires from unemployment on log
  registered job seekers and log open vacancies, both as they meet in the month's matching
  (``job_seekers_at_matching``, ``vacancies_at_matching``; ``on="unemployed"`` takes all
  the unemployed, registered or not and in a course, instead); the literature's elasticities
  are 0.3-0.7 on each (Petrongolo and Pissarides 2001, Journal of Economic Literature
  39(2), table 3);
- the **Beveridge curve**: the correlation of the unemployment rate (registered job
  seekers / labour force) with the vacancy rate over the months, negative;
- **duration dependence**: the monthly job-finding rate of the unemployed by unemployment
  duration (``transitions.DURATION_BANDS``), falling with duration (e.g. Machin and
  Manning 1999, Handbook of Labor Economics 3C).

Run ``python -m sim.stylised_facts [PRESET] [SEED]`` for the three on one run.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.transitions import DURATION_BANDS

#: the matching function's variables in the monthly table
HIRES_FROM_UNEMPLOYMENT = "hires_from_unemployment"
SEARCHERS = {"job_seekers": "job_seekers_at_matching", "unemployed": "unemployed_at_matching"}
VACANCIES = "vacancies_at_matching"


@dataclass(frozen=True)
class Regression:
    """Least-squares fit of y on a constant and regressors.

    Attributes:
        names: the regressors, in order.
        coefficients: one per regressor (the constant apart).
        constant: the intercept.
        r2: coefficient of determination.
        n: observations used.
    """

    names: tuple[str, ...]
    coefficients: tuple[float, ...]
    constant: float
    r2: float
    n: int

    def coefficient(self, name: str) -> float:
        """The coefficient of regressor ``name``."""
        return self.coefficients[self.names.index(name)]


def ols(y: np.ndarray, xs: Sequence[np.ndarray], names: Sequence[str]) -> Regression:
    """Least squares of ``y`` on a constant and ``xs``; rows with a non-finite value dropped."""
    a = np.column_stack([np.ones_like(y), *xs])
    ok = np.isfinite(a).all(axis=1) & np.isfinite(y)
    a, y = a[ok], y[ok]
    if len(y) <= a.shape[1]:
        nan = float("nan")
        return Regression(tuple(names), (nan,) * len(names), nan, nan, len(y))
    beta = np.linalg.lstsq(a, y, rcond=None)[0]
    resid = y - a @ beta
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((resid**2).sum()) / tss if tss > 0 else float("nan")
    return Regression(tuple(names), tuple(float(b) for b in beta[1:]), float(beta[0]), r2, len(y))


def window(monthly: pd.DataFrame, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """The months from ``start`` to ``end`` ('YYYY-MM', inclusive; None: no bound)."""
    keep = np.ones(len(monthly), dtype=bool)
    if start is not None:
        keep &= monthly["month"].to_numpy() >= start
    if end is not None:
        keep &= monthly["month"].to_numpy() <= end
    return monthly[keep]


def matching_regression(
    monthly: pd.DataFrame,
    start: str | None = None,
    end: str | None = None,
    on: str = "job_seekers",
) -> Regression:
    """log(hires from unemployment) on log(job seekers) and log(open vacancies).

    ``on`` names the searchers: ``job_seekers`` (registered, the default) or
    ``unemployed`` (registered or not, and in a course). Months with no hire or no vacancy
    are left out (the log is undefined).
    """
    win = window(monthly, start, end)
    with np.errstate(divide="ignore"):
        y = np.log(win[HIRES_FROM_UNEMPLOYMENT].to_numpy(float))
        xs = [np.log(win[c].to_numpy(float)) for c in (SEARCHERS[on], VACANCIES)]
    return ols(y, xs, (on, "vacancies"))


def unemployment_rate(monthly: pd.DataFrame) -> np.ndarray:
    """Registered job seekers as a share of the labour force, per month."""
    return monthly["job_seekers"].to_numpy(float) / monthly["labour_force"].to_numpy(float)


def beveridge_correlation(
    monthly: pd.DataFrame, start: str | None = None, end: str | None = None
) -> float:
    """Correlation over the months of the unemployment rate with the vacancy rate."""
    win = window(monthly, start, end)
    return float(np.corrcoef(unemployment_rate(win), win["vacancy_rate"].to_numpy(float))[0, 1])


def job_finding_by_duration(
    monthly: pd.DataFrame, start: str | None = None, end: str | None = None
) -> pd.Series:
    """Monthly job-finding rate of the unemployed by duration band, pooled over months.

    Hires from unemployment of the band divided by the unemployed of the band as they
    entered the month's matching.
    """
    win = window(monthly, start, end)
    rate = {}
    for _, name in DURATION_BANDS:
        stock = float(win[f"unemployed_{name}"].sum())
        rate[name] = (
            float(win[f"hires_from_unemployment_{name}"].sum()) / stock if stock else np.nan
        )
    return pd.Series(rate, name="job_finding_rate")


def synthetic_cycle(
    amplitude: float = 0.05, period_months: int = 48, end: str = "2034-12"
) -> dict[str, object]:
    """Overrides for a test scenario with a sinusoidal demand cycle and no Covid shock.

    Every employer's demand moves by amplitude x (1 + sin(2 pi t / period)) / 2
    (``simulation.cycle_amplitude``, ``simulation.cycle_period``) from January 2019 to
    ``end``; no lockdown, no closures, no reopening. A device to identify the matching
    function and the Beveridge curve, not a history.
    """
    return {
        "simulation.start": "2019-01",
        "simulation.end": end,
        "simulation.cycle_amplitude": amplitude,
        "simulation.cycle_period": period_months,
        "shock.first_wave_path": {},
        "shock.closure_path": {},
        "shock.reopening_path": {},
    }


def summary(monthly: pd.DataFrame, start: str | None = None, end: str | None = None) -> str:
    """The three facts as text."""
    lines = []
    for on in SEARCHERS:
        reg = matching_regression(monthly, start, end, on)
        lines.append(
            "matching function: log hires from unemployment = "
            f"{reg.constant:.2f} + {reg.coefficient(on):.3f} log {on} "
            f"+ {reg.coefficient('vacancies'):.3f} log vacancies  (R2 {reg.r2:.3f}, n {reg.n})"
        )
    lines += [
        f"Beveridge correlation (unemployment rate, vacancy rate): "
        f"{beveridge_correlation(monthly, start, end):+.3f}",
        "monthly job-finding rate by unemployment duration: "
        + ", ".join(
            f"{k} {v:.3f}" for k, v in job_finding_by_duration(monthly, start, end).items()
        ),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> None:
    """Print the facts of one run: ``python -m sim.stylised_facts [PRESET] [SEED]``."""
    from sim.simulate import simulate

    preset = argv[0] if argv else "basis"
    seed = int(argv[1]) if len(argv) > 1 else 1
    print(summary(simulate(preset, seed=seed).monthly))


if __name__ == "__main__":
    main(sys.argv[1:])
