"""Experiment files: reading, validating against the registry, and the normalised spec.

An experiment file is YAML, read by the model's shared reader of user files (safe loader,
no aliases, no duplicate keys, a size limit: ``sim/user_input.py``). Its fields are
documented in ``docs/EXPERIMENTS.md``; a short example::

    name: ahad
    scenarios: [basis, opleidingsoffensief, werknemersdelen, alle-hens-aan-dek]
    replications: 10
    root_seed: 20210107
    horizons: [2021-12, 2024-12]

Every problem is reported as an :class:`ExperimentError` naming the field, the value and
what is allowed; :func:`load_experiment` collects all of them and raises
:class:`ExperimentFileError`. Nothing is written while reading a file.

The checks are small named functions rather than a pydantic model: a prototype (pydantic
2.14, strict, ``extra="forbid"``) caught 9 of the 20 bad files of
``tests/test_experiments_spec.py``; the other 11 ask the model (unknown preset or parameter,
registry ranges, scenario files, the simulated period, the reference) and would be
validators holding this same code, and its own messages ("String should match pattern"
with the regular expression for a month, "Input should be a valid tuple" for a YAML list)
needed a translation layer to stay as plain as these.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.model_api import ModelAPI, YamlInputError, key_text, load_yaml_file, short_repr

TOP_LEVEL_KEYS = (
    "name",
    "title",
    "description",
    "scenarios",
    "reference",
    "replications",
    "root_seed",
    "horizon",
    "parameters",
    "outcomes",
    "horizons",
    "analysis",
    "sweep",
    "sample",
    "retries",
)
SCENARIO_KEYS = ("name", "base", "file", "overrides", "title", "description")
ANALYSIS_KEYS = ("interval", "confidence", "band", "bootstrap_samples", "precision")
SAMPLE_KEYS = ("method", "n", "parameters", "seed", "second_order", "levels")
SAMPLE_METHODS = ("sobol", "morris", "lhs")
INTERVALS = ("t", "bootstrap")
AGGREGATIONS = ("level", "cumulative", "mean")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,79}$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_RUNS = 1_000_000
MAX_PROBLEMS = 30
MAX_SUGGESTIONS = 10
SCENARIO_SUFFIXES = (".yaml", ".yml")
DEFAULT_WINDOW = ("2020-01", "2025-12")


class ExperimentError(ValueError):
    """One problem in an experiment file.

    Attributes:
        field: Dotted path of the offending field, e.g. ``scenarios[2].overrides``.
        message: What is wrong.
        value: The offending value (or ``None``).
        allowed: What would be accepted (text), or ``None``.
    """

    def __init__(self, field: str, message: str, value: Any = None, allowed: Any = None):
        self.field = field
        self.message = message
        self.value = value
        self.allowed = allowed
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        scalar = isinstance(self.value, str | int | float | bool)
        shown = short_repr(self.value)
        if scalar and shown not in text and str(self.value) not in text:
            text += f" Got: {shown}."
        if self.allowed is not None and "allowed:" not in self.message.lower():
            text += f" Allowed: {format_allowed(self.allowed)}."
        return text


class ExperimentFileError(ValueError):
    """All problems found in one experiment file.

    Attributes:
        path: The file.
        errors: The problems, in the order found.
    """

    def __init__(self, path: str | Path, errors: list[ExperimentError]):
        self.path = str(path)
        self.errors = errors
        super().__init__(str(self))

    def __str__(self) -> str:
        dropped = getattr(self.errors, "dropped", 0)
        total = len(self.errors) + dropped
        lines = [f"{self.path}: {total} problem(s) in the experiment file"]
        lines += [f"  - {e}" for e in self.errors]
        if dropped:
            lines.append(f"  ... and {dropped} more (fix the ones above first)")
        return "\n".join(lines)


class Problems(list):
    """The problems found in one file, kept short.

    The first :data:`MAX_PROBLEMS` are kept and the rest counted; spelling suggestions are
    offered for the first :data:`MAX_SUGGESTIONS` unknown names only (a file of a million
    misspelt names must not take minutes).
    """

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0
        self.suggestions_left = MAX_SUGGESTIONS

    def append(self, problem: ExperimentError) -> None:  # type: ignore[override]
        """Keep the problem, or count it when :data:`MAX_PROBLEMS` are kept already."""
        if len(self) < MAX_PROBLEMS:
            super().append(problem)
        else:
            self.dropped += 1

    def suggest(self, name: object, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
        """Up to ``n`` of ``choices`` close to ``name`` while the budget lasts."""
        if self.suggestions_left <= 0 or len(str(name)) > 200:
            return []
        self.suggestions_left -= 1
        return difflib.get_close_matches(str(name), list(choices), n=n)


def _suggest(errors: list[ExperimentError], name: object, choices: Any, n: int = 3) -> list[str]:
    if isinstance(errors, Problems):
        return errors.suggest(name, choices, n)
    return difflib.get_close_matches(str(name), list(choices), n=n)


def _key(key: object) -> str:
    """A mapping key for a field path (never a line of a file that is not YAML of ours)."""
    return key_text(key)


def _did_you_mean(name: object, api: ModelAPI, errors: list[ExperimentError]) -> str:
    """' Did you mean ...?' with up to three registry names close to ``name``, or ''."""
    close = _suggest(errors, name, list(api.parameters))
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def format_allowed(allowed: Any, limit: int = 12) -> str:
    """Render an 'allowed values' hint compactly.

    Args:
        allowed: A list/tuple of values, a (lo, hi) range given as a dict, or text.
        limit: Most list items to show.

    Returns:
        The hint as text.
    """
    if isinstance(allowed, str):
        return allowed
    if isinstance(allowed, Mapping) and {"min", "max"} <= set(allowed):
        return f"from {allowed['min']} to {allowed['max']}"
    if isinstance(allowed, list | tuple | set | frozenset):
        items = [str(a) for a in allowed]
        if len(items) > limit:
            return ", ".join(items[:limit]) + f", ... ({len(items)} in all)"
        return ", ".join(items)
    return str(allowed)


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario of an experiment.

    Attributes:
        name: Short name used in run ids, tables and figures.
        source: What ``simulate`` receives as ``scenario``: a preset expression (``"a"``,
            ``"a+b"``) or an absolute path to a scenario file.
        kind: ``"preset"``, ``"file"`` or ``"inline"``.
        overrides: Overrides given inline in the experiment file (applied after the source).
        resolved: The scenario's own overrides as loaded by the model once, when the
            experiment was read; every run of the scenario uses these (a file edited during
            a batch is never read again).
        files: SHA-256 of each file the source was read from (scenario file or presets), so
            that a file changed since is found and named.
        title: ``{nl, en}`` title.
        description: ``{nl, en}`` description.
    """

    name: str
    source: str
    kind: str
    overrides: dict[str, Any] = field(default_factory=dict)
    resolved: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomeSpec:
    """An outcome of interest: a monthly column and how to read it at a horizon.

    Attributes:
        name: Column of the monthly table.
        aggregation: ``level`` (value in the horizon month), ``cumulative`` (sum from the
            first month up to the horizon) or ``mean`` (average up to the horizon).
    """

    name: str
    aggregation: str = "level"


@dataclass(frozen=True)
class AnalysisSpec:
    """Analysis options.

    Attributes:
        interval: ``t`` (t-interval of paired differences) or ``bootstrap``.
        confidence: Confidence level of intervals.
        band: Central share of replications shown as the band in figures.
        bootstrap_samples: Resamples for the bootstrap interval.
        precision: Wanted half-width of the 95% interval per outcome (persons or the
            outcome's unit), for the replication advice. Missing outcomes use 10% of the
            absolute mean difference.
    """

    interval: str = "t"
    confidence: float = 0.95
    band: float = 0.8
    bootstrap_samples: int = 2000
    precision: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SampleSpec:
    """A sample design over parameter ranges (through SALib).

    Attributes:
        method: ``sobol``, ``morris`` or ``lhs``.
        n: Base sample size (Sobol: a power of two; Morris: trajectories; LHS: points).
        parameters: Parameter name -> (low, high).
        seed: Seed of the sample design.
        second_order: Sobol second-order indices.
        levels: Morris grid levels.
        integers: Parameters whose sampled values are rounded (integer parameters).
    """

    method: str
    n: int
    parameters: dict[str, tuple[float, float]]
    seed: int = 0
    second_order: bool = False
    levels: int = 4
    integers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExperimentSpec:
    """A validated experiment.

    Attributes:
        name: Folder name under ``results/``.
        title: ``{nl, en}`` title.
        description: ``{nl, en}`` description.
        scenarios: The scenarios, reference first when not stated otherwise.
        reference: Name of the reference scenario for paired differences.
        replications: Replications per scenario (and per design point).
        root_seed: Root seed of all runs.
        horizon: ``(start, end)`` months or ``None`` for the model's default.
        parameters: Overrides applied to every run.
        outcomes: Outcomes of interest (empty: the report's default key indicators).
        horizons: Months at which differences are reported.
        analysis: Analysis options.
        sweep: Grid sweep: parameter -> values, or ``None``.
        sample: Sample design, or ``None``.
        retries: Retries of a run that raises before it is recorded as failed.
        path: The experiment file.
        file_sha256: SHA-256 of the file's bytes.
        raw: The file's content as read.
    """

    name: str
    title: dict[str, str]
    description: dict[str, str]
    scenarios: tuple[ScenarioSpec, ...]
    reference: str
    replications: int
    root_seed: int
    horizon: tuple[str, str] | None
    parameters: dict[str, Any]
    outcomes: tuple[OutcomeSpec, ...]
    horizons: tuple[str, ...]
    analysis: AnalysisSpec
    sweep: dict[str, list[Any]] | None
    sample: SampleSpec | None
    retries: int
    path: str
    file_sha256: str
    raw: dict[str, Any]

    def scenario(self, name: str) -> ScenarioSpec:
        """The scenario called ``name``."""
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(name)


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def changed_scenario_files(spec: ExperimentSpec) -> list[str]:
    """Scenario files (and preset files) whose content changed since ``spec`` was read."""
    changed = []
    for s in spec.scenarios:
        for path, digest in s.files.items():
            try:
                now = file_sha256(path)
            except OSError:
                now = ""
            if now != digest and path not in changed:
                changed.append(path)
    return changed


def _text(value: Any, errors: list[ExperimentError], where: str) -> dict[str, str]:
    """A title/description: a string (both languages) or a ``{nl, en}`` mapping."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"nl": value, "en": value}
    if isinstance(value, Mapping) and set(value) <= {"nl", "en"} and value:
        out = {k: str(v) for k, v in value.items()}
        out.setdefault("nl", out.get("en", ""))
        out.setdefault("en", out.get("nl", ""))
        return out
    errors.append(
        ExperimentError(
            where, "must be text or a mapping with keys nl and en.", value, ["nl", "en"]
        )
    )
    return {}


def _month(value: Any) -> str | None:
    """Normalise ``YYYY-MM`` (or a YAML date) to ``YYYY-MM``; ``None`` when malformed."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        m = MONTH_RE.match(value.strip())
        if m and 1 <= int(m.group(2)) <= 12:
            return value.strip()
    return None


def _int(value: Any) -> int | None:
    """An integer that is not a bool; ``None`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return int(value)


def _unknown_keys(
    data: Mapping[str, Any], allowed: tuple[str, ...], where: str, errors: list[ExperimentError]
) -> None:
    for key in data:
        if key not in allowed:
            close = _suggest(errors, key, allowed, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            field_name = f"{where}.{_key(key)}" if where else _key(key)
            errors.append(ExperimentError(field_name, f"unknown field.{hint}", None, allowed))


def _parameter_error(
    exc: Exception, where: str, api: ModelAPI, errors: list[ExperimentError]
) -> None:
    """Turn the registry's ParameterError (or any ValueError) into an ExperimentError."""
    name = getattr(exc, "parameter", None)
    allowed = getattr(exc, "allowed", None)
    value = getattr(exc, "value", None)
    field_name = f"{where}.{_key(name)}" if name else where
    if name is not None and name not in api.parameters and not _is_element(name, api):
        hint = _did_you_mean(name, api, errors)
        errors.append(
            ExperimentError(
                field_name,
                f"unknown parameter '{_key(name)}'.{hint} "
                "See `python run_experiment.py list parameters`.",
            )
        )
        return
    if isinstance(allowed, tuple | list) and len(allowed) == 2 and not isinstance(allowed[0], str):
        allowed = {"min": allowed[0], "max": allowed[1]}
    errors.append(ExperimentError(field_name, str(exc), value, allowed))


def _is_element(name: str, api: ModelAPI) -> bool:
    """Whether ``name`` is ``PARAMETER.KEY``: a sector, share or month of a mapping parameter.

    A wrong key there is a wrong key of that parameter (the registry names the keys it
    accepts), not an unknown parameter.
    """
    head, _, key = str(name).rpartition(".")
    return bool(head) and head in api.parameters and bool(key)


def _validate_overrides(
    overrides: Any, where: str, api: ModelAPI, errors: list[ExperimentError]
) -> dict[str, Any]:
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        errors.append(
            ExperimentError(where, "must be a mapping of parameter name to value.", overrides)
        )
        return {}
    out: dict[str, Any] = {}
    for name, value in overrides.items():
        if name not in api.parameters:
            hint = _did_you_mean(name, api, errors)
            errors.append(
                ExperimentError(
                    f"{where}.{_key(name)}",
                    f"unknown parameter '{_key(name)}'.{hint} "
                    "See `python run_experiment.py list parameters`.",
                )
            )
            continue
        try:
            out.update(api.validate({name: value}))
        except (ValueError, TypeError) as exc:
            _parameter_error(exc, where, api, errors)
    return out


def _preset_expression(expr: str, api: ModelAPI) -> list[str]:
    """Parts of ``a+b`` that are not presets."""
    return [p for p in expr.split("+") if p.strip() not in api.presets]


def _load_resolved(
    source: str, where: str, api: ModelAPI, errors: list[ExperimentError]
) -> dict[str, Any] | None:
    try:
        scenario = api.load_scenario(source)
    except (ValueError, OSError, TypeError, KeyError) as exc:
        errors.append(ExperimentError(where, f"cannot load scenario {source!r}: {exc}", source))
        return None
    return dict(getattr(scenario, "overrides", {}) or {})


def _source_files(source: str, api: ModelAPI) -> dict[str, str]:
    """SHA-256 of each file a scenario source reads (taken before the file is parsed)."""
    out = {}
    for f in api.scenario_files(source):
        try:
            out[str(Path(f).resolve())] = file_sha256(f)
        except OSError:
            continue
    return out


def _scenario(
    entry: Any, i: int, base_dir: Path, api: ModelAPI, errors: list[ExperimentError]
) -> ScenarioSpec | None:
    """One entry of ``scenarios``: its source read once, its inline overrides, its name."""
    where = f"scenarios[{i}]"
    entry = _scenario_entry(entry, where, errors)
    if entry is None:
        return None
    n_before = len(errors)
    _unknown_keys(entry, SCENARIO_KEYS, where, errors)
    found = _scenario_source(entry, where, base_dir, api, errors)
    if found is None or len(errors) > n_before:
        return None
    kind, source = found
    files = _source_files(source, api)
    resolved = _load_resolved(source, where, api, errors)
    if resolved is None:
        return None
    overrides = _validate_overrides(entry.get("overrides"), f"{where}.overrides", api, errors)
    if entry.get("overrides"):
        kind = "inline"
    name = _scenario_name(entry.get("name"), kind, source, where, errors)
    if name is None:
        return None
    return ScenarioSpec(
        name=name,
        source=source,
        kind=kind,
        overrides=overrides,
        resolved=resolved,
        files=files,
        title=_text(entry.get("title"), errors, f"{where}.title"),
        description=_text(entry.get("description"), errors, f"{where}.description"),
    )


def _scenario_entry(
    entry: Any, where: str, errors: list[ExperimentError]
) -> Mapping[str, Any] | None:
    """An entry as a mapping: a bare ``x.yaml`` is ``{file: x.yaml}``, a bare name a base."""
    if isinstance(entry, str):
        return {"file": entry} if entry.endswith(SCENARIO_SUFFIXES) else {"base": entry}
    if isinstance(entry, Mapping):
        return entry
    errors.append(
        ExperimentError(
            where,
            "must be a preset name, a scenario file path, or a mapping "
            "with name/base/file/overrides.",
            entry,
        )
    )
    return None


def _scenario_source(
    entry: Mapping[str, Any],
    where: str,
    base_dir: Path,
    api: ModelAPI,
    errors: list[ExperimentError],
) -> tuple[str, str] | None:
    """``(kind, source)``: a scenario file, a preset expression, or ``basis`` for overrides."""
    base, file_ = entry.get("base"), entry.get("file")
    if base is not None and file_ is not None:
        errors.append(ExperimentError(where, "give either 'base' or 'file', not both.", entry))
        return None
    if file_ is not None:
        path = _scenario_file(file_, f"{where}.file", base_dir, errors)
        return ("file", path) if path else None
    if base is not None:
        preset = _preset_base(base, entry, where, api, errors)
        return ("preset", preset) if preset else None
    if "overrides" not in entry:
        errors.append(
            ExperimentError(where, "needs 'base' (a preset), 'file' or 'overrides'.", entry)
        )
        return None
    return "preset", "basis"


def _scenario_file(
    file_: Any, where: str, base_dir: Path, errors: list[ExperimentError]
) -> str | None:
    """The absolute path of a scenario file (``.yaml``/``.yml``, a regular file)."""
    if not isinstance(file_, str):
        errors.append(ExperimentError(where, "must be a path.", file_))
        return None
    if not file_.endswith(SCENARIO_SUFFIXES):
        errors.append(
            ExperimentError(where, "a scenario file's name ends in .yaml or .yml.", file_)
        )
        return None
    path = (base_dir / file_).resolve()
    if not path.is_file():
        problem = "not a regular file" if path.exists() else "scenario file not found"
        errors.append(ExperimentError(where, f"{problem}: {path}", file_))
        return None
    return str(path)


def _preset_base(
    base: Any, entry: Mapping[str, Any], where: str, api: ModelAPI, errors: list[ExperimentError]
) -> str | None:
    """A preset expression (``a`` or ``a+b``) whose every part is a preset."""
    if not isinstance(base, str) or not base.strip():
        errors.append(ExperimentError(f"{where}.base", "must be a preset name.", base, api.presets))
        return None
    missing = _preset_expression(base, api)
    if missing:
        errors.append(
            ExperimentError(
                f"{where}.base" if "name" in entry or "overrides" in entry else where,
                f"unknown preset scenario {short_repr(', '.join(missing))}.",
                base,
                api.presets,
            )
        )
        return None
    return "+".join(p.strip() for p in base.split("+"))


def _scenario_name(
    name: Any, kind: str, source: str, where: str, errors: list[ExperimentError]
) -> str | None:
    """The scenario's name: as given, else the file's stem or the preset expression."""
    if name is None:
        if kind == "inline":
            errors.append(
                ExperimentError(f"{where}.name", "a scenario with overrides needs a name.")
            )
            return None
        name = Path(source).stem if kind == "file" else source
    if not isinstance(name, str) or not NAME_RE.match(name):
        errors.append(
            ExperimentError(
                f"{where}.name",
                "must be 1-80 characters: letters, digits, '_', '-', '.', '+', "
                "starting with a letter or digit.",
                name,
            )
        )
        return None
    return name


def _numeric_range(param: Any) -> tuple[float, float] | None:
    rng = getattr(param, "range", None)
    if rng is None or len(rng) != 2:
        return None
    lo, hi = rng
    if lo is None or hi is None:
        return None
    return float(lo), float(hi)


def _sample(
    data: Any, api: ModelAPI, root_seed: int, errors: list[ExperimentError]
) -> SampleSpec | None:
    """The ``sample`` section: a SALib design over parameter ranges."""
    if not isinstance(data, Mapping):
        errors.append(ExperimentError("sample", "must be a mapping.", data, SAMPLE_KEYS))
        return None
    n_before = len(errors)
    _unknown_keys(data, SAMPLE_KEYS, "sample", errors)
    method = data.get("method")
    if method not in SAMPLE_METHODS:
        errors.append(
            ExperimentError("sample.method", "unknown sample method.", method, SAMPLE_METHODS)
        )
    n = _sample_size(data.get("n"), method, errors)
    seed = _bounded_int(data, "seed", root_seed % 2**32, (0, 2**32 - 1), errors, "sample.")
    levels = data.get("levels", 4)
    if _int(levels) is None or not 2 <= levels <= 1000 or levels % 2:
        errors.append(
            ExperimentError("sample.levels", "must be an even integer from 2 to 1000.", levels)
        )
    second = data.get("second_order", False)
    if not isinstance(second, bool):
        errors.append(ExperimentError("sample.second_order", "must be true or false.", second))
    ranges = _sample_ranges(data.get("parameters"), api, errors)
    if len(errors) > n_before:
        return None
    return SampleSpec(
        method=method,
        n=int(n or 0),
        parameters=ranges,
        seed=seed,
        second_order=bool(second),
        levels=int(levels),
        integers=tuple(p for p in ranges if getattr(api.parameters[p], "type", "") == "int"),
    )


def _sample_size(n: Any, method: Any, errors: list[ExperimentError]) -> int | None:
    """``sample.n``: 2 to :data:`MAX_RUNS`, a power of two for Sobol."""
    if _int(n) is None or not 2 <= n <= MAX_RUNS:
        errors.append(ExperimentError("sample.n", f"must be an integer from 2 to {MAX_RUNS}.", n))
        return None
    if method == "sobol" and n & (n - 1):
        errors.append(
            ExperimentError(
                "sample.n",
                "must be a power of two for Sobol sampling.",
                n,
                [2**k for k in range(1, 13)],
            )
        )
        return None
    return int(n)


def _sample_ranges(
    params: Any, api: ModelAPI, errors: list[ExperimentError]
) -> dict[str, tuple[float, float]]:
    """``sample.parameters``: parameter -> ``[low, high]`` (``null``: the registry's range)."""
    if not isinstance(params, Mapping) or not params:
        errors.append(
            ExperimentError(
                "sample.parameters",
                "must map at least one parameter name to [low, high] (or null for the "
                "registry's range).",
                params,
            )
        )
        return {}
    ranges = {}
    for name, rng in params.items():
        where = f"sample.parameters.{_key(name)}"
        if name not in api.parameters:
            hint = _did_you_mean(name, api, errors)
            errors.append(ExperimentError(where, f"unknown parameter '{_key(name)}'.{hint}"))
            continue
        checked = _sample_range(rng, _numeric_range(api.parameters[name]), where, errors)
        if checked is not None:
            ranges[str(name)] = checked
    return ranges


def _sample_range(
    rng: Any,
    reg_range: tuple[float, float] | None,
    where: str,
    errors: list[ExperimentError],
) -> tuple[float, float] | None:
    """One ``[low, high]`` with low < high, finite, inside the registry's range."""
    if rng is None:
        if reg_range is None:
            errors.append(
                ExperimentError(
                    where,
                    "the registry gives no numeric range for this parameter; state [low, high].",
                )
            )
        return reg_range
    if (
        not isinstance(rng, list | tuple)
        or len(rng) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in rng)
        or not all(abs(v) < 1e300 for v in rng)
        or not rng[0] < rng[1]
    ):
        errors.append(ExperimentError(where, "must be [low, high] with low < high.", rng))
        return None
    if reg_range is not None and (rng[0] < reg_range[0] or rng[1] > reg_range[1]):
        errors.append(
            ExperimentError(
                where,
                f"range {short_repr(list(rng))} lies outside the registry's range.",
                rng,
                {"min": reg_range[0], "max": reg_range[1]},
            )
        )
        return None
    return float(rng[0]), float(rng[1])


def _sweep(data: Any, api: ModelAPI, errors: list[ExperimentError]) -> dict[str, list[Any]] | None:
    if not isinstance(data, Mapping) or not data:
        errors.append(
            ExperimentError("sweep", "must map parameter names to lists of values.", data)
        )
        return None
    out: dict[str, list[Any]] = {}
    for name, values in data.items():
        where = f"sweep.{_key(name)}"
        if name not in api.parameters:
            hint = _did_you_mean(name, api, errors)
            errors.append(ExperimentError(where, f"unknown parameter '{_key(name)}'.{hint}"))
            continue
        if not isinstance(values, list) or not values:
            errors.append(ExperimentError(where, "must be a non-empty list of values.", values))
            continue
        checked = []
        for v in values:
            try:
                checked.append(api.validate({name: v})[name])
            except (ValueError, TypeError) as exc:
                _parameter_error(exc, "sweep", api, errors)
        if len(set(map(repr, checked))) != len(checked):
            errors.append(ExperimentError(where, "values must not repeat.", values))
        out[str(name)] = checked
    return out


def _outcomes(data: Any, api: ModelAPI, errors: list[ExperimentError]) -> tuple[OutcomeSpec, ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or not data:
        errors.append(
            ExperimentError("outcomes", "must be a non-empty list of monthly columns.", data)
        )
        return ()
    out = []
    for i, item in enumerate(data):
        where = f"outcomes[{i}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            errors.append(
                ExperimentError(where, "must be a column name or {name, aggregation}.", item)
            )
            continue
        _unknown_keys(item, ("name", "aggregation"), where, errors)
        name = item["name"]
        if api.outcomes and name not in api.outcomes:
            errors.append(ExperimentError(where, f"unknown outcome '{name}'.", name, api.outcomes))
            continue
        aggregation = item.get("aggregation", _default_aggregation(name, api))
        if aggregation not in AGGREGATIONS:
            errors.append(
                ExperimentError(
                    f"{where}.aggregation", "unknown aggregation.", aggregation, AGGREGATIONS
                )
            )
            continue
        out.append(OutcomeSpec(name, aggregation))
    names = [o.name for o in out]
    if len(set(names)) != len(names):
        errors.append(ExperimentError("outcomes", "an outcome is listed twice.", names))
    return tuple(out)


def _default_aggregation(name: str, api: ModelAPI) -> str:
    """``cumulative`` for a column the output schema declares a flow or money, else ``level``."""
    col = api.outputs.get("monthly", name) if api.outputs is not None else None
    return "cumulative" if col is not None and col.kind in ("flow", "money") else "level"


def _analysis(data: Any, errors: list[ExperimentError]) -> AnalysisSpec:
    if data is None:
        return AnalysisSpec()
    if not isinstance(data, Mapping):
        errors.append(ExperimentError("analysis", "must be a mapping.", data, ANALYSIS_KEYS))
        return AnalysisSpec()
    _unknown_keys(data, ANALYSIS_KEYS, "analysis", errors)
    interval = data.get("interval", "t")
    if interval not in INTERVALS:
        errors.append(
            ExperimentError("analysis.interval", "unknown interval method.", interval, INTERVALS)
        )
    conf = data.get("confidence", 0.95)
    if not isinstance(conf, float) or not 0.5 <= conf < 1:
        errors.append(ExperimentError("analysis.confidence", "must be a number in [0.5, 1).", conf))
    band = data.get("band", 0.8)
    if not isinstance(band, float) or not 0 < band < 1:
        errors.append(ExperimentError("analysis.band", "must be a number in (0, 1).", band))
    boot = data.get("bootstrap_samples", 2000)
    if _int(boot) is None or not 100 <= boot <= 1_000_000:
        errors.append(
            ExperimentError(
                "analysis.bootstrap_samples", "must be an integer from 100 to 1000000.", boot
            )
        )
    precision = data.get("precision", {}) or {}
    if not isinstance(precision, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < 1e300
        for v in precision.values()
    ):
        errors.append(
            ExperimentError(
                "analysis.precision", "must map outcomes to positive half-widths.", precision
            )
        )
        precision = {}
    try:
        return AnalysisSpec(
            interval=str(interval),
            confidence=float(conf),
            band=float(band),
            bootstrap_samples=int(boot),
            precision={str(k): float(v) for k, v in precision.items()},
        )
    except (TypeError, ValueError, OverflowError):
        return AnalysisSpec()


def parse_experiment(
    data: Any,
    api: ModelAPI,
    *,
    path: str | Path = "<inline>",
    sha256: str = "",
    base_dir: str | Path | None = None,
) -> ExperimentSpec:
    """Validate the content of an experiment file.

    Args:
        data: The parsed YAML.
        api: The model (registry, presets, scenario loader).
        path: The file, for messages and relative scenario paths.
        sha256: The file's hash, kept in the spec.
        base_dir: Folder against which scenario file paths are resolved (default: the
            experiment file's folder).

    Returns:
        The validated :class:`ExperimentSpec`.

    Raises:
        ExperimentFileError: With every problem found.
    """
    errors = Problems()
    if not isinstance(data, Mapping):
        errors.append(
            ExperimentError(
                "(top level)", "the file must hold a mapping of fields.", data, TOP_LEVEL_KEYS
            )
        )
        raise ExperimentFileError(path, errors)
    if base_dir is None:
        base_dir = Path(path).resolve().parent if str(path) != "<inline>" else Path.cwd()
    _unknown_keys(data, TOP_LEVEL_KEYS, "", errors)
    name = _name(data.get("name"), errors)
    reps = _bounded_int(data, "replications", 10, (1, 100_000), errors)
    root_seed = _bounded_int(data, "root_seed", 0, (0, 2**63 - 1), errors)
    retries = _bounded_int(data, "retries", 2, (0, 10), errors)
    scenarios = _scenario_list(data.get("scenarios"), Path(base_dir), api, errors)
    reference = _reference(data.get("reference"), scenarios, errors)
    horizon = _horizon(data.get("horizon"), errors)
    common = _common_parameters(data.get("parameters"), horizon, api, errors)
    period = _simulated_period(common, api)
    _check_window(horizon, period, errors)
    horizons = _horizons(data.get("horizons"), horizon, period, errors)
    sweep, sample = _design(data, api, root_seed, errors)
    _check_series_months(common, scenarios, sweep, period, api, errors)
    _check_run_count(sweep, sample, scenarios, reps, errors)
    outcomes = _outcomes(data.get("outcomes"), api, errors)
    analysis = _analysis(data.get("analysis"), errors)
    title = _text(data.get("title"), errors, "title") or {"nl": str(name), "en": str(name)}
    description = _text(data.get("description"), errors, "description")
    if errors or errors.dropped:
        raise ExperimentFileError(path, errors)
    return ExperimentSpec(
        name=str(name),
        title=title,
        description=description,
        scenarios=tuple(scenarios),
        reference=str(reference),
        replications=reps,
        root_seed=root_seed,
        horizon=horizon,
        parameters=common,
        outcomes=outcomes,
        horizons=tuple(horizons),
        analysis=analysis,
        sweep=sweep,
        sample=sample,
        retries=retries,
        path=str(path),
        file_sha256=sha256,
        raw=dict(data),
    )


DEFAULT_HORIZONS = ("2021-12", "2024-12")


def _name(name: Any, errors: list[ExperimentError]) -> str | None:
    """The experiment's name, which is also its results folder's name."""
    if name is None:
        errors.append(ExperimentError("name", "is required (the results folder's name)."))
    elif not isinstance(name, str) or not NAME_RE.match(name) or "+" in name:
        errors.append(
            ExperimentError(
                "name",
                "must be 1-80 characters: letters, digits, '_', '-', '.', starting with a "
                "letter or digit.",
                name,
            )
        )
    return name


def _bounded_int(
    data: Mapping[str, Any],
    key: str,
    default: int,
    bounds: tuple[int, int],
    errors: list[ExperimentError],
    prefix: str = "",
) -> int:
    """An integer field within ``bounds`` (inclusive); the default after an error."""
    value = data.get(key, default)
    lo, hi = bounds
    if _int(value) is not None and lo <= value <= hi:
        return int(value)
    rule = f"an integer from {lo} to {hi}" if hi < 2**62 else f"an integer >= {lo}"
    errors.append(ExperimentError(prefix + key, f"must be {rule}.", value))
    return default


def _scenario_list(
    raw: Any, base_dir: Path, api: ModelAPI, errors: list[ExperimentError]
) -> list[ScenarioSpec]:
    """The ``scenarios`` section: each entry checked, names distinct."""
    if raw is None:
        errors.append(
            ExperimentError(
                "scenarios", "is required: a list of presets, files or mappings.", None, api.presets
            )
        )
        return []
    if not isinstance(raw, list) or not raw:
        errors.append(ExperimentError("scenarios", "must be a non-empty list.", raw))
        return []
    scenarios = [s for i, e in enumerate(raw) if (s := _scenario(e, i, base_dir, api, errors))]
    names = [s.name for s in scenarios]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        errors.append(
            ExperimentError(
                "scenarios",
                f"scenario names repeat: {', '.join(dupes)}; give each a distinct 'name'.",
                dupes,
            )
        )
    return scenarios


def _reference(reference: Any, scenarios: list[ScenarioSpec], errors: list[ExperimentError]) -> str:
    """The reference scenario: as given, else ``basis`` when present, else the first."""
    names = [s.name for s in scenarios]
    if reference is None:
        return "basis" if "basis" in names else (names[0] if names else "")
    if reference not in names:
        errors.append(
            ExperimentError(
                "reference", "must be one of the experiment's scenarios.", reference, names
            )
        )
    return str(reference)


def _horizon(h: Any, errors: list[ExperimentError]) -> tuple[str, str] | None:
    """The ``horizon`` section: the policy window ``(start, end)``, or ``None``."""
    if h is None:
        return None
    if not isinstance(h, Mapping) or set(h) - {"start", "end"} or not h:
        errors.append(
            ExperimentError(
                "horizon", "must be a mapping with start and/or end (YYYY-MM).", h, ["start", "end"]
            )
        )
        return None
    start = _month(h.get("start", DEFAULT_WINDOW[0]))
    end = _month(h.get("end", DEFAULT_WINDOW[1]))
    if start is None or end is None:
        bad = "start" if start is None else "end"
        errors.append(
            ExperimentError(
                f"horizon.{bad}", "months must be written YYYY-MM, e.g. 2024-12.", h.get(bad)
            )
        )
        return None
    if end < start:
        errors.append(ExperimentError("horizon", "end lies before start.", f"{start} > {end}"))
        return None
    return start, end


def _common_parameters(
    raw: Any, horizon: tuple[str, str] | None, api: ModelAPI, errors: list[ExperimentError]
) -> dict[str, Any]:
    """The ``parameters`` section, with ``simulation.end`` set from the horizon's end."""
    common = _validate_overrides(raw, "parameters", api, errors)
    if horizon is None or "simulation.end" not in api.parameters:
        return common
    if "simulation.end" in common and common["simulation.end"] != horizon[1]:
        errors.append(
            ExperimentError(
                "horizon",
                "horizon.end and parameters.simulation.end differ; give only one.",
                horizon[1],
            )
        )
    else:
        common.update(_validate_overrides({"simulation.end": horizon[1]}, "horizon", api, errors))
    return common


def _default(api: ModelAPI, name: str, fallback: str) -> str:
    par = api.parameters.get(name)
    value = getattr(par, "default", None)
    return value if isinstance(value, str) else fallback


def _simulated_period(common: Mapping[str, Any], api: ModelAPI) -> tuple[str, str]:
    """First and last simulated month of every run (the registry's, or as overridden)."""
    start = common.get("simulation.start") or _default(api, "simulation.start", "2019-01")
    end = common.get("simulation.end") or _default(api, "simulation.end", DEFAULT_WINDOW[1])
    return str(start), str(end)


def _check_window(
    horizon: tuple[str, str] | None, period: tuple[str, str], errors: list[ExperimentError]
) -> None:
    """The policy window starts inside the simulated period."""
    if horizon is not None and not period[0] <= horizon[0] <= period[1]:
        errors.append(
            ExperimentError(
                "horizon.start",
                "lies outside the simulated period.",
                horizon[0],
                f"{period[0]} to {period[1]}",
            )
        )


def _horizons(
    raw: Any,
    horizon: tuple[str, str] | None,
    period: tuple[str, str],
    errors: list[ExperimentError],
) -> list[str]:
    """The ``horizons`` list: months inside the policy window and the simulated period.

    Without the field: those of :data:`DEFAULT_HORIZONS` inside the window, else its end.
    """
    lo = horizon[0] if horizon else DEFAULT_WINDOW[0]
    hi = min(horizon[1], period[1]) if horizon else period[1]
    if raw is None:
        return [h for h in DEFAULT_HORIZONS if lo <= h <= hi] or [hi]
    if not isinstance(raw, list) or not raw:
        errors.append(
            ExperimentError("horizons", "must be a non-empty list of months (YYYY-MM).", raw)
        )
        return []
    what = "the horizon" if horizon else "the simulated period"
    out = []
    for i, v in enumerate(raw):
        m = _month(v)
        if m is None:
            errors.append(ExperimentError(f"horizons[{i}]", "must be a month written YYYY-MM.", v))
        elif not lo <= m <= hi:
            errors.append(
                ExperimentError(f"horizons[{i}]", f"lies outside {what}.", m, f"{lo} to {hi}")
            )
        else:
            out.append(m)
    return out


def _design(
    data: Mapping[str, Any], api: ModelAPI, root_seed: int, errors: list[ExperimentError]
) -> tuple[dict[str, list[Any]] | None, SampleSpec | None]:
    """The ``sweep`` or the ``sample`` section (at most one of them)."""
    if data.get("sweep") is not None and data.get("sample") is not None:
        errors.append(
            ExperimentError("sweep", "an experiment has either a sweep or a sample, not both.")
        )
        return None, None
    if data.get("sweep") is not None:
        return _sweep(data["sweep"], api, errors), None
    if data.get("sample") is not None:
        return None, _sample(data["sample"], api, root_seed, errors)
    return None, None


def _check_series_months(
    common: Mapping[str, Any],
    scenarios: list[ScenarioSpec],
    sweep: Mapping[str, list[Any]] | None,
    period: tuple[str, str],
    api: ModelAPI,
    errors: list[ExperimentError],
) -> None:
    """Months of month-series values that the user wrote lie inside the simulated period.

    Checked: the ``parameters`` section, inline scenario overrides, scenario files and sweep
    values (a month outside the simulation would be ignored without a word). The presets
    are the model's own and are not checked here.
    """
    where_values: list[tuple[str, Mapping[str, Any]]] = [("parameters", common)]
    for i, s in enumerate(scenarios):
        where_values.append((f"scenarios[{i}].overrides", s.overrides))
        if s.kind == "file":
            where_values.append((f"scenarios[{i}].file ({Path(s.source).name})", s.resolved))
    for name, values in (sweep or {}).items():
        where_values += [(f"sweep[{j}]", {name: v}) for j, v in enumerate(values)]
    for where, values in where_values:
        for name, value in values.items():
            if getattr(api.parameters.get(name), "type", "") != "series":
                continue
            outside = [m for m in value if not period[0] <= str(m) <= period[1]]
            if outside:
                errors.append(
                    ExperimentError(
                        f"{where}.{name}",
                        f"month(s) {short_repr(', '.join(map(str, outside)))} lie outside "
                        "the simulated period.",
                        None,
                        f"{period[0]} to {period[1]}",
                    )
                )


def _design_points(sweep: Mapping[str, list[Any]] | None, sample: SampleSpec | None) -> int:
    """Design points of a sweep (the grid) or a sample (as SALib draws them)."""
    if sweep:
        return math.prod(len(v) for v in sweep.values())
    if sample is None:
        return 1
    d = len(sample.parameters)
    per_n = {"sobol": 2 * d + 2 if sample.second_order else d + 2, "morris": d + 1, "lhs": 1}
    return sample.n * per_n.get(sample.method, 1)


def _check_run_count(
    sweep: Mapping[str, list[Any]] | None,
    sample: SampleSpec | None,
    scenarios: list[ScenarioSpec],
    reps: int,
    errors: list[ExperimentError],
) -> None:
    """At most :data:`MAX_RUNS` runs."""
    points = _design_points(sweep, sample)
    if points * max(len(scenarios), 1) * reps > MAX_RUNS:
        errors.append(
            ExperimentError("replications", f"the design has more than {MAX_RUNS} runs.", reps)
        )


def load_experiment(
    path: str | Path, api: ModelAPI, base_dir: str | Path | None = None
) -> ExperimentSpec:
    """Read and validate an experiment file.

    Args:
        path: A YAML experiment file.
        api: The model (registry, presets, scenario loader).
        base_dir: Folder for relative scenario file paths (default: the file's folder).

    Returns:
        The validated :class:`ExperimentSpec`.

    Raises:
        ExperimentFileError: When the file is missing, too large, not YAML (or uses aliases
            or repeats a key), or has invalid fields.
    """
    p = Path(path)
    try:
        data = load_yaml_file(p)
    except YamlInputError as exc:
        raise ExperimentFileError(path, [ExperimentError(exc.where, f"{exc.problem}.")]) from None
    return parse_experiment(data, api, path=p, sha256=file_sha256(p), base_dir=base_dir)
