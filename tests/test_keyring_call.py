"""guard.keyring_call: one deadline for every keyring call, and no second call while one hangs.
(The real hung keyring, a stopped gnome-keyring, is in tests/ledger/test_keyring_hang.py.)"""

from __future__ import annotations

import threading

import keyring.errors
import pytest

from guard.keyring_call import DEADLINE_ENV, DEFAULT_DEADLINE_S, KeyringNoAnswer, ask, deadline_s, wait_idle


def test_a_call_that_never_returns_is_reported_and_not_repeated_until_it_does(monkeypatch):
    monkeypatch.setenv(DEADLINE_ENV, "0.2")
    release = threading.Event()
    calls = []

    def hung() -> str:
        calls.append("hung")
        release.wait(30)
        return "late"

    with pytest.raises(KeyringNoAnswer, match=r"the keyring did not answer within 0\.2 s"):
        ask("hang", hung)
    with pytest.raises(KeyringNoAnswer, match="still waiting"):  # refused at once: no second thread
        ask("next", lambda: calls.append("next") or "never")
    assert calls == ["hung"]
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
