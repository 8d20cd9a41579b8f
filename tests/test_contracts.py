"""Every backend of an OS-specific area has the same surface (psutil's tests/test_contracts.py):
the real ones for Linux, Windows and macOS, and the fakes the tests put in place of the Windows
and macOS APIs, which cannot run here. A backend that grows or renames a method, or a fake that
drifts from the real API it stands for, fails here rather than on a user's machine.

Each area has one switch that picks its backend: guard.detect.platform (windows, microphone,
camera, sockets, accessibility), guard.autostart.current_autostart, ui.notifications.choose_notifier.
"""

from __future__ import annotations

import inspect
from typing import Protocol

import pytest

from guard.autostart import Autostart
from guard.autostart.linux_xdg import XdgAutostart
from guard.autostart.macos_launchagent import LaunchAgentAutostart
from guard.autostart.windows_run import RunKeyAutostart, WinregRunKey
from guard.detect.accessibility import AccessibilityReader, Unavailable
from guard.detect.accessibility.atspi import AtSpiReader
from guard.detect.media import MediaLister
from guard.detect.media.linux_pulse import PulseMicrophone
from guard.detect.media.linux_video import ProcVideoDevices
from guard.detect.media.macos_coreaudio import AudioProcessApi, CoreAudioMicrophone, CoreAudioProcesses
from guard.detect.media.win32_consent import ConsentStoreUsage, Registry, WinRegistry
from guard.detect.sockets import UdpSockets, Unsupported
from guard.detect.windows import WindowLister
from guard.detect.platform import DeferredReader
from guard.detect.windows.gnome_shell import GnomeShellWindowLister
from guard.detect.windows.kwin_script import KWinWindowLister
from guard.detect.windows.linux_x11 import X11WindowLister
from guard.detect.windows.macos import CoreGraphicsWindows, MacWindowLister, WindowListApi
from guard.detect.windows.sway_ipc import SwayWindowLister
from guard.detect.windows.wayland import WaylandWindowLister
from guard.detect.windows.win32 import User32, User32Api, Win32WindowLister
from tests.autostart.test_autostart import FakeRunKey
from tests.detect.test_macos_backends import FakeCoreAudio, FakeWindowList
from tests.detect.test_win32_backends import FakeRegistry, FakeUser32


def members(protocol: type) -> dict[str, inspect.Signature | None]:
    """The protocol's methods (with their signatures) and attributes (None)."""
    found: dict[str, inspect.Signature | None] = {}
    for name, value in vars(protocol).items():
        if name.startswith("_"):
            continue
        if callable(value):
            found[name] = inspect.signature(value)
        elif isinstance(value, property):
            found[name] = None
    for name in getattr(protocol, "__annotations__", {}):
        found.setdefault(name, None)
    return found


def parameters(signature: inspect.Signature) -> list[tuple[str, inspect._ParameterKind]]:
    return [(p.name, p.kind) for p in signature.parameters.values() if p.name != "self"]


AREAS: list[tuple[type, list[type]]] = [
    (WindowLister, [X11WindowLister, SwayWindowLister, KWinWindowLister, GnomeShellWindowLister,
                    WaylandWindowLister, Win32WindowLister, MacWindowLister, Unsupported]),
    (MediaLister, [PulseMicrophone, ProcVideoDevices, ConsentStoreUsage, CoreAudioMicrophone, UdpSockets,
                   Unsupported]),
    (AccessibilityReader, [AtSpiReader, Unavailable, DeferredReader]),
    (Autostart, [XdgAutostart, RunKeyAutostart, LaunchAgentAutostart]),
    (User32Api, [User32, FakeUser32]),
    (WindowListApi, [CoreGraphicsWindows, FakeWindowList]),
    (AudioProcessApi, [CoreAudioProcesses, FakeCoreAudio]),
    (Registry, [WinRegistry, FakeRegistry]),
]
CASES = [(protocol, backend) for protocol, backends in AREAS for backend in backends]


@pytest.mark.parametrize("protocol, backend", CASES, ids=[f"{p.__name__}-{b.__name__}" for p, b in CASES])
def test_every_backend_has_the_surface_of_its_area(protocol: type[Protocol], backend: type) -> None:
    for name, signature in members(protocol).items():
        if signature is None:  # an attribute: on the class, or set by __init__
            source = inspect.getsource(backend)
            assert hasattr(backend, name) or f"self.{name} =" in source, f"{backend.__name__} has no {name}"
            continue
        method = getattr(backend, name, None)
        assert callable(method), f"{backend.__name__} has no method {name}()"
        assert parameters(inspect.signature(method)) == parameters(signature), \
            f"{backend.__name__}.{name}{inspect.signature(method)} differs from {protocol.__name__}.{name}{signature}"


@pytest.mark.parametrize("backend", [b for _p, bs in AREAS[:2] for b in bs], ids=lambda b: b.__name__)
def test_a_detection_backend_that_holds_something_open_can_close_it_without_arguments(backend: type) -> None:
    close = getattr(backend, "close", None)
    if close is not None:
        assert parameters(inspect.signature(close)) == []


def test_the_windows_run_key_fake_has_the_real_ones_surface() -> None:
    real = {name for name in vars(WinregRunKey) if not name.startswith("_")}
    fake = {name for name in vars(FakeRunKey) if not name.startswith("_")}
    assert real == fake


def test_every_notification_backend_has_the_same_surface() -> None:
    from ui.notifications.base import Notifier
    from ui.notifications.freedesktop import FreedesktopNotifier
    from ui.notifications.log_only import LogNotifier
    from ui.notifications.tray_balloon import TrayBalloonNotifier

    for backend in (FreedesktopNotifier, TrayBalloonNotifier, LogNotifier):
        assert issubclass(backend, Notifier)
        for name in ("show", "close"):
            assert parameters(inspect.signature(getattr(backend, name))) == \
                parameters(inspect.signature(getattr(Notifier, name))), f"{backend.__name__}.{name}"
        assert isinstance(backend.name, str) and backend.name != Notifier.name
