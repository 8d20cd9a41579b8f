"""Run one call that must not hang (a read of a named pipe, a lock held by another program) in a
daemon thread the test waits on for a bounded time: a regression fails the test with a message
instead of hanging the suite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

WAIT_S = 30.0  # far above the time the call takes when it does not wait (milliseconds)


def bounded(work: Callable[[], T], *, seconds: float = WAIT_S, hang: str = "waited for ever") -> T | BaseException:
    """``work()``'s result, or the exception it raised (as a value, for the test to look at).
    Fails the test with ``hang`` if it is still running after ``seconds`` (the thread is left
    behind: it is a daemon and holds nothing the rest of the suite needs)."""
    out: list[T | BaseException] = []

    def run() -> None:
        try:
            out.append(work())
        except BaseException as error:  # noqa: BLE001 - what the test looks at
            out.append(error)

    worker = threading.Thread(target=run, daemon=True, name="bounded test call")
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), hang
    return out[0]
