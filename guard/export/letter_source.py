"""``make_letter``: gather what a letter cites (the record or the provider's records, the
catalog's privacy contact, the terms versions in force) and compose it. The I/O shell
around :func:`guard.export.letters.compose_letter`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from guard.catalog.loader import Catalog
from guard.export.errors import ExportError
from guard.export.facts import CatalogFacts, ProviderFacts
from guard.export.letters import MAX_LISTED, CitedRecord, Letter, LetterKind, TermsInForce, compose_letter
from guard.export.letter_words import Wording
from guard.export.letters_host import compose_host_letter, host_organisation
from guard.ledger import Decision, Ledger, Order, Record, RecordFilter
from guard.ledger.models import link_without_secrets
from guard.ledger.timeutil import format_utc

if TYPE_CHECKING:
    from guard.terms.store import TermsStore


def _inferred_terms(terms_store: TermsStore | None, provider: ProviderFacts,
                    moment: datetime) -> tuple[TermsInForce, ...]:
    """For a record stored without terms: per catalog document, the newest version this app
    had seen (or that shipped, dated) by ``moment``."""
    if terms_store is None:
        return ()
    found = []
    for document in provider.documents.values():
        best = None
        for version in terms_store.versions(provider.id, document.id):
            seen = version.first_seen or (datetime.combine(version.version_date, datetime.min.time(), UTC)
                                          if version.version_date else None)
            if seen is not None and seen <= moment and version.problem is None:
                best = (version, seen)
        if best is not None:
            version, seen = best
            found.append(TermsInForce(document.id, version.sha256, version.url or document.url, document.title,
                                      recorded=False, seen=seen.date().isoformat()))
    return tuple(found)


def cite(record: Record, label: str, provider: ProviderFacts, terms_store: TermsStore | None = None) -> CitedRecord:
    """``record`` as a letter cites it; ``label`` is what it means now."""
    titles = {doc_id: doc.title for doc_id, doc in provider.documents.items()}
    terms = tuple(TermsInForce(ref.document_id, ref.sha256, ref.url, titles.get(ref.document_id))
                  for ref in record.terms) or _inferred_terms(terms_store, provider, record.occurred_at)
    # A person reads the letter: the catalog's name of the feature, never its id beside it (the
    # record's id, cited on the line above, is what a machine needs); the id only when the
    # catalog no longer knows the feature.
    feature = provider.feature_name(record.feature_id)
    meeting = record.meeting
    return CitedRecord(record.id, format_utc(record.occurred_at), str(record.decision), label, feature,
                       meeting.title, link_without_secrets(meeting.id_or_link), meeting.organiser, record.purposes,
                       terms)  # a link as the ledger keeps one now: an older build kept a typed one whole


def make_letter(kind: LetterKind | str, ledger: Ledger, catalog: Catalog | None, *, record_id: str | None = None,
                provider_id: str | None = None, name: str | None = None, terms_store: TermsStore | None = None,
                today: date | None = None, language: str = "en", to_host: str | None = None,
                host_address: str | None = None) -> Letter:
    """The letter of ``kind`` about one record (``record_id``) or about a provider
    (``provider_id``: its consents in force for a withdrawal, its latest records otherwise).
    With ``to_host`` (the organisation's name as the user typed it, ``host_address`` its address),
    the letter goes to the organisation that hosted or recorded the meeting instead of the provider.

    Raises RecordNotFoundError for an unknown record, ExportError for bad arguments or a
    provider neither the catalog nor the ledger knows, LanguageError for a language with no
    translation. ``terms_store`` (a TermsStore) fills in the terms version for records stored
    without one. ``language`` is one of guard.i18n.LANGUAGES (see guard.i18n.choose_language).
    """
    try:
        kind = LetterKind(kind)
    except ValueError:
        raise ExportError(f"Unknown letter kind {kind!r}; use one of: "
                          f"{', '.join(str(k) for k in LetterKind)}.") from None
    if (record_id is None) == (provider_id is None):
        raise ExportError("Give either a record (--record ID) or a provider (--provider ID) for the letter.")
    if to_host is not None:
        host_organisation(to_host)  # an empty name is refused before the ledger is read
    facts = CatalogFacts(catalog)
    words = Wording(language)  # its warnings speak the letter's language, as everything around it does
    warnings: list[str] = []
    older = 0
    if record_id is not None:
        record = ledger.get(record_id)
        provider = facts.provider(record.provider_id)
        status = ledger.effective_status(record)
        if kind == LetterKind.WITHDRAWAL and status.decision != Decision.GIVEN:
            warnings.append(words.word("warn_not_in_force", id=record.id, status=words.status(status.label)))
        cited = [cite(record, status.label, provider, terms_store)]
    else:
        assert provider_id is not None  # exactly one of record_id and provider_id, checked above
        provider = facts.provider(provider_id)
        records = [r for r in ledger.iter(RecordFilter(provider_id=provider_id), Order.OCCURRED_NEWEST)
                   if r.refers_to is None]  # withdrawals and corrections show in the status
        if not records and not provider.in_catalog:
            raise ExportError(f"Provider '{provider_id}' is neither in the catalog nor in your consent ledger; "
                              "see 'meeting-guard providers' for the ids.")
        statuses = [(r, ledger.effective_status(r)) for r in records]
        if kind == LetterKind.WITHDRAWAL:
            statuses = [(r, s) for r, s in statuses if s.decision == Decision.GIVEN]
            if not statuses:
                warnings.append(words.word("warn_none_in_force", provider=provider.name))
        older = max(0, len(statuses) - MAX_LISTED)
        cited = [cite(r, s.label, provider, terms_store) for r, s in statuses[:MAX_LISTED]]
    if not provider.in_catalog and to_host is None:
        warnings.append(words.word("warn_not_in_catalog", provider=provider.id))
    if to_host is not None:
        return compose_host_letter(kind, provider, cited, to_host, address=host_address, name=name, today=today,
                                   older=older, warnings=tuple(warnings), language=language)
    return compose_letter(kind, provider, cited, name=name, today=today, older=older, warnings=tuple(warnings),
                          language=language)
