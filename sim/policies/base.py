"""What every policy is: the hooks the model calls, and the worker flag bits of the levers.

Kept apart from ``sim/policies/__init__.py`` (which lists the levers) so that the levers and
the budget import it without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: bits of the worker column ``flags`` (int8; bits 0-6)
FLAG_INTENSIVE = 1  # intensively temporarily unemployed this calendar year (monitor)
FLAG_REACHED = 2  # ... and reached this year: training, secondment or other job
FLAG_ENROLLED = 4  # TU registered with VDAB (automatic or own initiative)
FLAG_CONTACTED = 8  # TU contacted by the training offensive's outreach
FLAG_DISMISSED = 16  # took part in the offer for dismissed workers
FLAG_SIDE_ENTRY = 32  # entered care or teaching through side entry
FLAG_PREMIUM = 64  # received the transition premium


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
