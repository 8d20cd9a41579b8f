"""The providers tab's search box (pure): which providers match, and where.

Every word of the query must occur (case-insensitively) somewhere in the provider: its name,
vendor, kind, an AI feature, a clause or a document. A match names the parts that matched,
so the window can say why a provider is listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from guard.catalog.models import Provider
from guard.presentation import wording
from guard.presentation.i18n import _


@dataclass(frozen=True)
class ProviderMatch:
    provider: Provider
    matched: tuple[str, ...]  # e.g. ("name", "feature meeting-summary", "clause tos-10-4")


def _parts(provider: Provider) -> Iterator[tuple[str, str]]:
    """(label, searchable text) for each part of ``provider``."""
    yield _("name"), " ".join((provider.id, provider.name, provider.vendor, str(provider.kind), provider.note or ""))
    for feature in provider.ai_features:
        yield _("feature {id}").format(id=feature.id), " ".join((
            feature.id, feature.name, feature.description, feature.participant_notice, feature.note or "",
            wording.feature_description(feature, provider.id), wording.participant_notice(feature, provider.id),
            " ".join(map(str, feature.enabled_by)), " ".join(map(str, feature.participant_options)),
            "" if feature.trains_models == "unknown" else f"trains models {feature.trains_models}",
        ))
    for clause in provider.clauses:
        yield _("clause {id}").format(id=clause.id), " ".join((
            clause.id, clause.document, clause.section or "", str(clause.topic), clause.quote,
            clause.summary or "", clause.note or "",
        ))
    for document in provider.documents:
        yield _("document {id}").format(id=document.id), " ".join((document.id, document.title, str(document.type),
                                                                   str(document.url)))


def match_provider(provider: Provider, query: str) -> ProviderMatch | None:
    """The match for ``provider`` (every word found somewhere), or None."""
    words = query.casefold().split()
    if not words:
        return ProviderMatch(provider, ())
    parts = [(label, text.casefold()) for label, text in _parts(provider)]
    everything = " ".join(text for _, text in parts)
    if not all(word in everything for word in words):
        return None
    matched = tuple(label for label, text in parts if any(word in text for word in words))
    return ProviderMatch(provider, matched)


def search_providers(providers: Iterable[Provider], query: str) -> list[ProviderMatch]:
    """Matching providers in the order given."""
    return [match for provider in providers if (match := match_provider(provider, query)) is not None]
