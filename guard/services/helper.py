"""Heavy work in a short-lived helper process: exports and terms checks.

An export of 100,000 records or a terms check (HTTP client, HTML parser, clause alignment) is
CPU work in Python and C extensions that hold the interpreter lock; run on a thread of the tray
app, it would make the GUI thread wait for that lock (stalls of 100 ms and more), and the
modules and data it loads would stay in the app for the rest of its life. In a helper process
it uses another core, the app stays responsive, and its memory goes back when it ends. It runs
at a lower CPU priority (:data:`HELPER_NICENESS`): on a busy computer the GUI thread and the
user's own programs come first, and the export or check takes a little longer.

The helper is started with ``spawn`` (a fork of a process with threads is unsafe; the frozen
app calls ``multiprocessing.freeze_support()``). Progress comes back over a pipe; the caller's
progress callback returning False cancels. The helper's exception is raised here as it was
raised there. If the helper dies, a :class:`HelperFailed` says so, with its exit code.

Every call has one total deadline (:data:`HELPER_DEADLINE_S` unless the caller gives its own):
a helper that has not answered by then (hung on a lock, a file system or a server that trickles)
is killed, and :class:`HelperFailed` says so, so the caller's lane is never held for ever. What
the helper finished before stays done (a terms check stores each document as it goes).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from guard.errors import GuardError
from guard.spawning import safe_module_path

log = logging.getLogger(__name__)

R = TypeVar("R")
ProgressFn = Callable[[int, int], bool]
POLL_S = 0.1
HELPER_NICENESS = 10  # POSIX nice increment; on Windows, the below-normal priority class
HELPER_DEADLINE_S = 1800.0
"""How long one helper may take in all before it is killed: thirty minutes, far above a real job
(a terms check of every watched document: a few minutes; 100,000 records to PDF: about a minute)
and still an end for one that never answers."""


class HelperFailed(GuardError):
    """The helper process could not start, or stopped without an answer."""


def run_in_helper(target: Callable[..., R], *args: Any, progress: ProgressFn | None = None,
                  deadline_s: float = HELPER_DEADLINE_S, cancel: threading.Event | None = None) -> R:
    """``target(*args, report)`` in a helper process; ``report(done, total) -> keep going?``.

    ``target`` and ``args`` must be picklable (a module-level function and plain values).
    Blocks until the helper answers, ``deadline_s`` seconds at most (then the helper is killed
    and :class:`HelperFailed` raised); call it from a worker thread. ``cancel`` set (nobody waits
    for the answer any more: the app is quitting) kills the helper and raises HelperFailed at once.
    """
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    # Not a daemon: an export's helper starts a helper of its own (the ledger check).
    process = context.Process(target=_child, args=(theirs, target, args), name=f"meeting-guard {target.__name__}")
    try:
        with safe_module_path():  # no module from the working folder runs in it
            process.start()
    except (OSError, RuntimeError) as error:
        raise HelperFailed(f"A helper process could not start ({error}).") from None
    finally:
        theirs.close()
    try:
        answer: R = _answer(ours, process, progress, time.monotonic() + deadline_s, deadline_s, cancel)
        return answer
    finally:
        ours.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()


def _answer(conn: Connection, process: Any, progress: ProgressFn | None, ends: float, deadline_s: float,
            cancel: threading.Event | None = None) -> Any:
    cancelled = False
    while True:
        if cancel is not None and cancel.is_set():
            process.kill()  # a read nobody waits for: nothing of it is kept
            raise HelperFailed(f"The helper process ({process.name}) was stopped: its answer is no longer wanted.")
        if time.monotonic() >= ends:
            process.kill()  # it may hold nothing worth waiting for: what it finished is stored already
            raise HelperFailed(f"The helper process ({process.name}) did not finish within {deadline_s:g} s and "
                               "was stopped; see the log.")
        if conn.poll(min(POLL_S, max(0.0, ends - time.monotonic()))):
            try:
                kind, *payload = conn.recv()
            except EOFError:
                break
            if kind == "progress":
                keep = progress(*payload) if progress is not None else True
                if not keep and not cancelled:
                    cancelled = True
                    conn.send("cancel")
            elif kind == "done":
                return payload[0]
            elif kind == "error":
                error, text = payload
                log.debug("The helper process failed:\n%s", text)
                raise error
        elif not process.is_alive():
            break
    raise HelperFailed(f"The helper process stopped without an answer (exit code {process.exitcode}); "
                       "see the log. Nothing was changed.")


def lower_priority() -> None:
    """Make this process yield the CPU to the app and the user's programs (its children inherit it)."""
    try:
        if sys.platform == "win32":
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            os.nice(HELPER_NICENESS)
    except (OSError, ImportError) as error:  # a refused change only costs responsiveness
        log.debug("The helper process keeps its priority: %s", error)


def _child(conn: Connection, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Runs in the helper process."""
    lower_priority()
    cancelled = False

    def report(done: int, total: int) -> bool:
        nonlocal cancelled
        conn.send(("progress", done, total))
        while conn.poll():
            if conn.recv() == "cancel":
                cancelled = True
        return not cancelled

    try:
        result = target(*args, report)
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            conn.send(("error", error, traceback.format_exc()))
        except Exception:  # noqa: BLE001 - an error that cannot be pickled is said in words
            conn.send(("error", HelperFailed(f"{type(error).__name__}: {error}"), traceback.format_exc()))
    else:
        conn.send(("done", result))
    finally:
        conn.close()
