"""The documentation keeps in step with the code: parameter reference and ODD."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from sim import model as model_module
from sim import reference
from sim.registry import load_registry

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _odd_text() -> str:
    return (DOCS / "ODD.md").read_text(encoding="utf-8")


def rule_calls_in_step() -> list[str]:
    """``module.function`` for every ``<module>.<function>(self)`` call in the step."""
    tree = ast.parse(inspect.getsource(model_module))
    step = next(
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "step"
    )
    calls = []
    for node in ast.walk(step):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id != "self"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "self"
        ):
            calls.append(f"{node.func.value.id}.{node.func.attr}")
    return calls


def test_parameter_reference_is_generated_from_the_current_registry():
    current = (DOCS / "PARAMETERS.md").read_text(encoding="utf-8")
    assert current == reference.render(), (
        "docs/PARAMETERS.md is out of date with the registry: run `python -m sim.reference`"
    )


def test_parameter_reference_names_every_parameter():
    text = reference.render()
    for name in load_registry().parameters:
        assert f"### `{name}`" in text, name


def test_every_rule_in_the_step_is_named_in_the_odd():
    calls = rule_calls_in_step()
    assert len(calls) >= 10, calls  # the parser still finds the rules
    odd = _odd_text()
    missing = [c for c in calls if c not in odd]
    assert not missing, f"rules called in LabourMarketModel.step but not in docs/ODD.md: {missing}"


def test_every_parameter_group_appears_in_the_odd():
    odd = _odd_text()
    groups = sorted({name.split(".")[0] for name in load_registry().parameters})
    missing = [g for g in groups if f"{g}." not in odd and f"`{g}`" not in odd]
    assert not missing, f"parameter groups not described in docs/ODD.md: {missing}"
