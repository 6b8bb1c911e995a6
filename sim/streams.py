"""Independent random streams, one per stochastic process.

Every stream is derived from the run's :class:`numpy.random.SeedSequence` with a spawn key
made from the process name, so that adding, removing or switching a process (a policy
lever, say) never shifts the draws of the others. Same seed, same streams, bit for bit.
"""

from __future__ import annotations

import zlib

import numpy as np


def seed_sequence(rng: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """Normalise a seed (int or SeedSequence) to a SeedSequence."""
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(f"seed must be an int or numpy SeedSequence, got {type(rng).__name__}")
    return np.random.SeedSequence(int(rng))


class Streams:
    """Named generators derived from one SeedSequence; created on first use."""

    def __init__(self, root: np.random.SeedSequence) -> None:
        self._root = root
        self._gens: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._gens.get(name)
        if gen is None:
            key = (*self._root.spawn_key, zlib.crc32(name.encode()))
            ss = np.random.SeedSequence(self._root.entropy, spawn_key=key,
                                        pool_size=self._root.pool_size)
            gen = self._gens[name] = np.random.Generator(np.random.PCG64(ss))
        return gen
