"""What a process works out from rarely changing tables, kept until those tables change.

Every change to the tables that decide who can serve when gives the database a new
random availability version (triggers, see migration 0005). A value is kept under the
database, the version it was worked out at and its own key: reading the version is one
small query, working the value out again is several queries and much arithmetic.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class VersionedCache:
    """A bounded, thread-safe map from (database, version, key) to a value; least recently
    used first out. Values must not be changed by their users."""

    def __init__(self, size: int) -> None:
        self._values: OrderedDict[tuple[str, int, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, database: str, version: int, key: Hashable, make: Callable[[], T]) -> T:
        full = (database, version, key)
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                value: T = self._values[full]
                return value
        value = make()  # outside the lock: two threads may both make it, and both are right
        with self._lock:
            self._values[full] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value
