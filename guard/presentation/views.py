"""The values the tray shows: its state, the status with meeting views, and small helpers.

Plain dataclasses with no dependency on the catalog or pydantic, so the tray icon can appear
before the catalog is loaded; :mod:`guard.presentation.status` builds them from core values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from guard import APP_NAME
from guard.events import MeetingSession, RunningApp
from guard.presentation.i18n import _, format_time, labelled

_FOREVER_YEAR = 9999


class TrayState(StrEnum):
    IDLE = "idle"
    PAUSED = "paused"
    CLIENT_OPEN = "client-open"
    TERMS_CHANGED = "terms-changed"
    MEETING = "meeting"
    AI_MEETING = "ai-meeting"


@dataclass(frozen=True)
class SourceView:
    label: str
    url: str
    checked: str


@dataclass(frozen=True)
class FeatureView:
    """One AI feature, said for a participant."""

    id: str
    name: str
    description: str
    who_can_turn_on: str
    you_can: str
    participant_notice: str
    trains_models: str
    verified: bool
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class ClauseView:
    """One clause in force: label, the provider's words, where and when it was checked."""

    id: str
    label: str
    quote: str
    summary: str | None
    verified: bool
    source: str
    checked: str
    effective_from: str


@dataclass(frozen=True)
class MeetingView:
    """A meeting as the tray shows it: the meeting itself, and what the catalog says about it."""

    meeting: MeetingSession
    provider_name: str
    evidence: tuple[str, ...]  # one line per piece of evidence, cut to a readable length
    features: tuple[FeatureView, ...]
    clauses: tuple[ClauseView, ...]
    switched_on: tuple[str, ...] = ()  # what the meeting page showed: "AI summary is on in this meeting (seen 14:03)"
    no_clauses: str = ""  # why no clause is in force, when none is (guard.presentation.wording.no_clauses_in_force)
    decided: tuple[str, ...] = ()  # the user's decisions about it already recorded (status.decided_line)

    @property
    def provider_id(self) -> str:
        return self.meeting.provider_id


@dataclass(frozen=True)
class AppView:
    app: RunningApp
    provider_name: str
    notetaker: bool
    evidence: tuple[str, ...]

    @property
    def provider_id(self) -> str:
        return self.app.provider_id


@dataclass(frozen=True)
class TermsChangeView:
    """A terms change waiting for the user to look at it."""

    provider_id: str
    provider_name: str
    document_id: str
    document_title: str
    new_sha256: str
    summary: str

    @property
    def key(self) -> str:
        return f"{self.provider_id}/{self.document_id}/{self.new_sha256}"

    @property
    def display_title(self) -> str:
        """'Zoom Terms of Service' (the provider's name once)."""
        return document_display_title(self.provider_name, self.document_title)


def document_display_title(provider_name: str, document_title: str) -> str:
    """'Zoom Terms of Service': the provider's name once (a user's own document: its title alone)."""
    if not provider_name or document_title.lower().startswith(provider_name.lower()):
        return document_title
    return f"{provider_name} {document_title}"


@dataclass(frozen=True)
class TrayStatus:
    state: TrayState
    headline: str
    tooltip: str
    meetings: tuple[MeetingView, ...] = ()
    apps: tuple[AppView, ...] = ()
    terms_changes: tuple[TermsChangeView, ...] = ()
    paused_until: datetime | None = None
    enabled: bool = True
    problems: tuple[str, ...] = ()

    @property
    def paused(self) -> bool:
        return self.paused_until is not None


def format_pause(until: datetime | None) -> str:
    if until is None:
        return ""
    if until.year >= _FOREVER_YEAR:
        return _("until you resume")
    return _("until {time}").format(time=format_time(until))


def starting_status() -> TrayStatus:
    """What the tray says before the app's data is loaded."""
    headline = _("starting")
    return TrayStatus(state=TrayState.IDLE, headline=headline, tooltip=labelled(APP_NAME, headline))
