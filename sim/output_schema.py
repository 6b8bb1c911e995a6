"""The output schema: every column of every table a run produces, declared once.

``sim/outputs.yaml`` declares, for each column, its Dutch and English label, unit, kind
(key, stock, flow, rate, money, flag, attribute), dtype, description, the table it belongs
to and, for a lever's columns, the switch that makes it exist. This module loads and
validates that file; ``docs/OUTPUTS.md`` is generated from it (``python -m
sim.output_reference``) and the experiments, the report and the workshop page read labels
and units from it. ``tests/test_output_schema.py`` checks the declaration against what runs
produce.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sim.registry import load_registry

#: dtypes a column may declare (pandas names; ``string`` is text)
DTYPES = ("int64", "int8", "float64", "string")
#: dtype of a column that does not declare one, by kind
DEFAULT_DTYPE = {"stock": "int64", "flow": "int64", "flag": "int64", "rate": "float64"}
DEFAULT_DTYPE["money"] = "float64"
ORIGINS = ("model", "analysis")
LANGS = ("nl", "en")
REQUIRED = ("label", "unit", "kind", "description")


class OutputSchemaError(ValueError):
    """A malformed declaration in ``sim/outputs.yaml`` (names the table, column and field)."""


@dataclass(frozen=True)
class Column:
    """One declared output column.

    Attributes:
        table: The table it belongs to (``monthly``, ``sectors``, ...).
        name: Column name.
        label: ``{"nl": ..., "en": ...}``.
        unit: Key of the schema's units (``persons``, ``vacancies``, ``euro``, ``share``...).
        kind: Key of the schema's kinds (``key``, ``stock``, ``flow``, ``rate``, ``money``...).
        dtype: One of :data:`DTYPES`.
        description: What it counts, in English.
        short: Shorter ``{"nl", "en"}`` label for narrow places (or None).
        when: Bool parameters of which at least one must be true for the column to exist
            (a lever's switch); empty for a column every run has.
        origin: ``model`` (made by ``sim``) or ``analysis`` (added by the experiments' tables).
    """

    table: str
    name: str
    label: dict[str, str]
    unit: str
    kind: str
    dtype: str
    description: str
    short: dict[str, str] | None = None
    when: tuple[str, ...] = ()
    origin: str = "model"

    def text(self, lang: str = "nl") -> str:
        """The label in ``lang``."""
        return self.label[lang]

    def short_text(self, lang: str = "nl") -> str:
        """The short label in ``lang`` (the label when there is none)."""
        return (self.short or self.label)[lang]


@dataclass(frozen=True)
class Table:
    """One declared table.

    Attributes:
        name: Table name (the key of ``SimulationResult.to_frames()``).
        title: ``{"nl", "en"}``.
        rows: What one row is, in words.
        batch: Whether batch runs keep it.
    """

    name: str
    title: dict[str, str]
    rows: str
    batch: bool


class OutputSchema:
    """The loaded, validated output schema.

    Attributes:
        units: Unit key -> ``{"nl", "en"}`` label.
        kinds: Kind key -> meaning in words.
        tables: Table name -> :class:`Table`, in declared order.
        levers: Lever name -> ``{"nl", "en"}`` label (for the common lever columns).
    """

    def __init__(self, data: Mapping[str, Any], bool_parameters: set[str]) -> None:
        self.units: dict[str, dict[str, str]] = {
            k: _labels(v, f"units.{k}") for k, v in _mapping(data, "units").items()
        }
        self.kinds: dict[str, str] = {str(k): str(v) for k, v in _mapping(data, "kinds").items()}
        self.tables: dict[str, Table] = {
            name: Table(
                name,
                _labels(t.get("title"), f"tables.{name}.title"),
                str(t.get("rows", "")),
                bool(t.get("batch", True)),
            )
            for name, t in _mapping(data, "tables").items()
        }
        self.levers: dict[str, dict[str, str]] = {
            k: _labels(v, f"levers.{k}") for k, v in _mapping(data, "levers").items()
        }
        self._bool_parameters = bool_parameters
        self._columns: dict[str, dict[str, Column]] = {}
        declared = _mapping(data, "columns")
        unknown = set(declared) - set(self.tables)
        if unknown:
            raise OutputSchemaError(
                f"outputs.yaml: columns of undeclared tables {sorted(unknown)}; "
                f"declared tables: {', '.join(self.tables)}"
            )
        templates = _mapping(data, "lever_columns")
        for table in self.tables:
            records = dict(declared.get(table) or {})
            cols = [self._column(table, n, r) for n, r in records.items()]
            if table == "monthly":
                cols = self._with_lever_columns(cols, templates)
            by_name: dict[str, Column] = {}
            for c in cols:
                if c.name in by_name:
                    raise OutputSchemaError(f"outputs.yaml: {table}.{c.name} is declared twice")
                by_name[c.name] = c
            self._columns[table] = by_name

    # -- building -------------------------------------------------------------------
    def _column(self, table: str, name: str, rec: Mapping[str, Any]) -> Column:
        where = f"outputs.yaml: column {table}.{name}"
        if not isinstance(rec, Mapping):
            raise OutputSchemaError(f"{where}: a mapping of fields is needed")
        missing = [f for f in REQUIRED if f not in rec]
        if missing:
            raise OutputSchemaError(f"{where} lacks {missing}")
        unit, kind = str(rec["unit"]), str(rec["kind"])
        if unit not in self.units:
            raise OutputSchemaError(f"{where}: unit {unit!r}; allowed: {', '.join(self.units)}")
        if kind not in self.kinds:
            raise OutputSchemaError(f"{where}: kind {kind!r}; allowed: {', '.join(self.kinds)}")
        dtype = str(rec.get("dtype") or DEFAULT_DTYPE.get(kind, ""))
        if dtype not in DTYPES:
            raise OutputSchemaError(
                f"{where}: dtype {dtype or '(none)'!r}; allowed: {', '.join(DTYPES)} "
                f"(kind {kind!r} has no default)"
            )
        when = rec.get("when") or ()
        when = (str(when),) if isinstance(when, str) else tuple(str(w) for w in when)
        for switch in when:
            if switch not in self._bool_parameters:
                raise OutputSchemaError(
                    f"{where}: 'when' {switch!r} is not a true/false parameter of the registry"
                )
        origin = str(rec.get("origin", "model"))
        if origin not in ORIGINS:
            raise OutputSchemaError(f"{where}: origin {origin!r}; allowed: {', '.join(ORIGINS)}")
        short = rec.get("short")
        return Column(
            table=table,
            name=name,
            label=_labels(rec["label"], f"{where}: label"),
            unit=unit,
            kind=kind,
            dtype=dtype,
            description=" ".join(str(rec["description"]).split()),
            short=_labels(short, f"{where}: short") if short is not None else None,
            when=when,
            origin=origin,
        )

    def _with_lever_columns(self, cols: list[Column], templates: Mapping[str, Any]) -> list[Column]:
        """The monthly columns in the order a run writes them.

        Columns every run has, then per lever its common columns (``lever_columns``) and
        its own, then the other switched columns (the monitor's), then the analysis'.
        """
        always = [c for c in cols if not c.when and c.origin == "model"]
        switched = [c for c in cols if c.when]
        out = list(always)
        for lever, names in self.levers.items():
            switch = f"{lever}.enabled"
            for pattern, rec in templates.items():
                label = {
                    lang: text.format(lever_label=names[lang])
                    for lang, text in _labels(rec.get("label"), f"lever_columns.{pattern}").items()
                }
                filled = {**rec, "label": label, "when": switch}
                out.append(self._column("monthly", pattern.format(lever=lever), filled))
            out += [c for c in switched if c.when == (switch,)]
        out += [c for c in switched if c not in out]
        out += [c for c in cols if c.origin != "model"]
        return out

    # -- reading --------------------------------------------------------------------
    def columns(self, table: str, *, origin: str | None = "model") -> list[Column]:
        """The declared columns of ``table`` in order (``origin=None``: all origins)."""
        if table not in self._columns:
            raise KeyError(f"no table {table!r} in the output schema; tables: {list(self.tables)}")
        return [c for c in self._columns[table].values() if origin is None or c.origin == origin]

    def names(self, table: str, *, origin: str | None = "model") -> list[str]:
        """Names of :meth:`columns`."""
        return [c.name for c in self.columns(table, origin=origin)]

    def column(self, table: str, name: str) -> Column:
        """One declared column; ``KeyError`` naming the table when it is not declared."""
        try:
            return self._columns[table][name]
        except KeyError:
            raise KeyError(f"column {name!r} is not declared in table {table!r}") from None

    def get(self, table: str, name: str) -> Column | None:
        """One declared column, or None."""
        return self._columns.get(table, {}).get(name)

    def produced(self, table: str, params: Mapping[str, Any]) -> list[str]:
        """The columns a run with parameter values ``params`` writes into ``table``."""
        return [
            c.name
            for c in self.columns(table)
            if not c.when or any(bool(params[switch]) for switch in c.when)
        ]

    def batch_tables(self) -> list[str]:
        """Tables that batch runs keep, in declared order."""
        return [t.name for t in self.tables.values() if t.batch]

    def unit_text(self, unit: str, lang: str = "nl") -> str:
        """The label of a unit in ``lang``."""
        return self.units[unit][lang]

    def __iter__(self) -> Iterator[Column]:
        for cols in self._columns.values():
            yield from cols.values()


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise OutputSchemaError(f"outputs.yaml: '{key}' must be a mapping")
    return value


def _labels(value: Any, where: str) -> dict[str, str]:
    """A ``{nl, en}`` label mapping, checked."""
    if not isinstance(value, Mapping) or any(not value.get(lang) for lang in LANGS):
        raise OutputSchemaError(f"{where}: needs a Dutch and an English text {{nl: ..., en: ...}}")
    return {lang: str(value[lang]) for lang in LANGS}


@cache
def load_output_schema() -> OutputSchema:
    """Load (once) and validate the output schema shipped with the package."""
    text = resources.files("sim").joinpath("outputs.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader) or {}
    bools = {p.name for p in load_registry().parameters.values() if p.type == "bool"}
    return OutputSchema(data, bools)
