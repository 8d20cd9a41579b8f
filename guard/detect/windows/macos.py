"""Window titles on macOS: CGWindowListCopyWindowInfo (CoreGraphics), read through ctypes.

:class:`CoreGraphicsWindows` is the only part that calls the OS: it turns the CFArray of
CFDictionaries into plain dicts with the documented keys (kCGWindowOwnerPID,
kCGWindowOwnerName, kCGWindowName, kCGWindowLayer, kCGWindowNumber; see
https://developer.apple.com/documentation/coregraphics/1455137-cgwindowlistcopywindowinfo).
:class:`MacWindowLister` holds the logic and is tested with a fake.

Limit: since macOS 10.15, kCGWindowName of other apps' windows is present only when the user
gave this app the Screen Recording permission; without it no title is readable, and the probe
says so instead of reporting nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any, Protocol

from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo

_ON_SCREEN_ONLY = 1 << 0  # kCGWindowListOptionOnScreenOnly
_EXCLUDE_DESKTOP = 1 << 4  # kCGWindowListExcludeDesktopElements
_NULL_WINDOW = 0  # kCGNullWindowID
_UTF8 = 0x08000100  # kCFStringEncodingUTF8
_SINT64 = 4  # kCFNumberSInt64Type
_KEYS = ("kCGWindowOwnerPID", "kCGWindowOwnerName", "kCGWindowName", "kCGWindowLayer", "kCGWindowNumber")

SCREEN_RECORDING_HINT = ("macOS shows other apps' window titles only with the Screen Recording permission: "
                         "System Settings → Privacy & Security → Screen Recording")


class WindowListApi(Protocol):
    def window_list(self) -> list[dict[str, Any]]: ...


class CoreGraphicsWindows:
    """CGWindowListCopyWindowInfo through ctypes (macOS only)."""

    def __init__(self) -> None:
        cg_path = ctypes.util.find_library("CoreGraphics") or ctypes.util.find_library("ApplicationServices")
        cf_path = ctypes.util.find_library("CoreFoundation")
        if not cg_path or not cf_path:
            raise OSError("CoreGraphics or CoreFoundation not found")
        self._cg = cg = ctypes.cdll.LoadLibrary(cg_path)
        self._cf = cf = ctypes.cdll.LoadLibrary(cf_path)
        cg.CGWindowListCopyWindowInfo.restype = ctypes.c_void_p
        cg.CGWindowListCopyWindowInfo.argtypes = [ctypes.c_uint32, ctypes.c_uint32]
        cf.CFArrayGetCount.restype = ctypes.c_long
        cf.CFArrayGetCount.argtypes = [ctypes.c_void_p]
        cf.CFArrayGetValueAtIndex.restype = ctypes.c_void_p
        cf.CFArrayGetValueAtIndex.argtypes = [ctypes.c_void_p, ctypes.c_long]
        cf.CFDictionaryGetValue.restype = ctypes.c_void_p
        cf.CFDictionaryGetValue.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        cf.CFStringGetCString.restype = ctypes.c_bool
        cf.CFStringGetCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_long, ctypes.c_uint32]
        cf.CFStringGetLength.restype = ctypes.c_long
        cf.CFStringGetLength.argtypes = [ctypes.c_void_p]
        cf.CFNumberGetValue.restype = ctypes.c_bool
        cf.CFNumberGetValue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        cf.CFGetTypeID.restype = ctypes.c_ulong
        cf.CFGetTypeID.argtypes = [ctypes.c_void_p]
        cf.CFStringGetTypeID.restype = ctypes.c_ulong
        cf.CFNumberGetTypeID.restype = ctypes.c_ulong
        cf.CFRelease.argtypes = [ctypes.c_void_p]
        self._keys = {key: ctypes.c_void_p.in_dll(cg, key).value for key in _KEYS}

    def window_list(self) -> list[dict[str, Any]]:
        array = self._cg.CGWindowListCopyWindowInfo(_ON_SCREEN_ONLY | _EXCLUDE_DESKTOP, _NULL_WINDOW)
        if not array:
            raise OSError("CGWindowListCopyWindowInfo returned nothing")
        try:
            return [self._entry(self._cf.CFArrayGetValueAtIndex(array, index))
                    for index in range(self._cf.CFArrayGetCount(array))]
        finally:
            self._cf.CFRelease(array)

    def _entry(self, dictionary: int) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        for key, cf_key in self._keys.items():
            value = self._cf.CFDictionaryGetValue(dictionary, cf_key)
            if value:
                entry[key] = self._python(value)
        return entry

    def _python(self, value: int) -> Any:
        type_id = self._cf.CFGetTypeID(value)
        if type_id == self._cf.CFStringGetTypeID():
            size = self._cf.CFStringGetLength(value) * 4 + 1
            buffer = ctypes.create_string_buffer(size)
            return buffer.value.decode("utf-8") if self._cf.CFStringGetCString(value, buffer, size, _UTF8) else ""
        if type_id == self._cf.CFNumberGetTypeID():
            number = ctypes.c_int64(0)
            self._cf.CFNumberGetValue(value, _SINT64, ctypes.byref(number))
            return number.value
        return None


class MacWindowLister:
    name = "macos-cgwindowlist"

    def __init__(self, api: WindowListApi | None = None, own_pid: int | None = None) -> None:
        self._api = api
        self._own_pid = os.getpid() if own_pid is None else own_pid

    def windows(self) -> list[WindowInfo]:
        api = self._api
        if api is None:
            try:
                api = self._api = CoreGraphicsWindows()
            except (OSError, AttributeError, ValueError) as error:
                raise ProbeUnavailable(f"cannot load CoreGraphics: {error}") from None
        try:
            entries = api.window_list()
        except OSError as error:
            raise ProbeUnavailable(f"CGWindowListCopyWindowInfo failed: {error}") from None
        normal = [entry for entry in entries if entry.get("kCGWindowLayer", 0) == 0]
        found = [WindowInfo(title=str(entry["kCGWindowName"]), pid=entry.get("kCGWindowOwnerPID"),
                            window_id=int(entry.get("kCGWindowNumber", 0)))
                 for entry in normal if entry.get("kCGWindowName")]
        others = [entry for entry in normal if entry.get("kCGWindowOwnerPID") != self._own_pid]
        if others and not any("kCGWindowName" in entry for entry in others):
            raise ProbeUnavailable(SCREEN_RECORDING_HINT)
        return found
