"""The direction of imports: run_experiment.py -> experiments -> sim; dashboard -> both.

The model package ``sim`` imports neither ``experiments`` nor ``dashboard`` and reads none of
their files (its presets live in ``sim/presets``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import sim

SIM = Path(sim.__file__).parent
OUTSIDE = ("experiments", "dashboard", "run_experiment")


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (at any depth in the file)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_sim_imports_neither_experiments_nor_dashboard() -> None:
    files = sorted(SIM.rglob("*.py"))
    assert len(files) > 20
    wrong = {str(f.relative_to(SIM)): imported_packages(f) & set(OUTSIDE) for f in files}
    assert not {f: n for f, n in wrong.items() if n}


def test_sim_names_no_other_package_as_a_resource() -> None:
    for f in SIM.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "files":
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                assert not set(args) & set(OUTSIDE), f"{f}: resources.files{tuple(args)}"


def test_presets_are_package_data_of_sim() -> None:
    assert sorted(p.stem for p in (SIM / "presets").glob("*.yaml")) == sorted(sim.list_presets())
    assert "basis" in sim.list_presets()


def test_no_lever_imports_the_policies_package_that_lists_it() -> None:
    # sim/policies/__init__.py imports every lever; a lever or the budget that imported the
    # package back would close an import loop (they import sim.policies.base instead)
    for f in (SIM / "policies").glob("*.py"):
        if f.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "sim.policies", f"{f.name} imports sim.policies"
