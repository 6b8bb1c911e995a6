"""Careless and hostile input: a short message and exit 2, never a hang, a traceback or a
silent surprise (issue 14, items 2-5). Each case has its own time limit."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from test_experiments_spec import GOOD  # a valid experiment file (tests/ is on sys.path)

import sim
from experiments import cli
from experiments.store import FORMAT_VERSION

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def _laughs_in(field: str) -> str:
    """An experiment with a 'billion laughs' (9**9 strings) as the value of ``field``."""
    body = textwrap.indent(LAUGHS, "  ")
    return GOOD + f"{field}:\n{body}"


def _many_unknown_names(n: int) -> str:
    names = "".join(f"  nonsense.name_{i}: 1\n" for i in range(n))
    return GOOD.replace("parameters: {simulation.persons_per_agent: 2000}\n", "") + (
        "parameters:\n" + names
    )


def _write(folder: Path, text: str | bytes, name: str = "experiment.yaml") -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _file(text: str | bytes) -> Callable[[Path], list[str]]:
    """A case: ``run`` an experiment file with this content."""

    def args(tmp: Path) -> list[str]:
        return ["run", str(_write(tmp, text)), "--out", str(tmp / "out"), "--workers", "1"]

    return args


def _with_scenario_file(content: str, name: str = "scen.yaml") -> Callable[[Path], list[str]]:
    """A case: an experiment whose second scenario is a scenario file with this content."""

    def args(tmp: Path) -> list[str]:
        if name == "zero.yaml":
            (tmp / name).symlink_to("/dev/zero")
        else:
            _write(tmp, content, name)
        text = GOOD.replace("  - basis\n", f"  - basis\n  - file: {name}\n", 1)
        return ["run", str(_write(tmp, text)), "--out", str(tmp / "out"), "--workers", "1"]

    return args


def _cli(*extra: str) -> Callable[[Path], list[str]]:
    """A case: ``run`` the good experiment with these extra arguments."""

    def args(tmp: Path) -> list[str]:
        return ["run", str(_write(tmp, GOOD)), "--workers", "1", *extra]

    return args


def _scenario_option(*extra: str) -> Callable[[Path], list[str]]:
    def args(tmp: Path) -> list[str]:
        return ["run", "--workers", "1", "--out", str(tmp / "out"), *extra]

    return args


def _folder(manifest: str | None, run_file: bytes | None = None, command: str = "run"):
    """A case: ``run`` or ``report`` on a results folder in a bad state."""

    def args(tmp: Path) -> list[str]:
        exp = _write(tmp, GOOD)
        out = tmp / "out"
        (out / "runs" / "monthly").mkdir(parents=True)
        (out / "experiment.yaml").write_text(GOOD, encoding="utf-8")
        if manifest is not None:
            (out / "manifest.json").write_text(manifest.replace("EXP", str(exp)), encoding="utf-8")
        if run_file is not None:
            (out / "runs" / "monthly" / "basis__r000.parquet").write_bytes(run_file)
        if command == "report":
            return ["report", str(out)]
        return ["run", str(exp), "--out", str(out), "--workers", "1"]

    return args


VALID_MANIFEST = json.dumps(
    {
        "format_version": FORMAT_VERSION,
        "experiment": {"path": "EXP", "sha256": "x", "design_hash": "y"},
        "runs": {"basis__r000": {"status": "done"}},
        "sessions": [],
    }
)

# (id, arguments given the test's folder, words the message must hold, words it must not)
CASES = [
    ("laughs-in-title", _file(_laughs_in("title")), ["aliases", "line"], []),
    ("laughs-in-description", _file(_laughs_in("description")), ["aliases"], []),
    ("laughs-in-sweep", _file(_laughs_in("sweep")), ["aliases"], []),
    (
        "laughs-in-parameter",
        _file(GOOD.replace("{simulation.persons_per_agent: 2000}", "{x: *a}")),
        ["alias"],
        [],
    ),
    ("laughs-in-scenario-file", _with_scenario_file("name: s\n" + LAUGHS), ["aliases"], []),
    ("file-over-size-limit", _file(GOOD + "#" * 1_100_000 + "\n"), ["larger than"], []),
    ("scenario-is-a-device", _with_scenario_file("", "zero.yaml"), ["not a regular file"], []),
    (
        "fifty-thousand-unknown-names",
        _file(_many_unknown_names(30_000)),
        ["unknown parameter", "more"],
        [],
    ),
    (
        "huge-value-shortened",
        _file(GOOD.replace("tu_uptake: 0.5", "tu_uptake: " + "9" * 100_000 + "x")),
        ["characters)"],
        ["9" * 200],
    ),
    ("duplicate-top-level-key", _file(GOOD + "replications: 5\n"), ["duplicate key"], []),
    (
        "duplicate-parameter-key",
        _file(GOOD.replace("{simulation.persons_per_agent: 2000}", "{a.b: 1, a.b: 2}")),
        ["duplicate key 'a.b'"],
        [],
    ),
    ("deep-nesting", _file("title: " + "[" * 500 + "]" * 500 + "\n"), ["nested"], []),
    ("not-utf8", _file(b"name: \xff\xfe\n"), ["not UTF-8"], []),
    ("top-level-scalar", _file("just text\n"), ["mapping"], []),
    (
        "horizon-start-before-simulation",
        _file(GOOD.replace("start: 2020-01", "start: 1990-01")),
        ["horizon.start", "outside the simulated period"],
        [],
    ),
    (
        "horizons-after-simulation",
        _file(
            GOOD.replace("horizon: {start: 2020-01, end: 2021-12}\n", "").replace(
                "horizons: [2020-12, 2021-12]", "horizons: [2099-12]"
            )
        ),
        ["horizons[0]", "outside the simulated period", "2025-12"],
        [],
    ),
    (
        "series-month-outside-simulation",
        _file(
            GOOD.replace(
                "{simulation.persons_per_agent: 2000}", '{shock.closure_path: {"2030-01": 0.5}}'
            )
        ),
        ["shock.closure_path", "2030-01", "outside the simulated period"],
        [],
    ),
    (
        "wrong-sector-in-mapping",
        _file(GOOD.replace("{training.tu_uptake: 0.5}", "{sector.trend_growth: {nosector: 0.01}}")),
        ["sector.trend_growth.nosector", "unknown sector"],
        ["unknown parameter"],
    ),
    (
        "wrong-key-in-shares",
        _file(GOOD.replace("{training.tu_uptake: 0.5}", "{population.education_shares: {phd: 1}}")),
        ["population.education_shares.phd", "unknown key"],
        ["unknown parameter"],
    ),
    (
        "wrong-month-key-in-series",
        _file(
            GOOD.replace(
                "{simulation.persons_per_agent: 2000}", "{shock.closure_path: {march: 0.5}}"
            )
        ),
        ["shock.closure_path", "YYYY-MM"],
        ["unknown parameter"],
    ),
    (
        "400-digit-parameter",
        _file(GOOD.replace("tu_uptake: 0.5", "tu_uptake: " + "9" * 400)),
        ["too large", "digits"],
        [],
    ),
    (
        "400-digit-root-seed",
        _file(GOOD.replace("root_seed: 3", "root_seed: " + "9" * 400)),
        ["root_seed"],
        [],
    ),
    (
        "400-digit-precision",
        _file(GOOD + "analysis: {precision: {employed: " + "9" * 400 + "}}\n"),
        ["analysis.precision"],
        [],
    ),
    (
        "400-digit-sample-n",
        _file(
            GOOD
            + "sample: {method: lhs, n: "
            + "9" * 400
            + ", parameters: {training.tu_uptake: null}}\n"
        ),
        ["sample.n"],
        [],
    ),
    (
        "infinite-value",
        _file(GOOD.replace("tu_uptake: 0.5", "tu_uptake: .inf")),
        ["not finite"],
        [],
    ),
    (
        "scenario-file-outside-and-not-yaml",
        _file(GOOD.replace("  - basis\n", "  - file: ../../../../etc/shadow\n", 1)),
        [".yaml or .yml"],
        [],
    ),
    (
        "scenario-file-content-not-echoed",
        _with_scenario_file(
            "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000::::::\n", "shadow.yaml"
        ),
        ["unknown field", "not a name"],
        ["SECRETHASH", "daemon"],
    ),
    ("retries-negative", _cli("--retries", "-1"), ["--retries", "from 0 to 10"], []),
    ("workers-zero", _cli("--workers", "0"), ["--workers"], []),
    (
        "out-under-a-file",
        lambda tmp: _cli("--out", str(_write(tmp, "x", "plain.txt") / "sub"))(tmp),
        ["cannot create"],
        [],
    ),
    ("out-under-proc", _cli("--out", "/proc/werk-naar-werk-test"), ["cannot create"], []),
    (
        "scenario-option-too-many-replications",
        _scenario_option("--scenario", "werknemersdelen", "--replications", "1000000"),
        ["replications", "nothing was run or written"],
        [],
    ),
    ("truncated-manifest", _folder('{"experiment": {"pa'), ["damaged", "--archive-stale"], []),
    ("manifest-not-a-mapping", _folder("[1, 2, 3]"), ["damaged", "not a mapping"], []),
    (
        "manifest-runs-not-a-mapping",
        _folder(json.dumps({"format_version": FORMAT_VERSION, "experiment": {}, "runs": []})),
        ["damaged", "'runs'"],
        [],
    ),
    ("report-of-damaged-manifest", _folder("{", command="report"), ["damaged"], []),
    (
        "manifest-of-another-format",
        _folder('{"format_version": 1, "runs": {}, "scenarios": []}'),
        ["format 1", "--archive-stale"],
        [],
    ),
    (
        "report-of-garbage-run-file",
        _folder(VALID_MANIFEST, b"garbage" * 10, "report"),
        ["cannot be read", "monthly/basis__r000.parquet"],
        [],
    ),
    ("report-of-no-results-folder", lambda tmp: ["report", str(tmp)], ["no manifest.json"], []),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("make_args", "words", "absent"),
    [(a, w, n) for _, a, w, n in CASES],
    ids=[i for i, _, _, _ in CASES],
)
def test_careless_or_hostile_input_gets_a_short_message_and_exit_2(
    tmp_path, capsys, monkeypatch, make_args, words, absent
):
    monkeypatch.chdir(tmp_path)  # 'run --scenario' writes under ./results only when valid
    work = tmp_path / "work"
    work.mkdir()
    assert _exit_code(make_args(work)) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err, f"{word!r} not in message:\n{err[:3000]}"
    for word in absent:
        assert word not in err, f"{word!r} in message:\n{err[:3000]}"
    assert "Traceback" not in err
    assert len(err) < 6000, f"message of {len(err)} characters"
    assert not (tmp_path / "results").exists(), "written although nothing was to be written"
    assert not list(tmp_path.rglob(".*.tmp"))


def _exit_code(args: list[str]) -> int:
    """``cli.main``'s exit code, also when argparse ends it with SystemExit."""
    try:
        return cli.main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), float("inf"), float("nan")],
    ids=["10**400", "-10**400", "inf", "nan"],
)
def test_overflowing_values_through_the_api_are_refused_before_the_run(value):
    with pytest.raises(ValueError, match=r"matching\.hire_probability"):
        sim.simulate("basis", seed=1, overrides={"matching.hire_probability": value})
    with pytest.raises(ValueError, match=r"simulation\.persons_per_agent"):
        sim.simulate("basis", seed=1, overrides={"simulation.persons_per_agent": value})


def test_duplicate_keys_in_a_scenario_file_are_refused(tmp_path):
    path = _write(
        tmp_path,
        "name: s\nparameters:\n  training.tu_uptake: 0.1\n  training.tu_uptake: 0.9\n",
        "s.yaml",
    )
    with pytest.raises(ValueError, match=r"line 4.*duplicate key 'training\.tu_uptake'"):
        sim.simulate(str(path), seed=1)
    assert os.path.getsize(path) > 0
