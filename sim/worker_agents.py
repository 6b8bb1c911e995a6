"""Worker agents created on demand: one Mesa agent per row, without 4 million Python objects.

Every worker is a Mesa :class:`~sim.agents.Worker` one can inspect, but none is built until
someone asks for it. Why: at one agent per person (``simulation.persons_per_agent: 1``, about
4.3 million rows by 2024) creating and registering a Mesa agent per row took 20 s and 1.2 GB
(4.5 µs and about 280 bytes each in Mesa 3.5's ``Agent.__init__`` and ``register_agent``,
``benchmarks/bench_scale.py``), more than the whole monthly update, while the rules never
touch an agent object: they work on the columns of :class:`~sim.state.WorkerTable`.

What stays as it was with one eager agent per row:

* ``model.agents_by_type[Worker]`` and ``model.worker_agents`` list every row, in row order
  (``len`` is the number of rows; indexing, iteration, ``select``, ``shuffle_do``, ``map``,
  ``agg``, ``groupby`` work as on Mesa's own sets), ``model.agents`` lists the sectors, VDAB
  and then every worker, as Mesa's registry did;
* a worker, once asked for, is kept: the same row gives the same object ever after, so
  Mesa's weak :class:`~mesa.agentset.AgentSet` (what ``select`` and ``shuffle`` return) keeps
  it, and ``agent in model.agents`` holds;
* ``unique_id`` is what Mesa's counter would have given (the ids of a month's entrants are
  reserved from ``model.agent_id_counter`` when their rows are appended);
* the state is the table's in both designs (a Worker only holds its row), so outputs do not
  change (``tests/test_snapshot.py``).

What differs: the sets are read-only (workers enter through ``model.add_workers`` and never
leave: a retired worker keeps its row), and a worker is not in Mesa's private registry
(``model._agents_by_type``); the model's public ``agents``, ``agents_by_type`` and
``agent_types``, which Mesa's DataCollector reads, include the workers.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from mesa.agentset import AbstractAgentSet, AgentSet, GroupBy

from sim.agents import Worker

if TYPE_CHECKING:
    from mesa.agent import Agent

    from sim.model import LabourMarketModel


class ReadOnlyAgentSet(AbstractAgentSet, Sequence):
    """An ordered, read-only agent set over agents that a subclass lists.

    Subclasses give ``__len__``, ``__iter__``, ``__contains__`` and ``__getitem__``. Sets
    derived from it (``select``, ``shuffle``, ``sort``, ``copy``, ``groupby``) are Mesa's
    weak :class:`~mesa.agentset.AgentSet`, as Mesa's own registry returns them.
    """

    @property
    def _agents(self) -> dict:
        # Mesa's get, set and to_list read the agents from this dict (agentset.py, 3.5)
        return dict.fromkeys(self)

    def _refuse(self, what: str) -> None:
        raise TypeError(
            f"{type(self).__name__} is read-only ({what}): workers are rows of the worker "
            "table, added by model.add_workers and never removed; use select() or copy() "
            "for a set of your own"
        )

    def _update(self, agents: Any) -> AbstractAgentSet:
        self._refuse("inplace update")
        raise AssertionError  # unreachable

    def add(self, agent: Agent) -> None:
        """Refused: agents enter through the model."""
        self._refuse("add")

    def discard(self, agent: Agent) -> None:
        """Refused: workers are never removed."""
        self._refuse("discard")

    def remove(self, agent: Agent) -> None:
        """Refused: workers are never removed."""
        self._refuse("remove")

    def copy(self) -> AgentSet:
        """A Mesa AgentSet (weak references) of every agent."""
        return AgentSet(list(self), self.random)

    def __copy__(self) -> AgentSet:
        return self.copy()

    def select(
        self,
        filter_func: Callable[[Agent], bool] | None = None,
        at_most: int | float = float("inf"),
        inplace: bool = False,
        agent_type: type | None = None,
    ) -> AgentSet:
        """The agents that pass ``filter_func`` and are of ``agent_type`` (Mesa's semantics)."""
        if inplace:
            self._refuse("select(inplace=True)")
        if isinstance(at_most, float) and at_most <= 1.0:
            at_most = int(len(self) * at_most)
        chosen = (
            a
            for a in self
            if (filter_func is None or filter_func(a))
            and (agent_type is None or isinstance(a, agent_type))
        )
        limit = None if at_most == float("inf") else int(at_most)
        return AgentSet(list(itertools.islice(chosen, limit)), self.random)

    def shuffle(self, inplace: bool = False) -> AgentSet:
        """The agents in a random order drawn from ``model.random``."""
        if inplace:
            self._refuse("shuffle(inplace=True)")
        agents = list(self)
        self.random.shuffle(agents)
        return AgentSet(agents, self.random)

    def sort(
        self, key: Callable[[Agent], Any] | str, ascending: bool = False, inplace: bool = False
    ) -> AgentSet:
        """The agents sorted by ``key`` (an attribute name or a function)."""
        if inplace:
            self._refuse("sort(inplace=True)")
        if isinstance(key, str):
            key = operator.attrgetter(key)
        return AgentSet(sorted(self, key=key, reverse=not ascending), self.random)

    def groupby(
        self, by: Callable | str, result_type: Literal["agentset", "list"] = "agentset"
    ) -> GroupBy:
        """Agents grouped by an attribute or the result of a function."""
        return self.copy().groupby(by, result_type)

    def _call(self, agents: list, method: str | Callable, args: tuple, kwargs: dict) -> list:
        if isinstance(method, str):
            return [getattr(a, method)(*args, **kwargs) for a in agents]
        return [method(a, *args, **kwargs) for a in agents]

    def do(self, method: str | Callable, *args: Any, **kwargs: Any) -> ReadOnlyAgentSet:
        """Call ``method`` on every agent, in order."""
        self._call(list(self), method, args, kwargs)
        return self

    def shuffle_do(self, method: str | Callable, *args: Any, **kwargs: Any) -> ReadOnlyAgentSet:
        """Call ``method`` on every agent, in a random order drawn from ``model.random``."""
        agents = list(self)
        self.random.shuffle(agents)
        self._call(agents, method, args, kwargs)
        return self

    def map(self, method: str | Callable, *args: Any, **kwargs: Any) -> list[Any]:
        """The result of ``method`` for every agent, in order."""
        return self._call(list(self), method, args, kwargs)


class WorkerAgents(ReadOnlyAgentSet):
    """Every row of the worker table as a Mesa :class:`~sim.agents.Worker`, made on demand.

    ``workers[i]`` is the agent of row ``i`` (negative indices and slices as for a list);
    iterating gives every row in order.
    """

    def __init__(self, model: LabourMarketModel) -> None:
        self.model = model
        self.random = model.random
        self._made: dict[int, Worker] = {}
        self._first_rows: list[int] = []  # first row of each append ...
        self._first_ids: list[int] = []  # ... and the unique_id Mesa's counter gave it

    def reserve_ids(self, first_row: int, k: int) -> None:
        """Take ``k`` unique ids from Mesa's counter for rows ``first_row`` onwards."""
        if k == 0:
            return
        self._first_rows.append(first_row)
        self._first_ids.append(self.model.agent_id_counter)
        self.model.agent_id_counter += k

    def unique_id(self, row: int) -> int:
        """The Mesa ``unique_id`` of row ``row``."""
        seg = bisect.bisect_right(self._first_rows, row) - 1
        return self._first_ids[seg] + row - self._first_rows[seg]

    def __len__(self) -> int:
        return self.model.workers.n

    def _agent(self, row: int) -> Worker:
        agent = self._made.get(row)
        if agent is None:
            agent = self._made[row] = Worker(self.model, row, self.unique_id(row))
        return agent

    def __getitem__(self, item: int | slice) -> Worker | list[Worker]:
        n = len(self)
        if isinstance(item, slice):
            return [self._agent(r) for r in range(*item.indices(n))]
        row = operator.index(item)
        if row < 0:
            row += n
        if not 0 <= row < n:
            raise IndexError(f"worker row {item} out of range: the table has {n:,} rows")
        return self._agent(row)

    def __iter__(self) -> Iterator[Worker]:
        return (self._agent(r) for r in range(len(self)))

    def __contains__(self, agent: object) -> bool:
        return isinstance(agent, Worker) and self._made.get(agent.row) is agent

    @property
    def n_made(self) -> int:
        """How many Worker objects exist so far (the rest are made when asked for)."""
        return len(self._made)


class ModelAgents(ReadOnlyAgentSet):
    """Every agent of the model: Mesa's registered agents (sectors, VDAB), then every worker."""

    def __init__(self, registered: AbstractAgentSet, workers: WorkerAgents) -> None:
        self.registered = registered
        self.workers = workers
        self.random = registered.random

    def __len__(self) -> int:
        return len(self.registered) + len(self.workers)

    def __iter__(self) -> Iterator[Agent]:
        return itertools.chain(self.registered, self.workers)

    def __contains__(self, agent: object) -> bool:
        return agent in self.workers or agent in self.registered

    def __getitem__(self, item: int | slice) -> Agent | list[Agent]:
        if isinstance(item, slice):
            return [self[i] for i in range(*item.indices(len(self)))]
        i = operator.index(item)
        if i < 0:
            i += len(self)
        k = len(self.registered)
        return self.registered[i] if i < k else self.workers[i - k]
