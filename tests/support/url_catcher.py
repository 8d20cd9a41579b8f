"""Catch the addresses the app hands to the desktop (a web page, a mail program) instead of
starting a browser or mail program in the test session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices


class Catcher(QObject):
    """Keeps every address ``QDesktopServices.openUrl`` was asked to open, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@contextmanager
def caught_urls(scheme: str) -> Iterator[Catcher]:
    """Addresses of ``scheme`` ("https", "mailto") go to a ``Catcher`` while the block runs."""
    catcher = Catcher()
    QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        yield catcher
    finally:
        QDesktopServices.unsetUrlHandler(scheme)
