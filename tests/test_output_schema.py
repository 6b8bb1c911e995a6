"""The output schema (sim/outputs.yaml) is the one description of every output column."""

from __future__ import annotations

import pytest
import yaml

import sim
from sim import output_reference
from sim.output_schema import OutputSchema, OutputSchemaError, load_output_schema
from sim.policies import LEVERS
from sim.registry import load_registry

#: every lever (and the monitor and the evaluation cohort) on, at a coarse scale: the widest
#: monthly table
ALL_LEVERS = {
    **{f"{name}.enabled": True for name in LEVERS},
    "monitor.intensive_tu": True,
    "evaluation.enabled": True,
}
SMALL = {"simulation.persons_per_agent": 2000, "simulation.end": "2020-12"}


def _produced(scenario: str, overrides: dict) -> tuple[sim.SimulationResult, dict]:
    result = sim.simulate(scenario, seed=0, overrides={**SMALL, **overrides})
    return result, result.to_frames()


def test_output_reference_is_generated_from_the_current_schema():
    current = (output_reference.REFERENCE_PATH).read_text(encoding="utf-8")
    assert current == output_reference.render(), (
        "docs/OUTPUTS.md is out of date with sim/outputs.yaml: run `python -m sim.output_reference`"
    )


@pytest.mark.parametrize("scenario", [*sim.list_presets(), "basis+all-levers"])
def test_a_run_produces_exactly_the_declared_columns(scenario):
    """Both ways: no column undeclared, no declared column missing (given the switches)."""
    schema = load_output_schema()
    name, _, all_levers = scenario.partition("+")
    result, frames = _produced(name, ALL_LEVERS if all_levers else {})
    assert set(frames) == set(schema.tables)
    for table, df in frames.items():
        declared = schema.produced(table, result.params)
        assert list(df.columns) == declared, (table, set(df.columns) ^ set(declared))
        for col in declared:
            want = schema.column(table, col).dtype
            got = (
                "string"
                if df[col].dtype == object or str(df[col].dtype) == "str"
                else df[col].dtype
            )
            assert str(got) == want, (table, col, got, want)


def test_all_levers_on_gives_every_declared_model_column():
    schema = load_output_schema()
    _, frames = _produced("basis", ALL_LEVERS)
    assert list(frames["monthly"].columns) == schema.names("monthly")


def test_vacancy_columns_are_counted_in_vacancies():
    schema = load_output_schema()
    for table in ("monthly", "sectors"):
        assert schema.column(table, "vacancies_open_3m").unit == "vacancies"
        assert schema.column(table, "vacancies").unit == "vacancies"


def test_policy_cost_is_declared_as_added_by_the_analysis():
    col = load_output_schema().column("monthly", "policy_cost_eur")
    assert (
        col.origin == "analysis" and col.unit == "euro" and "vdab_spending_eur" in col.description
    )
    assert "policy_cost_eur" not in load_output_schema().names("monthly")


def test_every_column_has_dutch_and_english_labels_and_a_known_unit():
    schema = load_output_schema()
    for col in schema:
        assert col.label["nl"] and col.label["en"], col.name
        assert col.unit in schema.units and col.kind in schema.kinds


def _data() -> dict:
    from importlib import resources

    return yaml.safe_load(resources.files("sim").joinpath("outputs.yaml").read_text("utf-8"))


def _bools() -> set[str]:
    return {p.name for p in load_registry().parameters.values() if p.type == "bool"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit", "people", "unit 'people'; allowed: persons"),
        ("kind", "level", "kind 'level'; allowed: key"),
        ("dtype", "int32", "dtype 'int32'; allowed"),
        ("when", "no_such.switch", "is not a true/false parameter"),
        ("label", {"nl": "Werkenden"}, "needs a Dutch and an English text"),
    ],
)
def test_a_malformed_declaration_names_the_column_and_field(field, value, message):
    data = _data()
    data["columns"]["monthly"]["employed"][field] = value
    with pytest.raises(OutputSchemaError, match=r"monthly\.employed") as err:
        OutputSchema(data, _bools())
    assert message in str(err.value)


def test_a_declaration_without_a_unit_is_refused():
    data = _data()
    del data["columns"]["sectors"]["demand"]["unit"]
    with pytest.raises(OutputSchemaError, match=r"sectors.demand lacks \['unit'\]"):
        OutputSchema(data, _bools())


def test_list_outcomes_prints_unit_and_kind_of_every_outcome(capsys):
    from experiments.cli import main

    assert main(["list", "outcomes", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(line.split() for line in lines if line.strip().startswith("vacancies_open_3m "))
    assert row[1:3] == ["vacancies", "stock"]
    row = next(line.split() for line in lines if line.strip().startswith("policy_cost_eur "))
    assert row[1:3] == ["euro", "money"]


def test_the_mesa_datacollector_reports_declared_columns_only():
    from sim.datacollection import REPORTED_COLUMNS

    declared = load_output_schema().names("monthly")
    assert [c for c in REPORTED_COLUMNS if c not in declared] == []


def test_outcomes_an_experiment_may_name_are_the_declared_non_key_columns(api):
    assert "month" not in api.outcomes
    assert {"employed", "vacancies_open_3m", "policy_cost_eur", "intensive_tu"} <= set(api.outcomes)


def test_an_outcome_is_summed_by_default_when_the_schema_says_flow_or_money(tmp_path, api):
    from experiments.spec import load_experiment

    path = tmp_path / "e.yaml"
    path.write_text(
        "name: e\nscenarios: [basis]\noutcomes: [employed, side_entry_participants, "
        "vdab_spending_eur, {name: hires, aggregation: mean}]\n",
        encoding="utf-8",
    )
    spec = load_experiment(path, api)
    assert [(o.name, o.aggregation) for o in spec.outcomes] == [
        ("employed", "level"),
        ("side_entry_participants", "cumulative"),
        ("vdab_spending_eur", "cumulative"),
        ("hires", "mean"),
    ]
