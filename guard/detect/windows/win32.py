"""Window titles on Windows: EnumWindows, IsWindowVisible, GetWindowTextW, GetWindowThreadProcessId.

:class:`User32` is the only part that calls the OS (ctypes on user32.dll, as documented at
https://learn.microsoft.com/windows/win32/api/winuser/); :class:`Win32WindowLister` holds the
logic and is tested with a fake ``User32``.
"""

from __future__ import annotations

from typing import Protocol

from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo


class User32Api(Protocol):
    def top_level_windows(self) -> list[int]: ...
    def is_visible(self, hwnd: int) -> bool: ...
    def title(self, hwnd: int) -> str: ...
    def owner_pid(self, hwnd: int) -> int | None: ...
    def foreground_window(self) -> int: ...


class User32:
    """The documented user32 calls through ctypes (Windows only)."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        self._ctypes = ctypes
        self._user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        self._enum_proc = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)  # type: ignore[attr-defined]
        self._user32.EnumWindows.argtypes = [self._enum_proc, wintypes.LPARAM]
        self._user32.EnumWindows.restype = wintypes.BOOL
        self._user32.IsWindowVisible.argtypes = [wintypes.HWND]
        self._user32.IsWindowVisible.restype = wintypes.BOOL
        self._user32.GetWindowTextLengthW.argtypes = [wintypes.HWND]
        self._user32.GetWindowTextLengthW.restype = ctypes.c_int
        self._user32.GetWindowTextW.argtypes = [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int]
        self._user32.GetWindowTextW.restype = ctypes.c_int
        self._user32.GetWindowThreadProcessId.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
        self._user32.GetWindowThreadProcessId.restype = wintypes.DWORD
        self._user32.GetForegroundWindow.argtypes = []
        self._user32.GetForegroundWindow.restype = wintypes.HWND
        self._wintypes = wintypes

    def top_level_windows(self) -> list[int]:
        handles: list[int] = []

        def collect(hwnd: int, _lparam: int) -> bool:
            handles.append(int(hwnd or 0))
            return True

        if not self._user32.EnumWindows(self._enum_proc(collect), 0):
            raise OSError(self._ctypes.get_last_error(), "EnumWindows failed")  # type: ignore[attr-defined]
        return handles

    def is_visible(self, hwnd: int) -> bool:
        return bool(self._user32.IsWindowVisible(hwnd))

    def title(self, hwnd: int) -> str:
        length = self._user32.GetWindowTextLengthW(hwnd)
        if length <= 0:
            return ""
        buffer = self._ctypes.create_unicode_buffer(length + 1)
        self._user32.GetWindowTextW(hwnd, buffer, length + 1)
        return buffer.value

    def owner_pid(self, hwnd: int) -> int | None:
        pid = self._wintypes.DWORD(0)
        self._user32.GetWindowThreadProcessId(hwnd, self._ctypes.byref(pid))
        return int(pid.value) or None

    def foreground_window(self) -> int:
        """The window the user works in (GetForegroundWindow); 0 when none has the focus."""
        return int(self._user32.GetForegroundWindow() or 0)


class Win32WindowLister:
    name = "win32-enumwindows"

    def __init__(self, api: User32Api | None = None) -> None:
        self._api = api

    def windows(self) -> list[WindowInfo]:
        api = self._api
        if api is None:
            try:
                api = self._api = User32()
            except (OSError, AttributeError) as error:
                raise ProbeUnavailable(f"cannot load user32.dll: {error}") from None
        try:
            handles = api.top_level_windows()
        except OSError as error:
            raise ProbeUnavailable(f"EnumWindows failed: {error}") from None
        try:
            active = api.foreground_window()
        except OSError:
            active = 0  # no window known to have the focus: nothing is taken for one the extension sees
        found: list[WindowInfo] = []
        for hwnd in handles:
            if not api.is_visible(hwnd):
                continue
            title = api.title(hwnd)
            if title:
                found.append(WindowInfo(title=title, pid=api.owner_pid(hwnd), window_id=hwnd, active=hwnd == active))
        return found
