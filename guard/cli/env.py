"""What a command may take from the world around it, injected so tests can run it in-process.

``main(argv, env)`` reads streams, environment variables, folders and the clock only through
an :class:`Environment`. A test builds one with string buffers and its own folder; the real
command builds one from the process (:meth:`Environment.from_process`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
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


class Environment:
    """Streams, variables, folders and clock of one command run.

    A plain class, not a dataclass: every command builds one, and ``dataclasses`` alone costs
    ``meeting-guard providers`` a tenth of its start-up.
    """

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
                 environ: Mapping[str, str] | None = None, now: Callable[[], datetime] = _utc_now,
                 platform: str = sys.platform, paths: AppPaths | None = None,
                 stdin_isatty: bool | None = None, stderr_isatty: bool | None = None) -> None:
        self.stdin: TextIO = sys.stdin if stdin is None else stdin
        self.stdout: TextIO = sys.stdout if stdout is None else stdout
        self.stderr: TextIO = sys.stderr if stderr is None else stderr
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.now = now
        self.platform = platform
        self.paths = paths  # None: from MEETING_GUARD_HOME or the OS conventions
        self.stdin_isatty = _isatty(self.stdin) if stdin_isatty is None else stdin_isatty
        self.stderr_isatty = _isatty(self.stderr) if stderr_isatty is None else stderr_isatty

    @classmethod
    def from_process(cls) -> Environment:
        return cls()

    def app_paths(self) -> AppPaths:
        """The app's folders before the user's ``data_dir`` setting is applied."""
        if self.paths is None:
            from guard.paths import app_paths

            self.paths = app_paths(self.environ)
        return self.paths
