"""The channel guide over HTTP under a steady load, beside a trivial endpoint.

Starts `kanava serve --workers 2` on a fresh SQLite database with the shipped data,
then sends requests at a fixed rate (open loop: each latency is measured from the
moment the request was due, so a server that falls behind cannot hide its queue).
The baseline is the API index, a handler that touches no database, measured the same
way in the same run. Target: p99 under 20 ms at 200 requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

GUIDE = "/api/v1/guide?topic=toimeentulotuki&municipality=Laukaa&at=2025-03-12T10:00"
BASELINE = "/api/v1/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def kanava(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kanava", *args], env=env)


async def load(base: str, path: str, rate: float, seconds: float) -> tuple[list[float], int]:
    """Latencies in ms of requests sent at a fixed rate, and the number of errors."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def one(due: float) -> None:
            nonlocal errors
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            response = await client.get(path)
            if response.status_code != 200:
                errors += 1
            latencies.append((time.perf_counter() - due) * 1000)

        start = time.perf_counter() + 0.2
        count = int(rate * seconds)
        await asyncio.gather(*(one(start + i / rate) for i in range(count)))
    return latencies, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "KANAVA_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}"}
        for step in (["db", "upgrade"], ["data", "load"]):
            subprocess.run(
                [sys.executable, "-m", "kanava", *step],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = kanava("serve", "--port", str(port), "--workers", str(options.workers), env=env)
        try:
            for _ in range(100):
                try:
                    if httpx.get(base + GUIDE, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            asyncio.run(load(base, GUIDE, options.rate, 2.0))  # warm-up
            rows = []
            for label, path in (("baseline: API index", BASELINE), ("channel guide", GUIDE)):
                began = time.perf_counter()
                latencies, errors = asyncio.run(load(base, path, options.rate, options.seconds))
                elapsed = time.perf_counter() - began
                rows.append((label, latencies, errors, len(latencies) / elapsed))
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"guide over HTTP: kanava serve --workers {options.workers}, "
        f"offered load {options.rate:.0f} req/s for {options.seconds:.0f} s each"
    )
    print(
        f"{'endpoint':<22}{'requests':>10}{'errors':>8}{'req/s':>9}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for label, latencies, errors, throughput in rows:
        print(
            f"{label:<22}{len(latencies):>10}{errors:>8}{throughput:>9.1f}"
            f"{statistics.median(latencies):>9.2f}{percentile(latencies, 0.99):>9.2f}"
            f"{max(latencies):>9.2f}"
        )
    guide_p99 = percentile(rows[1][1], 0.99)
    verdict = "met" if guide_p99 < 20 and rows[1][2] == 0 else "NOT met"
    print(f"target p99 < 20 ms at {options.rate:.0f} req/s: {verdict} (p99 {guide_p99:.2f} ms)")


if __name__ == "__main__":
    main()
