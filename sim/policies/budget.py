"""Budget envelopes of 'Alle hens aan dek' and the costed-lever base class.

The source document (section 1 and the minister's answers) gives three envelopes: EUR 190
million for the whole agreement, of which EUR 119 million for the training and career
offensive, and EUR 98 million for VDAB and its partners. Which lever draws on which
envelope is an assumption (``ENVELOPES`` of each lever, docs/POLICIES.md). Each lever also
has its own cap ``<lever>.budget_eur``.

Levers commit money when they take a participant (the expected cost of the whole
participation) and book the actual spending month by month with ``model.vdab.book``. When
``budget.binding`` is true, a lever whose envelope (or own cap) has no room left for one
more participant takes no new participants; the month this first happened is recorded
in the column ``<lever>_budget_exhausted`` (0 before, 1 from that month on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.base import Policy

if TYPE_CHECKING:
    from sim.model import LabourMarketModel
    from sim.streams import Draws

ENVELOPE_PARAMS = {
    "total": "budget.total_eur",
    "training_career": "budget.training_career_offensive_eur",
    "vdab_partners": "budget.vdab_partners_eur",
}


class Budget:
    """The envelopes shared by all levers of one run (committed EUR against caps)."""

    def __init__(self, model: LabourMarketModel) -> None:
        p = model.params
        self.binding = bool(p["budget.binding"])
        self.cap = {k: float(p[v]) for k, v in ENVELOPE_PARAMS.items()}
        self.committed = dict.fromkeys(self.cap, 0.0)

    def room(self, envelopes: tuple[str, ...]) -> float:
        """EUR left in the tightest of ``envelopes`` (infinite when not binding)."""
        if not self.binding or not envelopes:
            return float("inf")
        return min(self.cap[e] - self.committed[e] for e in envelopes)

    def commit(self, envelopes: tuple[str, ...], eur: float) -> None:
        """Commit ``eur`` against each of ``envelopes``."""
        for e in envelopes:
            self.committed[e] += eur


class Lever(Policy):
    """A costed lever: parameters under ``<name>.``, its own stream, counters and budget.

    Subclasses set ``name`` and ``ENVELOPES`` and call :meth:`affordable`, :meth:`commit`
    and :meth:`spend`. Counters are in agent units and scaled to persons in :meth:`record`.
    """

    name = "lever"
    ENVELOPES: tuple[str, ...] = ("total",)
    FEDERAL = False  # True: money of the federal government, not booked on VDAB's ledger

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.p = model.params
        self.ppa = model.params["simulation.persons_per_agent"]
        self.rng = model.streams[f"policy.{self.name}"]
        self.budget: Budget = model.policy_budget
        self.own_cap = (
            float(self.p[f"{self.name}.budget_eur"])
            if f"{self.name}.budget_eur" in self.p
            else float("inf")
        )
        self.own_committed = 0.0
        self.participants = 0  # new participants this month (agents)
        self.participants_total = 0
        self.spent = 0.0  # EUR this month
        self.exhausted_month: str | None = None

    # ------------------------------------------------------------------ helpers

    @property
    def draws(self) -> Draws:
        """Keyed draws of this lever for the current month (sim/streams.py)."""
        return self.model.streams.draws(f"policy.{self.name}")

    def active(self, start: str, end: str) -> bool:
        """True when this month lies in the window ``[start, end]`` (months 'YYYY-MM')."""
        return start <= self.model.month <= end

    def room(self) -> float:
        """EUR this lever may still commit."""
        own = self.own_cap - self.own_committed if self.budget.binding else float("inf")
        return min(own, self.budget.room(self.ENVELOPES))

    def out_of_budget(self, unit_eur: float = 0.0) -> bool:
        """True (and the month recorded) when not even one more participant fits."""
        if self.room() > unit_eur * self.ppa:
            return False
        if self.exhausted_month is None:
            self.exhausted_month = self.model.month
        return True

    def affordable(self, rows: np.ndarray, cost_eur: float | np.ndarray) -> np.ndarray:
        """The rows (in random order when the budget binds) whose commitment still fits.

        Args:
            rows: candidate participants (agents).
            cost_eur: expected cost of one participant, in EUR per person (scalar or per row).

        Returns:
            The affordable rows; records the month the budget first ran out.
        """
        if len(rows) == 0:
            return rows
        cost = np.broadcast_to(np.asarray(cost_eur, dtype=np.float64) * self.ppa, rows.shape)
        room = self.room()
        if cost.sum() <= room:
            return rows
        order = self.rng.permutation(len(rows))
        rows, cost = rows[order], cost[order]
        keep = int(np.searchsorted(np.cumsum(cost), room, side="right"))
        if self.exhausted_month is None:
            self.exhausted_month = self.model.month
        return rows[:keep]

    def commit(self, eur: float) -> None:
        """Commit ``eur`` (persons, EUR) against the lever's cap and envelopes."""
        self.own_committed += eur
        self.budget.commit(self.ENVELOPES, eur)

    def spend(self, eur: float) -> None:
        """Book ``eur`` spent this month (on VDAB's ledger unless federal)."""
        if eur <= 0:
            return
        self.spent += eur
        if not self.FEDERAL:
            self.model.vdab.book(eur)

    def take(self, rows: np.ndarray) -> None:
        """Count ``rows`` as new participants."""
        self.participants += len(rows)
        self.participants_total += len(rows)

    def after_shocks(self) -> None:
        """Reset the monthly counters (subclasses call ``super().after_shocks()``)."""
        self.participants = 0
        self.spent = 0.0

    def record(self) -> dict[str, float]:
        """Participants (persons), spending (EUR) and the budget flag of this month."""
        n = self.name
        return {
            f"{n}_participants": self.participants * self.ppa,
            f"{n}_participants_total": self.participants_total * self.ppa,
            f"{n}_spending_eur": self.spent,
            f"{n}_budget_exhausted": int(self.exhausted_month is not None),
        }


def exhausted_months(monthly: object) -> dict[str, str | None]:
    """First month each lever's budget ran out, from a monthly table (None: never).

    Args:
        monthly: the ``monthly`` DataFrame of a run.
    """
    out: dict[str, str | None] = {}
    for col in monthly.columns:  # type: ignore[attr-defined]
        if col.endswith("_budget_exhausted"):
            hit = monthly.loc[monthly[col] > 0, "month"]  # type: ignore[index]
            out[col.removesuffix("_budget_exhausted")] = None if hit.empty else str(hit.iloc[0])
    return out
