"""What one tick's observations say about which meeting is which: grouped by identity.

A meeting's identity is the browser tab it is in (``tab:<browser>/<id>``), the OS window
showing it (``window:<id>``) or the link a client or browser was started with (``url:<link>``).
Evidence without an identity (the microphone, the camera, a meeting-only process, a window
title whose window id is unknown) is *ambient*: it belongs to whichever meeting of the
provider is going on. Pure functions over plain values; :mod:`guard.detect.sessions` decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from guard.detect.link_ids import meeting_id, same_meeting
from guard.detect.observation import Observation
from guard.events import Signal

PRESENCE_SIGNALS = frozenset({Signal.PROCESS, Signal.MEETING_PROCESS})
CORROBORATING_SIGNALS = frozenset({Signal.MEETING_PROCESS, Signal.COMMAND_LINE, Signal.MICROPHONE, Signal.CAMERA,
                                   Signal.BROWSER_TAB})
SUPPORTING_SIGNALS = frozenset({Signal.SOCKET})
IN_MEETING_SIGNALS = frozenset({Signal.AI_NOTICE, Signal.PARTICIPANT})
AMBIENT_SIGNALS = frozenset({Signal.MEETING_PROCESS, Signal.MICROPHONE, Signal.CAMERA})
MAX_COMPARED = 2000  # characters of a title or address compared (hostile pages set 100 kB titles)


class Cluster:
    """Observations of one identity in one tick.

    ``strong``: enough to start or keep a meeting (a window showing a meeting, a link, a
    tab in the foreground or playing sound). ``weak_tab``: a meeting tab in the background
    and silent, which keeps its meeting only while the provider holds the microphone or camera.

    This and the two classes below are plain classes, not dataclasses: made and read within one
    tick, never compared or printed, and every ``meeting-guard scan`` imports this module (a
    dataclass compiles its methods when the module loads).
    """

    __slots__ = ("key", "observations", "strong", "weak_tab")

    def __init__(self, key: str) -> None:
        self.key = key
        self.observations: list[Observation] = []
        self.strong = False
        self.weak_tab = False

    @property
    def title(self) -> str | None:
        return next((obs.title for obs in self.observations if obs.title), None)

    @property
    def url(self) -> str | None:
        return next((obs.url for obs in self.observations if obs.url), None)

    @property
    def tab(self) -> str | None:
        return next((obs.tab for obs in self.observations if obs.tab), None)

    @property
    def window(self) -> str | None:
        return next((obs.window for obs in self.observations if obs.window), None)


class Grouped:
    """One provider's meeting evidence in one tick."""

    __slots__ = ("clusters", "ambient", "support", "closed_tabs", "closed_at")

    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}
        self.ambient: list[Observation] = []
        self.support: list[Observation] = []
        self.closed_tabs: set[str] = set()
        self.closed_at: dict[str, datetime] = {}


class TickView:
    """A tick's observations by provider, with those seen inside a meeting page set apart."""

    __slots__ = ("by_provider", "in_meeting")

    def __init__(self) -> None:
        self.by_provider: dict[str, list[Observation]] = {}
        self.in_meeting: list[Observation] = []

    @classmethod
    def of(cls, observations: Iterable[Observation]) -> TickView:
        view = cls()
        for obs in observations:
            if obs.signal in IN_MEETING_SIGNALS:
                view.in_meeting.append(obs)
            else:
                view.by_provider.setdefault(obs.provider_id, []).append(obs)
        view.in_meeting.sort(key=lambda obs: (obs.seen_at, obs.provider_id, obs.detail))
        return view


def key_kind(key: str) -> str:
    """``tab``, ``window``, ``url`` or ``pid``."""
    return key.split(":", 1)[0]


def group(observations: Iterable[Observation], links_need_media: bool = False) -> Grouped:
    """Sort one provider's observations into identities, ambient and supporting evidence.

    ``links_need_media``: the provider's meeting links look like its chat pages (catalog
    ``detect.web.links_need_media``), so its tabs and links are weak, whatever the tab's state:
    they start or keep a meeting only while the provider holds the microphone or camera."""
    grouped = Grouped()
    for obs in observations:
        if obs.signal == Signal.BROWSER_TAB:
            if obs.tab and obs.closed:
                grouped.closed_tabs.add(f"tab:{obs.tab}")
                grouped.closed_at[f"tab:{obs.tab}"] = obs.seen_at
                continue
            if obs.closed or not obs.meeting:
                continue  # a tab showing its lobby: the app open (sessions.shows_presence), no meeting
            key = f"tab:{obs.tab}" if obs.tab else (f"url:{obs.url}" if obs.url else None)
            if key is None:
                continue
            cluster = grouped.clusters.setdefault(key, Cluster(key))
            cluster.observations.append(obs)
            if (obs.active or obs.audible) and not links_need_media:
                cluster.strong = True
            else:
                cluster.weak_tab = True
        elif obs.signal == Signal.WINDOW_TITLE and obs.meeting and obs.window:
            _add(grouped, f"window:{obs.window}", obs)
        elif obs.signal == Signal.COMMAND_LINE and obs.url:
            _add(grouped, f"url:{obs.url}", obs, strong=not links_need_media)
        elif obs.signal in AMBIENT_SIGNALS or obs.signal == Signal.COMMAND_LINE or (
                obs.signal == Signal.WINDOW_TITLE and obs.meeting):
            grouped.ambient.append(obs)  # no identity known: belongs to whichever meeting goes on
        elif obs.signal in SUPPORTING_SIGNALS:
            grouped.support.append(obs)
    return grouped


def _add(grouped: Grouped, key: str, obs: Observation, strong: bool = True) -> None:
    cluster = grouped.clusters.setdefault(key, Cluster(key))
    cluster.observations.append(obs)
    if strong:
        cluster.strong = True
    else:
        cluster.weak_tab = True


_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


def normalise_title(title: str) -> str:
    """Casefolded, dashes as ``-``, no-break and zero-width spaces evened out, runs of space as one."""
    text = unicodedata.normalize("NFKC", title[:MAX_COMPARED])
    text = _INVISIBLE.sub("", _DASHES.sub("-", text))
    return " ".join(text.casefold().split())


def titles_match(part: str | None, whole: str | None) -> bool:
    """``part`` (a tab's title) is shown in ``whole`` (a window's title, which adds the browser's name)."""
    if not part or not whole:
        return False
    small = normalise_title(part)
    return bool(small) and small in normalise_title(whole)


_NOISE_PARAMETERS = frozenset({"authuser", "hl", "hs", "pli", "utm_source", "utm_medium", "utm_campaign"})


def same_address(first: str | None, second: str | None) -> bool:
    """The same meeting address: the same meeting id where both links name one
    (:func:`guard.detect.link_ids.meeting_id`: Zoom's, Teams' and Meet's links in all their forms), else
    scheme, host and path equal, and every parameter both give equal (so ``?authuser=0`` added by the
    page does not make another meeting, another ``confno`` does)."""
    if not first or not second:
        return False
    first_id, second_id = meeting_id(first), meeting_id(second)
    if first_id and second_id:  # one meeting's link in two forms (Zoom's /j/<id> and /wc/<id>/join, ...)
        return same_meeting(first_id, second_id)
    a, b = urlsplit(first[:MAX_COMPARED]), urlsplit(second[:MAX_COMPARED])
    if (a.scheme.lower(), (a.hostname or "").lower(), a.path.rstrip("/")) != \
            (b.scheme.lower(), (b.hostname or "").lower(), b.path.rstrip("/")):
        return False
    query_a = {k: v for k, v in parse_qsl(a.query) if k not in _NOISE_PARAMETERS}
    query_b = {k: v for k, v in parse_qsl(b.query) if k not in _NOISE_PARAMETERS}
    return all(query_a[name] == query_b[name] for name in set(query_a) & set(query_b))
