"""Which calls of the door block, and a check that they never run on the GUI thread.

Every method of :class:`guard.services.Services` that reads or writes files, the keyring or
the network is marked :func:`blocking`. The UI registers its GUI thread with
:func:`forbid_thread`; a blocking call made on it is a bug: it is logged as an error, and
raised as :class:`BlockingCallOnGuiThread` when the check is strict (the tests turn it on),
so a test fails the moment a widget touches the ledger, the terms store or the network.
Nothing here knows Qt: the UI hands over a thread id.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_forbidden: int | None = None
_strict = False
_allowed = threading.local()
violations: list[str] = []  # what ran where it must not, oldest first (read by tests)


class BlockingCallOnGuiThread(RuntimeError):
    """A call that waits on the disk, the keyring or the network ran on the GUI thread."""


def forbid_thread(thread_id: int | None) -> None:
    """Blocking calls must not run on ``thread_id`` (the GUI thread; None: no check)."""
    global _forbidden
    _forbidden = thread_id


def set_strict(on: bool) -> None:
    """Raise :class:`BlockingCallOnGuiThread` on a violation (tests), not only log it."""
    global _strict
    _strict = on


@contextmanager
def allowed() -> Iterator[None]:
    """Let the current thread block for a moment on purpose (a test preparing its data)."""
    before = getattr(_allowed, "on", False)
    _allowed.on = True
    try:
        yield
    finally:
        _allowed.on = before


def check_thread(what: str) -> None:
    """Record (and when strict, raise) when ``what`` runs on the forbidden thread."""
    if _forbidden is None or threading.get_ident() != _forbidden or getattr(_allowed, "on", False):
        return
    message = f"{what} blocks and ran on the GUI thread; run it through the UI's job runner"
    violations.append(what)
    log.error("%s", message)
    if _strict:
        raise BlockingCallOnGuiThread(message)


def blocking(method: Callable[P, R]) -> Callable[P, R]:
    """Mark a door method that waits on files, the keyring or the network (see module doc)."""
    name = method.__qualname__

    @functools.wraps(method)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        check_thread(name)
        return method(*args, **kwargs)

    checked.blocks = True  # type: ignore[attr-defined]
    return checked


def is_blocking(method: object) -> bool:
    return bool(getattr(method, "blocks", False))
