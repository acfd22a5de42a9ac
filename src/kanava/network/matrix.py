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

from kanava.errors import InvalidInput, reason
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
        raise InvalidInput(field, reason("no such file: %(path)s", path=path)) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise InvalidInput(
            field, reason("%(path)s is not a UTF-8 CSV file (%(error)s)", path=path, error=error)
        ) from None


def _number(cell: str, field: str, where: str) -> float:
    text = cell.strip().replace(",", ".") if cell.count(",") == 1 else cell.strip()
    if not text:
        return float("nan")
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(
            field,
            reason("%(where)s: %(strip)s is not a number", where=where, strip=repr(cell.strip())),
        ) from None
    if not np.isfinite(value):
        raise InvalidInput(
            field,
            reason(
                "%(where)s: %(strip)s is not a finite number", where=where, strip=repr(cell.strip())
            ),
        )
    if value < 0:
        raise InvalidInput(
            field, reason("%(where)s: %(value)s is negative", where=where, value=format(value, "g"))
        )
    return value


def read_costs(path: Path) -> CostMatrix:
    """The matrix, its candidate names and (where given) its area names."""
    rows = _lines(path, "costs")
    if len(rows) < 2:
        raise InvalidInput(
            "costs", reason("%(path)s needs a header row of candidates and data rows", path=path)
        )
    header = [cell.strip() for cell in rows[0]]
    labelled = header[0] == ""
    names = header[1:] if labelled else header
    if not names or any(not name for name in names):
        raise InvalidInput("costs", reason("line 1: every candidate column needs a name"))
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise InvalidInput(
            "costs", reason("line 1: candidate %(twice)s is named twice", twice=repr(twice))
        )
    values = np.empty((len(rows) - 1, len(names)))
    areas: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = row[1:] if labelled else row
        if len(cells) != len(names):
            raise InvalidInput(
                "costs",
                reason(
                    "line %(number)s: %(count)s values for %(count2)s candidates",
                    number=number,
                    count=len(cells),
                    count2=len(names),
                ),
            )
        areas.append(row[0].strip() if labelled else str(number - 1))
        for column, cell in enumerate(cells):
            values[number - 2, column] = _number(
                cell, "costs", reason("line %(number)s, column %(column)s", number=number,
                                      column=repr(names[column])),
            )  # fmt: skip
    empty_rows = np.flatnonzero(np.isnan(values).all(axis=1))
    if empty_rows.size and not labelled:
        raise InvalidInput(
            "costs",
            reason("line %(value)s: the area reaches no candidate", value=empty_rows[0] + 2),
        )
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
        value = _number(row[-1], "weights", reason("value %(number)s", number=number))
        if np.isnan(value):
            raise InvalidInput("weights", reason("value %(number)s is missing", number=number))
        weights.append(value)
    if len(weights) != areas:
        raise InvalidInput(
            "weights",
            reason("%(count)s weights for %(areas)s demand areas", count=len(weights), areas=areas),
        )
    return np.array(weights)


def read_given(path: Path) -> dict[tuple[str, str], float]:
    """A labelled matrix as (area code, place id) → road km; empty cells stay unreachable."""
    matrix = read_costs(path)
    return {
        (area, place): float(matrix.costs[i, j])
        for i, area in enumerate(matrix.areas)
        for j, place in enumerate(matrix.candidates)
    }
