"""Batch experiments with the werk-naar-werk model.

Experiment files (:mod:`experiments.spec`), seeds (:mod:`experiments.seeds`), the run
design (:mod:`experiments.design`), the parallel and cluster runner
(:mod:`experiments.runner`, :mod:`experiments.worker`), the results folder
(:mod:`experiments.store`), analysis (:mod:`experiments.analysis`,
:mod:`experiments.sensitivity`, :mod:`experiments.tables`) and the report
(:mod:`experiments.report`). The command line is :mod:`experiments.cli`
(``python run_experiment.py --help``); the user guide is ``docs/EXPERIMENTS.md``.
"""
