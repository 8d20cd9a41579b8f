"""The Windows registry values that point a browser at a host manifest, behind one small interface.

On Windows a browser finds a native messaging host through a registry key under
HKEY_CURRENT_USER whose default value is the manifest file's path (guard/browser/browsers.py has
the keys and their sources). :class:`WindowsRegistry` is the real thing (``winreg``); it cannot
run here, so :class:`FakeRegistry` keeps the same three operations in a dictionary for tests and
for running the installer's Windows logic on Linux. A contract test checks both have the same surface.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol


class Registry(Protocol):
    """The default value of keys under HKEY_CURRENT_USER."""

    name: str

    def read_default(self, key: str) -> str | None:
        """The key's default value, or None when the key (or the value) does not exist."""

    def write_default(self, key: str, value: str) -> None:
        """Create the key if needed and set its default value."""

    def delete_key(self, key: str) -> None:
        """Remove the key (and nothing above it); no error when it does not exist."""


def _winreg() -> Any:
    """The standard library's ``winreg`` (typed loosely: its stubs exist only on Windows)."""
    return importlib.import_module("winreg")


class WindowsRegistry:
    """HKEY_CURRENT_USER through ``winreg`` (Windows only)."""

    name = "winreg"

    def read_default(self, key: str) -> str | None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                value, _kind = winreg.QueryValueEx(handle, "")
        except OSError:
            return None
        return value if isinstance(value, str) else None

    def write_default(self, key: str, value: str) -> None:
        winreg = _winreg()

        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_WRITE) as handle:
            winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)

    def delete_key(self, key: str) -> None:
        winreg = _winreg()

        try:
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
        except FileNotFoundError:
            pass


class FakeRegistry:
    """The same operations on a dictionary (keys compare case-insensitively, as the registry's do)."""

    name = "fake"

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def read_default(self, key: str) -> str | None:
        return self.values.get(key.casefold())

    def write_default(self, key: str, value: str) -> None:
        self.values[key.casefold()] = value

    def delete_key(self, key: str) -> None:
        self.values.pop(key.casefold(), None)
