"""Policy levers of 'Alle hens aan dek', each in its own module.

A policy is an object with hooks the model calls at fixed points of the month
(``after_shocks``, ``before_training``, ``before_matching``, ``after_matching``) and
``factor(name)`` multipliers on behaviour. A lever that is switched off is not built, so
it draws no random numbers and changes nothing.

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
- :mod:`~sim.policies.budget`: the envelopes every costed lever draws from;
- :mod:`~sim.policies.monitor`: the share of intensively temporarily unemployed reached.
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


#: lever name -> "module:Class", in the order their hooks run within a stage
LEVERS = {
    "federal_top_up": "federal_top_up:FederalTopUp",
    "automatic_registration": "automatic_registration:AutomaticRegistration",
    "training_offensive": "training_offensive:TrainingOffensive",
    "worker_sharing": "worker_sharing:WorkerSharing",
    "side_entry": "side_entry:SideEntry",
    "dismissed_offer": "dismissed_offer:DismissedOffer",
    "transition_premium": "transition_premium:TransitionPremium",
    "training_leave": "training_leave:TrainingLeave",
}

#: levers that act on temporarily unemployed workers (they switch the monitor on)
TU_LEVERS = ("federal_top_up", "automatic_registration", "training_offensive", "worker_sharing")


def enabled_levers(params: object) -> list[str]:
    """Names of the levers switched on in ``params``."""
    return [name for name in LEVERS if params[f"{name}.enabled"]]  # type: ignore[index]


def build(model: LabourMarketModel) -> list[Policy]:
    """The policies switched on in ``model.params`` (empty for ``basis``).

    The budget envelopes are shared by all costed levers; the monitor of intensively
    temporarily unemployed workers is added (last) when a lever acts on them or when
    ``monitor.intensive_tu`` asks for it. Nothing is built when no lever is on.
    """
    import importlib

    from sim.policies.budget import Budget
    from sim.policies.monitor import IntensiveTUMonitor

    p = model.params
    names = enabled_levers(p)
    out: list[Policy] = []
    if names:
        model.policy_budget = Budget(model)
    for name in names:
        module, cls = LEVERS[name].split(":")
        mod = importlib.import_module(f"sim.policies.{module}")
        out.append(getattr(mod, cls)(model))
    if p["monitor.intensive_tu"] or any(n in TU_LEVERS for n in names):
        out.append(IntensiveTUMonitor(model))
    return out
