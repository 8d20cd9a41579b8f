"""Which terms versions are in force for a provider, for the consent records that cite them.

Joins three parts (catalog documents, the terms store, the ledger's TermsRef) so that none of
them has to know the others.
"""

from __future__ import annotations

from datetime import date

from guard.catalog.loader import Catalog
from guard.ledger.models import RecordDraft, TermsRef
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
        if version is not None:
            when = version.version_date or (version.first_seen.date() if version.first_seen else None)
            if when is not None:
                dates[version.sha256] = when
    return dates


def with_terms_in_force(draft: RecordDraft, catalog: Catalog, store: TermsStore) -> RecordDraft:
    """``draft`` with the terms in force filled in, unless the caller named them already."""
    if draft.terms:
        return draft
    return draft.changed(terms=terms_in_force(catalog, store, draft.provider_id))
