"""The recipes in examples/ (docs/RECIPES.md) run as written, with the tools researchers use.

Each script is run as a user would run it (a fresh process; EMA and Mesa start their own
worker processes), except the SolaraViz page, whose Step and Reset buttons are clicked in
process without serving it.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run_example(name: str, timeout: float = 240) -> str:
    """Run examples/<name> in a fresh interpreter and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore", str(EXAMPLES / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_every_example_is_in_the_recipes_page():
    page = (ROOT / "docs" / "RECIPES.md").read_text(encoding="utf-8")
    for script in EXAMPLES.glob("*.py"):
        assert f"examples/{script.name}" in page, f"{script.name} missing from docs/RECIPES.md"


def test_mesa_batch_run_on_the_model_class():
    out = run_example("mesa_batch_run.py")
    rows = [line.split() for line in out.splitlines()[1:]]
    assert len(rows) == 4  # 2 presets x 2 seeds, one row each at the last month
    assert {r[1] for r in rows} == {"basis", "werknemersdelen"}
    assert all(r[4] == "2021-12" for r in rows)  # the model stopped itself at simulation.end
    employed = [int(r[5]) for r in rows]
    assert all(e > 2_000_000 for e in employed)  # persons, not agents (about 3 million)


def test_salib_sobol_around_simulate():
    out = run_example("salib_sobol.py")
    st = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r"^(\S+)\s+S1 .*ST ([+-][\d.]+)", out, flags=re.MULTILINE)
    }
    assert set(st) == {"matching.hire_probability", "flows.registration_share"}
    # the hiring chance drives employment far more than the registration share does
    assert st["matching.hire_probability"] > st["flows.registration_share"] + 0.3
    assert "64 runs" in out


def test_ema_workbench_with_integer_and_boolean_levers():
    out = run_example("ema_workbench_levers.py")
    rows = [line.split() for line in out.splitlines()[1:]]
    assert len(rows) == 6  # 3 scenarios x 2 policies
    assert {r[2] for r in rows} == {"True", "False"}
    assert all(r[3].isdigit() for r in rows)  # integer lever, passed on as numpy integers
    assert len({r[4] for r in rows}) > 1  # the outcomes respond to the inputs


def test_solara_page_steps_and_resets():
    solara = pytest.importorskip("solara")
    v = pytest.importorskip("ipyvuetify")
    sys.path.insert(0, str(EXAMPLES))
    try:
        import solara_page
    finally:
        sys.path.remove(str(EXAMPLES))
    from sim import LabourMarketModel

    model = solara.reactive(
        LabourMarketModel(preset="werknemersdelen", persons_per_agent=4000, end="2019-08", rng=1)
    )

    @solara.component
    def Page():
        with solara.AppLayout():
            solara_page.make_page(model)

    _, rc = solara.render(Page(), handle_error=False)
    for _ in range(3):
        rc.find(v.Btn, children=["Step"]).widget.click()
    collected = model.value.datacollector.get_model_vars_dataframe()
    assert list(collected["month"]) == ["2019-01", "2019-02", "2019-03"]  # the plot's data
    assert (collected["employed"] > 2_000_000).all()  # in persons
    rc.find(v.Btn, children=["Reset"]).widget.click()
    fresh = model.value
    assert fresh.month_index == 0 and fresh.running
    assert fresh.scenario_spec.name == "werknemersdelen"  # the preset survives Reset
    assert fresh.params["simulation.persons_per_agent"] == 2000  # the page's input


def test_a_results_folder_reads_with_pandas_pyarrow_polars_and_duckdb():
    from experiments.worker import RUN_COLUMNS
    from sim.output_schema import load_output_schema

    out = run_example("results_folder.py")
    every_column = len(RUN_COLUMNS) + len(load_output_schema().names("monthly"))
    assert f"pandas: 144 rows x {every_column} columns" in out  # 4 runs x 36 months
    assert "pyarrow: 4 runs in 2021-12" in out
    assert re.search(r"duckdb: \[\('basis', 0, None\), \('werknemersdelen', 72, \d+\)\]", out)
    assert "reproduced werknemersdelen__r001: identical monthly table" in out
