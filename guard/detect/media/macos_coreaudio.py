"""Microphone users on macOS: CoreAudio's process objects (public since macOS 14.2).

``kAudioHardwarePropertyProcessObjectList`` ('prs#') on the system object lists the processes
that use audio; for each, ``kAudioProcessPropertyPID`` ('ppid') gives its pid and
``kAudioProcessPropertyIsRunningInput`` ('piri') whether it is capturing input now
(https://developer.apple.com/documentation/coreaudio/kaudiohardwarepropertyprocessobjectlist).
Reading them needs no permission. Older macOS has no public per-process answer: the probe
then says it is unavailable.

The camera has no public per-process API on macOS (CoreMediaIO only tells that *some* process
uses a camera), so there is no camera backend for macOS.

:class:`CoreAudioProcesses` is the only OS call layer; tests use a fake.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Mapping
from typing import Protocol

from guard.detect.media import MediaUse
from guard.detect.observation import ProbeUnavailable

CAMERA_UNAVAILABLE = ("macOS has no public API that tells which process uses the camera; "
                      "the microphone and window titles are used instead")


def fourcc(code: str) -> int:
    return int.from_bytes(code.encode("ascii"), "big")


SYSTEM_OBJECT = 1  # kAudioObjectSystemObject
SCOPE_GLOBAL = fourcc("glob")  # kAudioObjectPropertyScopeGlobal
ELEMENT_MAIN = 0  # kAudioObjectPropertyElementMain
PROCESS_OBJECT_LIST = fourcc("prs#")
PROCESS_PID = fourcc("ppid")
PROCESS_IS_RUNNING_INPUT = fourcc("piri")


class AudioProcessApi(Protocol):
    def process_objects(self) -> list[int]: ...
    def pid(self, process_object: int) -> int: ...
    def is_running_input(self, process_object: int) -> bool: ...


class _Address(ctypes.Structure):
    _fields_ = [("mSelector", ctypes.c_uint32), ("mScope", ctypes.c_uint32), ("mElement", ctypes.c_uint32)]


class CoreAudioProcesses:
    """AudioObjectGetPropertyData through ctypes (macOS 14.2 or later)."""

    def __init__(self) -> None:
        path = ctypes.util.find_library("CoreAudio")
        if not path:
            raise OSError("CoreAudio not found")
        self._ca = ca = ctypes.cdll.LoadLibrary(path)
        ca.AudioObjectGetPropertyDataSize.restype = ctypes.c_int32
        ca.AudioObjectGetPropertyDataSize.argtypes = [
            ctypes.c_uint32, ctypes.POINTER(_Address), ctypes.c_uint32, ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_uint32)]
        ca.AudioObjectGetPropertyData.restype = ctypes.c_int32
        ca.AudioObjectGetPropertyData.argtypes = [
            ctypes.c_uint32, ctypes.POINTER(_Address), ctypes.c_uint32, ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_uint32), ctypes.c_void_p]

    def process_objects(self) -> list[int]:
        address = _Address(PROCESS_OBJECT_LIST, SCOPE_GLOBAL, ELEMENT_MAIN)
        size = ctypes.c_uint32(0)
        status = self._ca.AudioObjectGetPropertyDataSize(SYSTEM_OBJECT, ctypes.byref(address), 0, None,
                                                         ctypes.byref(size))
        if status != 0:
            raise OSError(status, "kAudioHardwarePropertyProcessObjectList is not supported (macOS 14.2 or later)")
        count = size.value // ctypes.sizeof(ctypes.c_uint32)
        objects = (ctypes.c_uint32 * max(count, 1))()
        status = self._ca.AudioObjectGetPropertyData(SYSTEM_OBJECT, ctypes.byref(address), 0, None,
                                                     ctypes.byref(size), objects)
        if status != 0:
            raise OSError(status, "reading the audio process list failed")
        return list(objects)[: size.value // ctypes.sizeof(ctypes.c_uint32)]

    def _value(self, process_object: int, selector: int, kind: type[ctypes._SimpleCData[int]]) -> int:
        address = _Address(selector, SCOPE_GLOBAL, ELEMENT_MAIN)
        value = kind(0)
        size = ctypes.c_uint32(ctypes.sizeof(value))
        status = self._ca.AudioObjectGetPropertyData(process_object, ctypes.byref(address), 0, None,
                                                     ctypes.byref(size), ctypes.byref(value))
        if status != 0:
            raise OSError(status, "reading an audio process property failed")
        return int(value.value)

    def pid(self, process_object: int) -> int:
        return self._value(process_object, PROCESS_PID, ctypes.c_int32)

    def is_running_input(self, process_object: int) -> bool:
        return bool(self._value(process_object, PROCESS_IS_RUNNING_INPUT, ctypes.c_uint32))


class CoreAudioMicrophone:
    name = "coreaudio-process-objects"

    def __init__(self, api: AudioProcessApi | None = None) -> None:
        self._api = api

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]:
        api = self._api
        if api is None:
            try:
                api = self._api = CoreAudioProcesses()
            except (OSError, AttributeError) as error:
                raise ProbeUnavailable(f"cannot load CoreAudio: {error}") from None
        try:
            objects = api.process_objects()
        except OSError as error:
            raise ProbeUnavailable(f"this macOS cannot tell which process uses the microphone ({error})") from None
        uses: list[MediaUse] = []
        for process_object in objects:
            try:
                if not api.is_running_input(process_object):
                    continue
                pid = api.pid(process_object)
            except OSError:
                continue  # the process went away between the list and the query
            name = candidates.get(pid, "")
            uses.append(MediaUse(pid=pid, app=name,
                                 detail=f"{name or 'a process'} (pid {pid}) is capturing audio input (CoreAudio)"))
        return uses
