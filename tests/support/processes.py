"""Start and wait for real processes in tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0, interval: float = 0.05) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def start_app(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``meeting-guard ARGS`` (the tray app when no args) as a real process."""
    return subprocess.Popen(
        [sys.executable, "-m", "guard", *args], env=env if env is not None else dict(os.environ),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def stop(process: subprocess.Popen, timeout: float = 10.0) -> int:
    """SIGTERM, then SIGKILL if it does not exit in time; returns the exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def log_contains(log_file: Path, text: str) -> bool:
    try:
        return text in log_file.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return False
