"""The model takes Mesa's conventions: keyword arguments, rng=None, a DataCollector, an end."""

import mesa
import numpy as np
import pytest

import sim
from sim import LabourMarketModel, ParameterError
from sim.agents import Worker
from sim.arguments import flat_names, to_overrides
from sim.state import Status

SMALL = {"persons_per_agent": 5000, "end": "2019-06"}


def test_flat_names_map_one_to_one_onto_the_registry():
    names = flat_names()
    assert names["worker_sharing_capacity"] == "worker_sharing.capacity"
    assert names["persons_per_agent"] == "simulation.persons_per_agent"
    assert set(names.values()) == set(sim.load_registry().parameters)


def test_keywords_are_validated_by_the_registry():
    model = LabourMarketModel(scenario="werknemersdelen", worker_sharing_capacity=6000, **SMALL)
    assert model.params["worker_sharing.capacity"] == 6000
    assert model.params["worker_sharing.enabled"] is True  # from the preset
    with pytest.raises(ParameterError, match=r"worker_sharing\.capacity.*out of range"):
        LabourMarketModel(worker_sharing_capacity=-5, **SMALL)
    with pytest.raises(ParameterError, match=r"unknown keyword.*worker_sharing_capacity"):
        to_overrides({"worker_sharing_capacty": 10})


def test_keywords_give_the_same_run_as_simulate():
    model = LabourMarketModel(scenario="alle-hens-aan-dek", rng=4, **SMALL).run()
    result = sim.simulate(
        "alle-hens-aan-dek",
        seed=4,
        overrides={"simulation.persons_per_agent": 5000, "simulation.end": "2019-06"},
    )
    assert model.recorder.monthly().equals(result.monthly)


def test_rng_none_draws_a_seed_that_repeats_the_run():
    first = LabourMarketModel(rng=None, **SMALL).run()
    again = LabourMarketModel(rng=first.seed_sequence.entropy, **SMALL).run()
    other = LabourMarketModel(rng=None, **SMALL).run()
    assert first.recorder.monthly().equals(again.recorder.monthly())
    assert first.seed_sequence.entropy != other.seed_sequence.entropy


def test_datacollector_collects_every_month_in_persons_and_the_model_stops():
    model = LabourMarketModel(rng=1, **SMALL)
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert steps == 6
    collected = model.datacollector.get_model_vars_dataframe()
    monthly = model.recorder.monthly()
    assert list(collected["month"]) == list(monthly["month"])
    assert list(collected["employed"]) == list(monthly["employed"])  # persons, not agents
    agents_employed = model.workers.counts.sum()  # every agent, for scale
    assert collected["employed"].iloc[-1] > agents_employed
    with pytest.raises(RuntimeError, match="ended with 2019-06"):
        model.step()


def test_params_object_and_keywords_do_not_mix():
    params = sim.load_registry().defaults()
    with pytest.raises(ValueError, match="not both"):
        LabourMarketModel(params, persons_per_agent=1000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(813), 813),
        (np.int32(813), 813),
        (np.float32(813), 813),
        (np.float64(813.0), 813),
        (813.0, 813),
    ],
)
def test_numpy_and_integral_numbers_for_a_whole_number_lever(value, expected):
    got = sim.load_registry().check("worker_sharing.capacity", value)
    assert got == expected and type(got) is int


def test_numpy_bool_and_float_are_accepted():
    reg = sim.load_registry()
    assert reg.check("worker_sharing.enabled", np.bool_(True)) is True
    got = reg.check("matching.hire_probability", np.float32(0.25))
    assert type(got) is float and abs(got - 0.25) < 1e-7


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (813.5, "round it, e.g. to 814"),
        (np.float64(0.5), "round it"),
        (True, "not a number"),
        (np.bool_(False), "not a number"),
        ("813", "not a number"),
        (10**400, "too large"),
        (float("inf"), "not finite"),
    ],
)
def test_refusals_say_what_to_do(value, problem):
    with pytest.raises(ParameterError, match=problem) as err:
        sim.load_registry().check("worker_sharing.capacity", value)
    assert len(str(err.value)) < 300  # a huge value does not flood the message


def test_workers_are_mesa_agents_made_only_when_asked_for():
    model = LabourMarketModel(rng=2, **SMALL)
    assert model.worker_agents.n_made == 0  # none built with the model
    workers = model.agents_by_type[Worker]
    assert Worker in model.agent_types and len(workers) == model.workers.n
    agent = workers[7]
    assert isinstance(agent, mesa.Agent) and agent.model is model and agent.row == 7
    assert model.worker_agents[7] is agent  # the same object ever after
    assert agent in workers and agent in model.agents
    assert model.worker_agents[-1].row == model.workers.n - 1
    with pytest.raises(IndexError, match="out of range"):
        model.worker_agents[model.workers.n]
    # unique ids as Mesa's counter gives them: sectors, VDAB, then workers by row, entrants
    registered = len(model.agents) - model.workers.n
    assert agent.unique_id == registered + 1 + 7
    n_start = model.workers.n
    model.run()
    assert model.workers.n > n_start  # school leavers and immigrants entered
    ids = [a.unique_id for a in model.agents]
    assert ids == list(range(1, len(ids) + 1)) and model.agent_id_counter == len(ids) + 1


def test_worker_set_behaves_like_mesas_agentsets():
    model = LabourMarketModel(rng=3, **SMALL)
    workers = model.agents_by_type[Worker]
    employed = workers.select(lambda a: a.status == Status.EMPLOYED)
    assert len(employed) == int(model.workers.counts[Status.EMPLOYED].sum())
    assert len(workers.select(at_most=5)) == 5
    assert workers.agg("age", max) == model.workers.age_months.max() / 12
    groups = workers.groupby("education").count()
    assert sum(groups.values()) == model.workers.n
    seen: list[int] = []
    workers.shuffle_do(lambda a: seen.append(a.row))
    assert sorted(seen) == list(range(model.workers.n)) and seen != sorted(seen)
    assert workers.map("as_dict")[3]["row"] == 3
    for refused in (lambda: workers.add(workers[0]), lambda: workers[0].remove()):
        with pytest.raises(TypeError, match=r"never removed|cannot be removed"):
            refused()


def test_datacollector_agent_reporters_see_every_worker():
    model = LabourMarketModel(rng=1, **SMALL)
    collector = mesa.DataCollector(agenttype_reporters={Worker: {"status": "status"}})
    model.step()
    collector.collect(model)
    frame = collector.get_agenttype_vars_dataframe(Worker)
    assert len(frame) == model.workers.n
    assert (frame["status"] == Status.EMPLOYED).sum() == model.workers.counts[0].sum()
