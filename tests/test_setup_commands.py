"""The commands `make run` runs before serving, each in a fresh interpreter as on a new
machine: an in-process test would have every table imported already by other tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KANAVA = [sys.executable, "-c", "from kanava.cli import main; main()"]


def test_the_setup_commands_of_make_run_succeed_on_a_new_database(tmp_path: Path) -> None:
    env = {**os.environ, "KANAVA_DATABASE_URL": f"sqlite:///{tmp_path / 'kanava.db'}",
           "KANAVA_EVENTS_DIR": str(tmp_path / "events")}  # fmt: skip
    for command in (["db", "upgrade"], ["data", "load"], ["users", "demo"],
                    ["network", "brief-edit", "--point", "laukaa", "--figure", "4",
                     "--figure-source", "2024"]):  # fmt: skip
        done = subprocess.run([*KANAVA, *command], env=env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip
        assert done.returncode == 0, f"kanava {' '.join(command)}: {done.stderr[-2000:]}"
