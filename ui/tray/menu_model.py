"""The tray menu as data: a pure function from the tray status to a list of entries.

Presentation only (layout, wrapping, which action an item triggers); every sentence about a
provider comes ready-made from :mod:`guard.presentation`. ``ui.tray.menu`` turns the entries
into a ``QMenu``; the no-tray window shows the same entries.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache

from guard.presentation.actions import (
    Action,
    CheckTerms,
    OpenSettings,
    OpenUrl,
    PauseMonitoring,
    Quit,
    RecordConsent,
    ResumeMonitoring,
    SetAutostart,
    ShowTermsChange,
    ShowWelcome,
)
from guard.presentation.i18n import _, format_time, labelled
from guard.presentation.views import ClauseView, FeatureView, MeetingView, TrayStatus, format_pause
from guard.presentation.wording import one_line, quoted

WRAP = 70
MAX_ITEM_CHARS = 80  # a menu line; longer text is wrapped into information lines or cut
MAX_WRAPPED_LINES = 8  # of one wrapped paragraph (a provider's quote); the rest is cut


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def verified_mark(verified: bool) -> str:
    return "" if verified else " " + _("(unverified)")


@dataclass(frozen=True)
class MenuEntry:
    """One menu line. ``action`` None and no children: an information line (disabled). ``tail``
    ends the line and is never cut when the line is too wide (the "(unverified)" mark)."""

    text: str = ""
    action: Action | None = None
    enabled: bool = True
    checkable: bool = False
    checked: bool = False
    children: tuple[MenuEntry, ...] = ()
    separator: bool = False
    heading: bool = False
    tail: str = ""

    @property
    def is_submenu(self) -> bool:
        return bool(self.children)


@dataclass(frozen=True)
class MenuFlags:
    """What the menu needs beyond the status: the app's own state."""

    ready: bool = True
    checking_terms: bool = False
    autostart: bool | None = None
    problems: tuple[str, ...] = ()


SEPARATOR = MenuEntry(separator=True)


def esc(text: str) -> str:
    """Literal text for a Qt menu: one line, at most :data:`MAX_ITEM_CHARS` characters, with
    ``&`` doubled (it marks a shortcut there). Titles come from meeting hosts and web pages."""
    return one_line(text, MAX_ITEM_CHARS).replace("&", "&&")


def info(text: str) -> MenuEntry:
    return MenuEntry(esc(text), enabled=False)


def heading(text: str) -> MenuEntry:
    return MenuEntry(esc(text), enabled=False, heading=True)


def wrapped(text: str, indent: str = "", width: int = WRAP) -> list[MenuEntry]:
    return list(_wrapped(text, indent, width))


@lru_cache(maxsize=512)
def _wrapped(text: str, indent: str, width: int) -> tuple[MenuEntry, ...]:
    """Wrapping is most of building a menu, and the same texts come back every detection pass."""
    flat = one_line(text, width * MAX_WRAPPED_LINES)
    lines = textwrap.wrap(flat, width=width, initial_indent=indent, subsequent_indent=indent) or [indent]
    return tuple(info(line) for line in lines[:MAX_WRAPPED_LINES])


def link(text: str, url: str) -> MenuEntry:
    return MenuEntry(esc(text), action=OpenUrl(url))


def feature_entry(feature: FeatureView) -> MenuEntry:
    children = [
        *wrapped(feature.description),
        SEPARATOR,
        *wrapped(labelled(_("Turned on by"), feature.who_can_turn_on)),
        *wrapped(f"{capitalise(feature.you_can)}."),
        *wrapped(labelled(_("Participants see"), feature.participant_notice)),
        *wrapped(labelled(_("Training"), f"{feature.trains_models}.")),
        SEPARATOR,
        *[link(_("Source: {source} (checked {date})").format(source=source.label, date=source.checked), source.url)
          for source in feature.sources],
    ]
    return MenuEntry(esc(feature.name), children=tuple(children), tail=verified_mark(feature.verified))


def clause_entry(clause: ClauseView) -> MenuEntry:
    children = [*wrapped(quoted(clause.quote))]
    if clause.summary:
        children += [SEPARATOR, *wrapped(labelled(_("In plain words"), clause.summary))]
    children += [SEPARATOR, info(_("In force since {date}").format(date=clause.effective_from)),
                 link(_("Source (checked {date})").format(date=clause.checked), clause.source)]
    text = _("{clause} — checked {date}").format(clause=f"{clause.label}{verified_mark(clause.verified)}",
                                                 date=clause.checked)
    return MenuEntry(esc(text), children=tuple(children))


def meeting_title(view: MeetingView) -> str:
    text = _("{provider} meeting").format(provider=view.provider_name)
    return labelled(text, view.meeting.title) if view.meeting.title else text


def meeting_entry(view: MeetingView) -> MenuEntry:
    meeting = view.meeting
    children: list[MenuEntry] = [info(_("In progress since {time}").format(time=format_time(meeting.started_at)))]
    children += [line for decided in view.decided for line in wrapped(decided)]
    if view.switched_on:
        children += [heading(_("Seen in this meeting")),
                     *(line for seen in view.switched_on for line in wrapped(seen))]
    children += [heading(_("Why the app thinks so"))]
    children += [line for evidence in view.evidence for line in wrapped(evidence, indent="  ")]
    children += [SEPARATOR, MenuEntry(_("Record my decision for this meeting…"), action=RecordConsent(meeting.id)),
                 SEPARATOR, heading(_("AI features ({count})").format(count=len(view.features)))]
    children += [feature_entry(f) for f in view.features] or [info("  " + _("None listed in the catalog"))]
    if view.clauses:
        children += [SEPARATOR, heading(_("Terms in force ({count})").format(count=len(view.clauses)))]
        children += [clause_entry(c) for c in view.clauses]
    else:  # never "(0)", which reads as checked: why none is listed
        children += [SEPARATOR, heading(_("Terms in force")), *wrapped(view.no_clauses, indent="  ")]
    return MenuEntry(esc(meeting_title(view)), children=tuple(children))


def menu_entries(status: TrayStatus, flags: MenuFlags = MenuFlags()) -> list[MenuEntry]:
    """The whole tray menu for ``status``."""
    entries: list[MenuEntry] = [heading(capitalise(status.headline))]
    entries += [line for view in status.meetings for seen in view.switched_on for line in wrapped(f"⚠ {seen}")]
    entries += [meeting_entry(m) for m in status.meetings]
    in_meeting = {m.provider_id for m in status.meetings}
    for app in status.apps:
        if app.provider_id not in in_meeting:
            kind = _("AI note-taker running") if app.notetaker else _("open, no meeting detected")
            entries.append(info(labelled(app.provider_name, kind)))
    for change in status.terms_changes:
        entries.append(MenuEntry(esc(_("{document} changed — show the change…").format(document=change.display_title)),
                                 action=ShowTermsChange(change.provider_id, change.document_id, change.new_sha256)))
    # Only what the app itself could not do (its data, a setting, the log-in entry); signals that
    # cannot be read are said once, with what to do, in the settings window's Overview.
    for problem in flags.problems:
        entries += wrapped(f"⚠ {problem}")
    entries.append(SEPARATOR)
    entries.append(MenuEntry(_("&Record my decision…"), action=RecordConsent(), enabled=flags.ready))
    if status.paused:
        resume = _("Resume &monitoring (paused {until})").format(until=format_pause(status.paused_until))
        entries.append(MenuEntry(resume, action=ResumeMonitoring(), enabled=flags.ready))
    else:
        entries.append(MenuEntry(_("&Pause monitoring for 1 hour"), action=PauseMonitoring(),
                                 enabled=flags.ready and status.enabled))
    if flags.checking_terms:
        entries.append(MenuEntry(_("Checking terms…"), action=CheckTerms(), enabled=False))
    else:
        entries.append(MenuEntry(_("Check &terms now"), action=CheckTerms(), enabled=flags.ready))
    entries.append(SEPARATOR)
    entries.append(MenuEntry(_("Start when I &log in"), action=SetAutostart(), checkable=True,
                             checked=bool(flags.autostart), enabled=flags.ready and flags.autostart is not None))
    entries.append(MenuEntry(_("Open &settings"), action=OpenSettings()))
    entries.append(MenuEntry(_("&Welcome and privacy…"), action=ShowWelcome(), enabled=flags.ready))
    entries.append(SEPARATOR)
    entries.append(MenuEntry(_("&Quit"), action=Quit()))
    return entries
