"""Sparse sampling of rare events over all workers (shared/PERFORMANCE.md, 'rare events')."""

from __future__ import annotations

import numpy as np


def sample_rows(n: int, p_max: float, rng: np.random.Generator) -> np.ndarray:
    """Distinct candidate rows, each of ``n`` rows drawn with probability about ``p_max``.

    Thin the result by each row's own probability divided by ``p_max`` to get events with
    that probability, without one draw per worker.
    """
    if n == 0 or p_max <= 0:
        return np.empty(0, dtype=np.int64)
    k = int(rng.binomial(n, min(p_max, 1.0)))
    return np.unique(rng.integers(0, n, size=k))
