"""Recipe: the EMA workbench drives the model (levers, uncertainties, outcomes).

Integer and boolean parameters come from EMA as numpy numbers; the model takes them as
they are. Flat keyword names (``worker_sharing_capacity``) map to the registry's dotted
names (``worker_sharing.capacity``). The experiments run on EMA's
``MultiprocessingEvaluator``; note (docs/RECIPES.md) that it hangs when a model raises, so
check parameter ranges before a long run.

Run: ``python examples/ema_workbench_levers.py``
"""

from ema_workbench import (
    BooleanParameter,
    IntegerParameter,
    Model,
    MultiprocessingEvaluator,
    RealParameter,
    ScalarOutcome,
    perform_experiments,
)

from sim import LabourMarketModel


def werk_naar_werk(seed: int = 1, **parameters: object) -> dict[str, float]:
    """One run at a small scale; the outcomes of December 2021, in persons."""
    model = LabourMarketModel(
        scenario="basis", persons_per_agent=5000, end="2021-12", rng=seed, **parameters
    )
    model.run()
    last = model.datacollector.get_model_vars_dataframe().iloc[-1]
    return {"employed": float(last["employed"]), "shortage": float(last["vacancies_open_3m"])}


def build() -> Model:
    """The EMA model: one uncertainty, an integer and a boolean lever, two outcomes."""
    model = Model("werknaarwerk", function=werk_naar_werk)
    model.uncertainties = [RealParameter("matching_hire_probability", 0.15, 0.35)]
    model.levers = [
        BooleanParameter("worker_sharing_enabled"),
        IntegerParameter("worker_sharing_capacity", 1000, 10000),
    ]
    model.outcomes = [ScalarOutcome("employed"), ScalarOutcome("shortage")]
    return model


def main():
    """Three scenarios x two policies on two processes."""
    with MultiprocessingEvaluator(build(), n_processes=2) as evaluator:
        experiments, outcomes = perform_experiments(
            build(), scenarios=3, policies=2, evaluator=evaluator
        )
    cols = ["matching_hire_probability", "worker_sharing_enabled", "worker_sharing_capacity"]
    table = experiments[cols].assign(**outcomes)
    print(table.to_string())
    return table


if __name__ == "__main__":
    main()
