"""The JSON export: every record as an ISO/IEC TS 27560 consent record expressed with the
W3C Data Privacy Vocabulary (DPV 2.1, following the DPVCG guide "Consent Records and
Receipts as per ISO/IEC TS 27560:2023 using DPV", https://w3id.org/dpv/guides/consent-27560),
plus the app's own fields, the ledger's verification result and chain head.

Mapping (DPV terms as published in DPV 2.1; dct = DCMI terms):

* record: ``dpv:ConsentRecord`` with ``dct:identifier`` (the record id), ``dct:created``
  (when it was recorded), ``dpv:hasDataSubject`` (the user), ``dpv:hasProcess`` (a
  ``dpv:Process`` with ``dpv:hasPurpose``, ``dpv:hasDataController``, ``dpv:hasService``),
  ``dpv:hasNotice`` (the terms versions in force, by URL and SHA-256); when a later record
  withdrew or corrected it, ``mpg:statusNow`` (e.g. "given, then withdrawn"),
  ``mpg:decisionNow`` and ``mpg:changedBy`` say so;
* decision: ``dpv:hasConsentStatus`` with ``dpv:isIndicatedAtTime`` and
  ``dpv:isIndicatedBy``: given → ``dpv:ConsentGiven``, refused → ``dpv:ConsentRefused``,
  withdrawn → ``dpv:ConsentWithdrawn``, left-meeting → ``dpv:ConsentRefused`` (leaving is
  how a participant refuses), notice-only → ``dpv:ConsentRequested`` (a notice was shown,
  no decision was asked for or made). The app's own decision stays in ``mpg:decision``;
* controller: ``dpv:DataController`` with ``dpv:hasName``, ``dpv:hasContact``,
  ``dpv:hasAddress`` and ``dct:source`` (the catalog's sources, with the date checked).

Where DPV has no term, the app's field is kept under the app's own namespace ``mpg:``
(``urn:meeting-privacy-guard:``), e.g. the chain fields, the requester and the full signed
record (``mpg:record``, exactly the canonical content that was hashed). The file does not
claim conformance to the dpv-27560 profile: what the app does not know (jurisdiction,
personal data categories, retention) is left out rather than guessed.
"""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO

import orjson

from guard.export.facts import ProviderFacts
from guard.export.job import ExportJob, Written
from guard.export.selection import Entry

DPV_VERSION_IRI = "https://w3id.org/dpv/2.1"
DPV_27560_GUIDE = "https://w3id.org/dpv/guides/consent-27560"
EXPORT_FORMAT_VERSION = 1
APP_NS = "urn:meeting-privacy-guard:"

CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    "dpv": "https://w3id.org/dpv#",
    "dpvVersion": DPV_VERSION_IRI,  # the DPV release these terms were taken from
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "mpg": APP_NS,
    "dct:created": {"@type": "xsd:dateTime"},
    "dpv:isIndicatedAtTime": {"@type": "xsd:dateTime"},
    "mpg:record": {"@type": "@json"},
    "mpg:verification": {"@type": "@json"},
    "mpg:coverage": {"@type": "@json"},
    "mpg:contactSources": {"@type": "@json"},
}

STATUS = {
    "given": "dpv:ConsentGiven",
    "refused": "dpv:ConsentRefused",
    "withdrawn": "dpv:ConsentWithdrawn",
    "left-meeting": "dpv:ConsentRefused",
    "notice-only": "dpv:ConsentRequested",
}
BY_SUBJECT = {"given", "refused", "withdrawn", "left-meeting"}  # decisions the user made
SUBJECT = {"@id": "_:data-subject"}

HOW_TO_CHECK = [
    "Each record's mpg:record is the exact content the ledger hashed. Serialise it canonically "
    "(keys sorted, no whitespace, UTF-8, non-ASCII characters kept) and check that "
    "SHA-256(mpg:prevHash + that text) equals mpg:hash.",
    "In an unfiltered export the records chain: each mpg:prevHash is the previous record's "
    "mpg:hash (the first is 64 zeros), and the last mpg:hash equals mpg:chainHead.",
    "mpg:mac is the record's signature: Ed25519 over \"meeting-privacy-guard/ledger/record/v1\\n\" + mpg:hash "
    "with the ledger's key (128 hex digits), or, for records written before Ed25519, HMAC-SHA256 over mpg:hash "
    "with the ledger's secret key, which is never exported (64 hex digits; meeting-guard consent verify checks it).",
]


def controller_id(provider_id: str) -> str:
    return f"mpg:controller:{provider_id}"


def service_id(provider_id: str, feature_id: str | None) -> str:
    return f"mpg:service:{provider_id}:{feature_id or 'unspecified'}"


class _Nodes:
    """Shared, cached parts of the record nodes (most records repeat them)."""

    def __init__(self) -> None:
        self.processes: dict[tuple, dict[str, Any]] = {}  # by provider, feature, purposes
        self.notices: dict[tuple, list[dict[str, Any]]] = {}  # by the terms versions (few repeat)
        self.refs: dict[str, dict[str, str]] = {}
        self.services: dict[tuple[str, str | None], None] = {}

    def ref(self, iri: str) -> dict[str, str]:
        node = self.refs.get(iri)
        if node is None:
            node = self.refs[iri] = {"@id": iri}
        return node

    def process(self, content: dict[str, Any]) -> dict[str, Any]:
        provider, feature, purposes = content["provider_id"], content["feature_id"], content["purposes"]
        key = (provider, feature, *purposes)
        node = self.processes.get(key)
        if node is None:
            self.services[(provider, feature)] = None
            node = {"@type": "dpv:Process",
                    "dpv:hasPurpose": [{"@type": "dpv:Purpose", "dct:description": p} for p in purposes],
                    "dpv:hasDataController": self.ref(controller_id(provider)),
                    "dpv:hasService": self.ref(service_id(provider, feature))}
            self.processes[key] = node
        return node

    def notice(self, terms: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(terms) == 1:
            t = terms[0]
            key: tuple = ((t["provider_id"], t["document_id"], t["sha256"], t["url"]),)
        else:
            key = tuple((t["provider_id"], t["document_id"], t["sha256"], t["url"]) for t in terms)
        nodes = self.notices.get(key)
        if nodes is None:
            nodes = []
            for provider, document, sha, url in key:
                node: dict[str, Any] = {"@type": "dpv:Notice", "dct:identifier": f"sha256:{sha}",
                                        "mpg:document": f"{provider}/{document}"}
                if url:
                    node["@id"] = url
                nodes.append(node)
            self.notices[key] = nodes
        return nodes


def record_node(entry: Entry, nodes: _Nodes) -> dict[str, Any]:
    """One record as a ``dpv:ConsentRecord`` node (reads the content dict directly: this runs
    100,000 times in a large export)."""
    content = entry.content
    decision = content["decision"]
    status: dict[str, Any] = {"@type": STATUS[decision], "dpv:isIndicatedAtTime": content["occurred_at"]}
    if decision in BY_SUBJECT:
        status["dpv:isIndicatedBy"] = SUBJECT
    record_id = content["id"]
    standing = entry.standing
    node: dict[str, Any] = {
        "@id": "urn:uuid:" + record_id,
        "@type": "dpv:ConsentRecord",
        "dct:identifier": record_id,
        "dct:created": content["recorded_at"],
        "dpv:hasDataSubject": SUBJECT,
        "dpv:hasProcess": nodes.process(content),
        "dpv:hasConsentStatus": status,
        "mpg:decision": decision,
    }
    if standing.current_id is not None:  # a later record withdrew or corrected this one
        node["mpg:statusNow"] = standing.label
        node["mpg:decisionNow"] = standing.decision
        node["mpg:changedBy"] = nodes.ref("urn:uuid:" + standing.current_id)
    terms = content["terms"]
    if terms:
        node["dpv:hasNotice"] = nodes.notice(terms)
    requested_by = content["requested_by"]
    if requested_by:
        node["mpg:requestedBy"] = requested_by
    refers_to = content["refers_to"]
    if refers_to:
        target = nodes.ref("urn:uuid:" + refers_to)
        node["mpg:refersTo"] = target
        if decision != "withdrawn":
            node["dct:replaces"] = target  # a correction replaces the record it corrects
    node["mpg:seq"] = entry.seq
    node["mpg:prevHash"] = entry.prev_hash
    node["mpg:hash"] = entry.hash
    node["mpg:mac"] = entry.signature
    node["mpg:record"] = orjson.Fragment(entry.body.encode())  # bytes: several times faster to embed than str
    return node


def controller_node(facts: ProviderFacts) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": controller_id(facts.id), "@type": "dpv:DataController",
                            "mpg:provider": facts.id, "mpg:providerName": facts.name,
                            "mpg:inCatalog": facts.in_catalog}
    if facts.controller:
        node["dpv:hasName"] = facts.controller
    contacts = [f"mailto:{facts.privacy_email}"] if facts.privacy_email else []
    if facts.privacy_form:
        contacts.append(facts.privacy_form)
    if contacts:
        node["dpv:hasContact"] = contacts
    if facts.postal_address:
        node["dpv:hasAddress"] = facts.postal_address
    if facts.homepage:
        node["mpg:homepage"] = facts.homepage
    if facts.contact_sources:
        node["mpg:contactSources"] = [s.to_dict() for s in facts.contact_sources]
    return node


def service_node(facts: ProviderFacts, feature_id: str | None) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": service_id(facts.id, feature_id), "@type": "dpv:Service",
                            "mpg:provider": facts.id, "mpg:feature": feature_id}
    feature = facts.features.get(feature_id) if feature_id else None
    if feature is not None:
        node["dpv:hasName"] = f"{facts.name}: {feature.name}"
        if feature.description:
            node["dct:description"] = feature.description
        node["mpg:trainsModels"] = feature.trains_models
        node["dct:source"] = [{"@id": s.url, "mpg:checked": s.checked} for s in feature.sources]
    else:
        node["dpv:hasName"] = facts.name if feature_id is None else f"{facts.name}: {feature_id}"
    return node


def header(job: ExportJob, export_id: str) -> dict[str, Any]:
    subject: dict[str, Any] = {"@id": SUBJECT["@id"], "@type": "dpv:DataSubject"}
    if job.subject_name:
        subject["dpv:hasName"] = job.subject_name
    return {
        "@context": CONTEXT,
        "@id": f"urn:uuid:{export_id}",
        "@type": "mpg:ConsentHistoryExport",
        "dct:conformsTo": [{"@id": DPV_VERSION_IRI}, {"@id": DPV_27560_GUIDE}],
        "dct:created": job.generated_text,
        "dct:creator": job.app,
        "mpg:formatVersion": EXPORT_FORMAT_VERSION,
        "mpg:howToCheck": HOW_TO_CHECK,
        "dpv:hasDataSubject": subject,
    }


def write_json(job: ExportJob, out: BinaryIO) -> Written:
    """Stream the export to ``out``: header, one record per line, then what was covered."""
    dumps, indent = orjson.dumps, orjson.OPT_INDENT_2
    out.write(dumps(header(job, str(uuid.uuid4())), option=indent)[:-2] + b',\n  "mpg:records": [')
    nodes = _Nodes()
    count = 0
    chunk: list[bytes] = []
    for entry in job.entries():
        chunk.append(dumps(record_node(entry, nodes)))
        count += 1
        if len(chunk) == 1000:
            out.write((b"\n    " if count == 1000 else b",\n    ") + b",\n    ".join(chunk))
            chunk.clear()
    if chunk:
        out.write((b"\n    " if count <= 1000 else b",\n    ") + b",\n    ".join(chunk))
    seen = {provider for provider, _ in nodes.services} | {p.id for p in job.facts.seen()}
    report = job.verify  # asked for last: the check runs alongside the writing
    trailer = {
        "mpg:verification": report.to_dict() if report is not None else None,
        "mpg:chainHead": {"mpg:seq": report.head_seq if report else None,
                          "mpg:hash": report.head_hash if report else None},
        "mpg:coverage": {"filter": job.filter.to_dict(), "description": job.filter.describe(),
                         "records": count, "ledger_records": report.count if report else None,
                         "generated_at": job.generated_text, "app": job.app},
        "mpg:controllers": [controller_node(job.facts.provider(p)) for p in sorted(seen)],
        "mpg:services": [service_node(job.facts.provider(p), f)
                         for p, f in sorted(nodes.services, key=lambda key: (key[0], key[1] or ""))],
    }
    out.write(b"\n  ],\n" + dumps(trailer, option=indent)[2:] + b"\n")
    return Written(count)
