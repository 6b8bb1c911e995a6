"""The batch runner, written against ``concurrent.futures.Executor``.

Locally the executor is a ``ProcessPoolExecutor`` over all cores (or an in-process
serial executor for one worker); on a cluster it is the executor of a
``dask.distributed.Client``. The runner

* submits at most as many runs as there are workers, so that memory stays flat and a
  crashed pool takes few runs with it;
* writes each finished run to disk at once (:class:`experiments.store.ResultStore`);
* retries a run whose model raised, up to ``retries`` times, then records it as failed
  with its error;
* when a worker process dies (``BrokenProcessPool``), starts a new pool and resubmits the
  runs that were in flight; a run that was in flight when a pool broke is rerun alone
  afterwards, so that a run which kills its worker every time is found and recorded as
  failed without taking others with it.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import ctypes
import multiprocessing
import os
import select
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from experiments.design import RunSpec
from experiments.store import ResultStore
from experiments.worker import ATTEMPT_TOPIC, RunOutcome, execute_run


class SerialExecutor(cf.Executor):
    """An executor that runs each call in the calling process when it is submitted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shutdown = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        """Run ``fn`` now and return a finished future."""
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit after shutdown")
        fut: cf.Future = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            fut.set_exception(exc)
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Refuse further submissions."""
        self._shutdown = True


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def process_pool(workers: int) -> cf.Executor:
    """A process pool whose workers fork from a server that has the model imported.

    Each worker ends itself when the batch's main process ends, however it ends (see
    :func:`die_with_parent`), so that a killed batch leaves no worker behind.
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["experiments.worker", "sim"])
    return cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(main_pid: int) -> None:
    """Worker initializer: end this worker as soon as the process ``main_pid`` ends.

    Two guards, because pool workers are children of the forkserver, not of the batch:
    the kernel's parent-death signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)``) ends the worker
    with its forkserver, and a daemon thread waits on a pidfd of the batch's main process
    (Linux 5.3+; elsewhere it polls ``os.kill(pid, 0)`` once a second) and exits the worker
    when that process ends, even by ``kill -9``, which no handler can see.

    Args:
        main_pid: The batch's main process.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    threading.Thread(
        target=_exit_when_gone, args=(main_pid,), name="die-with-parent", daemon=True
    ).start()


def _exit_when_gone(pid: int) -> None:
    """Wait until process ``pid`` has ended, then end this process at once."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (OSError, AttributeError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])
        os._exit(1)
    while True:  # pragma: no cover - kernels without pidfd
        time.sleep(1.0)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            continue


@dataclass
class ExecutorFactory:
    """Makes (and remakes, after a crash) the executor of a batch.

    Attributes:
        workers: Local worker processes (1: run in this process).
        scheduler: Address of a Dask distributed scheduler (``tcp://host:8786``), the
            word ``local`` for a Dask ``LocalCluster`` on this machine, or ``None``.
        client: An existing ``dask.distributed.Client`` to use (tests, notebooks).
        attempt_topic: Dask event topic on which workers report each start of a run (one
            per batch), so that :meth:`starts` sees the attempts Dask retried on its own.
    """

    workers: int = field(default_factory=default_workers)
    scheduler: str | None = None
    client: Any = None
    attempt_topic: str = field(default_factory=lambda: f"{ATTEMPT_TOPIC}-{uuid.uuid4().hex}")
    _own_client: Any = None
    _cluster: Any = None

    def __call__(self) -> cf.Executor:
        """A fresh executor."""
        if self.client is not None:
            return self.client.get_executor(pure=False)
        if self.scheduler:
            if self._own_client is None:
                from dask.distributed import Client, LocalCluster

                if self.scheduler == "local":
                    self._cluster = LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                    self._own_client = Client(self._cluster)
                else:
                    self._own_client = Client(self.scheduler)
            return self._own_client.get_executor(pure=False)
        if self.workers <= 1:
            return SerialExecutor()
        return process_pool(self.workers)

    @property
    def slots(self) -> int:
        """How many runs to keep in flight."""
        if self.client is not None or self._own_client is not None:
            client = self.client or self._own_client
            try:
                n = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
                return max(1, n)
            except Exception:
                return max(1, self.workers)
        return max(1, self.workers)

    def starts(self, run_id: str) -> int:
        """How often Dask workers started ``run_id`` in this batch (0 outside Dask).

        A Dask worker that dies is restarted by its nanny and the scheduler runs its task
        again without telling the client; each start is logged as an event
        (:func:`experiments.worker.execute_run`), so the manifest can count them.
        """
        client = self.client or self._own_client
        if client is None:
            return 0
        try:
            events = client.get_events(self.attempt_topic)
        except Exception:  # an old or unreachable scheduler: count what the runner saw
            return 0
        return sum(1 for _, msg in events if msg.get("run_id") == run_id)

    def describe(self) -> str:
        """Human-readable description of where runs go."""
        if self.client is not None:
            return "dask client"
        if self.scheduler == "local":
            return f"dask LocalCluster ({self.workers} workers)"
        if self.scheduler:
            return f"dask scheduler {self.scheduler}"
        return "this process" if self.workers <= 1 else f"{self.workers} local processes"

    def close(self) -> None:
        """Close a client or cluster this factory created."""
        if self._own_client is not None:
            self._own_client.close()
            self._own_client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


@dataclass
class BatchResult:
    """How a batch went.

    Attributes:
        total: Runs in the experiment.
        skipped: Runs already on disk before this batch.
        completed: Runs completed by this batch.
        failed: Run id -> error of runs that failed every attempt.
        retried: Run id -> attempts of runs that needed more than one attempt.
        pool_restarts: How often the executor had to be rebuilt.
    """

    total: int
    skipped: int
    completed: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    retried: dict[str, int] = field(default_factory=dict)
    pool_restarts: int = 0

    @property
    def ok(self) -> bool:
        """Whether every run is on disk."""
        return not self.failed


def _shutdown(executor: cf.Executor) -> None:
    """Shut an executor down without waiting, cancelling what has not started."""
    try:
        executor.shutdown(wait=False, cancel_futures=True)
    except TypeError:  # dask's ClientExecutor has no cancel_futures (it cancels anyway)
        executor.shutdown(wait=False)


ProgressHook = Callable[[RunSpec, RunOutcome | None], None]


def run_batch(
    runs: Iterable[RunSpec],
    store: ResultStore,
    factory: Callable[[], cf.Executor],
    simulate: Callable[..., Any],
    *,
    slots: int = 1,
    retries: int = 2,
    extra: dict[str, Any] | None = None,
    on_done: ProgressHook | None = None,
) -> BatchResult:
    """Run what is not on disk yet.

    Args:
        runs: All runs of the experiment.
        store: The opened results folder.
        factory: Makes an executor (called again after a pool breaks).
        simulate: The model's ``simulate`` (picklable for process pools).
        slots: Runs kept in flight at once (the number of workers).
        retries: Extra attempts for a run whose model raised or whose worker died.
        extra: Overrides given to every run before its own (e.g. the horizon).
        on_done: Called after each run ends (outcome ``None`` for a failed run).

    Returns:
        A :class:`BatchResult`.
    """
    runs = list(runs)
    done = store.done_ids()
    pending = collections.deque(r for r in runs if r.run_id not in done)
    result = BatchResult(total=len(runs), skipped=len(runs) - len(pending))
    attempts: dict[str, int] = collections.Counter()
    suspects: set[str] = set()
    in_flight: dict[cf.Future, RunSpec] = {}
    isolated = False
    executor = factory()
    dask = isinstance(factory, ExecutorFactory)
    topic = factory.attempt_topic if dask else None

    def started(run: RunSpec) -> int:
        """Attempts of a run: the runner's submissions, or Dask's starts when more."""
        seen = factory.starts(run.run_id) if dask else 0
        return max(attempts[run.run_id], seen)

    def fail(run: RunSpec, error: str, tb: str = "") -> None:
        result.failed[run.run_id] = error
        store.record(
            run.run_id,
            status="failed",
            attempts=started(run),
            error=error,
            traceback=tb[-4000:] or None,
            session=store.session["session"],
        )
        if on_done:
            on_done(run, None)

    try:
        while pending or in_flight:
            # Submit: fill free slots, but run a suspect alone.
            submit_failed = False
            while pending and not isolated and len(in_flight) < slots:
                run = pending[0]
                if run.run_id in suspects:
                    if in_flight:
                        break
                    isolated = True
                pending.popleft()
                attempts[run.run_id] += 1
                try:
                    fut = executor.submit(execute_run, run.to_json(), simulate, extra, topic)
                except (BrokenProcessPool, cf.BrokenExecutor):
                    # the pool broke after the last wait: this run never started
                    attempts[run.run_id] -= 1
                    pending.appendleft(run)
                    submit_failed = True
                    break
                in_flight[fut] = run
            if not in_flight and not submit_failed:
                continue
            finished = (
                cf.wait(list(in_flight), return_when=cf.FIRST_COMPLETED)[0] if in_flight else set()
            )
            broken: list[RunSpec] = []
            for fut in finished:
                run = in_flight.pop(fut)
                if run.run_id in suspects:
                    isolated = False
                try:
                    outcome: RunOutcome = fut.result()
                except (BrokenProcessPool, cf.BrokenExecutor):
                    broken.append(run)
                    continue
                except Exception as exc:
                    outcome = RunOutcome(run.run_id, False, error=f"{type(exc).__name__}: {exc}")
                if outcome.ok:
                    n = started(run)
                    store.write_run(run, outcome, n)
                    result.completed += 1
                    if n > 1:
                        result.retried[run.run_id] = n
                    if on_done:
                        on_done(run, outcome)
                elif attempts[run.run_id] <= retries:
                    store.record(
                        run.run_id,
                        attempts=attempts[run.run_id],
                        error=outcome.error,
                        status="pending",
                    )
                    pending.appendleft(run)
                else:
                    fail(run, outcome.error, outcome.traceback)
            if broken or submit_failed:
                # The pool is gone: every run still in flight is lost with it.
                broken += list(in_flight.values())
                in_flight.clear()
                isolated = False
                _shutdown(executor)
                result.pool_restarts += 1
                for run in reversed(broken):
                    if attempts[run.run_id] > retries:
                        fail(
                            run,
                            "worker process died (e.g. out of memory or killed) on "
                            f"every one of {attempts[run.run_id]} attempts",
                        )
                    else:
                        suspects.add(run.run_id)
                        store.record(
                            run.run_id,
                            attempts=attempts[run.run_id],
                            error="worker process died; run again",
                            status="pending",
                        )
                        pending.appendleft(run)
                executor = factory()
    finally:
        if in_flight:
            for fut in in_flight:
                fut.cancel()
            _shutdown(executor)
        else:
            executor.shutdown(wait=True)
        store.flush(force=True)
    return result
