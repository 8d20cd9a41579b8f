"""The base of every error the user may read. Each part has its own family below it
(CatalogError, LedgerError, TermsFetchError, ...) whose message names the file, field or
URL at fault and what to do about it."""


class GuardError(Exception):
    """An error with a message written for the user."""
