"""Consent receipts: one Kantara Initiative Consent Receipt (Specification v1.1.0, 2018-02-20,
https://kantarainitiative.org/file-downloads/consent-receipt-specification-v1-1-0/) per
recorded decision, as ``receipt-<record id>.json`` in a new folder or a ``.zip``.

Every field v1.1 requires is present: version, jurisdiction, consentTimestamp (seconds
since 1970, UTC), collectionMethod, consentReceiptID, piiPrincipalId, piiControllers
(piiController, contact, address, email, phone), policyUrl, services (service, purposes:
purpose, purposeCategory, consentType, piiCategory, primaryPurpose, termination,
thirdPartyDisclosure, thirdPartyName when disclosed), sensitive, spiCat; plus language.

What the catalog or the record does not say is written as :data:`UNKNOWN_TEXT` (never a
guess): a controller's phone or postal address, purpose and PII categories, the
jurisdiction (unless given). Yes/no fields have no "unknown": ``thirdPartyDisclosure`` and
``sensitive`` are false and ``primaryPurpose`` marks the first purpose recorded, and the
extension ``x-meetingPrivacyGuard.notAssessed`` names them as not assessed; the catalog's
clauses about sharing with third parties in force that day are quoted there instead
(``sharingClauses``). The extension also carries the app's own record (decision, what it
means now, the terms version and its SHA-256, the chain hash).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson

from guard.export.facts import UNKNOWN, ProviderFacts
from guard.export.job import ExportJob, Written
from guard.export.output import FileSet
from guard.export.selection import Entry

KANTARA_VERSION = "KI-CR-v1.1.0"
SPEC_URL = "https://kantarainitiative.org/file-downloads/consent-receipt-specification-v1-1-0/"
UNKNOWN_TEXT = UNKNOWN
NOT_RECORDED = "unknown (not recorded)"
EXTENSION = "x-meetingPrivacyGuard"
NOT_ASSESSED = ["thirdPartyDisclosure", "sensitive", "spiCat", "primaryPurpose"]

CONSENT_TYPE = {  # Kantara consentType: how the consent (or its refusal) was expressed
    "given": "EXPLICIT", "refused": "EXPLICIT", "withdrawn": "EXPLICIT", "left-meeting": "EXPLICIT",
    "notice-only": "IMPLICIT",  # the feature ran after a notice, nobody asked
}
REQUESTER = {"host": "the meeting's host", "admin": "an account administrator", "provider": "the provider",
             "self": "the participant"}


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _collection_method(entry: Entry) -> str:
    asked = REQUESTER.get(entry.requested_by or "", None)
    how = f"asked in a meeting by {asked}" if asked else "decision in a meeting"
    return f"{how}; recorded by the participant in Meeting Privacy Guard (decision: {entry.decision})"


def _controller(facts: ProviderFacts) -> dict[str, Any]:
    controller: dict[str, Any] = {
        "piiController": facts.controller or UNKNOWN_TEXT,
        "contact": facts.privacy_form or (f"privacy contact: {facts.privacy_email}" if facts.privacy_email
                                          else UNKNOWN_TEXT),
        "address": {"streetAddress": facts.postal_address or UNKNOWN_TEXT},
        "email": facts.privacy_email or UNKNOWN_TEXT,
        "phone": UNKNOWN_TEXT,
    }
    if facts.homepage:
        controller["piiControllerUrl"] = facts.homepage
    return controller


def _policy(entry: Entry, facts: ProviderFacts) -> tuple[str, dict[str, Any] | None]:
    """The policy URL (the terms version in force) and, in the extension, its version."""
    for ref in entry.terms:
        if ref["url"]:
            return ref["url"], ref
    document = facts.policy_document()
    if document is not None:
        return document.url, None
    return UNKNOWN_TEXT, None


def _sharing_clauses(facts: ProviderFacts, job: ExportJob, day: date) -> list[dict[str, Any]]:
    """What the catalog quotes the provider saying about sharing with third parties that day
    (remembered for the export, per provider and day)."""
    key = ("sharing", facts.id, day)
    if key not in job.memo:
        job.memo[key] = _find_sharing_clauses(facts, job, day)
    return job.memo[key]


def _find_sharing_clauses(facts: ProviderFacts, job: ExportJob, day: date) -> list[dict[str, Any]]:
    catalog = job.facts.catalog
    provider = catalog.get(facts.id) if catalog is not None else None
    if provider is None:
        return []
    return [{"quote": clause.quote, "source": str(clause.source), "checked": clause.checked.isoformat(),
             "verified": clause.verified}
            for clause in provider.clauses_in_force(day) if str(clause.topic) == "third-party-sharing"]


def receipt(entry: Entry, job: ExportJob) -> dict[str, Any]:
    """The Kantara v1.1 receipt of one decision."""
    facts = job.facts.provider(entry.provider_id)
    feature = facts.features.get(entry.feature_id) if entry.feature_id else None
    service = facts.name + (f": {feature.name}" if feature else (f": {entry.feature_id}" if entry.feature_id else ""))
    purposes = list(entry.purposes) or [feature.description if feature and feature.description else NOT_RECORDED]
    standing = entry.standing
    termination = (f"withdrawn (record {standing.current_id or entry.id})" if standing.decision == "withdrawn"
                   else UNKNOWN_TEXT)
    sharing = _sharing_clauses(facts, job, date.fromisoformat(entry.occurred_at[:10]))
    policy_url, terms_ref = _policy(entry, facts)
    purpose_items = []
    for index, text in enumerate(purposes):
        item: dict[str, Any] = {
            "purpose": text, "purposeCategory": [UNKNOWN_TEXT], "consentType": CONSENT_TYPE[entry.decision],
            "piiCategory": [UNKNOWN_TEXT], "primaryPurpose": index == 0, "termination": termination,
            "thirdPartyDisclosure": False,
        }
        purpose_items.append(item)
    return {
        "version": KANTARA_VERSION,
        "jurisdiction": job.jurisdiction or NOT_RECORDED,
        "consentTimestamp": _epoch(entry.occurred_at),
        "collectionMethod": _collection_method(entry),
        "consentReceiptID": entry.id,
        "language": "en",
        "piiPrincipalId": job.subject_name or NOT_RECORDED,
        "piiControllers": [_controller(facts)],
        "policyUrl": policy_url,
        "services": [{"service": service, "purposes": purpose_items}],
        "sensitive": False,
        "spiCat": [],
        EXTENSION: {
            "record": entry.to_dict(),
            "decision": entry.decision,
            "statusNow": standing.label,
            "termsVersion": terms_ref,
            "providerInCatalog": facts.in_catalog,
            "controllerSources": [s.to_dict() for s in facts.contact_sources],
            "notAssessed": NOT_ASSESSED,
            "sharingClauses": sharing,
            "specification": SPEC_URL,
        },
    }


def write_receipts(job: ExportJob, files: FileSet) -> Written:
    count = 0
    for entry in job.entries():
        files.add(f"receipt-{entry.id}.json", orjson.dumps(receipt(entry, job), option=orjson.OPT_INDENT_2))
        count += 1
    return Written(count, files.count)
