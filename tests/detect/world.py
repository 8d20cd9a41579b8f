"""Builds the detection tests' world for real: catalog files, client processes, X11 windows,
a PulseAudio server. Everything started here is stopped by the fixture that started it."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from guard.catalog import Catalog, load_catalog
from guard.monitor import Monitor, MonitorEvent
from guard.settings import Settings

HERE = Path(__file__).resolve().parent


def unique(base: str) -> str:
    """A client-like process name no other test run on this machine uses (≤ 15 characters)."""
    token = secrets.token_hex(3)
    return f"{base[: 15 - len(token) - 1]}-{token}"


def provider_toml(provider_id: str, name: str, kind: str = "meeting-client", *, processes: Iterable[str] = (),
                  meeting_processes: Iterable[str] = (), window_titles: Iterable[str] = (),
                  meeting_window_titles: Iterable[str] = (), url_patterns: Iterable[str] = (),
                  web_titles: Iterable[str] = (), extra: str = "") -> str:
    def items(values: Iterable[str]) -> str:
        return "[" + ", ".join(_toml_string(value) for value in values) + "]"

    return (
        f'id = "{provider_id}"\nname = "{name}"\nvendor = "Test vendor"\nkind = "{kind}"\n'
        f'homepage = "https://example.org/{provider_id}"\n'
        f"[detect.linux]\nprocesses = {items(processes)}\nmeeting_processes = {items(meeting_processes)}\n"
        f"window_titles = {items(window_titles)}\nmeeting_window_titles = {items(meeting_window_titles)}\n"
        f"[detect.web]\nurl_patterns = {items(url_patterns)}\nmeeting_window_titles = {items(web_titles)}\n"
        f"{extra}"
    )


def _toml_string(value: str) -> str:
    return "'" + value + "'"  # literal string: regexes keep their backslashes


def write_catalog(folder: Path, files: dict[str, str]) -> Catalog:
    """Write provider files into ``folder`` and load them through the real loader."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    catalog = load_catalog(shipped=folder)
    assert not catalog.problems, [p.message() for p in catalog.problems]
    return catalog


def client_copy(folder: Path, name: str, source: str = "/bin/sleep") -> Path:
    """An executable named like a meeting client: a copy of ``source``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy2(source, target)
    return target


class Processes:
    """Processes a test starts; all stopped (by pid) when the test ends."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, argv: list[str], **kwargs) -> subprocess.Popen:
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        process = subprocess.Popen(argv, start_new_session=True, **kwargs)
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.stop(process)


def collect_until(monitor: Monitor, done: Callable[[list[MonitorEvent]], bool], timeout: float = 20.0,
                  interval: float = 0.2) -> list[MonitorEvent]:
    """Tick until ``done(events so far)`` or ``timeout``; returns every event seen."""
    events: list[MonitorEvent] = []
    deadline = time.monotonic() + timeout
    while True:
        events += monitor.tick()
        if done(events) or time.monotonic() > deadline:
            return events
        time.sleep(interval)


def of_kind(events: list[MonitorEvent], kind: str, provider_id: str | None = None) -> list[MonitorEvent]:
    return [e for e in events if e.event.kind == kind and (provider_id is None or e.provider.id == provider_id)]


def has(kind: str, provider_id: str) -> Callable[[list[MonitorEvent]], bool]:
    return lambda events: bool(of_kind(events, kind, provider_id))


OPEN_MONITORS: list[Monitor] = []


def new_monitor(catalog: Catalog, settings: Settings | None = None, **kwargs) -> Monitor:
    """A Monitor closed (X connection, pactl subscriber) when the test ends (see conftest)."""
    monitor = Monitor(catalog, settings or Settings(), **kwargs)
    OPEN_MONITORS.append(monitor)
    return monitor


def close_monitors() -> None:
    while OPEN_MONITORS:
        OPEN_MONITORS.pop().close()


def x11_window(processes: Processes, title: str, owner_pid: int | None, env: dict[str, str] | None = None,
               ready_file: Path | None = None) -> subprocess.Popen:
    """A real top-level X11 window (python-xlib) titled ``title`` whose _NET_WM_PID is ``owner_pid``."""
    argv = [sys.executable, str(HERE / "x11_window.py"), title, str(owner_pid or 0)]
    if ready_file is not None:
        argv.append(str(ready_file))
    process = processes.start(argv, env=env if env is not None else dict(os.environ))
    if ready_file is not None:
        deadline = time.monotonic() + 15
        while not ready_file.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert ready_file.exists(), "the X11 window helper did not map its window"
    return process


def script_client(folder: Path, name: str) -> Path:
    """A client named ``name`` that accepts any arguments (a Python script; Linux names the process after it)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_text(f"#!{sys.executable}\nimport time\nwhile True:\n    time.sleep(60)\n", encoding="utf-8")
    target.chmod(0o755)
    return target


def x11_windows(processes: Processes, spec: list[tuple[str, int]], folder: Path,
                env: dict[str, str] | None = None) -> subprocess.Popen:
    """Many real top-level X11 windows at once (one helper process): ``[(title, owner_pid), ...]``."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "windows.json").write_text(json.dumps(spec), encoding="utf-8")
    ready = folder / "mapped"
    process = processes.start([sys.executable, str(HERE / "x11_many_windows.py"), str(folder / "windows.json"),
                               str(ready)], env=env if env is not None else dict(os.environ))
    deadline = time.monotonic() + 300  # minutes on a loaded machine: the X server does the work
    while not ready.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert ready.exists(), "the X11 windows helper did not map its windows"
    return process
