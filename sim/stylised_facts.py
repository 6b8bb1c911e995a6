"""Stylised facts of the labour market measured on a run's monthly table.

The tests a labour economist runs on a market core (issue 12; validation targets of the
calibration, ``sim/calibration.yaml``):

- the aggregate **matching function**: OLS over months of log hires from unemployment on
  log unemployed and log open vacancies, both as they meet in the month's matching
  (``unemployed_at_matching``: job seekers registered or not and in a course, the persons
  whose hires ``hires_from_unemployment`` counts; ``vacancies_at_matching``).
  ``on="job_seekers"`` takes the registered job seekers instead, ``on="all_searchers"``
  all hires on every searcher, the unemployed plus those who search on the job or from
  inactivity (Broersma and van Ours 1999, Oxford Bulletin of Economics and Statistics
  61(1)). The literature's elasticities are 0.3-0.7 on each (Petrongolo and Pissarides
  2001, Journal of Economic Literature 39(2), table 3). This module is the one
  definition: the calibration's validation targets (``sim/calibration.yaml``,
  ``how: matching_elasticity``) and the tests call it;
- the **Beveridge curve**: the correlation of the unemployment rate (registered job
  seekers / labour force) with the vacancy rate over the months, negative, and the slope
  of the vacancy rate on the unemployment rate (``how: beveridge_correlation`` and
  ``beveridge_slope`` in the targets);
- **duration dependence**: the monthly job-finding rate of the unemployed by unemployment
  duration (``transitions.DURATION_BANDS``), falling with duration (e.g. Machin and
  Manning 1999, Handbook of Labor Economics 3C).

Run ``python -m sim.stylised_facts [PRESET|cycle] [SEED]`` for the three on one run.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.transitions import DURATION_BANDS

#: the matching function's variables in the monthly table, by definition (``on``):
#: (hires, the searcher columns that are added up); vacancies as they meet in matching
MATCHING = {
    "unemployed": ("hires_from_unemployment", ("unemployed_at_matching",)),
    "job_seekers": ("hires_from_unemployment", ("job_seekers_at_matching",)),
    "all_searchers": (
        "hires",
        ("unemployed_at_matching", "employed_searchers", "inactive_searchers"),
    ),
}
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
    on: str = "unemployed",
) -> Regression:
    """log(hires) on log(searchers) and log(open vacancies), OLS over the months.

    ``on`` names the definition (:data:`MATCHING`): ``unemployed`` (the default: hires
    from unemployment on the unemployed, registered or not and in a course),
    ``job_seekers`` (on the registered job seekers) or ``all_searchers`` (all hires on
    the unemployed plus the on-the-job and inactive searchers). The regressors are named
    ``on`` and ``vacancies``. Months with no hire or no vacancy are left out (the log is
    undefined).

    Raises:
        ValueError: for an unknown ``on``.
    """
    if on not in MATCHING:
        raise ValueError(f"matching regression on={on!r}; allowed: {', '.join(MATCHING)}")
    hires, searchers = MATCHING[on]
    win = window(monthly, start, end)
    with np.errstate(divide="ignore"):
        y = np.log(win[hires].to_numpy(float))
        u = np.log(sum(win[c].to_numpy(float) for c in searchers))
        v = np.log(win[VACANCIES].to_numpy(float))
    return ols(y, [u, v], (on, "vacancies"))


def unemployment_rate(monthly: pd.DataFrame) -> np.ndarray:
    """Registered job seekers as a share of the labour force, per month."""
    return monthly["job_seekers"].to_numpy(float) / monthly["labour_force"].to_numpy(float)


def beveridge_correlation(
    monthly: pd.DataFrame, start: str | None = None, end: str | None = None
) -> float:
    """Correlation over the months of the unemployment rate with the vacancy rate."""
    win = window(monthly, start, end)
    return float(np.corrcoef(unemployment_rate(win), win["vacancy_rate"].to_numpy(float))[0, 1])


def beveridge_slope(
    monthly: pd.DataFrame, start: str | None = None, end: str | None = None
) -> float:
    """Slope over the months of the vacancy rate on the unemployment rate (OLS)."""
    win = window(monthly, start, end)
    reg = ols(win["vacancy_rate"].to_numpy(float), [unemployment_rate(win)], ("u",))
    return reg.coefficient("u")


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
    for on, (hires, _) in MATCHING.items():
        reg = matching_regression(monthly, start, end, on)
        lines.append(
            f"matching function: log {hires} = "
            f"{reg.constant:.2f} + {reg.coefficient(on):.3f} log {on} "
            f"+ {reg.coefficient('vacancies'):.3f} log vacancies  (R2 {reg.r2:.3f}, n {reg.n})"
        )
    lines += [
        f"Beveridge correlation (unemployment rate, vacancy rate): "
        f"{beveridge_correlation(monthly, start, end):+.3f}, slope "
        f"{beveridge_slope(monthly, start, end):+.3f}",
        "monthly job-finding rate by unemployment duration: "
        + ", ".join(
            f"{k} {v:.3f}" for k, v in job_finding_by_duration(monthly, start, end).items()
        ),
    ]
    return "\n".join(lines)


def accounting(sectors: pd.DataFrame) -> str:
    """The account of jobs and vacancies, checked on a run's sectors table.

    Filled jobs + open vacancies = demand in every sector and month (in persons); where a
    shock pushes demand below the jobs held, the excess shows as over-staffing.
    """
    gap = (sectors["filled"] + sectors["vacancies"] - sectors["demand"]).abs()
    over = sectors["over_staffing"] > 0
    return (
        f"accounting: filled + open vacancies = demand in {len(sectors)} sector-months, "
        f"largest gap {gap.max():.0f} persons; over-staffed sector-months {int(over.sum())} "
        f"(most {sectors['over_staffing'].max():.0f} persons)"
    )


def main(argv: Sequence[str]) -> None:
    """Print the facts of one run: ``python -m sim.stylised_facts [PRESET|cycle] [SEED]``.

    ``cycle`` runs the synthetic demand cycle (:func:`synthetic_cycle`) from 2020 on, as
    the tests measure it; a preset is measured over the calibration's window 2019-2023.
    """
    from sim.simulate import simulate

    preset = argv[0] if argv else "basis"
    seed = int(argv[1]) if len(argv) > 1 else 1
    if preset == "cycle":
        run = simulate(synthetic_cycle(), seed=seed)
        print(summary(run.monthly, "2020-01"))
    else:
        run = simulate(preset, seed=seed)
        print(summary(run.monthly, "2019-01", "2023-12"))
    print(accounting(run.sectors))


if __name__ == "__main__":
    main(sys.argv[1:])
