"""The process table, read cheaply with psutil.

Every tick lists the pids (one directory read on Linux). Names are read only for pids that
are new, pids that are still young (a launcher script may ``exec`` the real client just
after it starts), and a rotating 1/``refresh_ticks`` slice of the rest, so a process that
changes its name later is noticed within ``refresh_ticks`` ticks. Command lines, executables
and parents are read only for the candidates the caller asks about, cached by
(pid, create time) so a reused pid is never mistaken for the old process.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

import psutil

log = logging.getLogger(__name__)


@dataclass
class ProcessEntry:
    pid: int
    name: str
    create_time: float
    first_seen_tick: int
    process: psutil.Process | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ProcessDetail:
    """What is read only for candidates: the command line, the executable's name, the parent."""

    cmdline: tuple[str, ...]
    exe_name: str
    ppid: int | None


class ProcessTable:
    """pid → name for every process, kept up to date at a small cost per tick."""

    def __init__(self, young_ticks: int = 2, refresh_ticks: int = 30) -> None:
        self.young_ticks = young_ticks
        self.refresh_ticks = max(1, refresh_ticks)
        self.tick = 0
        self.entries: dict[int, ProcessEntry] = {}
        self._details: dict[tuple[int, float], ProcessDetail] = {}
        self._own_pid = os.getpid()

    def refresh(self) -> dict[int, ProcessEntry]:
        """Bring the table up to date and return it (pid → entry). This process is left out."""
        self.tick += 1
        pids = psutil.pids()
        alive = set(pids)
        for pid in [pid for pid in self.entries if pid not in alive]:
            del self.entries[pid]
        if len(self._details) > 2 * len(self.entries) + 64:
            self._details = {key: value for key, value in self._details.items()
                             if key[0] in self.entries and self.entries[key[0]].create_time == key[1]}
        slot = self.tick % self.refresh_ticks
        # What already runs at the first pass is not "young": only later arrivals may still exec.
        seen_tick = self.tick if self.tick > 1 else -self.young_ticks
        for pid in pids:
            if pid == self._own_pid:
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
                    cmdline = tuple(proc.cmdline())
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
            exe_name = os.path.basename(cmdline[0])
        detail = ProcessDetail(cmdline, exe_name, ppid)
        self._details[key] = detail
        return detail
