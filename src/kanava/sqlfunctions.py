"""SQL expressions that differ by database, written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class epoch_seconds(FunctionElement[int]):
    """Whole seconds since 1970 of a UTC timestamp column, computed by the database."""

    type = BigInteger()
    inherit_cache = True

    def __init__(self, column: ColumnElement[Any] | InstrumentedAttribute[Any]) -> None:
        super().__init__(column)


@compiles(epoch_seconds, "sqlite")
def _sqlite_epoch(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return f"unixepoch({compiler.process(element.clauses, **kw)})"


@compiles(epoch_seconds, "postgresql")
def _postgres_epoch(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    # date_part gives a double; EXTRACT gives a numeric, which costs the server about
    # twice as much per value, and the booking reads convert thousands of them.
    return f"CAST(date_part('epoch', {compiler.process(element.clauses, **kw)}) AS BIGINT)"


@compiles(epoch_seconds)
def _default_epoch(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"
