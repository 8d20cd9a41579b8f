"""Every call into the OS keyring goes through :func:`ask`, which gives it a deadline.

A Secret Service that is hung, stopped or waiting on an unlock prompt nobody can see never
answers, and neither the ``keyring`` library nor jeepney under it has a timeout: without a
deadline ``meeting-guard consent add``/``verify`` and the tray's decision save would wait
forever. :func:`ask` runs the call on a worker thread and stops waiting after
:func:`deadline_s` seconds, raising :class:`KeyringNoAnswer` ("the keyring did not answer
within N s"), which callers report like any other unreachable keyring.

A call cannot be cancelled: the abandoned worker (a daemon thread, so it never holds up
the process's exit) waits on until the keyring answers or goes away. While it waits no
second call is started; each is refused at once with the same message, so a hung keyring
costs one deadline, not one per call, and threads do not pile up. Once the abandoned call
returns, calls go out again.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import keyring.errors

from guard.errors import GuardError

log = logging.getLogger(__name__)

T = TypeVar("T")

DEADLINE_ENV = "MEETING_GUARD_KEYRING_TIMEOUT"
# Long enough to type a password into an unlock prompt; short enough that a user waiting on a
# save or a check hears that the keyring is not answering.
DEFAULT_DEADLINE_S = 15.0
_BOUNDS_S = (0.1, 600.0)
_RETRY_PAUSE_S = 0.2


class KeyringNoAnswer(GuardError):
    """The keyring did not answer within the deadline (or an earlier call is still waiting)."""


@dataclass
class _Pending(Generic[T]):
    """One call on its worker thread: its outcome once ``done`` is set."""

    what: str
    started: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    result: T | None = None
    error: BaseException | None = None


_lock = threading.Lock()
_stuck: _Pending[Any] | None = None  # the abandoned call still waiting, if any


def deadline_s() -> float:
    """Seconds to wait for one keyring call: ``$MEETING_GUARD_KEYRING_TIMEOUT`` when it is a
    number (kept within 0.1-600 s), else 15 s."""
    text = os.environ.get(DEADLINE_ENV, "").strip()
    if not text:
        return DEFAULT_DEADLINE_S
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        log.warning("%s=%r is not a number of seconds; using %g s", DEADLINE_ENV, text[:40], DEFAULT_DEADLINE_S)
        return DEFAULT_DEADLINE_S
    return min(max(value, _BOUNDS_S[0]), _BOUNDS_S[1])


def ask(what: str, call: Callable[[], T], *, retry: bool = True) -> T:
    """``call()`` (one keyring operation, described by ``what`` for the log), answered within
    :func:`deadline_s`, else :class:`KeyringNoAnswer`. Its own exceptions are raised here.

    With ``retry`` a failure is retried once after a short pause, within the same deadline:
    Secret Service now and then answers with a transient failure (its default collection
    briefly not found, a D-Bus hiccup). A "no such entry" on delete is not retried."""
    global _stuck
    limit = deadline_s()
    with _lock:
        if _stuck is not None:
            if not _stuck.done.is_set():
                waited = time.monotonic() - _stuck.started
                raise KeyringNoAnswer(f"the keyring did not answer within {limit:g} s (a request made {waited:.0f} s "
                                      "ago is still waiting; it is not asked again until that one returns)")
            _stuck = None
        pending: _Pending[T] = _Pending(what)

        def work() -> None:
            try:
                pending.result = _twice(call) if retry else call()
            except BaseException as error:  # noqa: BLE001  (handed to the caller's thread)
                pending.error = error
            finally:
                pending.done.set()
                if _stuck is pending:
                    log.info("The keyring answered the request that had timed out (%s)", what)

        threading.Thread(target=work, name="keyring-call", daemon=True).start()
    if not pending.done.wait(limit):
        with _lock:
            if not pending.done.is_set():
                _stuck = pending
                log.warning("The keyring did not answer within %g s (%s); not asking it again until it does",
                            limit, what)
                raise KeyringNoAnswer(f"the keyring did not answer within {limit:g} s")
    if pending.error is not None:
        raise pending.error
    return cast(T, pending.result)  # set by the worker, which raised nothing


def wait_idle(timeout: float) -> bool:
    """Wait up to ``timeout`` s for an abandoned call to return; True when none is waiting."""
    with _lock:
        stuck = _stuck
    return stuck is None or stuck.done.wait(timeout)


def _twice(call: Callable[[], T]) -> T:
    try:
        return call()
    except keyring.errors.PasswordDeleteError:
        raise
    except Exception:  # noqa: BLE001  (retried once; the second failure is reported by the caller)
        time.sleep(_RETRY_PAUSE_S)
        return call()
