"""The one set of exit statuses every ``meeting-guard`` command returns.

Scripts rely on these numbers: 0 means done (or intact), 1 means a check ran and failed
(tampered or rolled-back ledger, a terms page that could not be fetched, a broken catalog
file), 2 means the command line or its input was wrong and nothing was done, 3 means the
input was fine but the app's storage or keyring did not let it be saved (full disk, read-only
folder, permission, ledger or terms store busy or damaged beyond repair, signing key's keyring
locked or not answering): nothing was done, and the same command can succeed once that is fixed.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    CHECK_FAILED = 1
    USAGE = 2
    STORAGE = 3  # guard.errors.StorageFaultError: disk, permission, lock or keyring; not the user's input
    INTERRUPTED = 130  # Ctrl-C during a command that is not meant to run until interrupted
    BROKEN_PIPE = 141  # the reader went away (``| head``), as the shell reports SIGPIPE
