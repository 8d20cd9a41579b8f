"""Microphone users on Linux: PulseAudio (or PipeWire's pulse server) source outputs, via ``pactl``.

A source output is a recording stream; its ``application.process.id`` names the process.
Streams that record a *monitor* source (what the speakers play, e.g. a screen recorder) are not
microphone use and are left out. A paused (corked) stream still holds the microphone: a muted
participant is still in the call.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from guard.detect.media import MediaUse
from guard.detect.observation import ProbeUnavailable

log = logging.getLogger(__name__)


class PulseMicrophone:
    name = "pulseaudio-source-outputs"

    def __init__(self, pactl: str = "pactl", timeout: float = 3.0, env: Mapping[str, str] | None = None) -> None:
        self._pactl = pactl
        self._timeout = timeout
        self._env = dict(env) if env is not None else None

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]:
        outputs = self._pactl_json("source-outputs")
        if not outputs:
            return []
        monitors = {source.get("index") for source in self._pactl_json("sources")
                    if _is_monitor(source)}
        uses: list[MediaUse] = []
        for output in outputs:
            if output.get("source") in monitors:
                continue
            props: dict[str, Any] = output.get("properties") or {}
            pid = _int(props.get("application.process.id"))
            binary = str(props.get("application.process.binary") or props.get("application.name") or "")
            name = candidates.get(pid, binary) if pid is not None else binary
            paused = " (paused)" if output.get("corked") else ""
            uses.append(MediaUse(pid=pid, app=binary,
                                 detail=f"{name or 'a process'} (pid {pid}) is recording from the microphone{paused}"))
        return uses

    def _pactl_json(self, what: str) -> list[dict[str, Any]]:
        program = shutil.which(self._pactl)
        if program is None:
            raise ProbeUnavailable("pactl is not installed (Debian/Ubuntu: pulseaudio-utils); "
                                   "microphone use cannot be read")
        env = self._env if self._env is not None else dict(os.environ)
        env["LC_ALL"] = "C"
        try:
            result = subprocess.run([program, "-f", "json", "list", what], capture_output=True, text=True,
                                    timeout=self._timeout, env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ProbeUnavailable(f"pactl did not answer within {self._timeout:g} s") from None
        except OSError as error:
            raise ProbeUnavailable(f"cannot run pactl: {error}") from None
        if result.returncode != 0:
            message = (result.stderr or result.stdout).strip().splitlines()
            raise ProbeUnavailable("no PulseAudio or PipeWire sound server answered"
                                   f" ({message[-1] if message else f'pactl exit {result.returncode}'})")
        try:
            data = json.loads(result.stdout or "[]")
        except json.JSONDecodeError:
            raise ProbeUnavailable("pactl is too old to print JSON (needs PulseAudio 16 or later)") from None
        return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _is_monitor(source: dict[str, Any]) -> bool:
    props = source.get("properties") or {}
    return props.get("device.class") == "monitor" or str(source.get("name", "")).endswith(".monitor")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
