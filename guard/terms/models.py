"""Records the terms watcher passes between its parts (plain frozen values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from guard.catalog.models import Document, DocumentArchive, Provider


class SelectMode(StrEnum):
    """How a document's ``select`` list is read.

    ``first``: the first selector that matches anything wins (the catalog's fallbacks, e.g.
    ``main``, then ``article``, then ``body``). ``all``: every match, in page order (Open
    Terms Archive declarations).
    """

    FIRST = "first"
    ALL = "all"


@dataclass(frozen=True)
class RangeSelector:
    """An Open Terms Archive range: content from a start marker to an end marker.

    Exactly one of ``start_before``/``start_after`` and one of ``end_before``/``end_after``
    is set; each is a CSS selector.
    """

    start_before: str | None = None
    start_after: str | None = None
    end_before: str | None = None
    end_after: str | None = None


Selector = str | RangeSelector


@dataclass(frozen=True)
class WatchedDocument:
    """One public page the watcher fetches, from the catalog or an OTA declaration."""

    provider_id: str
    document_id: str
    title: str
    url: str
    select: tuple[Selector, ...] = ("main", "article", "body")
    remove: tuple[Selector, ...] = ()
    select_mode: SelectMode = SelectMode.FIRST
    origin: str = "catalog"
    notes: tuple[str, ...] = ()
    archive: DocumentArchive | None = None  # where a public archive keeps its versions

    @property
    def key(self) -> tuple[str, str]:
        return (self.provider_id, self.document_id)

    @classmethod
    def from_catalog(cls, provider: Provider, document: Document) -> WatchedDocument:
        """The catalog's default selectors are fallbacks (``main``, else ``article``, else
        ``body``); selectors a catalog file spells out are all used, in order, as in the Open
        Terms Archive declarations they are usually copied from."""
        default = tuple(Document.model_fields["select"].default)
        select = tuple(document.select)
        return cls(
            provider_id=provider.id,
            document_id=document.id,
            title=document.title,
            url=str(document.url),
            select=select,
            remove=tuple(document.remove),
            select_mode=SelectMode.FIRST if select == default else SelectMode.ALL,
            origin="catalog",
            archive=document.archive,
        )


@dataclass(frozen=True)
class HttpMeta:
    """What the server said about a page: kept with each version and for conditional requests."""

    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    final_url: str | None = None


@dataclass(frozen=True)
class Version:
    """One distinct text of a document (content-addressed by the SHA-256 of its Markdown).

    ``origin`` is ``fetched`` (from the provider's page, by this app), ``archive`` (read in a
    public archive: ``archive_repository`` at ``archive_commit``, ``first_seen`` being the day
    the archive recorded it) or ``baseline`` (shipped with the app; then ``version_date`` is the
    date the text was in force). ``obtained_from`` says where the text came from, in words.
    """

    provider_id: str
    document_id: str
    sha256: str
    origin: str
    url: str
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    http: HttpMeta = field(default_factory=HttpMeta)
    version_date: date | None = None
    obtained_from: str | None = None
    problem: str | None = None
    archive_repository: str | None = None
    archive_commit: str | None = None
    also_seen: tuple[str, ...] = ()  # the same text, also got from another source

    @property
    def is_baseline(self) -> bool:
        return self.origin == "baseline"

    @property
    def from_archive(self) -> bool:
        return self.origin == "archive"

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "document_id": self.document_id,
            "sha256": self.sha256,
            "origin": self.origin,
            "url": self.url,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "http": {
                "status": self.http.status,
                "etag": self.http.etag,
                "last_modified": self.http.last_modified,
                "content_type": self.http.content_type,
                "final_url": self.http.final_url,
            },
            "version_date": self.version_date.isoformat() if self.version_date else None,
            "obtained_from": self.obtained_from,
            "archive": ({"repository": self.archive_repository, "commit": self.archive_commit}
                        if self.archive_commit else None),
            "also_seen": list(self.also_seen),
            "problem": self.problem,
        }


class FetchResult(StrEnum):
    """What one check of one document came to (the fetch log's ``result`` column)."""

    NEW_VERSION = "new-version"
    UNCHANGED = "unchanged"
    NOT_MODIFIED = "not-modified"
    FAILED = "failed"
    SKIPPED = "skipped"  # not checked: the network is switched off, or the computer is offline


@dataclass(frozen=True)
class FetchRecord:
    """One line of the fetch log: every network request the app made, and what came of it."""

    at: datetime
    provider_id: str
    document_id: str
    url: str
    result: FetchResult
    status: int | None = None
    bytes: int = 0
    final_url: str | None = None
    error_kind: str | None = None
    message: str | None = None
    attempts: int = 1
    sha256: str | None = None
    source: str = "provider"  # "provider" (its page) or "archive" (a public archive of versions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "provider_id": self.provider_id,
            "document_id": self.document_id,
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "bytes": self.bytes,
            "result": str(self.result),
            "error_kind": self.error_kind,
            "message": self.message,
            "attempts": self.attempts,
            "sha256": self.sha256,
            "source": self.source,
        }


@dataclass(frozen=True)
class ArchiveState:
    """What was last read in a public archive for one document: the newest commit imported, the
    time the archive recorded it, the list's ETag (for a conditional request) and when."""

    repository: str
    path: str
    last_commit: str | None = None
    last_recorded: datetime | None = None
    etag: str | None = None
    checked_at: datetime | None = None
