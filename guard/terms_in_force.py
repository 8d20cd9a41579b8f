"""Which terms versions are in force for a provider, for the consent records that cite them.

Joins three parts (catalog documents, the terms store, the ledger's TermsRef) so that none of
them has to know the others.
"""

from __future__ import annotations

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


def with_terms_in_force(draft: RecordDraft, catalog: Catalog, store: TermsStore) -> RecordDraft:
    """``draft`` with the terms in force filled in, unless the caller named them already."""
    if draft.terms:
        return draft
    return draft.changed(terms=terms_in_force(catalog, store, draft.provider_id))
