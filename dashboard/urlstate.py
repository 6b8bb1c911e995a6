"""The comparison as URL query parameters, so that a link reopens it.

``?a=basis&b=opleidingsoffensief&b.training_offensive.uptake_target=0.5&lang=en&run=1``:
``a`` and ``b`` are presets, ``a.<parameter>`` / ``b.<parameter>`` the levers changed on
top of them, ``lang`` the language, ``run=1`` that the comparison was run (the link runs it
again on opening; with the cache, at once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dashboard.compare import BASIS, ScenarioChoice

#: Scenario B when the link names none (the first other preset if this one is missing).
DEFAULT_B = "opleidingsoffensief"


@dataclass
class PageState:
    """What a link carries.

    Attributes:
        a: Scenario A.
        b: Scenario B.
        lang: ``nl`` or ``en``.
        run: Whether to run the comparison on opening.
        errors: Problems found while reading a link (shown on the page).
    """

    a: ScenarioChoice = field(default_factory=lambda: ScenarioChoice(BASIS))
    b: ScenarioChoice = field(default_factory=lambda: ScenarioChoice(DEFAULT_B))
    lang: str = "nl"
    run: bool = False
    errors: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def encode(state: PageState) -> str:
    """The query string (without ``?``) for a page state."""
    items: list[tuple[str, str]] = [("a", state.a.preset), ("b", state.b.preset)]
    for group, choice in (("a", state.a), ("b", state.b)):
        items += [(f"{group}.{name}", _text(value)) for name, value in choice.edits]
    items.append(("lang", state.lang))
    if state.run:
        items.append(("run", "1"))
    return urlencode(items)


def _parse_value(name: str, text: str) -> Any:
    """Turn the text of a link into a value of the parameter's type (unchecked)."""
    from sim.registry import ParameterError, load_registry

    par = load_registry().parameters.get(name)
    if par is None:
        raise ParameterError(name, text, "a parameter name from the registry", "unknown parameter")
    try:
        if par.type == "bool":
            if text.lower() not in ("true", "false", "1", "0"):
                raise ValueError(text)
            return text.lower() in ("true", "1")
        if par.type == "int":
            return int(float(text))
        if par.type == "float":
            return float(text)
        if par.type == "choice":
            for choice in par.choices or ():
                if str(choice) == text:
                    return choice
            return text
    except ValueError as exc:
        raise ParameterError(name, text, par.allowed(), "not readable") from exc
    raise ParameterError(name, text, "a number, true/false or a choice", "cannot be set by link")


def decode(query: str | None, presets: list[str]) -> PageState:
    """Read a page state from a query string; problems go to ``errors``, not exceptions.

    Args:
        query: The query string (with or without ``?``), or None.
        presets: Known preset names.

    Returns:
        The page state (defaults where the link says nothing or something invalid).
    """
    from sim.registry import ParameterError

    default_b = next((p for p in (DEFAULT_B, *presets) if p in presets and p != BASIS), BASIS)
    state = PageState(b=ScenarioChoice(default_b))
    if not query:
        return state
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    params = dict(pairs)
    if params.get("lang") in ("nl", "en"):
        state.lang = params["lang"]
    state.run = params.get("run") == "1"
    for group in ("a", "b"):
        preset = params.get(group, getattr(state, group).preset)
        if preset not in presets:
            state.errors.append(f"{group}={preset}: unknown preset")
            preset = getattr(state, group).preset
        edits: dict[str, Any] = {}
        for key, text in pairs:
            if key.startswith(group + "."):
                name = key[len(group) + 1 :]
                try:
                    value = _parse_value(name, text)
                    ScenarioChoice.make(preset, {name: value})
                except (ParameterError, ValueError) as exc:
                    state.errors.append(str(exc))
                    continue
                edits[name] = value
        setattr(state, group, ScenarioChoice.make(preset, edits))
    return state
