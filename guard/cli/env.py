"""What a command may take from the world around it, injected so tests can run it in-process.

``main(argv, env)`` reads streams, environment variables, folders and the clock only through
an :class:`Environment`. A test builds one with string buffers and its own folder; the real
command builds one from the process (:meth:`Environment.from_process`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from guard.paths import AppPaths


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real file
        return False


@dataclass
class Environment:
    """Streams, variables, folders and clock of one command run."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    now: Callable[[], datetime] = _utc_now
    platform: str = sys.platform
    paths: AppPaths | None = None  # None: from MEETING_GUARD_HOME or the OS conventions
    stdin_isatty: bool | None = None  # None: ask the stream
    stderr_isatty: bool | None = None

    @classmethod
    def from_process(cls) -> Environment:
        return cls()

    def __post_init__(self) -> None:
        if self.stdin_isatty is None:
            self.stdin_isatty = _isatty(self.stdin)
        if self.stderr_isatty is None:
            self.stderr_isatty = _isatty(self.stderr)

    def app_paths(self) -> AppPaths:
        """The app's folders before the user's ``data_dir`` setting is applied."""
        if self.paths is None:
            from guard.paths import app_paths

            self.paths = app_paths(self.environ)
        return self.paths
