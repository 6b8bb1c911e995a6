"""The page server's process pool ends with the server, whatever signal ends it (issue 14)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, _wait_until_up, free_port

from dashboard.__main__ import is_loopback, offline_environment

pytestmark = pytest.mark.browser


def _children(pid: int) -> set[int]:
    """Process ids of every descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p}
        out |= kids
        todo += list(kids)
    return out


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for p in pids:
        try:
            state = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(p)
    return alive


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_the_pool_dies_with_the_server(sig, tmp_path):
    port = free_port()
    env = offline_environment()
    env["WNW_DASHBOARD_WORKERS"] = "2"
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/", proc, log)
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)  # the warm-up starts the pool's workers
        workers = _children(proc.pid)
        assert len(workers) >= 2, log.read_text()
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert not _alive(workers), f"left behind after {sig.name}: {_alive(workers)}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in _alive(_children(proc.pid)):
            os.kill(p, signal.SIGKILL)


def test_serving_beyond_loopback_warns(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    env = offline_environment()
    env["WNW_DASHBOARD_WARM"] = "0"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--host", "0.0.0.0", "--port", str(free_port())],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        assert "WARNING" in line and "0.0.0.0" in line
    finally:
        proc.terminate()
        proc.wait(timeout=30)
