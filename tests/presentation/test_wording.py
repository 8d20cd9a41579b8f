"""Plain words derived from catalog fields."""

import pytest

from guard.catalog.models import AiFeature
from guard.presentation import wording
from tests.support.bounded import bounded


def feature(**fields) -> AiFeature:
    base = dict(id="f", name="Feature", description="Does things.", enabled_by=["host"], participant_notice="A banner.",
                participant_options=["leave"], sources=[{"url": "https://example.org/f", "checked": "2026-01-01"}])
    return AiFeature(**{**base, **fields})


def test_actors_are_named_in_the_order_a_participant_meets_them(catalog):
    provider = catalog.get("testmeet")
    f = feature(enabled_by=["provider", "account-admin", "any-participant", "host"])
    assert wording.who_can_turn_on(f, provider) == "the host, any participant, an account admin or TestMeet"


def test_what_you_can_do_follows_the_participant_options():
    assert wording.what_you_can_do(feature(participant_options=["nothing"])) == "participants cannot switch it off"
    assert wording.what_you_can_do(feature(participant_options=["opt-out", "request-stop"])) == \
        "you can opt out or ask the host to stop it"
    assert wording.what_you_can_do(feature(enabled_by=["participant"], participant_options=["request-stop"])) == \
        "you can ask whoever turned it on to stop it"


def test_short_name_drops_a_trailing_parenthesis_only():
    assert wording.short_name("Meeting summary with AI Companion (formerly Zoom IQ Meeting Summary)") == \
        "Meeting summary with AI Companion"
    assert wording.short_name("Recording (local and cloud) for hosts") == "Recording (local and cloud) for hosts"
    assert wording.short_name("Notes (beta (old)) ") == "Notes (beta (old))"
    assert wording.short_name("Notes (a) (beta)\t ") == "Notes (a)"
    assert wording.short_name("(beta)") == "(beta)"


@pytest.mark.parametrize("name", [" " * 400_000 + "x", "x" + " " * 400_000 + "(", "(" + " (" * 200_000],
                         ids=["spaces before a word", "spaces before an unclosed parenthesis", "open parentheses"])
def test_short_name_of_a_user_catalogs_huge_feature_name_is_linear(name):
    """Audit round four: a user catalog file (up to 512 kB) may name a feature with 400,000 spaces;
    the trailing-parenthesis pattern tried each of them as a start: minutes on every tray refresh."""
    result = bounded(lambda: wording.short_name(name), hang="short_name scanned the name once per space")
    assert result == name.strip()


def test_topic_labels_come_from_the_shipped_topic_file():
    assert wording.topic_label("ai-training") == "AI training"
    assert wording.topic_label("content-licence") == "Use of your content or data"
    assert wording.topic_label("other") == "Other"


def test_evidence_is_said_in_the_language_in_use_and_a_recorded_detail_stays_as_written():
    from datetime import UTC, datetime

    from guard.events import Evidence, Signal
    from guard.i18n import N_, Text
    from guard.presentation import i18n
    from guard.presentation.wording import evidence_line

    seen = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    said = Text.of(N_("{name} (pid {pid}) shows a window titled '{title}'"), name="zoom", pid=7, title="{pid} <b>x")
    live = Evidence(Signal.WINDOW_TITLE, str(said), seen, pid=7, said=said)
    recorded = Evidence(Signal.WINDOW_TITLE, "zoom (pid 7) shows a window titled 'old'", seen, pid=7)
    try:
        i18n.use_language("nl")
        assert evidence_line(live) == "Venster: zoom (pid 7) toont een venster met de titel ‘{pid} <b>x’"
        assert evidence_line(recorded) == "Venster: zoom (pid 7) shows a window titled 'old'"
        assert live.detail == "zoom (pid 7) shows a window titled '{pid} <b>x'" and live == Evidence(
            Signal.WINDOW_TITLE, live.detail, seen, pid=7), "said is not part of the evidence's identity"
    finally:
        i18n.use_language("en")


def test_a_notice_nobody_checked_yet_is_said_in_the_language_in_use():
    """The Providers tab said "Teilnehmenden wird angezeigt: Not checked." in German; the catalog's
    own words (its sources' English) stay as written."""
    from guard.presentation import i18n

    i18n.use_language("de")
    try:
        assert wording.participant_notice(feature(participant_notice="Not checked.")) == "nicht geprüft"
        assert wording.participant_notice(feature(participant_notice="A banner.")) == "A banner."
    finally:
        i18n.use_language("en")
