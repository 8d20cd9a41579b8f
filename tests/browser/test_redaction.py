"""Secrets leave meeting links before they are shown or sent: the app's side of the shared cases.

The same cases run inside real Chromium and Firefox against the extension's own code
(test_chromium.py, test_firefox.py), so both sides apply resources/detect/redaction.toml alike.
"""

import json
from pathlib import Path

import pytest

from guard.detect.matching import redact_url as detector_redact_url
from guard.detect.redaction import redact_url, secret_keys

SHARED = json.loads((Path(__file__).parent / "redaction_cases.json").read_text(encoding="utf-8"))
CASES = SHARED["cases"]


@pytest.fixture(autouse=True)
def shared_key(app_home):
    """This install's link key is the cases' test key (the file the app reads, in this test's home)."""
    from guard import link_key

    (app_home / "data").mkdir(parents=True, mode=0o700)
    (app_home / "data" / "link-key").write_text(SHARED["link_key"] + "\n", encoding="ascii")
    (app_home / "data" / "link-key").chmod(0o600)
    link_key.forget()
    yield
    link_key.forget()


@pytest.mark.parametrize(("link", "shown"), CASES)
def test_links_lose_their_secrets(link, shown):
    assert redact_url(link) == shown


def test_the_detector_uses_the_shared_rules():
    assert detector_redact_url is redact_url
    assert {"pwd", "p", "passcode", "token"} <= secret_keys()


def test_redaction_is_linear_in_a_hostile_link():
    link = "https://zoom.us/j/1?" + "&".join(f"pwd={i}" for i in range(20_000)) + "#" + "a" * 100_000
    shown = redact_url(link)
    assert "pwd=1&" not in shown and shown.count("pwd=…") == 20_000


def test_a_teams_context_flood_is_read_in_linear_time():
    """audit16: the organiser id is now found in any mix of encodings; a link of 100,000 would-be keys is still read
    key by key, each closed by the next one's quote."""
    link = "https://teams.microsoft.com/l/x?context=" + "%22Oid%22:%22secret" * 100_000
    shown = redact_url(link)
    assert "secret" not in shown and shown.count("…") == 100_000  # the last, cut inside its id, to the end


def test_a_name_in_the_path_keeps_the_room_one_room_and_two_peoples_rooms_two():
    from guard.detect.identity import same_address

    ada = redact_url("https://acme.webex.com/meet/Ada.Lovelace")
    ada_again = redact_url("https://acme.webex.com/meet/ada.lovelace")
    bob = redact_url("https://acme.webex.com/meet/bob.smith")
    assert "lovelace" not in ada.lower() and "smith" not in bob
    assert same_address(ada, ada_again) and not same_address(ada, bob)
    assert redact_url(ada) == ada  # the extension's link redacted again by the app: the same pseudonym
    mine, theirs = redact_url("https://zoom.us/my/ada.lovelace"), redact_url("https://zoom.us/my/bob.smith")
    assert not same_address(mine, theirs) and same_address(mine, redact_url("https://zoom.us/my/Ada.Lovelace"))


def test_a_name_in_the_path_is_cut_where_links_are_stored():
    from guard.ledger.models import link_without_secrets

    kept = link_without_secrets("https://meet.litwareinc.com/kenmyer/071200") or ""
    assert "kenmyer" not in kept and kept.endswith("/071200")


def test_a_teams_organisers_id_is_cut_and_the_meeting_stays_the_same():
    from guard.detect.identity import same_address

    link = ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZjZkY2Y3ZmQtNDdj%40thread.v2/0?context=%7b%22Tid"
            "%22%3a%222d538e64%22%2c%22Oid%22%3a%22cf032064-55b4-433b-894f-910ed0f72e62%22%7d")
    shown = redact_url(link)
    assert "cf032064" not in shown and "2d538e64" in shown and same_address(shown, link)
    hostile = ("https://teams.microsoft.com/l/meetup-join/x?context=" + "%22Oid%22%3a%22abc%22" * 20_000
               + "%22Oid%22%3a%22")
    assert redact_url(hostile).count("%22Oid%22%3a%22…%22") == 20_000
