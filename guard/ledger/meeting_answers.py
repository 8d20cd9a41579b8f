"""Whether the ledger holds the user's decision about a meeting detection reports. A restarted app finds the
meeting it had asked about again, under a new id: the user is not asked again, and the tray shows the decision.

A decision (not a withdrawal or correction) answers the meeting when it is about the same provider, was made
today (the local day of ``now``) within its answer span (:func:`guard.ledger.answers.answer_span`: 12 hours for a
meeting known by its link, 1 hour for one known by its title), and about the same meeting:

- both know a link, and the links name the same meeting (:func:`guard.detect.identity.same_address`: the meeting id
  where the link says, else scheme, host, path and parameters; secrets cut from both as the ledger keeps them);
- else both know the same title, and the record's detection evidence holds what identifies this meeting's page or
  process word for word: a browser tab's or a meeting-only process's detail (they name the tab id or the pid).

For a question about an AI feature, it must also be about that feature (or, with no feature named, that notice's
text). A meeting at the same link on another day, or a desktop meeting whose meeting-only process is another, is a
new question, asked.
"""

from __future__ import annotations

from datetime import datetime

from guard.detect.identity import same_address
from guard.events import MeetingSession, Signal
from guard.ledger.answers import answer_span, kept_text, notice_key
from guard.ledger.models import Record, link_without_secrets, notice_digest
from guard.ledger.query import Order, RecordFilter
from guard.ledger.reader import LedgerReader

_IDENTIFYING = frozenset({Signal.BROWSER_TAB, Signal.MEETING_PROCESS})  # a tab id or a meeting-only process's pid
_SCANNED = 500  # records of the provider that day looked at, newest first (a bound on the work)


def answers_meeting(record: Record, meeting: MeetingSession, now: datetime, feature_id: str | None = None,
                    notice: str | None = None) -> bool:
    """Whether ``record`` is the user's decision about ``meeting`` (and the feature or notice asked about)."""
    if record.refers_to is not None or record.provider_id != meeting.provider_id:
        return False
    if record.occurred_at < now - answer_span(record) or record.occurred_at > now:
        return False
    if record.occurred_at.astimezone().date() != now.astimezone().date():
        return False
    if feature_id is not None and record.feature_id != feature_id:
        return False
    if feature_id is None and notice and notice_key(record) != notice_digest(notice):
        return False
    recorded_link = kept_text(link_without_secrets(record.meeting.id_or_link))
    link = kept_text(link_without_secrets(meeting.url))
    if recorded_link and link:
        return same_address(recorded_link, link)
    title, recorded_title = kept_text(meeting.title), kept_text(record.meeting.title)
    if not title or title != recorded_title:
        return False
    identifying = {e.detail for e in meeting.evidence if e.signal in _IDENTIFYING}
    return any(e.signal in _IDENTIFYING and e.detail in identifying for e in record.evidence)


def decision_about(reader: LedgerReader, meeting: MeetingSession, now: datetime, feature_id: str | None = None,
                   notice: str | None = None) -> Record | None:
    """The newest decision in the ledger about ``meeting`` (:func:`answers_meeting`), or None."""
    day = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    for record in reader.page(RecordFilter(provider_id=meeting.provider_id, occurred_from=day), 0, _SCANNED,
                              Order.NEWEST):
        if answers_meeting(record, meeting, now, feature_id, notice):
            return record
    return None
