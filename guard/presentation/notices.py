"""Desktop notifications: what each one says (derived from the catalog) and whether it is
shown at all (muted kinds, no repeats). Pure: the UI hands events in and shows the notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from guard.catalog.loader import Catalog
from guard.catalog.models import Provider
from guard.events import AiFeatureNoticed, MeetingStarted, NotetakerSeen, NotetakerWhere, TermsChanged
from guard.presentation import wording
from guard.presentation.actions import Action, AnswerConsent, OpenSettings, RecordConsent, ShowTermsChange
from guard.presentation.i18n import N_, _, format_number, format_time, labelled, listed, ngettext
from guard.presentation.records import decision_label
from guard.presentation.status import change_summary, document_display_title, document_names, has_ai, lead_feature
from guard.presentation.views import TrayState
from guard.settings import NotificationSettings

if TYPE_CHECKING:
    from guard.terms.report import CheckReport

MAX_BODY = 400


class NoticeKind(StrEnum):
    MEETING_STARTED = "meeting-started"
    NOTETAKER_SEEN = "notetaker-seen"
    AI_SWITCHED_ON = "ai-switched-on"  # the meeting page says an AI feature is on; never muted
    TERMS_CHANGED = "terms-changed"
    TERMS_CHECKED = "terms-checked"  # the answer to "Check terms now"; never muted, the user asked
    DECISION_RECORDED = "decision-recorded"  # a notification's button was answered; never muted, the user asked


@dataclass(frozen=True)
class NoticeChoice:
    """A button of a notification: ``id`` is what the desktop reports back when it is pressed."""

    id: str
    label: str
    action: Action


@dataclass(frozen=True)
class Notice:
    """One notification. ``key`` identifies what it is about (a meeting, a terms version);
    clicking it does ``action``, also offered as a button named ``action_label``; ``choices``
    are further buttons (answers to the notification's question), where the desktop has them."""

    kind: NoticeKind
    key: str
    title: str
    body: str
    action_label: str
    provider_id: str
    at: datetime
    action: Action = field(default_factory=OpenSettings)
    choices: tuple[NoticeChoice, ...] = ()
    state: TrayState = TrayState.IDLE  # the tray state it is about: the notification shows that state's icon

    def choice(self, choice_id: str) -> Action:
        """What pressing ``choice_id`` does (the default action for an unknown id or a click)."""
        return next((c.action for c in self.choices if c.id == choice_id), self.action)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_BODY else text[: MAX_BODY - 1].rstrip() + "…"


def _features_sentence(provider: Provider) -> str:
    feature = lead_feature(provider)
    if feature is None:
        return _("The catalog lists no AI features for {provider}.").format(provider=provider.name)
    sentence = wording.feature_sentence(feature, provider)
    more = len(provider.ai_features) - 1
    if more:
        sentence += " " + ngettext("{count} more AI feature in the tray menu.",
                                   "{count} more AI features in the tray menu.", more).format(
            count=format_number(more))
    return sentence


def meeting_notice(event: MeetingStarted, provider: Provider) -> Notice:
    """'Zoom meeting detected' + who can turn on which AI feature and what you can do."""
    title = _("{provider} meeting detected").format(provider=provider.name)
    if event.meeting.title:
        title = labelled(title, wording.one_line(event.meeting.title, 120))
    state = TrayState.AI_MEETING if has_ai(provider) else TrayState.MEETING
    # a meeting seen again moments after it ended (its tab reloaded) is the one already told: one notice
    return Notice(kind=NoticeKind.MEETING_STARTED, key=f"meeting:{event.meeting.told_as}", title=title,
                  body=_clip(_features_sentence(provider)), action_label=_("Record my decision…"),
                  provider_id=provider.id, at=event.at, action=RecordConsent(meeting_id=event.meeting.id), state=state)


# The answers a notification offers to "AI is on in this meeting": the ledger's decisions.
ANSWERS: tuple[tuple[str, str], ...] = (
    ("given", N_("I consent")),
    ("refused", N_("I refuse")),
    ("left-meeting", N_("I left")),
    ("notice-only", N_("I only saw the notice")),
)


def _answers(request: RecordConsent) -> tuple[NoticeChoice, ...]:
    return tuple(NoticeChoice(f"answer-{decision}", _(label), AnswerConsent(decision, request))
                 for decision, label in ANSWERS)


def ai_notice(event: AiFeatureNoticed, provider: Provider) -> Notice:
    """'AI summary is on in this meeting' + the notice the page showed; the buttons answer it."""
    feature = provider.feature(event.feature_id) if event.feature_id else None
    shown = wording.one_line(event.notice, 200)
    body = _("{provider} showed at {time}: “{notice}”.").format(provider=provider.name, time=format_time(event.at),
                                                              notice=shown.removesuffix("."))
    if shown.endswith(("?", "!", "…")) and body.endswith("."):  # the sentence quoted ends the sentence
        body = body[:-1]
    if feature is not None:
        body += f" {wording.capitalise(wording.what_you_can_do(feature))}."
        title = _("{feature} is on in this meeting").format(feature=wording.short_name(feature.name))
    else:
        title = _("An AI feature or recording is on in this meeting")
    request = RecordConsent(meeting_id=event.meeting_id, provider_id=provider.id, feature_id=event.feature_id,
                            evidence=event.evidence, notice=event.notice)
    return Notice(kind=NoticeKind.AI_SWITCHED_ON, key=f"ai:{event.meeting_id}:{event.feature_id or shown}",
                  title=title, body=_clip(body), action_label=_("Record my decision…"),
                  provider_id=provider.id, at=event.at, action=request, choices=_answers(request),
                  state=TrayState.AI_MEETING)


def notetaker_notice(event: NotetakerSeen, provider: Provider) -> Notice:
    """An AI note-taker runs on this computer, or a note-taker bot joined the meeting: what it
    does and what others in the meeting can do."""
    if event.where == NotetakerWhere.IN_MEETING:
        return _bot_notice(event, provider)
    feature = lead_feature(provider)
    if feature is None:
        body = _("{provider} is an AI note-taker; the catalog lists no details of its features.").format(
            provider=provider.name)
    else:
        described = wording.feature_description(feature, provider.id)
        body = " ".join((labelled(wording.short_name(feature.name), described), _(
            "{who} turns it on; for others in the meeting, {they_can}.").format(
            who=wording.capitalise(wording.who_can_turn_on(feature, provider)),
            they_can=wording.what_others_can_do(feature))))
    return Notice(kind=NoticeKind.NOTETAKER_SEEN, key=f"notetaker:{event.session_id}",
                  title=labelled(_("AI note-taker running"), provider.name), body=_clip(body),
                  action_label=_("Record my decision…"), provider_id=provider.id, at=event.at,
                  action=RecordConsent(provider_id=provider.id, evidence=event.evidence), state=TrayState.AI_MEETING)


def terms_notice(event: TermsChanged, catalog: Catalog) -> Notice:
    """'Zoom Terms of Service changed' + the change in the provider's own words."""
    name, document_title = document_names(event.provider_id, event.document_id, catalog, event.title)
    title = _("{document} changed").format(document=document_display_title(name, document_title))
    key = f"terms:{event.provider_id}/{event.document_id}/{event.new_sha256}"
    return Notice(kind=NoticeKind.TERMS_CHANGED, key=key, title=title, body=_clip(change_summary(event.changes)),
                  action_label=_("Show the change"), provider_id=event.provider_id, at=event.at,
                  action=ShowTermsChange(event.provider_id, event.document_id, event.new_sha256),
                  state=TrayState.TERMS_CHANGED)


def _bot_notice(event: NotetakerSeen, provider: Provider) -> Notice:
    name = wording.one_line(event.participant or provider.name, 80)
    feature = lead_feature(provider)
    if event.confirmed is False:  # a display name alone: any guest can join as "Otter.ai"
        title = labelled(_("Maybe an AI note-taker in the meeting"), provider.name)
        body = _("“{name}” is among the participants, a name {provider}'s note-taker uses. Unconfirmed: anyone who "
                 "joins can take that name, and the meeting has shown no recording or transcription notice. Ask who "
                 "it is.").format(name=name, provider=provider.name)
    else:
        title = labelled(_("AI note-taker joined the meeting"), provider.name)
        body = _("“{name}” is among the participants: {provider} records and writes notes of the meeting.").format(
            name=name, provider=provider.name)
    if feature is not None:
        body += f" {wording.capitalise(wording.what_you_can_do(feature))}."
    request = RecordConsent(meeting_id=event.meeting_id, provider_id=provider.id,
                            feature_id=feature.id if feature else None, evidence=event.evidence)
    return Notice(kind=NoticeKind.NOTETAKER_SEEN, key=f"bot:{event.meeting_id}:{provider.id}:{name}",
                  title=title, body=_clip(body),
                  action_label=_("Record my decision…"), provider_id=provider.id, at=event.at, action=request,
                  choices=_answers(request), state=TrayState.AI_MEETING)


def check_notice(report: CheckReport) -> Notice:
    """What a check the user asked for came to: changes, unchanged documents, failures."""
    checked = len(report.checks)
    failures = report.failures
    changed = len(report.events)
    title = _("Terms checked")
    if report.network_off:  # skipped, as the settings ask: not a failure
        title = _("Terms not checked: network access is off")
        body = _("Nothing was fetched: network access is switched off in the settings ([terms] network_enabled). "
                 "The terms shown are the last stored or shipped versions.")
    elif report.offline:  # "Terms checked" over "Offline: 94 not checked" told a user the opposite at a glance
        title = _("Terms not checked: offline")
        body = ngettext("Offline: {count} document not checked. The terms shown are the last stored versions; "
                        "the next check will try again.",
                        "Offline: {count} documents not checked. The terms shown are the last stored versions; "
                        "the next check will try again.", report.not_checked).format(
            count=format_number(report.not_checked))
    else:
        parts = [ngettext("{count} with a change to an AI or data-use clause",
                          "{count} with a change to an AI or data-use clause", changed).format(
            count=format_number(changed)) if changed else _("no change to an AI or data-use clause")]
        if failures:
            parts.append(ngettext("{count} could not be fetched (see the terms log)",
                                  "{count} could not be fetched (see the terms log)", len(failures)).format(
                count=format_number(len(failures))))
        body = ngettext("Checked {count} document: {results}.", "Checked {count} documents: {results}.",
                        checked).format(count=format_number(checked), results=listed(parts))
    return Notice(kind=NoticeKind.TERMS_CHECKED, key=f"terms-check:{report.at.isoformat()}",
                  title=title, body=_clip(body), action_label=_("Show the terms"), provider_id="",
                  at=report.at, action=OpenSettings("terms"),
                  state=TrayState.TERMS_CHANGED if changed else TrayState.IDLE)


def recorded_notice(record_id: str, seq: int, decision: str, provider_name: str, at: datetime) -> Notice:
    """The answer given on a notification's button is saved: say so (the form says it itself; a button
    press had no other sign that it worked). Clicking it shows the consent history."""
    body = _("Recorded: {decision} for {provider} (record {seq}).").format(
        decision=decision_label(decision), provider=provider_name, seq=format_number(seq))
    return Notice(kind=NoticeKind.DECISION_RECORDED, key=f"answered:{record_id}", title=_("Consent history"),
                  body=_clip(body), action_label=_("Consent history"), provider_id="", at=at,
                  action=OpenSettings("history"))


def already_notice(record_id: str, seq: int, decision: str, answer: str, provider_name: str,
                   at: datetime) -> Notice:
    """A button answered a notice whose decision is recorded already (the same notice told again):
    the answer is not recorded, and the user is told so plainly. Clicking it shows the history."""
    body = _("Already recorded: {decision} for {provider} (record {seq}). Your answer “{answer}” was not "
             "recorded. To change your decision, open the consent history.").format(
        decision=decision_label(decision), provider=provider_name, seq=format_number(seq),
        answer=decision_label(answer))
    return Notice(kind=NoticeKind.DECISION_RECORDED, key=f"already:{record_id}:{at.isoformat()}",
                  title=_("Consent history"), body=_clip(body), action_label=_("Consent history"), provider_id="",
                  at=at, action=OpenSettings("history"))


def enabled_for(kind: NoticeKind, settings: NotificationSettings) -> bool:
    return {NoticeKind.MEETING_STARTED: settings.meeting_started, NoticeKind.NOTETAKER_SEEN: settings.notetaker_seen,
            NoticeKind.TERMS_CHANGED: settings.terms_changed}.get(kind, True)


@dataclass
class NotificationGate:
    """Says whether a notice is shown: never twice for one meeting or terms version, never for
    a muted kind. A muted notice still counts as seen, so unmuting replays nothing. Two meetings
    with the same title are two meetings (detection tells them apart), so both are told."""

    _seen: set[str] = field(default_factory=set)

    def seen(self, notice: Notice) -> bool:
        """Whether ``notice`` was told (or muted) already."""
        return notice.key in self._seen

    def admit(self, notice: Notice, settings: NotificationSettings) -> bool:
        if notice.key in self._seen:
            return False
        self._seen.add(notice.key)
        return enabled_for(notice.kind, settings)
