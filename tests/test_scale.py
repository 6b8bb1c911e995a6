"""The model's scale: rates that do not depend on it, and the batch runner's --scale."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

import sim
from experiments import load_experiment, load_model_api
from experiments.cli import at_scale, execute
from experiments.spec import ExperimentFileError
from experiments.store import Results
from sim.scale_invariance import RATES, compare, rates_by_seed

SEEDS = range(1, 9)  # eight: the elasticity on the unemployed varies by 0.2-0.3 over seeds


def test_rates_agree_between_200_and_50_persons_per_agent_within_seed_noise():
    coarse = rates_by_seed(200, SEEDS)
    fine = rates_by_seed(50, SEEDS)
    table = compare(coarse, fine)
    assert list(table.index) == list(RATES)
    se = np.hypot(table["coarse_se"], table["fine_se"])
    # the band is narrow enough to catch a scale effect ...
    for rate in ("employment_rate", "job_finding_rate", "vacancy_rate"):
        assert se[rate] < 0.02 * table.loc[rate, "fine_mean"], rate
    assert (se[["matching_elasticity_unemployed", "matching_elasticity_vacancies"]] < 0.1).all()
    # ... and the two scales fall within it (four standard errors of the difference)
    assert (table["z"].abs() < 4).all(), table.to_string()


TINY = """
name: tiny
scenarios:
  - basis
  - name: meer-opleiding
    base: basis
    overrides: {training.tu_uptake: 0.5}
  - more.yaml
replications: 1
root_seed: 11
horizon: {start: 2019-01, end: 2019-12}
horizons: [2019-12]
parameters: {simulation.persons_per_agent: 2000}
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "more.yaml").write_text(
        "name: more\nparameters: {training.tu_uptake: 0.6}\n", encoding="utf-8"
    )
    path = tmp_path / "exp" / "tiny.yaml"
    path.write_text(textwrap.dedent(TINY), encoding="utf-8")
    return path


def test_scale_option_runs_every_run_at_that_scale_and_the_report_shows_it(tiny, tmp_path):
    api = load_model_api()
    spec = at_scale(load_experiment(tiny, api), 3000, tmp_path / "copies", api)
    assert spec.name == "tiny-scale-3000"
    assert spec.parameters["simulation.persons_per_agent"] == 3000
    assert Path(spec.path).parent == tmp_path / "copies"  # the scenario file still found:
    assert spec.scenario("more").files
    out = tmp_path / "results"
    assert execute(spec, api, out=out, workers=1, progress=False, lang="en") == 0
    used = Results(out).params()
    assert {p["simulation.persons_per_agent"] for p in used.values()} == {3000}
    report = (out / "report.en.html").read_text(encoding="utf-8")
    assert "scale (persons per agent) 1:3000" in report


def test_scale_option_is_refused_when_the_experiment_sweeps_the_scale(tiny, tmp_path):
    tiny.write_text(
        tiny.read_text(encoding="utf-8").replace(
            "parameters: {simulation.persons_per_agent: 2000}",
            "sweep: {simulation.persons_per_agent: [2000, 4000]}",
        ),
        encoding="utf-8",
    )
    api = load_model_api()
    with pytest.raises(ExperimentFileError, match=r"varies simulation\.persons_per_agent"):
        at_scale(load_experiment(tiny, api), 1, tmp_path, api)


def test_one_agent_per_person_is_allowed_and_below_is_refused():
    registry = sim.load_registry()
    assert registry.check("simulation.persons_per_agent", 1) == 1
    with pytest.raises(sim.ParameterError, match="out of range"):
        registry.check("simulation.persons_per_agent", 0)
