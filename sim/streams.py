"""Random numbers that keep scenarios paired (common random numbers).

Every stochastic process of the model draws from its own source, derived from the run's
:class:`numpy.random.SeedSequence` and the process name, so that adding, removing or
switching a process (a policy lever, say) never shifts the draws of the others.

Within a process, the draws that concern workers are **keyed by worker row and month**, not
by position in a filtered array: a worker's separation draw in May 2021 is the same number
in ``basis`` and in ``alle-hens-aan-dek``, whatever else differs between the two runs.
Without this, one extra trainee would shift every later draw and paired differences
between scenarios would drown in noise. Two tools do this:

- :meth:`Draws.uniform` hashes (seed, process, month, tag, row) with the SplitMix64
  finaliser (a counter-based generator, as in Random123): cost proportional to the rows
  asked for;
- :meth:`Draws.sample` picks rows of the whole table independently with probability p by
  geometric skips from a per-month generator (sparse sampling of rare events, cost
  proportional to the rows picked); the table has the same rows in every scenario.

Aggregate draws (stochastic rounding of sector counts, vacancy ages) use :attr:`Draws.rng`,
a generator per process and month. Same seed, same numbers, bit for bit.
"""

from __future__ import annotations

import functools
import math
import zlib

import numpy as np

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
# constants as 0-d arrays: numpy combines an array with a 0-d array about twice as fast as
# with a numpy scalar, and the hash below is a chain of small operations
_G = np.array(_GOLDEN, dtype=np.uint64)
_UM1, _UM2 = np.array(_M1, dtype=np.uint64), np.array(_M2, dtype=np.uint64)
_S30, _S27, _S31, _S11 = (np.array(k, dtype=np.uint64) for k in (30, 27, 31, 11))
_TO_UNIT_F = 1.0 / 9007199254740992.0  # 2**-53
_TO_UNIT = np.array(_TO_UNIT_F)
_FEW = 6


def seed_sequence(rng: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """Normalise a seed (int or SeedSequence) to a SeedSequence."""
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(f"seed must be an int or numpy SeedSequence, got {type(rng).__name__}")
    return np.random.SeedSequence(int(rng))


def _mix(x: int) -> int:
    """SplitMix64 finaliser on a Python int."""
    x &= _MASK
    x = ((x ^ (x >> 30)) * _M1) & _MASK
    x = ((x ^ (x >> 27)) * _M2) & _MASK
    return x ^ (x >> 31)


@functools.cache  # a few dozen names, asked for about 100 times a month
def _name_key(name: str) -> int:
    return zlib.crc32(name.encode())


def keyed_uniform(key: int | np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) numbers, one per id, fixed by (key, id).

    ``key`` may be an array of k keys: the result then has shape (k, len(ids)), row i
    equal to ``keyed_uniform(key[i], ids)``, for the cost of one call.
    """
    if len(ids) <= _FEW and not isinstance(key, np.ndarray):
        # a handful of ids (stochastic rounding of a few counts): Python ints beat the
        # fourteen numpy calls below; the same numbers (tests/test_sampling.py)
        return np.array(
            [(_mix(key + i * _GOLDEN) >> 11) * _TO_UNIT_F for i in ids.tolist()], dtype=np.float64
        )
    x = ids.astype(np.uint64)
    x *= _G
    if isinstance(key, np.ndarray):  # (np.ndim costs more than the add)
        x = x[None, :] + key.astype(np.uint64)[:, None]
    else:
        x += np.array(key, dtype=np.uint64)
    t = np.right_shift(x, _S30)
    x ^= t
    x *= _UM1
    np.right_shift(x, _S27, out=t)
    x ^= t
    x *= _UM2
    np.right_shift(x, _S31, out=t)
    x ^= t
    x >>= _S11
    u = x.astype(np.float64)
    u *= _TO_UNIT
    return u


class Draws:
    """The random numbers of one process in one month."""

    def __init__(
        self, root: np.random.SeedSequence, root_key: int, process: str, month: int
    ) -> None:
        self._root = root
        self._process_key = _name_key(process)
        self._month = month
        self._key = _mix(root_key ^ _mix((self._process_key << 20) ^ month))
        self._rng: np.random.Generator | None = None

    def uniform(self, rows: np.ndarray, tag: str = "") -> np.ndarray:
        """One uniform number per row, fixed by (seed, process, month, tag, row)."""
        return keyed_uniform(_mix(self._key ^ _name_key(tag)), rows)

    def uniforms(self, rows: np.ndarray, *tags: str) -> np.ndarray:
        """``uniform(rows, tag)`` for each tag, as the rows of one array, in one pass."""
        keys = np.array([_mix(self._key ^ _name_key(t)) for t in tags], dtype=np.uint64)
        return keyed_uniform(keys, rows)

    @property
    def rng(self) -> np.random.Generator:
        """A generator of this process and month, for aggregate draws."""
        if self._rng is None:
            key = (*self._root.spawn_key, self._process_key, self._month)
            ss = np.random.SeedSequence(
                self._root.entropy, spawn_key=key, pool_size=self._root.pool_size
            )
            self._rng = np.random.Generator(np.random.PCG64(ss))
        return self._rng

    def sample(self, n_rows: int, p: float, tag: str = "") -> np.ndarray:
        """Rows of ``range(n_rows)``, each independently with probability ``p``.

        Geometric skips, from keyed numbers of (process, month, tag): the same rows in
        every scenario whose table has ``n_rows`` rows. Cost proportional to the rows
        picked, not to the table.
        """
        if p <= 0.0 or n_rows == 0:
            return np.empty(0, dtype=np.int64)
        if p >= 1.0:
            return np.arange(n_rows)
        key = _mix(self._key ^ _name_key("sample:" + tag))
        log_q = np.array(math.log1p(-p))  # libm's log1p, as np.log1p
        expected = n_rows * p
        chunk = int(expected + 6.0 * math.sqrt(expected) + 16)
        parts, last, start = [], -1, 0
        while last < n_rows:
            u = keyed_uniform(key, np.arange(start, start + chunk))
            np.negative(u, out=u)  # gap = floor(log(1 - u) / log(1 - p)) + 1
            np.log1p(u, out=u)
            u /= log_q
            np.floor(u, out=u)
            pos = u.astype(np.int64)
            pos += 1
            np.cumsum(pos, out=pos)
            pos += last
            parts.append(pos)
            last = int(pos[-1])
            start += chunk
        pos = np.concatenate(parts) if len(parts) > 1 else parts[0]
        return pos[pos < n_rows]

    def round(self, x: float | np.ndarray, tag: str = "") -> np.ndarray:
        """Stochastic rounding (expectation ``x``, x >= 0) with keyed numbers."""
        x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
        base = np.floor(x)
        u = keyed_uniform(_mix(self._key ^ _name_key("round:" + tag)), np.arange(x.size))
        return (base + (u.reshape(x.shape) < (x - base))).astype(np.int64)


class Streams:
    """Random sources of a run: named generators and per-month keyed draws."""

    def __init__(self, root: np.random.SeedSequence) -> None:
        self._root = root
        self._root_key = int(root.generate_state(2, np.uint64)[0])
        self._gens: dict[str, np.random.Generator] = {}
        self._draws: dict[str, Draws] = {}
        self._draws_month = -1
        self.month = 0

    def __getitem__(self, name: str) -> np.random.Generator:
        """A sequential generator of its own for ``name`` (set-up, policy levers)."""
        gen = self._gens.get(name)
        if gen is None:
            key = (*self._root.spawn_key, _name_key(name))
            ss = np.random.SeedSequence(
                self._root.entropy, spawn_key=key, pool_size=self._root.pool_size
            )
            gen = self._gens[name] = np.random.Generator(np.random.PCG64(ss))
        return gen

    def draws(self, process: str) -> Draws:
        """Keyed draws of ``process`` for the current month (one object per month)."""
        if self._draws_month != self.month:
            self._draws.clear()
            self._draws_month = self.month
        d = self._draws.get(process)
        if d is None:
            d = self._draws[process] = Draws(self._root, self._root_key, process, self.month)
        return d
