"""Small sampling helpers shared by the rules (no model logic here).

They take uniform numbers keyed by worker (``Draws.uniform``) rather than a generator,
so that which workers are picked does not depend on the order or size of the arrays
(see sim/streams.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.streams import Draws


def stochastic_round(x: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round down or up at random so that the expectation is ``x`` (x >= 0)."""
    x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(np.int64)


def thin_by_group(
    rows: np.ndarray, groups: np.ndarray, wanted: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """About ``wanted[g]`` rows of each group ``g``, each row kept with equal chance.

    Bernoulli thinning with p = wanted / available per group: one pass, no sorting
    (shared/PERFORMANCE.md); the count is binomial around the wanted number and capped by
    what is available. ``u`` holds one keyed uniform number per row.
    """
    if len(rows) == 0:
        return rows
    avail = np.bincount(groups, minlength=len(wanted))
    p = np.divide(wanted, avail, out=np.zeros(len(wanted)), where=avail > 0)
    return rows[u < np.minimum(np.maximum(p, 0.0), 1.0)[groups]]


def at_most_by_group(
    rows: np.ndarray, groups: np.ndarray, limit: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """At most ``limit[g]`` rows of each group ``g``: those with the lowest ``u``.

    Exact, unlike :func:`thin_by_group`: used where a cap must hold (no more entries into
    a sector than it has open vacancies). Returns the kept rows in their given order.
    """
    if len(rows) == 0:
        return rows
    order = np.lexsort((u, groups))
    g = groups[order]
    start = np.searchsorted(g, g, side="left")
    rank = np.arange(len(g)) - start
    keep = np.zeros(len(rows), dtype=bool)
    keep[order[rank < np.asarray(limit)[g]]] = True
    return rows[keep]


def sparse_thin_by_group(
    draws: Draws,
    n_rows: int,
    avail: np.ndarray,
    is_member: Callable[[np.ndarray], np.ndarray],
    groups: np.ndarray,
    wanted: np.ndarray,
    tag: str,
) -> np.ndarray:
    """Like :func:`thin_by_group` over the member rows of the table, in O(picked).

    Each member row of group g is picked with p_g = wanted_g / avail_g: candidates are
    sampled sparsely over the whole table with the largest p_g (row-keyed, sim/streams.py),
    kept if ``is_member(candidates)`` and then thinned to their own group's p_g.

    Args:
        draws: the keyed draws of the calling process.
        n_rows: rows in the table.
        avail: member rows per group (the callers have it from the running counts or one
            count, so that no full-table mask is needed here).
        is_member: mask of the members among candidate rows.
        groups: group of every row (a full column).
        wanted: rows wanted per group.
        tag: names the draws.
    """
    p = np.minimum(
        np.maximum(np.divide(wanted, avail, out=np.zeros(len(wanted)), where=avail > 0), 0.0), 1.0
    )
    p_max = float(p.max()) if len(p) else 0.0
    if p_max <= 0.0:
        return np.empty(0, dtype=np.int64)
    cand = draws.sample(n_rows, p_max, tag)
    cand = cand[is_member(cand)]
    return cand[draws.uniform(cand, tag) < p[groups[cand]] / p_max]


def lowest(rows: np.ndarray, limit: float, u: np.ndarray) -> np.ndarray:
    """At most ``limit`` rows: those with the lowest keyed numbers ``u`` (all if fewer).

    A worker's number is the same in every scenario, so whoever gets a place under a
    limit in one scenario gets it in another with the same or a larger limit.
    """
    k = int(max(limit, 0))
    if len(rows) <= k:
        return rows
    if k == 0:
        return rows[:0]
    return rows[np.argpartition(u, k - 1)[:k]]
