"""Shared fixtures: one baseline run per session (runs cost about a second each)."""

from __future__ import annotations

import pytest

import sim
from experiments.model_api import ModelAPI, load_model_api


@pytest.fixture(scope="session")
def basis_run() -> sim.SimulationResult:
    """The baseline at default scale, seed 1."""
    return sim.simulate("basis", seed=1)


@pytest.fixture(scope="session")
def small_overrides() -> dict[str, object]:
    """A coarse scale and short horizon for quick tests."""
    return {"simulation.persons_per_agent": 400, "simulation.end": "2021-06"}


@pytest.fixture(scope="session")
def api() -> ModelAPI:
    """The model as the experiment runner sees it (registry, presets, simulate)."""
    return load_model_api()
