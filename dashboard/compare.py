"""Run and cache the scenario comparisons behind the page.

A comparison runs scenario A, scenario B and ``basis`` on the same seeds (common random
numbers: replication ``r`` of every scenario uses the batch runner's seed,
:func:`experiments.seeds.run_seed`), at the workshop scale. Runs go to a small process pool and are
cached by (effective overrides, root seed, replication, scale), so a preset is computed
once per server and a repeated comparison costs only the summary.

The cache holds finished, read-only result frames keyed by their inputs; no model and no
per-session state lives here (each browser session keeps its own model, see
:mod:`dashboard.story`).
"""

from __future__ import annotations

import atexit
import json
import logging
import multiprocessing as mp
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from experiments.seeds import run_seed, spawn_key

#: Persons per agent at the workshop scale (registry default is 100): about 4,300 worker
#: agents, so that one comparison (up to 30 runs) takes a few seconds on two cores.
WORKSHOP_SCALE = int(os.environ.get("WNW_DASHBOARD_SCALE", "1000"))
#: Replications per scenario (each a seed shared by A, B and basis).
N_SEEDS = int(os.environ.get("WNW_DASHBOARD_SEEDS", "10"))
#: Root seed of the dashboard's runs.
ROOT_SEED = 20210325
#: Most runs kept in memory (each a few hundred kB).
CACHE_SIZE = 600
BASIS = "basis"


def canonical(overrides: Mapping[str, Any]) -> str:
    """Return a canonical JSON text of a dict of overrides (the cache key)."""
    return json.dumps(overrides, sort_keys=True, default=str, separators=(",", ":"))


@dataclass(frozen=True)
class RunKey:
    """What determines one run: effective overrides, seed and scale."""

    overrides: str
    root_seed: int
    replication: int
    scale: int


def run_frames(key: RunKey) -> dict[str, pd.DataFrame]:
    """Run one simulation and return its picklable frames (executed in a worker process).

    Args:
        key: The run's overrides, seed and scale.

    Returns:
        ``{"monthly": ...}`` (the only table the page summarises).
    """
    import sim

    overrides = json.loads(key.overrides)
    seed = run_seed(key.root_seed, spawn_key(key.replication))
    result = sim.simulate(
        scenario=dict(overrides),
        seed=seed,
        overrides={"simulation.persons_per_agent": key.scale},
    )
    return {"monthly": result.to_frames()["monthly"]}


def die_with_parent(server: int, poll: float = 0.5) -> None:
    """End this worker process as soon as the page server that started it has ended.

    The pool's workers are started with ``spawn``, so their parent is the page server
    itself. A daemon thread checks every ``poll`` seconds whether the parent is still
    there (the parent process id changes when it dies, whatever signal ended it, even
    ``kill -9``) and ends the worker at once instead of leaving it as an orphan
    (issue 14). Linux's parent-death signal is not used: it fires when the *thread* that
    started the worker ends, and the pool starts workers from short-lived threads.

    Args:
        server: Process id of the page server (the parent this worker was started by).
        poll: Seconds between checks.
    """

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(poll)
        os._exit(0)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _init_worker(server: int) -> None:
    """Tie a new worker process to its parent, import the model and do one tiny run.

    The first run in a process pays for imports, parsing the registry and numpy's first
    calls (about 1.5 s); paying it here keeps it out of the first comparison.
    """
    die_with_parent(server)
    import sim

    try:
        sim.simulate(
            "basis",
            seed=0,
            overrides={"simulation.end": "2019-06", "simulation.persons_per_agent": 5000},
        )
    except Exception:  # a failing initializer breaks the pool; the real run will report
        logging.getLogger(__name__).exception("warm-up run failed")


class RunCache:
    """A process pool with a bounded cache of finished runs (futures, deduplicated).

    Args:
        workers: Worker processes (default: all cores); 0 runs in the calling thread.
        runner: The function that computes a run (default :func:`run_frames`).
        size: Most runs kept.
    """

    def __init__(
        self,
        workers: int | None = None,
        runner: Callable[[RunKey], dict[str, pd.DataFrame]] = run_frames,
        size: int = CACHE_SIZE,
    ) -> None:
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.runner = runner
        self.size = size
        self._lock = threading.Lock()
        self._futures: OrderedDict[RunKey, Future] = OrderedDict()
        self._calls: OrderedDict[Any, Future] = OrderedDict()
        self._pool: ProcessPoolExecutor | None = None
        self._asked = 0  # comparisons being computed for a page (warm-up waits for them)
        self.warm_total = 0  # runs the warm-up queues, and how many of them are done
        self.warm_done = 0
        self._idle = threading.Condition()

    @contextmanager
    def asked(self) -> Iterator[None]:
        """Mark a comparison asked for on a page; the warm-up pauses meanwhile."""
        with self._idle:
            self._asked += 1
        try:
            yield
        finally:
            with self._idle:
                self._asked -= 1
                self._idle.notify_all()

    def wait_idle(self) -> None:
        """Block while a page's comparison is being computed."""
        with self._idle:
            self._idle.wait_for(lambda: self._asked == 0)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: the workers are children of the server (see die_with_parent)
            ctx = mp.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=ctx, initializer=_init_worker, initargs=(os.getpid(),)
            )
        return self._pool

    def submit(self, key: RunKey) -> Future:
        """Return the future of a run, starting it if it is neither cached nor running."""
        with self._lock:
            fut = self._futures.get(key)
            if fut is not None and not (fut.done() and fut.exception() is not None):
                self._futures.move_to_end(key)
                return fut
            if self.workers == 0:
                fut = Future()
                try:
                    fut.set_result(self.runner(key))
                except Exception as exc:
                    fut.set_exception(exc)
            else:
                fut = self._executor().submit(self.runner, key)
            self._futures[key] = fut
            while len(self._futures) > self.size:
                self._futures.popitem(last=False)
            return fut

    def get(self, keys: Sequence[RunKey]) -> list[dict[str, pd.DataFrame]]:
        """Results of several runs, in order (computed in parallel where needed).

        A worker process that died takes its pool down; the runs it held are resubmitted
        once to a fresh pool.
        """
        futures = [self.submit(k) for k in keys]
        out = []
        for key, fut in zip(keys, futures, strict=True):
            try:
                out.append(fut.result())
            except BrokenProcessPool:
                with self._lock:
                    if self._pool is not None:
                        self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = None
                    self._futures.pop(key, None)
                out.append(self.submit(key).result())
        return out

    def call(self, key: Any, fn: Callable[..., Any], *args: Any) -> Future:
        """The future of ``fn(*args)`` in the pool, computed once per ``key`` (bounded cache).

        For work other than a run (the story of 'follow a worker'), so that it runs in a
        worker process, not in the page server.
        """
        with self._lock:
            fut = self._calls.get(key)
            if fut is not None and not (fut.done() and fut.exception() is not None):
                return fut
            if self.workers == 0:
                fut = Future()
                try:
                    fut.set_result(fn(*args))
                except Exception as exc:
                    fut.set_exception(exc)
            else:
                fut = self._executor().submit(fn, *args)
            self._calls[key] = fut
            while len(self._calls) > 64:
                self._calls.popitem(last=False)
            return fut

    def cached(self, key: RunKey) -> bool:
        """Whether a run has finished successfully and is in the cache."""
        fut = self._futures.get(key)
        return fut is not None and fut.done() and fut.exception() is None

    def clear(self) -> None:
        """Forget every cached run (the worker processes stay)."""
        with self._lock:
            self._futures.clear()

    def shutdown(self) -> None:
        """Stop the worker processes now (a run in progress is abandoned)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:  # do not wait for a run in progress
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=2)


_CACHE: RunCache | None = None
_CACHE_LOCK = threading.Lock()


def run_cache() -> RunCache:
    """The server's one run cache (created on first use).

    ``WNW_DASHBOARD_WORKERS`` sets the number of worker processes (default: all cores;
    0 computes in the server process).
    """
    global _CACHE
    with _CACHE_LOCK:
        if _CACHE is None:
            workers = os.environ.get("WNW_DASHBOARD_WORKERS")
            _CACHE = RunCache(workers=int(workers) if workers else None)
            atexit.register(_CACHE.shutdown)  # the pool goes with the server
        return _CACHE


@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario as chosen on the page: a preset and the levers changed on top of it.

    Attributes:
        preset: Preset name (``sim/presets/<preset>.yaml``).
        edits: Parameter overrides applied after the preset, as (name, value) pairs.
    """

    preset: str
    edits: tuple[tuple[str, Any], ...] = ()

    @staticmethod
    def make(preset: str, edits: Mapping[str, Any] | None = None) -> ScenarioChoice:
        """Build a choice from a preset name and a dict of edits (validated)."""
        from sim.registry import load_registry

        valid = load_registry().validate(dict(edits or {}))
        return ScenarioChoice(preset, tuple(sorted(valid.items(), key=lambda kv: kv[0])))

    def scenario(self):
        """The :class:`sim.scenarios.Scenario` this choice stands for."""
        from sim.scenarios import Scenario, load_scenario

        base = load_scenario(self.preset)
        if not self.edits:
            return base
        overrides = {**base.overrides, **dict(self.edits)}
        suffix = {"nl": " (aangepast)", "en": " (adjusted)"}
        return Scenario(
            name=f"{base.name}-aangepast",
            title={lang: base.label(lang) + suffix[lang] for lang in ("nl", "en")},
            description=dict(base.description),
            overrides=overrides,
        )

    def overrides(self) -> dict[str, Any]:
        """Effective overrides: the preset's, then the edits."""
        return dict(self.scenario().overrides)


@dataclass
class Comparison:
    """The runs of one comparison, per scenario and replication.

    Attributes:
        a: Scenario A.
        b: Scenario B.
        seeds: Replication numbers (shared by A, B and basis).
        scale: Persons per agent.
        runs: ``{"basis"|"A"|"B": [frames of replication r, ...]}``.
        basis: The baseline (preset ``basis`` with the assumptions shared by A and B).
    """

    a: ScenarioChoice
    b: ScenarioChoice
    seeds: tuple[int, ...]
    scale: int
    runs: dict[str, list[dict[str, pd.DataFrame]]] = field(default_factory=dict)
    basis: ScenarioChoice = field(default_factory=lambda: ScenarioChoice(BASIS))


def run_keys(
    choice: ScenarioChoice, n_seeds: int, scale: int, root_seed: int = ROOT_SEED
) -> list[RunKey]:
    """The cache keys of one scenario's replications."""
    text = canonical(choice.overrides())
    return [RunKey(text, root_seed, r, scale) for r in range(n_seeds)]


def compare(
    a: ScenarioChoice,
    b: ScenarioChoice,
    n_seeds: int = N_SEEDS,
    scale: int = WORKSHOP_SCALE,
    cache: RunCache | None = None,
    basis: ScenarioChoice | None = None,
) -> Comparison:
    """Run (or fetch from the cache) basis, A and B on common random numbers.

    Args:
        a: Scenario A.
        b: Scenario B.
        n_seeds: Replications per scenario.
        scale: Persons per agent.
        cache: The run cache (default: the server's).
        basis: The baseline (default: preset ``basis``; the page passes basis with the
            behavioural assumptions that apply to A and B alike).

    Returns:
        The comparison with its runs.
    """
    cache = cache or run_cache()
    basis = basis or ScenarioChoice(BASIS)
    keys = comparison_keys(a, b, basis, n_seeds, scale)
    with cache.asked():
        _submit_by_replication(cache, keys)
        runs = {g: cache.get(ks) for g, ks in keys.items()}
    return Comparison(a=a, b=b, seeds=tuple(range(n_seeds)), scale=scale, runs=runs, basis=basis)


def comparison_keys(
    a: ScenarioChoice, b: ScenarioChoice, basis: ScenarioChoice, n_seeds: int, scale: int
) -> dict[str, list[RunKey]]:
    """The run keys of basis, A and B (``{"basis"|"A"|"B": [key of replication r, ...]}``)."""
    groups = {"basis": basis, "A": a, "B": b}
    return {g: run_keys(c, n_seeds, scale) for g, c in groups.items()}


def _submit_by_replication(
    cache: RunCache, keys: Mapping[str, Sequence[RunKey]]
) -> dict[str, list[Future]]:
    """Start every run before waiting for any: replication 0 of basis, A and B first.

    In this order whole replications (basis, A and B on one seed) finish one after the
    other, so partial results (:func:`comparisons`) can be shown early.

    Returns:
        The futures of the runs, by group and replication (as ``keys``).
    """
    futures: dict[str, list[Future]] = {g: [] for g in keys}
    for row in zip(*keys.values(), strict=True):
        for group, key in zip(keys, row, strict=True):
            futures[group].append(cache.submit(key))
    return futures


def all_cached(
    a: ScenarioChoice,
    b: ScenarioChoice,
    basis: ScenarioChoice | None = None,
    n_seeds: int = N_SEEDS,
    scale: int = WORKSHOP_SCALE,
    cache: RunCache | None = None,
) -> bool:
    """Whether every run of a comparison has finished and is in the cache."""
    cache = cache or run_cache()
    keys = comparison_keys(a, b, basis or ScenarioChoice(BASIS), n_seeds, scale)
    return all(cache.cached(k) for ks in keys.values() for k in ks)


#: Fewest whole replications a partial comparison is shown with (an interval needs two).
MIN_PARTIAL = 2
#: Fewest seconds between two partial comparisons: each one is a new render of the cards
#: and the table, which costs the page server and the browser about 0.1 s of CPU on the
#: cores the runs need.
PARTIAL_EVERY = float(os.environ.get("WNW_DASHBOARD_PARTIAL_EVERY", "0.5"))


def comparisons(
    a: ScenarioChoice,
    b: ScenarioChoice,
    n_seeds: int = N_SEEDS,
    scale: int = WORKSHOP_SCALE,
    cache: RunCache | None = None,
    basis: ScenarioChoice | None = None,
    every: float = PARTIAL_EVERY,
) -> Iterator[Comparison]:
    """The comparison on the replications finished so far, as they finish; then in full.

    Yields a :class:`Comparison` on the whole replications done so far (basis, A and B of
    the same seeds, in replication order) when more are done, from :data:`MIN_PARTIAL`
    on and at most once every ``every`` seconds, and last the full comparison, which is
    :func:`compare`'s (same seeds, same runs: the final numbers do not depend on the
    partial ones).
    A comparison whose runs are all cached yields the full comparison only.

    Args:
        a: Scenario A.
        b: Scenario B.
        n_seeds: Replications per scenario.
        scale: Persons per agent.
        cache: The run cache (default: the server's).
        basis: The baseline (default: preset ``basis``).
        every: Fewest seconds between two partial comparisons.
    """
    cache = cache or run_cache()
    basis = basis or ScenarioChoice(BASIS)
    keys = comparison_keys(a, b, basis, n_seeds, scale)
    last = time.monotonic()  # the first partial comes ``every`` seconds after the start
    with cache.asked():
        futures = _submit_by_replication(cache, keys)
        pending = {f for fs in futures.values() for f in fs if not f.done()}
        shown = 0
        while pending:
            _, pending = wait(pending, return_when=FIRST_COMPLETED)
            done = [
                r
                for r in range(n_seeds)
                if all(fs[r].done() and fs[r].exception() is None for fs in futures.values())
            ]
            soon = time.monotonic() - last < every
            if MIN_PARTIAL <= len(done) < n_seeds and len(done) > shown and not soon:
                shown, last = len(done), time.monotonic()
                runs = {g: [fs[r].result() for r in done] for g, fs in futures.items()}
                yield Comparison(a=a, b=b, seeds=tuple(done), scale=scale, runs=runs, basis=basis)
        yield compare(a, b, n_seeds=n_seeds, scale=scale, cache=cache, basis=basis)


def warm(
    presets: Sequence[str],
    n_seeds: int = N_SEEDS,
    scale: int = WORKSHOP_SCALE,
    cache: RunCache | None = None,
) -> threading.Thread:
    """Compute the presets in a background thread (returns at once).

    At most one warm-up run per worker is queued at a time, so a comparison asked for
    on the page meanwhile waits for at most one run ahead of it.

    Returns:
        The (daemon) thread doing the work.
    """
    cache = cache or run_cache()
    order = [BASIS, *[p for p in presets if p != BASIS]]
    keys = [k for p in order for k in run_keys(ScenarioChoice(p), n_seeds, scale)]

    cache.warm_total = len(keys)
    cache.warm_done = 0

    def done(_f: Future) -> None:
        cache.warm_done += 1
        slots.release()

    def work() -> None:
        for key in keys:
            slots.acquire()
            cache.wait_idle()
            cache.submit(key).add_done_callback(done)

    slots = threading.Semaphore(max(1, cache.workers))
    thread = threading.Thread(target=work, name="dashboard-warm", daemon=True)
    thread.start()
    return thread
