"""Terms watching: fetch providers' public terms pages, keep every version, and explain changes
to clauses about AI training and data use.

fetch (requests, HTTPS only) → extract (selectors → stable Markdown) → store (SHA-256
versions, fetch log) → diff by clause → classify by topic → :class:`~guard.events.TermsChanged`.

What the rest of the app calls::

    store = TermsStore.open(paths)                      # versions, baselines, fetch log
    store.current("zoom", "terms")                      # Version in force (or the shipped baseline)
    store.versions("zoom", "terms"); store.get_text(sha)
    analyse(old_text, new_text)                         # clause changes with topics and summaries
    watcher = TermsWatcher.from_app(paths, settings)
    watcher.check_due(now) / watcher.check_now("zoom")  # -> list[TermsChanged]
    store.fetch_log("zoom")                             # every request made, failures included
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guard.terms.analysis import AnalysedChange, analyse
    from guard.terms.declarations import Declaration, load_declaration, parse_declaration
    from guard.terms.errors import DeclarationError, FetchFailure, TermsError, TermsFetchError, TermsStoreError
    from guard.terms.extract import ExtractError, extract
    from guard.terms.fetch import Fetcher, FetchPolicy
    from guard.terms.models import FetchRecord, FetchResult, SelectMode, Version, WatchedDocument
    from guard.terms.report import CheckReport, DocumentCheck
    from guard.terms.store import TermsStore
    from guard.terms.watcher import TermsWatcher

# Names are imported from their modules on first use: opening the store (the tray app's first
# second) must not load the HTTP client and the HTML parser, which only a check needs.
_WHERE = {
    "AnalysedChange": "analysis", "analyse": "analysis",
    "Declaration": "declarations", "load_declaration": "declarations", "parse_declaration": "declarations",
    "DeclarationError": "errors", "FetchFailure": "errors", "TermsError": "errors", "TermsFetchError": "errors",
    "TermsStoreError": "errors",
    "ExtractError": "extract", "extract": "extract",
    "Fetcher": "fetch", "FetchPolicy": "fetch",
    "FetchRecord": "models", "FetchResult": "models", "SelectMode": "models", "Version": "models",
    "WatchedDocument": "models",
    "TermsStore": "store",
    "CheckReport": "report", "DocumentCheck": "report", "TermsWatcher": "watcher",
}

__all__ = [
    "AnalysedChange", "CheckReport", "Declaration", "DeclarationError", "DocumentCheck", "ExtractError",
    "FetchFailure", "FetchPolicy", "FetchRecord", "FetchResult", "Fetcher", "SelectMode", "TermsError",
    "TermsFetchError", "TermsStore", "TermsStoreError", "TermsWatcher", "Version", "WatchedDocument", "analyse",
    "extract", "load_declaration", "parse_declaration",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'guard.terms' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"guard.terms.{module}"), name)
    globals()[name] = value
    return value
