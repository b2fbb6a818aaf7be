"""One real ReportQA server for the whole test session: `python -m ui.app` on a free loopback port.

It loads the real answerer and builds its own index in a temp folder with the session's model cache
(tests/conftest.py), so the tests below talk to exactly what `reportqa serve` runs, and never to the
developer's data/index. Tests using it are marked `model` and `slow` by tests/conftest.py.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The staff view's token for the session's server: tests open /?staff=<it> to see the 评测 and 反馈 tabs.
STAFF_TOKEN = "test-staff-token"
START_TIMEOUT = 600  # seconds: building and loading the model when the cache is new, then embedding the report
_timings: dict[str, float] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url + "api/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the server did not answer /api/health within {START_TIMEOUT} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def server_url(tmp_path_factory, subprocess_env, model_cache, stop_process) -> str:
    """The base URL ("http://127.0.0.1:PORT/") of a running server; stopped after the session."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    folder = tmp_path_factory.mktemp("server")
    log = folder / "server.log"
    env = {
        **subprocess_env,
        "REPORTQA_INDEX_DIR": str(folder / "index"),
        "REPORTQA_MODEL_CACHE": str(model_cache),
        "REPORTQA_HOST": "127.0.0.1",
        "REPORTQA_PORT": str(port),
        "REPORTQA_STAFF_TOKEN": STAFF_TOKEN,
    }
    started = time.monotonic()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui.app"], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_until_healthy(url, server, log)
        _timings["server start (s)"] = time.monotonic() - started
        yield url
    finally:
        stop_process(server)


@pytest.fixture(scope="session")
def record_timing():
    """Note a duration; all of them are printed at the end of the run."""
    return _timings.__setitem__


def pytest_terminal_summary(terminalreporter):
    if _timings:
        terminalreporter.section("ReportQA timings")
        for name, seconds in _timings.items():
            terminalreporter.write_line(f"{name}: {seconds:.2f}")
