"""The consent form's choices and defaults, and the ledger draft it becomes. Pure: the
dialog shows these lists and hands the user's answers back to :func:`build_draft`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from guard.catalog.models import Actor, AiFeature, Provider, ProviderKind, TrainsModels
from guard.events import Evidence
from guard.ledger.models import Decision, Meeting, RecordDraft, RequestedBy
from guard.presentation import wording

if TYPE_CHECKING:
    from guard.events import DetectionEvent
    from guard.monitor import ActiveSession

DECISIONS: tuple[tuple[Decision, str], ...] = (
    (Decision.GIVEN, "I &consented"),
    (Decision.REFUSED, "I &declined"),
    (Decision.LEFT_MEETING, "I &left the meeting"),
    (Decision.NOTICE_ONLY, "I only saw a &notice"),
)
"""Decision and its label (``&`` marks the keyboard shortcut)."""

REQUESTERS: tuple[tuple[RequestedBy, str], ...] = (
    (RequestedBy.HOST, "The host"),
    (RequestedBy.ADMIN, "An account admin"),
    (RequestedBy.PROVIDER, "The provider"),
    (RequestedBy.SELF, "I did (I turned it on myself)"),
)

# Purposes named by a feature's own name and description, in this order (data, not per-provider code).
_PURPOSE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("summar",), "A summary of the meeting"),
    (("transcri",), "A transcript of what is said"),
    (("record",), "A recording of the meeting"),
    (("notes", "note-taker", "notetaker"), "Notes of the meeting"),
    (("highlight", "chapter"), "Highlights and chapters"),
    (("question", "answer"), "Answers to questions about the meeting"),
    (("third-party", "third party"), "Sharing with third-party AI providers"),
)
TRAINING_PURPOSE = "Training AI models with what is said or shared"


def purposes_for(feature: AiFeature | None) -> list[str]:
    """Purposes a decision about ``feature`` can cover, from the feature's catalog entry."""
    if feature is None:
        return []
    text = f"{feature.name} {feature.description}".lower()
    found = [purpose for words, purpose in _PURPOSE_WORDS if any(word in text for word in words)]
    if feature.trains_models != TrainsModels.NO:
        found.append(TRAINING_PURPOSE)
    return found or [wording.short_name(feature.name)]


def default_requested_by(feature: AiFeature | None, provider: Provider | None) -> RequestedBy:
    """A note-taker on this computer is the user's own; otherwise whoever switches the feature on first."""
    if provider is not None and provider.kind == ProviderKind.NOTETAKER:
        return RequestedBy.SELF
    enabled_by = feature.enabled_by if feature is not None else ()
    if Actor.HOST in enabled_by:
        return RequestedBy.HOST
    if Actor.ACCOUNT_ADMIN in enabled_by:
        return RequestedBy.ADMIN
    if Actor.PROVIDER in enabled_by:
        return RequestedBy.PROVIDER
    return RequestedBy.HOST


@dataclass(frozen=True)
class ConsentContext:
    """What the form starts from: the meeting detection saw (or nothing, when opened by hand).
    ``occurred_at`` is when the meeting started (shown); the record's time is when it is saved."""

    provider_id: str | None = None
    meeting_title: str | None = None
    meeting_link: str | None = None
    occurred_at: datetime | None = None
    evidence: tuple[Evidence, ...] = ()
    session_id: str | None = None


def choose_context(session_id: str | None, in_progress: Sequence["ActiveSession"],
                   seen: Mapping[str, "DetectionEvent"]) -> ConsentContext:
    """What the form is about: the named session, else the one meeting in progress, else the
    meeting seen last (``seen`` is oldest first), else nothing. A meeting still in progress
    gives its latest evidence."""
    if session_id is None and len(in_progress) == 1:
        session_id = in_progress[0].session_id
    if session_id is None and seen:
        session_id = list(seen)[-1]
    if session_id is None:
        return ConsentContext()
    session = next((s for s in in_progress if s.session_id == session_id), None)
    if session is not None:
        return ConsentContext(provider_id=session.provider_id, meeting_title=session.title, meeting_link=session.url,
                              occurred_at=session.started_at, evidence=session.evidence, session_id=session_id)
    event = seen.get(session_id)
    if event is not None:
        return ConsentContext(provider_id=event.provider_id, meeting_title=getattr(event, "meeting_title", None),
                              meeting_link=getattr(event, "meeting_url", None), occurred_at=event.at,
                              evidence=event.evidence, session_id=session_id)
    return ConsentContext()


@dataclass(frozen=True)
class ConsentAnswers:
    """What the user chose in the form."""

    provider_id: str
    decision: Decision
    feature_id: str | None = None
    purposes: tuple[str, ...] = ()
    other_purpose: str = ""
    requested_by: RequestedBy | None = None
    meeting_title: str = ""
    meeting_link: str = ""
    note: str = ""


def build_draft(answers: ConsentAnswers, context: ConsentContext) -> RecordDraft:
    """The ledger draft for the answers, with the detection evidence; terms are filled by Services."""
    purposes = [p.strip() for p in answers.purposes if p.strip()]
    if answers.other_purpose.strip():
        purposes.append(answers.other_purpose.strip())
    return RecordDraft(
        provider_id=answers.provider_id,
        decision=answers.decision,
        feature_id=answers.feature_id or None,
        meeting=Meeting(title=answers.meeting_title.strip() or None, id_or_link=answers.meeting_link.strip() or None),
        purposes=tuple(dict.fromkeys(purposes)),
        requested_by=answers.requested_by,
        evidence=context.evidence if answers.provider_id == context.provider_id else (),
        note=answers.note.strip() or None,
    )
