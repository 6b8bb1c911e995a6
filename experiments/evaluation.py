r"""The effect of a VDAB course on the treated (ATT), from the model's evaluation cohort.

Each seed is run twice with the evaluation cohort of ``sim/policies/evaluation.py``
switched on: arm A with ``evaluation.treat`` off (the model as it is, the cohort only
followed), arm B with it on (the treated start a course in ``evaluation.month``). The
cohort holds the same persons in both arms, so the difference of the treated's outcomes
between B and A is the effect on the treated, paired on the person; across seeds it gets
a mean and a standard error. The control group's difference is the displacement among the
untreated of the same group, the rest of the aggregate difference the displacement (or
the gain) everyone else sees.

Outcomes, at ``k`` months after the assignment month (month 0):

- ``at work``: employed at an employer (also partly temporarily unemployed) or seconded;
  a full-time temporarily unemployed worker is not at work. The outcome that matters for
  the temporarily unemployed, whom the ILO counts as employed while their job lasts;
- ``employed (ILO)``: at work or temporarily unemployed;

each as the rate in month ``k`` and as the share of months 1..k (cumulated), in
percentage points of the treated.

Usage::

    python -m experiments.evaluation --group job_seekers --seeds 8 --scale 20
    python -m experiments.evaluation --group tu_at_risk --scenario basis \
        --scenario herstructureringsgolf --seeds 8 --scale 20
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

import sim
from sim.months import month_label
from sim.registry import ParameterError
from sim.user_input import YamlInputError, load_yaml_text

HORIZONS = (6, 12, 24, 36)
#: outcome -> the cohort's column suffix
OUTCOMES = {"at work": "at_work", "employed (ILO)": "employed"}


def assignment_month(overrides: Mapping[str, Any]) -> str:
    """``evaluation.month`` of ``overrides``, or its default."""
    return overrides.get("evaluation.month", sim.load_registry().defaults()["evaluation.month"])


def run_arms(
    scenario: str, seed: int, overrides: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly tables (indexed by month) of arm A (no course) and arm B (course), one seed."""
    base = {**overrides, "evaluation.enabled": True}
    a = sim.simulate(scenario, seed=seed, overrides={**base, "evaluation.treat": False})
    b = sim.simulate(scenario, seed=seed, overrides={**base, "evaluation.treat": True})
    return a.monthly.set_index("month"), b.monthly.set_index("month")


def effect_on_treated(
    a: pd.DataFrame, b: pd.DataFrame, month: str, horizons: Sequence[int] = HORIZONS
) -> pd.DataFrame:
    """Effect of the course at each horizon, one seed (horizons past the run's end left out).

    Args:
        a: monthly table of arm A (indexed by month), the cohort followed without a course.
        b: monthly table of arm B, the same seed, the treated in a course from ``month``.
        month: the assignment month (``evaluation.month``).
        horizons: months after the assignment month.

    Returns:
        One row per horizon and outcome: ``treated`` (points: B minus A, as the rate in
        month k and as the share of months 1..k), the same for the ``control`` group, and
        in persons the difference among the treated, the control group and everyone else
        in month k (``persons_*``; everyone else from the run's ``employed`` and ``at_work``
        columns).

    Raises:
        ValueError: when ``month`` is not in both tables, or the two arms' cohorts differ
            in size (not the same persons).
    """
    if month not in a.index or month not in b.index:
        raise ValueError(f"evaluation.month {month} is not a month of the runs")
    n_t, n_c = int(a.loc[month, "evaluation_treated"]), int(a.loc[month, "evaluation_control"])
    n_b = int(b.loc[month, "evaluation_treated"]), int(b.loc[month, "evaluation_control"])
    if (n_t, n_c) != n_b:
        raise ValueError(f"the two arms drew different cohorts in {month}: not a pair")
    total = {"at_work": "at_work", "employed": "employed"}
    rows = []
    months = list(a.index)
    start = months.index(month)
    for k in horizons:
        if start + k >= len(months):
            continue
        at, after = month_label(month, k), months[start + 1 : start + k + 1]
        for outcome, col in OUTCOMES.items():
            d_t = b[f"evaluation_treated_{col}"] - a[f"evaluation_treated_{col}"]
            d_c = b[f"evaluation_control_{col}"] - a[f"evaluation_control_{col}"]
            d_all = b[total[col]] - a[total[col]]
            rows.append(
                {
                    "horizon": k,
                    "outcome": outcome,
                    "treated": 100 * d_t[at] / n_t if n_t else np.nan,
                    "treated_months": 100 * d_t[after].mean() / n_t if n_t else np.nan,
                    "control": 100 * d_c[at] / n_c if n_c else np.nan,
                    "control_months": 100 * d_c[after].mean() / n_c if n_c else np.nan,
                    "persons_treated": float(d_t[at]),
                    "persons_control": float(d_c[at]),
                    "persons_others": float(d_all[at] - d_t[at] - d_c[at]),
                    "n_treated": n_t,
                }
            )
    return pd.DataFrame(rows)


def summary(per_seed: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard error over seeds of every measure, by scenario, horizon, outcome."""
    keys = ["scenario", "horizon", "outcome"]
    g = per_seed.groupby(keys, sort=False)
    mean, sd, n = g.mean(numeric_only=True), g.std(numeric_only=True), g.size()
    se = sd.div(np.sqrt(n), axis=0)
    return mean.join(se.add_suffix("_se")).drop(columns=["seed_se"], errors="ignore")


def insurance(per_seed: pd.DataFrame, scenario: str, against: str) -> pd.DataFrame:
    """Per seed, the effect in ``scenario`` minus the effect in ``against`` (same seed)."""
    keys = ["seed", "horizon", "outcome"]
    one = per_seed[per_seed["scenario"] == scenario].set_index(keys)
    two = per_seed[per_seed["scenario"] == against].set_index(keys)
    diff = one.drop(columns="scenario") - two.drop(columns="scenario")
    diff["n_treated"] = one["n_treated"]
    return diff.reset_index().assign(scenario=f"{scenario} minus {against}")


def measure(
    scenarios: Sequence[str], seeds: Sequence[int], overrides: Mapping[str, Any]
) -> pd.DataFrame:
    """Per-seed effects (:func:`effect_on_treated`) for each scenario.

    With two or more scenarios, the last minus the first (the insurance, :func:`insurance`)
    is appended.
    """
    month = assignment_month(overrides)
    parts = []
    for scenario in scenarios:
        for seed in seeds:
            a, b = run_arms(scenario, seed, overrides)
            parts.append(effect_on_treated(a, b, month).assign(scenario=scenario, seed=seed))
    per_seed = pd.concat(parts, ignore_index=True)
    if len(scenarios) > 1:
        per_seed = pd.concat(
            [per_seed, insurance(per_seed, scenarios[-1], scenarios[0])], ignore_index=True
        )
    return per_seed


def markdown(table: pd.DataFrame) -> str:
    """The summary as a Markdown table (points; persons for the persons columns)."""
    lines = [
        "| scenario | outcome | months | treated, pt | months 1..k, pt | control, pt "
        "| persons: treated | control | others |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (scenario, k, outcome), r in table.iterrows():
        lines.append(
            f"| {scenario} | {outcome} | {k} | {r.treated:+.1f} ± {r.treated_se:.1f} "
            f"| {r.treated_months:+.1f} ± {r.treated_months_se:.1f} "
            f"| {r.control:+.1f} ± {r.control_se:.1f} "
            f"| {r.persons_treated:+,.0f} | {r.persons_control:+,.0f} "
            f"| {r.persons_others:+,.0f} ± {r.persons_others_se:,.0f} |"
        )
    return "\n".join(lines)


def _value(text: str, name: str) -> Any:
    """A ``--set`` value: a number where it reads as one, else YAML as in a scenario file.

    Numbers first, so that ``1e-3`` is a number (YAML 1.1 reads it as text); then the
    scenario files' own parser (true/false, a list, a mapping such as ``{horeca: 0.5}``).
    """
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return load_yaml_text(text, origin=f"--set {name}")


def parse_sets(items: Sequence[str]) -> dict[str, Any]:
    """``--set NAME=VALUE`` items as overrides, validated by the registry.

    Raises:
        ValueError: an item without ``=``, a value that is not valid YAML, or a parameter
            the registry does not know or does not allow with that value (the message
            names the parameter and what is allowed).
    """
    out: dict[str, Any] = {}
    for item in items:
        name, eq, text = item.partition("=")
        name = name.strip()
        if not eq or not name:
            raise ValueError(f"--set takes NAME=VALUE, got {item!r}")
        try:
            out[name] = _value(text.strip(), name)
        except YamlInputError as exc:
            raise ValueError(str(exc)) from None
    try:
        sim.load_registry().validate(out)
    except ParameterError as exc:
        raise ValueError(str(exc)) from None
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Print the effect table of the evaluation cohort."""
    ap = argparse.ArgumentParser(
        description=__doc__.split("Usage::")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + __doc__.split("Usage::")[1],
    )
    ap.add_argument(
        "--scenario",
        action="append",
        help="scenario or preset to run the cohort in (default basis); give two, e.g. "
        "basis and herstructureringsgolf, for the difference of the effects (the insurance)",
    )
    ap.add_argument(
        "--group",
        default="job_seekers",
        help="the eligible group (evaluation.group): job_seekers, tu or tu_at_risk "
        "(default job_seekers)",
    )
    ap.add_argument(
        "--month",
        default=None,
        help="assignment month YYYY-MM (evaluation.month; default: the registry's)",
    )
    ap.add_argument(
        "--course",
        default="model",
        help="course given to the treated (evaluation.course): model (the model's own choice) "
        "or a course type (default model)",
    )
    ap.add_argument(
        "--share", type=float, default=0.5, help="share of the group treated (default 0.5)"
    )
    ap.add_argument("--seeds", type=int, default=8, help="seeds 1..N, two runs each (default 8)")
    ap.add_argument(
        "--scale",
        type=int,
        default=20,
        help="persons per agent (default 20; smaller is more precise and slower)",
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter for both arms, e.g. training.certificate_hire_gain=0 or "
        "'shock.reopening_level={horeca: 0.1}' (YAML as in a scenario file; repeat; checked "
        "against the registry before any run)",
    )
    args = ap.parse_args(argv)
    try:
        sets = parse_sets(args.set)
    except ValueError as exc:
        ap.error(str(exc))  # the usage and the message on stderr, exit status 2
    overrides: dict[str, Any] = {
        "simulation.persons_per_agent": args.scale,
        "evaluation.group": args.group,
        "evaluation.course": args.course,
        "evaluation.share": args.share,
    }
    if args.month:
        overrides["evaluation.month"] = args.month
        end = month_label(args.month, max(HORIZONS))
        if end > sim.load_registry().defaults()["simulation.end"]:  # 'YYYY-MM' sort as text
            overrides["simulation.end"] = end
    overrides.update(sets)
    scenarios = args.scenario or ["basis"]
    month = assignment_month(overrides)
    t0 = time.time()
    per_seed = measure(scenarios, range(1, args.seeds + 1), overrides)
    n = per_seed.groupby("scenario", sort=False)["n_treated"].mean()
    print(
        f"# evaluation cohort: {args.group}, {month}, "
        f"course {args.course}, share {args.share}; seeds 1-{args.seeds}, {args.scale} persons "
        f"per agent, {time.time() - t0:.0f} s; treated per seed: "
        + ", ".join(f"{s} {v:,.0f}" for s, v in n.items())
    )
    print("# mean ± standard error over seeds; points of the treated (control group)")
    print(markdown(summary(per_seed)))


if __name__ == "__main__":
    main()
