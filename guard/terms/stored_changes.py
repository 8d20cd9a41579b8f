"""Terms versions stored by another program while the app runs (``meeting-guard terms check`` or
``terms import`` in a terminal): which watched documents' version in force moved since the app
last looked, and whether AI or data use changed between the two, told as the watcher tells its
own checks (one :class:`TermsChanged` per document, old version in force against new).

The app looks only when the store's stamp (a stat of its index, :func:`store_stamp`) moved, so
a look between writes reads nothing; the terms analysis (alignment, the topic rules) loads only
when a version in force moved, so the tray app that looks every few seconds does not carry it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from guard.events import TermsChanged
from guard.terms.errors import TermsError
from guard.terms.models import WatchedDocument
from guard.terms.store import TermsStore

if TYPE_CHECKING:
    from guard.terms.rules import Rules

log = logging.getLogger(__name__)

DocumentKey = tuple[str, str]


@dataclass(frozen=True)
class StoreMark:
    """What the app last saw of the store: its stamp, and each watched document's version in
    force (SHA-256) then."""

    stamp: tuple[int, ...]
    current: tuple[tuple[DocumentKey, str], ...]


def store_stamp(store: TermsStore) -> tuple[int, ...]:
    """A value that changes when the store's index or its write-ahead log is written, by this
    process or another (two stats, nothing read)."""
    index = store.index_path
    stamp: list[int] = []
    for path in (index, index.with_name(index.name + "-wal")):
        try:
            found = path.stat()
        except OSError:
            stamp += [0, 0]
        else:
            stamp += [found.st_mtime_ns, found.st_size]
    return tuple(stamp)


def current_versions(store: TermsStore, documents: Sequence[WatchedDocument]) -> dict[DocumentKey, str]:
    """Each watched document's version in force (a document the store cannot read is left out)."""
    found: dict[DocumentKey, str] = {}
    for document in documents:
        try:
            version = store.current(*document.key)
        except TermsError as error:
            log.warning("Could not read the versions of %s/%s: %s", *document.key, error)
            continue
        if version is not None:
            found[document.key] = version.sha256
    return found


def material_change(store: TermsStore, document: WatchedDocument, at: datetime, old_sha256: str,
                    new_sha256: str, rules: Rules | None = None) -> tuple[TermsChanged | None, int]:
    """The event for a document whose version in force went from ``old_sha256`` to
    ``new_sha256`` (None unless what the provider may do with data moved), and how many clauses
    changed. Raises :class:`TermsError` when either text cannot be read."""
    from guard.terms.analysis import analyse, relevant_changes

    changes = analyse(store.get_text(old_sha256), store.get_text(new_sha256), rules)
    if not any(change.material for change in changes):
        return None, len(changes)
    relevant = relevant_changes(changes)
    log.info("Terms changed: %s/%s, %d clause(s) about AI or data use", document.provider_id,
             document.document_id, len(relevant))
    return TermsChanged(provider_id=document.provider_id, at=at, document_id=document.document_id,
                        title=document.title, url=document.url, old_sha256=old_sha256, new_sha256=new_sha256,
                        changes=relevant), len(changes)


def changes_since(store: TermsStore, watched: Callable[[], Sequence[WatchedDocument]], mark: StoreMark | None,
                  at: datetime, rules: Rules | None = None) -> tuple[StoreMark, list[TermsChanged]]:
    """The store as it is now, and the changes to AI or data use since ``mark`` (None: the first
    look, which tells nothing). A document new since the mark has nothing to compare with.
    ``watched`` gives the watched documents; it is called only when the store's stamp moved, so a
    look between writes costs two stats and reads no declarations."""
    stamp = store_stamp(store)
    if mark is not None and mark.stamp == stamp:
        return mark, []
    documents = watched()
    now = current_versions(store, documents)
    events: list[TermsChanged] = []
    before = dict(mark.current) if mark is not None else now
    for document in documents:
        old, new = before.get(document.key), now.get(document.key)
        if old is None or new is None or old == new:
            continue
        try:
            event, _count = material_change(store, document, at, old, new, rules)
        except TermsError as error:
            log.warning("Could not compare the versions of %s/%s: %s", *document.key, error)
            continue
        if event is not None:
            events.append(event)
    return StoreMark(stamp, tuple(sorted(now.items()))), events
