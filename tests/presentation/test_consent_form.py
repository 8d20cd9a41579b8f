"""The consent form's purposes, defaults and the draft it becomes."""

from guard.ledger.models import Decision, RequestedBy
from guard.events import Evidence, Signal
from guard.presentation.actions import RecordConsent
from guard.presentation.consent_form import (MAX_FIELD, TRAINING_PURPOSE, ConsentAnswers, ConsentSubject, build_draft,
                                             consent_subject, default_requested_by, purposes_for)
from tests.presentation.conftest import AT, app, process, session, snapshot, window


def test_purposes_are_derived_from_the_feature_entry(catalog):
    testmeet, scribe = catalog.get("testmeet"), catalog.get("scribe")
    assert purposes_for(testmeet.feature("summary")) == ["A summary of the meeting", "A transcript of what is said"]
    assert purposes_for(testmeet.feature("recording")) == ["A recording of the meeting", TRAINING_PURPOSE]
    assert purposes_for(scribe.feature("bot")) == ["A recording of the meeting", "Notes of the meeting",
                                                   TRAINING_PURPOSE]
    assert purposes_for(None) == []


def test_requested_by_defaults_to_who_switches_the_feature_on(catalog):
    testmeet, scribe = catalog.get("testmeet"), catalog.get("scribe")
    assert default_requested_by(testmeet.feature("summary"), testmeet) == RequestedBy.HOST
    assert default_requested_by(scribe.feature("bot"), scribe) == RequestedBy.SELF


def test_the_draft_carries_the_answers_and_the_detection_evidence():
    subject = ConsentSubject(session("testmeet", "m1", window(), title="Standup"))
    answers = ConsentAnswers(provider_id="testmeet", decision=Decision.REFUSED, feature_id="summary",
                             purposes=("A summary of the meeting",), other_purpose="  Coaching  ",
                             requested_by=RequestedBy.HOST, meeting_title=" Standup ", meeting_link="",
                             note="Asked the host to stop.")
    draft = build_draft(answers, subject)
    assert draft.decision == Decision.REFUSED and draft.feature_id == "summary"
    assert draft.purposes == ("A summary of the meeting", "Coaching")
    assert draft.meeting.title == "Standup" and draft.meeting.id_or_link is None
    assert draft.evidence == (window(),)
    assert draft.note == "Asked the host to stop." and draft.terms == ()


def test_evidence_is_dropped_when_the_user_picks_another_provider():
    subject = ConsentSubject(session("testmeet", "m1", window()))
    draft = build_draft(ConsentAnswers(provider_id="zoom", decision=Decision.GIVEN), subject)
    assert draft.evidence == ()


def test_a_100_kb_title_is_cut_never_refused():
    huge = "Weekly sync " + "x" * 100_000
    subject = ConsentSubject(session("testmeet", "m1", Evidence(Signal.WINDOW_TITLE, f"window '{huge}'", AT, 42),
                                     title=huge))
    answers = ConsentAnswers(provider_id="testmeet", decision=Decision.GIVEN, meeting_title=huge, meeting_link=huge)
    draft = build_draft(answers, subject)
    assert len(draft.meeting.title) == MAX_FIELD and draft.meeting.title.endswith("…")
    assert draft.meeting.title.startswith("Weekly sync")
    assert all(len(e.detail) <= MAX_FIELD for e in draft.evidence)


def test_the_notice_seen_in_the_meeting_is_kept_as_evidence():
    notice = Evidence(Signal.AI_NOTICE, "AI Companion is on: this meeting is being summarised", AT, tab="chromium/7")
    subject = ConsentSubject(session("testmeet", "m1", window()),
                             RecordConsent(meeting_id="m1", feature_id="summary", evidence=(notice,),
                                           notice=notice.detail))
    assert subject.feature_id == "summary"
    draft = build_draft(ConsentAnswers(provider_id="testmeet", decision=Decision.NOTICE_ONLY), subject)
    assert draft.evidence == (window(), notice)


def test_the_record_keeps_the_notice_seen_and_when():
    """Answering "I refuse" on an AI notice's notification left the record's notice empty (README: each
    record keeps the notice you were shown, and when); it was only inside the evidence's words."""
    notice = Evidence(Signal.AI_NOTICE, "zoom (pid 7) showed: 'Meeting Summary with AI Companion is on'", AT)
    subject = ConsentSubject(session("testmeet", "m1", window()),
                             RecordConsent(meeting_id="m1", feature_id="summary", evidence=(notice,),
                                           notice="Meeting Summary with AI Companion is on"))
    draft = build_draft(ConsentAnswers(provider_id="testmeet", decision=Decision.REFUSED), subject)
    assert draft.notice is not None
    assert (draft.notice.text, draft.notice.seen_at) == ("Meeting Summary with AI Companion is on", AT)
    other = build_draft(ConsentAnswers(provider_id="zoom", decision=Decision.REFUSED), subject)
    assert other.notice is None  # another provider's decision: not that meeting's notice
    plain = build_draft(ConsentAnswers(provider_id="testmeet", decision=Decision.GIVEN),
                        ConsentSubject(session("testmeet", "m1", window())))
    assert plain.notice is None


def test_the_form_is_about_the_named_or_only_or_latest_meeting():
    live = session("testmeet", "live", window(), title="Live one")
    ended = session("plaincall", "ended", window(), title="Earlier call", ended=True)
    older = session("testmeet", "older", ended=True)
    snap = snapshot(meetings=[live], ended=[older, ended])
    assert consent_subject(RecordConsent(), snap).meeting == live
    assert consent_subject(RecordConsent("ended"), snap).meeting == ended
    assert consent_subject(RecordConsent(), snapshot(ended=[older, ended])).meeting == ended
    other = session("plaincall", "other", title="Other")
    assert consent_subject(RecordConsent(), snapshot(meetings=[live, other])).meeting is None
    assert consent_subject(RecordConsent("gone"), snap).meeting is None
    assert consent_subject(RecordConsent(), None) == ConsentSubject()


def test_a_notetaker_on_this_computer_is_about_no_meeting_but_keeps_its_evidence():
    running = app("scribe", "n1", process("scribe-bin"))
    request = RecordConsent(provider_id="scribe", evidence=running.evidence)
    subject = consent_subject(request, snapshot(apps=[running], meetings=[session("testmeet", "m1", window())]))
    assert subject.meeting is None and subject.provider_id == "scribe"
    assert subject.evidence == running.evidence


def test_the_draft_keeps_the_language_the_form_was_shown_in():
    subject = ConsentSubject(session("testmeet", "m1", window()))
    answers = ConsentAnswers(provider_id="testmeet", decision=Decision.GIVEN)
    assert build_draft(answers, subject, "nl").language == "nl"
    assert build_draft(answers, subject).language is None
