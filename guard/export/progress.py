"""Progress reporting for long exports: ``progress(done, total)`` every so many records.

The settings window passes a callback from its worker thread; a callback that returns
``False`` cancels the export (:class:`~guard.export.errors.ExportCancelled`).
"""

from __future__ import annotations

from collections.abc import Callable

from guard.export.errors import ExportCancelled

ProgressCallback = Callable[[int, int], object]


class Progress:
    """Counts records and calls ``callback(done, total)`` at the start, every ``every``
    records, and at the end (before the export is put in place, so it can still cancel)."""

    def __init__(self, callback: ProgressCallback | None, total: int, every: int = 1000) -> None:
        self.callback = callback
        self.total = max(total, 0)
        self.every = max(every, 1)
        self.done = 0
        self._next = self.every

    def start(self) -> None:
        if self.callback is not None:
            self._report()

    def step(self) -> None:
        self.done += 1
        if self.callback is not None and self.done >= self._next:
            self._next = self.done + self.every
            self._report()

    def finish(self) -> None:
        if self.callback is not None:
            self._report()

    def _report(self) -> None:
        if self.callback is None:
            return
        self.total = max(self.total, self.done)  # records added while exporting
        if self.callback(self.done, self.total) is False:
            raise ExportCancelled(f"Export cancelled after {self.done} of {self.total} records; nothing was written.")
