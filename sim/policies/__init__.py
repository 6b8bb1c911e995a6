"""Policy levers of 'Alle hens aan dek', each in its own module.

A policy is an object (:class:`~sim.policies.base.Policy`) with hooks the model calls at
fixed points of the month (``after_shocks``, ``before_training``, ``before_matching``,
``after_matching``) and ``factor(name)`` multipliers on behaviour. A lever that is switched
off is not built, so it draws no random numbers and changes nothing. A lever reads its
parameters by their full names (``self.p["worker_sharing.capacity"]``).

The levers (parameters in ``sim/policies.yaml``, mechanisms and costs in docs/POLICIES.md):

- :mod:`~sim.policies.training_offensive`: outreach and training for temporarily unemployed;
- :mod:`~sim.policies.automatic_registration`: intensive TU registered with VDAB after the
  RVA data lag;
- :mod:`~sim.policies.worker_sharing`: the pilot that seconds TU workers to shortage sectors;
- :mod:`~sim.policies.side_entry`: side entry into care and teaching (seniority lever);
- :mod:`~sim.policies.dismissed_offer`: career talk and trajectory for dismissed workers;
- :mod:`~sim.policies.federal_top_up`: the federal EUR 10 a day, a disincentive;
- :mod:`~sim.policies.transition_premium`: premium for starting as self-employed;
- :mod:`~sim.policies.training_leave`: training leave from 16 hours and competence check-ups;
- :mod:`~sim.policies.evaluation`: not a lever: a randomised cohort that gets a course, to
  measure the course's effect on the treated (``evaluation.*``);
- :mod:`~sim.policies.budget`: the envelopes every costed lever draws from;
- :mod:`~sim.policies.base`: the hooks of every policy and the worker flag bits;
- :mod:`~sim.policies.monitor`: the share of intensively temporarily unemployed reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.automatic_registration import AutomaticRegistration
from sim.policies.base import Policy
from sim.policies.budget import Budget
from sim.policies.dismissed_offer import DismissedOffer
from sim.policies.evaluation import TrainingEvaluation
from sim.policies.federal_top_up import FederalTopUp
from sim.policies.monitor import IntensiveTUMonitor
from sim.policies.side_entry import SideEntry
from sim.policies.training_leave import TrainingLeave
from sim.policies.training_offensive import TrainingOffensive
from sim.policies.transition_premium import TransitionPremium
from sim.policies.worker_sharing import WorkerSharing

if TYPE_CHECKING:
    from sim.model import LabourMarketModel

#: lever name (its parameters' prefix) -> class, in the order their hooks run within a stage
LEVERS: dict[str, type[Policy]] = {
    "federal_top_up": FederalTopUp,
    "automatic_registration": AutomaticRegistration,
    "training_offensive": TrainingOffensive,
    "worker_sharing": WorkerSharing,
    "side_entry": SideEntry,
    "dismissed_offer": DismissedOffer,
    "transition_premium": TransitionPremium,
    "training_leave": TrainingLeave,
}

#: levers that act on temporarily unemployed workers (they switch the monitor on)
TU_LEVERS = ("federal_top_up", "automatic_registration", "training_offensive", "worker_sharing")


def enabled_levers(params: object) -> list[str]:
    """Names of the levers switched on in ``params``."""
    return [name for name in LEVERS if params[f"{name}.enabled"]]  # type: ignore[index]


def build(model: LabourMarketModel) -> list[Policy]:
    """The policies switched on in ``model.params`` (empty for ``basis``).

    The budget envelopes are shared by all costed levers; the evaluation cohort
    (``evaluation.enabled``) comes after the levers; the monitor of intensively
    temporarily unemployed workers is added (last) when a lever acts on them or when
    ``monitor.intensive_tu`` asks for it. Nothing is built when no lever is on.
    """
    p = model.params
    names = enabled_levers(p)
    out: list[Policy] = []
    if names:
        model.policy_budget = Budget(model)
    out.extend(LEVERS[name](model) for name in names)
    if p["evaluation.enabled"]:
        out.append(TrainingEvaluation(model))
    if p["monitor.intensive_tu"] or any(n in TU_LEVERS for n in names):
        out.append(IntensiveTUMonitor(model))
    return out
