"""werk-naar-werk: an agent-based model of work-to-work transitions in Flanders.

>>> import sim
>>> result = sim.simulate("basis", seed=1)        # doctest: +SKIP
>>> result.monthly[["month", "employed", "temporarily_unemployed"]]   # doctest: +SKIP
"""

from sim.model import LabourMarketModel
from sim.registry import ParameterError, load_registry
from sim.scenarios import Scenario, ScenarioError, list_presets, load_scenario
from sim.simulate import SimulationResult, build_model, simulate

__all__ = [
    "LabourMarketModel",
    "ParameterError",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "build_model",
    "list_presets",
    "load_registry",
    "load_scenario",
    "simulate",
]
__version__ = "0.1.0"
