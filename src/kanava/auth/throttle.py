"""Back-off after failed sign-ins, per username and per client address.

Each key's failed tries within the last ``window`` are counted (a try counts as failed
from the moment it is made until it is found right); past ``free`` of them, the next
try must wait ``first_wait`` doubled for each further failure, up to ``longest``.
A wait answers at once (429 with Retry-After), with no password hashing: a storm of
wrong passwords costs the server almost nothing, and guessing one user's password from
many addresses, or many users' from one, is slowed alike. A success clears the
username's count, not the address's.

The counts live in the process (each worker keeps its own): nothing is written to
the database per failed try, which is what would let a storm stall bookings.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kanava.errors import KanavaError

MAX_KEYS = 50_000


class TooManyAttempts(KanavaError):
    status = 429

    def __init__(self, field_name: str, wait: timedelta) -> None:
        seconds = max(1, int(wait.total_seconds() + 0.999))
        super().__init__(field_name, f"too many failed sign-ins; try again in {seconds} s")
        self.headers = {"Retry-After": str(seconds)}
        self.wait = wait


@dataclass
class Throttle:
    free_per_user: int = 5
    free_per_address: int = 10
    window: timedelta = timedelta(minutes=15)
    first_wait: timedelta = timedelta(seconds=1)
    longest: timedelta = timedelta(minutes=15)
    _failures: dict[str, deque[datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _wait(self, key: str, free: int, now: datetime) -> timedelta:
        times = self._failures.get(key)
        if not times:
            return timedelta(0)
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return timedelta(0)
        over = len(times) - free
        if over < 0:
            return timedelta(0)
        wait: timedelta = min(self.first_wait * 2 ** min(over, 30), self.longest)
        return max(timedelta(0), times[-1] + wait - now)

    def attempt(self, username: str, address: str, now: datetime) -> None:
        """Raise TooManyAttempts when this user or address must wait; otherwise count
        the try as failed until ``succeeded`` says otherwise. Counting it before the
        password is verified means tries sent at once cannot slip past the limit while
        the first of them are still being verified."""
        keys = (f"user:{username.casefold()}", f"address:{address}")
        with self._lock:
            for key, free, name in zip(
                keys, (self.free_per_user, self.free_per_address), ("username", "address"),
                strict=True,
            ):  # fmt: skip
                wait = self._wait(key, free, now)
                if wait > timedelta(0):
                    raise TooManyAttempts(name, wait)
            if len(self._failures) > MAX_KEYS:  # many made-up names: forget the old ones
                for key in [k for k, t in self._failures.items() if t[-1] <= now - self.window]:
                    del self._failures[key]
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=256)).append(now)

    def succeeded(self, username: str, address: str, at: datetime) -> None:
        """The try made ``at`` was right: the user starts afresh, and the address does
        not count it."""
        with self._lock:
            self._failures.pop(f"user:{username.casefold()}", None)
            times = self._failures.get(f"address:{address}")
            if times is not None and at in times:
                times.remove(at)
