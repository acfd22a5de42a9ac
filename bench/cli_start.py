"""How long each CLI command takes to start, beside `python -c pass` in the same run.

Every command of `kanava` is found by walking the Click tree Typer builds; each is started
with `--help` (it parses its options and is ready to work, nothing more) in a fresh
process, five times, and the median is printed beside the interpreter's own start.
Also printed, for information: `kanava topics`, a command that reads the database.
Floor: every command starts in under 1 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import typer

from kanava.cli import app

KANAVA = str(Path(sys.executable).with_name("kanava"))
ROUNDS = 5
FLOOR_S = 1.0


def commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command's path below the root, groups included (Typer's own Click)."""
    found = [path]
    if hasattr(group, "commands"):
        for name in sorted(group.commands):
            found += commands(group.commands[name], (*path, name))
    return found


def median_seconds(argv: list[str]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    baseline = median_seconds([sys.executable, "-c", "pass"])
    print(f"python -c pass: {baseline:.3f} s (median of {ROUNDS})")
    rows = [(" ".join(("kanava", *p, "--help")), median_seconds([KANAVA, *p, "--help"]))
            for p in commands(typer.main.get_command(app))]  # fmt: skip
    for name, seconds in sorted(rows, key=lambda row: -row[1]):
        print(f"{seconds:6.3f} s  {seconds / baseline:5.1f}× python  {name}")
    slowest = max(seconds for _, seconds in rows)
    print(f"kanava topics (reads the database): {median_seconds([KANAVA, 'topics']):.3f} s")
    verdict = "meets" if slowest < FLOOR_S else "MISSES"
    print(f"slowest start {slowest:.3f} s over {len(rows)} commands: {verdict} the floor of "
          f"{FLOOR_S:g} s")  # fmt: skip
    if slowest >= FLOOR_S:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
