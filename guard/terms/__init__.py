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

from guard.terms.analysis import AnalysedChange, analyse
from guard.terms.declarations import Declaration, load_declaration, parse_declaration
from guard.terms.errors import DeclarationError, FetchFailure, TermsError, TermsFetchError, TermsStoreError
from guard.terms.extract import ExtractError, extract
from guard.terms.fetch import Fetcher, FetchPolicy
from guard.terms.models import FetchRecord, FetchResult, SelectMode, Version, WatchedDocument
from guard.terms.store import TermsStore
from guard.terms.watcher import CheckReport, DocumentCheck, TermsWatcher

__all__ = [
    "AnalysedChange", "CheckReport", "Declaration", "DeclarationError", "DocumentCheck", "ExtractError",
    "FetchFailure", "FetchPolicy", "FetchRecord", "FetchResult", "Fetcher", "SelectMode", "TermsError",
    "TermsFetchError", "TermsStore", "TermsStoreError", "TermsWatcher", "Version", "WatchedDocument", "analyse",
    "extract", "load_declaration", "parse_declaration",
]
