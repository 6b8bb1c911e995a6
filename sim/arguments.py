"""Mesa-style construction of the model: keyword arguments, ``rng=None``, Mesa scenarios.

Mesa's own tools (``mesa.batch_run``, ``SolaraViz``) build a model as
``Model(rng=..., **keyword_arguments)``. This module turns such a call into what the model
needs: validated parameters, the run's seed sequence and the scenario that was run.

- A registry parameter is given by its *flat* name: the dotted name with ``.`` replaced by
  ``_`` (``worker_sharing.capacity`` -> ``worker_sharing_capacity``); the settings of the
  ``simulation`` group also by their last part (``persons_per_agent``, ``end``).
- ``scenario`` (or its alias ``preset``) names the scenario as :func:`sim.simulate` does: a
  preset, ``a+b``, a scenario file or a dict of overrides. A Mesa
  :class:`~mesa.experimental.scenarios.Scenario` is accepted too: its ``preset`` field names
  the preset and its other fields are flat parameter names (this is what SolaraViz passes
  back on Reset).
- ``rng=None`` means a fresh random seed, as in every Mesa model; the seed drawn is kept in
  ``model.seed_sequence.entropy`` so the run can be repeated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from mesa.experimental.scenarios import Scenario as MesaScenario

from sim.registry import ParameterError, Params, load_registry
from sim.scenarios import Scenario, load_scenario
from sim.streams import seed_sequence


class ModelScenario(MesaScenario):
    """The Mesa scenario a model carries: its preset (flat parameters ride along as fields).

    SolaraViz rebuilds the model on Reset as ``Model(scenario=ModelScenario(preset=...),
    **other_inputs)``, so the preset survives a Reset.
    """

    preset: str = "basis"


@dataclass(frozen=True)
class ModelSetup:
    """What the model's constructor needs, resolved from its arguments."""

    params: Params
    seed_sequence: np.random.SeedSequence
    scenario: Scenario
    mesa_scenario: ModelScenario


@cache
def flat_names() -> dict[str, str]:
    """Flat keyword name -> dotted registry name, for every parameter.

    Raises:
        RuntimeError: if two registry names would map to the same keyword (a registry bug).
    """
    names: dict[str, str] = {}
    for dotted in load_registry().parameters:
        aliases = {dotted.replace(".", "_")}
        if dotted.startswith("simulation."):
            aliases.add(dotted.split(".", 1)[1])
        for flat in aliases:
            if flat in names and names[flat] != dotted:
                raise RuntimeError(f"keyword {flat!r} names both {names[flat]} and {dotted}")
            names[flat] = dotted
    return names


def to_overrides(keywords: Mapping[str, Any]) -> dict[str, Any]:
    """Flat keyword arguments as registry overrides (dotted names).

    Raises:
        ParameterError: for a keyword that names no parameter, with the closest names.
    """
    names = flat_names()
    out: dict[str, Any] = {}
    for key, value in keywords.items():
        dotted = names.get(key)
        if dotted is None:
            dotted = key if key in load_registry().parameters else None
        if dotted is None:
            close = [f for f in names if f.endswith(key) or key.endswith(f.split("_")[-1])][:3]
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise ParameterError(
                key,
                value,
                hint + "a parameter's flat name, e.g. worker_sharing_capacity "
                "(`python run_experiment.py list` shows them dotted)",
                "unknown keyword",
            )
        out[dotted] = value
    return out


def _seed(rng: Any) -> np.random.SeedSequence:
    """The run's seed sequence; ``None`` draws fresh entropy from the operating system."""
    if rng is None:
        return np.random.SeedSequence()
    return seed_sequence(rng)


def resolve(
    params: Params | None,
    scenario: Any,
    rng: Any,
    keywords: Mapping[str, Any],
) -> ModelSetup:
    """Resolve the model's constructor arguments.

    Args:
        params: already validated parameters (the path of :func:`sim.simulate`); then no
            scenario fields or keywords may be given.
        scenario: preset name, ``a+b``, scenario file, dict of overrides, a
            :class:`sim.scenarios.Scenario` or a Mesa scenario; None for ``basis``.
        rng: int, numpy SeedSequence or None (a fresh random seed).
        keywords: flat parameter names (and ``preset``) with their values.

    Raises:
        ParameterError: an unknown keyword or a value the registry does not allow.
        ScenarioError: an unknown preset or a malformed scenario file.
        ValueError: parameters given both as ``params`` and as keywords.
    """
    keywords = dict(keywords)
    preset = keywords.pop("preset", None)
    if isinstance(scenario, MesaScenario):
        fields = {k: v for k, v in vars(scenario).items() if k not in ("rng", "model", "preset")}
        fields = {k: v for k, v in fields.items() if not k.startswith("_")}
        keywords = {**fields, **keywords}
        preset = preset if preset is not None else getattr(scenario, "preset", None)
        rng = rng if rng is not None else scenario.rng
        scenario = None
    if preset is not None:
        if scenario is not None and scenario != preset:
            raise ValueError(f"scenario={scenario!r} and preset={preset!r}: give one of them")
        scenario = preset
    spec = load_scenario(scenario)
    if params is not None:
        if keywords:
            raise ValueError(
                "give parameters either as a Params object or as keywords, not both "
                f"(keywords: {', '.join(sorted(keywords))})"
            )
    else:
        params = load_registry().resolve(spec.overrides, to_overrides(keywords))
    seq = _seed(rng)
    mesa_seed = int(seq.generate_state(1, np.uint32)[0])
    preset_name = scenario if isinstance(scenario, str) else spec.name
    mesa_scenario = ModelScenario(rng=mesa_seed, preset=preset_name, **keywords)
    return ModelSetup(params, seq, spec, mesa_scenario)
