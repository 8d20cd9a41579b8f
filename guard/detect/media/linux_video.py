"""Camera users on Linux: which candidate processes hold a /dev/video* device open.

Only the candidates' /proc/<pid>/fd are read, and only when a video device exists at all.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping

from guard.detect.media import MediaUse
from guard.i18n import N_, Text


class ProcVideoDevices:
    name = "proc-fd-video"

    def __init__(self, device_prefix: str = "/dev/video", proc_root: str = "/proc") -> None:
        self._prefix = device_prefix
        self._proc = proc_root

    def has_devices(self) -> bool:
        return bool(glob.glob(glob.escape(self._prefix) + "*"))

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]:
        if not self.has_devices():
            return []
        uses: list[MediaUse] = []
        for pid, name in candidates.items():
            device = self._open_device(pid)
            if device is not None:
                said = Text.of(N_("{name} (pid {pid}) has the camera {device} open"), name=name, pid=pid,
                               device=str(device))
                uses.append(MediaUse(pid=pid, app=name, detail=str(said), said=said))
        return uses

    def _open_device(self, pid: int) -> str | None:
        folder = f"{self._proc}/{pid}/fd"
        try:
            fds = os.listdir(folder)
        except OSError:  # gone, or not ours to read
            return None
        for fd in fds:
            try:
                target = os.readlink(f"{folder}/{fd}")
            except OSError:
                continue
            if target.startswith(self._prefix):
                return target
        return None
