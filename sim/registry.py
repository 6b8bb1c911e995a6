"""The parameter registry: one record per parameter, read from ``parameters.yaml``.

Every number the model uses is declared here with its Dutch and English label, its unit,
default, allowed range or choices, its kind (policy lever, behavioural assumption,
calibrated value, structural datum, simulation setting) and its source. Scenario files,
the command line, the report and the dashboard all read this registry; the model reads
parameters only through :class:`Params`, which is built by :meth:`Registry.resolve`.

Validation happens before a run starts. Every error is a :class:`ParameterError` that
names the parameter, the value given and what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from sim.user_input import key_text

KINDS = ("policy_lever", "behavioural", "calibrated", "structural", "simulation")
TYPES = ("float", "int", "bool", "choice", "month", "by_sector", "shares", "series")
_MONTH_RE = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
SUM_TOLERANCE = 1e-6
#: largest whole number a parameter may hold (exact in a float64; 2**53)
MAX_INT = 2**53


class ParameterError(ValueError):
    """A parameter override that the registry does not allow.

    Attributes:
        parameter: Full name of the parameter (with ``.key`` for a mapping element).
        value: The value that was given.
        allowed: What would have been accepted, in words.
    """

    def __init__(self, parameter: str, value: Any, allowed: str, problem: str = "") -> None:
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
        why = f" ({problem})" if problem else ""
        super().__init__(
            f"parameter '{key_text(parameter)}': value {_clip(repr(value))} is not allowed{why}; "
            f"allowed: {allowed}"
        )


def _clip(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, so a huge value cannot flood a message."""
    return text if len(text) <= limit else f"{text[: limit - 25]}... ({len(text):,} characters)"


@dataclass(frozen=True)
class SectorDef:
    """One sector of the model economy, as declared at the top of the registry."""

    id: str
    label: dict[str, str]
    shortage: bool = False
    nace: str = ""


@dataclass(frozen=True)
class Parameter:
    """One record of the registry.

    Attributes:
        name: Dotted name, e.g. ``matching.applications_per_searcher``.
        type: One of :data:`TYPES`.
        label: ``{"nl": ..., "en": ...}``.
        description: ``{"nl": ..., "en": ...}`` (Dutch may be missing: English is shown).
        unit: Unit in words (``share per month``, ``persons``, ``EUR``...).
        default: Default value (for mappings: a dict).
        range: ``(lo, hi)`` inclusive bounds for numbers (each element of a mapping), or None.
        choices: Allowed values for ``choice`` parameters.
        keys: Allowed keys for ``shares`` parameters.
        kind: One of :data:`KINDS`.
        source: ``{"document": ..., "where": ..., "note": ...}``.
        sum_to_one: For mappings, whether the values must sum to one.
    """

    name: str
    type: str
    label: dict[str, str]
    description: dict[str, str]
    unit: str
    default: Any
    kind: str
    source: dict[str, str]
    range: tuple[float, float] | None = None
    choices: tuple[Any, ...] | None = None
    keys: tuple[str, ...] | None = None
    sum_to_one: bool = False
    group: str = field(default="")

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages and the reference."""
        if self.type == "bool":
            return "true or false"
        if self.type == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices or ())
        if self.type == "month":
            return (
                f"a month 'YYYY-MM' between {self.range[0]} and {self.range[1]}"
                if self.range
                else "a month 'YYYY-MM'"
            )
        rng = f"[{_fmt(self.range[0])}, {_fmt(self.range[1])}]" if self.range else "any number"
        if self.type in ("float", "int"):
            return f"{'a whole number' if self.type == 'int' else 'a number'} in {rng}"
        if self.type == "series":
            return f"a mapping of months 'YYYY-MM' to numbers in {rng}"
        what = "sectors" if self.type == "by_sector" else "keys"
        total = ", summing to 1" if self.sum_to_one else ""
        return f"a mapping of {what} to numbers in {rng}{total}"

    def text(self, lang: str = "nl") -> tuple[str, str]:
        """Return (label, description) in ``lang``, falling back to English."""
        return (
            self.label.get(lang) or self.label["en"],
            self.description.get(lang) or self.description.get("en", ""),
        )


def as_real_number(value: Any) -> int | float | None:
    """A Python or numpy real scalar as a Python int or float; None for anything else.

    Accepts what SALib samples, EMA workbench parameters and pandas columns hand over
    (``np.int64``, ``np.float32``, ...). Booleans are not numbers here: ``True`` for a
    number is almost always a mistake in a parameter file.
    """
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    return None


def _fmt(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


class Params(Mapping[str, Any]):
    """Resolved, validated parameter values for one run (read-only).

    ``by_sector`` parameters are returned as numpy arrays in sector order; everything
    else as plain Python values. ``params["matching.applications_per_searcher"]``.
    """

    def __init__(self, values: dict[str, Any], registry: Registry) -> None:
        self._values = values
        self._registry = registry
        # what __getitem__ returns, built once: the model reads parameters in its hot path
        self._lookup: dict[str, Any] = {}
        for name, value in values.items():
            par = registry.parameters.get(name)
            if par is not None and par.type == "by_sector":
                arr = np.array([value[s] for s in registry.sector_ids], dtype=np.float64)
                arr.setflags(write=False)
                value = arr
            self._lookup[name] = value

    @property
    def registry(self) -> Registry:
        """The registry these values were validated against."""
        return self._registry

    def __getitem__(self, name: str) -> Any:
        return self._lookup[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-friendly copy of all values."""
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in self._values.items()}


class Registry:
    """All parameters and sectors of the model, loaded from ``parameters.yaml``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.sectors: list[SectorDef] = [
            SectorDef(
                id=sid,
                label=dict(s["label"]),
                shortage=bool(s.get("shortage", False)),
                nace=str(s.get("nace", "")),
            )
            for sid, s in data["sectors"].items()
        ]
        self.sector_ids: list[str] = [s.id for s in self.sectors]
        #: short name -> full public reference of the documents sources cite (``SRC``)
        self.documents: dict[str, str] = dict(data.get("documents") or {})
        self.parameters: dict[str, Parameter] = {}
        for name, rec in data["parameters"].items():
            self.parameters[name] = self._record(name, rec)
        for par in self.parameters.values():  # defaults must pass their own validation
            self.check(par.name, par.default)

    def _cite(self, source: dict[str, Any]) -> dict[str, str]:
        """The source with a document's short name (``SRC``) replaced by its full reference."""
        out = dict(source)
        doc = str(out.get("document", ""))
        out["document"] = self.documents.get(doc, doc)
        return out

    def _record(self, name: str, rec: dict[str, Any]) -> Parameter:
        missing = {"type", "label", "description", "unit", "default", "kind", "source"} - set(rec)
        if missing:
            raise ValueError(f"registry entry '{name}' lacks {sorted(missing)}")
        if rec["type"] not in TYPES or rec["kind"] not in KINDS:
            raise ValueError(f"registry entry '{name}': bad type or kind")
        desc = rec["description"]
        desc = {"en": desc} if isinstance(desc, str) else dict(desc)
        rng = rec.get("range")
        return Parameter(
            name=name,
            type=rec["type"],
            label=dict(rec["label"]),
            description=desc,
            unit=str(rec["unit"]),
            default=rec["default"],
            kind=rec["kind"],
            source=self._cite(rec["source"]),
            range=tuple(rng) if rng is not None else None,
            choices=tuple(rec["choices"]) if "choices" in rec else None,
            keys=tuple(rec["keys"]) if "keys" in rec else None,
            sum_to_one=bool(rec.get("sum_to_one", False)),
            group=name.split(".")[0],
        )

    # -- validation -------------------------------------------------------------------
    def check(self, name: str, value: Any) -> Any:
        """Validate one value for parameter ``name`` and return it normalised.

        Raises:
            ParameterError: unknown name, wrong type, out of range, bad keys, bad sum.
        """
        par = self.parameters.get(name)
        if par is None:
            close = [p for p in self.parameters if p.split(".")[-1] == name.split(".")[-1]]
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ParameterError(
                name,
                value,
                hint + "a parameter name from the registry (see `python run_experiment.py list`)",
                "unknown parameter",
            )
        t = par.type
        if t == "bool":
            if not isinstance(value, bool | np.bool_):
                raise ParameterError(name, value, par.allowed(), "not true/false")
            return bool(value)
        if t == "choice":
            if value not in (par.choices or ()):
                raise ParameterError(name, value, par.allowed())
            return value
        if t == "month":
            if not isinstance(value, str) or not _MONTH_RE.match(value):
                raise ParameterError(name, value, par.allowed(), "not a month 'YYYY-MM'")
            if par.range and not (par.range[0] <= value <= par.range[1]):
                raise ParameterError(name, value, par.allowed(), "out of range")
            return value
        if t in ("float", "int"):
            return self._number(name, par, value)
        # mappings
        if not isinstance(value, Mapping):
            raise ParameterError(name, value, par.allowed(), "not a mapping")
        out: dict[str, float] = {}
        for key, v in value.items():
            key = str(key)
            if t == "by_sector" and key not in self.sector_ids:
                raise ParameterError(
                    f"{name}.{key}", v, "sectors " + ", ".join(self.sector_ids), "unknown sector"
                )
            if t == "shares" and key not in (par.keys or ()):
                raise ParameterError(
                    f"{name}.{key}", v, "keys " + ", ".join(par.keys or ()), "unknown key"
                )
            if t == "series" and not _MONTH_RE.match(key):
                raise ParameterError(f"{name}.{key}", v, par.allowed(), "key is not 'YYYY-MM'")
            out[key] = self._number(f"{name}.{key}", par, v, as_float=True)
        return out

    def _number(self, label: str, par: Parameter, value: Any, as_float: bool = False) -> Any:
        number = as_real_number(value)
        if number is None:
            raise ParameterError(label, value, par.allowed(), "not a number")
        if par.type == "int" and not as_float:
            if isinstance(number, float):
                if not math.isfinite(number):
                    raise ParameterError(label, value, par.allowed(), "not finite")
                if not number.is_integer():
                    raise ParameterError(
                        label,
                        value,
                        par.allowed(),
                        f"not a whole number; round it, e.g. to {round(number)}",
                    )
            if abs(number) > MAX_INT:
                raise ParameterError(label, value, par.allowed(), "too large")
            number = int(number)
        else:
            try:
                number = float(number)
            except OverflowError:
                raise ParameterError(label, value, par.allowed(), "too large") from None
        if not math.isfinite(number):
            raise ParameterError(label, value, par.allowed(), "not finite")
        if par.range is not None and not (par.range[0] <= number <= par.range[1]):
            raise ParameterError(label, value, par.allowed(), "out of range")
        return number

    def validate(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Validate a dict of overrides and return it normalised (mappings merged).

        Mapping parameters accept a partial mapping (only the sectors or months to change),
        except those whose values must sum to one: these need every key.

        Raises:
            ParameterError: for the first invalid entry.
        """
        if not isinstance(overrides, Mapping):
            raise ParameterError(
                "<overrides>", overrides, "a mapping of parameter names to values", "not a mapping"
            )
        out: dict[str, Any] = {}
        for name, value in overrides.items():
            value = self.check(str(name), value)
            par = self.parameters[str(name)]
            if par.type in ("by_sector", "shares"):
                if par.sum_to_one:
                    keys = self.sector_ids if par.type == "by_sector" else list(par.keys or ())
                    missing = [k for k in keys if k not in value]
                    if missing:
                        raise ParameterError(
                            name,
                            value,
                            par.allowed(),
                            "shares must list every key; missing " + ", ".join(missing),
                        )
                    total = sum(value.values())
                    if abs(total - 1.0) > SUM_TOLERANCE:
                        raise ParameterError(
                            name, value, par.allowed(), f"shares sum to {total:.6g}, not 1"
                        )
                value = {**par.default, **value}
            elif par.type == "series":
                value = {**value}
            out[str(name)] = value
        return out

    def resolve(self, *override_sets: Mapping[str, Any]) -> Params:
        """Defaults updated by each override set in turn, validated, as :class:`Params`."""
        values = {
            name: (dict(p.default) if isinstance(p.default, dict) else p.default)
            for name, p in self.parameters.items()
        }
        for overrides in override_sets:
            values.update(self.validate(overrides))
        return Params(values, self)

    def defaults(self) -> Params:
        """Parameters at their registry defaults."""
        return self.resolve()

    def by_kind(self, kind: str) -> list[Parameter]:
        """Parameters of one kind, in registry order."""
        return [p for p in self.parameters.values() if p.kind == kind]

    def sector_label(self, sector_id: str, lang: str = "nl") -> str:
        """Label of a sector in ``lang``."""
        for s in self.sectors:
            if s.id == sector_id:
                return s.label.get(lang) or s.label["en"]
        raise KeyError(sector_id)


#: the C implementation of the safe loader when PyYAML has it (about 8x faster)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: registry files, in order: the model's parameters, then the policy levers'.
REGISTRY_FILES = ("parameters.yaml", "policies.yaml")

#: fitted values of ``calibrated`` parameters, written by ``run_experiment.py calibrate
#: FILE --install``; they replace the defaults of parameters.yaml (docs/CALIBRATION.md)
CALIBRATED_FILE = "calibrated.yaml"


def split_target(name: str, parameters: Mapping[str, Any]) -> tuple[str, str | None]:
    """Split ``name`` into a parameter and, for one element of a mapping, its key.

    ``flows.separation_rate`` -> (``flows.separation_rate``, None);
    ``shock.first_wave_sensitivity.horeca`` -> (``shock.first_wave_sensitivity``,
    ``horeca``).

    Raises:
        ParameterError: when neither ``name`` nor its prefix is a parameter.
    """
    if name in parameters:
        return name, None
    base, _, key = name.rpartition(".")
    if base in parameters:
        return base, key
    raise ParameterError(name, None, "a parameter name, or NAME.KEY for one element of a mapping")


def _fit_name(prov: Mapping[str, Any]) -> str:
    """The calibration's name (older fitted sets give only the file name)."""
    name = prov.get("name") or str(prov.get("calibration_file", "?")).rsplit("/", 1)[-1]
    return str(name).removesuffix(".yaml").removesuffix(".yml")


def apply_calibrated(data: dict[str, Any], fitted: Mapping[str, Any]) -> None:
    """Write fitted values into the raw registry records as their defaults.

    Args:
        data: The merged registry data (``parameters`` records, before validation).
        fitted: The content of ``calibrated.yaml``: ``values`` (name or NAME.KEY ->
            value) and ``provenance`` (date, objective, files and seeds of the fit).

    Raises:
        ParameterError: for a name that is not a parameter of kind ``calibrated``.
    """
    values = fitted.get("values") or {}
    prov = fitted.get("provenance") or {}
    note = (
        f"fitted by simulated method of moments (calibration '{_fit_name(prov)}', "
        f"{str(prov.get('date', '?'))[:10]}, objective {prov.get('objective', '?')})"
    )
    records = data["parameters"]
    for name, value in values.items():
        base, key = split_target(str(name), records)
        rec = records[base]
        if rec.get("kind") != "calibrated":
            raise ParameterError(
                str(name), value, "only parameters of kind 'calibrated'", CALIBRATED_FILE
            )
        rec = records[base] = dict(rec)
        if key is None:
            rec["default"] = value
        else:
            rec["default"] = {**rec["default"], key: value}
        source = dict(rec.get("source") or {})
        if note not in str(source.get("note", "")):
            source["note"] = "; ".join(p for p in (str(source.get("note") or ""), note) if p)
        rec["source"] = source


@cache
def load_registry() -> Registry:
    """Load (once) the registry shipped with the package (all REGISTRY_FILES).

    The defaults of ``calibrated`` parameters come from ``sim/calibrated.yaml`` where it
    lists them (the last calibration's fitted values), else from ``parameters.yaml``.
    """
    data: dict[str, Any] = {"documents": {}, "sectors": {}, "parameters": {}}
    for fname in REGISTRY_FILES:
        res = resources.files("sim").joinpath(fname)
        if not res.is_file():
            continue
        part = yaml.load(res.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        data["documents"].update(part.get("documents") or {})
        data["sectors"].update(part.get("sectors") or {})
        for name, rec in (part.get("parameters") or {}).items():
            if name in data["parameters"]:
                raise ValueError(f"parameter '{name}' is declared twice ({fname})")
            data["parameters"][name] = rec
    fitted = resources.files("sim").joinpath(CALIBRATED_FILE)
    if fitted.is_file():
        apply_calibrated(data, yaml.load(fitted.read_text(encoding="utf-8"), Loader=_LOADER) or {})
    return Registry(data)
