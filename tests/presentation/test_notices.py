"""Notification texts come from the catalog; the gate mutes kinds and never repeats."""

from datetime import timedelta

import pytest

from guard.events import ClauseChange, MeetingSession, MeetingStarted, NotetakerSeen, TermsChanged
from guard.presentation.actions import RecordConsent, ShowTermsChange
from guard.presentation.notices import NoticeKind, NotificationGate, meeting_notice, notetaker_notice, terms_notice
from guard.settings import NotificationSettings
from tests.presentation.conftest import AT, window


def started(session_id="m1", at=AT, title="TestMeet Meeting", provider="testmeet"):
    meeting = MeetingSession(id=session_id, provider_id=provider, started_at=at, evidence=(window(),), title=title)
    return MeetingStarted(provider_id=provider, at=at, meeting=meeting)


def terms_event(sha="b" * 64):
    return TermsChanged(provider_id="testmeet", at=AT, document_id="terms", url="https://example.org/terms",
                        old_sha256="a" * 64, new_sha256=sha,
                        changes=(ClauseChange(("ai-training",), "old", "new", "10.2",
                                              "AI training: Section 10.2 now says: “We may train models.”"),))


def test_meeting_notice_names_the_feature_who_can_turn_it_on_and_what_you_can_do(catalog):
    notice = meeting_notice(started(), catalog.get("testmeet"))
    assert notice.title == "TestMeet meeting detected: TestMeet Meeting"
    assert notice.body == ("The host or an account admin can turn on Meeting summary with Helper AI; you can ask the "
                           "host to stop it or leave the meeting. 1 more AI feature in the tray menu.")
    assert notice.key == "meeting:m1" and notice.action == RecordConsent(meeting_id="m1")


def test_a_hostile_meeting_title_reaches_the_notification_on_one_short_line(catalog):
    notice = meeting_notice(started(title="Standup\n\x1b[31mPAY NOW\x1b[0m " + "x" * 100_000), catalog.get("testmeet"))
    assert "\n" not in notice.title and "\x1b" not in notice.title
    assert notice.title.startswith("TestMeet meeting detected: Standup [31mPAY NOW [0m x")
    assert len(notice.title) < 200


def test_meeting_notice_for_a_provider_without_ai_features_says_so(catalog):
    notice = meeting_notice(started(provider="plaincall", title=None), catalog.get("plaincall"))
    assert notice.title == "PlainCall meeting detected"
    assert notice.body == "The catalog lists no AI features for PlainCall."


def test_notetaker_notice_says_what_it_does_and_what_others_can_do(catalog):
    notice = notetaker_notice(NotetakerSeen(provider_id="scribe", at=AT, session_id="n1"), catalog.get("scribe"))
    assert notice.title == "AI note-taker running: Scribe"
    assert notice.body == ("Scribe Notetaker: Joins meetings and writes notes from a recording. A participant turns "
                           "it on; for others in the meeting, they can ask whoever turned it on to stop it or leave "
                           "the meeting.")


def test_a_bot_known_by_its_display_name_alone_is_told_as_unconfirmed(catalog):
    """A guest can join as "Scribe Notetaker": with no recording notice in the meeting, the notice does not say a
    note-taker joined, only that someone carries its name, and says why that is not proof."""
    from guard.events import NotetakerWhere

    def bot(confirmed: bool) -> object:
        return notetaker_notice(NotetakerSeen(provider_id="scribe", at=AT, session_id="m1", meeting_id="m1",
                                              where=NotetakerWhere.IN_MEETING, participant="Scribe Notetaker",
                                              confirmed=confirmed), catalog.get("scribe"))
    unconfirmed, confirmed = bot(False), bot(True)
    assert unconfirmed.title == "Maybe an AI note-taker in the meeting: Scribe"
    assert unconfirmed.body.startswith("“Scribe Notetaker” is among the participants, a name Scribe's note-taker "
                                       "uses. Unconfirmed: anyone who joins can take that name")
    assert confirmed.title == "AI note-taker joined the meeting: Scribe"
    assert "Unconfirmed" not in confirmed.body


def test_terms_notice_names_the_document_and_quotes_the_change(catalog):
    notice = terms_notice(terms_event(), catalog)
    assert notice.title == "TestMeet Terms of Service changed"
    assert notice.body == "AI training: Section 10.2 now says: “We may train models.”"
    assert notice.key == f"terms:testmeet/terms/{'b' * 64}"
    assert notice.action == ShowTermsChange("testmeet", "terms", "b" * 64)


def test_the_same_meeting_or_terms_version_is_announced_once(catalog):
    gate, settings = NotificationGate(), NotificationSettings()
    provider = catalog.get("testmeet")
    assert gate.admit(meeting_notice(started("m1"), provider), settings)
    assert not gate.admit(meeting_notice(started("m1"), provider), settings)
    assert gate.admit(terms_notice(terms_event(), catalog), settings)
    assert not gate.admit(terms_notice(terms_event(), catalog), settings)
    assert gate.admit(terms_notice(terms_event("c" * 64), catalog), settings)


def test_two_meetings_in_a_row_with_the_same_title_are_both_announced(catalog):
    gate, settings = NotificationGate(), NotificationSettings()
    provider = catalog.get("testmeet")
    assert gate.admit(meeting_notice(started("m1", title="Zoom Meeting"), provider), settings)
    second = started("m2", AT + timedelta(minutes=2), title="Zoom Meeting")
    assert gate.admit(meeting_notice(second, provider), settings)


@pytest.mark.parametrize("kind, muted", [(NoticeKind.MEETING_STARTED, "meeting_started"),
                                         (NoticeKind.NOTETAKER_SEEN, "notetaker_seen"),
                                         (NoticeKind.TERMS_CHANGED, "terms_changed")])
def test_each_kind_can_be_muted_and_muting_does_not_replay_later(catalog, kind, muted):
    notices = {NoticeKind.MEETING_STARTED: meeting_notice(started(), catalog.get("testmeet")),
               NoticeKind.NOTETAKER_SEEN: notetaker_notice(NotetakerSeen(provider_id="scribe", at=AT, session_id="n1"),
                                                           catalog.get("scribe")),
               NoticeKind.TERMS_CHANGED: terms_notice(terms_event(), catalog)}
    gate = NotificationGate()
    settings = NotificationSettings(**{muted: False})
    for other_kind, notice in notices.items():
        assert gate.admit(notice, settings) is (other_kind != kind)
    assert not gate.admit(notices[kind], NotificationSettings()), "unmuting must not replay a muted notice"


def test_a_check_the_user_asked_for_is_answered_in_words():
    from guard.presentation.notices import check_notice
    from guard.terms.models import FetchResult, WatchedDocument
    from guard.terms.watcher import CheckReport, DocumentCheck

    document = WatchedDocument("testmeet", "terms", "TestMeet terms", "https://example.org/terms")
    def check(result, kind=None):
        return DocumentCheck(document, AT, result, error_kind=kind)

    report = CheckReport(AT, [check(FetchResult.UNCHANGED), check(FetchResult.FAILED, "timeout")])
    assert check_notice(report).body == ("Checked 2 documents: no change to an AI or data-use clause; "
                                         "1 could not be fetched (see the terms log).")
    off = CheckReport(AT, [check(FetchResult.SKIPPED, "network-disabled")])
    assert check_notice(off).body.startswith("Nothing was fetched: network access is switched off")
    offline = CheckReport(AT, [check(FetchResult.FAILED, "offline"), check(FetchResult.SKIPPED, "offline")],
                          offline=True)
    assert check_notice(offline).body.startswith("Offline: 2 documents not checked.")
    assert check_notice(report).title == "Terms checked"  # a check that reached nothing does not say it checked
    assert check_notice(offline).title == "Terms not checked: offline"
    assert check_notice(off).title == "Terms not checked: network access is off"
    gate = NotificationGate()
    assert gate.admit(check_notice(off), NotificationSettings(terms_changed=False))


@pytest.mark.parametrize(("shown", "quoted"), [
    ("Gemini is taking notes.", "“Gemini is taking notes”."),
    ("Recording started", "“Recording started”."),
    ("Is this being recorded?", "“Is this being recorded?”"),
])
def test_the_ai_notice_quotes_the_page_with_one_full_stop(shown, quoted):
    """Google Meet's "Gemini is taking notes." came out as '“Gemini is taking notes.”.' in the
    notification; the record keeps the page's own text, full stop and all."""
    from guard.catalog import load_catalog
    from guard.events import AiFeatureNoticed
    from guard.presentation.notices import ai_notice

    event = AiFeatureNoticed(provider_id="google-meet", at=AT, feature_id="take-notes-for-me", meeting_id="m1",
                             notice=shown)
    notice = ai_notice(event, load_catalog().get("google-meet"))
    assert quoted in notice.body and ".”." not in notice.body and "?”." not in notice.body, notice.body
    assert notice.action.notice == shown


def test_in_german_a_participant_who_turns_it_on_is_one_person(catalog):
    """The German notification said "Teilnehmende schaltet es ein" (a plural with a singular verb)."""
    from guard.presentation.i18n import use_language

    use_language("de")
    try:
        notice = notetaker_notice(NotetakerSeen(provider_id="scribe", at=AT, session_id="n1"), catalog.get("scribe"))
    finally:
        use_language("en")
    assert "Eine teilnehmende Person schaltet es ein;" in notice.body
