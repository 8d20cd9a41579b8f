"""What the overview tab says: AI features that could be on now, and the documents whose
terms changed most recently. Pure apart from reading the terms store's version lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from guard.catalog.loader import Catalog
from guard.catalog.models import AiFeature, Provider
from guard.monitor import Snapshot
from guard.presentation.i18n import _, format_date
from guard.terms.models import Version
from guard.terms.store import TermsStore


@dataclass(frozen=True)
class LiveFeature:
    """An AI feature of a provider that runs now; ``in_meeting`` when a meeting is in progress."""

    provider: Provider
    feature: AiFeature
    in_meeting: bool


def features_that_could_be_on(snapshot: Snapshot | None, catalog: Catalog) -> list[LiveFeature]:
    """The AI features of every provider running now, meetings in progress first."""
    if snapshot is None:
        return []
    in_meeting = {m.provider_id for m in snapshot.meetings}
    running = [m.provider_id for m in snapshot.meetings] + [a.provider_id for a in snapshot.apps]
    found: list[LiveFeature] = []
    seen: set[str] = set()
    for provider_id in running:
        provider = catalog.get(provider_id)
        if provider is None or provider_id in seen:
            continue
        seen.add(provider_id)
        found += [LiveFeature(provider, feature, provider_id in in_meeting) for feature in provider.ai_features]
    return found


def version_day(version: Version) -> date | None:
    """The date a version stands for: a baseline's own date, else when it was first fetched."""
    if version.version_date is not None:
        return version.version_date
    return version.first_seen.astimezone().date() if version.first_seen else None


def version_source(version: Version) -> str:
    """Where a version came from, in two or three words: 'shipped baseline', 'archive
    (Open Terms Archive)', 'provider page', with 'also from the provider page' when both."""
    if version.is_baseline:
        return _("shipped baseline")
    if version.from_archive:
        source = _("archive ({repository})").format(repository=version.archive_repository or _("public archive"))
        return source + (", " + _("also provider page") if version.also_seen else "")
    return _("provider page") + (", " + _("also archive") if version.also_seen else "")


def version_label(version: Version) -> str:
    """E.g. ``11 Aug 2023 · shipped baseline · 506edd7c``."""
    day = version_day(version)
    text = f"{format_date(day) if day else _('undated')} · {version_source(version)} · {version.sha256[:8]}"
    return text + (" · " + _("unreadable") if version.problem else "")


@dataclass(frozen=True)
class DocumentVersions:
    provider_id: str
    provider_name: str
    document_id: str
    title: str
    versions: tuple[Version, ...]  # oldest first

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    @property
    def previous(self) -> Version | None:
        readable = [v for v in self.versions[:-1] if v.problem is None]
        return readable[-1] if readable else None

    @property
    def changed(self) -> bool:
        return self.previous is not None


def watched_documents(catalog: Catalog, store: TermsStore,
                      titles: Mapping[tuple[str, str], tuple[str, str]] | None = None) -> list[DocumentVersions]:
    """Every catalog document (and any other stored one), with its versions, in catalog order.
    ``titles``: (provider name, document title) of documents the catalog does not know (a user's
    own declarations), so they show by name, not by id."""
    titles = titles or {}
    found: list[DocumentVersions] = []
    known: set[tuple[str, str]] = set()
    for provider in catalog:
        for document in provider.documents:
            known.add((provider.id, document.id))
            versions = tuple(store.versions(provider.id, document.id))
            found.append(DocumentVersions(provider.id, provider.name, document.id, document.title, versions))
    for provider_id, document_id in store.documents():
        if (provider_id, document_id) not in known:
            known_provider = catalog.get(provider_id)
            name, title = titles.get((provider_id, document_id),
                                     (known_provider.name if known_provider else provider_id, document_id))
            found.append(DocumentVersions(provider_id, name, document_id,
                                          title, tuple(store.versions(provider_id, document_id))))
    return found


def latest_changes(documents: list[DocumentVersions], limit: int = 5) -> list[DocumentVersions]:
    """Documents with more than one version, the most recently changed first."""
    changed = [doc for doc in documents if doc.changed]

    def newest(doc: DocumentVersions) -> datetime:
        if doc.latest.first_seen is not None:
            return doc.latest.first_seen
        day = version_day(doc.latest) or date(1970, 1, 1)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)

    return sorted(changed, key=newest, reverse=True)[:limit]
