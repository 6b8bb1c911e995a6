"""Small sampling helpers shared by the rules (no model logic here)."""

from __future__ import annotations

import numpy as np


def stochastic_round(x: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round down or up at random so that the expectation is ``x`` (x >= 0)."""
    x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(np.int64)


def bernoulli(rows: np.ndarray, p: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The subset of ``rows`` that succeed, each with its probability ``p``."""
    if len(rows) == 0:
        return rows
    return rows[rng.random(len(rows)) < p]


def thin_by_group(rows: np.ndarray, groups: np.ndarray, wanted: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """About ``wanted[g]`` rows of each group ``g``, each row kept with equal chance.

    Bernoulli thinning with p = wanted / available per group: one pass, no sorting
    (shared/PERFORMANCE.md); the count is binomial around the wanted number and capped by what
    is available.
    """
    if len(rows) == 0:
        return rows
    avail = np.bincount(groups, minlength=len(wanted))
    p = np.divide(wanted, avail, out=np.zeros(len(wanted)), where=avail > 0)
    return rows[rng.random(len(rows)) < np.clip(p, 0.0, 1.0)[groups]]


def cap(rows: np.ndarray, limit: float, rng: np.random.Generator) -> np.ndarray:
    """At most about ``limit`` of ``rows``, chosen at random (all when under the limit)."""
    if len(rows) <= limit:
        return rows
    return rows[rng.random(len(rows)) < limit / len(rows)]
