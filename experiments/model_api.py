"""The one place where the experiments package meets the model package ``sim``.

Everything else in ``experiments`` talks to a :class:`ModelAPI`: the parameter registry,
the preset scenarios, the scenario loader, the outcome columns and ``simulate`` itself.
Tests can build a small fake ``ModelAPI``; the real one is :func:`load_model_api`.
See ``docs/API_CONTRACT.md`` for the interface of ``sim``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The model's reader of user files (safe YAML with limits) and its message helper: the
# experiment files are read exactly as the scenario files are.
from sim.user_input import YamlInputError, key_text, load_yaml_file, short_repr

__all__ = [
    "ModelAPI",
    "YamlInputError",
    "key_text",
    "label",
    "load_model_api",
    "load_yaml_file",
    "model_fingerprint",
    "short_repr",
]


@dataclass
class ModelAPI:
    """What the experiments package needs from the model.

    Attributes:
        simulate: ``simulate(scenario=..., seed=..., overrides=...)`` returning an object with
            ``to_frames()``; must be picklable (a module-level function) for process pools.
        parameters: Parameter name -> registry record (attributes ``label``, ``unit``,
            ``default``, ``range``, ``choices``, ``kind``, ``source``, ``type``).
        presets: Names of the preset scenarios.
        validate: Normalises a dict of parameter overrides; raises ``ValueError`` (with
            ``parameter``, ``value`` and ``allowed`` attributes when available).
        load_scenario: Loads a preset name, ``"a+b"`` or a scenario file path into a scenario
            object with ``name``, ``title``, ``description`` and ``overrides``.
        scenario_files: The files a scenario source (preset expression or file path) reads.
        sectors: Sector definitions (``id``, ``label``, ``shortage``).
        outcomes: Monthly columns an experiment may analyse (the schema's, with those the
            analysis adds); empty: not checked.
        outputs: The model's output schema (``sim.output_schema.OutputSchema``: labels,
            units, kinds and dtypes of every column), or None.
        version: The model package's version string.
    """

    simulate: Callable[..., Any]
    parameters: Mapping[str, Any]
    presets: list[str]
    validate: Callable[[dict[str, Any]], dict[str, Any]]
    load_scenario: Callable[[Any], Any]
    scenario_files: Callable[[str], list[Any]] = lambda source: []
    sectors: list[Any] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    outputs: Any = None
    version: str = "unknown"


@functools.cache
def load_model_api() -> ModelAPI:
    """The real model, imported from the ``sim`` package.

    Returns:
        A :class:`ModelAPI` backed by ``sim.simulate``, ``sim.registry`` and ``sim.scenarios``.
    """
    sim = importlib.import_module("sim")
    registry_mod = importlib.import_module("sim.registry")
    scenarios_mod = importlib.import_module("sim.scenarios")
    schema = importlib.import_module("sim.output_schema").load_output_schema()
    reg = registry_mod.load_registry()
    return ModelAPI(
        simulate=sim.simulate,
        parameters=reg.parameters,
        presets=list(scenarios_mod.list_presets()),
        validate=reg.validate,
        load_scenario=scenarios_mod.load_scenario,
        scenario_files=scenarios_mod.scenario_files,
        sectors=list(getattr(reg, "sectors", []) or []),
        outcomes=[c.name for c in schema.columns("monthly", origin=None) if c.kind != "key"],
        outputs=schema,
        version=str(sim.__version__),
    )


def model_fingerprint() -> str:
    """SHA-256 of the model's code and registry (every file of the ``sim`` package).

    Runs made by different model code must not be mixed in one results folder; the git
    commit is too coarse for that (it changes with every edit of the docs).
    """
    root = Path(importlib.import_module("sim").__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".yaml") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def label(record: Any, lang: str, fallback: str = "") -> str:
    """The label of a registry record or a ``{nl, en}`` mapping in ``lang``.

    Args:
        record: A registry record with a ``label`` attribute, a mapping, or a string.
        lang: ``"nl"`` or ``"en"``.
        fallback: Returned when nothing better is found.

    Returns:
        The label text.
    """
    value = getattr(record, "label", record)
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("nl") or value.get("en") or fallback)
    if isinstance(value, str) and value:
        return value
    return fallback
