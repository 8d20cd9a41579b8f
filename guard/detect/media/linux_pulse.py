"""Microphone users on Linux: PulseAudio (or PipeWire's pulse server) source outputs, via ``pactl``.

A source output is a recording stream; its ``application.process.id`` names the process.
Running ``pactl list`` every tick would cost a process start each time, so a long-running
``pactl subscribe`` child reports changes instead, and the list is read again only after a
source-output event (or when the subscriber had to be started).
Streams that record a *monitor* source (what the speakers play, e.g. a screen recorder) are not
microphone use and are left out. A paused (corked) stream still holds the microphone: a muted
participant is still in the call.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Mapping
from typing import Any

from guard.detect.media import MediaUse
from guard.detect.observation import ProbeUnavailable
from guard.i18n import N_, Text

log = logging.getLogger(__name__)


class PulseMicrophone:
    name = "pulseaudio-source-outputs"

    def __init__(self, pactl: str = "pactl", timeout: float = 3.0, env: Mapping[str, str] | None = None,
                 subscribe: bool = True) -> None:
        self._pactl = pactl
        self._timeout = timeout
        self._env = dict(env) if env is not None else None
        self._subscribe = subscribe
        self._subscriber: subprocess.Popen[bytes] | None = None
        self._outputs: list[dict[str, Any]] | None = None  # microphone streams as last read
        self._settling = 0  # reads still due while a new subscriber may not be listening yet

    def users(self, candidates: Mapping[int, str]) -> list[MediaUse]:
        if not self._subscribe or self._changed() or self._outputs is None:
            self._outputs = None
            try:
                self._outputs = self._microphone_streams()
            except ProbeUnavailable:
                self.close()
                raise
        uses: list[MediaUse] = []
        for output in self._outputs:
            props: dict[str, Any] = output.get("properties") or {}
            pid = _int(props.get("application.process.id"))
            binary = str(props.get("application.process.binary") or props.get("application.name") or "")
            name = candidates.get(pid, binary) if pid is not None else binary
            template = (N_("{name} (pid {pid}) is recording from the microphone (paused)") if output.get("corked")
                        else N_("{name} (pid {pid}) is recording from the microphone"))
            said = Text.of(template, name=name or Text.of(N_("a process")), pid=str(pid))
            uses.append(MediaUse(pid=pid, app=binary, detail=str(said), said=said))
        return uses

    def close(self) -> None:
        """Stop the ``pactl subscribe`` child."""
        subscriber, self._subscriber = self._subscriber, None
        if subscriber is not None:
            if subscriber.poll() is None:
                subscriber.terminate()
                try:
                    subscriber.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    subscriber.kill()
                    subscriber.wait()
            if subscriber.stdout is not None:
                subscriber.stdout.close()

    def _changed(self) -> bool:
        """True when recording streams may have changed since the last read (or nobody was watching)."""
        subscriber = self._subscriber
        if subscriber is None or subscriber.poll() is not None:
            self.close()
            try:
                self._subscriber = subprocess.Popen(
                    [self._program(), "subscribe"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    stdin=subprocess.DEVNULL, env=self._child_env())
            except OSError as error:
                log.debug("Cannot start pactl subscribe (%s); reading the list every tick", error)
                return True
            assert self._subscriber.stdout is not None
            os.set_blocking(self._subscriber.stdout.fileno(), False)
            self._settling = 1
            return True
        assert subscriber.stdout is not None
        data = b""
        while True:
            try:
                chunk = os.read(subscriber.stdout.fileno(), 65536)
            except BlockingIOError:
                break
            if not chunk:  # the subscriber ended (server gone): restart it next time
                self.close()
                return True
            data += chunk
        if self._settling:
            self._settling -= 1
            return True
        return b"source-output" in data

    def _microphone_streams(self) -> list[dict[str, Any]]:
        outputs = self._pactl_json("source-outputs")
        if not outputs:
            return []
        monitors = {source.get("index") for source in self._pactl_json("sources") if _is_monitor(source)}
        return [output for output in outputs if output.get("source") not in monitors]

    def _program(self) -> str:
        """``pactl``'s path, looked up on PATH as ``shutil.which`` does (not shutil itself: with its
        archive modules its import costs a ``scan`` that sees a client ~2 ms, tests/bench/bench_cli.py)."""
        folders = [""] if os.path.dirname(self._pactl) else os.get_exec_path()
        for folder in folders:
            program = os.path.join(folder, self._pactl)
            if os.access(program, os.F_OK | os.X_OK) and not os.path.isdir(program):
                return program
        raise ProbeUnavailable("pactl is not installed (Debian/Ubuntu: pulseaudio-utils); "
                               "microphone use cannot be read")

    def _child_env(self) -> dict[str, str]:
        env = dict(self._env) if self._env is not None else dict(os.environ)
        env["LC_ALL"] = "C"
        return env

    def _pactl_json(self, what: str) -> list[dict[str, Any]]:
        program = self._program()
        env = self._child_env()
        try:
            result = subprocess.run([program, "-f", "json", "list", what], capture_output=True, text=True,
                                    timeout=self._timeout, env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ProbeUnavailable(f"pactl did not answer within {self._timeout:g} s") from None
        except OSError as error:
            raise ProbeUnavailable(f"cannot run pactl: {error}") from None
        if result.returncode != 0:
            message = (result.stderr or result.stdout).strip().splitlines()
            raise ProbeUnavailable(Text.of(N_("no PulseAudio or PipeWire sound server answered ({answer})"),
                                           answer=message[-1][:300] if message else f"pactl exit {result.returncode}"))
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
