"""The export part's error family: what could not be exported or written, and what to do."""

from __future__ import annotations

from guard.errors import GuardError


class ExportError(GuardError):
    """An export or letter could not be made; the message names the file, option or record."""


class ExportCancelled(ExportError):
    """The progress callback asked to stop; nothing was left behind at the destination."""
