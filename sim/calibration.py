"""Calibration targets: observed figures, how each is measured on a run, and the distance.

The targets, with their sources, are in ``sim/calibration.yaml``. Each target has a
**role**: ``calibration`` targets enter the objective of the simulated method of moments
(``python run_experiment.py calibrate FILE``, :mod:`experiments.calibrate`);
``validation`` targets are only reported. A target's ``measure`` says how its moment is
computed from the tables of one run (``monthly``, ``transitions``, ``sectors``), so that
the same file serves any version of the model that writes these tables.

Run ``python -m sim.calibration [SEEDS]`` for the table (target, role, observed,
simulated, band over seeds, error in tolerances) of the current defaults.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim import stylised_facts

ROLES = ("calibration", "validation")
Tables = Mapping[str, pd.DataFrame]


class TargetError(ValueError):
    """A target record that cannot be used (names the target and the field)."""


def targets_text(path: str | Path | None = None) -> str:
    """The text of a targets file (default: the shipped ``sim/calibration.yaml``)."""
    if path is None:
        return resources.files("sim").joinpath("calibration.yaml").read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8")


def targets_sha256(path: str | Path | None = None) -> str:
    """SHA-256 of a targets file's text (provenance of a fit)."""
    return hashlib.sha256(targets_text(path).encode("utf-8")).hexdigest()


def load_targets(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The targets, by name, checked (role, measure, observed value or band, tolerance).

    Raises:
        TargetError: for a record that lacks a field or has a bad role or tolerance.
    """
    data = yaml.safe_load(targets_text(path)) or {}
    targets = data.get("targets") or {}
    for name, t in targets.items():
        check_target(name, t)
    return targets


def check_target(name: str, t: Mapping[str, Any]) -> None:
    """Raise :class:`TargetError` unless ``t`` is a usable target record."""
    for key in ("label", "role", "measure", "source"):
        if key not in t:
            raise TargetError(f"target '{name}': field '{key}' is missing")
    if t["role"] not in ROLES:
        raise TargetError(f"target '{name}': role {t['role']!r}; allowed: {', '.join(ROLES)}")
    if t.get("observed") is None and t.get("band") is None:
        if not t["source"].get("missing"):
            raise TargetError(
                f"target '{name}': give 'observed' (with 'tolerance'), a 'band' [lo, hi], "
                "or source.missing saying why no value was found"
            )
        return
    if t.get("observed") is not None:
        tol = t.get("tolerance") or {}
        if not ({"absolute", "relative"} & set(tol)) or not tol.get("why"):
            raise TargetError(
                f"target '{name}': 'tolerance' needs 'absolute' or 'relative' and 'why' "
                "(the observed value's own uncertainty)"
            )


def sigma(t: Mapping[str, Any]) -> float:
    """The target's tolerance in the units of its moment (the objective's scale)."""
    tol = t["tolerance"]
    if "absolute" in tol:
        return float(tol["absolute"])
    return float(tol["relative"]) * abs(float(t["observed"]))


# --------------------------------------------------------------------------- measures
def _window(df: pd.DataFrame, spec: Mapping[str, Any]) -> pd.DataFrame:
    return df[(df["month"] >= spec["from"]) & (df["month"] <= spec["to"])]


def _series(df: pd.DataFrame, what: str | Mapping[str, str]) -> np.ndarray:
    """A column, or the ratio ``{num: col, den: col}`` of two columns."""
    if isinstance(what, Mapping):
        return df[what["num"]].to_numpy(float) / df[what["den"]].to_numpy(float)
    return df[what].to_numpy(float)


def _monthly_measure(m: pd.DataFrame, spec: Mapping[str, Any]) -> float:
    how = spec["how"]
    if how == "none":  # declared, not measurable on today's tables
        return math.nan
    if how in ("value", "change", "ratio"):
        by_month = m.set_index("month")
        value = float(_series(by_month.loc[[spec["month"]]], spec["column"])[0])
        if how == "value":
            return value
        base = float(_series(by_month.loc[[spec["base"]]], spec["column"])[0])
        return value - base if how == "change" else value / base
    win = _window(m, spec)
    if how == "mean":
        return float(np.mean(_series(win, spec["column"])))
    if how == "sum":
        return float(np.sum(_series(win, spec["column"])))
    if how == "min_ratio":
        base = _window(m, {"from": spec["base_from"], "to": spec["base_to"]})
        return float(np.min(_series(win, spec["column"])) / np.mean(_series(base, spec["column"])))
    if how == "ratio_of_sums":
        return float(win[spec["column"]].sum() / win[spec["denominator"]].sum())
    if how == "yearly_rate":
        months = len(win)
        flow = float(win[spec["column"]].sum()) * 12.0 / months
        return flow / float(np.mean(_series(win, spec["denominator"])))
    if how == "matching_elasticity":  # the one definition: sim/stylised_facts.py
        reg = stylised_facts.matching_regression(m, spec["from"], spec["to"], spec["searchers"])
        name = spec["searchers"] if spec["coefficient"] == "searchers" else spec["coefficient"]
        return reg.coefficient(name)
    if how == "beveridge_correlation":
        return stylised_facts.beveridge_correlation(m, spec["from"], spec["to"])
    if how == "beveridge_slope":
        return stylised_facts.beveridge_slope(m, spec["from"], spec["to"])
    raise TargetError(f"unknown measure how={how!r}")


def _transition_measure(tr: pd.DataFrame, spec: Mapping[str, Any]) -> float:
    to = spec["to"] if isinstance(spec["to"], list) else [spec["to"]]
    rows = tr[(tr["year"] == int(spec["year"])) & (tr["from"] == spec["from"])]
    if "definition" in tr:
        rows = rows[rows["definition"] == spec.get("definition", "register")]
    if rows.empty:
        return math.nan
    return float(rows[rows["to"].isin(to)]["share"].sum())


def measure(tables: Tables | pd.DataFrame, spec: Mapping[str, Any]) -> float:
    """Compute one target's moment on the tables of one run.

    Args:
        tables: ``{"monthly": ..., "transitions": ...}`` (``result.to_frames()``), or a
            monthly table alone.
        spec: The target's ``measure`` (``table`` defaults to ``monthly``; see
            sim/calibration.yaml for the kinds of ``how``).

    Returns:
        The moment (NaN when the run does not cover it).
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"monthly": tables}
    table = spec.get("table", "monthly")
    df = tables.get(table)
    if df is None or df.empty:
        return math.nan
    try:
        if table == "transitions":
            return _transition_measure(df, spec)
        return _monthly_measure(df, spec)
    except (KeyError, IndexError, ValueError, ZeroDivisionError, FloatingPointError):
        return math.nan


def moments(tables: Tables, targets: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """Every target's moment on one run's tables."""
    with np.errstate(all="ignore"):
        return {name: measure(tables, t["measure"]) for name, t in targets.items()}


# --------------------------------------------------------------------------- the table
def within(simulated: float, t: Mapping[str, Any]) -> bool | None:
    """Whether a simulated moment is within the target's tolerance or band.

    None when the target has neither (no observed value was found).
    """
    if t.get("observed") is None and t.get("band") is None:
        return None
    if not math.isfinite(simulated):
        return False
    if t.get("observed") is not None:
        return abs(simulated - float(t["observed"])) <= sigma(t)
    if t.get("band") is not None:
        lo, hi = t["band"]
        return lo <= simulated <= hi
    return None


def source_text(t: Mapping[str, Any]) -> str:
    """The source in one line: publisher, table, date."""
    s = t["source"]
    parts = [s.get("publisher") or s.get("document"), s.get("table") or s.get("where")]
    parts.append(s.get("date"))
    return ", ".join(str(p) for p in parts if p)


def table(
    values: Mapping[str, Sequence[float]],
    targets: Mapping[str, Mapping[str, Any]],
    lang: str = "en",
) -> pd.DataFrame:
    """The target table: observed vs simulated (mean and 5-95% band over seeds).

    Args:
        values: Target name -> the moment in each run (seed).
        targets: The targets.
        lang: Language of the labels.

    Returns:
        One row per target: target, label, role, observed, tolerance, simulated,
        band_low, band_high, error (in tolerances), ok, source.
    """
    rows = []
    for name, t in targets.items():
        v = np.asarray(values.get(name, []), dtype=float)
        v = v[np.isfinite(v)]
        sim_mean = float(v.mean()) if v.size else math.nan
        obs = t.get("observed")
        err = (sim_mean - float(obs)) / sigma(t) if obs is not None else math.nan
        rows.append(
            {
                "target": name,
                "label": t["label"].get(lang) or t["label"]["en"],
                "role": t["role"],
                "observed": float(obs) if obs is not None else math.nan,
                "band_observed": t.get("band"),
                "tolerance": sigma(t) if obs is not None else math.nan,
                "simulated": sim_mean,
                "band_low": float(np.quantile(v, 0.05)) if v.size else math.nan,
                "band_high": float(np.quantile(v, 0.95)) if v.size else math.nan,
                "error": err,
                "ok": within(sim_mean, t),
                "source": source_text(t),
                "missing": t["source"].get("missing", ""),
            }
        )
    return pd.DataFrame(rows)


def evaluate(runs: Sequence[Tables | pd.DataFrame], path: str | Path | None = None) -> pd.DataFrame:
    """The target table for one or more runs of the same parameters."""
    targets = load_targets(path)
    per_run = [
        moments(r if not isinstance(r, pd.DataFrame) else {"monthly": r}, targets) for r in runs
    ]
    values = {name: [m[name] for m in per_run] for name in targets}
    return table(values, targets)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the target table of ``basis`` over a few seeds (exit 0)."""
    from sim import simulate

    argv = list(sys.argv[1:] if argv is None else argv)
    seeds = range(int(argv[0]) if argv else 3)
    out = evaluate([simulate("basis", seed=s).to_frames() for s in seeds])
    cols = ["target", "role", "observed", "tolerance", "simulated", "band_low", "band_high"]
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(out[[*cols, "error", "ok"]].to_string(index=False, float_format="{:.4g}".format))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
