"""Append a decision in a short-lived helper process, so that the tray app never opens the ledger.

Opening the ledger loads the keyring library (Secret Service over D-Bus), cryptography and the
ledger's own modules: about 12 MB that a process keeps for good, since Python does not unload
modules (tests/bench/bench_tray.py measures it; issue 18). The tray app records a decision now
and then and otherwise idles for days, so it appends in a helper process started with ``spawn``
(as :mod:`guard.services.helper` starts exports), whose memory goes back to the system when it ends.

* **Never lost, never twice.** The record's id is made here, before the helper starts, and the
  helper appends with it (``Ledger.append(draft, record_id=...)`` stores a decision under a given
  id at most once). When the helper cannot start, dies, gives no usable answer or hangs (it is
  killed first), the decision is appended in this process with the same id: if the helper's
  append happened, that record is what comes back, and nothing is added.
* **Only JSON crosses.** The draft goes to the helper as the model's JSON; the answer comes back
  as JSON: the record, validated here as a :class:`Record`, or an error's class (one of
  :mod:`guard.ledger.errors`, looked up by name) and message, raised here as the helper raised
  it. Nothing the helper sends is unpickled.
* **In order.** One decision at a time, in the order they were asked for (:class:`HelperAppender`).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from guard.ledger import errors
from guard.ledger.models import Record, RecordDraft
from guard.spawning import safe_module_path

if TYPE_CHECKING:
    from guard.ledger.store import Ledger
    from guard.paths import AppPaths

log = logging.getLogger(__name__)

DEADLINE_S = 120.0
"""How long the helper may take before it is killed and the decision is appended here (its own
keyring calls have deadlines of their own, guard.keyring_call; this is the last resort)."""
MAX_ANSWER = 4 * 2**20
TEST_HOOK_ENV = "MEETING_GUARD_TEST_APPEND_HELPER"
"""For tests only: ``exit-at-start`` (the helper dies before appending) or ``kill-after-append``
(SIGKILL right after its append returned, before it answers)."""

# The errors the helper may report, by name: the ledger's own family (messages name the file and
# what to do, as in this process). Anything else is appended again here, which says it as today.
_ERRORS: dict[str, type[errors.LedgerError]] = {
    cls.__name__: cls for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.LedgerError)
}


class NoAnswer(Exception):
    """The helper could not start, stopped or hung without a usable answer."""


class HelperAppender:
    """Appends decisions for one app run, one at a time in the order asked for, each in a helper
    process; ``open_here`` opens the ledger in this process (the fallback). Once the ledger is
    open here anyway (``opened_here()``: a fallback happened), appends stay here."""

    def __init__(self, paths: AppPaths, open_here: Callable[[], Ledger], opened_here: Callable[[], bool],
                 *, deadline_s: float = DEADLINE_S) -> None:
        self.paths = paths
        self._open_here = open_here
        self._opened_here = opened_here
        self.deadline_s = deadline_s
        self._turns = _Turns()

    def append(self, draft: RecordDraft, *, record_id: str | None = None,
               answer_at: datetime | None = None) -> Record:
        """Blocks: the stored record, or the ledger's error (as ``Ledger.append`` raises it).
        ``record_id``: the id the caller made (a kept decision appended later), else a new one;
        ``answer_at``: a notification's answer, as ``Ledger.append`` takes it."""
        with self._turns.turn():
            if self._opened_here():
                return self._open_here().append(draft, record_id=record_id, answer_at=answer_at)
            record_id = record_id or str(uuid.uuid4())
            try:
                record = append_in_helper(self.paths, draft, record_id, answer_at=answer_at,
                                          deadline_s=self.deadline_s)
            except NoAnswer as why:
                log.warning("Recording the decision in the app itself: %s", why)
                return self._open_here().append(draft, record_id=record_id, answer_at=answer_at)
            log.info("Ledger record %s (seq %s, %s, %s) added by a helper process", record.id, record.seq,
                     record.provider_id, record.decision)
            return record


def append_in_helper(paths: AppPaths, draft: RecordDraft, record_id: str, *, answer_at: datetime | None = None,
                     deadline_s: float = DEADLINE_S) -> Record:
    """Blocks: ``draft`` appended as record ``record_id`` by a helper process. Raises the ledger's
    error the helper met, or :class:`NoAnswer` (then the append may or may not have happened:
    append again with the same id)."""
    if any(item.said is not None for item in draft.evidence):  # a display form the ledger never keeps
        draft = draft.changed(evidence=tuple(replace(item, said=None) for item in draft.evidence))
    context = multiprocessing.get_context("spawn")  # a fork of a process with threads is unsafe
    ours, theirs = context.Pipe(duplex=False)
    asked = draft.model_dump_json()
    answered = None if answer_at is None else answer_at.isoformat()
    process = context.Process(target=_child, args=(theirs, paths, asked, record_id, answered),
                              name="meeting-guard append")
    try:
        with safe_module_path():  # no module from the working folder runs in it
            process.start()
    except (OSError, RuntimeError) as error:
        raise NoAnswer(f"a helper process could not start ({error})") from None
    finally:
        theirs.close()
    try:
        message = _receive(ours, process, deadline_s)
    finally:
        ours.close()
        _end(process)  # before any fallback: a helper still running could append after it
    return _answer(message, record_id, asked)


def _receive(conn: Connection, process: Any, deadline_s: float) -> bytes:
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            if conn.poll(0.05):
                return conn.recv_bytes(MAX_ANSWER)
        except (EOFError, OSError):  # closed without a message, or one over the size cap
            break
        if not process.is_alive():
            if conn.poll(0):  # its last words, sent just before it ended
                continue
            break
        if time.monotonic() > deadline:
            raise NoAnswer(f"the helper process did not answer within {deadline_s:g} s")
    process.join(1)
    raise NoAnswer(f"the helper process stopped without an answer (exit code {process.exitcode})")


def _end(process: Any) -> None:
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()


def _answer(message: bytes, record_id: str, asked: str | None = None) -> Record:
    """The helper's record, or its ledger error raised here; :class:`NoAnswer` when the answer cannot
    be read, names another record, or (``asked``: the draft's JSON as sent) holds another decision."""
    try:
        answer = json.loads(message)
        if "error" in answer:
            kind, text = answer["error"]["kind"], answer["error"]["message"]
        else:
            record = Record.model_validate(answer["record"])
    except (ValueError, TypeError, KeyError, RecursionError) as error:  # ValidationError: a ValueError
        raise NoAnswer(f"the helper process's answer cannot be read ({type(error).__name__})") from None
    if "error" in answer:
        found = _ERRORS.get(str(kind))
        if found is None:
            raise NoAnswer(f"the helper process failed ({str(kind)[:80]}: {str(text)[:500]})")
        raise found(str(text)[:2000])
    if record.id != record_id:
        raise NoAnswer(f"the helper process answered with record {record.id[:40]!r}, not {record_id}")
    if asked is not None and not _is_decision(record, asked):
        # Appended again here with the same id: the ledger returns the stored record if it is this
        # decision after all, and refuses (LedgerInputError) if the id holds another one.
        raise NoAnswer(f"the helper process answered with record {record_id} holding another decision than asked")
    return record


def _is_decision(record: Record, asked: str) -> bool:
    """Whether ``record`` is the draft ``asked`` stored: the same content as the ledger makes of it
    (the same cuts of long texts), with the record's own place in the chain."""
    draft = RecordDraft.model_validate_json(asked)
    content = draft.content(record_id=record.id, seq=record.seq, key_id=record.key_id, recorded_at=record.recorded_at)
    try:
        expected = Record.model_validate({**content, "prev_hash": record.prev_hash, "hash": record.hash,
                                          "signature": record.signature})
    except ValueError:
        return False
    return expected == record


def _child(conn: Connection, paths: AppPaths, draft_json: str, record_id: str, answer_at: str | None = None) -> None:
    """Runs in the helper process: append, answer, end."""
    hook = os.environ.get(TEST_HOOK_ENV, "")
    if hook == "exit-at-start":
        os._exit(70)
    try:
        from guard.ledger import open_ledger
        from guard.logs import setup_logging

        setup_logging(paths.log_file, long_running=False, process="append")  # the app's log, lines marked
        with open_ledger(paths) as ledger:
            record = ledger.append(RecordDraft.model_validate_json(draft_json), record_id=record_id,
                                   answer_at=None if answer_at is None else datetime.fromisoformat(answer_at))
            if hook == "kill-after-append":
                os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
        answer: dict[str, Any] = {"record": record.model_dump(mode="json")}
    except errors.LedgerError as error:
        answer = {"error": {"kind": type(error).__name__, "message": str(error)}}
    except Exception as error:  # noqa: BLE001 - said to the app, which appends itself and says it as today
        log.exception("Appending in the helper process failed")
        answer = {"error": {"kind": type(error).__name__, "message": str(error)}}
    try:
        conn.send_bytes(json.dumps(answer).encode("utf-8"))
    finally:
        conn.close()


class _Turns:
    """A first-come, first-served lock: decisions are appended in the order they were asked for."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._cond:
            mine = self._next
            self._next += 1
            while mine != self._serving:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._serving += 1
                self._cond.notify_all()
