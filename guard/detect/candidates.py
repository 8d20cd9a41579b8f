"""Which running processes are worth a closer look: catalog clients and browsers (candidates),
recognised by name, by their full name when Linux cut it to 15 characters, or by the app a
wrapper (Electron, Java, Python...) runs; and which of them make one instance together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from guard.detect.matching import DetectionRules, ProcessMatch, wrapped_app_names
from guard.detect.process_table import ProcessEntry, ProcessTable


class Unread:
    """A process that does not show its command line yet (see :func:`classify`)."""


UNREAD = Unread()


class Candidate(NamedTuple):
    """A process worth a closer look: a catalog client, or a browser (web meetings).

    (A NamedTuple, as :class:`guard.detect.detector.DetectionPass`: see :class:`guard.detect.matching.ProcessMatch`.)"""

    pid: int
    name: str
    matches: tuple[ProcessMatch, ...]
    browser: bool
    create_time: float

    @property
    def provider_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(match.provider_id for match in self.matches))


def classify(entry: ProcessEntry, rules: DetectionRules, table: ProcessTable) -> Candidate | None | Unread:
    """The candidate a process is, None if none, ``UNREAD`` if that depends on a command line
    it does not show yet (in the middle of ``exec``)."""
    name = entry.name
    matches = rules.match_process(name)
    browser = rules.is_browser(name)
    if not matches and not browser and rules.maybe_truncated(name):
        detail = table.detail(entry)  # Linux cut the name to 15 characters: the full one
        if not detail.cmdline and not detail.exe_name:
            return UNREAD
        for full in (detail.exe_name, detail.cmdline[0].rsplit("/", 1)[-1] if detail.cmdline else ""):
            if full.casefold().startswith(name.casefold()) and rules.match_process(full):
                name, matches = full, rules.match_process(full)
                break
    elif not matches and not browser and rules.is_wrapper(name):
        detail = table.detail(entry)  # Electron, Java, Python...: the app is on the command line
        if not detail.cmdline:
            return UNREAD
        for app in wrapped_app_names(detail.cmdline, detail.exe_name):
            found = rules.match_process(app)
            if found:
                name, matches = f"{app} ({entry.name})", found
                break
    if not matches and not browser:
        return None
    return Candidate(entry.pid, name, tuple(matches), browser, entry.create_time)


def instance_root(pid: int, candidates: Mapping[int, Candidate], table: ProcessTable) -> int:
    """The top-most candidate above ``pid`` of the same kind (a browser's, or a client's with a
    provider in common): one browser instance or one client, with all its helper processes."""
    root = pid
    for _ in range(16):
        entry = table.entries.get(root)
        parent = table.detail(entry).ppid if entry is not None else None
        here = candidates.get(root)
        above = candidates.get(parent) if parent is not None else None
        if here is None or above is None or parent is None:
            return root
        same = (here.browser and above.browser) or bool(set(here.provider_ids) & set(above.provider_ids))
        if not same:
            return root
        root = parent
    return root
