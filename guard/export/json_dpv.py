"""The JSON export: every decision as an ISO/IEC TS 27560 consent record in the W3C Data
Privacy Vocabulary (JSON-LD), following the DPVCG guide's §8 (see :mod:`guard.export.dpv_terms`),
plus each record exactly as the ledger signed it, the ledger's verification and chain head.

* A decision (given, refused, left-meeting, notice-only) is a ``dpv:ConsentRecord`` carrying
  every field the guide marks MUST: schema version (``dct:conformsTo``), identifier, data
  subject, notice (with its language and the terms version in force), process (purpose,
  personal data, storage condition, data controller, recipients, consent control,
  jurisdiction, rights, legal basis = consent type) and the consent status (time, duration,
  who indicated it, how).
* A withdrawal or correction is a new ledger record. In DPV it is a later status in the
  ``dpv:hasConsentStatus`` history of the record it changes (the guide's Example 39: given at
  t1, withdrawn at t2), so a reader of DPV terms alone sees the consent withdrawn. Its own
  node (same ``@id``) carries its place in the chain.
* The controller is a ``dpv:DataController`` entity with name, identifier, contact point and
  postal address (guide §8.4) from the catalog, with the catalog's sources.

Where DPV has no term, the app's own namespace ``mpg:`` (``urn:meeting-privacy-guard:``) holds
the value: the chain fields, ``mpg:record`` (the exact canonical content that was hashed) and
the app's own decision word.
"""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO

import orjson

from guard.export.dpv_terms import (
    CONSENT_TYPE,
    CONTEXT,
    DPV_27560_GUIDE,
    DPV_27560_RECORD,
    DPV_VERSION_IRI,
    FORM_DESCRIPTION,
    FORM_TITLE,
    FORM_TYPE,
    GDPR_RIGHTS,
    LANGUAGE_NOT_RECORDED,
    METHOD,
    NOT_AVAILABLE,
    PD_COMMUNICATION,
    STATUS,
    UNKNOWN_APPLICABILITY,
    gdpr_applies,
    jurisdiction_iri,
    not_available,
    ref,
    status_duration,
)
from guard import APP_NAME, __version__
from guard.export.facts import ProviderFacts
from guard.export.job import ExportJob, Written
from guard.export.public import public_verification
from guard.export.selection import Amendment, Entry, StatusIndex
from guard.ledger.head import SignedHead

EXPORT_FORMAT_VERSION = 2
SUBJECT_ID = "_:data-subject"
SUBJECT = ref(SUBJECT_ID)
CONFORMS = ref(DPV_27560_RECORD)

HOW_TO_CHECK = [
    "Each record's mpg:record is the exact content the ledger hashed. Serialise it canonically "
    "(keys sorted, no whitespace, UTF-8, non-ASCII characters kept) and check that "
    "SHA-256(mpg:prevHash + that text) equals mpg:hash.",
    "In an unfiltered export the records chain: each mpg:prevHash is the previous record's "
    "mpg:hash (the first is 64 zeros), and the last mpg:hash equals the head's hash.",
    "mpg:signature signs mpg:hash: see docs/verify-export.md, or run 'meeting-guard verify-export FILE'.",
]


# The personal data type (guide §8.3.3.1: a DPV data category through skos:broader): what a meeting
# feature processes is what the participant communicates in the meeting, pd:Communication ("information
# communicated from or to an individual", DPV 2.3 pd extension). Finer categories depend on the feature.
PERSONAL_DATA: dict[str, Any] = {
    "@type": "dpv:PersonalData", "skos:broader": ref(PD_COMMUNICATION),
    "dct:description": "What the participant says, writes and shows in the meeting (its content), which the "
                       "feature processes; finer categories (voice, image, chat) depend on the feature and are "
                       "not in the app's catalog."}


def controller_id(provider_id: str) -> str:
    return f"urn:meeting-privacy-guard:controller:{provider_id}"


def third_parties_id(provider_id: str) -> str:
    return f"urn:meeting-privacy-guard:third-parties:{provider_id}"


def service_id(provider_id: str, feature_id: str | None) -> str:
    return f"urn:meeting-privacy-guard:service:{provider_id}/{feature_id or '-'}"


class _Nodes:
    """Nodes many records share (processes, notices), built once and referred to by ``@id``:
    100,000 records must not repeat a controller's rights and contacts 100,000 times."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.processes: dict[tuple[object, ...], dict[str, Any]] = {}
        self.notices: dict[tuple[object, ...], list[dict[str, Any]]] = {}
        self.services: dict[tuple[str, str | None], None] = {}
        self.forms: dict[object, dict[str, Any]] = {}
        self._entities: dict[str, list[dict[str, str]]] = {}
        self.jurisdiction = jurisdiction_iri(job.jurisdiction)
        self.gdpr = gdpr_applies(job.jurisdiction)

    def entities(self, provider: str) -> list[dict[str, str]]:
        found = self._entities.get(provider)
        if found is None:
            found = self._entities[provider] = [SUBJECT, ref(controller_id(provider))]
        return found

    def process(self, content: dict[str, Any]) -> dict[str, str]:
        provider, feature, purposes = content["provider_id"], content["feature_id"], tuple(content["purposes"])
        legal_basis = CONSENT_TYPE.get(content["decision"], "dpv:Consent")
        key = (provider, feature, purposes, legal_basis)
        node = self.processes.get(key)
        if node is None:
            self.services[(provider, feature)] = None
            node = self._process(f"_:process-{len(self.processes) + 1}", provider, feature, purposes, legal_basis)
            self.processes[key] = node
        return ref(node["@id"])

    def _process(self, node_id: str, provider: str, feature_id: str | None, purposes: tuple[str, ...],
                 legal_basis: str) -> dict[str, Any]:
        facts = self.job.facts.provider(provider)
        feature = facts.features.get(feature_id) if feature_id else None
        texts = list(purposes) or ([feature.description] if feature is not None and feature.description else [])
        purpose_nodes: list[dict[str, Any]] = [
            {"@type": "dpv:Purpose", "skos:broader": ref("dpv:ServiceProvision"), "dct:description": text}
            for text in texts] or [not_available("dpv:Purpose", "The purpose was not recorded with the decision "
                                                                 "and the catalog does not describe the feature.")]
        controller = ref(controller_id(provider))
        withdraw_at = facts.withdraw_at
        control: dict[str, Any] = {"@type": "dpv:WithdrawConsent"}
        if withdraw_at:
            control["dpv:isExercisedAt"] = ref(withdraw_at)
        else:
            control["dct:description"] = "The catalog has no privacy contact for this provider: ask the provider."
        node: dict[str, Any] = {
            "@id": node_id, "@type": "dpv:Process",
            "dpv:hasPurpose": purpose_nodes,
            "dpv:hasPersonalData": [PERSONAL_DATA],
            "dpv:hasStorageCondition": [not_available(
                "dpv:StorageCondition", "Where and how long the provider stores the data is not in the app's "
                                        "catalog.")],
            "dpv:hasDataController": controller,
            "dpv:hasRecipient": [controller, ref(third_parties_id(provider))],
            "dpv:hasConsentControl": control,
            "dpv:hasJurisdiction": ref(self.jurisdiction) if self.jurisdiction else not_available(
                "dpv:Location", "No jurisdiction was given for this export (meeting-guard consent export "
                                "--jurisdiction)."),
            "dpv:hasRight": self._rights(withdraw_at),
            "dpv:hasLegalBasis": [ref(legal_basis)] + ([ref("eu-gdpr:A6-1-a")] if self.gdpr
                                                       and legal_basis == "dpv:ExpressedConsent" else []),
            "dpv:hasService": ref(service_id(provider, feature_id)),
        }
        if self.gdpr:
            node["dpv:hasApplicableLaw"] = ref("legal-eu:law-GDPR")
        return node

    def _rights(self, withdraw_at: str | None) -> list[dict[str, Any]]:
        if not self.gdpr:
            return [not_available("dpv:DataSubjectRight", "The rights depend on the jurisdiction, which was not "
                                                          "given for this export.")]
        rights = []
        for term, title in GDPR_RIGHTS:
            right: dict[str, Any] = {"@type": ["dpv:DataSubjectRight", term], "dct:title": title,
                                     "dpv:hasApplicableLaw": ref("legal-eu:law-GDPR")}
            if withdraw_at:
                right["dpv:isExercisedAt"] = ref(withdraw_at)
            rights.append(right)
        return rights

    def notice(self, terms: list[dict[str, Any]], provider: str) -> list[dict[str, Any]]:
        key = tuple((t["provider_id"], t["document_id"], t["sha256"], t["url"]) for t in terms) or (provider,)
        nodes = self.notices.get(key)
        if nodes is None:
            nodes = self.notices[key] = self._notices(terms, provider)
        return nodes

    def form(self, language: object) -> dict[str, str]:
        """The app's own form the decision was recorded on, with its language (the record's
        ``language``) or that it was not recorded: one node per language in ``mpg:forms``,
        referred to by ``@id`` (written in full, it made a 100,000-record export 13 % larger)."""
        key = None if language is None else str(language)
        node = self.forms.get(key)
        if node is None:
            said = key if key is not None else not_available("dct:LinguisticSystem", LANGUAGE_NOT_RECORDED)
            node = self.forms[key] = {"@id": f"_:form-{len(self.forms) + 1}", "@type": FORM_TYPE,
                                      "dct:title": FORM_TITLE, "dct:description": FORM_DESCRIPTION,
                                      "dct:language": said}
        return ref(node["@id"])

    def _notices(self, terms: list[dict[str, Any]], provider: str) -> list[dict[str, Any]]:
        language = not_available("dct:LinguisticSystem", "The language of this document is not recorded.")
        nodes = []
        for t in terms:
            facts = self.job.facts.provider(t["provider_id"])
            document = facts.documents.get(t["document_id"])
            node: dict[str, Any] = {"@type": "dpv:PrivacyNotice", "dct:identifier": f"sha256:{t['sha256']}",
                                    "dct:hasVersion": f"sha256:{t['sha256']}", "dct:language": language,
                                    "mpg:document": f"{t['provider_id']}/{t['document_id']}"}
            if t["url"]:
                node["@id"] = t["url"]
            if document is not None:
                node["dct:title"] = document.title
            when = self.job.terms_names.version_date(t["provider_id"], t["document_id"], t["sha256"])
            if when:  # the same version date the PDF and HTML name
                node["dct:date"] = when
            nodes.append(node)
        if nodes:
            return nodes
        document = self.job.facts.provider(provider).policy_document()
        if document is None:
            unknown = not_available("dpv:PrivacyNotice", "No terms version was recorded with the decision and "
                                                         "the catalog lists no privacy notice for this provider.")
            unknown["dct:language"] = language
            return [unknown]
        return [{"@id": document.url, "@type": "dpv:PrivacyNotice", "dct:title": document.title,
                 "dct:language": language,
                 "dct:hasVersion": not_available(None, "No terms version was recorded with the "
                                                                 "decision: the version in force is not known.")}]


_DURATION = {decision: status_duration(decision) for decision in STATUS}  # shared: 100,000 records repeat them


def _status(node_id: str, decision: str, occurred_at: str) -> dict[str, Any]:
    return {"@id": node_id, "@type": STATUS.get(decision, "dpv:ConsentUnknown"), "dpv:isIndicatedAtTime": occurred_at,
            "dpv:isIndicatedBy": SUBJECT, "dpv:hasDuration": _DURATION.get(decision) or status_duration(decision),
            "dpv:hasIndicationMethod": METHOD.get(decision, "recorded by the participant")}


def _amendment_status(amendment: Amendment) -> dict[str, Any]:
    node = _status("urn:uuid:" + amendment.id, amendment.decision, amendment.occurred_at)
    node["mpg:amends"] = ref("urn:uuid:" + amendment.refers_to)
    return node


def _chain(node: dict[str, Any], entry: Entry) -> dict[str, Any]:
    node["mpg:seq"] = entry.seq
    node["mpg:prevHash"] = entry.prev_hash
    node["mpg:hash"] = entry.hash
    node["mpg:signature"] = entry.signature
    node["mpg:keyId"] = entry.content["key_id"]
    node["mpg:record"] = orjson.Fragment(entry.body.encode())  # bytes: several times faster to embed than str
    return node


def record_node(entry: Entry, nodes: _Nodes) -> dict[str, Any]:
    """One ledger record as a node (reads the content dict directly: this runs 100,000 times in a
    large export): a ``dpv:ConsentRecord`` for a decision, a status for a withdrawal or correction."""
    content = entry.content
    record_id = content["id"]
    decision = content["decision"]
    refers_to = content["refers_to"]
    if refers_to:
        status = _status("urn:uuid:" + record_id, decision, content["occurred_at"])
        status["dct:identifier"] = record_id
        status["mpg:amends"] = ref("urn:uuid:" + refers_to)
        status["mpg:decision"] = decision
        status["mpg:kind"] = "withdrawal" if decision == "withdrawn" else "correction"
        return _chain(status, entry)
    history = [_status(f"urn:uuid:{record_id}#decision", decision, content["occurred_at"])]
    if entry.standing.current_id is not None:  # later records withdrew or corrected this one
        history += [_amendment_status(a) for a in nodes.job.statuses.history(record_id)]
    provider = content["provider_id"]
    node: dict[str, Any] = {
        "@id": "urn:uuid:" + record_id,
        "@type": "dpv:ConsentRecord",
        "dct:conformsTo": CONFORMS,
        "dct:identifier": record_id,
        "dct:created": content["recorded_at"],
        "dpv:hasDataSubject": SUBJECT,
        "dpv:hasEntity": nodes.entities(provider),
        "dpv:hasNotice": [*nodes.notice(content["terms"], provider), nodes.form(content.get("language"))],
        "dpv:hasProcess": nodes.process(content),
        "dpv:hasConsentStatus": history,
        "mpg:decision": decision,
        "mpg:statusNow": entry.standing.label,
    }
    if content["requested_by"]:
        node["mpg:requestedBy"] = content["requested_by"]
    return _chain(node, entry)


def controller_node(facts: ProviderFacts) -> dict[str, Any]:
    """The provider as a ``dpv:DataController`` entity (guide §8.4): name, identifier, role,
    contact point and postal address, each from the catalog or stated as not available. It is
    also a ``dpv:Recipient`` (each process names it with ``dpv:hasRecipient``, whose range that
    is): in DPV 2.3 a data controller is not a kind of recipient by itself."""
    node_id = controller_id(facts.id)
    node: dict[str, Any] = {"@id": node_id, "@type": ["dpv:DataController", "dpv:Organisation", "dpv:Recipient"],
                            "dpv:hasIdentifier": node_id, "mpg:provider": facts.id, "mpg:providerName": facts.name,
                            "mpg:inCatalog": facts.in_catalog}
    if facts.controller:
        node["dpv:hasName"] = facts.controller
    elif facts.vendor:
        node["dpv:hasName"] = facts.vendor
        node["dct:description"] = "The vendor the catalog names; its legal entity for your data is not in the catalog."
    else:
        node["dpv:hasName"] = not_available("dpv:Entity", "This provider is not in the app's catalog.")
    contact: dict[str, Any] = {"@type": "schema:ContactPoint", "schema:contactType": "privacy"}
    if facts.privacy_email:
        contact["schema:email"] = facts.privacy_email
    if facts.privacy_form:
        contact["schema:url"] = ref(facts.privacy_form)
    if len(contact) == 2:
        contact["dpv:hasApplicability"] = NOT_AVAILABLE
    points: list[dict[str, Any]] = [contact]
    if facts.dpo or facts.dpo_email or facts.dpo_form:
        dpo: dict[str, Any] = {"@type": "schema:ContactPoint", "schema:contactType": "data protection officer"}
        if facts.dpo:
            dpo["schema:name"] = facts.dpo
        if facts.dpo_email:
            dpo["schema:email"] = facts.dpo_email
        if facts.dpo_form:
            dpo["schema:url"] = ref(facts.dpo_form)
        points.append(dpo)
    if facts.postal_address:
        points.append({"@type": "schema:PostalAddress", "schema:streetAddress": facts.postal_address})
    else:
        points.append(not_available("schema:PostalAddress", "The postal address is not in the app's catalog."))
    if facts.eu_controller or facts.eu_postal_address:
        eu: dict[str, Any] = {"@type": "schema:PostalAddress", "schema:areaServed": "EU/EEA"}
        if facts.eu_controller:
            eu["schema:name"] = facts.eu_controller
        if facts.eu_postal_address:
            eu["schema:streetAddress"] = facts.eu_postal_address
        points.append(eu)
    node["schema:contactPoint"] = points
    if facts.homepage:
        node["schema:url"] = ref(facts.homepage)
    if facts.contact_sources:
        node["mpg:contactSources"] = [s.to_dict() for s in facts.contact_sources]
    return node


def third_parties_node(facts: ProviderFacts) -> dict[str, Any]:
    """Recipients besides the controller (ISO 27560 lists third parties): the catalog does not
    say whether a provider passes meeting data to third-party AI providers. Typed
    ``dpv:Recipient`` too (the range of ``dpv:hasRecipient``; in DPV 2.3 a third party is not
    a kind of recipient by itself)."""
    return {"@id": third_parties_id(facts.id), "@type": ["dpv:ThirdParty", "dpv:Recipient"],
            "dpv:hasApplicability": UNKNOWN_APPLICABILITY,
            "dct:description": f"Whether {facts.name} passes this data to third parties (such as AI model "
                               "providers) is not in the app's catalog."}


def service_node(facts: ProviderFacts, feature_id: str | None) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": service_id(facts.id, feature_id), "@type": "dpv:Service",
                            "mpg:provider": facts.id, "mpg:feature": feature_id}
    feature = facts.features.get(feature_id) if feature_id else None
    if feature is not None:
        node["dct:title"] = f"{facts.name}: {feature.name}"
        if feature.description:
            node["dct:description"] = feature.description
        if feature.trains_models and feature.trains_models != "unknown":  # the catalog's yes / no / opt-out words
            node["mpg:trainsModels"] = feature.trains_models
        node["dct:source"] = [{"@id": s.url, "mpg:checked": s.checked} for s in feature.sources]
    else:
        node["dct:title"] = facts.name if feature_id is None else f"{facts.name}: {feature_id}"
    return node


APP_AGENT_ID = "urn:meeting-privacy-guard:app"


def creator(job: ExportJob) -> dict[str, Any]:
    """Who made the export (``dct:creator``, whose range is ``dct:Agent``: "a resource that acts or
    has the power to act", a software agent among DCMI's examples): the app, on the participant's
    computer, as a node with its name and version, as DPV's examples name an entity rather than a
    string (E0076 ``dct:creator ex:BetaInc``)."""
    return {"@id": APP_AGENT_ID, "@type": ["dct:Agent", "schema:SoftwareApplication"], "schema:name": APP_NAME,
            "schema:softwareVersion": __version__}


def header(job: ExportJob, export_id: str) -> dict[str, Any]:
    subject: dict[str, Any] = {"@id": SUBJECT_ID, "@type": "dpv:DataSubject", "skos:broader": ref("dpv:Participant"),
                               "dpv:hasIdentifier": "the participant who kept this ledger"}
    if job.subject_name:
        subject["dpv:hasName"] = job.subject_name
    return {
        "@context": CONTEXT,
        "@id": f"urn:uuid:{export_id}",
        "@type": "mpg:ConsentHistoryExport",
        "dct:conformsTo": [ref(DPV_VERSION_IRI), ref(DPV_27560_GUIDE), CONFORMS],
        "dct:created": job.generated_text,
        "dct:creator": creator(job),
        "mpg:formatVersion": EXPORT_FORMAT_VERSION,
        "mpg:howToCheck": HOW_TO_CHECK,
        "dpv:hasDataSubject": subject,
    }


def signing(job: ExportJob) -> tuple[dict[str, Any], SignedHead | None]:
    """The ledger's id, public keys (with the stretch of records each signs) and signed head
    (guard.ledger.proof), read before the records so the export is one consistent snapshot
    (records written meanwhile are left out). Nothing here names a path or a keyring entry."""
    proof = job.ledger.proof()
    data = proof.to_dict()
    return {"mpg:ledgerId": data["ledger_id"], "mpg:publicKeys": data["keys"], "mpg:head": data["head"]}, proof.head


def write_json(job: ExportJob, out: BinaryIO) -> Written:
    """Stream the export to ``out``: header, one record per line, then the shared nodes, the
    signing keys and head, and what was covered."""
    dumps, indent = orjson.dumps, orjson.OPT_INDENT_2
    keys, head = signing(job)
    last_seq = head.seq if head is not None else 0
    # The histories as of the signed head, like the records: one recorded since the job began is in
    # both, one recorded after the head in neither (verify-export compares them).
    job.statuses = StatusIndex.load(job.ledger, up_to=last_seq)
    out.write(dumps(header(job, str(uuid.uuid4())), option=indent)[:-2] + b',\n  "mpg:records": [')
    nodes = _Nodes(job)
    count = 0
    chunk: list[bytes] = []
    for entry in job.entries():
        if entry.seq > last_seq:
            break  # written after the head was read
        chunk.append(dumps(record_node(entry, nodes)))
        count += 1
        if len(chunk) == 1000:
            out.write((b"\n    " if count == 1000 else b",\n    ") + b",\n    ".join(chunk))
            chunk.clear()
    if chunk:
        out.write((b"\n    " if count <= 1000 else b",\n    ") + b",\n    ".join(chunk))
    seen = sorted({provider for provider, _ in nodes.services} | {p.id for p in job.facts.seen()})
    report = job.verify  # asked for last: the check runs alongside the writing
    trailer = {
        "mpg:verification": public_verification(report) if report is not None else None,
        "mpg:chainHead": {"mpg:seq": last_seq, "mpg:hash": head.hash if head is not None else None},
        **keys,
        "mpg:coverage": {"filter": job.filter.to_dict(), "description": job.filter.describe(),
                         "records": count, "ledger_records": report.count if report else None,
                         "generated_at": job.generated_text, "app": job.app},
        "mpg:processes": list(nodes.processes.values()),
        "mpg:forms": list(nodes.forms.values()),
        "mpg:controllers": [controller_node(job.facts.provider(p)) for p in seen],
        "mpg:thirdParties": [third_parties_node(job.facts.provider(p)) for p in seen],
        "mpg:services": [service_node(job.facts.provider(p), f)
                         for p, f in sorted(nodes.services, key=lambda key: (key[0], key[1] or ""))],
    }
    out.write(b"\n  ],\n" + dumps(trailer, option=indent)[2:] + b"\n")
    return Written(count)
