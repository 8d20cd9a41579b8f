"""The consent form's purposes, defaults and the draft it becomes."""

from guard.ledger.models import Decision, RequestedBy
from guard.presentation.consent_form import (TRAINING_PURPOSE, ConsentAnswers, ConsentContext, build_draft,
                                             default_requested_by, purposes_for)
from tests.presentation.conftest import AT, window


def test_purposes_are_derived_from_the_feature_entry(catalog):
    testmeet, scribe = catalog.get("testmeet"), catalog.get("scribe")
    assert purposes_for(testmeet.feature("summary")) == ["A summary of the meeting", "A transcript of what is said"]
    assert purposes_for(testmeet.feature("recording")) == ["A recording of the meeting", TRAINING_PURPOSE]
    assert purposes_for(scribe.feature("bot")) == ["A recording of the meeting", "Notes of the meeting", TRAINING_PURPOSE]
    assert purposes_for(None) == []


def test_requested_by_defaults_to_who_switches_the_feature_on(catalog):
    testmeet, scribe = catalog.get("testmeet"), catalog.get("scribe")
    assert default_requested_by(testmeet.feature("summary"), testmeet) == RequestedBy.HOST
    assert default_requested_by(scribe.feature("bot"), scribe) == RequestedBy.SELF


def test_the_draft_carries_the_answers_and_the_detection_evidence():
    context = ConsentContext(provider_id="testmeet", meeting_title="Standup", occurred_at=AT, evidence=(window(),))
    answers = ConsentAnswers(provider_id="testmeet", decision=Decision.REFUSED, feature_id="summary",
                             purposes=("A summary of the meeting",), other_purpose="  Coaching  ",
                             requested_by=RequestedBy.HOST, meeting_title=" Standup ", meeting_link="",
                             note="Asked the host to stop.")
    draft = build_draft(answers, context)
    assert draft.decision == Decision.REFUSED and draft.feature_id == "summary"
    assert draft.purposes == ("A summary of the meeting", "Coaching")
    assert draft.meeting.title == "Standup" and draft.meeting.id_or_link is None
    assert draft.evidence == (window(),)
    assert draft.note == "Asked the host to stop." and draft.terms == ()


def test_evidence_is_dropped_when_the_user_picks_another_provider():
    context = ConsentContext(provider_id="testmeet", evidence=(window(),))
    draft = build_draft(ConsentAnswers(provider_id="zoom", decision=Decision.GIVEN), context)
    assert draft.evidence == ()


def test_the_form_is_about_the_named_or_only_or_latest_meeting():
    from guard.events import MeetingStarted
    from guard.presentation.consent_form import choose_context
    from tests.presentation.conftest import session

    live = session("testmeet", "TestMeet", "live", window(), title="Live one")
    ended = MeetingStarted(provider_id="plaincall", at=AT, session_id="ended", evidence=(window(),),
                           meeting_title="Earlier call")
    older = MeetingStarted(provider_id="testmeet", at=AT, session_id="older")
    seen = {"older": older, "ended": ended}
    assert choose_context(None, [live], seen).meeting_title == "Live one"
    assert choose_context("ended", [live], seen).meeting_title == "Earlier call"
    assert choose_context(None, [], seen).session_id == "ended"
    other = session("plaincall", "PlainCall", "other", title="Other")
    assert choose_context(None, [live, other], {}) == ConsentContext()
    assert choose_context("gone", [], {}) == ConsentContext()
