"""What a terms check came to, document by document, as plain values (the CLI prints them, the
services hand them to the UI, :mod:`guard.presentation` words them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from guard.events import TermsChanged, event_to_dict
from guard.terms.models import FetchResult, Version, WatchedDocument

NOT_CHECKED_OFFLINE = "offline"
NAME_NOT_FOUND = "name-not-found"  # FetchFailure.NAME_NOT_FOUND: one host the name server does not know
# FetchFailure.OFFLINE from one host only (its name server did not answer, or no route to it), not yet from a
# second: a hostile or broken name server (or network) of one site answers so too, so it fails that host alone.
UNREACHABLE = "unreachable"
NOT_CHECKED_NETWORK_OFF = "network-disabled"
STORE_FAILURE = "store"  # the terms store could not read or keep the document's versions (exit 3 in the CLI)


@dataclass(frozen=True)
class DocumentCheck:
    """What one check of one document came to. ``source`` says where the text was read:
    ``provider`` (its page) or ``archive`` (a public archive of versions)."""

    document: WatchedDocument
    at: datetime
    result: FetchResult
    version: Version | None = None
    previous: Version | None = None
    event: TermsChanged | None = None
    changes: int = 0
    error_kind: str | None = None
    message: str | None = None
    source: str = "provider"

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider_id": self.document.provider_id, "document_id": self.document.document_id,
            "url": self.document.url, "at": self.at.isoformat(), "result": str(self.result),
            "source": self.source,
            "sha256": self.version.sha256 if self.version else None,
            "previous_sha256": self.previous.sha256 if self.previous else None,
            "clause_changes": self.changes, "error_kind": self.error_kind, "message": self.message,
            "notes": list(self.document.notes),
            "event": event_to_dict(self.event) if self.event else None,
        }


@dataclass
class CheckReport:
    at: datetime
    checks: list[DocumentCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    offline: bool = False  # name resolution or the route failed for two hosts in a row: the rest was not tried
    store_fault: bool = False  # the store could not keep part of what was found (a log line, a version)

    @property
    def events(self) -> list[TermsChanged]:
        return [check.event for check in self.checks if check.event is not None]

    @property
    def failures(self) -> list[DocumentCheck]:
        return [check for check in self.checks if check.result is FetchResult.FAILED]

    @property
    def skipped(self) -> list[DocumentCheck]:
        return [check for check in self.checks if check.result is FetchResult.SKIPPED]

    @property
    def not_checked(self) -> int:
        """Documents not checked: skipped, or failed because the computer is offline (and, once the check
        concluded it is, those whose host names were not found on the way)."""
        unreached = {NOT_CHECKED_OFFLINE, NAME_NOT_FOUND, UNREACHABLE} if self.offline else {NOT_CHECKED_OFFLINE}
        return sum(1 for check in self.checks if check.result is FetchResult.SKIPPED
                   or check.error_kind in unreached)

    @property
    def network_off(self) -> bool:
        return bool(self.checks) and all(c.error_kind == NOT_CHECKED_NETWORK_OFF for c in self.checks)

    def headline(self) -> str:
        """One line on how the check went: 'offline: 20 documents not checked', ..."""
        total = len(self.checks)
        if self.network_off:
            return f"skipped: network access is switched off; {_documents(total)} not checked"
        if self.offline:
            return f"offline: {_documents(self.not_checked)} not checked"
        failed = len(self.failures)
        changed = sum(1 for check in self.checks if check.result is FetchResult.NEW_VERSION)
        parts = [f"{_documents(total)} checked"]
        if changed:
            parts.append(f"{changed} with a new version")
        if failed:
            parts.append(f"{failed} could not be fetched")
        return ", ".join(parts)


def _documents(count: int) -> str:
    return f"{count} document{'s' if count != 1 else ''}"
