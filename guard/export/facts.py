"""What the catalog says about the providers in an export: names, the controller and its
privacy contact (with where that was learnt), AI features and documents. Looked up once
per provider. Whatever the catalog does not know is None here, and each format says so in its
own terms (DPV's dpv:NotAvailable, an empty Kantara field, a letter's [FILL IN: ...]); never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from guard.catalog.loader import Catalog
from guard.catalog.models import Provider


@dataclass(frozen=True)
class SourceFact:
    url: str
    checked: str  # ISO date

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "checked": self.checked}


@dataclass(frozen=True)
class RoleSourceFact:
    """Where the catalog read that the provider processes for someone else, and the words."""

    url: str
    checked: str  # ISO date
    quote: str
    verified: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "checked": self.checked, "quote": self.quote, "verified": self.verified}


@dataclass(frozen=True)
class FeatureFacts:
    id: str
    name: str
    description: str | None = None
    trains_models: str | None = None
    sources: tuple[SourceFact, ...] = ()


@dataclass(frozen=True)
class DocumentFacts:
    id: str
    title: str
    url: str
    type: str


@dataclass(frozen=True)
class ProviderFacts:
    """One provider as the catalog knows it; ``in_catalog`` is False for an id it lacks."""

    id: str
    name: str
    in_catalog: bool
    vendor: str | None = None
    homepage: str | None = None
    controller: str | None = None
    privacy_email: str | None = None
    privacy_form: str | None = None
    postal_address: str | None = None
    eu_controller: str | None = None
    eu_postal_address: str | None = None
    dpo: str | None = None
    dpo_email: str | None = None
    dpo_form: str | None = None
    contact_sources: tuple[SourceFact, ...] = ()
    contact_verified: bool = False  # the contact was read in the provider's own policy (catalog ``verified``)
    contact_kind: str = "controller"  # guard.catalog.models.ContactKind: is there a controller to write to?
    write_to: tuple[str, ...] = ()  # no-controller: who holds the data instead (WriteTo values)
    processor_for: str | None = None  # guard.catalog.models.ProcessorFor: whom its terms say it processes for
    processor_sources: tuple[RoleSourceFact, ...] = ()
    ended_on: str | None = None  # ISO date the service ended, where it did
    successor: str | None = None  # what the provider moved users to, as the catalog words it
    features: dict[str, FeatureFacts] = field(default_factory=dict)
    documents: dict[str, DocumentFacts] = field(default_factory=dict)

    def feature_name(self, feature_id: str | None) -> str | None:
        if feature_id is None:
            return None
        feature = self.features.get(feature_id)
        return feature.name if feature else feature_id

    def policy_document(self) -> DocumentFacts | None:
        """The privacy statement if the catalog has one, else the terms of service."""
        for kind in ("privacy-statement", "terms-of-service", "ai-terms"):
            for doc in self.documents.values():
                if doc.type == kind:
                    return doc
        return next(iter(self.documents.values()), None)

    @property
    def withdraw_at(self) -> str | None:
        """Where the data subject can withdraw consent or exercise rights: the privacy web form,
        else the privacy e-mail (``mailto:``), else the DPO's; None when the catalog has none."""
        for url in (self.privacy_form, self.dpo_form):
            if url:
                return url
        for email in (self.privacy_email, self.dpo_email):
            if email:
                return f"mailto:{quote(email, safe='@')}"  # an address only: no RFC 6068 fields
        return None

    @property
    def processor_verified(self) -> bool:
        """Whether the processor role was read in the provider's own text (any source verified)."""
        return any(source.verified for source in self.processor_sources)


def _sources(items: Any) -> tuple[SourceFact, ...]:
    return tuple(SourceFact(str(s.url), s.checked.isoformat()) for s in items)


def provider_facts(provider: Provider) -> ProviderFacts:
    contacts = provider.contacts
    return ProviderFacts(
        id=provider.id, name=provider.name, in_catalog=True, vendor=provider.vendor,
        homepage=str(provider.homepage), controller=contacts.controller, privacy_email=contacts.privacy_email,
        privacy_form=str(contacts.privacy_form) if contacts.privacy_form else None,
        postal_address=contacts.postal_address, eu_controller=contacts.eu_controller,
        eu_postal_address=contacts.eu_postal_address, dpo=contacts.dpo, dpo_email=contacts.dpo_email,
        dpo_form=str(contacts.dpo_form) if contacts.dpo_form else None, contact_sources=_sources(contacts.sources),
        contact_verified=contacts.verified, contact_kind=str(contacts.kind),
        write_to=tuple(str(w) for w in contacts.write_to),
        processor_for=str(contacts.processor_for) if contacts.processor_for else None,
        processor_sources=tuple(RoleSourceFact(str(s.url), s.checked.isoformat(), s.quote, s.verified)
                                for s in contacts.processor_sources),
        ended_on=provider.discontinued.on.isoformat() if provider.discontinued else None,
        successor=provider.discontinued.successor if provider.discontinued else None,
        features={f.id: FeatureFacts(f.id, f.name, f.description, str(f.trains_models), _sources(f.sources))
                  for f in provider.ai_features},
        documents={d.id: DocumentFacts(d.id, d.title, str(d.url), str(d.type)) for d in provider.documents},
    )


class CatalogFacts:
    """Provider facts by id, built on first use; works without a catalog (all unknown)."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        self._cache: dict[str, ProviderFacts] = {}

    def provider(self, provider_id: str) -> ProviderFacts:
        facts = self._cache.get(provider_id)
        if facts is None:
            found = self.catalog.get(provider_id) if self.catalog is not None else None
            facts = provider_facts(found) if found else ProviderFacts(provider_id, provider_id, in_catalog=False)
            self._cache[provider_id] = facts
        return facts

    def seen(self) -> list[ProviderFacts]:
        """Every provider looked up so far, by id."""
        return [self._cache[key] for key in sorted(self._cache)]
