"""Which terms versions are in force for a provider, for the consent records that cite them.

Joins three parts (catalog documents, the terms store, the ledger's TermsRef) so that none of
them has to know the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from guard.catalog.loader import Catalog
from guard.ledger.models import RecordDraft, TermsRef
from guard.terms.models import Version
from guard.terms.store import TermsStore


def terms_in_force(catalog: Catalog, store: TermsStore, provider_id: str) -> tuple[TermsRef, ...]:
    """The version of each of the provider's documents the app knows to be in force now
    (the newest fetched version, else the shipped baseline); documents with none are left out."""
    provider = catalog.get(provider_id)
    if provider is None:
        return ()
    refs: list[TermsRef] = []
    for document in provider.documents:
        version = store.current(provider_id, document.id)
        if version is not None:
            refs.append(TermsRef(provider_id, document.id, version.sha256, version.url or str(document.url)))
    return tuple(refs)


def version_dates(catalog: Catalog, store: TermsStore, provider_id: str) -> dict[str, date]:
    """The date each version in force stands for (its own date, else the day it was first seen),
    by SHA-256: what a person can tell versions apart by ("version of 11 Aug 2023")."""
    provider = catalog.get(provider_id)
    dates: dict[str, date] = {}
    for document in provider.documents if provider is not None else ():
        version = store.current(provider_id, document.id)
        when = _date_of(version) if version is not None else None
        if version is not None and when is not None:
            dates[version.sha256] = when
    return dates


def shipped_only(catalog: Catalog, store: TermsStore, provider_id: str) -> frozenset[str]:
    """The SHA-256s of the provider's versions in force that the app has only as shipped with it:
    no check has read the document since (from its page or an archive), so a newer version may
    be in force. What a consent form must say beside "in force"."""
    provider = catalog.get(provider_id)
    found: set[str] = set()
    for document in provider.documents if provider is not None else ():
        version = store.current(provider_id, document.id)
        if version is not None and version.is_baseline:
            found.add(version.sha256)
    return frozenset(found)


def cited_version_dates(store: TermsStore, refs: Iterable[TermsRef]) -> dict[str, date]:
    """The date of each version a record cites, by SHA-256, where this computer's terms store
    (or a shipped baseline) has that version; a record's details say "version of 11 Aug 2023"
    as the consent form did, not only the hash."""
    dates: dict[str, date] = {}
    for ref in refs:
        for version in store.versions(ref.provider_id, ref.document_id):
            when = _date_of(version) if version.sha256 == ref.sha256 else None
            if when is not None:
                dates[ref.sha256] = when
                break
    return dates


def _date_of(version: Version) -> date | None:
    """A version's own date, else the day it was first seen."""
    return version.version_date or (version.first_seen.date() if version.first_seen else None)


def with_terms_in_force(draft: RecordDraft, catalog: Catalog, store: TermsStore) -> RecordDraft:
    """``draft`` with the terms in force filled in, unless the caller named them already."""
    if draft.terms:
        return draft
    return draft.changed(terms=terms_in_force(catalog, store, draft.provider_id))
