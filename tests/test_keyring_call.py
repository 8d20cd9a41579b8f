"""guard.keyring_call: one deadline for every keyring call, no pile of calls while one hangs, and
calls again once the keyring answers. (The real hung keyring, a stopped gnome-keyring, is in
tests/ledger/test_keyring_hang.py; one that dies at its unlock prompt in
tests/ledger/test_keyring_dies_at_prompt.py.)"""

from __future__ import annotations

import threading
import time

import keyring.errors
import pytest

from guard import keyring_call
from guard.keyring_call import (
    DEADLINE_ENV,
    DEFAULT_DEADLINE_S,
    MAX_WAITING,
    KeyringCallCancelled,
    KeyringNoAnswer,
    ask,
    cancelled_by,
    deadline_s,
    wait_idle,
)


class Clock:
    """The clock the pauses between keyring calls are measured on, moved by the test alone."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Held still: the calls a test makes one after the other are 'at once' however long a busy machine
    keeps the test from running (each call's own deadline is still waited for in real time)."""
    held = Clock()
    monkeypatch.setattr(keyring_call, "clock", held)
    return held


def test_a_call_that_never_returns_is_reported_and_not_repeated_until_it_does(monkeypatch, clock):
    monkeypatch.setenv(DEADLINE_ENV, "0.2")
    release = threading.Event()
    calls = []

    def hung() -> str:
        calls.append("hung")
        release.wait(30)
        return "late"

    try:
        with pytest.raises(KeyringNoAnswer, match=r"the keyring did not answer within 0\.2 s"):
            ask("hang", hung)
        with pytest.raises(KeyringNoAnswer, match="still waiting"):  # refused at once: no second thread
            ask("next", lambda: calls.append("next") or "never")
        assert calls == ["hung"]
    finally:
        release.set()
    assert wait_idle(10)
    assert ask("after", lambda: "answered") == "answered"  # the keyring answered: calls go out again


def test_errors_are_raised_in_the_callers_thread_after_one_retry():
    attempts = []

    def refuses() -> None:
        attempts.append(threading.current_thread().name)
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    with pytest.raises(keyring.errors.KeyringLocked):
        ask("locked", refuses)
    assert len(attempts) == 2 and threading.current_thread().name not in attempts

    def gone() -> None:
        attempts.append("delete")
        raise keyring.errors.PasswordDeleteError("not found")

    with pytest.raises(keyring.errors.PasswordDeleteError):
        ask("delete", gone)
    assert attempts.count("delete") == 1  # "no such entry" is an answer, not a hiccup


@pytest.mark.parametrize(("value", "expected"), [("", DEFAULT_DEADLINE_S), ("3", 3.0), ("nan", DEFAULT_DEADLINE_S),
                                                 ("soon", DEFAULT_DEADLINE_S), ("0", 0.1), ("1e9", 600.0)])
def test_the_deadline_can_be_set_but_never_to_nothing_or_forever(monkeypatch, value, expected):
    monkeypatch.setenv(DEADLINE_ENV, value)
    assert deadline_s() == expected


def test_a_call_that_never_returns_holds_back_later_calls_for_a_deadline_only(monkeypatch, clock):
    """A keyring that died at its unlock prompt never answers the call that waits on it: the calls
    after it are refused for one deadline, then go out again, and work once the keyring answers."""
    monkeypatch.setenv(DEADLINE_ENV, "0.2")
    never = threading.Event()
    try:
        with pytest.raises(KeyringNoAnswer, match=r"within 0\.2 s$"):
            ask("prompt of a dead keyring", lambda: never.wait(60))
        with pytest.raises(KeyringNoAnswer, match="still waiting; it is asked again in 1 s"):
            ask("at once", lambda: "not asked")
        clock.advance(0.25)  # the pause: one deadline
        assert ask("the keyring is back", lambda: "answered") == "answered"
        assert ask("and after", lambda: "answered") == "answered"  # no longer held back
    finally:
        never.set()
    assert wait_idle(10)


def test_a_keyring_that_keeps_not_answering_leaves_at_most_a_few_calls_waiting(monkeypatch, clock):
    monkeypatch.setenv(DEADLINE_ENV, "0.1")
    release = threading.Event()
    started = []

    def hung() -> None:
        started.append(1)
        release.wait(60)

    try:
        for _ in range(MAX_WAITING):
            with pytest.raises(KeyringNoAnswer):
                ask("hung", hung)
            clock.advance(0.1 * 2 ** (len(started) - 1) + 0.05)  # each pause doubles
        with pytest.raises(KeyringNoAnswer, match=f"{MAX_WAITING} requests are still waiting"):
            ask("one more", hung)
        assert len(started) == MAX_WAITING  # no more threads than that
    finally:
        release.set()
    assert wait_idle(10)
    assert ask("after", lambda: "answered") == "answered"  # the answers came: calls go out again


def test_a_caller_that_stops_waiting_gives_up_its_call_without_holding_back_the_next(monkeypatch):
    """The settings window closes while the key's status is read: the read stops waiting at once."""
    monkeypatch.setenv(DEADLINE_ENV, "600")
    release, cancel = threading.Event(), threading.Event()
    threading.Timer(0.1, cancel.set).start()
    try:
        with cancelled_by(cancel), pytest.raises(KeyringCallCancelled, match="nobody waits"):
            ask("key status", lambda: release.wait(60))
        with cancelled_by(cancel), pytest.raises(KeyringCallCancelled):
            ask("not even started", lambda: "never")
        assert ask("someone else's call", lambda: "answered") == "answered"
    finally:
        release.set()
    assert wait_idle(10)


def test_calls_left_for_good_in_earlier_outages_do_not_count_against_a_later_one(monkeypatch, clock):
    """Each time a keyring dies at its unlock prompt one call waits for ever; after a few such outages
    those calls must not fill the limit of calls left waiting, or every later call would be refused."""
    monkeypatch.setenv(DEADLINE_ENV, "0.1")
    never = threading.Event()
    try:
        for _ in range(MAX_WAITING + 1):
            with pytest.raises(KeyringNoAnswer):
                ask("a prompt whose keyring died", lambda: never.wait(60))
            clock.advance(0.15)  # the pause after one unanswered call
            assert ask("the keyring is back", lambda: "answered") == "answered"
    finally:
        never.set()
    assert wait_idle(10)
