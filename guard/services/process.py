"""The door's process set-up: a helper process of the app (the settings window's) logs to the
app's log file, like the tray app, so what it says is found where the user and the lead look
(``ui`` may not import :mod:`guard.logs`: import-linter contract in pyproject.toml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guard.paths import AppPaths


def log_to_app_file(paths: AppPaths, process: str, verbose: bool = False) -> None:
    """Send this process's log to the app's log file (``paths.log_file``), each line marked with
    ``process`` and the pid; warnings also go to stderr (the tray app's, which started it).

    Called once at the start of the process, before its event loop: it opens the file to append
    (a short-lived process does not rotate the file under the tray app's feet; it rotates it
    first only when it is already full). A log folder that cannot be written is said on stderr
    and the process carries on.
    """
    from guard.logs import setup_logging

    setup_logging(paths.log_file, verbose=verbose, long_running=False, process=process)
