"""Analysis of a batch: summaries, paired differences, bands, costs, replication advice.

All functions take the stacked ``monthly`` table of a results folder (one row per run and
month, with ``run_id``, ``scenario``, ``replication``, ``point`` and ``month`` columns).
Scenarios are compared run by run on the same replication (and design point): the seeds
are common random numbers, so the differences are paired and their intervals narrow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from experiments.design import NO_POINT
from experiments.spec import OutcomeSpec

PAIR_KEYS = ["point", "replication"]


def _in_outcome_order(out: pd.DataFrame, outcomes: Sequence[OutcomeSpec]) -> pd.DataFrame:
    """Rows sorted by the experiment's outcome order, then horizon."""
    if out.empty:
        return out
    order = {o.name: i for i, o in enumerate(outcomes)}
    out["_o"] = out["outcome"].map(order)
    return (
        out.sort_values(["_o", "horizon"], kind="stable").drop(columns="_o").reset_index(drop=True)
    )


def _pair_frame(monthly: pd.DataFrame) -> pd.DataFrame:
    """The table with ``point`` as int64 (:data:`NO_POINT` for runs without one)."""
    if "point" in monthly.columns and monthly["point"].dtype == "int64":
        return monthly
    df = monthly.copy()
    if "point" not in df.columns:
        df["point"] = NO_POINT
    df["point"] = df["point"].fillna(NO_POINT).astype("int64")
    return df


def values_at(
    monthly: pd.DataFrame,
    outcomes: Sequence[OutcomeSpec],
    horizon: str,
    start: str = "0000-00",
) -> pd.DataFrame:
    """One row per run with every outcome read at a horizon (see :func:`outcome_values`).

    Returns:
        Columns ``scenario``, ``point``, ``replication`` and one per outcome.
    """
    df = _pair_frame(monthly)
    keys = ["scenario", *PAIR_KEYS]
    level = [o.name for o in outcomes if o.aggregation == "level"]
    out = df.loc[df["month"] == horizon, [*keys, *level]].set_index(keys)
    window = df[(df["month"] >= start) & (df["month"] <= horizon)]
    g = window.groupby(keys, sort=False)
    cum = [o.name for o in outcomes if o.aggregation == "cumulative"]
    mean = [o.name for o in outcomes if o.aggregation == "mean"]
    parts = [out]
    if cum:
        parts.append(g[cum].sum())
    if mean:
        parts.append(g[mean].mean())
    return pd.concat(parts, axis=1).reset_index()


def outcome_values(
    monthly: pd.DataFrame, outcome: OutcomeSpec, horizon: str, start: str = "0000-00"
) -> pd.DataFrame:
    """One value per run of an outcome at a horizon.

    Args:
        monthly: Stacked monthly table.
        outcome: The outcome and how to aggregate it.
        horizon: Month ``YYYY-MM``; ``level`` reads that month, ``cumulative`` sums and
            ``mean`` averages the months from ``start`` up to and including it.
        start: First month of the window for ``cumulative`` and ``mean``.

    Returns:
        Columns ``scenario``, ``point``, ``replication``, ``value``.
    """
    df = _pair_frame(monthly)
    keys = ["scenario", *PAIR_KEYS]
    if outcome.aggregation == "level":
        sel = df[df["month"] == horizon]
        out = sel[[*keys, outcome.name]]
    else:
        sel = df[(df["month"] >= start) & (df["month"] <= horizon)]
        g = sel.groupby(keys, sort=False)[outcome.name]
        out = (g.sum() if outcome.aggregation == "cumulative" else g.mean()).reset_index()
    return out.rename(columns={outcome.name: "value"}).reset_index(drop=True)


def t_interval(x: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and t-interval of the mean.

    Args:
        x: Observations (NaN dropped).
        confidence: Confidence level.

    Returns:
        ``(mean, low, high)``; the interval is NaN with fewer than two observations.
    """
    x = np.asarray(x, float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return math.nan, math.nan, math.nan
    m = float(x.mean())
    if len(x) < 2:
        return m, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return m, m - half, m + half


def bootstrap_interval(
    x: np.ndarray, confidence: float = 0.95, samples: int = 2000, seed: int = 0
) -> tuple[float, float, float]:
    """Mean and percentile-bootstrap interval of the mean.

    Args:
        x: Observations (NaN dropped).
        confidence: Confidence level.
        samples: Bootstrap resamples.
        seed: Seed of the resampling (results are reproducible).

    Returns:
        ``(mean, low, high)``.
    """
    x = np.asarray(x, float)
    x = x[~np.isnan(x)]
    if len(x) < 2:
        return (float(x.mean()) if len(x) else math.nan), math.nan, math.nan
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(samples, len(x)))
    means = x[idx].mean(axis=1)
    a = (1 - confidence) / 2
    return float(x.mean()), float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def summary(
    monthly: pd.DataFrame,
    outcomes: Sequence[OutcomeSpec],
    horizons: Sequence[str],
    confidence: float = 0.95,
    start: str = "0000-00",
) -> pd.DataFrame:
    """Mean and confidence interval per scenario, outcome and horizon.

    Returns:
        Columns ``scenario``, ``point``, ``outcome``, ``aggregation``, ``horizon``, ``n``,
        ``mean``, ``sd``, ``ci_low``, ``ci_high``, ``p10``, ``p90``.
    """
    rows = []
    monthly = _pair_frame(monthly)
    for h in horizons:
        wide = values_at(monthly, outcomes, h, start)
        groups = list(wide.groupby(["scenario", "point"], sort=False))
        for o in outcomes:
            for (scen, point), g in groups:
                x = g[o.name].to_numpy(float)
                m, lo, hi = t_interval(x, confidence)
                rows.append(
                    {
                        "scenario": scen,
                        "point": int(point),
                        "outcome": o.name,
                        "aggregation": o.aggregation,
                        "horizon": h,
                        "n": int(np.isfinite(x).sum()),
                        "mean": m,
                        "sd": float(np.nanstd(x, ddof=1)) if len(x) > 1 else math.nan,
                        "ci_low": lo,
                        "ci_high": hi,
                        "p10": float(np.nanquantile(x, 0.1)),
                        "p90": float(np.nanquantile(x, 0.9)),
                    }
                )
    return _in_outcome_order(pd.DataFrame(rows), outcomes)


def paired_differences(
    monthly: pd.DataFrame,
    outcomes: Sequence[OutcomeSpec],
    horizons: Sequence[str],
    reference: str,
    *,
    confidence: float = 0.95,
    method: str = "t",
    bootstrap_samples: int = 2000,
    seed: int = 0,
    start: str = "0000-00",
) -> pd.DataFrame:
    """Differences of each scenario against the reference, run by run, with intervals.

    Args:
        monthly: Stacked monthly table.
        outcomes: Outcomes of interest.
        horizons: Months at which to compare.
        reference: The reference scenario.
        confidence: Confidence level.
        method: ``t`` (t-interval of the paired differences) or ``bootstrap``.
        bootstrap_samples: Resamples for the bootstrap.
        seed: Seed of the bootstrap.
        start: First month of the window of cumulative outcomes.

    Returns:
        Columns ``scenario``, ``point``, ``outcome``, ``aggregation``, ``horizon``, ``n``,
        ``reference_mean``, ``scenario_mean``, ``diff``, ``diff_sd``, ``ci_low``,
        ``ci_high``, ``relative`` (diff / reference mean), ``significant``.
    """
    rows = []
    monthly = _pair_frame(monthly)
    for h in horizons:
        wide = values_at(monthly, outcomes, h, start)
        ref = wide[wide["scenario"] == reference].set_index(PAIR_KEYS)
        others = wide[wide["scenario"] != reference]
        for scen, g in others.groupby("scenario", sort=False):
            joined = g.set_index(PAIR_KEYS).merge(
                ref, left_index=True, right_index=True, suffixes=("", "_r")
            )
            for point, gp in joined.groupby(level="point", sort=False):
                for o in outcomes:
                    pair = gp[[o.name, f"{o.name}_r"]].dropna()
                    d = (pair[o.name] - pair[f"{o.name}_r"]).to_numpy(float)
                    if method == "bootstrap":
                        m, lo, hi = bootstrap_interval(d, confidence, bootstrap_samples, seed)
                    else:
                        m, lo, hi = t_interval(d, confidence)
                    ref_mean = float(pair[f"{o.name}_r"].mean()) if len(pair) else math.nan
                    rows.append(
                        {
                            "scenario": scen,
                            "point": int(point),
                            "outcome": o.name,
                            "aggregation": o.aggregation,
                            "horizon": h,
                            "n": len(d),
                            "reference_mean": ref_mean,
                            "scenario_mean": float(pair[o.name].mean()) if len(pair) else math.nan,
                            "diff": m,
                            "diff_sd": float(d.std(ddof=1)) if len(d) > 1 else math.nan,
                            "ci_low": lo,
                            "ci_high": hi,
                            "relative": m / ref_mean if ref_mean else math.nan,
                            "significant": bool(lo > 0 or hi < 0) if np.isfinite(lo) else False,
                        }
                    )
    return _in_outcome_order(pd.DataFrame(rows), outcomes)


def differences_over_time(
    monthly: pd.DataFrame,
    outcomes: Iterable[str],
    reference: str,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Paired differences against the reference for every month (t-intervals).

    Returns:
        Columns ``scenario``, ``point``, ``outcome``, ``month``, ``n``, ``diff``,
        ``ci_low``, ``ci_high``.
    """
    df = _pair_frame(monthly)
    outcomes = [o for o in outcomes if o in df.columns]
    keys = [*PAIR_KEYS, "month"]
    ref = df[df["scenario"] == reference].set_index(keys)[outcomes]
    frames = []
    for scen, g in df[df["scenario"] != reference].groupby("scenario", sort=False):
        diff = (g.set_index(keys)[outcomes] - ref).dropna(how="all")
        if diff.empty:
            continue
        long = diff.reset_index().melt(id_vars=keys, var_name="outcome", value_name="d")
        agg = (
            long.groupby(["point", "outcome", "month"], sort=True)["d"]
            .agg(n="count", diff="mean", sd="std")
            .reset_index()
        )
        tq = stats.t.ppf(0.5 + confidence / 2, np.maximum(agg["n"] - 1, 1))
        half = np.where(agg["n"] > 1, tq * agg["sd"] / np.sqrt(agg["n"]), np.nan)
        agg["ci_low"] = agg["diff"] - half
        agg["ci_high"] = agg["diff"] + half
        agg.insert(0, "scenario", scen)
        frames.append(agg.drop(columns="sd"))
    if not frames:
        return pd.DataFrame(
            columns=["scenario", "point", "outcome", "month", "n", "diff", "ci_low", "ci_high"]
        )
    return pd.concat(frames, ignore_index=True)


def bands(monthly: pd.DataFrame, outcome: str, band: float = 0.8) -> pd.DataFrame:
    """Median and central band over replications per scenario and month.

    Returns:
        Columns ``scenario``, ``month``, ``median``, ``low``, ``high``.
    """
    a = (1 - band) / 2
    g = monthly.groupby(["scenario", "month"], sort=False)[outcome]
    out = pd.DataFrame(
        {
            "median": g.median(),
            "low": g.quantile(a),
            "high": g.quantile(1 - a),
        }
    ).reset_index()
    return out


def replications_needed(sd: float, half_width: float, confidence: float = 0.95) -> int:
    """Smallest number of replications whose t-interval half-width is at most ``half_width``.

    Args:
        sd: Standard deviation of the paired differences.
        half_width: Wanted half-width of the interval (same unit as the outcome).
        confidence: Confidence level.

    Returns:
        The number of replications (at least 2); a large sentinel (100000) when unattainable.
    """
    if not (np.isfinite(sd) and np.isfinite(half_width)) or half_width <= 0:
        return 100_000
    if sd == 0:
        return 2
    z = stats.norm.ppf(0.5 + confidence / 2)
    n = max(2, math.ceil((z * sd / half_width) ** 2))
    while n < 100_000:
        if stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n) <= half_width:
            return n
        n += 1
    return 100_000


def replication_advice(
    diffs: pd.DataFrame,
    precision: dict[str, float] | None = None,
    relative: float = 0.1,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """How many replications give the wanted precision of each paired difference.

    Args:
        diffs: Output of :func:`paired_differences`.
        precision: Outcome -> wanted half-width (absolute). Outcomes not listed use
            ``relative`` times the absolute mean difference.
        relative: Default wanted half-width relative to the difference.
        confidence: Confidence level.

    Returns:
        ``diffs``' keys with ``n``, ``half_width`` (now), ``wanted``, ``needed``.
    """
    precision = precision or {}
    rows = []
    for _, r in diffs.iterrows():
        wanted = precision.get(r["outcome"], relative * abs(r["diff"]))
        half = (r["ci_high"] - r["ci_low"]) / 2 if np.isfinite(r["ci_high"]) else math.nan
        rows.append(
            {
                "scenario": r["scenario"],
                "point": r["point"],
                "outcome": r["outcome"],
                "horizon": r["horizon"],
                "n": r["n"],
                "diff": r["diff"],
                "diff_sd": r["diff_sd"],
                "half_width": half,
                "wanted": wanted,
                "needed": replications_needed(r["diff_sd"], wanted, confidence),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class CostPerJobYear:
    """Extra spending per extra job-year, with its paired bootstrap interval.

    Attributes:
        value: Ratio of the mean extra spending to the mean extra job-years; NaN when the
            mean job gain is zero or negative (no job-years to divide by).
        low: Lower end of the percentile interval.
        high: Upper end; ``inf`` when more than the interval's tail share of the resamples
            has no job gain (the cost per job-year is then unbounded).
        no_gain_share: Share of the bootstrap resamples whose mean job gain is <= 0.
        gain_low: Lower end of the t-interval of the extra job-years.
        gain_high: Upper end of that interval.
    """

    value: float
    low: float
    high: float
    no_gain_share: float
    gain_low: float
    gain_high: float

    @property
    def gain_can_be_zero(self) -> bool:
        """Whether the interval of the job gain reaches zero or below."""
        return not (math.isfinite(self.gain_low) and self.gain_low > 0)


def cost_per_job_year(
    extra_cost: np.ndarray,
    extra_job_years: np.ndarray,
    confidence: float = 0.95,
    samples: int = 2000,
    seed: int = 0,
) -> CostPerJobYear:
    """Cost per extra job-year: paired extra spending over paired extra job-years.

    One job-year is one extra person at work for twelve months (the employment
    difference summed over the months of the window, divided by 12). The ratio is taken
    of the means; its interval resamples the seeds (pairs) with replacement. A resample
    whose mean job gain is zero or negative has no finite cost per job-year: it counts as
    ``inf`` (not dropped), so that an uncertain job gain shows as an open upper end.

    Args:
        extra_cost: Per seed, the extra spending (EUR) against the reference.
        extra_job_years: Per seed, the extra job-years against the reference.
        confidence: Confidence level.
        samples: Bootstrap resamples.
        seed: Seed of the resampling.

    Returns:
        The ratio, its interval and how often the job gain is not positive.
    """
    cost = np.asarray(extra_cost, float)
    gain = np.asarray(extra_job_years, float)
    _, glo, ghi = t_interval(gain, confidence)
    if len(gain) == 0:
        return CostPerJobYear(math.nan, math.nan, math.nan, math.nan, glo, ghi)
    if len(gain) == 1 or (np.allclose(gain, gain[0]) and np.allclose(cost, cost[0])):
        g, c = float(gain.mean()), float(cost.mean())
        val = c / g if g > 0 else math.nan
        return CostPerJobYear(val, val, val, float(g <= 0), glo, ghi)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(gain), size=(samples, len(gain)))
    g = gain[idx].mean(axis=1)
    c = cost[idx].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(g > 0, c / g, np.inf)
    tail = (1 - confidence) / 2
    lo, hi = (float(q) for q in np.quantile(ratios, [tail, 1 - tail], method="lower"))
    mean_gain = float(gain.mean())
    value = float(cost.mean()) / mean_gain if mean_gain > 0 else math.nan
    return CostPerJobYear(value, lo, hi, float((g <= 0).mean()), glo, ghi)


def cost_per_job(
    monthly: pd.DataFrame,
    cost_column: str,
    jobs_column: str,
    horizons: Sequence[str],
    reference: str,
    confidence: float = 0.95,
    seed: int = 0,
    start: str = "0000-00",
) -> pd.DataFrame:
    """Extra spending, extra job-years and the cost per extra job-year against the reference.

    Extra spending is the cumulative difference in ``cost_column`` from ``start`` up to
    the horizon; extra job-years the difference in ``jobs_column`` summed over the same
    months, divided by 12. The cost per extra job-year is :func:`cost_per_job_year`: the
    ratio of the two mean differences with a paired bootstrap interval whose upper end is
    open (``inf``) when the job gain can be zero or negative; the ratio is empty when the
    mean job gain is not positive.

    Returns:
        Columns ``scenario``, ``horizon``, ``n``, ``extra_cost``, ``extra_cost_low``,
        ``extra_cost_high``, ``extra_job_years``, ``extra_job_years_low``,
        ``extra_job_years_high``, ``cost_per_job_year``, ``cost_per_job_year_low``,
        ``cost_per_job_year_high``, ``no_gain_share``.
    """
    rows = []
    for h in horizons:
        cost = outcome_values(monthly, OutcomeSpec(cost_column, "cumulative"), h, start)
        jobs = outcome_values(monthly, OutcomeSpec(jobs_column, "cumulative"), h, start)
        both = cost.merge(jobs, on=["scenario", *PAIR_KEYS], suffixes=("_cost", "_jobs"))
        ref = both[both["scenario"] == reference].set_index(PAIR_KEYS)
        for scen, g in both[both["scenario"] != reference].groupby("scenario", sort=False):
            j = g.merge(ref.reset_index(), on=PAIR_KEYS, suffixes=("", "_ref"), how="inner")
            dc = (j["value_cost"] - j["value_cost_ref"]).to_numpy(float)
            dj = (j["value_jobs"] - j["value_jobs_ref"]).to_numpy(float) / 12.0
            c, clo, chi = t_interval(dc, confidence)
            e, elo, ehi = t_interval(dj, confidence)
            ratio = cost_per_job_year(dc, dj, confidence, seed=seed)
            rows.append(
                {
                    "scenario": scen,
                    "horizon": h,
                    "n": len(dc),
                    "extra_cost": c,
                    "extra_cost_low": clo,
                    "extra_cost_high": chi,
                    "extra_job_years": e,
                    "extra_job_years_low": elo,
                    "extra_job_years_high": ehi,
                    "cost_per_job_year": ratio.value,
                    "cost_per_job_year_low": ratio.low,
                    "cost_per_job_year_high": ratio.high,
                    "no_gain_share": ratio.no_gain_share,
                }
            )
    return pd.DataFrame(rows)
