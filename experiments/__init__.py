"""Batch experiments with the werk-naar-werk model.

Experiment files (:mod:`experiments.spec`), seeds (:mod:`experiments.seeds`), the run
design (:mod:`experiments.design`), the parallel and cluster runner
(:mod:`experiments.runner`, :mod:`experiments.worker`), the results folder
(:mod:`experiments.store`), analysis (:mod:`experiments.analysis`,
:mod:`experiments.sensitivity`, :mod:`experiments.tables`) and the report
(:mod:`experiments.report`). The command line is :mod:`experiments.cli`
(``python run_experiment.py --help``), a thin printer around
:func:`experiments.batch.run_experiment`; the user guide is ``docs/EXPERIMENTS.md``.
"""

from typing import Any

__all__ = ["load_experiment", "load_model_api", "run_experiment"]


def __getattr__(name: str) -> Any:
    """``run_experiment``, ``load_experiment`` and ``load_model_api``, imported on first use."""
    if name == "run_experiment":
        from experiments.batch import run_experiment

        return run_experiment
    if name == "load_experiment":
        from experiments.spec import load_experiment

        return load_experiment
    if name == "load_model_api":
        from experiments.model_api import load_model_api

        return load_model_api
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
