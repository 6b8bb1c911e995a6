"""The federal top-up of EUR 10 a day for temporarily unemployed workers (from end 2020).

Source: a member's warning in the debate that the extra EUR 10 a day weakens the incentive
to work temporarily elsewhere and lengthens inactivity. Not a lever of the agreement: a
federal measure, modelled as a behavioural disincentive. In ``[start, end]`` it multiplies
the search (``search_factor``), the acceptance of offers (``accept_factor``) and the uptake
of training (``training_factor``) of temporarily unemployed workers (ranges in the
registry; the size is an assumption). Its cost is federal, recorded as
``federal_top_up_spending_eur`` = TU persons x EUR ``per_day`` x ``days_per_month``, and not
booked on VDAB's ledger or counted against the Flemish envelopes.
"""

from __future__ import annotations

import numpy as np

from sim.policies.budget import Lever
from sim.state import Status

_FACTORS = {
    "tu_search": "federal_top_up.search_factor",
    "tu_accept": "federal_top_up.accept_factor",
    "tu_training": "federal_top_up.training_factor",
}


class FederalTopUp(Lever):
    """EUR 10 a day more for temporarily unemployed workers: a disincentive."""

    name = "federal_top_up"
    ENVELOPES = ()
    FEDERAL = True

    def factor(self, name: str) -> float:
        """The disincentive factors in the top-up's months, 1 otherwise."""
        key = _FACTORS.get(name)
        if key is None or not self.active(
            self.p["federal_top_up.start"], self.p["federal_top_up.end"]
        ):
            return 1.0
        return float(self.p[key])

    def after_matching(self) -> None:
        """Temporarily unemployed this month receive the top-up (federal money)."""
        if not self.active(self.p["federal_top_up.start"], self.p["federal_top_up.end"]):
            return
        n = int(np.count_nonzero(self.model.workers.status == Status.TEMPORARILY_UNEMPLOYED))
        self.participants = n
        self.spend(
            n
            * self.ppa
            * self.p["federal_top_up.per_day"]
            * self.p["federal_top_up.days_per_month"]
        )
