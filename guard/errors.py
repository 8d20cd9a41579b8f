"""The base of every error the user may read. Each part has its own family below it
(CatalogError, LedgerError, TermsFetchError, ...) whose message names the file, field or
URL at fault and what to do about it."""


from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guard.i18n import Text


class GuardError(Exception):
    """An error with a message written for the user. Raised with a :class:`guard.i18n.Text`, it
    keeps that sentence in ``said`` (the UI says it in the user's language); ``str()`` is English."""

    said: Text | None = None

    def __init__(self, *args: object) -> None:
        from guard.i18n import Text  # at call time: guard.i18n's own error derives from this class

        if len(args) == 1 and isinstance(args[0], Text):
            self.said = args[0]
            args = (str(args[0]),)
        super().__init__(*args)


class StorageFaultError(GuardError):
    """The input was fine but the app's storage or keyring did not let it be saved: a full
    disk, a read-only folder, a missing permission, a lock held too long, or a signing key whose
    keyring is locked or does not answer. Nothing was changed; the same command can succeed
    once the fault is fixed, so the CLI says it with its own exit status (not "bad usage")."""
