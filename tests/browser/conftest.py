"""Fixtures for the browser tests: a live dashboard server and Debian's Chromium.

The server runs as a subprocess (``python -m dashboard``) on 127.0.0.1 on a free port and
is stopped at the end of the session. Chromium is Debian's ``/usr/bin/chromium`` driven by
Playwright (``playwright install`` cannot download browsers here; ``.ci/run`` installs the
Debian package). Without either, the browser tests are skipped with the reason.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 90.0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dashboard server exited ({proc.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(
        f"dashboard server not up after {SERVER_START_TIMEOUT} s:\n{log.read_text()}"
    )


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and the process group it leads (its worker pool)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    try:  # worker processes left behind in the group
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``python -m dashboard`` on 127.0.0.1:<free port>; yield its base URL."""
    from dashboard import install_assets
    from dashboard.__main__ import offline_environment

    if install_assets.main(["--check"]) != 0:
        install_assets.main([])
    port = free_port()
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    env = offline_environment()
    env["PYTHONUNBUFFERED"] = "1"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", proc, log)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (one per test session)."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium; .ci/run does this)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (its own cookies, so its own Solara session)."""
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-BE")
    ctx.set_default_timeout(60_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):
    """A page in a fresh context."""
    return context.new_page()
