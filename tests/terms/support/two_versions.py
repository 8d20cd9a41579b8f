"""Two versions of one document put in the app's terms store, as two checks a day apart would keep
them (for tests that read them back through ``meeting-guard terms diff`` or the services)."""

from __future__ import annotations

from datetime import UTC, datetime

from guard.paths import app_paths
from guard.terms.models import HttpMeta

URL = "https://acme.example/terms"


def store_two_versions(old: str, new: str) -> None:
    """Keep ``old`` (1 November 2026) and ``new`` (2 November) as provider "acme"'s document "terms"."""
    from guard.terms.store import TermsStore

    store = TermsStore.open(app_paths())
    for text, day in ((old, 1), (new, 2)):
        store.record_version("acme", "terms", text, URL, HttpMeta(200, None, None, "text/html; charset=utf-8", URL),
                             datetime(2026, 11, day, 9, tzinfo=UTC))
