"""The preferences' signing-key section: where the consent ledger's signing key is kept (the system
keyring, or the key file beside the ledger), read on the job runner. The keyring may be slow or wait
on an unlock prompt, so the read can be cancelled (when the window closes, or the app quits)."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from guard.errors import GuardError
from guard.presentation.i18n import N_, _
from guard.presentation.welcome import key_words
from guard.services import KeyStatus, Services
from ui.jobs import JobRunner
from ui.settings.common import named
from ui.widgets import plain_label

KEY_STATUS_JOB = "key-status"
FALLBACK_EXPLAINED = N_(
    "Records are signed with a secret kept in your system keyring (Secret Service, Windows Credential Manager or "
    "macOS Keychain). When no keyring is available, the secret is kept in the file ledger.key next to the ledger, "
    "readable only by you: records are still signed and checked, but anyone who can read your files could also "
    "read that key. The app always says which of the two it uses; it never keeps no key at all.")


class KeyPanel(QGroupBox):
    """The key's status (``status``) and what the two places mean."""

    def __init__(self, services: Services, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(_("Signing key of the consent ledger"), parent)
        self.services = services
        self.tasks = tasks
        layout = QVBoxLayout(self)
        self.status = named(plain_label(_("Checking…")), _("Signing key status"))
        explained = QLabel(_(FALLBACK_EXPLAINED))
        explained.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(explained)

    def refresh(self) -> None:
        """Where the signing key lives (read on a worker thread). Cancellable like the welcome's
        read: :meth:`stop` when the window closes, and the runner's shutdown when the app quits,
        so neither waits on it."""
        stop = threading.Event()
        services = self.services
        self.tasks.submit(lambda: services.key_status(cancel=stop), self._show, self._failed,
                          key=KEY_STATUS_JOB, owner=self, cancel=stop)

    def stop(self) -> None:
        """Nobody will see the key's status: stop reading it."""
        self.tasks.cancel(KEY_STATUS_JOB)

    def _show(self, status: KeyStatus) -> None:
        self.status.setText(key_words(status))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(_("The key's status cannot be read: {error}").format(
            error=error if isinstance(error, GuardError) else f"{type(error).__name__}: {error}"))
