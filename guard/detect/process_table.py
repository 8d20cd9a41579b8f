"""The process table, read cheaply with psutil.

Every tick lists the pids (one directory read on Linux). Names are read only for pids that
are new, pids that are still young (a launcher script may ``exec`` the real client just
after it starts), and a rotating 1/``refresh_ticks`` slice of the rest, so a process that
changes its name later is noticed within ``refresh_ticks`` ticks. Command lines, executables
and parents are read only for the candidates the caller asks about, cached by
(pid, create time) so a reused pid is never mistaken for the old process (an empty command
line, as read in the middle of an ``exec``, is read again next time).

Only this user's processes count (on POSIX, by real user id): on a shared computer another
account's client, meeting-only process or browser started with a meeting link is that person's
meeting, not this user's, and anyone can start a process named like a client with any link on its
command line. Such a process is looked at again only with the rotating slice (its pid may be reused).

A command line is read bounded: at most :data:`CMDLINE_BYTES` of it, and only
:data:`ARGS_KEPT` arguments (the first and the last ones, where programs put their links)
of at most :data:`ARG_CHARS` characters each are kept, whatever a process was started with.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import psutil

log = logging.getLogger(__name__)

CMDLINE_BYTES = 2 * 1024 * 1024  # of one command line read at most (Linux's usual ARG_MAX)
ARG_CHARS = 4096  # of one argument kept
ARGS_HEAD, ARGS_TAIL = 48, 16  # arguments kept: the first 48 and the last 16
ARGS_KEPT = ARGS_HEAD + ARGS_TAIL
_CHUNK = 64 * 1024


def cap_args(args: Iterable[str]) -> tuple[str, ...]:
    """A command line cut to its first and last arguments, each cut to :data:`ARG_CHARS`."""
    head: list[str] = []
    tail: deque[str] = deque(maxlen=ARGS_TAIL)
    for arg in args:
        if len(head) < ARGS_HEAD:
            head.append(arg[:ARG_CHARS])
        else:
            tail.append(arg[:ARG_CHARS])
    return (*head, *tail)


def _psutil_cmdline(proc: psutil.Process) -> tuple[str, ...]:
    return cap_args(proc.cmdline())


def _linux_cmdline(proc: psutil.Process) -> tuple[str, ...]:
    """/proc/PID/cmdline streamed in chunks: only :data:`ARG_CHARS` of each argument are kept in
    memory and at most :data:`CMDLINE_BYTES` are read, where psutil would hold all of it."""
    try:
        handle = open(f"/proc/{proc.pid}/cmdline", "rb")  # noqa: SIM115 - closed below
    except PermissionError:
        raise psutil.AccessDenied(proc.pid) from None
    except (FileNotFoundError, ProcessLookupError):
        raise psutil.NoSuchProcess(proc.pid) from None
    parts: list[bytes] = []  # finished arguments, each cut to ARG_CHARS bytes (chars after decoding)
    current = bytearray()  # the argument being read, cut too
    seen = 0
    with handle:
        while seen < CMDLINE_BYTES:
            try:
                chunk = handle.read(min(_CHUNK, CMDLINE_BYTES - seen))
            except ProcessLookupError:  # the process ended between open and read (ESRCH), as processes do
                raise psutil.NoSuchProcess(proc.pid) from None
            if not chunk:
                break
            seen += len(chunk)
            pieces = chunk.split(b"\0")
            for piece in pieces[:-1]:
                if len(current) < 4 * ARG_CHARS:
                    current += piece[: 4 * ARG_CHARS - len(current)]
                parts.append(bytes(current))
                current = bytearray()
            if len(current) < 4 * ARG_CHARS:
                current += pieces[-1][: 4 * ARG_CHARS - len(current)]
            if len(parts) > 4 * ARGS_KEPT:  # keep memory bounded: only the first and last ones matter
                parts = [*parts[:ARGS_HEAD], *parts[-ARGS_TAIL:]]
    if current:
        parts.append(bytes(current))
    if len(parts) == 1 and b" " in parts[0]:
        parts = parts[0].split(b" ")  # a process that rewrote its title into one string (as psutil does)
    return cap_args(os.fsdecode(part) for part in parts)


def _posix_ours(proc: psutil.Process) -> bool:
    return bool(proc.uids().real == os.getuid())


def _windows_ours(proc: psutil.Process) -> bool:
    return True  # not checked: another session's processes are rarely readable there (a known gap)


# The OS switches of this module: how a command line is read, and whether a process is this user's.
read_cmdline: Callable[[psutil.Process], tuple[str, ...]] = _linux_cmdline if sys.platform.startswith("linux") \
    else _psutil_cmdline
is_ours: Callable[[psutil.Process], bool] = _windows_ours if sys.platform == "win32" else _posix_ours


@dataclass
class ProcessEntry:
    pid: int
    name: str
    create_time: float
    first_seen_tick: int
    process: psutil.Process | None = field(default=None, repr=False, compare=False)


class ProcessDetail(NamedTuple):
    """What is read only for candidates: the command line, the executable's name, the parent.

    An empty command line is not kept: Linux shows none for a moment during ``exec`` (the
    process already has its new name, its arguments are not set up yet), which a tick that
    comes just as a browser or client starts would otherwise remember for good.

    (A NamedTuple: see :class:`guard.detect.matching.ProcessMatch`.)"""

    cmdline: tuple[str, ...]
    exe_name: str
    ppid: int | None


class ProcessTable:
    """pid → name for every process, kept up to date at a small cost per tick."""

    def __init__(self, young_ticks: int = 2, refresh_ticks: int = 30,
                 pids: Callable[[], list[int]] = psutil.pids) -> None:
        self.young_ticks = young_ticks
        self._pids = pids  # which processes make the world: all of them, or (benchmarks, tests) a chosen few
        self.refresh_ticks = max(1, refresh_ticks)
        self.tick = 0
        self.entries: dict[int, ProcessEntry] = {}
        self._details: dict[tuple[int, float], ProcessDetail] = {}
        self._own_pid = os.getpid()
        self._others: set[int] = set()  # pids of another user's processes (not read again each tick)

    def refresh(self) -> dict[int, ProcessEntry]:
        """Bring the table up to date and return it (pid → entry). This process is left out."""
        self.tick += 1
        pids = self._pids()
        alive = set(pids)
        for pid in [pid for pid in self.entries if pid not in alive]:
            del self.entries[pid]
        self._others &= alive
        if len(self._details) > 2 * len(self.entries) + 64:
            self._details = {key: value for key, value in self._details.items()
                             if key[0] in self.entries and self.entries[key[0]].create_time == key[1]}
        slot = self.tick % self.refresh_ticks
        # What already runs at the first pass is not "young": only later arrivals may still exec.
        seen_tick = self.tick if self.tick > 1 else -self.young_ticks
        for pid in pids:
            if pid == self._own_pid:
                continue
            if pid in self._others:
                if pid % self.refresh_ticks == slot:  # the pid may have been reused by one of ours
                    self._others.discard(pid)
                    self._read_new(pid, self.tick)
                continue
            entry = self.entries.get(pid)
            if entry is None:
                self._read_new(pid, seen_tick)
            elif self.tick - entry.first_seen_tick < self.young_ticks or pid % self.refresh_ticks == slot:
                self._reread_name(entry)
        return self.entries

    def _read_new(self, pid: int, first_seen_tick: int) -> None:
        try:
            proc = psutil.Process(pid)
            with proc.oneshot():
                if not is_ours(proc):
                    self.entries.pop(pid, None)
                    self._others.add(pid)
                    return
                create_time = proc.create_time()
                name = proc.name()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            self.entries.pop(pid, None)
            return
        except psutil.Error as error:  # access denied: try again next tick
            log.debug("Cannot read process %s: %s", pid, error)
            return
        self.entries[pid] = ProcessEntry(pid, name, create_time, first_seen_tick, proc)

    def _reread_name(self, entry: ProcessEntry) -> None:
        """The name again (cheap); a changed name is checked for a new process behind the same pid."""
        try:
            name = entry.process.name() if entry.process is not None else entry.name
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            self.entries.pop(entry.pid, None)
            return
        except psutil.Error:
            return
        if name != entry.name:
            self._read_new(entry.pid, self.tick)
            known = self.entries.get(entry.pid)
            if known is not None and known.create_time == entry.create_time:
                known.first_seen_tick = entry.first_seen_tick  # same process, it exec'd: keep its age

    def detail(self, entry: ProcessEntry) -> ProcessDetail:
        """Command line, executable name and parent of a candidate, read once per process."""
        key = (entry.pid, entry.create_time)
        cached = self._details.get(key)
        if cached is not None:
            return cached
        cmdline: tuple[str, ...] = ()
        exe_name = ""
        ppid: int | None = None
        try:
            proc = psutil.Process(entry.pid)
            with proc.oneshot():
                try:
                    cmdline = read_cmdline(proc)
                except psutil.AccessDenied:
                    pass
                try:
                    exe_name = os.path.basename(proc.exe())
                except (psutil.AccessDenied, OSError):
                    pass
                ppid = proc.ppid()
        except psutil.Error as error:
            log.debug("Cannot read details of process %s: %s", entry.pid, error)
        if not exe_name and cmdline:
            exe_name = os.path.basename(cmdline[0])[:255]
        detail = ProcessDetail(cmdline, exe_name, ppid)
        if cmdline:  # read empty: in the middle of an exec (see ProcessDetail), so read again next time
            self._details[key] = detail
        return detail
