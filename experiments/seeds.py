"""Seeds for batch runs: one root seed, common random numbers across scenarios.

Replication ``r`` of every scenario (and of every sweep or sample point) draws from
``SeedSequence(root_seed, spawn_key=(r,))``. Two scenarios therefore meet the same random
draws wherever their paths have not diverged, and differences between them are paired.
"""

from __future__ import annotations

import numpy as np


def spawn_key(replication: int) -> tuple[int, ...]:
    """The spawn key of replication ``replication``; independent of scenario and point.

    Args:
        replication: Replication number, 0-based.

    Returns:
        The spawn key as a tuple of non-negative integers.
    """
    if replication < 0:
        raise ValueError(f"replication must be >= 0, got {replication}")
    return (int(replication),)


def run_seed(root_seed: int, key: tuple[int, ...]) -> np.random.SeedSequence:
    """The seed sequence a run hands to the model.

    Args:
        root_seed: The experiment's root seed (a non-negative integer).
        key: The run's spawn key, from :func:`spawn_key`.

    Returns:
        ``numpy.random.SeedSequence(root_seed, spawn_key=key)``.
    """
    return np.random.SeedSequence(int(root_seed), spawn_key=tuple(int(k) for k in key))
