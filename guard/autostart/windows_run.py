"""Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.

The registry is reached through :class:`RunKey` so tests can give a fake in place of winreg.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import NoReturn, Protocol, TypeVar

from guard import APP_NAME
from guard.autostart import AutostartError

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = APP_NAME  # the name the Inno Setup installer writes too

T = TypeVar("T")


class RunKey(Protocol):
    """The HKCU Run key: string values by name."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


def _windows_only() -> NoReturn:
    """winreg exists only on Windows; elsewhere the real key is a mistake, said clearly."""
    raise AutostartError("The Windows Run key can only be changed on Windows.")


class WinregRunKey:
    """The real key, through the standard library's winreg (Windows only)."""

    def get(self, name: str) -> str | None:
        if sys.platform != "win32":
            _windows_only()
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
                return str(value)
        except FileNotFoundError:
            return None

    def set(self, name: str, value: str) -> None:
        if sys.platform != "win32":
            _windows_only()
        import winreg

        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        if sys.platform != "win32":
            _windows_only()
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


class RunKeyAutostart:
    def __init__(self, key: RunKey) -> None:
        self.key = key

    @property
    def location(self) -> str:
        return rf"HKEY_CURRENT_USER\{RUN_KEY}\{VALUE_NAME}"

    def is_enabled(self) -> bool:
        return bool(self._call(self.key.get, VALUE_NAME))

    def enable(self, command: list[str]) -> None:
        self._call(self.key.set, VALUE_NAME, subprocess.list2cmdline(command))

    def disable(self) -> None:
        self._call(self.key.delete, VALUE_NAME)

    def _call(self, method: Callable[..., T], *args: str) -> T:
        try:
            return method(*args)
        except OSError as error:
            raise AutostartError(f"Cannot change {self.location}: {error}") from error
