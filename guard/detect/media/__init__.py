"""Which processes hold the microphone or the camera, one backend per OS behind :class:`MediaLister`.

Backends: Linux :mod:`.linux_pulse` (PulseAudio/PipeWire source outputs) and
:mod:`.linux_video` (open /dev/video* handles); Windows :mod:`.win32_consent` (the
CapabilityAccessManager ConsentStore); macOS :mod:`.macos_coreaudio` (CoreAudio process
objects, microphone only). :mod:`guard.detect.platform` picks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from guard.i18n import Text


@dataclass(frozen=True)
class MediaUse:
    """One process (or app, when the OS names no pid) using a device.

    ``app`` is a process or executable name to match when ``pid`` is unknown; ``detail`` says
    what the OS reported, for the evidence.
    """

    pid: int | None
    app: str
    detail: str
    said: Text | None = field(default=None, compare=False)  # ``detail``, translatable (guard.i18n)


class MediaLister(Protocol):
    """Reports device users among ``candidates`` (pid → process name); raises ProbeUnavailable."""

    name: str

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]: ...
