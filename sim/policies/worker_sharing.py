"""The worker-sharing pilot ('proeftuin delen van werknemers'), source section 2.3.

VDAB and partners second temporarily unemployed (TU) workers of shocked or shrinking
sectors for a fixed term to sectors with shortages (default care and education, weights
``host_weight``), 'for a set period', while they stay tied to their home employer ('Help
in de Zorg!' is the source's example).

Each month in ``[start, end]``, while fewer than ``capacity`` persons are seconded:

- eligible: TU for ``min_tu_months`` or more, not in a course, home sector weak (shrinking
  or hit by a shock of 20% or more, :meth:`~sim.model.LabourMarketModel.weak_sector_mask`)
  and not itself a host; a host is eligible when the skill distance from the worker's
  profile is at most ``max_distance`` (a short induction, paid as ``induction_cost``,
  bridges it; the seconded worker fills the host's job from the first month); willing
  with ``uptake`` x the federal top-up's acceptance factor;
- host: drawn with weight ``host_weight`` x open vacancies; placements per host are capped
  by its open vacancies; each placement fills one of the host's oldest vacancies. The
  vacancy rule counts seconded workers as filling the host's jobs
  (``model.seconded_in()``);
- status SECONDED, ``host`` the borrowing sector, ``secondment_left`` = ``term_months``.

With ``within_sector_weight`` > 0 a temporarily unemployed worker of any sector may also be
lent to employers of the own sector that have vacancies (another employer class: the
worker's own class has temporary unemployment, so no vacancy), weight
``within_sector_weight`` x the sector's open vacancies; no induction distance applies.

A worker who returns home keeps a certificate for the host sector with ``skill_gain``
(0 by default: no evaluation found), which shortens the skill distance to it as a short
module does.

A secondment ends at the term, or early when the home sector's excess staff is gone
(``return_on_recovery``). At the end the worker converts to a permanent job in the host
with ``conversion_probability``; otherwise they go back to the home employer (at work if
its demand has recovered, else temporarily unemployed again).

Costs (assumptions): ``brokerage_cost`` per placement, ``induction_cost`` per placement,
``coaching_cost`` per seconded person-month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import transitions
from sim.policies.budget import Lever
from sim.rules.sampling import at_most_by_group
from sim.rules.temporary_unemployment import excess_staff
from sim.state import Course, Status

if TYPE_CHECKING:
    from sim.model import LabourMarketModel


class WorkerSharing(Lever):
    """Second TU workers to shortage sectors for a fixed term."""

    name = "worker_sharing"
    ENVELOPES = ("total", "vdab_partners")

    def __init__(self, model: LabourMarketModel) -> None:
        super().__init__(model)
        self.host_w = self.p["worker_sharing.host_weight"].copy()
        self.active_rows = np.empty(0, dtype=np.int64)
        self.placed = self.returned = self.converted = 0
        self.unit_cost = (
            self.p["worker_sharing.brokerage_cost"]
            + self.p["worker_sharing.induction_cost"]
            + self.p["worker_sharing.coaching_cost"] * self.p["worker_sharing.term_months"]
        )

    # ------------------------------------------------------------------ ends
    def after_shocks(self) -> None:
        """Secondments run a month; those at term or whose home recovered end."""
        super().after_shocks()
        self.placed = self.returned = self.converted = 0
        if len(self.active_rows) == 0:
            return
        m, w = self.model, self.model.workers
        rows = self.active_rows
        rows = rows[w.status[rows] == Status.SECONDED]  # left by a hire, retirement
        self.spend(len(rows) * self.p["worker_sharing.coaching_cost"] * self.ppa)
        w.secondment_left[rows] -= 1
        excess = excess_staff(m)
        recovered = excess[w.employer[rows]] <= 0
        ending = w.secondment_left[rows] <= 0
        if self.p["worker_sharing.return_on_recovery"]:
            ending |= recovered
        done = rows[ending]
        self.active_rows = rows[~ending]
        if len(done) == 0:
            return
        conv = self.rng.random(len(done)) < self.p["worker_sharing.conversion_probability"]
        stay, back = done[conv], done[~conv]
        # what was learnt in the host may stay: a certificate for the host sector
        gain = self.p["worker_sharing.skill_gain"]
        if gain > 0:  # (no draw otherwise: the lever's stream stays as it was)
            learnt = back[self.rng.random(len(back)) < gain]
            w.cert[learnt] = w.host[learnt]
        transitions.convert_secondment(m, stay)
        transitions.end_secondment(m, back, home_ok=excess[w.employer[back]] <= 0)
        self.converted = len(stay)
        self.returned = len(back)

    # ------------------------------------------------------------------ placements
    def before_matching(self) -> None:
        """Place eligible TU workers in the host sectors' open vacancies."""
        if not self.active(self.p["worker_sharing.start"], self.p["worker_sharing.end"]):
            return
        m, w = self.model, self.model.workers
        room = int(self.p["worker_sharing.capacity"] / self.ppa) - len(self.active_rows)
        if room <= 0 or self.out_of_budget(self.unit_cost):
            return
        st = w.status
        tu = st == Status.TEMPORARILY_UNEMPLOYED
        if not tu.any():
            return
        home_ok = m.weak_sector_mask() & (self.host_w <= 0)
        within = self.p["worker_sharing.within_sector_weight"]
        if within > 0:  # any sector may lend to its own employers with vacancies
            home_ok = np.ones(m.n_sectors, dtype=bool)
        cand = np.flatnonzero(
            tu
            & home_ok[np.maximum(w.sector, 0)]
            & (w.months_in_status >= self.p["worker_sharing.min_tu_months"])
            & (w.course == Course.NONE)
        )
        if len(cand) == 0:
            return
        rng = self.rng
        cand = cand[rng.random(len(cand)) < self.p["worker_sharing.uptake"] * m.tu_accept_factor()]
        open_v = m.by_sector(m.vacancies.sum(axis=1)).astype(np.float64)
        reach = m.distance[w.skill[cand]] <= self.p["worker_sharing.max_distance"]  # cand x sectors
        cross = (m.weak_sector_mask() & (self.host_w <= 0))[w.sector[cand]]
        weight = reach * (self.host_w * open_v)[None, :] * cross[:, None]
        if within > 0:  # the own sector's vacancies at other employer classes than the own
            own = w.sector[cand].astype(np.int64)
            other = open_v[own] - m.vacancies[w.employer[cand].astype(np.int64)].sum(axis=1)
            weight[np.arange(len(cand)), own] += within * other
        tot = weight.sum(axis=1)
        cand, weight, tot = cand[tot > 0], weight[tot > 0], tot[tot > 0]
        if len(cand) == 0:
            return
        if len(cand) > room:
            keep = rng.permutation(len(cand))[:room]
            cand, weight, tot = cand[keep], weight[keep], tot[keep]
        u = rng.random(len(cand)) * tot
        host = np.minimum((u[:, None] >= np.cumsum(weight, axis=1)).sum(axis=1), m.n_sectors - 1)
        # no more placements in a host than it has open vacancies
        chosen = at_most_by_group(
            np.arange(len(cand)),
            host,
            open_v.astype(np.int64),
            rng.random(len(cand)),
        )
        cand, host = cand[chosen], host[chosen]
        order = np.argsort(cand)
        cand, host = cand[order], host[order]
        kept = np.sort(self.affordable(cand, self.unit_cost))
        host = host[np.searchsorted(cand, kept)]
        cand = kept
        if len(cand) == 0:
            return
        cand = transitions.start_secondment(m, cand, host, self.p["worker_sharing.term_months"])
        self.active_rows = np.concatenate([self.active_rows, cand])
        self.placed = len(cand)
        self.take(cand)
        once = (
            self.p["worker_sharing.brokerage_cost"] + self.p["worker_sharing.induction_cost"]
        ) * self.ppa
        self.spend(len(cand) * once)
        self.commit(len(cand) * self.unit_cost * self.ppa)

    def record(self) -> dict[str, float]:
        """Lever columns plus placements, returns, conversions and the seconded now."""
        row = super().record()
        row.update(
            {
                "worker_sharing_placed": self.placed * self.ppa,
                "worker_sharing_returned": self.returned * self.ppa,
                "worker_sharing_converted": self.converted * self.ppa,
                "worker_sharing_seconded": len(self.active_rows) * self.ppa,
            }
        )
        return row
