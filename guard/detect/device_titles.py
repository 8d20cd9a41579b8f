"""Call windows of self-hosted web services, counted only while their browser holds the microphone or camera.

Mattermost's Calls plugin titles its pop-out window "Call - <channel>" on the team's own server. The
browser extension asks for no access to servers it does not know, so it can neither confirm nor refute
such a window, and any page could carry the title (Wikipedia's "Call"). A call, though, holds the
microphone for as long as it runs (the plugin opens it when joining, muted or not). So such a window
(the catalog's ``web.device_window_titles``) is a meeting only while the same browser instance holds
the microphone or camera and no other web meeting seen in that browser (a meeting tab, a meeting title,
a meeting link) explains that: then it counts, unconfirmed. A lobby of that provider the extension sees
in the same browser (its pre-join screen's camera preview holds the devices too) explains them as well:
then the window is that lobby, not a call.

Pure: plain values in, observations out (guard/detect/window_titles.py finds the windows,
guard/detect/detector.py knows which browsers hold a device).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from datetime import datetime
from typing import NamedTuple

from guard.detect.observation import Observation
from guard.events import Signal
from guard.i18n import N_, Text


class DeviceWindow(NamedTuple):
    """A browser window whose title is a provider's call window on a server of its own."""

    provider_id: str
    root: int  # the browser instance (its main process)
    pid: int
    name: str  # the browser's process name
    title: str  # as shown (normalised, bounded)
    window: str | None


def corroborated(windows: Iterable[DeviceWindow], holding: Set[int], explained: Mapping[int, Set[str]],
                 at: datetime, counted: Set[tuple[str, str | None]] = frozenset(),
                 lobbies: Mapping[int, Set[str]] | None = None) -> list[Observation]:
    """Observations for the ``windows`` whose browser instance holds the microphone or camera (``holding``:
    instance roots) while no other provider's web meeting seen in it (``explained``: root → providers)
    accounts for that; not for a window whose title already counts as that provider's meeting (``counted``:
    (provider, window) pairs, e.g. a Jitsi room the extension confirmed on meet.jit.si), nor for one whose
    provider's lobby a tab of that browser instance shows (``lobbies``: root → providers)."""
    found: list[Observation] = []
    seen: set[tuple[str, str | None, int]] = set()
    for window in windows:
        if window.root not in holding or set(explained.get(window.root, ())) - {window.provider_id}:
            continue
        if (window.provider_id, window.window) in counted:
            continue
        if lobbies and window.provider_id in lobbies.get(window.root, ()):
            continue
        key = (window.provider_id, window.window, window.pid)
        if key in seen:
            continue
        seen.add(key)
        said = Text.of(N_("{name} (pid {pid}) shows a call window titled '{title}' and uses the microphone or "
                          "camera (unconfirmed: a self-hosted service the browser extension does not see)"),
                       name=window.name, pid=str(window.pid), title=window.title)
        found.append(Observation(window.provider_id, Signal.WINDOW_TITLE, window.pid, str(said), at, said=said,
                                 confirmed=False, meeting=True, title=window.title, window=window.window))
    return found
