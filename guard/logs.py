"""Logging: a rotating file in the log folder, and stderr when asked for (--verbose)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(log_file: Path | None, verbose: bool = False,
                  stream: TextIO | None = None) -> list[logging.Handler]:
    """Configure the root logger once per process (``stream``: where stderr output goes).

    Returns the handlers added, for :func:`remove_logging` when a command run in-process ends.

    The file gets INFO and above (DEBUG with ``verbose``); stderr gets warnings, or
    everything from DEBUG up with ``verbose``. A log folder that cannot be written is
    reported on stderr and the app carries on without a log file.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_meeting_guard", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = logging.Formatter(FORMAT)

    stderr = logging.StreamHandler(stream)
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(formatter)
    stderr._meeting_guard = True  # type: ignore[attr-defined]
    root.addHandler(stderr)

    if log_file is None:
        return [stderr]
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("Cannot write the log file %s (%s); logging to stderr only.", log_file, error)
        return [stderr]
    handler.setFormatter(formatter)
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler._meeting_guard = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return [stderr, handler]


def remove_logging(handlers: list[logging.Handler]) -> None:
    """Take ``handlers`` (from :func:`setup_logging`) off the root logger and close them."""
    root = logging.getLogger()
    for handler in handlers:
        root.removeHandler(handler)
        handler.close()
