"""The consent form's choices and defaults, and the ledger draft it becomes. Pure: the
dialog shows these lists and hands the user's answers back to :func:`build_draft`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from guard.catalog.models import Actor, AiFeature, Provider, ProviderKind, TrainsModels
from guard.events import Evidence, MeetingSession, Signal
from guard.ledger.models import Decision, Meeting, Notice, RecordDraft, RequestedBy
from guard.presentation import wording
from guard.presentation.actions import RecordConsent
from guard.presentation.i18n import N_, _, format_date

if TYPE_CHECKING:
    from guard.catalog.loader import Catalog
    from guard.monitor import Snapshot

# What the ledger keeps of a text field, a note, and a list (guard/ledger/validate.py refuses more).
MAX_FIELD = 2_000
MAX_NOTE = 20_000
MAX_ITEMS = 200

DECISIONS: tuple[tuple[Decision, str], ...] = (
    (Decision.GIVEN, N_("I &consented")),
    (Decision.REFUSED, N_("I &refused")),
    (Decision.LEFT_MEETING, N_("I &left the meeting")),
    (Decision.NOTICE_ONLY, N_("I only saw a &notice")),
)
"""Decision and its label (``&`` marks the keyboard shortcut; translate with ``_`` where shown)."""

REQUESTERS: tuple[tuple[RequestedBy, str], ...] = (
    (RequestedBy.HOST, N_("The host")),
    (RequestedBy.ADMIN, N_("An account admin")),
    (RequestedBy.PROVIDER, N_("The provider")),
    (RequestedBy.SELF, N_("I did (I turned it on myself)")),
)

# Purposes named by a feature's own name and description, in this order (data, not per-provider code).
# The purposes are recorded in the ledger in the language the user saw them in.
_PURPOSE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("summar",), N_("A summary of the meeting")),
    (("transcri",), N_("A transcript of what is said")),
    (("record",), N_("A recording of the meeting")),
    (("notes", "note-taker", "notetaker"), N_("Notes of the meeting")),
    (("highlight", "chapter"), N_("Highlights and chapters")),
    (("question", "answer"), N_("Answers to questions about the meeting")),
    (("third-party", "third party"),  # i18n-ok: words searched for in the catalog's English
     N_("Sharing with third-party AI providers")),
)
TRAINING_PURPOSE = N_("Training AI models with what is said or shared")


def purposes_for(feature: AiFeature | None) -> list[str]:
    """Purposes a decision about ``feature`` can cover, from the feature's catalog entry."""
    if feature is None:
        return []
    text = f"{feature.name} {feature.description}".lower()
    found = [_(purpose) for words, purpose in _PURPOSE_WORDS if any(word in text for word in words)]
    if feature.trains_models != TrainsModels.NO:
        found.append(_(TRAINING_PURPOSE))
    return found or [wording.short_name(feature.name)]


@dataclass(frozen=True)
class ProviderChoice:
    """A service the form offers: its id, and its name as listed (an ended service says so)."""

    id: str
    label: str
    ended: bool = False


def provider_choices(catalog: Catalog, today: date) -> list[ProviderChoice]:
    """The services a decision can be about: the catalog's, by name, those still running first and
    then those that have ended (a decision about an old meeting can still be recorded). Only
    catalog entries are offered, so nothing unknown is recorded."""
    running: list[ProviderChoice] = []
    ended: list[ProviderChoice] = []
    for provider in catalog:
        if provider.discontinued_on(today):
            assert provider.discontinued is not None
            label = _("{provider} (ended {date})").format(provider=provider.name,
                                                         date=format_date(provider.discontinued.on))
            ended.append(ProviderChoice(provider.id, label, ended=True))
        else:
            running.append(ProviderChoice(provider.id, provider.name))

    def by_name(choice: ProviderChoice) -> str:
        return choice.label.casefold()

    return sorted(running, key=by_name) + sorted(ended, key=by_name)


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
class ConsentSubject:
    """What the form is about: the meeting detection saw (None when opened by hand, or when
    it is about a note-taker running here), what was asked for (:class:`RecordConsent`: the
    provider and feature, what else was seen, the AI notice shown)."""

    meeting: MeetingSession | None = None
    request: RecordConsent = RecordConsent()

    @property
    def provider_id(self) -> str | None:
        return self.request.provider_id or (self.meeting.provider_id if self.meeting else None)

    @property
    def feature_id(self) -> str | None:
        return self.request.feature_id

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The meeting's evidence, then what else was seen (the notice, the bot, the app)."""
        own = self.meeting.evidence if self.meeting is not None else ()
        return tuple(dict.fromkeys((*own, *self.request.evidence)))


def consent_subject(request: RecordConsent, snapshot: Snapshot | None) -> ConsentSubject:
    """Which meeting the form is about: the one asked for (in progress or lately ended), else
    the one meeting in progress, else the meeting that ended last, else none. A request about
    another provider (a note-taker) with no meeting named is about no meeting."""
    if snapshot is None:
        return ConsentSubject(None, request)
    if request.meeting_id is not None:
        return ConsentSubject(snapshot.meeting(request.meeting_id), request)
    if request.provider_id is not None:
        return ConsentSubject(None, request)
    in_progress = snapshot.meetings if snapshot.watching else ()
    if len(in_progress) == 1:
        return ConsentSubject(in_progress[0], request)
    if not in_progress and snapshot.ended:
        return ConsentSubject(snapshot.ended[-1], request)
    return ConsentSubject(None, request)


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


def quick_answers(subject: ConsentSubject, decision: Decision, catalog: Catalog) -> ConsentAnswers:
    """The answers a notification's button gives for ``subject`` without the form: the
    decision, about the provider and feature asked, for the purposes the feature serves, asked
    by whoever switches it on, about the meeting as detected."""
    provider = catalog.get(subject.provider_id or "")
    feature = provider.feature(subject.feature_id) if provider is not None and subject.feature_id else None
    meeting = subject.meeting
    return ConsentAnswers(provider_id=subject.provider_id or "", decision=decision,
                          feature_id=feature.id if feature else None, purposes=tuple(purposes_for(feature)),
                          requested_by=default_requested_by(feature, provider),
                          meeting_title=(meeting.title or "") if meeting else "",
                          meeting_link=(meeting.url or "") if meeting else "",
                          note=_("Answered from the notification."))


def build_draft(answers: ConsentAnswers, subject: ConsentSubject, language: str | None = None) -> RecordDraft:
    """The ledger draft for the answers, with the detection evidence; terms are filled by Services.
    ``language``: the one the form or notification was shown in (``current_language()``), which
    the record keeps as the language the consent was asked in.

    Values from outside (titles, links, evidence) are cut to what the ledger keeps, never
    refused: a page that sets a 100 kB title cannot stop a decision being recorded.
    """
    purposes = [cut(p.strip(), MAX_FIELD) for p in answers.purposes if p.strip()]
    if answers.other_purpose.strip():
        purposes.append(cut(answers.other_purpose.strip(), MAX_FIELD))
    same_provider = answers.provider_id == subject.provider_id
    evidence = subject.evidence if same_provider else ()
    return RecordDraft(
        provider_id=answers.provider_id,
        decision=answers.decision,
        feature_id=answers.feature_id or None,
        meeting=Meeting(title=cut(answers.meeting_title.strip(), MAX_FIELD) or None,
                        id_or_link=cut(answers.meeting_link.strip(), MAX_FIELD) or None),
        purposes=tuple(dict.fromkeys(purposes))[:MAX_ITEMS],
        requested_by=answers.requested_by,
        evidence=tuple(replace(e, detail=cut(e.detail, MAX_FIELD)) for e in evidence[:MAX_ITEMS]),
        note=cut(answers.note.strip(), MAX_NOTE) or None,
        notice=_notice_seen(subject) if same_provider else None,
        language=language,
    )


def _notice_seen(subject: ConsentSubject) -> Notice | None:
    """The AI notice the meeting showed, and when: the record's own field (it is in the evidence too).
    The ledger cuts a long one to its limit and marks the cut."""
    text = (subject.request.notice or "").strip()
    if not text:
        return None
    seen = [e.seen_at for e in subject.request.evidence if e.signal == Signal.AI_NOTICE]
    return Notice(text=text, seen_at=seen[0] if seen else datetime.now(UTC))


def cut(text: str, limit: int) -> str:
    """``text`` at most ``limit`` characters, cut with "…" (what the ledger keeps of a field)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
