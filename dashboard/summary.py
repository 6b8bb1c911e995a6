"""The few indicators the page shows, their bands and the paired-difference table.

Every number on the page comes from here: monthly series per run (:func:`series`),
median and 80% band per scenario (:func:`bands`), and the paired differences B - A
over the seeds that A and B share (:func:`difference_table`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from dashboard.compare import Comparison
from experiments.indicators import Indicator

#: The table and the difference plot summarise the months from here to the end (the
#: training offensive and the worker-sharing pilot start in 2021).
POLICY_START = "2021-01"
#: Monthly column with all spending booked by VDAB (its regular offer and the policies).
SPENDING = "vdab_spending_eur"
#: Central band of the plots: 10th to 90th percentile over the seeds.
BAND = (0.10, 0.90)
#: Confidence level of the intervals in the difference table.
CONFIDENCE = 0.95


#: The indicators of the page. Labels and units come from the output schema; the
#: stocks are averaged over the policy window, spending (million euro) is summed over it.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("employed", "mean", higher_is_better=True),
    Indicator("temporarily_unemployed", "mean", higher_is_better=False),
    Indicator("job_seekers", "mean", higher_is_better=False),
    Indicator(
        "vacancies_open_3m_shortage", "mean", higher_is_better=False, key="shortage_vacancies"
    ),
    Indicator(SPENDING, "cumulative", scale=1e-6, key="spending", plot=False),
)
BY_KEY = {i.key: i for i in INDICATORS}


def monthly_values(frames: dict[str, pd.DataFrame], indicator: Indicator) -> pd.Series:
    """One run's monthly series of an indicator, times its display scale (index: month)."""
    m = frames["monthly"]
    values = m[indicator.column].to_numpy(dtype=float) * indicator.scale
    return pd.Series(values, index=m["month"].astype(str))


def series(comparison: Comparison, indicator: Indicator) -> dict[str, pd.DataFrame]:
    """Monthly values per group: ``{group: DataFrame(index month, columns replication)}``."""
    out = {}
    for group, runs in comparison.runs.items():
        cols = {
            r: monthly_values(frames, indicator)
            for r, frames in zip(comparison.seeds, runs, strict=True)
        }
        out[group] = pd.DataFrame(cols)
    return out


def bands(values: pd.DataFrame) -> pd.DataFrame:
    """Median and 80% band over the replications (columns ``median``, ``lo``, ``hi``)."""
    arr = values.to_numpy()
    return pd.DataFrame(
        {
            "median": np.median(arr, axis=1),
            "lo": np.quantile(arr, BAND[0], axis=1),
            "hi": np.quantile(arr, BAND[1], axis=1),
        },
        index=values.index,
    )


def window_value(values: pd.DataFrame, indicator: Indicator) -> pd.Series:
    """Per replication: the sum (cumulative) or the mean (stocks) over the policy window."""
    win = values.loc[values.index >= POLICY_START]
    return win.sum() if indicator.aggregation == "cumulative" else win.mean()


def mean_interval(x: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Mean of ``x`` and its t-interval (lo, hi); the interval is (mean, mean) for n < 2."""
    x = np.asarray(x, dtype=float)
    mean = float(x.mean())
    if len(x) < 2 or np.allclose(x, x[0]):
        return mean, mean, mean
    half = stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return mean, mean - half, mean + half


def _ratio_interval(
    num: np.ndarray, den: np.ndarray, rng: np.random.Generator, n_boot: int = 2000
) -> tuple[float, float, float]:
    """Ratio of means with a paired bootstrap percentile interval (NaN if not defined)."""
    if den.mean() <= 0:
        return np.nan, np.nan, np.nan
    idx = rng.integers(0, len(num), size=(n_boot, len(num)))
    d = den[idx].mean(axis=1)
    n = num[idx].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d > 0, n / d, np.nan)
    tail = (1 - CONFIDENCE) / 2
    lo, hi = np.nanquantile(r, [tail, 1 - tail]) if np.isfinite(r).any() else (np.nan, np.nan)
    return float(num.mean() / den.mean()), float(lo), float(hi)


def difference_table(comparison: Comparison) -> pd.DataFrame:
    """The paired-difference table, B - A over the shared seeds.

    Rows: the indicators, then the cost per extra job (extra spending in EUR divided by
    extra employment in job-years over the window, B against A). Columns: ``key``,
    ``A`` and ``B`` (mean over seeds of the window value), ``diff`` (mean paired
    difference), ``lo`` and ``hi`` (its 95% interval), ``unit_nl``, ``unit_en``.
    """
    rows = []
    per_seed: dict[str, np.ndarray] = {}
    for ind in INDICATORS:
        vals = series(comparison, ind)
        a = window_value(vals["A"], ind).to_numpy()
        b = window_value(vals["B"], ind).to_numpy()
        per_seed[ind.key] = b - a
        mean, lo, hi = mean_interval(b - a)
        rows.append(
            {
                "key": ind.key,
                "A": a.mean(),
                "B": b.mean(),
                "diff": mean,
                "lo": lo,
                "hi": hi,
                "unit_nl": ind.unit["nl"],
                "unit_en": ind.unit["en"],
            }
        )
    # extra spending (million EUR over the window) / extra job-years over the window
    months = _window_months(comparison)
    job_years = per_seed["employed"] * months / 12.0
    spend_eur = per_seed["spending"] * 1e6
    cost, lo, hi = _ratio_interval(spend_eur, job_years, np.random.default_rng(0))
    rows.append(
        {
            "key": "cost_per_job",
            "A": np.nan,
            "B": np.nan,
            "diff": cost,
            "lo": lo,
            "hi": hi,
            "unit_nl": "EUR per extra jobjaar",
            "unit_en": "EUR per extra job-year",
        }
    )
    return pd.DataFrame(rows)


def _window_months(comparison: Comparison) -> int:
    months = comparison.runs["A"][0]["monthly"]["month"].astype(str)
    return int((months >= POLICY_START).sum())


def long_frame(comparison: Comparison, names: dict[str, str]) -> pd.DataFrame:
    """All plotted series in long form, for the CSV export.

    Args:
        comparison: The comparison.
        names: Scenario name per group (``basis``, ``A``, ``B``).

    Returns:
        Columns ``group, scenario, replication, month, indicator, value``.
    """
    parts = []
    for ind in INDICATORS:
        for group, values in series(comparison, ind).items():
            df = (
                values.rename_axis("month")
                .reset_index()
                .melt(id_vars="month", var_name="replication", value_name="value")
            )
            df.insert(0, "indicator", ind.key)
            df.insert(0, "scenario", names.get(group, group))
            df.insert(0, "group", group)
            parts.append(df)
    return pd.concat(parts, ignore_index=True)[
        ["group", "scenario", "replication", "month", "indicator", "value"]
    ]
