"""The comparison as URL query parameters, so that a link reopens it.

``?a=basis&b=opleidingsoffensief&b.training_offensive.uptake_target=0.5&ab.matching.hire_probability=0.2&lang=en``:
``a`` and ``b`` are presets; ``a.<name>`` / ``b.<name>`` a policy lever or behavioural
assumption changed in that scenario only; ``ab.<name>`` a behavioural assumption changed
for basis, A and B alike; ``lang`` the language. The page computes the comparison as soon
as it opens (``run=1`` of older links is accepted and means nothing more).

A link can set only what the page can show: levers and assumptions with a single value
(numbers, switches, choices, months). Mappings (per sector, shares, monthly series) do
not travel in a link: they come with the preset, and a link that names one gets a message
that says so. Every problem of a link is listed in one short message
(:func:`describe_problems`); the rest of the link is used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dashboard.compare import BASIS, ScenarioChoice

#: Scenario B when the link names none (the first other preset if this one is missing).
DEFAULT_B = "opleidingsoffensief"
#: Types a link (and the page) can set; mappings come with the preset only.
SCALAR_TYPES = ("float", "int", "bool", "choice", "month")
#: Kinds a link may set, per prefix.
LINK_KINDS = {"a": ("policy_lever", "behavioural"), "b": ("policy_lever", "behavioural")}
SHARED = "ab"
#: Most link problems named in the message (the rest are counted).
SHOWN_PROBLEMS = 3
#: Longest value quoted in a message.
QUOTE = 24


@dataclass(frozen=True)
class LinkProblem:
    """One part of a link that was not used.

    Attributes:
        key: The query key (``b.worker_sharing.capacity``).
        value: The text of the value (truncated).
        reason: ``unknown_preset``, ``unknown``, ``not_by_link``, ``mapping``, ``invalid``.
        allowed: What is allowed, when known: ``(lo, hi, unit)`` or a text.
    """

    key: str
    value: str
    reason: str
    allowed: Any = None


@dataclass
class PageState:
    """What a link carries.

    Attributes:
        a: Scenario A (preset and edits of A only).
        b: Scenario B.
        shared: Behavioural assumptions changed for basis, A and B alike.
        lang: ``nl`` or ``en``.
        problems: Parts of the link that were not used (shown on the page).
    """

    a: ScenarioChoice = field(default_factory=lambda: ScenarioChoice(BASIS))
    b: ScenarioChoice = field(default_factory=lambda: ScenarioChoice(DEFAULT_B))
    shared: dict[str, Any] = field(default_factory=dict)
    lang: str = "nl"
    problems: list[LinkProblem] = field(default_factory=list)


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
    items += [(f"{SHARED}.{name}", _text(v)) for name, v in sorted(state.shared.items())]
    items.append(("lang", state.lang))
    return urlencode(items)


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE else text[: QUOTE - 1] + "…"


def _parse_value(par, text: str) -> Any:
    """Turn the text of a link into a value of the parameter's type (unchecked).

    Raises:
        ValueError: The text is not a value of that type.
    """
    if par.type == "bool":
        if text.lower() not in ("true", "false", "1", "0"):
            raise ValueError(text)
        return text.lower() in ("true", "1")
    if par.type == "int":
        number = float(text)
        if not math.isfinite(number) or not number.is_integer():
            raise ValueError(text)
        return int(number)
    if par.type == "float":
        return float(text)
    if par.type == "choice":
        return next((c for c in par.choices or () if str(c) == text), text)
    return text  # month: checked by the registry


def _allowed(par) -> Any:
    if par.type in ("float", "int") and par.range is not None:
        return (par.range[0], par.range[1], par.unit)
    return par.allowed()


def _edit(prefix: str, name: str, text: str, preset: str, state_problems: list) -> Any:
    """The checked value of one ``prefix.name=text`` pair, or None with a problem noted."""
    from sim.registry import load_registry

    key = f"{prefix}.{name}"
    par = load_registry().parameters.get(name)
    kinds = ("behavioural",) if prefix == SHARED else LINK_KINDS[prefix]
    if par is None:
        state_problems.append(LinkProblem(_quote(key), _quote(text), "unknown"))
        return None
    if par.kind not in kinds:
        state_problems.append(LinkProblem(key, _quote(text), "not_by_link"))
        return None
    if par.type not in SCALAR_TYPES:
        state_problems.append(LinkProblem(key, _quote(text), "mapping"))
        return None
    try:
        value = _parse_value(par, text)
        ScenarioChoice.make(preset, {name: value})
    except (ValueError, OverflowError, TypeError):
        state_problems.append(LinkProblem(key, _quote(text), "invalid", _allowed(par)))
        return None
    return value


def decode(query: str | None, presets: list[str]) -> PageState:
    """Read a page state from a query string; problems go to ``problems``, not exceptions.

    Args:
        query: The query string (with or without ``?``), or None.
        presets: Known preset names.

    Returns:
        The page state (defaults where the link says nothing or something invalid).
    """
    default_b = next((p for p in (DEFAULT_B, *presets) if p in presets and p != BASIS), BASIS)
    state = PageState(b=ScenarioChoice(default_b))
    if not query:
        return state
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    params = dict(pairs)
    if params.get("lang") in ("nl", "en"):
        state.lang = params["lang"]
    chosen = {}
    for group in ("a", "b"):
        preset = params.get(group, getattr(state, group).preset)
        if preset not in presets:
            state.problems.append(LinkProblem(group, _quote(preset), "unknown_preset"))
            preset = getattr(state, group).preset
        chosen[group] = preset
    edits: dict[str, dict[str, Any]] = {"a": {}, "b": {}, SHARED: {}}
    for key, text in pairs:
        prefix, _, name = key.partition(".")
        if not name:
            if key not in ("a", "b", "lang", "run"):
                state.problems.append(LinkProblem(_quote(key), _quote(text), "unknown"))
            continue
        if prefix not in edits:
            state.problems.append(LinkProblem(_quote(key), _quote(text), "unknown"))
            continue
        value = _edit(prefix, name, text, chosen.get(prefix, BASIS), state.problems)
        if value is not None:
            edits[prefix][name] = value
    state.a = ScenarioChoice.make(chosen["a"], edits["a"])
    state.b = ScenarioChoice.make(chosen["b"], edits["b"])
    state.shared = dict(edits[SHARED])
    return state


def describe_problems(problems: list[LinkProblem], lang: str) -> str:
    """One short message for all the problems of a link (empty when there are none)."""
    from dashboard.i18n import number, t, unit

    if not problems:
        return ""
    parts = []
    for p in problems[:SHOWN_PROBLEMS]:
        detail = t(f"link_{p.reason}", lang)
        if isinstance(p.allowed, tuple):
            lo, hi, what = p.allowed
            detail += f" ({number(lo, lang, 0 if float(lo).is_integer() else 2)} – "
            detail += f"{number(hi, lang, 0 if float(hi).is_integer() else 2)} "
            detail += f"{unit(what, lang)})"
        parts.append(f"{p.key}={p.value}: {detail}")
    rest = len(problems) - SHOWN_PROBLEMS
    more = t("link_more", lang, n=rest) if rest > 0 else ""
    return t("link_error", lang, n=len(problems), list="; ".join(parts)) + more
