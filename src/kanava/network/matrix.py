"""Read a user's travel-cost matrix and demand weights from CSV, refusing bad files whole.

The cost matrix has a header row of candidate names and one row per demand area; an
empty cell means the pair is unreachable. When the header's first cell is empty, the
first column names the demand areas (as r5py or OSRM tables pivoted by hand have it).
The weights file has one number per demand area, with or without a header line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kanava.errors import InvalidInput
from kanava.network.optimize import FloatArray


@dataclass(frozen=True)
class CostMatrix:
    costs: FloatArray
    candidates: tuple[str, ...]
    areas: tuple[str, ...]


def _lines(path: Path, field: str) -> list[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [row for row in csv.reader(handle) if row != [] and row != [""]]
    except FileNotFoundError:
        raise InvalidInput(field, f"no such file: {path}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise InvalidInput(field, f"{path} is not a UTF-8 CSV file ({error})") from None


def _number(cell: str, field: str, where: str) -> float:
    text = cell.strip().replace(",", ".") if cell.count(",") == 1 else cell.strip()
    if not text:
        return float("nan")
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(field, f"{where}: {cell.strip()!r} is not a number") from None
    if not np.isfinite(value):
        raise InvalidInput(field, f"{where}: {cell.strip()!r} is not a finite number")
    if value < 0:
        raise InvalidInput(field, f"{where}: {value:g} is negative")
    return value


def read_costs(path: Path) -> CostMatrix:
    """The matrix, its candidate names and (where given) its area names."""
    rows = _lines(path, "costs")
    if len(rows) < 2:
        raise InvalidInput("costs", f"{path} needs a header row of candidates and data rows")
    header = [cell.strip() for cell in rows[0]]
    labelled = header[0] == ""
    names = header[1:] if labelled else header
    if not names or any(not name for name in names):
        raise InvalidInput("costs", "line 1: every candidate column needs a name")
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise InvalidInput("costs", f"line 1: candidate {twice!r} is named twice")
    values = np.empty((len(rows) - 1, len(names)))
    areas: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = row[1:] if labelled else row
        if len(cells) != len(names):
            raise InvalidInput(
                "costs", f"line {number}: {len(cells)} values for {len(names)} candidates"
            )
        areas.append(row[0].strip() if labelled else str(number - 1))
        for column, cell in enumerate(cells):
            values[number - 2, column] = _number(
                cell, "costs", f"line {number}, column {names[column]!r}"
            )
    empty_rows = np.flatnonzero(np.isnan(values).all(axis=1))
    if empty_rows.size and not labelled:
        raise InvalidInput("costs", f"line {empty_rows[0] + 2}: the area reaches no candidate")
    return CostMatrix(values, tuple(names), tuple(areas))


def read_weights(path: Path, areas: int) -> FloatArray:
    """One weight per demand area, in the matrix's row order."""
    rows = _lines(path, "weights")
    try:
        float(rows[0][-1])
    except (IndexError, ValueError):
        rows = rows[1:]  # a header line
    weights = []
    for number, row in enumerate(rows, start=1):
        value = _number(row[-1], "weights", f"value {number}")
        if np.isnan(value):
            raise InvalidInput("weights", f"value {number} is missing")
        weights.append(value)
    if len(weights) != areas:
        raise InvalidInput("weights", f"{len(weights)} weights for {areas} demand areas")
    return np.array(weights)


def read_given(path: Path) -> dict[tuple[str, str], float]:
    """A labelled matrix as (area code, place id) → road km; empty cells stay unreachable."""
    matrix = read_costs(path)
    return {
        (area, place): float(matrix.costs[i, j])
        for i, area in enumerate(matrix.areas)
        for j, place in enumerate(matrix.candidates)
    }
