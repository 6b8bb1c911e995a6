"""Worker state as columns: the single source of truth for every worker.

All worker attributes live in numpy arrays of a :class:`WorkerTable`, one row per worker
agent. Rows are never removed or reordered (a retired worker keeps its row), so a Mesa
:class:`~sim.agents.Worker` can be a thin view on a fixed row index. The monthly update
works on whole columns. Status and sector change only through
:meth:`WorkerTable.set_status`, the one function that resets the months-in-status counter
and keeps the running counts by status and employer class (``table.class_counts``, from
which ``table.counts`` by status and sector follows) up to date; the ``status``,
``sector`` and ``employer`` columns are handed out read-only so that nothing else can.
"""

from __future__ import annotations

from enum import Enum

import numpy as np


class Code(np.int8, Enum):
    """An enumeration whose members are numpy ``int8`` scalars, like the columns they code.

    Why not ``IntEnum``: numpy treats an ``int`` subclass as a strong int64 scalar, so
    ``status == Status.JOB_SEEKER`` over an int8 column first casts the whole column to
    int64. Over 44,000 workers that comparison took 27 microseconds with an IntEnum member
    and 3 with an int8 member (benchmarks/bench_model.py machine, numpy 2). Members compare
    equal to plain ints (``Status.EMPLOYED == 0``) and index arrays; in arithmetic they
    are int8, so widen before multiplying (``.astype(np.intp)``).
    """

    def __str__(self) -> str:
        return str(int(self))


class Status(Code):
    """Labour status of a worker. Codes are contiguous: 0-2 are in employment (ILO)."""

    EMPLOYED = 0
    SECONDED = 1
    TEMPORARILY_UNEMPLOYED = 2
    JOB_SEEKER = 3
    TRAINING = 4
    INACTIVE = 5
    RETIRED = 6


STATUS_LABELS: dict[Status, dict[str, str]] = {
    Status.EMPLOYED: {"nl": "werkend", "en": "employed"},
    Status.SECONDED: {"nl": "gedeeld (uitgeleend)", "en": "seconded (shared)"},
    Status.TEMPORARILY_UNEMPLOYED: {"nl": "tijdelijk werkloos", "en": "temporarily unemployed"},
    Status.JOB_SEEKER: {"nl": "werkzoekend", "en": "job seeker"},
    Status.TRAINING: {"nl": "in opleiding", "en": "in training"},
    Status.INACTIVE: {"nl": "inactief", "en": "inactive"},
    Status.RETIRED: {"nl": "gepensioneerd", "en": "retired"},
}
N_STATUS = len(Status)


class Education(Code):
    """Highest education level."""

    LOW = 0
    MID = 1
    HIGH = 2


class Course(Code):
    """Type of VDAB course a worker follows (NONE when not in a course)."""

    NONE = 0
    SHORT = 1
    RETRAINING = 2
    DIGITAL = 3


COURSE_NAMES = {Course.SHORT: "short", Course.RETRAINING: "retraining", Course.DIGITAL: "digital"}

NO_SECTOR = -1
#: columns whose value for "none" is -1: a row appended without them gets -1
_NONE_IS_MINUS_ONE = frozenset({"employer", "host_employer"})
_GUARDED = frozenset({"status", "sector", "employer"})

#: column name -> dtype; the layout of the worker table (compact types, see shared/PERFORMANCE.md).
COLUMNS: dict[str, type] = {
    "status": np.int8,
    "sector": np.int8,  # home sector (employer) or last sector; -1 never worked
    "employer": np.int8,  # employer class (sector x growth, sim/employers.py) or last; -1 none
    "skill": np.int8,  # sector whose skill profile the worker holds
    "cert": np.int8,  # sector of a short-module certificate, -1 none
    "host": np.int8,  # borrowing sector while seconded, -1 otherwise
    "host_employer": np.int8,  # borrowing employer class while seconded, -1 otherwise
    "education": np.int8,
    "low_digital": np.bool_,
    "employee": np.bool_,  # False: self-employed (no temporary unemployment)
    "age_months": np.int16,
    "months_in_status": np.int16,
    "unemployment_months": np.int16,
    "attachment": np.float32,  # attachment to work, 0..1
    "registered": np.bool_,  # known to VDAB (registered job seeker, or temporarily
    # unemployed after the RVA data lag)
    "course": np.int8,
    "course_left": np.int8,
    "course_target": np.int8,
    "counselled": np.bool_,  # counselled by VDAB this month
    "secondment_left": np.int8,
    "tu_days": np.int8,  # days of partial temporary unemployment this month (at work), 0 none
    "tu_months": np.int16,  # months of full-time temporary unemployment with this employer
    "flags": np.int8,  # policy participation bits (see sim.policies)
}

#: (private array, column, value of a row appended without it) in column order
_APPEND_ORDER = tuple(
    ("_" + name, name, -1 if name in _NONE_IS_MINUS_ONE else 0) for name in COLUMNS
)


class WorkerTable:
    """Columns of worker state with amortised growth.

    Attributes:
        n: number of rows in use (workers ever created).
    """

    def __init__(self, capacity: int, n_sectors: int, n_classes: int | None = None) -> None:
        self._views: dict[str, np.ndarray] = {}
        self.n = 0
        self._cap = max(16, capacity)
        self.n_sectors = n_sectors
        self.n_classes = n_classes if n_classes is not None else n_sectors
        if self.n_classes % n_sectors:
            raise ValueError("n_classes must be a multiple of n_sectors (classes by sector)")
        #: running counts by employer class: class_counts[status, class + 1] (column 0:
        #: none); a sector's classes are contiguous, class // (n_classes / n_sectors)
        self.class_counts = np.zeros((N_STATUS, self.n_classes + 1), dtype=np.int64)
        self._counts: np.ndarray | None = None
        for name, dtype in COLUMNS.items():
            setattr(self, "_" + name, np.zeros(self._cap, dtype=dtype))

    def __getattr__(self, name: str) -> np.ndarray:
        # columns are exposed as views of the rows in use: table.status, table.sector, ...
        # (views are cached until the next append changes the rows in use, also as instance
        # attributes, so that later reads do not come through here: about 140 a month)
        views = self.__dict__["_views"]
        view = views.get(name)
        if view is not None:
            return view
        if name in COLUMNS:
            return self._cache_view(name)
        raise AttributeError(name)

    def _cache_view(self, name: str) -> np.ndarray:
        """The view of column ``name`` on the rows in use, cached (read-only if guarded)."""
        d = self.__dict__
        view = d["_" + name][: d["n"]]
        if name in _GUARDED:
            view.flags.writeable = False
        d["_views"][name] = view
        d[name] = view
        return view

    def __setattr__(self, name: str, value: object) -> None:
        # `table.age_months += 1` rebinds the attribute after the in-place add: write the
        # values into the column instead of shadowing it with a fixed-size view.
        if name in _GUARDED:
            raise AttributeError(f"'{name}' changes only through set_status()")
        if name in COLUMNS:
            if value is self.__dict__["_views"].get(name):
                return  # `table.col += x` already wrote in place
            self.__dict__["_" + name][: self.n] = value
        else:
            object.__setattr__(self, name, value)

    def append(self, columns: dict[str, np.ndarray | object]) -> np.ndarray:
        """Add rows; every column not given is zero. Returns the new row indices.

        A column may be a scalar, the same for every new row; at least one is an array.
        """
        k = next(len(v) for v in columns.values() if isinstance(v, np.ndarray))
        start, stop = self.n, self.n + k
        if stop > self._cap:
            self._grow(stop)
        d = self.__dict__
        for private, name, default in _APPEND_ORDER:
            d[private][start:stop] = columns.get(name, default)
        self.n = stop
        # the views cached so far are re-sliced at once: about half the cost of dropping
        # them and letting __getattr__ make each again at its next read
        for name in tuple(self._views):
            self._cache_view(name)
        self._count_new(start, stop, columns)
        return np.arange(start, stop)

    def _grow(self, rows: int) -> None:
        """Reallocate every column for at least ``rows`` rows (by a quarter at least)."""
        new_cap = max(rows, int(self._cap * 1.25))
        for name in COLUMNS:
            old = self.__dict__["_" + name]
            arr = np.zeros(new_cap, dtype=old.dtype)
            arr[: self.n] = old[: self.n]
            self.__dict__["_" + name] = arr
        self._cap = new_cap

    def _count_new(self, start: int, stop: int, columns: dict[str, np.ndarray | object]) -> None:
        """Add new rows ``start:stop`` to the running counts (``set_status`` moves others)."""
        self._counts = None
        status = columns.get("status", 0)
        if "employer" not in columns and not isinstance(status, np.ndarray):
            # newcomers: one status and no employer class (column 0): no key, no bincount
            self.class_counts[status, 0] += stop - start
            return
        key = self._status[start:stop].astype(np.intp)
        key *= self.class_counts.shape[1]
        key += self._employer[start:stop]
        key += 1
        flat = self.class_counts.reshape(-1)
        flat += np.bincount(key, minlength=flat.size)

    @property
    def counts(self) -> np.ndarray:
        """Workers by status and sector: counts[status, sector + 1] (column 0: no sector).

        Summed from the running counts by employer class (a sector's classes are
        contiguous) when first asked for after a change; read-only.
        """
        if self._counts is None:
            c = self.class_counts
            per_sector = self.n_classes // self.n_sectors
            out = np.empty((N_STATUS, self.n_sectors + 1), dtype=np.int64)
            out[:, 0] = c[:, 0]
            out[:, 1:] = c[:, 1:].reshape(N_STATUS, self.n_sectors, per_sector).sum(axis=2)
            out.flags.writeable = False
            self._counts = out
        return self._counts

    def set_status(
        self,
        rows: np.ndarray,
        status: int | np.ndarray,
        sector: int | np.ndarray | None = None,
        employer: int | np.ndarray | None = None,
    ) -> None:
        """Move ``rows`` to ``status`` (and ``sector`` and ``employer`` class if given).

        Restarts their months-in-status counter and updates the running counts. This is
        the only way to change a worker's status, sector or employer class; a new sector
        comes with its employer class.
        """
        if len(rows) == 0:
            return
        if (sector is None) != (employer is None):
            raise ValueError("set_status: give sector and employer together")
        # about nine calls a month: the private columns are read from the instance dict
        # and attributes set there, past this class's __setattr__ (about 10 us a month)
        d = self.__dict__
        key = d["_status"][rows].astype(np.intp)  # old status, below the (status, group) key
        d["_status"][rows] = status
        d["_months_in_status"][rows] = 0
        # every caller but a few moves its rows to one status: then the rows' groups are
        # added to that status's row of the counts, without a second key and bincount
        one_status = not isinstance(status, np.ndarray)
        d["_counts"] = None  # the counts by sector follow from the class counts when asked
        if sector is not None:
            d["_sector"][rows] = sector
        counts, column = self.class_counts, d["_employer"]
        width = counts.shape[1]
        flat = counts.reshape(-1)
        old = column[rows].astype(np.intp)
        old += 1
        key *= width
        key += old
        moved = np.bincount(key, minlength=flat.size)
        flat -= moved
        if employer is None:
            if one_status:  # the same groups, now under ``status``
                counts[status] += np.add.reduce(moved.reshape(counts.shape), axis=0)
                return
            new_code = old
        else:
            column[rows] = employer
            new_code = np.asarray(employer, dtype=np.intp) + 1
        if one_status:
            if new_code.ndim == 0:  # one status and one group for all rows
                counts[status, new_code] += len(rows)
            else:
                counts[status] += np.bincount(new_code, minlength=width)
        else:
            key = np.asarray(status, dtype=np.intp) * width + new_code
            flat += np.bincount(key, minlength=flat.size)

    def recount(self) -> np.ndarray:
        """Counts by status and sector from scratch (to check the running counts)."""
        key = self.status.astype(np.intp) * (self.n_sectors + 1) + self.sector + 1
        return np.bincount(key, minlength=self.counts.size).reshape(self.counts.shape)

    def recount_classes(self) -> np.ndarray:
        """Counts by status and employer class from scratch (to check the running counts)."""
        key = self.status.astype(np.intp) * (self.n_classes + 1) + self.employer + 1
        shape = self.class_counts.shape
        return np.bincount(key, minlength=self.class_counts.size).reshape(shape)

    def status_counts(self) -> np.ndarray:
        """Workers per status."""
        return self.counts.sum(axis=1)

    def anyone(self, status: Status) -> bool:
        """Whether any worker has ``status``, from the running counts (no scan of the table).

        Rules skip their scan for a status nobody has: full-time temporary unemployment
        outside the shocks, secondments outside the worker-sharing pilot.
        """
        return bool(self.class_counts[status].any())

    def jobs_held(self) -> np.ndarray:
        """Jobs held per home sector: at work, seconded out or temporarily unemployed."""
        return self.counts[: Status.TEMPORARILY_UNEMPLOYED + 1, 1:].sum(axis=0)

    def nbytes(self) -> int:
        """Bytes held by the columns (allocated capacity)."""
        return sum(self.__dict__["_" + name].nbytes for name in COLUMNS)
