"""The few indicators the page shows, their bands and the paired-difference table.

Every number on the page comes from here: monthly series per run (:func:`series`),
median and 80% band per scenario (:func:`bands`), and the paired differences A - basis,
B - basis and B - A over the seeds they share (:func:`paired_table`), with the
experiments' statistics (:mod:`experiments.analysis`: t-intervals and the cost per extra
job-year with its bootstrap interval), so that the page and the report agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.compare import Comparison
from experiments.analysis import cost_per_job_year, t_interval
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


#: The comparisons on the page: (group, against), read "group minus against".
PAIRS: tuple[tuple[str, str], ...] = (("A", "basis"), ("B", "basis"), ("B", "A"))
#: Key of the cost per extra job-year rows.
COST_KEY = "cost_per_job_year"


def better(indicator: Indicator) -> int:
    """+1 when more is better, -1 when less is better, 0 when neutral.

    From the output schema's direction; spending counts as a cost (more is worse).
    """
    if indicator.column == SPENDING:
        return -1
    return {True: 1, False: -1}.get(indicator.higher_is_better, 0)


def pair_name(pair: tuple[str, str]) -> str:
    """``"B-basis"`` for ``("B", "basis")`` (the table's ``pair`` column)."""
    return f"{pair[0]}-{pair[1]}"


def paired_table(comparison: Comparison) -> pd.DataFrame:
    """Paired differences A - basis, B - basis and B - A over the shared seeds.

    Per indicator and pair: the mean paired difference of the window values (stocks
    averaged, spending summed over :data:`POLICY_START` to the end) and its 95%
    t-interval (:func:`experiments.analysis.t_interval`). Per pair also the cost per
    extra job-year: extra spending (EUR) over extra job-years (extra employed averaged
    over the window times its length in years), with the paired bootstrap interval of
    :func:`experiments.analysis.cost_per_job_year`.

    Returns:
        Columns ``key``, ``pair``, ``group``, ``against``, ``value`` (mean window value of
        ``group``), ``reference`` (of ``against``), ``diff``, ``lo``, ``hi``, ``better``
        (+1/-1/0), ``no_gain_share`` and ``gain_can_be_zero`` (cost rows only),
        ``unit_nl``, ``unit_en``.
    """
    window = {ind.key: _window_values(comparison, ind) for ind in INDICATORS}
    years = _window_months(comparison) / 12.0
    rows = []
    for pair in PAIRS:
        group, against = pair
        for ind in INDICATORS:
            x, ref = window[ind.key][group], window[ind.key][against]
            mean, lo, hi = t_interval(x - ref, CONFIDENCE)
            rows.append(
                {
                    "key": ind.key,
                    "pair": pair_name(pair),
                    "group": group,
                    "against": against,
                    "value": x.mean(),
                    "reference": ref.mean(),
                    "diff": mean,
                    "lo": lo,
                    "hi": hi,
                    "better": better(ind),
                    "no_gain_share": np.nan,
                    "gain_can_be_zero": np.nan,
                    "unit_nl": ind.unit["nl"],
                    "unit_en": ind.unit["en"],
                }
            )
        spend = (window["spending"][group] - window["spending"][against]) * 1e6
        gain = (window["employed"][group] - window["employed"][against]) * years
        cost = cost_per_job_year(spend, gain, CONFIDENCE)
        rows.append(
            {
                "key": COST_KEY,
                "pair": pair_name(pair),
                "group": group,
                "against": against,
                "value": np.nan,
                "reference": np.nan,
                "diff": cost.value,
                "lo": cost.low,
                "hi": cost.high,
                "better": 0,
                "no_gain_share": cost.no_gain_share,
                "gain_can_be_zero": cost.gain_can_be_zero,
                "unit_nl": "EUR per extra jobjaar",
                "unit_en": "EUR per extra job-year",
            }
        )
    return pd.DataFrame(rows)


def _window_values(comparison: Comparison, indicator: Indicator) -> dict[str, np.ndarray]:
    """Per group, the window value of every seed (as :func:`window_value`, in numpy).

    Read straight from the run tables: building a pandas Series per run and indicator was
    most of the page server's time for a new comparison.
    """
    months = comparison.runs["A"][0]["monthly"]["month"].astype(str).to_numpy()
    window = months >= POLICY_START
    out = {}
    for group, runs in comparison.runs.items():
        values = np.stack(
            [f["monthly"][indicator.column].to_numpy(dtype=float)[window] for f in runs]
        )
        values = values * indicator.scale
        cumulative = indicator.aggregation == "cumulative"
        out[group] = values.sum(axis=1) if cumulative else values.mean(axis=1)
    return out


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
