"""What every notification backend does: show a notice, and say when the user clicked it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from guard.presentation.notices import Notice


class NotificationsUnavailable(Exception):
    """This backend cannot work here (no session bus, no notification server)."""


class Notifier(QObject):
    """Base of the backends. ``activated(key, choice)`` when the user clicks a notice or its
    main button (``choice`` "") or one of its choices (the :class:`NoticeChoice` id),
    ``closed(key)`` when it goes away, ``sent(key)`` once the desktop took it; ``unknown(choice)``
    when a button was pressed on a notification this run of the app did not show (one left from
    before a restart): never an answer to anything here."""

    activated = Signal(str, str)
    unknown = Signal(str)
    closed = Signal(str)
    sent = Signal(str)
    failed = Signal(str)

    name = "none"

    def show(self, notice: Notice) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the backend holds (bus connection, threads)."""
