"""The provider catalog: meeting clients and AI note-takers, their AI features and clauses, with sources."""

from guard.catalog.history import ClauseThread, clause_history, unverified_count
from guard.catalog.loader import Catalog, CatalogError, CatalogProblem, load_catalog
from guard.catalog.models import (
    AiFeature,
    Clause,
    ClauseTopic,
    Contacts,
    Discontinued,
    Document,
    Notice,
    Provider,
    ProviderKind,
    Source,
)

__all__ = [
    "AiFeature", "Catalog", "CatalogError", "CatalogProblem", "Clause", "ClauseThread", "ClauseTopic",
    "Contacts", "Discontinued", "Document", "Notice", "Provider", "ProviderKind", "Source", "clause_history",
    "load_catalog", "unverified_count",
]
