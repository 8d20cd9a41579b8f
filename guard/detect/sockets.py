"""UDP sockets of a client process (psutil): media streams usually travel over UDP.

Supporting evidence only: many apps keep UDP sockets open outside calls, so this never
starts a meeting on its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import psutil

from guard.detect.media import MediaUse
from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo
from guard.i18n import N_, Text


class UdpSockets:
    name = "psutil-udp"

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]:
        uses: list[MediaUse] = []
        denied = 0
        for pid, name in candidates.items():
            try:
                connections = psutil.Process(pid).net_connections(kind="udp")
            except psutil.AccessDenied:
                denied += 1
                continue
            except psutil.Error:
                continue
            remote = sorted({f"{c.raddr.ip}:{c.raddr.port}" for c in connections if c.raddr})
            if connections:
                if remote:
                    said = Text.of(N_("{name} (pid {pid}) has {count} UDP socket(s) open, talking to {remotes}"),
                                   name=name, pid=pid, count=len(connections), remotes=", ".join(remote[:3]))
                else:
                    said = Text.of(N_("{name} (pid {pid}) has {count} UDP socket(s) open"), name=name, pid=pid,
                                   count=len(connections))
                uses.append(MediaUse(pid=pid, app=name, detail=str(said), said=said))
        if denied and denied == len(candidates):
            raise ProbeUnavailable("the operating system does not let this user read the clients' sockets")
        return uses


class Unsupported:
    """A backend that does not exist on this OS; it says why whenever it is asked."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]:
        raise ProbeUnavailable(self.reason)

    def windows(self) -> list[WindowInfo]:  # same shape as a WindowLister
        raise ProbeUnavailable(self.reason)
