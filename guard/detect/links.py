"""Meeting links on command lines, and for how long one counts as evidence of a meeting.

A link a process was started with (a browser given ``https://meet.jit.si/Room``, a client
given ``zoommtg://zoom.us/join?...``) says a meeting was *opened*, not that it is still on:
the tab may have been closed long ago while the browser runs on with the same command line
(issue 14: a browser started with a Jitsi link was reported in a Jitsi meeting after that tab
closed). So a link counts only

* during :data:`LINK_GRACE` after the process started, while the page or app is opening;
* while the same browser instance (or client) shows a window titled like that provider's
  meeting, or holds the microphone or the camera;

and once it stops counting it is retired for that process for good: the link is history.

Links are found once per process (pid, create time) on its bounded command line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from guard.detect.matching import DetectionRules, redact_url
from guard.detect.observation import Observation
from guard.events import Signal
from guard.i18n import N_, Text

LINK_GRACE = timedelta(seconds=30)


# A NamedTuple, not a frozen dataclass: defined on every scan's start-up, where a frozen dataclass
# costs several times as much (issue 18); never replaced or serialised.
class Link(NamedTuple):
    """A meeting link on the command line of one process of a browser instance or client (``root``)."""

    pid: int
    create_time: float
    root: int
    name: str
    provider_id: str
    url: str  # redacted (no passcodes)


class CommandLineLinks:
    """Finds links once per process and decides, tick by tick, which still count."""

    def __init__(self, grace: timedelta = LINK_GRACE) -> None:
        self.grace = grace
        self._found: dict[int, tuple[float, tuple[tuple[str, str], ...]]] = {}
        self._retired: set[tuple[int, float, str]] = set()

    def forget_gone(self, alive: Collection[int]) -> None:
        for pid in [pid for pid in self._found if pid not in alive]:
            del self._found[pid]
        self._retired = {key for key in self._retired if key[0] in alive}

    def found(self, pid: int, create_time: float, read: Callable[[], tuple[tuple[str, str], ...] | None]) -> tuple[
            tuple[str, str], ...]:
        """``(provider_id, url)`` pairs for a process, from ``read()`` the first time it answers.

        ``read()`` gives None when there was no command line to read (a process in the middle of
        ``exec``): it is asked again next tick, not taken as "no link" for good."""
        known = self._found.get(pid)
        if known is None or known[0] != create_time:
            pairs = read()
            if pairs is None:
                return ()
            known = (create_time, pairs)
            self._found[pid] = known
        return known[1]

    def pending(self, candidates: Iterable[tuple[int, float, int, str, tuple[tuple[str, str], ...]]]) -> list[Link]:
        """Links not yet retired, one per (instance, provider, url): a browser's helpers that were
        started with its command line (a launcher's subshell) add nothing to the instance's own."""
        links: dict[tuple[int, str, str], Link] = {}
        for pid, create_time, root, name, pairs in candidates:
            for provider_id, url in pairs:
                if (pid, create_time, provider_id) in self._retired:
                    continue
                key = (root, provider_id, url)
                if key not in links or pid == root:
                    links[key] = Link(pid, create_time, root, name, provider_id, redact_url(url))
        return list(links.values())

    def observations(self, links: Iterable[Link], at: datetime, shown: Collection[tuple[int, str]],
                     held: Collection[tuple[int, str]]) -> list[Observation]:
        """Observations for the links that still count; the others are retired.

        ``shown``: (instance, provider) pairs whose meeting title a window of the instance shows;
        ``held``: (instance, provider) pairs whose instance holds the microphone or camera.
        """
        observations: list[Observation] = []
        for link in links:
            young = at.timestamp() - link.create_time < self.grace.total_seconds()
            key = (link.root, link.provider_id)
            if not (young or key in shown or key in held):
                self._retired.add((link.pid, link.create_time, link.provider_id))
                continue
            said = Text.of(N_("{name} (pid {pid}) was started with {url}"), name=link.name, pid=link.pid, url=link.url)
            observations.append(Observation(link.provider_id, Signal.COMMAND_LINE, link.pid, str(said), at,
                                            url=link.url, said=said))
        return observations


def match_links(rules: DetectionRules, args: tuple[str, ...], providers: frozenset[str] | None) -> tuple[
        tuple[str, str], ...]:
    """The meeting links among ``args`` (a bounded command line without argv[0])."""
    return tuple(rules.match_urls(args, providers))
