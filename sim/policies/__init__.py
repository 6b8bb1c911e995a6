"""Policy levers of 'Alle hens aan dek', each in its own module.

A policy is an object with hooks the model calls at fixed points of the month
(``after_shocks``, ``before_training``, ``before_matching``, ``after_matching``) and
``factor(name)`` multipliers on behaviour. A lever that is switched off is not built, so
it draws no random numbers and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


class Policy:
    """Base class: does nothing; subclasses override the hooks they need."""

    name = "policy"

    def __init__(self, model: LabourMarketModel) -> None:
        self.model = model

    def factor(self, name: str) -> float:
        """Multiplier on a behavioural quantity (1 = no effect)."""
        return 1.0

    def after_shocks(self) -> None:
        """Called after temporary unemployment is adjusted."""

    def before_training(self) -> None:
        """Called after course seats open, before baseline training uptake."""

    def before_matching(self) -> None:
        """Called after vacancies are updated, before matching."""

    def after_matching(self) -> None:
        """Called after matching, before the month is recorded."""

    def record(self) -> dict[str, float]:
        """Columns this policy adds to the monthly table."""
        return {}


def build(model: LabourMarketModel) -> list[Policy]:
    """The policies switched on in ``model.params``."""
    return []
