"""Detection's events in the tray app: a meeting, an AI notice in it, a note-taker are told in a notification,
unless the ledger holds the user's decision about that meeting already (a restarted app finds the meeting it had
asked about: guard.ledger.meeting_answers through the door); then the meeting's menu shows the decision. A part of
:class:`ui.shell.Shell` (it mixes this in), kept apart so each file does one job; the look runs on the job runner."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ui.jobs import JobRunner, Lane

if TYPE_CHECKING:
    from guard.events import MeetingSession
    from guard.presentation.notices import Notice
    from guard.services import MonitorEvent, Record, Services, Snapshot

log = logging.getLogger(__name__)


class ShellEvents:
    """The events part of the Shell; what the Shell sets up is declared here."""

    services: Services | None
    jobs: JobRunner
    snapshot: Snapshot | None
    decided: dict[str, tuple[str, ...]]  # by told_as: decisions found in the ledger
    _gate: Any

    def _notify(self, notice: Notice) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        raise NotImplementedError

    def on_events(self, events: list[MonitorEvent]) -> None:
        from guard.events import AiFeatureNoticed, MeetingStarted, NotetakerSeen
        from guard.presentation.notices import ai_notice, meeting_notice, notetaker_notice

        started = {item.event.meeting.id: item.event.meeting for item in events
                   if isinstance(item.event, MeetingStarted)}
        for item in events:
            event = item.event
            log.info("Event: %s %s %s", event.kind, event.provider_id, event.session_id)
            if isinstance(event, MeetingStarted):
                self._ask_unless_decided(meeting_notice(event, item.provider), event.meeting)
            elif isinstance(event, NotetakerSeen):
                self._notify(notetaker_notice(event, item.provider))
            elif isinstance(event, AiFeatureNoticed):
                meeting = started.get(event.meeting_id or "") or (
                    self.snapshot.meeting(event.meeting_id) if self.snapshot is not None and event.meeting_id else None)
                self._ask_unless_decided(ai_notice(event, item.provider), meeting, event.feature_id, event.notice)

    def _ask_unless_decided(self, notice: Notice, meeting: MeetingSession | None, feature_id: str | None = None,
                            text: str | None = None) -> None:
        """Tell ``notice``, unless the ledger holds the user's decision about ``meeting`` (and the feature or notice):
        a restarted app finds the meeting it asked about again. Then the meeting's menu shows the decision."""
        services = self.services
        if meeting is None or services is None or (self._gate is not None and self._gate.seen(notice)):
            self._notify(notice)
            return

        def found(record: Record | None) -> None:
            if record is None:
                self._notify(notice)
                return
            from guard.presentation.status import decided_line

            log.info("Not asked again (%s): record %d is the decision about that meeting", notice.key, record.seq)
            line = decided_line(str(record.decision), record.seq, record.occurred_at)
            lines = self.decided.get(meeting.told_as, ())
            if line not in lines:
                self.decided[meeting.told_as] = (*lines, line)
                self.refresh()

        def failed(error: BaseException) -> None:
            log.warning("Could not look for a decision about the meeting (%s); asking", error)
            self._notify(notice)

        self.jobs.submit(lambda: services.decision_about(meeting, feature_id, text), found, failed, lane=Lane.IO)

