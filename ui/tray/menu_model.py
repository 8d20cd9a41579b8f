"""The tray menu as data: a pure function from the tray status to a list of entries.

Presentation only (layout, wrapping, which action an item triggers); every sentence about a
provider comes ready-made from :mod:`guard.presentation`. ``ui.tray.menu`` turns the entries
into a ``QMenu``; the no-tray window shows the same entries.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from guard.presentation.views import ClauseView, FeatureView, MeetingView, TrayStatus, format_pause

# Action ids. Those ending in ":" take an argument: "record-consent:<session id>".
RECORD = "record-consent"
PAUSE = "pause-hour"
RESUME = "resume"
CHECK_TERMS = "check-terms"
OPEN_SETTINGS = "open-settings"
AUTOSTART = "autostart"
QUIT = "quit"
SHOW_TERMS = "show-terms:"
OPEN_URL = "open-url:"

WRAP = 70


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def verified_mark(verified: bool) -> str:
    return "" if verified else " (unverified)"


@dataclass(frozen=True)
class MenuEntry:
    """One menu line. ``action`` None and no children: an information line (disabled)."""

    text: str = ""
    action: str | None = None
    enabled: bool = True
    checkable: bool = False
    checked: bool = False
    children: tuple["MenuEntry", ...] = ()
    separator: bool = False
    heading: bool = False

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
    """Literal text for a Qt menu (``&`` marks a shortcut there)."""
    return text.replace("&", "&&")


def info(text: str) -> MenuEntry:
    return MenuEntry(esc(text), enabled=False)


def heading(text: str) -> MenuEntry:
    return MenuEntry(esc(text), enabled=False, heading=True)


def wrapped(text: str, indent: str = "", width: int = WRAP) -> list[MenuEntry]:
    lines = textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent) or [indent]
    return [info(line) for line in lines]


def link(text: str, url: str) -> MenuEntry:
    return MenuEntry(esc(text), action=OPEN_URL + url)


def feature_entry(feature: FeatureView) -> MenuEntry:
    children = [
        *wrapped(feature.description),
        SEPARATOR,
        *wrapped(f"Turned on by: {feature.who_can_turn_on}"),
        *wrapped(f"{capitalise(feature.you_can)}."),
        *wrapped(f"Participants see: {feature.participant_notice}"),
        *wrapped(f"Training: {feature.trains_models}."),
        SEPARATOR,
        *[link(f"Source: {source.label} (checked {source.checked})", source.url) for source in feature.sources],
    ]
    return MenuEntry(esc(f"{feature.name}{verified_mark(feature.verified)}"), children=tuple(children))


def clause_entry(clause: ClauseView) -> MenuEntry:
    children = [*wrapped(f"“{clause.quote}”")]
    if clause.summary:
        children += [SEPARATOR, *wrapped(f"In plain words: {clause.summary}")]
    children += [SEPARATOR, info(f"In force since {clause.effective_from}"),
                 link(f"Source (checked {clause.checked})", clause.source)]
    text = f"{clause.label}{verified_mark(clause.verified)} — checked {clause.checked}"
    return MenuEntry(esc(text), children=tuple(children))


def meeting_title(meeting: MeetingView) -> str:
    text = f"{meeting.provider_name} meeting"
    return f"{text}: {meeting.title}" if meeting.title else text


def meeting_entry(meeting: MeetingView) -> MenuEntry:
    started = meeting.started_at.astimezone().strftime("%H:%M")
    children: list[MenuEntry] = [info(f"In progress since {started}"), heading("Why the app thinks so")]
    children += [line for evidence in meeting.evidence for line in wrapped(evidence, indent="  ")]
    children += [SEPARATOR, MenuEntry("Record my consent for this meeting…", action=f"{RECORD}:{meeting.session_id}"),
                 SEPARATOR, heading(f"AI features ({len(meeting.features)})")]
    children += [feature_entry(f) for f in meeting.features] or [info("  None listed in the catalog")]
    children += [SEPARATOR, heading(f"Terms in force ({len(meeting.clauses)})")]
    children += [clause_entry(c) for c in meeting.clauses] or [info("  No clauses listed in the catalog")]
    return MenuEntry(esc(meeting_title(meeting)), children=tuple(children))


def menu_entries(status: TrayStatus, flags: MenuFlags = MenuFlags()) -> list[MenuEntry]:
    """The whole tray menu for ``status``."""
    entries: list[MenuEntry] = [heading(capitalise(status.headline))]
    entries += [meeting_entry(m) for m in status.meetings]
    in_meeting = {m.provider_id for m in status.meetings}
    for app in status.apps:
        if app.provider_id not in in_meeting:
            kind = "AI note-taker running" if app.notetaker else "open, no meeting detected"
            entries.append(info(f"{app.provider_name}: {kind}"))
    for change in status.terms_changes:
        entries.append(MenuEntry(esc(f"{change.display_title} changed — show the change…"),
                                 action=SHOW_TERMS + change.key))
    for problem in (*status.problems, *flags.problems):
        entries += wrapped(f"⚠ {problem}")
    entries.append(SEPARATOR)
    entries.append(MenuEntry("&Record my consent…", action=RECORD, enabled=flags.ready))
    if status.paused:
        entries.append(MenuEntry(f"Resume &monitoring (paused {format_pause(status.paused_until)})", action=RESUME,
                                 enabled=flags.ready))
    else:
        entries.append(MenuEntry("&Pause monitoring for 1 hour", action=PAUSE, enabled=flags.ready and status.enabled))
    if flags.checking_terms:
        entries.append(MenuEntry("Checking terms…", action=CHECK_TERMS, enabled=False))
    else:
        entries.append(MenuEntry("Check &terms now", action=CHECK_TERMS, enabled=flags.ready))
    entries.append(SEPARATOR)
    entries.append(MenuEntry("Start when I &log in", action=AUTOSTART, checkable=True, checked=bool(flags.autostart),
                             enabled=flags.ready and flags.autostart is not None))
    entries.append(MenuEntry("Open &settings", action=OPEN_SETTINGS))
    entries.append(SEPARATOR)
    entries.append(MenuEntry("&Quit", action=QUIT))
    return entries
