"""What probes report: observations about providers, and whether each probe could look at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from guard.errors import GuardError
from guard.events import Evidence, Signal
from guard.i18n import Text


class DetectError(GuardError):
    """Something in detection went wrong in a way the user should read."""


class ProbeUnavailable(DetectError):
    """A probe cannot look on this system right now; the message says why (shown in ``scan``)."""


@dataclass(frozen=True)
class Observation:
    """One thing a probe saw about one provider during one tick.

    ``meeting`` marks a window title that matched a *meeting* pattern (an app's home window
    does not); ``title`` and ``url`` carry the meeting's window title or link when known.

    Identity, for telling one meeting from the next: ``window`` (the OS window id) and ``tab``
    (``"<browser>/<tab id>"`` from the browser extension). Browser-tab observations also say
    whether the tab is ``active`` (in the foreground) and ``audible``/holds the microphone, and
    ``closed`` when the tab was closed or left the meeting page (which ends its meeting at once). A tab
    whose page shows its pre-join or lobby screen (the extension found the catalog's ``lobby_selectors``)
    is a browser-tab observation without ``meeting``: the app open, not a meeting.
    ``feature_id`` and ``notice`` carry an in-meeting AI notice (``provider_id``: the meeting's
    provider); ``participant`` a bot's display name (``provider_id``: the note-taker's provider,
    ``tab``/``window``: the meeting it sits in).

    ``confirmed``, for a browser window's title only (guard/detect/title_check.py): True when the
    browser extension shows a meeting tab so titled in front; False when nothing confirmed it: with
    ``meeting`` (no extension connected for that browser) the title counts, as weaker evidence;
    without (the extension is connected and shows no such tab) it is no meeting, nor an app running.
    None for everything else.
    """

    provider_id: str
    signal: Signal
    pid: int | None
    detail: str
    seen_at: datetime
    meeting: bool = False
    title: str | None = None
    url: str | None = None
    window: str | None = None
    tab: str | None = None
    active: bool | None = None
    audible: bool | None = None
    feature_id: str | None = None
    notice: str | None = None
    participant: str | None = None
    closed: bool = False
    confirmed: bool | None = None
    said: Text | None = field(default=None, compare=False, repr=False, metadata={"json": False})  # translatable

    def evidence(self) -> Evidence:
        return Evidence(signal=self.signal, detail=self.detail, seen_at=self.seen_at, pid=self.pid, tab=self.tab,
                        confirmed=self.confirmed, said=self.said)


class ProbeState(StrEnum):
    OK = "ok"
    IDLE = "idle"  # not run this tick: nothing it could look at (no client or browser running)
    OFF = "off"  # switched off in the settings
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class ProbeStatus:
    """How one probe fared; ``reason`` says why it is unavailable, off or idle."""

    name: str
    state: ProbeState
    reason: str = ""
    backend: str = ""
    said: Text | None = field(default=None, compare=False, repr=False, metadata={"json": False})  # reason, to translate
