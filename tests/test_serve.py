"""`kanava serve --workers 2` on a loaded two-core machine: the workers come up and stay
up, and a worker that dies is replaced, with a line in the log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import free_port, load_database


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _wait_until_up(base: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(0.2)
    return False


@pytest.fixture
def both_cores_busy() -> Iterator[None]:
    """Two processes spinning, one per core, for as long as the test runs."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    yield
    for spinner in spinners:
        spinner.kill()
        spinner.wait()


def test_two_workers_start_on_a_loaded_machine_and_a_dead_one_is_replaced(
    tmp_path: Path, both_cores_busy: None
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    load_database(url)
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "kanava", "serve", "--port", str(port), "--workers", "2"],
        env={**os.environ, "KANAVA_DATABASE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_until_up(base, 120), log_text(log)
        time.sleep(8)  # past uvicorn's default five-second health check
        workers = _children(server.pid)
        assert len([w for w in workers if _is_worker(w)]) == 2, log_text(log)
        assert "died" not in log_text(log)
        victim = next(w for w in workers if _is_worker(w))
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while "died" not in log_text(log) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert f"Child process [{victim}] died" in log_text(log)
        assert _wait_until_up(base, 120)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _is_worker(pid: int) -> bool:
    """A uvicorn worker, not multiprocessing's resource tracker."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    return b"resource_tracker" not in command


def log_text(log: object) -> str:
    path = Path(log.name)  # type: ignore[attr-defined]
    return path.read_text(encoding="utf-8", errors="replace")
