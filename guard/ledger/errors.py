"""The ledger's error family. Every message names the ledger file (or key) at fault and what
the user can do; none of these errors ever costs a record that was already saved."""

from __future__ import annotations

from guard.errors import GuardError, StorageFaultError


class LedgerError(GuardError):
    """Something is wrong with the consent ledger; the message says what and what to do."""


class LedgerInputError(LedgerError):
    """A record to append (or a query) is invalid: a field is missing, unknown or malformed."""


class LedgerCorruptError(LedgerError):
    """The ledger file is not a readable ledger (not a database, truncated, malformed, or
    made by a newer version). The file is left exactly as it was found. Only real damage
    raises this: a full disk, a read-only folder, a permission or a lock never does."""


class LedgerFullError(LedgerError, StorageFaultError):
    """The disk (or the database's size limit) is full: the new record was not saved, the
    earlier ones are intact."""


class LedgerReadOnlyError(LedgerError, StorageFaultError):
    """The ledger's folder is on a read-only file system: nothing can be written there."""


class LedgerPermissionError(LedgerError, StorageFaultError):
    """The ledger file or its folder is not writable by this user (owned by someone else,
    or its permissions were changed)."""


class LedgerBusyError(LedgerError, StorageFaultError):
    """Another process held the ledger's write lock for longer than the busy timeout."""


class LedgerKeyError(LedgerError, StorageFaultError):
    """The ledger's signing key is missing, unreachable or not the one that signed the
    records, so a new record cannot be signed. Reading and verifying still work."""


class DecisionKept(LedgerKeyError):
    """The decision could not be signed now (the key could not be read) and is kept on this
    computer instead (guard.ledger.waiting): it is added to the ledger once the key can be read."""


class LedgerRolledBackError(LedgerError):
    """The ledger is older than its anchor (records removed, or an older copy put back): nothing
    is added to it, since a new record would take the lost one's place and the anchor's evidence."""

    exit_status = 1  # the command line's "a check failed": rolled back


class NoticeAnsweredError(LedgerError):
    """A notification's answer was not added: the ledger holds a decision about the same notice
    already (guard.ledger.answers), found under the ledger's write lock, so another process's answer
    that landed a moment earlier is seen. Nothing was added; the first answer stands."""


class RecordNotFoundError(LedgerInputError):
    """No record has the given id."""
