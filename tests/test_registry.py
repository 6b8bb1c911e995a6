"""The parameter registry and scenario validation: every bad input gets a clear error."""

from __future__ import annotations

import pytest

import sim
from sim.registry import KINDS, ParameterError, load_registry
from sim.scenarios import ScenarioError, load_scenario, read_scenario_file


def test_every_parameter_is_documented():
    reg = load_registry()
    assert len(reg.parameters) > 50
    for p in reg.parameters.values():
        assert p.label["nl"] and p.label["en"], p.name
        assert p.description.get("en"), p.name
        assert p.unit, p.name
        assert p.kind in KINDS, p.name
        assert "document" in p.source, p.name
        if p.type in ("float", "int", "by_sector", "shares", "series"):
            assert p.range is not None, p.name


def test_defaults_resolve():
    params = load_registry().defaults()
    assert params["sector.employment_share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"matching.no_such_thing": 1}, "unknown parameter"),
        ({"applications_per_searcher": 3}, "did you mean 'matching.applications_per_searcher'?"),
        ({"matching.applications_per_searcher": "three"}, "not a number"),
        ({"matching.applications_per_searcher": 2.5}, "not a whole number"),
        ({"matching.hire_probability": 1.5}, "out of range"),
        ({"matching.hire_probability": float("nan")}, "not finite"),
        ({"simulation.end": "2025-13"}, "not a month"),
        ({"simulation.end": "2050-01"}, "out of range"),
        ({"sector.trend_growth": {"mining": 0.01}}, "unknown sector"),
        ({"sector.trend_growth": [0.01]}, "not a mapping"),
        ({"sector.employment_share": {"horeca": 1.0}}, "missing"),
        ({"population.education_shares": {"low": 0.5, "mid": 0.5, "high": 0.5}}, "sum to 1.5"),
        ({"population.education_shares": {"low": 0.5, "mid": 0.5, "phd": 0.0}}, "unknown key"),
        ({"shock.first_wave_path": {"April": 1.0}}, "key is not 'YYYY-MM'"),
        ({"vdab.tu_data_lag": True}, "not a number"),
    ],
)
def test_bad_override_names_parameter_value_and_range(overrides, fragment):
    with pytest.raises(ParameterError) as err:
        load_registry().validate(overrides)
    assert err.value.parameter.startswith(next(iter(overrides)))
    msg = str(err.value)
    assert fragment in msg
    name = next(iter(overrides))
    assert name.split(".")[-1] in msg
    assert "allowed" in msg


def test_error_for_range_names_the_range():
    with pytest.raises(ParameterError, match=r"in \[0, 1\]"):
        load_registry().validate({"matching.hire_probability": -0.1})


def test_simulate_rejects_bad_override_before_running():
    with pytest.raises(ValueError, match=r"matching\.hire_probability"):
        sim.simulate("basis", overrides={"matching.hire_probability": 2})


def test_partial_sector_mapping_merges_with_defaults():
    params = load_registry().resolve({"sector.trend_growth": {"care": 0.05}})
    reg = load_registry()
    assert params["sector.trend_growth"][reg.sector_ids.index("care")] == 0.05
    assert params["sector.trend_growth"][reg.sector_ids.index("trade")] < 0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("name: x\nparameters: [1, 2]\n", "must be a mapping"),
        ("- just\n- a list\n", "must be a mapping"),
        ("name: x\nparameters: {a: 1\n", "not valid YAML"),
        ("name: Bad Name\n", "lower-case identifier"),
        ("name: x\ncolour: red\n", "unknown field"),
        ("name: x\ntitle: {fr: bonjour}\n", "'title'"),
        ("name: x\nparameters: {matching.hire_probability: 3}\n", "out of range"),
        ("name: x\nparameters: {nope.nope: 3}\n", "unknown parameter"),
        ("name: x\nparameters: {x: !!python/object/apply:os.system [echo]}\n", "not valid YAML"),
    ],
)
def test_bad_scenario_file(tmp_path, text, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        read_scenario_file(path)
    assert fragment in str(err.value)
    assert str(path) in str(err.value)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(ScenarioError, match="basis"):
        load_scenario("no-such-preset")


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(str(tmp_path / "missing.yaml"))


def test_scenario_round_trips_through_yaml(tmp_path):
    sc = load_scenario({"matching.hire_probability": 0.2})
    path = tmp_path / "s.yaml"
    path.write_text(sc.to_yaml(), encoding="utf-8")
    again = read_scenario_file(path)
    assert again.overrides == sc.overrides


def test_no_source_points_to_a_file_and_src_is_cited_by_its_parliamentary_reference():
    import re

    reg = load_registry()
    file_like = re.compile(r"\.(txt|md|ya?ml|csv|json)\b|seed/|shared/", re.IGNORECASE)
    for par in reg.parameters.values():
        text = " ".join(str(v) for v in par.source.values())
        assert not file_like.search(text), f"{par.name}: source names a file: {text}"
    assert "Stuk 633 (2020-2021)" in reg.documents["SRC"]
    cited = [p for p in reg.parameters.values() if p.source["document"] == reg.documents["SRC"]]
    assert len(cited) > 50
