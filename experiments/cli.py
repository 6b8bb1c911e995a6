"""Command-line tool for batch experiments (``python run_experiment.py``).

Subcommands: ``run`` (the default, with the AHAD comparison as default experiment),
``report``, ``list``, ``validate``, ``sensitivity`` and ``calibrate``
(experiments/calibrate.py). Exit codes: 0 all well; 1 some runs
failed or the model could not be imported; 2 a bad experiment file, a refused results
folder or bad arguments; 130 stopped with Ctrl-C (rerun the same command to finish).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from experiments.batch import Batch, ExperimentRun, analyse, results_folder, run_experiment
from experiments.design import expand_runs
from experiments.model_api import ModelAPI, label, load_model_api, short_repr
from experiments.runner import default_workers
from experiments.spec import (
    ExperimentError,
    ExperimentFileError,
    ExperimentSpec,
    load_experiment,
    parse_experiment,
)
from experiments.store import Results, StoreError, read_manifest

EXPERIMENTS_DIR = Path(__file__).resolve().parent
DEFAULT_EXPERIMENT = EXPERIMENTS_DIR / "ahad.yaml"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_RETRIES = 10


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors exit with code 2 and a hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {short_repr(text)}") from exc
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _retries(text: str) -> int:
    try:
        n = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {short_repr(text)}") from exc
    if not 0 <= n <= MAX_RETRIES:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_RETRIES}, got {n}")
    return n


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with ``--help`` on every subcommand."""
    p = _Parser(
        prog="run_experiment.py",
        description="Batch experiments with the werk-naar-werk model: scenarios x "
        "replications, sweeps and samples; resumable results; report.",
        epilog="Without arguments: run experiments/ahad.yaml (the 'Alle hens aan dek' "
        "comparison) and write results/ahad/. See docs/EXPERIMENTS.md.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_run(sub)
    _add_report(sub)
    _add_list(sub)
    _add_validate(sub)
    _add_sensitivity(sub)
    from experiments.calibrate import add_subcommand

    add_subcommand(sub)
    return p


def _batch_options(sp: argparse.ArgumentParser) -> None:
    """Options of the commands that run a batch (``run``, ``sensitivity``)."""
    sp.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help=f"worker processes on this machine (default: all cores, here "
        f"{default_workers()}); 1 runs in this process",
    )
    sp.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="address of a Dask distributed scheduler (tcp://host:8786), or "
        "'local' for a Dask LocalCluster on this machine",
    )
    sp.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=None,
        help="results folder (default: results/NAME)",
    )
    sp.add_argument(
        "--archive-stale",
        action="store_true",
        help="if the results folder holds runs that cannot be mixed with "
        "these (another model version or experiment design), move it aside "
        "to DIR.stale-TIMESTAMP and start afresh instead of refusing; the "
        "default job (no arguments, 'make run') does this by itself",
    )
    sp.add_argument(
        "--retries",
        type=_retries,
        default=None,
        metavar="N",
        help="extra attempts for a run that raises (default: the experiment's 'retries', else 2)",
    )
    sp.add_argument(
        "--lang",
        choices=("nl", "en"),
        default="nl",
        help="language of the report (default: nl)",
    )
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")
    sp.add_argument(
        "--no-report", action="store_true", help="write run files and tables but no HTML report"
    )


def _add_run(sub: Any) -> None:
    """``run``: an experiment file or ``--scenario`` presets."""
    r = sub.add_parser(
        "run",
        help="run an experiment (missing runs only) and write the report",
        description="Run an experiment: every run not yet on disk, in "
        "parallel; then the summary tables and the report.",
    )
    r.add_argument(
        "experiment",
        nargs="?",
        type=Path,
        default=None,
        help="experiment file (default: experiments/ahad.yaml)",
    )
    r.add_argument(
        "--scenario",
        action="append",
        metavar="PRESET",
        default=None,
        help="instead of an experiment file: compare this preset (or 'a+b', or a "
        "scenario YAML file) with basis; repeat for more scenarios",
    )
    r.add_argument(
        "--replications",
        type=_positive,
        default=8,
        metavar="N",
        help="replications per scenario with --scenario (default: 8)",
    )
    r.add_argument(
        "--scale",
        type=_positive,
        default=None,
        metavar="N",
        help="persons per worker agent for every run (simulation.persons_per_agent; "
        "1: one agent per person, about 3.9 million workers, about 0.7 GB and 20 s a run; "
        "default: the experiment's, else 100); results go to results/NAME-scale-N",
    )
    _batch_options(r)


def _add_report(sub: Any) -> None:
    """``report``: tables and report of a results folder."""
    rep = sub.add_parser(
        "report",
        help="(re)write tables and the report of a results folder",
        description="Recompute the summary tables and write the HTML report "
        "from the run files in RESULTS_DIR (no model runs).",
    )
    rep.add_argument("results", type=Path, help="results folder, e.g. results/ahad")
    rep.add_argument(
        "--lang", choices=("nl", "en"), default="nl", help="language of the report (default: nl)"
    )


def _add_list(sub: Any) -> None:
    """``list``: presets, parameters, sectors, outcomes."""
    ls = sub.add_parser(
        "list",
        help="list presets, parameters, sectors or outcomes",
        description="List what experiment files can refer to, with Dutch or "
        "English labels, units, defaults and ranges from the registry.",
    )
    ls.add_argument(
        "what",
        nargs="?",
        default="all",
        choices=("all", "presets", "parameters", "sectors", "outcomes"),
        help="what to list (default: all)",
    )
    ls.add_argument("--lang", choices=("nl", "en"), default="nl", help="label language")
    ls.add_argument(
        "--kind",
        default=None,
        help="only parameters of this kind (policy_lever, behavioural, "
        "calibrated, structural, simulation)",
    )


def _add_validate(sub: Any) -> None:
    """``validate``: check experiment files."""
    v = sub.add_parser(
        "validate",
        help="check experiment files without running anything",
        description="Check experiment files against the registry and print "
        "their run plan. Exit code 2 when a file has problems.",
    )
    v.add_argument("files", nargs="+", type=Path, help="experiment files")


def _add_sensitivity(sub: Any) -> None:
    """``sensitivity``: run or analyse a Sobol/Morris design."""
    s = sub.add_parser(
        "sensitivity",
        help="run a Sobol/Morris experiment and print its indices",
        description="Run (or only analyse, when given a results folder) an "
        "experiment with a 'sample' section of method sobol or morris, and "
        "print the sensitivity indices per outcome and horizon.",
    )
    s.add_argument("target", type=Path, help="experiment file or results folder")
    _batch_options(s)


# --------------------------------------------------------------------------- helpers
def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)


def _api() -> ModelAPI:
    return load_model_api()


def _load(path: Path, api: ModelAPI) -> ExperimentSpec:
    return load_experiment(path, api)


def plan_text(spec: ExperimentSpec, n_runs: int) -> str:
    """One line describing the runs of an experiment."""
    parts = [f"{len(spec.scenarios)} scenario(s)"]
    if spec.sweep:
        n = 1
        for v in spec.sweep.values():
            n *= len(v)
        parts.append(f"{n} sweep point(s)")
    if spec.sample:
        parts.append(
            f"a {spec.sample.method} sample over {len(spec.sample.parameters)} parameter(s)"
        )
    parts.append(f"{spec.replications} replication(s)")
    scale = spec.parameters.get("simulation.persons_per_agent")
    if scale is not None:
        parts[-1] += f" at 1:{scale} (persons per agent)"
    return (
        f"experiment '{spec.name}': {' x '.join(parts)} = {n_runs} runs, root seed "
        f"{spec.root_seed}, reference '{spec.reference}'"
    )


def _progress(total: int, initial: int, enabled: bool) -> Any:
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread (forked workers warn about threads)
    return tqdm(
        total=total,
        initial=initial,
        unit="run",
        disable=not enabled,
        dynamic_ncols=True,
        smoothing=0.1,
        file=sys.stderr,
        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} runs "
        "[{elapsed}<{remaining}, {rate_fmt}{postfix}]",
    )


def execute(
    spec: ExperimentSpec,
    api: ModelAPI,
    *,
    out: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    retries: int | None = None,
    lang: str = "nl",
    progress: bool = True,
    report: bool = True,
    analyse: bool = True,
    client: Any = None,
    simulate: Any = None,
    archive_stale: bool = False,
) -> int:
    """:func:`experiments.batch.run_experiment` with a progress bar and printed results.

    Args:
        spec: The validated experiment.
        api: The model.
        out: Results folder (default ``results/NAME``).
        workers: Local workers (default: all cores).
        scheduler: Dask scheduler address or ``local``.
        retries: Override of the experiment's retries.
        lang: Report language.
        progress: Show a progress bar.
        report: Write the HTML report.
        analyse: Compute the summary tables (and the report) after the runs.
        client: An existing ``dask.distributed.Client`` (instead of ``scheduler``).
        simulate: Replacement for ``api.simulate`` (tests).
        archive_stale: Move a results folder whose runs cannot be mixed with these (another
            model version or design) aside, to ``DIR.stale-TIMESTAMP``, instead of refusing.

    Returns:
        The exit code.
    """
    printer = _BatchPrinter(progress)
    try:
        done = run_experiment(
            spec,
            api,
            out=out,
            workers=workers,
            scheduler=scheduler,
            client=client,
            retries=retries,
            archive_stale=archive_stale,
            analyse_results=analyse,
            report=report,
            lang=lang,
            simulate=simulate,
            on_start=printer.start,
            on_done=printer.done,
        )
    except StoreError as exc:
        _err(f"refused: {exc}")
        return EXIT_USAGE
    finally:
        printer.close()
    return _print_outcome(done, lang)


class _BatchPrinter:
    """The hooks of :func:`run_experiment` that print the plan and show a progress bar."""

    def __init__(self, progress: bool) -> None:
        self.progress = progress
        self.bar: Any = None
        self.failed = 0

    def start(self, batch: Batch) -> None:
        if batch.archived_to is not None:
            print(
                f"note: {batch.folder} held runs that cannot be mixed with these "
                f"({batch.archived_reason}); moved it to {batch.archived_to} and starting "
                "afresh."
            )
        print(plan_text(batch.spec, len(batch.runs)))
        if batch.damaged:
            print(
                f"note: {len(batch.damaged)} run file(s) could not be read "
                f"({', '.join(batch.damaged[:5])}{', ...' if len(batch.damaged) > 5 else ''}); "
                "set aside as runs/*.parquet.damaged and run again."
            )
        if batch.state == "resume-changed":
            print(
                "note: the experiment file changed, but not in anything that affects the "
                "runs (title, description, outcomes, horizons or analysis); finished runs "
                "are kept."
            )
        print(
            f"{batch.done_before} run(s) already in {batch.folder}; {batch.todo} to run on "
            f"{batch.executor}."
        )
        self.bar = _progress(len(batch.runs), batch.done_before, self.progress and batch.todo > 0)

    def done(self, run: Any, outcome: Any) -> None:
        if outcome is None:
            self.failed += 1
            self.bar.set_postfix_str(f"{self.failed} failed", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _print_outcome(done: ExperimentRun, lang: str) -> int:
    """Print how a batch went (and its headline table); return the exit code."""
    if done.interrupted:
        left = len(done.batch.runs) - done.runs_on_disk
        print(
            f"\nstopped. {left} run(s) left; run the same command again to finish them.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    result = done.result
    if result is not None:
        print(
            f"{result.completed} run(s) done in {done.seconds:.1f} s"
            + (f", {len(result.retried)} after a retry" if result.retried else "")
            + (f", pool restarted {result.pool_restarts} time(s)" if result.pool_restarts else "")
            + f"; {len(result.failed)} failed."
        )
        for run_id, error in sorted(result.failed.items()):
            print(f"  FAILED {run_id}: {error}", file=sys.stderr)
    for path in done.changed_files:
        print(
            f"note: {path} changed while the batch ran; every run used the values read at "
            "the start (kept in manifest.json). A rerun on this folder will be refused.",
            file=sys.stderr,
        )
    if done.runs_on_disk == 0:
        _err("no run finished; nothing to analyse.")
        return EXIT_FAILED
    if done.tables is not None:
        _print_tables(done.folder, done.batch.spec, done.tables, done.report, lang)
    if done.failed:
        print(
            f"{len(done.failed)} run(s) failed (see manifest.json); rerun the same "
            "command to try them again.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def _print_tables(
    folder: Path, spec: ExperimentSpec, tables: dict[str, Any], report: Path | None, lang: str
) -> None:
    from experiments.report import headline_text

    summary = headline_text(tables, spec, lang)
    if summary:
        print()
        print(summary)
        print()
    print(f"tables: {folder}/summary.csv, {folder}/differences.csv (and more, Parquet and CSV)")
    if report is not None:
        print(f"report: {report}")


def _analyse_and_report(
    folder: Path, spec: ExperimentSpec, api: ModelAPI, lang: str, report: bool
) -> None:
    tables, path = analyse(folder, spec, api, report=report, lang=lang)
    _print_tables(folder, spec, tables, path, lang)


def spec_from_results(folder: Path, api: ModelAPI) -> ExperimentSpec:
    """The experiment of a results folder (from its copy of the experiment file)."""
    manifest = read_manifest(folder)
    if manifest is None:
        raise StoreError(f"{folder} has no manifest.json: not a results folder.")
    original = Path(str(manifest["experiment"].get("path") or folder / "experiment.yaml"))
    return load_experiment(folder / "experiment.yaml", api, base_dir=original.parent)


# --------------------------------------------------------------------------- commands
def scenario_experiment(
    scenarios: list[str], replications: int, folder: Path, api: ModelAPI
) -> ExperimentSpec:
    """The experiment that compares the given scenarios with ``basis`` (``run --scenario``).

    It is validated in memory first; only a valid experiment is written, to ``folder``
    (under results/), so that the results folder can keep its copy like any other.

    Raises:
        ExperimentFileError: When it is not valid (nothing is written then).
    """
    safe = [re.sub(r"[^a-z0-9]+", "-", Path(s).stem.lower()).strip("-") for s in scenarios]
    name = ("vs-basis-" + "-".join(safe))[:80].rstrip("-")
    files = [str(Path(s).resolve()) if s.endswith((".yaml", ".yml")) else s for s in scenarios]
    data = {
        "name": name,
        "title": {
            "nl": "Vergelijking met de basis: " + ", ".join(scenarios),
            "en": "Comparison with the baseline: " + ", ".join(scenarios),
        },
        "scenarios": ["basis", *[s for s in files if s != "basis"]],
        "reference": "basis",
        "replications": replications,
        "root_seed": 20210107,
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = folder / f"{name}.yaml"
    spec = parse_experiment(
        data, api, path=path, sha256=hashlib.sha256(text.encode()).hexdigest(), base_dir=Path.cwd()
    )
    write_experiment_copy(path, text)
    return spec


def write_experiment_copy(path: Path, text: str) -> None:
    """Write the experiment file as run next to the results (its folder made if needed).

    Raises:
        StoreError: When the file cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}.") from None


def at_scale(
    spec: ExperimentSpec, persons_per_agent: int, folder: Path, api: ModelAPI
) -> ExperimentSpec:
    """The experiment ``spec`` with every run at ``persons_per_agent`` persons per agent.

    A copy of the experiment file, named ``NAME-scale-N``, with
    ``simulation.persons_per_agent: N`` among its parameters and its scenario files by
    absolute path, is written to ``folder`` (like :func:`scenario_experiment`), so that the
    results folder keeps the experiment as run and its report can be rewritten.

    Raises:
        ExperimentFileError: When the experiment sweeps or samples the scale itself, or the
            scale is out of the registry's range.
    """
    name = "simulation.persons_per_agent"
    data = copy.deepcopy(spec.raw)
    if name in (spec.sweep or {}) or (spec.sample and name in spec.sample.parameters):
        raise ExperimentFileError(
            spec.path, [ExperimentError("--scale", f"the experiment varies {name} itself.")]
        )
    here = Path(spec.path).resolve().parent
    scenarios = []
    for entry in data.get("scenarios") or []:
        if isinstance(entry, str) and entry.endswith((".yaml", ".yml")):
            entry = str((here / entry).resolve())
        elif isinstance(entry, dict) and isinstance(entry.get("file"), str):
            entry = {**entry, "file": str((here / entry["file"]).resolve())}
        scenarios.append(entry)
    data["scenarios"] = scenarios
    data["name"] = f"{spec.name}-scale-{persons_per_agent}"
    data["parameters"] = {**(data.get("parameters") or {}), name: persons_per_agent}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = folder / f"{data['name']}.yaml"
    scaled = parse_experiment(
        data, api, path=path, sha256=hashlib.sha256(text.encode()).hexdigest(), base_dir=here
    )
    write_experiment_copy(path, text)
    return scaled


def _execute_with_options(spec: ExperimentSpec, api: ModelAPI, args: argparse.Namespace) -> int:
    """:func:`execute` with the batch options of ``run`` and ``sensitivity``."""
    return execute(
        spec,
        api,
        out=args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        retries=args.retries,
        lang=args.lang,
        progress=not args.no_progress,
        report=not args.no_report,
        archive_stale=args.archive_stale,
    )


def cmd_run(args: argparse.Namespace) -> int:
    """``run``: run an experiment."""
    api = _api()
    if args.scenario:
        if args.experiment is not None:
            _err("give an experiment file or --scenario, not both")
            return EXIT_USAGE
        for name in args.scenario:
            try:
                api.load_scenario(name)
            except (ValueError, OSError) as exc:
                _err(f"--scenario {short_repr(name)}: {exc}")
                return EXIT_USAGE
        folder = Path("results") / "_experiments"
        spec = scenario_experiment(args.scenario, args.replications, folder, api)
    else:
        spec = _load(args.experiment or DEFAULT_EXPERIMENT, api)
    if args.scale is not None:
        spec = at_scale(spec, args.scale, Path("results") / "_experiments", api)
    return _execute_with_options(spec, api, args)


def cmd_report(args: argparse.Namespace) -> int:
    """``report``: rewrite tables and the report of a results folder."""
    api = _api()
    folder = args.results
    try:
        spec = spec_from_results(folder, api)
        results = Results(folder)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_USAGE
    if not results.run_files():
        _err(f"{folder} holds no finished run.")
        return EXIT_FAILED
    _analyse_and_report(folder, spec, api, args.lang, True)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """``list``: presets, parameters, sectors, outcomes."""
    api = _api()
    lang = args.lang
    what = args.what
    if what in ("all", "presets"):
        print("Presets (scenarios):" if lang == "en" else "Voorgedefinieerde scenario's:")
        for name in api.presets:
            try:
                sc = api.load_scenario(name)
                title = label(getattr(sc, "title", {}) or {}, lang, name)
            except (ValueError, OSError):
                title = "(cannot be loaded)"
            print(f"  {name:<28} {title}")
    if what in ("all", "sectors"):
        print("Sectors:" if lang == "en" else "Sectoren:")
        for s in api.sectors:
            tag = "  (shortage)" if getattr(s, "shortage", False) else ""
            print(f"  {s.id:<16} {label(s, lang, s.id)}{tag}")
    if what in ("all", "outcomes"):
        print("Outcomes (monthly columns):" if lang == "en" else "Uitkomsten (maandkolommen):")
        print(f"  {'name':<40} {'unit':<16} {'kind':<6} label")
        for col in api.outputs.columns("monthly", origin=None) if api.outputs else ():
            if col.kind == "key":
                continue
            unit = api.outputs.unit_text(col.unit, lang)
            print(f"  {col.name:<40} {unit:<16} {col.kind:<6} {col.text(lang)}")
        print("  (docs/OUTPUTS.md: every column, its meaning, and when a lever adds it)")
    if what in ("all", "parameters"):
        print("Parameters:")
        head = ("name", "label", "unit", "default", "range", "kind")
        print(f"  {head[0]:<44} {head[1]:<46} {head[2]:<18} {head[3]:<14} {head[4]:<22} {head[5]}")
        for name, par in api.parameters.items():
            if args.kind and getattr(par, "kind", None) != args.kind:
                continue
            default = getattr(par, "default", "")
            default = "(by key)" if isinstance(default, dict) else str(default)
            rng = getattr(par, "range", None)
            choices = getattr(par, "choices", None)
            allowed = (
                f"[{rng[0]}, {rng[1]}]" if rng else ("|".join(map(str, choices)) if choices else "")
            )
            print(
                f"  {name:<44} {label(par, lang, name)[:46]:<46} "
                f"{str(getattr(par, 'unit', ''))[:18]:<18} {default[:14]:<14} "
                f"{allowed[:22]:<22} {getattr(par, 'kind', '')}"
            )
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """``validate``: check experiment files."""
    api = _api()
    code = EXIT_OK
    for path in args.files:
        try:
            spec = _load(path, api)
        except ExperimentFileError as exc:
            print(str(exc), file=sys.stderr)
            code = EXIT_USAGE
            continue
        print(f"{path}: OK - {plan_text(spec, len(expand_runs(spec)))}")
    return code


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """``sensitivity``: run a sample design and print its indices."""
    api = _api()
    target: Path = args.target
    if target.is_dir():
        try:
            spec = spec_from_results(target, api)
        except StoreError as exc:
            _err(str(exc))
            return EXIT_USAGE
        folder = target
        code = EXIT_OK
        if spec.sample is None or spec.sample.method not in ("sobol", "morris"):
            _err("this experiment has no Sobol or Morris 'sample' section.")
            return EXIT_USAGE
        _analyse_and_report(folder, spec, api, args.lang, not args.no_report)
    else:
        spec = _load(target, api)
        if spec.sample is None or spec.sample.method not in ("sobol", "morris"):
            _err(
                f"{target}: the experiment needs a 'sample' section with method sobol or "
                "morris for a sensitivity analysis."
            )
            return EXIT_USAGE
        code = _execute_with_options(spec, api, args)
        folder = results_folder(spec, args.out)
    path = folder / "sensitivity.csv"
    if path.is_file():
        import pandas as pd

        table = pd.read_csv(path)
        with pd.option_context("display.width", 160, "display.max_rows", 200):
            print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return code


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``calibrate``: fit the calibrated parameters (experiments/calibrate.py)."""
    from experiments.calibrate import cmd_calibrate as run

    return run(args)


COMMANDS = {
    "run": cmd_run,
    "report": cmd_report,
    "list": cmd_list,
    "validate": cmd_validate,
    "sensitivity": cmd_sensitivity,
    "calibrate": cmd_calibrate,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``run_experiment.py``.

    Args:
        argv: Arguments (default ``sys.argv[1:]``). No arguments runs the default
            experiment; a first argument ending in ``.yaml`` means ``run FILE``.

    Returns:
        The exit code.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        # the default job ('make run'): after a change of the model code its old results
        # are moved aside rather than refused (a developer's pull must not break make run)
        argv = ["run", "--archive-stale"]
    if argv[0].endswith((".yaml", ".yml")) or (
        argv[0].startswith("--") and argv[0] not in ("--help", "-h")
    ):
        argv = ["run", *argv]
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except ExperimentFileError as exc:
        print(str(exc), file=sys.stderr)
        print("nothing was run or written.", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        _err(f"refused: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        _err(f"{exc.strerror or exc}{where}; finished runs are kept, rerun to continue.")
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nstopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ImportError as exc:
        _err(f"cannot import the model package 'sim': {exc}")
        return EXIT_FAILED
