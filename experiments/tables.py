"""The tables of a results folder, computed from the run files and written next to them.

Each table is written as Parquet and as CSV (for spreadsheet users):

=========================  =================================================================
``monthly``                every run's monthly table, stacked (run columns first)
``summary``                mean, sd, 95% interval, p10/p90 per scenario, outcome and horizon
``differences``            paired differences against the reference at the horizons
``differences_over_time``  paired differences against the reference for every month
``replication_advice``     replications needed for the wanted precision
``costs``                  extra spending, extra job-years and cost per extra job-year
``flows``                  hires from shrinking into growing sectors, paired differences
``groups``                 employment rates of the groups the debate worries about
``sensitivity``            Sobol or Morris indices (sample designs only)
``points``                 parameter values of each design point (sweeps and samples)
=========================  =================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import analysis
from experiments.design import NO_POINT, design_points
from experiments.indicators import (
    GROUP_INDICATORS,
    KEY_INDICATORS,
    TOTAL_COST,
    TOTAL_SPENDING_COLUMN,
)
from experiments.model_api import ModelAPI
from experiments.spec import ExperimentSpec, OutcomeSpec
from experiments.store import Results, atomic_write_bytes

DEFAULT_WINDOW_START = "2020-01"


@dataclass
class Tables:
    """The computed tables and what the report needs to read them.

    Attributes:
        frames: Table name -> DataFrame.
        outcomes: The outcomes analysed.
        start: First month of the policy window (figures, cumulative sums).
        horizons: Horizons present in the data.
        shrinking: Sectors counted as shrinking.
        growing: Sectors counted as growing.
        notes: Remarks for the report (e.g. a horizon beyond the simulated months).
    """

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    outcomes: list[OutcomeSpec] = field(default_factory=list)
    start: str = DEFAULT_WINDOW_START
    horizons: list[str] = field(default_factory=list)
    shrinking: list[str] = field(default_factory=list)
    growing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames.get(name, pd.DataFrame())


def add_total_cost(monthly: pd.DataFrame) -> pd.DataFrame:
    """Add ``policy_cost_eur``, the policy spending of the month (EUR).

    It is the model's ``vdab_spending_eur``: all that VDAB books (counselling, training,
    the levers). Declared in the output schema with origin ``analysis``.
    """
    if monthly.empty or TOTAL_COST in monthly.columns:
        return monthly
    return monthly.assign(**{TOTAL_COST: monthly[TOTAL_SPENDING_COLUMN]})


def default_outcomes(monthly: pd.DataFrame) -> list[OutcomeSpec]:
    """The report's key indicators that the model produced, and the total cost."""
    out = [OutcomeSpec(i.column, i.aggregation) for i in KEY_INDICATORS if i.column in monthly]
    if TOTAL_COST in monthly:
        out.append(OutcomeSpec(TOTAL_COST, "cumulative"))
    return out


def classify_sectors(
    sectors: pd.DataFrame, reference: str, start: str, api: ModelAPI
) -> tuple[list[str], list[str]]:
    """Shrinking and growing sectors.

    Growing: the registry's shortage sectors, and sectors whose employment in the reference
    scenario is higher at the end of the simulated period than just before the window.
    Shrinking: sectors whose reference employment at its lowest month of the window is at
    least 5% below its level just before the window (the sectors hit by the shocks).

    Args:
        sectors: Stacked ``sectors`` table.
        reference: The reference scenario.
        start: First month of the window.
        api: The model (for the shortage flags).

    Returns:
        ``(shrinking, growing)`` sector ids; disjoint.
    """
    shortage = [s.id for s in api.sectors if getattr(s, "shortage", False)]
    if sectors.empty or "employed" not in sectors:
        return [], shortage
    ref = sectors[sectors["scenario"] == reference]
    if ref.empty:
        ref = sectors
    emp = ref.groupby(["sector", "month"])["employed"].mean().unstack("month")
    before = [m for m in emp.columns if m < start]
    within = [m for m in emp.columns if m >= start]
    if not before or not within:
        return [], shortage
    base = emp[before[-1]]
    trough = emp[within].min(axis=1)
    last = emp[within[-1]]
    shrinking = [s for s in emp.index if trough[s] < 0.95 * base[s] and s not in shortage]
    growing = [s for s in emp.index if (s in shortage or last[s] > base[s]) and s not in shrinking]
    order = list(emp.index)
    if api.sectors:
        order = [s.id for s in api.sectors]
    return ([s for s in order if s in shrinking], [s for s in order if s in growing])


def flows_table(
    flows: pd.DataFrame,
    shrinking: list[str],
    growing: list[str],
    start: str,
    horizons: list[str],
    reference: str,
    confidence: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hires from shrinking into growing sectors: per scenario and paired differences.

    Flows are counted per calendar year; a horizon ``YYYY-MM`` counts the years from the
    window's first year up to the horizon's year.

    Returns:
        ``(per_run_summary, matrix)``: mean, interval and paired difference per scenario and
        horizon; and the mean from-to matrix over the whole window per scenario.
    """
    if flows.empty or not shrinking or not growing:
        return pd.DataFrame(), pd.DataFrame()
    f = flows.copy()
    f["point"] = f["point"].fillna(NO_POINT).astype("int64")
    first_year = int(start[:4])
    rows = []
    for h in horizons:
        sel = f[(f["year"] >= first_year) & (f["year"] <= int(h[:4]))]
        s2g = sel[sel["from_sector"].isin(shrinking) & sel["to_sector"].isin(growing)]
        per_run = s2g.groupby(["scenario", "point", "replication"])["persons"].sum()
        runs = sel[["scenario", "point", "replication"]].drop_duplicates()
        per_run = per_run.reindex(pd.MultiIndex.from_frame(runs), fill_value=0)
        df = per_run.rename("value").reset_index()
        ref = df[df["scenario"] == reference].set_index(["point", "replication"])["value"]
        for scen, g in df.groupby("scenario", sort=False):
            m, lo, hi = analysis.t_interval(g["value"].to_numpy(float), confidence)
            row = {
                "scenario": scen,
                "horizon": h,
                "n": len(g),
                "mean": m,
                "ci_low": lo,
                "ci_high": hi,
                "diff": np.nan,
                "diff_low": np.nan,
                "diff_high": np.nan,
            }
            if scen != reference:
                d = (g.set_index(["point", "replication"])["value"] - ref).dropna()
                row["diff"], row["diff_low"], row["diff_high"] = analysis.t_interval(
                    d.to_numpy(float), confidence
                )
            rows.append(row)
    sel = f[f["year"] >= first_year]
    n_runs = sel.groupby("scenario")["run_id"].nunique()
    matrix = sel.groupby(["scenario", "from_sector", "to_sector"])["persons"].sum().reset_index()
    matrix["persons"] = matrix["persons"] / matrix["scenario"].map(n_runs)
    return pd.DataFrame(rows), matrix


def sensitivity_table(
    monthly: pd.DataFrame,
    spec: ExperimentSpec,
    outcomes: list[OutcomeSpec],
    horizons: list[str],
    start: str,
) -> pd.DataFrame:
    """Sobol or Morris indices per scenario, outcome and horizon (sample order restored)."""
    from experiments.sensitivity import indices

    if spec.sample is None or spec.sample.method not in ("sobol", "morris"):
        return pd.DataFrame()
    frames = []
    for o in outcomes:
        for h in horizons:
            vals = analysis.outcome_values(monthly, o, h, start)
            for scen, g in vals.groupby("scenario", sort=False):
                by_point = g.groupby("point")["value"].mean().to_dict()
                try:
                    t = indices(spec.sample, by_point, confidence=spec.analysis.confidence)
                except ValueError as exc:
                    frames.append(
                        pd.DataFrame(
                            [{"scenario": scen, "outcome": o.name, "horizon": h, "error": str(exc)}]
                        )
                    )
                    continue
                t.insert(0, "horizon", h)
                t.insert(0, "outcome", o.name)
                t.insert(0, "scenario", scen)
                frames.append(t)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def compute_tables(results: Results, spec: ExperimentSpec, api: ModelAPI) -> Tables:
    """Compute every table from the run files.

    Args:
        results: The results folder.
        spec: Its experiment.
        api: The model (sectors, labels).

    Returns:
        The :class:`Tables`.
    """
    out = Tables()
    monthly = add_total_cost(results.table("monthly"))
    if monthly.empty:
        return out
    out.frames["monthly"] = monthly
    out.start = spec.horizon[0] if spec.horizon else DEFAULT_WINDOW_START
    months = set(monthly["month"].unique())
    out.horizons = [h for h in spec.horizons if h in months]
    for h in spec.horizons:
        if h not in months:
            out.notes.append(f"horizon {h} lies outside the simulated months; left out.")
    if not out.horizons:
        out.horizons = [max(months)]
    missing = [o.name for o in spec.outcomes if o.name not in monthly.columns]
    if missing:
        out.notes.append(f"outcomes not in the model's output, left out: {', '.join(missing)}")
    out.outcomes = [o for o in spec.outcomes if o.name in monthly.columns] or default_outcomes(
        monthly
    )
    cfg = spec.analysis
    ref = spec.reference
    out.frames["summary"] = analysis.summary(
        monthly, out.outcomes, out.horizons, cfg.confidence, out.start
    )
    if len(spec.scenarios) > 1:
        diffs = analysis.paired_differences(
            monthly,
            out.outcomes,
            out.horizons,
            ref,
            confidence=cfg.confidence,
            method=cfg.interval,
            bootstrap_samples=cfg.bootstrap_samples,
            seed=spec.root_seed,
            start=out.start,
        )
        out.frames["differences"] = diffs
        window = monthly[monthly["month"] >= out.start]
        out.frames["differences_over_time"] = analysis.differences_over_time(
            window, [o.name for o in out.outcomes], ref, cfg.confidence
        )
        out.frames["replication_advice"] = analysis.replication_advice(
            diffs, cfg.precision, confidence=cfg.confidence
        )
        if TOTAL_COST in monthly and "employed" in monthly:
            out.frames["costs"] = analysis.cost_per_job(
                monthly,
                TOTAL_COST,
                "employed",
                out.horizons,
                ref,
                cfg.confidence,
                seed=spec.root_seed,
                start=out.start,
            )
        groups = [
            OutcomeSpec(g.column, g.aggregation) for g in GROUP_INDICATORS if g.column in monthly
        ]
        if groups:
            out.frames["groups"] = analysis.paired_differences(
                monthly,
                groups,
                out.horizons,
                ref,
                confidence=cfg.confidence,
                method=cfg.interval,
                bootstrap_samples=cfg.bootstrap_samples,
                seed=spec.root_seed,
                start=out.start,
            )
    sectors = results.table("sectors")
    out.shrinking, out.growing = classify_sectors(sectors, ref, out.start, api)
    flows, matrix = flows_table(
        results.table("sector_flows"),
        out.shrinking,
        out.growing,
        out.start,
        out.horizons,
        ref,
        cfg.confidence,
    )
    if not flows.empty:
        out.frames["flows"] = flows
        out.frames["flow_matrix"] = matrix
    if spec.sweep or spec.sample:
        points = pd.DataFrame(design_points(spec))
        points.insert(0, "point", range(len(points)))
        out.frames["points"] = points
    sens = sensitivity_table(monthly, spec, out.outcomes, out.horizons, out.start)
    if not sens.empty:
        out.frames["sensitivity"] = sens
    return out


def write_frame(df: pd.DataFrame, folder: Path, name: str) -> None:
    """Write a table as Parquet and CSV, atomically."""
    import io

    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    atomic_write_bytes(folder / f"{name}.parquet", buf.getvalue())
    atomic_write_bytes(folder / f"{name}.csv", df.to_csv(index=False).encode("utf-8"))


def write_tables(results: Results, spec: ExperimentSpec, api: ModelAPI) -> Tables:
    """Compute every table and write it into the results folder (Parquet and CSV).

    Returns:
        The :class:`Tables`, for the report.
    """
    tables = compute_tables(results, spec, api)
    for name, df in tables.frames.items():
        write_frame(df, results.folder, name)
    return tables


def read_tables(folder: Path) -> dict[str, Any]:
    """Read the written tables back (Parquet), by name."""
    return {p.stem: pd.read_parquet(p) for p in Path(folder).glob("*.parquet")}
