"""The agreement's target as an output: the share of intensively TU workers reached.

'In 2021 half of the intensively temporarily unemployed should follow a training, an
internship or volunteering, or take another temporary job, e.g. in care' (source
document, section 1, speerpunt on temporary unemployment). The target is measured, not
forced.

A worker counts as *intensively* temporarily unemployed in a calendar year once they have
been temporarily unemployed for ``monitor.intensive_months`` consecutive months or more.
They count as *reached* in that year when, while or after being intensive, they are in a
VDAB course, seconded to another sector, or hired by another employer. Columns:

- ``intensive_tu``: persons temporarily unemployed for the threshold or longer now;
- ``intensive_tu_year``: persons intensive at some point this calendar year;
- ``intensive_tu_reached_share``: share of those reached so far this year (cumulative).

The monitor draws no random numbers. It runs when a lever acts on temporarily unemployed
workers, or when ``monitor.intensive_tu`` is set (so that ``basis`` can be measured too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.base import FLAG_INTENSIVE, FLAG_REACHED, Policy
from sim.state import Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

_BOTH = np.int8(FLAG_INTENSIVE | FLAG_REACHED)


class IntensiveTUMonitor(Policy):
    """Measures the reach of the intensively temporarily unemployed (no behaviour)."""

    name = "monitor"

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.threshold = model.params["monitor.intensive_months"]
        self.watch = np.empty(0, dtype=np.int64)
        self.n_now = 0

    def before_training(self) -> None:
        """New year: reset the flags. Mark the intensive TU; remember them for matching."""
        w = self.model.workers
        if self.model.month.endswith("-01"):
            w.flags &= ~_BOTH
        st = w.status
        tu = st == Status.TEMPORARILY_UNEMPLOYED
        if not tu.any() and not (w.flags & FLAG_INTENSIVE).any():
            self.watch = self.watch[:0]
            self.n_now = 0
            return
        now = np.flatnonzero(tu & (w.months_in_status >= self.threshold))
        self.n_now = len(now)
        w.flags[now] |= np.int8(FLAG_INTENSIVE)
        self.watch = np.flatnonzero(tu & ((w.flags & FLAG_INTENSIVE) > 0))

    def after_matching(self) -> None:
        """Intensive TU who are now in a course, seconded or newly hired count as reached."""
        w = self.model.workers
        flagged = np.flatnonzero((w.flags & FLAG_INTENSIVE) > 0)
        if len(flagged) == 0:
            return
        reached = flagged[(w.course[flagged] > 0) | (w.status[flagged] == Status.SECONDED)]
        w.flags[reached] |= np.int8(FLAG_REACHED)
        hired = self.watch[w.status[self.watch] == Status.EMPLOYED]
        w.flags[hired] |= np.int8(FLAG_REACHED)

    def record(self) -> dict[str, float]:
        """Intensive TU now, this year, and the share reached this year."""
        w = self.model.workers
        ppa = self.model.params["simulation.persons_per_agent"]
        f = w.flags
        year = int(np.count_nonzero(f & FLAG_INTENSIVE))
        reached = int(np.count_nonzero((f & _BOTH) == _BOTH))
        return {
            "intensive_tu": self.n_now * ppa,
            "intensive_tu_year": year * ppa,
            "intensive_tu_reached_share": reached / year if year else np.nan,
        }
