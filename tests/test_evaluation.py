"""The evaluation cohort: a randomised course inside paired runs (sim/policies/evaluation.py).

Effects are measured with experiments/evaluation.py at a coarse scale (200 persons per
agent, a few seeds, runs ending mid-2025): the paired difference on the same persons is
precise enough at that scale to separate lock-in from a course's gains.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from experiments.evaluation import effect_on_treated, measure, parse_sets, summary
from experiments.evaluation import main as evaluation_main
from experiments.spec import load_experiment
from sim.state import Course

ROOT = Path(__file__).resolve().parents[1]
COARSE = {"simulation.persons_per_agent": 200, "simulation.end": "2025-06"}
#: a course that changes no skill: every course fails
NO_CERTIFICATE = {f"training.{c}.success": 0.0 for c in ("short", "retraining", "digital")}
#: attachment neither erodes nor recovers, and nobody leaves the job search for inactivity:
#: what is left of a course is its lock-in and its certificate
NO_ATTACHMENT = {
    "attachment.erosion_rate": 0.0,
    "attachment.recovery_rate": 0.0,
    "flows.jobseeker_to_inactive": 0.0,
}
BIG_GAIN = {
    "training.retraining.success": 1.0,
    "training.certificate_hire_gain": 1.0,
    "training.short.distance_cut": 1.0,
}


def _at_work(overrides: dict, seeds: range = range(1, 4)) -> pd.DataFrame:
    """Mean effect (points) on the treated being at work, by horizon: retraining for all."""
    per_seed = measure(["basis"], seeds, {**COARSE, "evaluation.course": "retraining", **overrides})
    return summary(per_seed).xs(("basis", "at work"), level=("scenario", "outcome"))


def _evaluation(model) -> object:
    return next(p for p in model.policies if p.name == "evaluation")


def test_arm_a_is_the_model_as_it_is():
    """With evaluation.treat off, every table equals the run without the evaluation."""
    small = {"simulation.persons_per_agent": 500, "simulation.end": "2022-12"}
    plain = sim.simulate("herstructureringsgolf", seed=2, overrides=small).to_frames()
    arm_a = sim.simulate(
        "herstructureringsgolf",
        seed=2,
        overrides={**small, "evaluation.enabled": True, "evaluation.treat": False},
    ).to_frames()
    for table, df in plain.items():
        ours = arm_a[table][[c for c in arm_a[table].columns if not c.startswith("evaluation")]]
        pd.testing.assert_frame_equal(df, ours, obj=table)
    assert arm_a["monthly"].set_index("month").loc["2022-06", "evaluation_treated"] > 0


@pytest.mark.parametrize("group", ["job_seekers", "tu_at_risk"])
def test_both_arms_hold_the_same_persons_and_only_arm_b_trains_them(group):
    arms = {}
    for treat in (False, True):
        m = sim.build_model(
            "basis",
            seed=4,
            overrides={
                **COARSE,
                "simulation.end": "2022-06",
                "evaluation.enabled": True,
                "evaluation.group": group,
                "evaluation.treat": treat,
            },
        ).run()
        arms[treat] = (m, _evaluation(m))
    (ma, a), (mb, b) = arms[False], arms[True]
    assert len(a.treated) > 20 and len(a.control) > 20
    np.testing.assert_array_equal(a.treated, b.treated)
    np.testing.assert_array_equal(a.control, b.control)
    # at the end of the month: all started, a few were hired during the month (course ends)
    assert (mb.workers.course[b.treated] != Course.NONE).mean() > 0.9
    # in arm A the treated take a course only as the model's own uptake gives them one
    assert (ma.workers.course[a.treated] != Course.NONE).mean() < 0.2


def test_the_effect_is_computed_on_the_treated_of_both_arms():
    months = ["2022-05", "2022-06", "2022-07", "2022-08"]
    a = pd.DataFrame(
        {
            "evaluation_treated": [0, 10, 10, 10],
            "evaluation_control": [0, 20, 20, 20],
            "evaluation_treated_at_work": [0, 2, 4, 6],
            "evaluation_control_at_work": [0, 4, 4, 4],
            "at_work": [100, 100, 100, 100],
        },
        index=months,
    )
    b = a.copy()
    b["evaluation_treated_at_work"] = [0, 2, 3, 8]
    b["evaluation_control_at_work"] = [0, 4, 5, 5]
    b["at_work"] = [100, 100, 100, 103]
    for col in ("employed", "treated_employed", "control_employed"):
        name = col if col == "employed" else f"evaluation_{col}"
        a[name] = b[name] = 0
    out = effect_on_treated(a, b, "2022-06", horizons=(1, 2, 3)).query("outcome == 'at work'")
    assert out["treated"].tolist() == [-10.0, 20.0]  # month 3 is past the end
    assert out["treated_months"].tolist() == [-10.0, 5.0]
    assert out["control"].tolist() == [5.0, 5.0]
    assert out["persons_others"].tolist() == [0.0, 0.0]  # +3 = +2 treated, +1 control
    b["evaluation_treated"] = 11
    with pytest.raises(ValueError, match="different cohorts"):
        effect_on_treated(a, b, "2022-06")
    with pytest.raises(ValueError, match="not a month of the runs"):
        effect_on_treated(a, b, "2026-01")


def test_without_certificate_and_attachment_a_course_only_locks_in():
    """Retraining that fails, attachment fixed, no drop-out: never a gain, a clear lock-in."""
    eff = _at_work({**NO_CERTIFICATE, **NO_ATTACHMENT})
    assert eff.loc[6, "treated"] < -10  # six months of retraining: searching little
    assert (eff["treated"] < 1.0).all(), eff["treated"]
    assert (eff["treated_months"] < 0).all()


def test_a_large_certificate_gain_raises_employment_after_the_course():
    no_gain = _at_work({**NO_CERTIFICATE, **NO_ATTACHMENT})
    gain = _at_work({**BIG_GAIN, **NO_ATTACHMENT})
    lift = gain["treated"] - no_gain["treated"]
    assert lift.loc[24] > 2.0 and lift.loc[36] > 2.0, lift


def test_a_course_without_certificate_still_pays_through_attachment():
    """The model's attachment channel: in a course attachment recovers and nobody drops out.

    Without any skill gain the treated are later more often at work than without the
    course (docs/POLICIES.md, 'A course's effect on the treated').
    """
    eff = _at_work(NO_CERTIFICATE)
    assert eff.loc[6, "treated"] < -10
    assert eff.loc[36, "treated"] > 2.0, eff["treated"]


def test_the_runner_experiment_pairs_two_arms_that_differ_only_in_the_course(api):
    spec = load_experiment(ROOT / "experiments" / "training_att.yaml", api)
    arm_a, arm_b = (s.overrides for s in spec.scenarios)
    assert spec.reference == spec.scenarios[0].name
    assert {k for k in arm_a if arm_a[k] != arm_b[k]} == {"evaluation.treat"}
    assert arm_a["evaluation.enabled"] and not arm_a["evaluation.treat"]


def test_the_temporarily_unemployed_at_risk_get_the_offensives_course():
    """With ``evaluation.course: model``, the training offensive's choice of course.

    Retraining towards a shortage sector for those at risk, digital skills first.
    """
    m = sim.build_model(
        "basis",
        seed=5,
        overrides={
            **COARSE,
            "simulation.end": "2022-06",
            "evaluation.enabled": True,
            "evaluation.group": "tu_at_risk",
            "training_offensive.retraining_share_at_risk": 1.0,
        },
    ).run()
    w, rows = m.workers, _evaluation(m).treated
    rows = rows[w.course[rows] != Course.NONE]
    assert len(rows) > 20
    want = np.where(w.low_digital[rows], Course.DIGITAL, Course.RETRAINING)
    np.testing.assert_array_equal(w.course[rows], want)
    assert m.shortage_mask[w.course_target[rows[want == Course.RETRAINING]]].all()


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("nosuch.parameter=1", "nosuch.parameter"),
        ("training.certificate_hire_gain=2", "training.certificate_hire_gain"),
        ("training.certificate_hire_gain", "NAME=VALUE"),
        ("training.certificate_hire_gain={a: [", "--set training.certificate_hire_gain"),
    ],
)
def test_a_bad_set_is_a_usage_error_that_names_the_parameter(item, message, capsys):
    with pytest.raises(SystemExit) as stop:
        evaluation_main(["--set", item, "--seeds", "1"])
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_set_values_read_as_numbers_first_then_as_in_a_scenario_file():
    sets = parse_sets(
        [
            "training.certificate_hire_gain=1e-3",
            "shock.reopening_level={horeca: 0.1}",
            "matching.search_registered = 0.5",
        ]
    )
    assert sets["training.certificate_hire_gain"] == 0.001
    assert sets["shock.reopening_level"]["horeca"] == 0.1
    assert sets["matching.search_registered"] == 0.5
