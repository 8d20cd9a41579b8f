"""Every call into the OS keyring goes through :func:`ask`, which gives it a deadline.

A Secret Service that is hung, stopped or waiting on an unlock prompt nobody can see never
answers, and neither the ``keyring`` library nor jeepney under it has a timeout: without a
deadline ``meeting-guard consent add``/``verify`` and the tray's decision save would wait
forever. :func:`ask` runs the call on a worker thread and stops waiting after
:func:`deadline_s` seconds, raising :class:`KeyringNoAnswer` ("the keyring did not answer
within N s"), which callers report like any other unreachable keyring.

A call cannot be cancelled: the abandoned worker (a daemon thread, so it never holds up
the process's exit) waits on until the keyring answers or goes away. A gnome-keyring that dies
while its unlock prompt is open never sends the prompt's answer; secretstorage would wait for
it for ever, so the Secret Service backend waits for a prompt at most five minutes
(guard.keyring_prompt) and its worker then returns. So an unanswered call holds back the calls after
it for a while, not until it returns: for one deadline they are refused at once with the
same message (a hung keyring costs one deadline, not one per call); then one call goes out
to find out whether the keyring answers again, and the pause doubles (up to five minutes)
with each call left unanswered. Once the keyring answers a call, or an abandoned call
returns, calls go out freely again. While the keyring does not answer at most
:data:`MAX_WAITING` abandoned calls wait at once, so threads do not pile up. A caller that
stops waiting (its cancel event, :func:`cancelled_by`) abandons its call the same way,
without holding back the calls after it.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

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


class KeyringCallCancelled(KeyringNoAnswer):
    """The caller stopped waiting for the keyring (the window or app asking is closing)."""


@dataclass
class _Pending(Generic[T]):
    """One call on its worker thread: its outcome once ``done`` is set."""

    what: str
    started: float = field(default_factory=lambda: clock())
    done: threading.Event = field(default_factory=threading.Event)
    result: T | None = None
    error: BaseException | None = None
    written_off: bool = False  # the keyring answered other calls since: this one may never return


MAX_WAITING = 4  # calls left unanswered at once while the keyring does not answer; more wait for one to return
_PAUSE_MAX_S = 300.0  # the longest pause before a keyring that left calls unanswered is asked again
_POLL_S = 0.05  # how often a cancellable wait looks at its cancel event

# The clock the pauses between calls are measured on (time.monotonic). Tests move it themselves:
# a test held up by a busy machine between two calls would otherwise see a pause end it never waited for.
clock: Callable[[], float] = time.monotonic
_lock = threading.Lock()
_waiting: list[_Pending[Any]] = []  # abandoned calls whose worker still waits, oldest first
_unanswered = 0  # calls left unanswered since the keyring last answered one (0: it answers)
_ask_again_at = 0.0  # while _unanswered, no call goes out before this (on the clock above)
_probing = False  # a call is out to find whether the keyring answers again
_cancel = threading.local()  # this thread's cancel event (cancelled_by)


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


@contextmanager
def cancelled_by(cancel: threading.Event | None) -> Iterator[None]:
    """Within this block, keyring calls made on this thread stop waiting once ``cancel`` is set
    (raising :class:`KeyringCallCancelled`): whoever asked is gone and nobody waits for the answer."""
    previous = getattr(_cancel, "event", None)
    _cancel.event = cancel
    try:
        yield
    finally:
        _cancel.event = previous


def caller_gone() -> bool:
    """Whether this thread's cancel event (:func:`cancelled_by`) is set: whoever asked is gone."""
    cancel: threading.Event | None = getattr(_cancel, "event", None)
    return cancel is not None and cancel.is_set()


def ask(what: str, call: Callable[[], T], *, retry: bool = True) -> T:
    """``call()`` (one keyring operation, described by ``what`` for the log), answered within
    :func:`deadline_s`, else :class:`KeyringNoAnswer`. Its own exceptions are raised here.

    With ``retry`` a failure is retried once after a short pause, within the same deadline:
    Secret Service now and then answers with a transient failure (its default collection
    briefly not found, a D-Bus hiccup). A "no such entry" on delete is not retried."""
    global _probing
    limit = deadline_s()
    cancel: threading.Event | None = getattr(_cancel, "event", None)
    if cancel is not None and cancel.is_set():
        raise KeyringCallCancelled("the keyring was not asked: nobody waits for the answer any more")
    with _lock:
        probe = _unanswered > 0
        if probe:
            _refuse_while_unanswered(limit)
            _probing = True
            log.info("Asking the keyring again (%s) after %d request(s) it left unanswered", what, _unanswered)
        pending: _Pending[T] = _Pending(what)
        threading.Thread(target=_work, args=(pending, call, retry), name="keyring-call", daemon=True).start()
    try:
        _wait(pending, limit, cancel)
        with _lock:
            if pending.done.is_set():
                _answered(pending, probe)
            else:
                _abandon(pending, limit, cancelled=cancel is not None and cancel.is_set())
    finally:
        if probe:
            with _lock:
                _probing = False
    if not pending.done.is_set():
        if cancel is not None and cancel.is_set():
            raise KeyringCallCancelled("the keyring call was given up: nobody waits for the answer any more")
        raise KeyringNoAnswer(f"the keyring did not answer within {limit:g} s")
    if pending.error is not None:
        raise pending.error
    return cast(T, pending.result)  # set by the worker, which raised nothing


def wait_idle(timeout: float) -> bool:
    """Wait up to ``timeout`` s for the abandoned calls to return; True when none is waiting."""
    end = time.monotonic() + timeout
    while True:
        with _lock:
            waiting = next((p for p in _waiting if not p.done.is_set()), None)
        left = end - time.monotonic()
        if waiting is None:
            return True
        if left <= 0:
            return False
        waiting.done.wait(left)


def _work(pending: _Pending[T], call: Callable[[], T], retry: bool) -> None:
    try:
        pending.result = _twice(call) if retry else call()
    except BaseException as error:  # noqa: BLE001  (handed to the caller's thread)
        pending.error = error
    finally:
        global _unanswered
        pending.done.set()
        with _lock:
            if pending in _waiting:  # an answer at last (or the bus saying the keyring is gone): ask again
                _waiting.remove(pending)
                _write_off()
                log.info("The keyring answered a request that had been given up (%s)", pending.what)


def _wait(pending: _Pending[Any], limit: float, cancel: threading.Event | None) -> None:
    """Wait for the call to end, at most ``limit`` s, and no longer once ``cancel`` is set."""
    if cancel is None:
        pending.done.wait(limit)
        return
    end = time.monotonic() + limit
    while not cancel.is_set() and (left := end - time.monotonic()) > 0:
        if pending.done.wait(min(left, _POLL_S)):
            return


def _refuse_while_unanswered(limit: float) -> None:
    """Raise KeyringNoAnswer unless a call may go out to a keyring that left calls unanswered
    (under the lock): one at a time, after the pause, while fewer than MAX_WAITING still wait."""
    now = clock()
    waiting = [p for p in _waiting if not p.done.is_set() and not p.written_off]
    if _probing:
        when = "another request is finding out whether it answers again"
    elif len(waiting) >= MAX_WAITING:
        when = f"{len(waiting)} requests are still waiting; it is not asked again until one returns"
    elif now < _ask_again_at:
        when = f"it is asked again in {math.ceil(_ask_again_at - now)} s"
    else:
        return
    since = f" (a request made {now - waiting[0].started:.0f} s ago is still waiting; {when})" if waiting else ""
    raise KeyringNoAnswer(f"the keyring did not answer within {limit:g} s{since}")


def _answered(pending: _Pending[Any], probe: bool) -> None:
    """The keyring answered (a value or an error, under the lock): calls go out freely again."""
    if probe:
        stuck = sum(1 for p in _waiting if not p.done.is_set())
        log.info("The keyring answers again (%s)%s", pending.what,
                 f"; {stuck} request(s) it left unanswered are given up for good" if stuck else "")
    _write_off()


def _write_off() -> None:
    """The keyring answers (under the lock): calls go out freely, and the calls it left waiting
    no longer count against it. Some never return (a prompt whose keyring died): counted, they
    would fill MAX_WAITING over a few outages and every later call would be refused for good."""
    global _unanswered
    _unanswered = 0
    for waiting in _waiting:
        waiting.written_off = True


def _abandon(pending: _Pending[Any], limit: float, *, cancelled: bool) -> None:
    """Leave ``pending`` to its worker thread (under the lock). An unanswered call pauses the
    calls after it for one deadline, doubled for each call left unanswered since the last answer;
    a call its caller gave up says nothing about the keyring."""
    global _unanswered, _ask_again_at
    _waiting.append(pending)
    if cancelled:
        log.info("A keyring call was given up by its caller (%s)", pending.what)
        return
    _unanswered += 1
    pause = min(limit * 2 ** (_unanswered - 1), max(_PAUSE_MAX_S, limit))
    _ask_again_at = clock() + pause
    log.warning("The keyring did not answer within %g s (%s); asking it again in %.0f s at the earliest",
                limit, pending.what, pause)


def _twice(call: Callable[[], T]) -> T:
    import keyring.errors  # here: a process that only says "stop waiting" (cancelled_by) never loads keyring

    try:
        return call()
    except keyring.errors.PasswordDeleteError:
        raise
    except Exception:  # noqa: BLE001  (retried once; the second failure is reported by the caller)
        time.sleep(_RETRY_PAUSE_S)
        return call()
