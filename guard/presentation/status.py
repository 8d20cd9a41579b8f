"""The tray's status: which state wins, what the tooltip says, and what the menu lists for
each meeting (evidence, AI features, clauses in force). Values in, values out.

State priority, highest first (the icon shows one state; the tooltip mentions the others):

1. ``ai-meeting``: a meeting is in progress and its provider lists AI features, the meeting
   page showed that an AI feature is on (or a note-taker bot joined), or an AI note-taker runs
   on this computer during a meeting.
2. ``meeting``: a meeting is in progress.
3. ``terms-changed``: a terms change the user has not looked at yet.
4. ``client-open``: a meeting client or note-taker runs, no meeting detected.
5. ``paused``: monitoring is paused or switched off (what was seen before is not shown).
6. ``idle``: nothing detected.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from guard import APP_NAME
from guard.catalog.loader import Catalog
from guard.catalog.models import AiFeature, Clause, Provider, ProviderKind
from guard.events import ClauseChange, MeetingSession, RunningApp, SeenInMeeting, Signal, TermsChanged
from guard.presentation import wording
from guard.presentation.i18n import _, format_date, format_number, format_time, labelled, ngettext
from guard.presentation.problems import probe_problem
from guard.presentation.terms_summary import change_words
from guard.presentation.views import (
    AppView,
    ClauseView,
    FeatureView,
    MeetingView,
    SourceView,
    TermsChangeView,
    TrayState,
    TrayStatus,
    document_display_title,
    format_pause,
    starting_status,
)

if TYPE_CHECKING:
    from guard.monitor import Snapshot

__all__ = [  # the view values live in guard.presentation.views; imported here for one-stop use
    "AppView", "ClauseView", "FeatureView", "MeetingView", "SourceView", "TermsChangeView", "TrayState", "TrayStatus",
    "change_summary", "clause_view", "document_display_title", "document_names", "feature_view", "format_pause",
    "has_ai", "lead_feature", "meeting_view", "starting_status", "terms_change_view", "tray_status",
]


# -- views of catalog entries ---------------------------------------------------------------

def feature_view(feature: AiFeature, provider: Provider) -> FeatureView:
    return FeatureView(
        id=feature.id, name=feature.name, description=wording.feature_description(feature, provider.id),
        who_can_turn_on=wording.who_can_turn_on(feature, provider), you_can=wording.what_you_can_do(feature),
        participant_notice=wording.participant_notice(feature, provider.id),
        trains_models=wording.trains_models(feature),
        verified=feature.verified,
        sources=tuple(SourceView(s.title or (s.url.host or str(s.url)), str(s.url), format_date(s.checked))
                      for s in feature.sources),
    )


def clause_view(clause: Clause) -> ClauseView:
    return ClauseView(id=clause.id, label=wording.clause_label(clause), quote=clause.quote, summary=clause.summary,
                      verified=clause.verified, source=str(clause.source), checked=format_date(clause.checked),
                      effective_from=format_date(clause.effective_from))


def meeting_view(meeting: MeetingSession, provider: Provider | None, today: date,
                 catalog: Catalog | None = None, decided: tuple[str, ...] = ()) -> MeetingView:
    features = tuple(feature_view(f, provider) for f in provider.ai_features) if provider else ()
    clauses = tuple(clause_view(c) for c in provider.clauses_in_force(today)) if provider else ()
    return MeetingView(meeting=meeting, provider_name=provider.name if provider else meeting.provider_id,
                       evidence=tuple(wording.evidence_line(e) for e in meeting.evidence),
                       features=features, clauses=clauses,
                       switched_on=tuple(switched_on_line(item, provider, catalog) for item in meeting.seen),
                       no_clauses="" if clauses else wording.no_clauses_in_force(provider), decided=decided)


def decided_line(decision: str, seq: int, decided_at: datetime) -> str:
    """'Your decision is recorded: Refused (record 12, 14:03)', with when it was made: shown in the meeting's menu
    instead of asking again (a restarted app finds a meeting it had asked about: guard.ledger.meeting_answers)."""
    from guard.presentation.records import decision_label

    return _("Your decision is recorded: {decision} (record {seq}, {time})").format(
        decision=decision_label(decision), seq=format_number(seq), time=format_time(decided_at))


def switched_on_line(item: SeenInMeeting, provider: Provider | None, catalog: Catalog | None = None) -> str:
    """'Meeting summary with AI Companion is on in this meeting (seen 14:03)', or for a bot
    'Otter.ai Notetaker (Otter) joined this meeting (seen 14:05)'."""
    seen = format_time(item.seen_at)
    if item.signal == Signal.PARTICIPANT:
        bot = catalog.get(item.provider_id) if catalog is not None else None
        who = wording.one_line(item.text, 60) + (f" ({bot.name})" if bot is not None else "")
        if item.confirmed is False:  # its display name alone, which any guest can take
            return _("{who}, named like an AI note-taker, is among the participants (unconfirmed, seen {time})").format(
                who=who, time=seen)
        return _("AI note-taker {who} joined this meeting (seen {time})").format(who=who, time=seen)
    feature = provider.feature(item.feature_id) if provider is not None and item.feature_id else None
    if feature is not None:
        return _("{feature} is on in this meeting (seen {time})").format(feature=wording.short_name(feature.name),
                                                                         time=seen)
    return _("The meeting shows an AI or recording notice (seen {time}): “{notice}”").format(
        time=seen, notice=wording.one_line(item.text, 120))


def document_names(provider_id: str, document_id: str, catalog: Catalog, title: str = "") -> tuple[str, str]:
    """(provider name, document title) for a watched document: the catalog's, else the title the
    watcher knew it by (a user's own declaration: "Acme Meet Terms of Service"), else the ids."""
    provider = catalog.get(provider_id)
    document = provider.document(document_id) if provider else None
    if document is not None and provider is not None:
        return provider.name, document.title
    if title:
        return (provider.name if provider else ""), title
    return (provider.name if provider else provider_id), document_id


def terms_change_view(event: TermsChanged, catalog: Catalog) -> TermsChangeView:
    provider_name, document_title = document_names(event.provider_id, event.document_id, catalog,
                                                   event.title)
    return TermsChangeView(
        provider_id=event.provider_id, provider_name=provider_name,
        document_id=event.document_id, document_title=document_title,
        new_sha256=event.new_sha256, summary=change_summary(event.changes),
    )


def change_summary(changes: tuple[ClauseChange, ...], limit: int = 300) -> str:
    """The first change in the provider's own words (its summary), and how many more there are."""
    if not changes:
        return _("The wording changed.")
    first = changes[0]
    text = change_words(first) or _("A clause changed: {topics}.").format(
        topics=wording.topics_phrase(first.topics) or _("data use"))
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    more = len(changes) - 1
    if more:
        text += " " + ngettext("(and {count} more change)", "(and {count} more changes)", more).format(
            count=format_number(more))
    return text


# -- the status -------------------------------------------------------------------------------

def has_ai(provider: Provider | None) -> bool:
    return provider is not None and bool(provider.ai_features)


def lead_feature(provider: Provider) -> AiFeature | None:
    """The feature a participant hears about first: the catalog lists the most relevant first."""
    return provider.ai_features[0] if provider.ai_features else None


def _names(names: list[str]) -> str:
    return wording.join_and(names)


def tray_status(snapshot: Snapshot | None, catalog: Catalog, terms_changes: tuple[TermsChangeView, ...] = (),
                today: date | None = None, decided: Mapping[str, tuple[str, ...]] | None = None) -> TrayStatus:
    """What the tray shows for ``snapshot`` (None: the monitor has not reported yet); ``decided``: per meeting (by
    its ``told_as`` id: one seen again after a flap keeps them), the user's decisions about it found in the ledger
    (:func:`decided_line`)."""
    today = today or datetime.now(UTC).astimezone().date()
    enabled = snapshot.enabled if snapshot is not None else True
    paused_until = snapshot.paused_until if snapshot is not None else None
    shown = snapshot if snapshot is not None and snapshot.watching else None
    meetings = tuple(meeting_view(s, catalog.get(s.provider_id), today, catalog, (decided or {}).get(s.told_as, ()))
                     for s in shown.meetings) if shown is not None else ()
    apps = tuple(_app_view(s, catalog.get(s.provider_id)) for s in shown.apps) if shown is not None else ()
    problems = tuple(probe_problem(p.name, p.reason, p.said) for p in snapshot.unavailable) if snapshot else ()

    notetakers = [app.provider_name for app in apps if app.notetaker]
    switched_on = [line for m in meetings for line in m.switched_on]
    ai_meetings = [m for m in meetings if has_ai(catalog.get(m.provider_id))]
    if meetings and (ai_meetings or notetakers or switched_on):
        state = TrayState.AI_MEETING
    elif meetings:
        state = TrayState.MEETING
    elif terms_changes:
        state = TrayState.TERMS_CHANGED
    elif apps:
        state = TrayState.CLIENT_OPEN
    elif not enabled or paused_until is not None:
        state = TrayState.PAUSED
    else:
        state = TrayState.IDLE

    headline, detail = _words(state, meetings, ai_meetings, apps, notetakers, terms_changes, catalog,
                              enabled, paused_until, snapshot is None)
    if switched_on:  # what the meeting itself said outranks what the catalog says could happen
        more = len(switched_on) - 1
        detail = switched_on[0] + (" " + ngettext("(and {count} more)", "(and {count} more)", more).format(
            count=format_number(more)) if more else "")
    lines = [labelled(APP_NAME, headline) + (f" — {detail}" if detail else "")]
    if terms_changes and state != TrayState.TERMS_CHANGED:
        lines.append(labelled(_("Terms changed"), _names([c.display_title for c in terms_changes])))
    if state != TrayState.PAUSED and not enabled:
        lines.append(_("Monitoring is switched off in the settings."))
    elif state != TrayState.PAUSED and paused_until is not None:
        lines.append(_("Monitoring paused {until}.").format(until=format_pause(paused_until)))
    return TrayStatus(state=state, headline=headline, tooltip="\n".join(lines), meetings=meetings, apps=apps,
                      terms_changes=terms_changes, paused_until=paused_until, enabled=enabled, problems=problems)


def _app_view(app: RunningApp, provider: Provider | None) -> AppView:
    return AppView(app=app, provider_name=provider.name if provider else app.provider_id,
                   notetaker=provider is not None and provider.kind == ProviderKind.NOTETAKER,
                   evidence=tuple(wording.evidence_line(e) for e in app.evidence))


def _words(state: TrayState, meetings: tuple[MeetingView, ...], ai_meetings: list[MeetingView],
           apps: tuple[AppView, ...], notetakers: list[str], terms_changes: tuple[TermsChangeView, ...],
           catalog: Catalog, enabled: bool, paused_until: datetime | None, starting: bool) -> tuple[str, str]:
    """(headline, detail) for the tooltip and the menu's first line."""
    if state in (TrayState.AI_MEETING, TrayState.MEETING):
        names = _names([m.provider_name for m in meetings])
        headline = ngettext("{names} meeting in progress", "{names} meetings in progress", len(meetings)).format(
            names=names)
        if ai_meetings:
            provider = catalog.get(ai_meetings[0].provider_id)
            feature = lead_feature(provider) if provider else None
            if provider is not None and feature is not None:
                detail = _("{feature} can be turned on by {who}").format(
                    feature=wording.short_name(feature.name), who=wording.who_can_turn_on(feature, provider))
                return headline, detail
        if notetakers:
            return headline, labelled(_("AI note-taker running"), _names(notetakers))
        return headline, _("no AI features listed for it")
    if state == TrayState.TERMS_CHANGED:
        names = _names([c.display_title for c in terms_changes])
        return labelled(_("terms changed"), names), _("open the menu to see the change")
    if state == TrayState.CLIENT_OPEN:
        names = _names([a.provider_name for a in apps])
        return ngettext("{names} is open", "{names} are open", len({a.provider_name for a in apps})).format(
            names=names), _("no meeting detected")
    if state == TrayState.PAUSED:
        if not enabled:
            return _("monitoring is switched off"), _("turn it on in the settings")
        return _("monitoring paused {until}").format(until=format_pause(paused_until)), ""
    if starting:
        return _("starting"), ""
    return _("no meeting client detected"), ""
