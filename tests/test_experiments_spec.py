"""Experiment files: validation against the registry, clear errors, nothing written."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from experiments import cli
from experiments.design import design_hash, expand_runs
from experiments.seeds import run_seed, spawn_key
from experiments.spec import load_experiment

GOOD = """
name: good
scenarios:
  - basis
  - name: meer-opleiding
    base: basis
    overrides: {training.tu_uptake: 0.5}
replications: 2
root_seed: 3
horizon: {start: 2020-01, end: 2021-12}
horizons: [2020-12, 2021-12]
parameters: {simulation.persons_per_agent: 2000}
"""

# (id, file text, words the message must contain)
BAD_FILES = [
    ("not-yaml", "name: x\nscenarios: [basis\n", ["not valid YAML", "line"]),
    ("top-level-list", "- basis\n- werknemersdelen\n", ["(top level)", "mapping"]),
    (
        "unknown-field",
        GOOD.replace("replications:", "replicatons:"),
        ["replicatons", "unknown field", "Did you mean 'replications'"],
    ),
    ("missing-scenarios", "name: x\nreplications: 2\n", ["scenarios", "required", "basis"]),
    (
        "unknown-preset",
        GOOD.replace("  - basis\n", "  - basiss\n", 1),
        ["scenarios[0]", "unknown preset", "'basiss'", "Allowed:", "basis"],
    ),
    (
        "unknown-parameter",
        GOOD.replace("training.tu_uptake", "training.tu_uptak"),
        [
            "scenarios[1].overrides.training.tu_uptak",
            "unknown parameter",
            "Did you mean 'training.tu_uptake'",
        ],
    ),
    (
        "out-of-range",
        GOOD.replace("tu_uptake: 0.5", "tu_uptake: 1.5"),
        ["scenarios[1].overrides.training.tu_uptake", "1.5", "allowed:"],
    ),
    (
        "bad-replications",
        GOOD.replace("replications: 2", "replications: zero"),
        ["replications", "integer from 1"],
    ),
    ("negative-seed", GOOD.replace("root_seed: 3", "root_seed: -3"), ["root_seed", "integer >= 0"]),
    ("bad-month", GOOD.replace("end: 2021-12", "end: 2021-13"), ["horizon", "YYYY-MM"]),
    (
        "horizon-outside",
        GOOD.replace("[2020-12, 2021-12]", "[2020-12, 2024-12]"),
        ["horizons[1]", "outside the horizon"],
    ),
    (
        "bad-reference",
        GOOD + "reference: werknemersdelen\n",
        ["reference", "one of the experiment's scenarios", "meer-opleiding"],
    ),
    (
        "duplicate-names",
        GOOD.replace("name: meer-opleiding", "name: basis"),
        ["scenarios", "repeat", "basis"],
    ),
    ("path-in-name", GOOD.replace("name: good", "name: ../evil"), ["name", "letters, digits"]),
    (
        "sweep-and-sample",
        GOOD + "sweep: {training.tu_uptake: [0.1, 0.2]}\n"
        "sample: {method: sobol, n: 4, parameters: {training.tu_uptake: null}}\n",
        ["either a sweep or a sample"],
    ),
    (
        "unknown-sample-method",
        GOOD + "sample: {method: sobolx, n: 4, parameters: {training.tu_uptake: null}}\n",
        ["sample.method", "sobolx", "Allowed: sobol, morris, lhs"],
    ),
    (
        "sobol-not-power-of-two",
        GOOD + "sample: {method: sobol, n: 6, parameters: {training.tu_uptake: null}}\n",
        ["sample.n", "power of two"],
    ),
    (
        "sample-range-outside-registry",
        GOOD + "sample: {method: lhs, n: 6, parameters: {training.tu_uptake: [0.2, 3.0]}}\n",
        ["sample.parameters.training.tu_uptake", "outside the registry's range"],
    ),
    (
        "bad-interval",
        GOOD + "analysis: {interval: z}\n",
        ["analysis.interval", "Allowed: t, bootstrap"],
    ),
    (
        "missing-scenario-file",
        GOOD.replace("  - basis\n", "  - file: nowhere.yaml\n", 1),
        ["scenarios[0].file", "not found"],
    ),
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "experiment.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_file_validates(tmp_path, api, capsys):
    path = _write(tmp_path, GOOD)
    assert cli.main(["validate", str(path)]) == 0
    assert "OK" in capsys.readouterr().out
    spec = load_experiment(path, api)
    assert [s.name for s in spec.scenarios] == ["basis", "meer-opleiding"]
    assert spec.parameters["simulation.end"] == "2021-12"  # the horizon sets the end month


@pytest.mark.parametrize(
    ("text", "words"), [(t, w) for _, t, w in BAD_FILES], ids=[i for i, _, _ in BAD_FILES]
)
def test_bad_experiment_file_gets_clear_error_exit_2_and_nothing_written(
    tmp_path, capsys, text, words
):
    path = _write(tmp_path, text)
    out = tmp_path / "results"
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err, f"{word!r} not in message:\n{err}"
    assert cli.main(["run", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "nothing was run or written" in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["experiment.yaml"]


def test_missing_experiment_file(tmp_path, capsys):
    assert cli.main(["run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_all_problems_of_a_file_are_reported_at_once(tmp_path, capsys):
    text = GOOD.replace("replications: 2", "replications: 0").replace(
        "root_seed: 3", "root_seed: x"
    )
    assert cli.main(["validate", str(_write(tmp_path, text))]) == 2
    err = capsys.readouterr().err
    assert "replications" in err and "root_seed" in err and "2 problem(s)" in err


def test_replication_seed_is_the_same_whatever_the_scenario(tmp_path, api):
    spec = load_experiment(_write(tmp_path, GOOD), api)
    runs = expand_runs(spec)
    by_rep: dict[int, set] = {}
    for r in runs:
        by_rep.setdefault(r.replication, set()).add(r.spawn_key)
    assert all(len(keys) == 1 for keys in by_rep.values())
    assert by_rep[1] == {spawn_key(1)} == {(1,)}
    a = run_seed(3, (1,)).generate_state(4)
    b = run_seed(3, (1,)).generate_state(4)
    assert (a == b).all()
    assert not (run_seed(3, (0,)).generate_state(4) == a).all()
    # The run list is replication-first and its ids are stable.
    assert [r.run_id for r in runs[:2]] == ["basis__r000", "meer-opleiding__r000"]


def test_design_hash_ignores_report_only_fields(tmp_path, api):
    spec = load_experiment(_write(tmp_path, GOOD), api)
    h = design_hash(spec, expand_runs(spec))
    text = GOOD.replace("horizons: [2020-12, 2021-12]", "horizons: [2021-06]")
    changed = load_experiment(_write(tmp_path, text + "title: Anders\n"), api)
    assert design_hash(changed, expand_runs(changed)) == h
    reseeded = load_experiment(_write(tmp_path, GOOD.replace("root_seed: 3", "root_seed: 4")), api)
    assert design_hash(reseeded, expand_runs(reseeded)) != h


def test_help_everywhere(capsys):
    for args in ([], ["run"], ["report"], ["list"], ["validate"], ["sensitivity"]):
        with pytest.raises(SystemExit) as exc:
            cli.build_parser().parse_args([*args, "--help"])
        assert exc.value.code == 0
        assert "usage:" in capsys.readouterr().out


def test_list_shows_presets_and_parameters_with_labels(capsys):
    assert cli.main(["list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "basis" in out and "simulation.persons_per_agent" in out
    assert "Persons per agent" in out
    assert cli.main(["list", "parameters", "--lang", "nl"]) == 0
    assert "Personen per agent" in capsys.readouterr().out
