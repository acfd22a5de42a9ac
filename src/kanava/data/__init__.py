"""Shipped facts: the seed of the presentation and public reference data (see SOURCES.md)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a shipped CSV file, as text."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_yaml(name: str) -> Any:
    """A shipped YAML file, parsed."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
