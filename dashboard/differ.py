"""'Wat is anders?': every setting in which basis, A and B differ from the plain baseline.

The list compares the effective parameter values (registry default, then the preset, then
the page's edits) of the plain ``basis`` preset with the three scenarios of a comparison:
basis (with the assumptions shared by A and B), A and B. A setting appears when any of
them differs from the plain baseline or A differs from B; levers and behavioural
assumptions alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.i18n import number, t

GROUPS = ("basis", "A", "B")


@dataclass(frozen=True)
class Difference:
    """One setting that differs.

    Attributes:
        name: Parameter name.
        kind: Registry kind (``policy_lever``, ``behavioural``...).
        values: ``{"plain"|"basis"|"A"|"B": value}``.
    """

    name: str
    kind: str
    values: dict[str, Any]

    @property
    def a_differs_from_b(self) -> bool:
        """Whether A and B use different values."""
        return self.values["A"] != self.values["B"]


def differences(
    plain: Mapping[str, Any], scenarios: Mapping[str, Mapping[str, Any]]
) -> list[Difference]:
    """The settings in which the scenarios differ from the plain baseline or A from B.

    Args:
        plain: Overrides of the plain ``basis`` preset.
        scenarios: Overrides per group (``basis``, ``A``, ``B``).

    Returns:
        Differences in registry order: levers first, then assumptions, then the rest.
    """
    from sim.registry import load_registry

    reg = load_registry()
    order = {"policy_lever": 0, "behavioural": 1}
    names = set(plain)
    for over in scenarios.values():
        names |= set(over)
    out = []
    for name, par in reg.parameters.items():
        if name not in names:
            continue
        values = {"plain": plain.get(name, par.default)}
        values |= {g: scenarios[g].get(name, par.default) for g in GROUPS}
        if any(values[g] != values["plain"] for g in GROUPS) or values["A"] != values["B"]:
            out.append(Difference(name, par.kind, values))
    return sorted(out, key=lambda d: order.get(d.kind, 2))


def value_text(value: Any, lang: str) -> str:
    """A parameter value in words (numbers in the page's language, mappings summarised)."""
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, float):
        return number(value, lang, 0 if abs(value) >= 100 else (2 if abs(value) >= 1 else 3))
    if isinstance(value, int):
        return number(value, lang)
    if isinstance(value, Mapping):
        return t("mapping", lang, n=len(value))
    return str(value)
