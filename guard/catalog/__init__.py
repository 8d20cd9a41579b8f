"""The provider catalog: meeting clients and AI note-takers, their AI features and clauses, with sources.

The names below load on first use: importing a light module of this package (e.g.
:mod:`guard.catalog.snapshot`) must not pay for pydantic and the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "ClauseThread": "history", "clause_history": "history", "unverified_count": "history",
    "Catalog": "loader", "CatalogError": "loader", "CatalogProblem": "loader", "load_catalog": "loader",
    "AiFeature": "models", "Clause": "models", "ClauseTopic": "models", "Document": "models", "Provider": "models",
    "ProviderKind": "models", "Source": "models", "Contacts": "models", "Discontinued": "models", "Notice": "models",
}

__all__ = [
    "AiFeature", "Catalog", "CatalogError", "CatalogProblem", "Clause", "ClauseThread", "ClauseTopic",
    "Contacts", "Discontinued", "Document", "Notice", "Provider", "ProviderKind", "Source", "clause_history",
    "load_catalog", "unverified_count",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'guard.catalog' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"guard.catalog.{module}"), name)
    globals()[name] = value
    return value
