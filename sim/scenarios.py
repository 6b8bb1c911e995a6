"""Scenarios: named, shareable sets of parameter overrides.

A scenario file is plain YAML::

    name: opleidingsoffensief
    title: {nl: Opleidingsoffensief, en: Training offensive}
    description: {nl: ..., en: ...}
    parameters:
      training_offensive.enabled: true

Presets are part of the model and live in ``sim/presets/``. A specification may also be a
path to such a file, a dict of overrides, or several presets joined by ``+``
(``alle-hens-aan-dek+derde-golf``), applied left to right. Files are read by
:func:`sim.user_input.load_yaml_file` (safe loader, no aliases or duplicate keys, a size
limit); every problem raises :class:`ScenarioError` naming the file and field, before
anything runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sim.registry import ParameterError, load_registry
from sim.user_input import YamlInputError, key_text, load_yaml_file, short_repr

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ALLOWED_KEYS = {"name", "title", "description", "parameters"}


class ScenarioError(ValueError):
    """A scenario that cannot be loaded: unknown preset, malformed file or bad parameter."""


@dataclass(frozen=True)
class Scenario:
    """A named set of validated parameter overrides."""

    name: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)

    def label(self, lang: str = "nl") -> str:
        """Title in ``lang`` (falls back to English, then the name)."""
        return self.title.get(lang) or self.title.get("en") or self.name

    def to_yaml(self) -> str:
        """The scenario as a shareable YAML file text."""
        data = {
            "name": self.name,
            "title": dict(self.title),
            "description": dict(self.description),
            "parameters": dict(self.overrides),
        }
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _preset_dir() -> Path:
    """The folder of the preset scenario files (package data of ``sim``)."""
    return Path(str(resources.files("sim").joinpath("presets")))


def preset_file(name: str) -> Path:
    """The file of the preset scenario ``name``."""
    return _preset_dir() / f"{name}.yaml"


def scenario_files(spec: str | Path) -> list[Path]:
    """The files a scenario specification reads: a scenario file, or each preset's file."""
    text = str(spec)
    if text.endswith((".yaml", ".yml")) or "/" in text or Path(text).is_file():
        return [Path(text)]
    return [preset_file(p.strip()) for p in text.split("+")]


def list_presets() -> list[str]:
    """Names of the preset scenarios, ``basis`` first."""
    names = sorted(p.stem for p in _preset_dir().glob("*.yaml"))
    return sorted(names, key=lambda n: (n != "basis", n))


def _parse(data: Any, origin: str) -> Scenario:
    if not isinstance(data, Mapping):
        raise ScenarioError(
            f"{origin}: a scenario file must be a mapping with keys "
            f"{sorted(_ALLOWED_KEYS)}, got {type(data).__name__}"
        )
    unknown = [repr(key_text(k)) for k in data if k not in _ALLOWED_KEYS]
    if unknown:
        more = f" (and {len(unknown) - 5} more)" if len(unknown) > 5 else ""
        raise ScenarioError(
            f"{origin}: unknown field(s) {', '.join(unknown[:5])}{more}; "
            f"allowed: {sorted(_ALLOWED_KEYS)}"
        )
    name = data.get("name")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ScenarioError(
            f"{origin}: field 'name' must be a lower-case identifier "
            f"(letters, digits, '-', '_'), got {short_repr(name)}"
        )
    texts = {}
    for key in ("title", "description"):
        val = data.get(key, {})
        if isinstance(val, str):
            val = {"nl": val, "en": val}
        if not isinstance(val, Mapping) or not all(
            k in ("nl", "en") and isinstance(v, str) for k, v in val.items()
        ):
            raise ScenarioError(f"{origin}: field '{key}' must map 'nl' and 'en' to text")
        texts[key] = dict(val)
    params = data.get("parameters") or {}
    if not isinstance(params, Mapping):
        raise ScenarioError(
            f"{origin}: field 'parameters' must be a mapping of parameter "
            f"names to values, got {type(params).__name__}"
        )
    try:
        overrides = load_registry().validate(params)
    except ParameterError as exc:
        raise ScenarioError(f"{origin}: {exc}") from exc
    return Scenario(
        name=name, title=texts["title"], description=texts["description"], overrides=overrides
    )


def read_scenario_file(path: str | Path) -> Scenario:
    """Read and validate one scenario file."""
    path = Path(path)
    try:
        data = load_yaml_file(path)
    except YamlInputError as exc:
        raise ScenarioError(str(exc)) from exc
    return _parse(data, str(path))


def combine(scenarios: list[Scenario]) -> Scenario:
    """Apply scenarios left to right; the name and titles join with '+'."""
    if len(scenarios) == 1:
        return scenarios[0]
    reg = load_registry()
    merged: dict[str, Any] = {}
    for sc in scenarios:
        for k, v in sc.overrides.items():
            par = reg.parameters[k]
            if par.type == "series" and k in merged:
                v = {**merged[k], **v}
            merged[k] = v
    return Scenario(
        name="+".join(s.name for s in scenarios),
        title={lang: " + ".join(s.label(lang) for s in scenarios) for lang in ("nl", "en")},
        description={
            lang: " ".join(s.description.get(lang, "") for s in scenarios).strip()
            for lang in ("nl", "en")
        },
        overrides=merged,
    )


def load_scenario(spec: str | Path | Mapping[str, Any] | Scenario | None) -> Scenario:
    """Turn a scenario specification into a validated :class:`Scenario`.

    Args:
        spec: preset name, ``a+b`` combination of presets, path to a YAML file, a dict of
            parameter overrides, a Scenario, or None for ``basis``.

    Raises:
        ScenarioError: unknown preset, unreadable or malformed file, invalid parameter.
    """
    if spec is None:
        spec = "basis"
    if isinstance(spec, Scenario):
        return spec
    if isinstance(spec, Mapping):
        try:
            return Scenario(
                name="custom",
                title={"nl": "Eigen scenario", "en": "Custom"},
                overrides=load_registry().validate(spec),
            )
        except ParameterError as exc:
            raise ScenarioError(str(exc)) from exc
    text = str(spec)
    if text.endswith((".yaml", ".yml")) or "/" in text or Path(text).is_file():
        return read_scenario_file(text)
    parts = [p.strip() for p in text.split("+")]
    presets = list_presets()
    found = []
    for part in parts:
        if part not in presets:
            raise ScenarioError(
                f"unknown scenario {part!r}; presets: {', '.join(presets)} "
                "(or give a path to a .yaml file)"
            )
        found.append(read_scenario_file(_preset_dir() / f"{part}.yaml"))
    return combine(found)
