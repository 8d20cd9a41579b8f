"""A restarted app finds a meeting it asked about again, under a new id: the decision in the ledger answers it
(guard.ledger.meeting_answers), and the user is not asked again. A real SQLite ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from guard.events import Evidence, MeetingSession, Signal
from guard.ledger import RecordDraft
from guard.ledger.meeting_answers import decision_about

NOW = datetime.now(UTC)
LINK = "https://us02web.zoom.us/j/81234567890"
AOMHOST = "aomhost (pid 4242) runs only during meetings"


def meeting(url: str | None = LINK, title: str = "Zoom Meeting", evidence: tuple[Evidence, ...] = ()) -> MeetingSession:
    """The meeting as the restarted app detects it: a new id, started now."""
    return MeetingSession(f"zoom:meeting:{NOW.isoformat()}", "zoom", NOW, evidence, title=title, url=url)


def decided(ledger, decision: str = "refused", ago: timedelta = timedelta(minutes=20), link: str | None = LINK,
            feature_id: str | None = "ai-companion", evidence: tuple[Evidence, ...] = ()):
    return ledger.append(RecordDraft("zoom", decision, occurred_at=NOW - ago, feature_id=feature_id,
                                     meeting={"title": "Zoom Meeting", "id_or_link": link}, evidence=evidence))


def test_the_decision_about_the_meeting_the_app_finds_again_answers_it(ledger):
    record = decided(ledger)
    assert decision_about(ledger, meeting(), NOW).id == record.id
    assert decision_about(ledger, meeting(), NOW, "ai-companion").id == record.id, "the same feature"
    # the link in another form naming the same meeting (its web client's join page)
    assert decision_about(ledger, meeting("https://us02web.zoom.us/wc/81234567890/join"), NOW).id == record.id


def test_another_meeting_another_feature_or_another_day_is_asked_again(ledger):
    decided(ledger)
    assert decision_about(ledger, meeting("https://us02web.zoom.us/j/89999999999"), NOW) is None
    assert decision_about(ledger, meeting(), NOW, "smart-recording") is None
    assert decision_about(ledger, meeting(), NOW + timedelta(hours=13)) is None, "past the answer span"


def test_the_same_link_after_midnight_is_another_days_meeting_asked_again(ledger):
    midnight = NOW.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    decided(ledger, ago=NOW - (midnight - timedelta(minutes=30)))  # 23:30 yesterday, local time
    assert decision_about(ledger, meeting(), midnight - timedelta(minutes=10)) is not None
    assert decision_about(ledger, meeting(), midnight + timedelta(minutes=30)) is None


def test_a_meeting_without_a_link_is_the_one_decided_only_by_its_own_meeting_process(ledger):
    process = (Evidence(Signal.MEETING_PROCESS, AOMHOST, NOW - timedelta(minutes=20), 4242),)
    record = decided(ledger, link=None, evidence=process)
    again = (Evidence(Signal.MEETING_PROCESS, AOMHOST, NOW, 4242),)
    assert decision_about(ledger, meeting(None, evidence=again), NOW).id == record.id
    # the next "Zoom Meeting" that hour: another meeting-only process, another question
    other = (Evidence(Signal.MEETING_PROCESS, "aomhost (pid 5151) runs only during meetings", NOW, 5151),)
    assert decision_about(ledger, meeting(None, evidence=other), NOW) is None
    assert decision_about(ledger, meeting(None), NOW) is None, "a title alone names no meeting"


def test_a_withdrawal_is_no_decision_about_a_meeting(ledger):
    record = decided(ledger, "given")
    ledger.append(RecordDraft("zoom", "withdrawn", occurred_at=NOW - timedelta(minutes=5), refers_to=record.id,
                              meeting={"title": "Zoom Meeting", "id_or_link": LINK}))
    assert decision_about(ledger, meeting(), NOW).id == record.id
