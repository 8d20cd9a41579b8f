"""How an export names a terms version in force: the document's title as the catalog knows it
and its version date as the terms store knows it, with the stored id and hash as a reference
only (a reader cannot tell what "terms 506edd7c2fbc" was)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from guard.export.facts import CatalogFacts
from guard.i18n import N_

if TYPE_CHECKING:
    from guard.export.export_words import ExportWords
    from guard.terms.store import TermsStore

log = logging.getLogger(__name__)


class TermsNames:
    """Names terms versions for one export; looks each document's versions up once."""

    def __init__(self, facts: CatalogFacts, store: TermsStore | None) -> None:
        self.facts = facts
        self.store = store
        self._dates: dict[tuple[str, str], dict[str, str]] = {}

    def version_date(self, provider_id: str, document_id: str, sha256: str) -> str | None:
        """The date this text was in force (a shipped text's date) or first seen by this app or
        an archive; None when the store does not know the text."""
        key = (provider_id, document_id)
        dates = self._dates.get(key)
        if dates is None:
            dates = self._dates[key] = {}
            if self.store is not None:
                try:
                    versions = self.store.versions(provider_id, document_id)
                except (OSError, ValueError) as error:  # an unreadable store names nothing, never blocks
                    log.warning("Terms store not readable for %s/%s: %s", provider_id, document_id, error)
                    versions = []
                for version in versions:
                    when = version.version_date or (version.first_seen.date() if version.first_seen else None)
                    if when is not None:
                        dates.setdefault(version.sha256, when.isoformat())
        return dates.get(sha256)

    def title(self, ref: Mapping[str, str | None]) -> str | None:
        """The document's title as the catalog knows it; None for a document it does not list."""
        document = self.facts.provider(ref.get("provider_id") or "").documents.get(ref.get("document_id") or "")
        return document.title if document is not None else None

    def label(self, ref: Mapping[str, str | None], words: ExportWords | None = None) -> str:
        """E.g. "Zoom Terms of Service, version of 2025-03-10 (ref. terms 506edd7c2fbc)", in ``words``'
        language (None: English); the catalog's title stays as the provider wrote it."""
        say = words or _ENGLISH
        provider_id, document_id = ref.get("provider_id") or "", ref.get("document_id") or ""
        sha = ref.get("sha256") or ""
        document = self.facts.provider(provider_id).documents.get(document_id)
        title = (document.title if document is not None
                 else say(N_("document '{document}' (not in the catalog)"), document=document_id))
        when = self.version_date(provider_id, document_id, sha)
        version = say(N_("version of {date}"), date=say.day(when)) if when else say(N_("version date not known"))
        return say(N_("{title}, {version} (ref. {document} {hash})"), title=title, version=version,
                   document=document_id, hash=sha[:12])


class _English:
    """English words for a label made without an export's language (the default)."""

    def __call__(self, message: str, /, **values: object) -> str:
        return message.format_map(values) if values else message

    def day(self, iso: str) -> str:
        return iso


_ENGLISH = _English()
