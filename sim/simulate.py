"""The public entry point: run one scenario with one seed and get tidy tables back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.model import LabourMarketModel
from sim.registry import load_registry
from sim.scenarios import Scenario, load_scenario


@dataclass
class SimulationResult:
    """Tables of one run.

    Attributes:
        monthly: one row per month (docs/OUTPUTS.md).
        sectors: one row per month and sector.
        transitions: yearly transition shares between employment, unemployment, inactivity.
        sector_flows: hires by previous and new sector, per year.
        params: parameter values used.
        scenario: the scenario that was run.
        model: the Mesa model after the run (stays in this process).
    """

    monthly: pd.DataFrame
    sectors: pd.DataFrame
    transitions: pd.DataFrame
    sector_flows: pd.DataFrame
    params: dict[str, Any]
    scenario: Scenario
    model: LabourMarketModel | None = field(default=None, repr=False)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The tables as a picklable dict (no model), for runners and files."""
        return {
            "monthly": self.monthly,
            "sectors": self.sectors,
            "transitions": self.transitions,
            "sector_flows": self.sector_flows,
        }


def build_model(
    scenario: str | Path | Mapping[str, Any] | Scenario | None = "basis",
    seed: int | np.random.SeedSequence = 0,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> LabourMarketModel:
    """A model ready to run, with validated parameters (raises before anything runs)."""
    sc = load_scenario(scenario)
    reg = load_registry()
    params = reg.resolve(sc.overrides, overrides or {})
    return LabourMarketModel(params, scenario=sc, rng=seed)


def simulate(
    scenario: str | Path | Mapping[str, Any] | Scenario | None = "basis",
    seed: int | np.random.SeedSequence = 0,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> SimulationResult:
    """Run one scenario with one seed.

    Args:
        scenario: preset name, ``a+b`` combination, path to a scenario YAML file, dict of
            overrides, or a Scenario.
        seed: int or numpy SeedSequence; the same seed gives bit-identical results.
        overrides: parameter overrides applied after the scenario's.

    Returns:
        The tables of the run and the model.

    Raises:
        ScenarioError: for an unknown scenario or a malformed scenario file.
        ParameterError: for an invalid override. Both are ValueErrors, raised before
            the run starts.
    """
    model = build_model(scenario, seed, overrides=overrides).run()
    rec = model.recorder
    return SimulationResult(
        monthly=rec.monthly(),
        sectors=rec.sectors(),
        transitions=rec.transitions(),
        sector_flows=rec.sector_flows(),
        params=model.params.as_dict(),
        scenario=model.scenario_spec,
        model=model,
    )
