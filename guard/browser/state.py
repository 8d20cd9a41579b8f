"""A browser's meeting tabs as its native messaging host last heard them: kept in memory, saved to a small file.

Each host (one per running browser profile) owns one file in the runtime folder, named for the
browser and the host's process: the current meeting tabs, with the AI notices and bot names
their pages showed, and how many browser windows the extension sees (a count). The file is
private (0600 in a 0700 folder), replaced atomically, capped in size, and removed when the host
exits; a file whose host is gone is stale and ignored (and cleared away) by :func:`read_states`.
This is how ``meeting-guard scan`` sees extension tabs without the app, and how the app learns
of them when it starts after the browser.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated

import psutil
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from guard.browser import limits
from guard.browser.messages import (
    AnyMessage,
    Hello,
    PageReport,
    Server,
    Servers,
    State,
    TabChanged,
    TabClosed,
    TabInfo,
    WindowCount,
    Windows,
)
from guard.browser.paths import SUFFIX, private_state_folder, state_dir  # noqa: F401 - state_dir re-exported for callers of this module
from guard.fsutil import atomic_write_bytes

log = logging.getLogger(__name__)

STATE_VERSION = 1
_FILE = ConfigDict(extra="ignore", frozen=True)


class SeenText(BaseModel):
    """A notice or display name a meeting page showed, and when the host first heard of it."""

    model_config = _FILE
    text: Annotated[str, Field(max_length=limits.NOTICE)]
    at: datetime
    providers: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # a notice's catalog phrase ids, as the extension named them


class TabEntry(BaseModel):
    model_config = _FILE
    tab: TabInfo
    opened_at: datetime
    updated_at: datetime
    notices: Annotated[tuple[SeenText, ...], Field(max_length=limits.NOTICES_PER_TAB + limits.NEW_PHRASE_NOTICES)] = ()
    participants: Annotated[tuple[SeenText, ...], Field(max_length=limits.PARTICIPANTS_PER_TAB)] = ()


class StateFile(BaseModel):
    """The file's content (read back through the same schemas, so nothing in it is trusted more than a message)."""

    model_config = _FILE
    version: int = STATE_VERSION
    browser: Annotated[str, Field(max_length=40)]
    browser_pid: int | None = None
    host_pid: int
    host_started: float
    connected_at: datetime
    updated_at: datetime
    # The extension sent its full list of meeting tabs since it connected: from then on the tabs here are
    # everything it sees (so what a window shows can be checked against them; guard/detect/title_check.py).
    synced: StrictBool = False
    # How many browser windows the extension said it sees (None: it has not said); guard/detect/title_check.py
    # compares it with the browser's windows on screen.
    windows: WindowCount | None = None
    # Whether the browser window with the focus is one the extension sees (None: it has not said).
    focused: StrictBool | None = None
    # The servers the user added in the extension's options page (host, service), as the extension last said them,
    # and how many entries of its list were refused (bad names, over the cap): the settings window says so.
    servers: Annotated[tuple[Server, ...], Field(max_length=limits.SERVERS)] = ()
    servers_refused: int = 0
    tabs: Annotated[tuple[TabEntry, ...], Field(max_length=limits.TABS)] = ()


@dataclass
class BrowserState:
    """What one host knows; :meth:`apply` folds a validated message in and says whether anything changed."""

    browser: str
    browser_pid: int | None
    host_pid: int
    host_started: float
    connected_at: datetime
    updated_at: datetime
    tabs: dict[int, TabEntry] = field(default_factory=dict)
    synced: bool = False
    windows: int | None = None
    focused: bool | None = None
    servers: tuple[Server, ...] = ()
    servers_refused: int = 0

    def apply(self, message: AnyMessage, now: datetime) -> bool:
        if isinstance(message, Hello):
            return message.servers is not None and self._servers(message.servers)
        if isinstance(message, State):
            if message.servers is not None:
                self._servers(message.servers)
            known = self.tabs
            self.tabs = {}
            self.synced = True
            self.windows = message.windows
            self.focused = message.focused
            for info in message.tabs[: limits.TABS]:
                self.tabs[info.id] = self._entry(known.get(info.id), info, now)
            return True
        if isinstance(message, Windows):
            changed = (self.windows, self.focused) != (message.count, message.focused)
            self.windows, self.focused = message.count, message.focused
            return changed
        if isinstance(message, TabChanged):
            before = self.tabs.get(message.tab.id)
            if before is not None and before.tab == message.tab:
                return False
            if before is None and len(self.tabs) >= limits.TABS:
                return False
            self.tabs[message.tab.id] = self._entry(before, message.tab, now)
            return True
        if isinstance(message, TabClosed):
            return self.tabs.pop(message.tab.id, None) is not None
        if isinstance(message, PageReport):
            return self._report(message, now)
        return False

    def _servers(self, servers: Servers) -> bool:
        changed = (self.servers, self.servers_refused) != (servers.kept, servers.refused)
        if changed and servers.refused:
            log.warning("Browser host: the extension named %d servers; kept %d, refused %d (a bad host name or "
                        "service id, a host named twice, or over the cap of %d)", len(servers.kept) + servers.refused,
                        len(servers.kept), servers.refused, limits.SERVERS)
        self.servers, self.servers_refused = servers.kept, servers.refused
        return changed

    @staticmethod
    def _entry(before: TabEntry | None, info: TabInfo, now: datetime) -> TabEntry:
        if before is None:
            return TabEntry(tab=info, opened_at=now, updated_at=now)
        if before.tab.url != info.url:
            # Another page in the same tab: what the last page showed no longer applies.
            return TabEntry(tab=info, opened_at=before.opened_at, updated_at=now)
        return before.model_copy(update={"tab": info, "updated_at": now})

    def _report(self, report: PageReport, now: datetime) -> bool:
        entry = self.tabs.get(report.tab)
        if entry is None:
            return False
        if report.type == "notice":
            text, kept, cap = report.text[: limits.NOTICE], entry.notices, limits.NOTICES_PER_TAB
        else:
            text, kept, cap = report.text[: limits.PARTICIPANT], entry.participants, limits.PARTICIPANTS_PER_TAB
        if any(seen.text == text for seen in kept) or (len(kept) >= cap and not _new_phrase(report, kept)):
            return False
        seen = SeenText(text=text, at=now, providers=report.providers, phrases=report.phrases)
        update = {"notices": (*kept, seen)} if report.type == "notice" else {"participants": (*kept, seen)}
        self.tabs[report.tab] = entry.model_copy(update=update)
        return True

    def to_file(self) -> StateFile:
        return StateFile(browser=self.browser, browser_pid=self.browser_pid, host_pid=self.host_pid,
                         host_started=self.host_started, connected_at=self.connected_at, updated_at=self.updated_at,
                         synced=self.synced, windows=self.windows, focused=self.focused,
                         servers=self.servers, servers_refused=self.servers_refused, tabs=tuple(self.tabs.values()))


def _new_phrase(report: PageReport, kept: tuple[SeenText, ...]) -> bool:
    """Whether a notice names a catalog phrase no kept notice named (room for it past the cap, up to
    :data:`limits.NEW_PHRASE_NOTICES` more): a flood of one phrase's look-alikes cannot hide another's."""
    if report.type != "notice" or len(kept) >= limits.NOTICES_PER_TAB + limits.NEW_PHRASE_NOTICES:
        return False
    named = {phrase for seen in kept for phrase in seen.phrases}
    return any(phrase not in named for phrase in report.phrases)


def file_name(browser: str, host_pid: int) -> str:
    return f"{browser}-{host_pid}{SUFFIX}"


def save(folder: Path, state: BrowserState) -> Path:
    """Write the state file (0600, atomic) into a folder of this user's alone (else
    :class:`~guard.browser.paths.UnsafeStateFolder`). Oldest notices and names give way first if it is too large."""
    private_state_folder(folder)
    data = state.to_file().model_dump_json().encode("utf-8")
    if len(data) > limits.STATE_FILE_BYTES:
        trimmed = state.to_file().model_copy(update={"tabs": tuple(
            entry.model_copy(update={"notices": entry.notices[-2:], "participants": entry.participants[-2:]})
            for entry in state.tabs.values())})
        data = trimmed.model_dump_json().encode("utf-8")[: limits.STATE_FILE_BYTES]
    path = folder / file_name(state.browser, state.host_pid)
    atomic_write_bytes(path, data, mode=0o600)
    return path


def remove(folder: Path, state: BrowserState) -> None:
    try:
        (folder / file_name(state.browser, state.host_pid)).unlink()
    except FileNotFoundError:
        pass


def host_alive(pid: int, started: float) -> bool:
    """Whether the host that wrote a file still runs (the same process, not a reused pid)."""
    try:
        created: float = psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False
    return abs(created - started) < 1.0


_OWNER = os.getuid() if hasattr(os, "getuid") else None  # POSIX: only this user's hosts' files count


@dataclass
class StateReader:
    """Reads the hosts' files, re-reading one only when it changed; drops files whose host is gone."""

    folder: Path
    _cache: dict[str, tuple[tuple[int, int], StateFile | None]] = field(default_factory=dict)
    _complained: set[str] = field(default_factory=set)

    def read(self) -> list[StateFile]:
        states: list[StateFile] = []
        seen: set[str] = set()
        for entry in self._entries():
            seen.add(entry.name)
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if _OWNER is not None and stat.st_uid != _OWNER:
                # another user's file (a runtime folder in a shared place, such as XDG_RUNTIME_DIR=/tmp):
                # it names that user's own live process, so it would pass for our browser's tabs
                self._complain(Path(entry.path), "owned by another user")
                continue
            key = (stat.st_mtime_ns, stat.st_size)
            cached = self._cache.get(entry.name)
            if cached is None or cached[0] != key:
                cached = (key, self._load(Path(entry.path), stat.st_size, entry.is_file(follow_symlinks=False)))
                self._cache[entry.name] = cached
            state = cached[1]
            if state is None:
                continue
            if not host_alive(state.host_pid, state.host_started):
                self._discard(Path(entry.path))
                continue
            states.append(state)
        for name in [name for name in self._cache if name not in seen]:
            del self._cache[name]
        return states

    def _entries(self) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(self.folder) as found:
                yield from sorted((e for e in found if e.name.endswith(SUFFIX)), key=lambda e: e.name)[:64]
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            return

    def _load(self, path: Path, size: int, regular: bool) -> StateFile | None:
        if not regular or size > limits.STATE_FILE_BYTES:
            self._complain(path, "not a regular file under the size cap")
            return None
        try:
            with open(path, "rb") as handle:
                data = handle.read(limits.STATE_FILE_BYTES + 1)
            return StateFile.model_validate_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as error:
            self._complain(path, type(error).__name__)
            return None

    def _discard(self, path: Path) -> None:
        log.info("Removing %s: the browser host that wrote it is gone", path)
        try:
            path.unlink()
        except OSError:
            pass
        self._cache.pop(path.name, None)

    def _complain(self, path: Path, why: str) -> None:
        if path.name not in self._complained:
            self._complained.add(path.name)
            log.warning("Ignoring the browser state file %s (%s)", path, why)
