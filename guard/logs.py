"""Logging: a rotating file in the log folder, and stderr when asked for (--verbose).

The tray app runs for days, so its file handler rotates as it writes. A command runs for a
moment: it appends to the same file (rotating it first if it is already full) without
importing ``logging.handlers``, which costs a short command a tenth of its start-up.

Messages quote outside text (a user catalog file's values, page addresses, titles): control
characters and bidi overrides in a message are spelt out (``\x1b``, ``\u202e``), so a terminal
showing stderr never obeys them, and a line break in one starts a line with a tab, so a message
cannot forge a line that reads as another record. A traceback is kept as it is.

The log names meetings, providers and files, so like everything else the app writes it is
readable by its owner only (0600, whatever the umask; rotated files too).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TextIO

from guard.text_controls import UNSAFE

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
PROCESS_FORMAT = "%(asctime)s %(levelname)-7s [{process} %(process)d] %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 5

_SPELT = {code: f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" for code in UNSAFE if code not in (0x09, 0x0A)}
_SPELT[0x0A] = "\n\t"


def _private_opener(path: str, flags: int) -> int:
    """``open``'s opener for the log: a new file is 0600, and one left wider (an older version,
    another umask) is narrowed."""
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.fchmod(fd, 0o600)
    except (AttributeError, OSError):  # Windows has no fchmod; not ours to change: keep logging
        pass
    return fd


class _PrivateFileHandler(logging.FileHandler):
    """A FileHandler whose file is readable by its owner only."""

    _meeting_guard = True  # set up by setup_logging (taken off again by the next setup)

    def _open(self):  # type: ignore[no-untyped-def]  # logging's own signature is untyped
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                    opener=_private_opener)


class _QuotingFormatter(logging.Formatter):
    """A formatter whose message part shows control characters instead of obeying them."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        message = record.message
        if not (message.isascii() and message.isprintable()):
            record.message = message.translate(_SPELT)
        return super().formatMessage(record)


def setup_logging(log_file: Path | None, verbose: bool = False,
                  stream: TextIO | None = None, long_running: bool = True,
                  process: str | None = None) -> list[logging.Handler]:
    """Configure the root logger once per process (``stream``: where stderr output goes;
    ``long_running``: the tray app, whose log rotates while it writes; ``process``: a helper
    process of the app, such as the settings window's, whose lines are marked with its name and
    pid so they can be told from the tray app's in the one log file).

    Returns the handlers added, for :func:`remove_logging` when a command run in-process ends.

    The file gets INFO and above (DEBUG with ``verbose``); stderr gets warnings, or
    everything from DEBUG up with ``verbose``. A log folder that cannot be written is
    reported on stderr and the app carries on without a log file.
    """
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_meeting_guard", False):
            root.removeHandler(old)
            old.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = _QuotingFormatter(FORMAT if process is None else PROCESS_FORMAT.format(process=_plain(process)))

    stderr = logging.StreamHandler(stream)
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(formatter)
    stderr._meeting_guard = True  # type: ignore[attr-defined]
    root.addHandler(stderr)

    if log_file is None:
        return [stderr]
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler
        if long_running or _full(log_file):
            from logging.handlers import RotatingFileHandler

            class _PrivateRotatingFileHandler(RotatingFileHandler):
                _meeting_guard = True
                _open = _PrivateFileHandler._open

            rotating = _PrivateRotatingFileHandler(log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                   encoding="utf-8", delay=not long_running)
            if not long_running:
                rotating.doRollover()
            handler = rotating
        else:
            handler = _PrivateFileHandler(log_file, encoding="utf-8")  # opened now: a failure is said below
    except OSError as error:
        logging.getLogger(__name__).warning("Cannot write the log file %s (%s); logging to stderr only.",
                                            log_file, error)
        return [stderr]
    handler.setFormatter(formatter)
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.addHandler(handler)
    return [stderr, handler]


def remove_logging(handlers: list[logging.Handler]) -> None:
    """Take ``handlers`` (from :func:`setup_logging`) off the root logger and close them."""
    root = logging.getLogger()
    for handler in handlers:
        root.removeHandler(handler)
        handler.close()


def _full(log_file: Path) -> bool:
    try:
        return log_file.stat().st_size >= MAX_BYTES
    except OSError:
        return False


def _plain(name: str) -> str:
    """A process name fit for a log format: letters, digits, '-' and '_' only, 40 at most."""
    return "".join(c for c in name if c.isalnum() or c in "-_")[:40] or "process"
