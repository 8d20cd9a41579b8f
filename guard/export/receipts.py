"""Consent receipts: a Kantara Initiative Consent Receipt (Specification v1.1.0, 2018-02-20,
https://kantarainitiative.org/file-downloads/consent-receipt-specification-v1-1-0/) for every
consent the user gave, signed as a JWS with the ledger's Ed25519 key, in a new folder or a
``.zip``:

* ``receipt-<record id>.json``: the receipt (valid against the working group's JSON schema,
  github.com/KantaraInitiative/consent-receipt-v-next, CR_v1_1);
* ``receipt-<record id>.jws``: the same receipt as a JWS compact serialisation (RFC 7515,
  ``alg`` EdDSA, ``kid`` the ledger key's id), whose key is in ``publicKey``;
* ``not-consent.json``: every decision that is not a consent (refused, left the meeting, only
  saw a notice, a withdrawal, a consent corrected away). CR v1.1 has no way to say "no", and a
  receipt is read as consent by anyone who ignores extensions, so these are never receipts.

Only the ``.jws`` files are signed; ``receipt-<id>.json``, ``not-consent.json`` and the public
key file are not, and the folder as a whole has no chain or signed head (a file removed from it
is not detected): docs/verify-export.md says what each file is and how it is checked. The
signed JSON export is the complete, tamper-evident history.

A consent later withdrawn keeps its receipt (it was given), and its ``termination`` says when
it was withdrawn and by which record. Required fields hold real values or the specification's
codes: the purpose and PII categories are its numbered categories ("2 - Contracted Service",
"4 - Communications/Social"), the policy URL is the terms version recorded with the decision or
the catalog's privacy statement, and contact fields the catalog lacks are empty rather than
filled with words. A decision with no policy URL at all (a provider unknown to the catalog,
no terms recorded) cannot make a receipt and is listed in ``not-consent.json`` with that reason.
"""

from __future__ import annotations

import base64
import logging
from datetime import date, datetime
from typing import Any

import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from guard.export.errors import ExportError
from guard.export.facts import ProviderFacts
from guard.export.job import ExportJob, Written
from guard.export.output import FileSet
from guard.export.selection import Amendment, Entry
from guard.ledger import LedgerKeyError
from guard.ledger.canonical import record_hash
from guard.ledger.key_info import KeyInfo
from guard.ledger.signing import Verifier, record_message

log = logging.getLogger(__name__)

KANTARA_VERSION = "KI-CR-v1.1.0"
SPEC_URL = "https://kantarainitiative.org/file-downloads/consent-receipt-specification-v1-1-0/"
EXTENSION = "x-meetingPrivacyGuard"
COMPANION = "not-consent.json"
NOT_ASSESSED = ["sensitive", "spiCat"]

# The specification's numbered categories, as its working group's example receipt writes them
# (CR_v1_1/kantara-consent-receipt-v1_1-example.json in KantaraInitiative/consent-receipt-v-next
# at commit f5c5d689e9435075aa121109d161ab277dbcee04), numbered as in the Kantara CIS WG's
# purpose and PII category lists (KantaraInitiative/CISWG, MVCR-Spec/MVCR-v0.8/MVCR v0.8-Draft.md
# at commit 48aa5d88e3efca64316da9892582592e89806975, appendices B and C).
PURPOSE_SERVICE = "2 - Contracted Service"  # "to provide contracted or requested services"
PURPOSE_IMPROVE = "16 - Improve Performance"  # "measure or improve our performance or the delivery of our services"
PII_COMMUNICATIONS = "4 - Communications/Social"  # "message and phone records, both content and metadata"

REQUESTER = {"host": "the meeting's host", "admin": "an account administrator", "provider": "the provider",
             "self": "the participant"}
WHY_NOT = {
    "refused": "refused: consent was not given",
    "left-meeting": "the participant left the meeting rather than take part with the feature on: consent was not "
                    "given",
    "notice-only": "a notice was shown and no decision was asked for or made: consent was not given",
    "withdrawn": "a withdrawal of consent",
}


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _collection_method(entry: Entry) -> str:
    asked = REQUESTER.get(entry.requested_by or "")
    how = f"agreed when asked in a meeting by {asked}" if asked else "agreed in a meeting"
    return f"{how}; recorded by the participant in Meeting Privacy Guard"


def _controller(facts: ProviderFacts) -> dict[str, Any]:
    """The PII controller as the catalog knows it; what it lacks is left empty, never guessed."""
    name = facts.controller or facts.vendor or f"{facts.id} (as recorded; not in the app's catalog)"
    contact = facts.privacy_form or facts.privacy_email or facts.dpo or facts.dpo_form or facts.homepage or ""
    controller: dict[str, Any] = {
        "piiController": name,
        "contact": contact,
        "address": {"streetAddress": facts.postal_address} if facts.postal_address else {},
        "email": facts.privacy_email or facts.dpo_email or "",
        "phone": "",
    }
    if facts.homepage:
        controller["piiControllerUrl"] = facts.homepage
    return controller


def _policy(entry: Entry, facts: ProviderFacts) -> tuple[str | None, dict[str, Any] | None]:
    """The policy URL (the terms version recorded with the decision, else the catalog's privacy
    statement) and, for the extension, the version recorded."""
    for ref in entry.terms:
        if ref["url"]:
            return ref["url"], ref
    document = facts.policy_document()
    return (document.url if document is not None else None), None


def _sharing_clauses(facts: ProviderFacts, job: ExportJob, day: date) -> list[dict[str, Any]]:
    """What the catalog quotes the provider saying about sharing with third parties that day
    (remembered for the export, per provider and day)."""
    key = ("sharing", facts.id, day)
    if key not in job.memo:
        catalog = job.facts.catalog
        provider = catalog.get(facts.id) if catalog is not None else None
        job.memo[key] = [] if provider is None else [
            {"quote": clause.quote, "source": str(clause.source), "checked": clause.checked.isoformat(),
             "verified": clause.verified}
            for clause in provider.clauses_in_force(day) if str(clause.topic) == "third-party-sharing"]
    result: list[dict[str, Any]] = job.memo[key]
    return result


def _termination(entry: Entry, facts: ProviderFacts, history: list[Amendment]) -> str:
    standing = entry.standing
    if standing.decision == "withdrawn" and standing.current_id:
        when = next((a.occurred_at for a in history if a.id == standing.current_id), "")
        return f"withdrawn by the PII principal on {when[:10]} (record {standing.current_id})"
    where = facts.withdraw_at
    return "on withdrawal by the PII principal" + (f", at {where}" if where else "")


class Receipts:
    """Builds the receipts of one export (the parts all receipts share are made once)."""

    def __init__(self, job: ExportJob, jurisdiction: str) -> None:
        self.job = job
        self.jurisdiction = jurisdiction
        proof = job.ledger.proof()
        self.ledger_id = proof.ledger_id
        self.signer: Any = None
        self.key_id: str | None = None
        self.public_pem = ""
        info: KeyInfo | None
        try:
            info, self.signer = job.ledger.document_signer()
        except LedgerKeyError as error:
            job.warnings.append(f"Receipts are not signed: {error}")
            info = None
        public_key = info.public_key if info is not None else next(
            (k.public_key for k in reversed(proof.keys) if k.public_key), None)
        if public_key:
            self.key_id = info.key_id if info is not None else None
            public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
            self.public_pem = public.public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
        self.principal = job.subject_name or f"urn:uuid:{self.ledger_id}"
        # the ledger's keys by id (None: an HMAC key of a ledger begun before Ed25519, which no public key checks)
        self.verifiers: dict[str, Verifier | None] = {
            k.key_id: Verifier(base64.b64decode(k.public_key)) if k.algorithm == "ed25519" and k.public_key else None
            for k in proof.keys}

    def is_consent(self, entry: Entry) -> str | None:
        """None when ``entry`` makes a receipt, else why it does not."""
        if entry.decision != "given":
            return WHY_NOT.get(entry.decision, f"decision {entry.decision!r}")
        history = self.job.statuses.history(entry.id)
        if history and history[0].decision != "withdrawn":
            return f"corrected to '{history[0].decision}' by record {history[0].id}"
        if _policy(entry, self.job.facts.provider(entry.provider_id))[0] is None:
            return ("no policy URL is known for this provider (not in the catalog, no terms recorded), which a "
                    "receipt needs")
        return self.not_as_signed(entry)

    def not_as_signed(self, entry: Entry) -> str | None:
        """Why ``entry`` is not the record its owner signed (changed in the file since), or None.

        A receipt is signed now, with the ledger's key: signing one for a record someone edited
        (a refusal made "given") would make a consent receipt the owner never gave, which a JOSE
        library given the owner's key accepts. So its own hash and signature are checked first."""
        if record_hash(entry.prev_hash, entry.body) != entry.hash:
            return ("its ledger record was changed after it was signed (its content no longer matches its hash): "
                    "no receipt is signed for it; run 'meeting-guard consent verify'")
        key_id = entry.content.get("key_id")
        if key_id not in self.verifiers:
            return (f"its ledger record names a key this ledger does not have ({str(key_id)[:80]!r}): no receipt is "
                    "signed for it; run 'meeting-guard consent verify'")
        verifier = self.verifiers[key_id]
        if verifier is not None and not verifier.verify(record_message(entry.hash), entry.signature):
            return ("its ledger record's signature does not verify with the ledger's key: no receipt is signed for "
                    "it; run 'meeting-guard consent verify'")
        return None

    def receipt(self, entry: Entry) -> dict[str, Any]:
        """The Kantara v1.1 receipt of a consent given."""
        facts = self.job.facts.provider(entry.provider_id)
        feature = facts.features.get(entry.feature_id) if entry.feature_id else None
        service = facts.name + (f": {feature.name}" if feature else (f": {entry.feature_id}" if entry.feature_id
                                                                       else ""))
        purposes = list(entry.purposes) or [feature.description if feature and feature.description
                                            else f"the feature {service}"]
        sharing = _sharing_clauses(facts, self.job, date.fromisoformat(entry.occurred_at[:10]))
        policy_url, terms_ref = _policy(entry, facts)
        categories = [PURPOSE_SERVICE] + ([PURPOSE_IMPROVE] if feature is not None
                                          and str(feature.trains_models) == "yes" else [])
        termination = _termination(entry, facts, self.job.statuses.history(entry.id))
        items = []
        for index, text in enumerate(purposes):
            item: dict[str, Any] = {"purpose": text, "purposeCategory": categories, "consentType": "EXPLICIT",
                                    "piiCategory": [PII_COMMUNICATIONS], "primaryPurpose": index == 0,
                                    "termination": termination, "thirdPartyDisclosure": bool(sharing)}
            if sharing:
                item["thirdPartyName"] = "third parties as the provider's terms describe: " + sharing[0]["source"]
            items.append(item)
        receipt: dict[str, Any] = {
            "version": KANTARA_VERSION,
            "jurisdiction": self.jurisdiction,
            "consentTimestamp": _epoch(entry.occurred_at),
            "collectionMethod": _collection_method(entry),
            "consentReceiptID": entry.id,
            **_language(entry.content.get("language")),
            "piiPrincipalId": self.principal,
            "piiControllers": [_controller(facts)],
            "policyUrl": policy_url,
            "services": [{"service": service, "purposes": items}],
            "sensitive": False,
            "spiCat": [],
        }
        if self.public_pem:
            receipt["publicKey"] = self.public_pem
        receipt[EXTENSION] = {
            "record": entry.to_dict(), "statusNow": entry.standing.label, "termsVersion": terms_ref,
            "language": entry.content.get("language") or LANGUAGE_NOT_RECORDED,
            "providerInCatalog": facts.in_catalog, "controllerSources": [s.to_dict() for s in facts.contact_sources],
            "notAssessed": NOT_ASSESSED, "sharingClauses": sharing, "specification": SPEC_URL,
            "signedWith": {"key_id": self.key_id, "ledger_id": self.ledger_id} if self.signer else None,
        }
        return receipt

    def jws(self, payload: bytes) -> bytes | None:
        """``payload`` as a JWS compact serialisation signed with the ledger's key (RFC 7515, 8037)."""
        if self.signer is None:
            return None
        header = orjson.dumps({"alg": "EdDSA", "kid": self.key_id, "typ": "JWT", "cty": "kantara-consent-receipt"})
        signing_input = _b64(header) + b"." + _b64(payload)
        return signing_input + b"." + _b64(bytes.fromhex(self.signer(signing_input)))

    @staticmethod
    def not_consent(entry: Entry, why: str) -> dict[str, Any]:
        return {"record": entry.id, "seq": entry.seq, "occurred_at": entry.occurred_at, "provider": entry.provider_id,
                "feature": entry.feature_id, "decision": entry.decision, "refers_to": entry.refers_to,
                "status_now": entry.standing.label, "why_no_receipt": why}


LANGUAGE_NOT_RECORDED = "not recorded"


def _language(tag: object) -> dict[str, str]:
    """The receipt's ``language``, the language the consent was asked in, as two letters as the
    working group's example writes it (``"en"``; ISO 639-1): the language subtag of the BCP 47 tag
    the record keeps (``pt`` of ``pt-BR``; the whole tag is in the extension's ``language``). Left
    out when the record names none or a language with no two-letter code: the working group's
    schema makes the field optional, and a receipt must not name a language nobody recorded. (The
    specification's own PDF could not be read here; its wording of the field is not checked.)"""
    primary = str(tag).partition("-")[0] if isinstance(tag, str) else ""
    return {"language": primary.lower()} if len(primary) == 2 and primary.isascii() and primary.isalpha() else {}


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def receipt_jurisdiction(job: ExportJob) -> str:
    """The jurisdiction receipts state: given with the export, else the system locale's region."""
    if job.jurisdiction and job.jurisdiction.strip():
        return job.jurisdiction.strip().upper()
    from guard.i18n import locale_region

    region = locale_region()
    if region:
        return region
    raise ExportError("Consent receipts state the jurisdiction whose law applies, and none is known: give "
                      "--jurisdiction (e.g. EU, DE or FR), or set Jurisdiction under Preferences (general.jurisdiction "
                      "in the settings file).")


def write_receipts(job: ExportJob, files: FileSet) -> Written:
    receipts = Receipts(job, receipt_jurisdiction(job))
    count = 0
    others = []
    for entry in job.entries():
        count += 1
        why = receipts.is_consent(entry)
        if why is not None:
            others.append(receipts.not_consent(entry, why))
            if entry.decision == "given" and why.startswith("its ledger record"):
                job.warnings.append(f"Record {entry.seq}: {why}")
            continue
        payload = orjson.dumps(receipts.receipt(entry), option=orjson.OPT_INDENT_2)
        files.add(f"receipt-{entry.id}.json", payload)
        signed = receipts.jws(payload)
        if signed is not None:
            files.add(f"receipt-{entry.id}.jws", signed)
    files.add(COMPANION, orjson.dumps({
        "description": "Decisions in this export that are not consent, so not consent receipts: Kantara Consent "
                       "Receipt v1.1 can only record consent given.",
        "specification": SPEC_URL, "records": others}, option=orjson.OPT_INDENT_2))
    if receipts.public_pem:
        files.add("ledger-public-key.pem", receipts.public_pem.encode("ascii"))
    return Written(count, files.count)
