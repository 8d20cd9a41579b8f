"""Last resort (no notification server and no tray): notices go to the log; the no-tray
window shows the latest one itself."""

from __future__ import annotations

import logging

from guard.presentation.notices import Notice
from ui.notifications.base import Notifier

log = logging.getLogger(__name__)


class LogNotifier(Notifier):
    name = "log"

    def show(self, notice: Notice) -> None:
        log.info("Notification (no notification server): %s — %s", notice.title, notice.body)
        self.sent.emit(notice.key)
