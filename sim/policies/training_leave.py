"""Flemish training leave (VOV) from 16 hours and competence check-ups.

Source: section 1, 'loopbaanversterkende maatregelen': as an experiment in school year
2021-2022 the VOV threshold is lowered from 32 to 16 hours for training chosen jointly by
employer and employee, to raise the training participation of the low-educated; firms of
up to 50 employees can buy competence check-ups for their employees with support, with
special attention to workers in vulnerable career positions.

Each month, employees at work take an extra short course under the lowered threshold
(in ``[vov_start, vov_end]``) with ``vov_rate``, and a competence check-up (in
``[start, end]``) with ``checkup_rate``; the low-educated at ``low_educated_factor`` times
these rates. A VOV course succeeds with ``vov_success``; a check-up leads with
``checkup_training_share`` to a competence-building trajectory that succeeds likewise.
Success: workers with low digital skills gain them; others gain a certificate for a near
sector with vacancies (their own or another), which lowers the skill distance and makes
on-the-job moves more likely. The worker keeps working (no lock-in).

Costs (assumptions): the VOV wage-cost compensation ``vov_hours`` x
``vov_compensation_per_hour``; ``checkup_cost`` per check-up. Sparse sampling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.policies.budget import Lever
from sim.policies.sparse import sample_rows
from sim.rules import matching
from sim.state import Education, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


class TrainingLeave(Lever):
    """Lower training-leave threshold and competence check-ups for employees."""

    name = "training_leave"
    ENVELOPES = ("total", "training_career")

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.vov_unit = (
            self.p["training_leave.vov_hours"] * self.p["training_leave.vov_compensation_per_hour"]
        )
        self.vov = self.checkups = 0

    def before_matching(self) -> None:
        """This month's VOV courses and check-ups, and what they change."""
        self.vov = self.checkups = 0
        vov_on = self.active(self.p["training_leave.vov_start"], self.p["training_leave.vov_end"])
        chk_on = self.active(self.p["training_leave.start"], self.p["training_leave.end"])
        if not (vov_on or chk_on):
            return
        w = self.model.workers
        low_f = self.p["training_leave.low_educated_factor"]
        r_vov = self.p["training_leave.vov_rate"] if vov_on else 0.0
        r_chk = self.p["training_leave.checkup_rate"] if chk_on else 0.0
        p_max = (r_vov + r_chk) * max(low_f, 1.0)
        rows = sample_rows(w.n, p_max, self.rng)
        if len(rows) == 0:
            return
        ok = (w.status[rows] == Status.EMPLOYED) & w.employee[rows]
        f = np.where(w.education[rows] == Education.LOW, low_f, 1.0) * ok
        u = self.rng.random(len(rows)) * p_max
        vov = rows[u < r_vov * f]
        chk = rows[(u >= r_vov * f) & (u < (r_vov + r_chk) * f)]
        vov = self.affordable(vov, self.vov_unit)
        chk = self.affordable(chk, self.p["training_leave.checkup_cost"])
        self.vov, self.checkups = len(vov), len(chk)
        eur = (
            len(vov) * self.vov_unit + len(chk) * self.p["training_leave.checkup_cost"]
        ) * self.ppa
        self.spend(eur)
        self.commit(eur)
        self.take(np.concatenate([vov, chk]))
        trained = np.concatenate(
            [
                vov[self.rng.random(len(vov)) < self.p["training_leave.vov_success"]],
                chk[
                    self.rng.random(len(chk))
                    < self.p["training_leave.checkup_training_share"]
                    * self.p["training_leave.vov_success"]
                ],
            ]
        )
        self._upskill(trained)

    def _upskill(self, rows: np.ndarray) -> None:
        if len(rows) == 0:
            return
        w, m = self.model.workers, self.model
        low = w.low_digital[rows]
        w.low_digital[rows[low]] = False
        rest = rows[~low]
        if len(rest):
            w.cert[rest] = matching.draw_sectors(
                m, w.skill[rest], w.cert[rest], self.draws.uniform(rest, "target")
            )

    def record(self) -> dict[str, float]:
        """Lever columns plus VOV courses and check-ups this month."""
        row = super().record()
        row["training_leave_vov_courses"] = self.vov * self.ppa
        row["training_leave_checkups"] = self.checkups * self.ppa
        return row
