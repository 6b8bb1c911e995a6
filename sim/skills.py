"""Skill distance between sectors.

Each sector is placed in a five-dimensional task space (manual, technical, care and
guidance, customer service, cognitive/administrative) by the ``skill.task_*`` parameters.
The distance between two sectors is the share of tasks that differ: half the L1 distance
between their normalised task profiles (0 = same tasks, 1 = nothing in common). This is a
stylised assumption in the spirit of task-based measures (O*NET, Autor-Levy-Murnane); the
source document only says that moving between shrinking and growing sectors is hard.
"""

from __future__ import annotations

import numpy as np

from sim.registry import Params

TASKS = ("manual", "technical", "care", "service", "cognitive")


def task_profiles(params: Params) -> np.ndarray:
    """Sectors x tasks matrix of task shares, each row normalised to sum to one."""
    prof = np.stack([params[f"skill.task_{t}"] for t in TASKS], axis=1)
    sums = prof.sum(axis=1, keepdims=True)
    if np.any(sums <= 0):
        raise ValueError("every sector needs a positive task profile (skill.task_*)")
    return prof / sums


def distance_matrix(params: Params) -> np.ndarray:
    """Sectors x sectors skill distance in [0, 1], zero on the diagonal."""
    prof = task_profiles(params)
    return 0.5 * np.abs(prof[:, None, :] - prof[None, :, :]).sum(axis=2)
