"""Automatic registration of intensively temporarily unemployed workers with VDAB.

Source: minister's answer (VDAB examines how to register intensive TU automatically; RVA
data arrive with about a month's delay; some TU react negatively) and the question of
a member (automatic registration 'after a threshold' rather than an obligation).

Without this lever, a temporarily unemployed (TU) worker registers with VDAB only on own
initiative (``training_offensive.own_registration_rate``, when the offensive runs). With it,
every TU worker who has been TU for ``threshold_months`` is registered once the RVA data
reach VDAB, ``data_lag`` months later. A registered TU worker can be reached by the
training offensive for sure, and (``vacancy_suggestions``) receives vacancies from VDAB:
when searching, they send the extra applications of a counselled job seeker.

Costs: ``cost_per_registration`` per registration and ``followup_cost`` per registered
TU worker per month (assumptions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.base import FLAG_ENROLLED
from sim.policies.budget import Lever
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


class AutomaticRegistration(Lever):
    """Register intensive TU workers with VDAB after the RVA data lag."""

    name = "automatic_registration"
    ENVELOPES = ("total", "vdab_partners")

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.registered_now = 0

    def before_training(self) -> None:
        """Register the TU workers past the threshold plus the data lag."""
        self.registered_now = 0
        if not self.active(
            self.p["automatic_registration.start"], self.p["automatic_registration.end"]
        ):
            return
        w = self.model.workers
        tu = w.status == Status.TEMPORARILY_UNEMPLOYED
        if not tu.any():
            return
        due = (
            self.p["automatic_registration.threshold_months"]
            + self.p["automatic_registration.data_lag"]
        )
        new = np.flatnonzero(tu & (w.months_in_status >= due) & ((w.flags & FLAG_ENROLLED) == 0))
        unit = self.p["automatic_registration.cost_per_registration"]
        if self.out_of_budget(unit):
            return
        new = self.affordable(new, unit)
        w.flags[new] |= np.int8(FLAG_ENROLLED)
        w.registered[new] = True
        self.take(new)
        self.spend(len(new) * unit * self.ppa)
        self.commit(len(new) * unit * self.ppa)
        enrolled = np.flatnonzero(tu & ((w.flags & FLAG_ENROLLED) > 0))
        self.registered_now = len(enrolled)
        follow = len(enrolled) * self.p["automatic_registration.followup_cost"] * self.ppa
        self.spend(follow)
        self.commit(follow)
        self._enrolled = enrolled

    def before_matching(self) -> None:
        """Registered TU workers get vacancy suggestions (extra applications)."""
        if not self.p["automatic_registration.vacancy_suggestions"] or self.registered_now == 0:
            return
        w = self.model.workers
        rows = self._enrolled
        rows = rows[w.status[rows] == Status.TEMPORARILY_UNEMPLOYED]
        w.counselled[rows] = True

    def record(self) -> dict[str, float]:
        """Lever columns plus the TU workers registered with VDAB now."""
        row = super().record()
        row["automatic_registration_registered_tu"] = self.registered_now * self.ppa
        return row
