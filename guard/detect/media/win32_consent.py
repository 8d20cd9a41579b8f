"""Microphone and camera users on Windows: the CapabilityAccessManager ConsentStore in the registry.

Windows records, per app, when it last started and stopped using a capability under
``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore\\
<microphone|webcam>``: packaged (Store) apps by package family name, desktop apps under
``NonPackaged`` by executable path with ``#`` for ``\\``. ``LastUsedTimeStop == 0`` with a
start time set means the app is using it now. The registry names apps, not pids, so uses are
matched to processes by executable name (packaged apps by their package name, letters only).

:class:`WinRegistry` is the only OS call layer (winreg); tests use a fake :class:`Registry`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Literal, Protocol

from guard.detect.media import MediaUse
from guard.detect.observation import ProbeUnavailable

CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
Capability = Literal["microphone", "webcam"]


class Registry(Protocol):
    """Reads under HKEY_CURRENT_USER. Missing keys raise FileNotFoundError, like winreg."""

    def subkeys(self, path: str) -> list[str]: ...
    def qword(self, path: str, name: str) -> int | None: ...


class WinRegistry:
    """HKEY_CURRENT_USER through winreg (Windows only)."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise ImportError("winreg exists only on Windows")

    def subkeys(self, path: str) -> list[str]:
        if sys.platform != "win32":
            raise ImportError("winreg exists only on Windows")
        import winreg

        names: list[str] = []
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
            count = winreg.QueryInfoKey(key)[0]
            for index in range(count):
                names.append(winreg.EnumKey(key, index))
        return names

    def qword(self, path: str, name: str) -> int | None:
        if sys.platform != "win32":
            raise ImportError("winreg exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return int(value) if isinstance(value, int) else None


class ConsentStoreUsage:
    """Apps using the microphone or webcam right now, per the ConsentStore."""

    def __init__(self, capability: Capability, registry: Registry | None = None) -> None:
        self.capability = capability
        self.name = f"consentstore-{capability}"
        self._registry = registry

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]:
        registry = self._registry
        if registry is None:
            try:
                registry = self._registry = WinRegistry()
            except ImportError as error:
                raise ProbeUnavailable(f"the Windows registry is not readable here ({error})") from None
        base = f"{CONSENT_STORE}\\{self.capability}"
        device = "microphone" if self.capability == "microphone" else "camera"
        try:
            apps = registry.subkeys(base)
        except FileNotFoundError:
            raise ProbeUnavailable(f"Windows keeps no {device} usage record here (no ConsentStore key); "
                                   "Windows 10 1903 or later records it") from None
        except OSError as error:
            raise ProbeUnavailable(f"cannot read the ConsentStore: {error}") from None
        uses: list[MediaUse] = []
        for app in apps:
            if app == "NonPackaged":
                try:
                    programs = registry.subkeys(f"{base}\\NonPackaged")
                except OSError:
                    continue
                for program in programs:
                    if self._in_use(registry, f"{base}\\NonPackaged\\{program}"):
                        path = program.replace("#", "\\")
                        exe = path.rsplit("\\", 1)[-1]
                        uses.append(MediaUse(pid=None, app=exe, detail=f"{path} is using the {device} (ConsentStore)"))
            elif self._in_use(registry, f"{base}\\{app}"):
                uses.append(MediaUse(pid=None, app=app,
                                     detail=f"the packaged app {app} is using the {device} (ConsentStore)"))
        return uses

    @staticmethod
    def _in_use(registry: Registry, path: str) -> bool:
        try:
            start = registry.qword(path, "LastUsedTimeStart")
            stop = registry.qword(path, "LastUsedTimeStop")
        except OSError:
            return False
        return stop == 0 and bool(start)
