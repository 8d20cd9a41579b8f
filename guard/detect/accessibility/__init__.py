"""Reading a native meeting client's in-meeting notices and participant list through the OS
accessibility API, one backend per OS behind :class:`AccessibilityReader`.

Backends: Linux :mod:`.atspi` (AT-SPI2 over D-Bus, with jeepney); Windows and macOS have none
(UI Automation and the AX API cannot be tested here; docs/accessibility.md) and get
:class:`Unavailable`, which says so. :mod:`guard.detect.platform` picks them.

Privacy (docs/accessibility.md): a reader looks only at the applications of the clients it is
given (catalog meeting clients with a meeting in progress), compares what it reads with the
catalog's notice phrases and bot names, and hands back only the matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from guard.detect.observation import Observation, ProbeUnavailable

if TYPE_CHECKING:
    from guard.detect.matching import DetectionRules


@dataclass(frozen=True)
class ClientInMeeting:
    """A meeting client's process whose provider has a meeting in progress this tick.

    ``window`` is the id of the window showing the meeting, when the window probe saw one: the
    reader's observations carry it, so the session machine knows which meeting they belong to.
    """

    pid: int
    name: str
    provider_ids: tuple[str, ...]
    window: str | None = None


@dataclass(frozen=True)
class Limits:
    """What one tick may cost, whatever the client's tree holds.

    ``calls_per_tick``: accessibility calls (one node read, one child looked up) per tick, for all
    clients together; the walk resumes where it stopped on the next tick. ``nodes_per_pass``: a
    pass over a client's tree ends after this many nodes and starts again from the top (so new
    dialogs near the top are seen even in a huge tree). ``max_text``: characters of a node's text
    looked at. ``timeout``: seconds to wait for one reply from a client.
    """

    calls_per_tick: int = 200
    nodes_per_pass: int = 5000
    max_depth: int = 40
    max_children: int = 500
    max_text: int = 1000
    timeout: float = 0.5


@dataclass
class Work:
    """What the reader did in its last tick: the counters the bounded-work test and the benchmark read."""

    calls: int = 0
    nodes: int = 0
    characters: int = 0
    matched: int = 0
    timeouts: int = 0
    passes_completed: int = 0


class AccessibilityReader(Protocol):
    """Reads the clients' accessibility trees for notices and bots; raises ProbeUnavailable."""

    name: str

    def observations(self, clients: Sequence[ClientInMeeting], rules: DetectionRules,
                     at: datetime) -> list[Observation]: ...

    def close(self) -> None: ...


class Unavailable:
    """The reader of an OS where none is built; it says why whenever it is asked."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def observations(self, clients: Sequence[ClientInMeeting], rules: DetectionRules,
                     at: datetime) -> list[Observation]:
        raise ProbeUnavailable(self.reason)

    def close(self) -> None:
        """Nothing is held."""


NOT_BUILT = ("reading {api} is not built: it cannot be tested for real here "
             "(see docs/accessibility.md)")


def unavailable_for(os_name: str) -> Unavailable:
    """The reader for an OS without a backend, with the reason ``scan`` shows."""
    api = {"windows": "UI Automation", "macos": "the macOS accessibility (AX) API"}.get(os_name, "accessibility")
    return Unavailable(f"{os_name}-accessibility", NOT_BUILT.format(api=api))
