"""gnome-keyring dies while its unlock prompt is open: the app gives up on that call and uses the
keyring again once it is back, and no decision is lost: the one made while the keyring was away is
kept on this computer and signed, with the time it was made, once the keyring answers again.

Real parts: a D-Bus bus and gnome-keyring of the test's own (tests/support/secret_service.py),
its login collection locked so reading the ledger's key opens gnome-keyring's real unlock prompt
(gcr-prompter, on the test desktop's display), and the daemon killed while the prompt waits.
secretstorage then waits for the prompt's answer for ever; before the fix every later keyring
call in the process was refused ("still waiting") until the app restarted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guard import keyring_call
from guard.keyring_call import DEADLINE_ENV
from guard.keyring_prompt import PROMPT_TIMEOUT_ENV
from guard.ledger import DecisionKept, KeyState, LedgerKeyError, RecordDraft
from guard.paths import app_paths
from guard.services import Services
from tests.support.bounded import bounded
from tests.support.secret_service import PrivateSecretService

pytestmark = pytest.mark.desktop
DEADLINE_S = 2.0


@pytest.fixture
def secret_service(desktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateSecretService]:
    service = PrivateSecretService(tmp_path / "keyring", desktop.env["DISPLAY"])
    try:
        service.start()
        for name, value in service.env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv(DEADLINE_ENV, str(DEADLINE_S))
        yield service
    finally:
        service.stop()  # its bus ends: a call still waiting on it returns
        assert keyring_call.wait_idle(20), "a keyring call still waits after its bus ended"


def record(services: Services, decision: str):  # type: ignore[no-untyped-def]
    return bounded(lambda: services.record_decision(RecordDraft(provider_id="zoom", decision=decision)),
                   hang="saving a decision waited for ever on the keyring")


def test_a_keyring_that_dies_at_its_unlock_prompt_is_used_again_once_back_and_nothing_is_lost(secret_service):
    services = Services(app_paths())
    try:
        first = record(services, "given")
        assert first.seq == 1 and services.key_status().storage == "keyring"
    finally:
        services.close()

    secret_service.lock()
    services = Services(app_paths())  # the app started again: the key must come from the keyring
    try:
        kept = record(services, "refused")
        assert isinstance(kept, DecisionKept), kept  # fails closed: nothing is signed without the key...
        assert "Cannot sign a new record" in str(kept) and "did not answer within 2 s" in str(kept)
        assert "Kept on this computer" in str(kept) and services.waiting_count() == 1  # ...and nothing is lost
        assert secret_service.prompt_shown(), "reading the key opened gnome-keyring's unlock prompt"

        secret_service.kill_keyring()  # the prompt's answer never comes now
        status = bounded(services.key_status)
        assert status.state == KeyState.UNAVAILABLE, status  # said plainly while it is away
        assert isinstance(bounded(services.sign_waiting), LedgerKeyError)  # still not signed, still kept
        assert services.waiting_count() == 1
    finally:
        services.close()  # the user quits while the keyring is away

    secret_service.start_keyring()  # the desktop starts it again (unlocked at log-in)
    time.sleep(DEADLINE_S * 2)  # the pause before a keyring that left calls unanswered is asked again
    services = Services(app_paths())  # and starts the app again
    try:
        signed = bounded(services.sign_waiting)
        assert not isinstance(signed, BaseException), signed
        assert [(r.seq, r.decision) for r in signed] == [(2, "refused")]
        assert signed[0].occurred_at < signed[0].recorded_at  # when it was made, not when it could be signed
        assert services.waiting_count() == 0
        later = record(services, "given")  # and new decisions are signed at once again
        assert not isinstance(later, BaseException), later
        assert later.seq == 3 and bounded(services.key_status).state == KeyState.OK
        check = bounded(services.verify)
        assert check.count == 3 and check.report.ok, check.report.summary()
    finally:
        services.close()


def test_a_call_left_on_a_dead_keyrings_prompt_ends_while_the_bus_is_up(secret_service, monkeypatch):
    """Audit round six: the call left waiting on the prompt of a keyring that died kept its thread
    until the D-Bus session ended (for a desktop session: for ever), one more thread with each such
    outage. The prompt's answer is now waited for a bounded time, and the thread then returns."""
    monkeypatch.setenv(PROMPT_TIMEOUT_ENV, "4")
    services = Services(app_paths())
    try:
        assert record(services, "given").seq == 1
    finally:
        services.close()
    secret_service.lock()
    services = Services(app_paths())
    try:
        assert isinstance(record(services, "refused"), DecisionKept)  # kept: the prompt is not answered
        assert secret_service.prompt_shown()
        secret_service.kill_keyring()
        assert keyring_call.wait_idle(30), "the call waiting on the dead keyring's prompt still holds its thread"
        assert services.waiting_count() == 1  # and the decision is still kept
    finally:
        services.close()
