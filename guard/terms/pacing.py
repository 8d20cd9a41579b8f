"""A minimum pause between requests to one host, so the watcher stays a polite visitor."""

from __future__ import annotations

from collections.abc import Callable


class HostPacer:
    """Remembers when each host was last asked and waits so requests keep a minimum gap."""

    def __init__(self, gap_seconds: float, sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        self.gap = gap_seconds
        self._sleep = sleep
        self._clock = clock
        self._last: dict[str, float] = {}

    def wait_for(self, host: str, gap: float | None = None) -> float:
        """Sleep as long as needed before asking ``host`` again; returns the seconds waited."""
        waited = 0.0
        gap = self.gap if gap is None else gap
        last = self._last.get(host)
        if last is not None and gap > 0:
            waited = max(0.0, gap - (self._clock() - last))
            if waited > 0:
                self._sleep(waited)
        self._last[host] = self._clock()
        return waited
