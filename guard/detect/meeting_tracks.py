"""A meeting the session machine tracks (:class:`MeetingTrack`: the meeting and the
identities it goes by), and the rules that tie what one tick shows to it: which live meeting a
newly seen tab, window or link belongs to, when the same tab or window has moved on to another
meeting, what a new meeting's first identities are, and how a meeting shows itself (title,
link, tab, window). Pure values in, values out, like :mod:`guard.detect.sessions`, which uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from guard.detect.identity import Cluster, key_kind, same_address, titles_match
from guard.detect.link_ids import sent_on
from guard.detect.observation import Observation
from guard.events import MeetingSession, Signal

# A link handed to a running browser (xdg-open, a calendar's "Join") is seen for a moment on a
# short-lived launcher's command line, and the page it opens shows up in the browser's window a
# tick or two later (before or after the launcher is gone): within this many ticks of a meeting's
# start the two are one meeting, whichever was seen first.
LAUNCH_TICKS = 2


class Gone(NamedTuple):
    """A meeting that ended lately, kept for :attr:`SessionRules.resume_ticks <guard.detect.sessions.SessionRules>`
    ticks: a meeting seen again by the same tab, window or link within them is this one going on
    (:func:`resumed`), told under the id it was first told under (``told_as``)."""

    told_as: str
    provider_id: str
    keys: frozenset[str]
    url: str | None
    title: str | None
    ticks: int = 0  # since it ended


def gone(track: MeetingTrack) -> Gone:
    meeting = track.meeting
    return Gone(meeting.told_as, meeting.provider_id, track.keys, meeting.url, meeting.title)


def resumed(lately: Iterable[Gone], provider_id: str, parts: list[Cluster]) -> Gone | None:
    """The meeting lately ended that a new one of ``parts`` is, seen again: the same provider, and one of its tabs
    still at the same meeting address (reloaded; a tab moved to another meeting, or a personal link's next meeting, is
    another), one of its windows showing the same title (hidden a while; a re-created window has another id), or its
    link. A meeting known only by its microphone, camera or meeting-only process has no identity to tell by."""
    for item in lately:
        if item.provider_id != provider_id:
            continue
        for cluster in parts:
            if cluster.key not in item.keys:
                continue
            kind = key_kind(cluster.key)
            if kind == "tab" and (cluster.url is None or item.url is None or (
                    same_address(cluster.url, item.url) and not sent_on(item.url, cluster.url))):
                return item
            if kind == "window" and (not cluster.title or not item.title or titles_match(cluster.title, item.title)
                                     or titles_match(item.title, cluster.title)):
                return item
            if kind == "url":
                return item
    return None


@dataclass(frozen=True)
class MeetingTrack:
    """A meeting in progress and the identities (``tab:``, ``window:``, ``url:``) it goes by."""

    meeting: MeetingSession
    keys: frozenset[str] = frozenset()
    missing_ticks: int = 0
    missing_since: datetime | None = None
    pids: frozenset[int] = frozenset()  # processes whose media evidence it had
    age_ticks: int = 0  # ticks since it started

    @property
    def just_started(self) -> bool:
        """Started this tick or within the two before: what opened it may still be showing up."""
        return self.age_ticks <= LAUNCH_TICKS

    @property
    def provider_id(self) -> str:
        return self.meeting.provider_id

    def has_kind(self, kind: str) -> bool:
        return any(key_kind(key) == kind for key in self.keys)

    @property
    def seen_in_window_or_tab(self) -> bool:
        """Once a window or tab showed it, the link it was started with no longer keeps it going
        (a browser's command line keeps its first link after that tab is closed)."""
        return self.has_kind("window") or self.has_kind("tab")


def browser_window(cluster: Cluster) -> bool:
    """A browser's window (its title checked against the extension: ``confirmed`` said), which can show a
    tab's page; a client's own window (``confirmed`` None: Zoom's 'Zoom Meeting') never shows a tab, whatever
    its title holds (a Zoom web client's tab is titled 'Zoom')."""
    return any(obs.signal == Signal.WINDOW_TITLE and obs.confirmed is not None for obs in cluster.observations)


def shown_in_browser_window(meeting: MeetingSession) -> bool:
    """Whether a browser's window showed the meeting (see :func:`browser_window`)."""
    return any(e.signal == Signal.WINDOW_TITLE and e.confirmed is not None for e in meeting.evidence)


def client_meeting(meeting: MeetingSession) -> bool:
    """A meeting a desktop client's meeting-only process (Zoom's aomhost) shows: no browser tab is its page."""
    return any(e.signal == Signal.MEETING_PROCESS for e in meeting.evidence)


def joins_start(key: str, cluster: Cluster, first_key: str, first: Cluster) -> bool:
    """Whether a cluster seen for the first time belongs to the new meeting started by ``first``."""
    kind, first_kind = key_kind(key), key_kind(first_key)
    if kind == "window" and first_kind == "tab":
        return browser_window(cluster) and titles_match(first.title, cluster.title)
    if kind == "url":
        return first_kind != "url" and (same_address(cluster.url, first.url) or first.url is None)
    return False


def start_order(key: str) -> tuple[int, str]:
    return ({"tab": 0, "window": 1, "url": 2}.get(key_kind(key), 3), key)


def adopter(key: str, cluster: Cluster, live: list[MeetingTrack], owner: Mapping[str, str],
             clusters: Mapping[str, Cluster]) -> MeetingTrack | None:
    """The live meeting a newly seen identity belongs to, if any.

    A browser window showing a meeting tab's title is that tab's meeting; a tab whose address is a meeting's
    already seen from its window or link, or whose title a browser window showed as that meeting's, takes that
    meeting over (a client's own window never shows a tab); a
    window, tab or link joins a meeting that was known only by its media so far (a tab not one a desktop
    client's meeting-only process shows).
    """
    kind = key_kind(key)
    for track in live:
        meeting = track.meeting
        if kind == "window" and track.has_kind("tab") and browser_window(cluster) \
                and titles_match(meeting.title, cluster.title):
            return track
        if kind == "tab" and not track.has_kind("tab") and not sent_on(meeting.url, cluster.url) and (
                same_address(meeting.url, cluster.url)
                or (shown_in_browser_window(meeting) and titles_match(cluster.title, meeting.title))):
            return track  # (a personal link's tab after a meeting named by its id is another meeting)
        if kind == "url" and any(same_address(cluster.url, other.url) for other_key, other in clusters.items()
                                 if owner.get(other_key) == meeting.id):
            return track
    for track in live:
        if not track.keys and kind in ("window", "url"):
            return track
        if not track.keys and kind == "tab" and not client_meeting(track.meeting):
            return track
    for track in live:
        if launched_together(key, cluster, track):
            return track
    return None


def launched_together(key: str, cluster: Cluster, track: MeetingTrack) -> bool:
    """A link and the window it opened, seen first in different ticks right after each other: a
    meeting known so far only by its link takes the provider's first meeting window (its title says
    no address to compare), and one known so far only by a window, with no address yet, takes a link."""
    if not track.just_started or track.has_kind("tab"):
        return False
    kind = key_kind(key)
    if kind == "window":
        return not track.has_kind("window") and track.has_kind("url") and cluster.url is None
    if kind == "url":
        return track.has_kind("window") and not track.has_kind("url") and track.meeting.url is None
    return False


def moved_on(track: MeetingTrack, mine: Mapping[str, Cluster]) -> bool:
    """The same tab now shows another meeting address (a personal or nickname link after a meeting it named
    included: :func:`guard.detect.link_ids.sent_on`), or the same window another meeting title."""
    meeting = track.meeting
    for key, cluster in mine.items():
        kind = key_kind(key)
        if kind == "tab" and key in track.keys and cluster.url and meeting.url \
                and (not same_address(cluster.url, meeting.url) or sent_on(meeting.url, cluster.url)):
            return True
        if kind == "window" and key in track.keys and not track.has_kind("tab") and cluster.title \
                and meeting.title and not titles_match(cluster.title, meeting.title) \
                and not titles_match(meeting.title, cluster.title):
            return True
    return False


def other_meeting_seen(track: MeetingTrack, owner: Mapping[str, str], clusters: Mapping[str, Cluster],
                        strong: list[Cluster]) -> bool:
    """Whether this tick shows the provider's meetings by identity, none of them this one: then
    the provider's microphone or camera is theirs, and does not keep this one going."""
    return any(meeting_id != track.meeting.id for meeting_id in owner.values()) or any(
        key_kind(key) in ("window", "tab") and key not in owner and clusters[key].strong for key in clusters)


class Shown(NamedTuple):
    """How a meeting shows itself: title, link, tab and window."""

    title: str | None
    url: str | None
    tab: str | None
    window: str | None


def shown_identity(parts: list[Cluster], ambient: list[Observation], earlier: MeetingSession | None) -> Shown:
    """Title, link, tab and window: a tab's first, then a window's, then a link's, then what
    came without an identity (a window title whose window id is unknown); else as before."""
    ordered = sorted(parts, key=lambda cluster: start_order(cluster.key))
    found = Shown(
        title=next((c.title for c in ordered if c.title), next((o.title for o in ambient if o.title), None)),
        url=next((c.url for c in ordered if c.url), next((o.url for o in ambient if o.url), None)),
        tab=next((c.tab for c in ordered if c.tab), None),
        window=next((c.window for c in ordered if c.window), None),
    )
    if earlier is None:
        return found
    return Shown(title=found.title or earlier.title, url=found.url or earlier.url, tab=found.tab or earlier.tab,
                  window=found.window or earlier.window)


def media_pids(ambient: list[Observation]) -> frozenset[int]:
    return frozenset(obs.pid for obs in ambient if obs.pid is not None
                     and obs.signal in (Signal.MICROPHONE, Signal.CAMERA))
