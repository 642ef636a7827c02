"""Limits on guessing codes: so many failed attempts per connection and per network address
in a sliding window, then a wait.

A team code has 4 characters of 31 (about 920,000 codes): a tab that tries 150 codes in 18 s
would find one of 8 teams' codes in about a day, one limited to :data:`PER_CONNECTION` failures
a minute per tab and :data:`PER_ADDRESS` per machine would need months. A code that is right
is never counted; once a key is over its limit every attempt (right or wrong) is refused
until the window has moved on, so the limit cannot be used to test codes.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

#: Failed attempts allowed per window, per browser connection and per network address.
PER_CONNECTION, PER_ADDRESS = 5, 20
WINDOW_SECONDS = 60.0


class Attempts:
    """Failed attempts per key (a connection's id, an address) within the last window."""

    def __init__(
        self,
        limits: dict[str, int] | None = None,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        #: The limit per kind of key (``connection``, ``address``).
        self.limits = limits or {"connection": PER_CONNECTION, "address": PER_ADDRESS}
        self.window = window
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, keys: Iterable[tuple[str, str]]) -> float:
        """Seconds to wait before another attempt from these ``(kind, key)`` pairs (0: go)."""
        now = self._clock()
        longest = 0.0
        with self._lock:
            for kind, key in keys:
                times = self._recent((kind, key), now)
                if len(times) >= self.limits.get(kind, PER_CONNECTION):
                    longest = max(longest, times[0] + self.window - now)
        return longest

    def fail(self, keys: Iterable[tuple[str, str]]) -> None:
        """Count a failed attempt against every one of ``keys``."""
        now = self._clock()
        with self._lock:
            for pair in keys:
                self._recent(pair, now).append(now)

    def _recent(self, pair: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(pair, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times


def refusal(seconds: float) -> str:
    """What a page says to a browser over its limit."""
    return (
        f"Too many wrong codes from this computer: wait {max(1, round(seconds))} s and try again."
    )
