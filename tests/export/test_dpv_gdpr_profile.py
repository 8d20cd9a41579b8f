"""Whether the JSON export may claim the DPVCG's GDPR profile (dpv-27560:record-eu-gdpr, "Consent
Records conforming with 27560 and containing information as required by EU GDPR"): only a record
that states every field the guide's table (section 7.2) marks mandatory under the GDPR, with a real
value, may. Each field is checked through the properties the guide names for it (section 7.2, or
the section 8 property for the same field); a value the app states as not available does not
count. Today no record can: the app's catalog does not know, for any provider, where and how long
the data is kept, where it is processed or transferred, which third parties receive it, the
supervisory authority, whether the data is necessary or of a special category. So the export
claims dpv-27560:record only, and this test fails the day that changes one way or the other."""

from __future__ import annotations

import gzip
import tomllib
from collections.abc import Callable

import rdflib
from rdflib import RDF, URIRef

from tests.export.test_json_dpv import (  # noqa: F401  (vocabulary: the fixture)
    DPV,
    SCHEMA,
    VOCAB,
    as_rdf,
    broader,
    export_json,
    stated_unknown,
    vocabulary,
)

PROFILE = URIRef("https://w3id.org/dpv/schema/dpv-27560#record-eu-gdpr")
RECORD = URIRef("https://w3id.org/dpv/schema/dpv-27560#record")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")

Check = Callable[[rdflib.Graph, URIRef, rdflib.Graph], bool]


def _stated(graph: rdflib.Graph, subject, prop) -> list:
    return [value for value in graph.objects(subject, prop) if not stated_unknown(graph, value)]


def _process(graph, record):
    return next(graph.objects(record, DPV.hasProcess))


def _controller(graph, record):
    return next(graph.objects(_process(graph, record), DPV.hasDataController))


def _statuses(graph, record):
    return list(graph.objects(record, DPV.hasConsentStatus))


def _on_process(*props) -> Check:
    return lambda graph, record, vocab: any(_stated(graph, _process(graph, record), p) for p in props)


def _typed(node, graph, vocab, kinds) -> bool:
    return any(kind in kinds or set(broader(vocab, kind)) & kinds for kind in graph.objects(node, RDF.type))


def _storage(kinds: set) -> Check:
    def check(graph, record, vocab) -> bool:
        return any(_typed(value, graph, vocab, kinds)
                   for value in _stated(graph, _process(graph, record), DPV.hasStorageCondition))
    return check


def _third_parties(graph, record, vocab) -> bool:
    return any((value, RDF.type, DPV.ThirdParty) in graph
               for value in _stated(graph, _process(graph, record), DPV.hasRecipient))


def _special(graph, record, vocab) -> bool:
    kinds = {DPV.SpecialCategoryPersonalData, DPV.SensitivePersonalData}
    return any(_typed(value, graph, vocab, kinds) or set(graph.objects(value, rdflib.SKOS.broader)) & kinds
               for value in _stated(graph, _process(graph, record), DPV.hasPersonalData))


def _contact(kind) -> Check:
    def check(graph, record, vocab) -> bool:
        return any((point, RDF.type, kind) in graph
                   for point in _stated(graph, _controller(graph, record), SCHEMA.contactPoint))
    return check


def _status(prop) -> Check:
    return lambda graph, record, vocab: all(_stated(graph, s, prop) for s in _statuses(graph, record))


CHECKS: dict[str, Check] = {
    "privacy notice": lambda g, r, v: any(_typed(n, g, v, {DPV.PrivacyNotice, DPV.ConsentNotice})
                                          for n in _stated(g, r, DPV.hasNotice)),
    "purpose": _on_process(DPV.hasPurpose),
    "lawful basis": _on_process(DPV.hasLegalBasis),
    "collection method": _on_process(DPV.hasDataSource, DPV.hasProcessing),
    "processing method": _on_process(DPV.hasProcessing, DPV.hasAutomation, DPV.hasAlgorithmicLogic,
                                     DPV.hasConsequence, DPV.hasDataVolume, DPV.hasScale, DPV.hasContext),
    "storage locations": _storage({DPV.StorageLocation}),
    "retention period": _storage({DPV.StorageDuration, DPV.StorageDeletion}),
    # dpv:hasJurisdiction in the export is where the participant's rights apply (guide 8.3.9), not
    # where the provider processes the data: it does not answer "processing location"
    "processing location": _on_process(DPV.hasLocation),
    "geographic restrictions": _on_process(DPV.hasLocation, DPV.hasRule),
    "recipient third parties": _third_parties,
    "withdrawal method": lambda g, r, v: any((c, RDF.type, DPV.WithdrawConsent) in g
                                             for c in _stated(g, _process(g, r), DPV.hasConsentControl)),
    "privacy rights": _on_process(DPV.hasRight),
    "authority party": _on_process(DPV.hasAuthority),
    "pii type": _on_process(DPV.hasPersonalData),
    "pii optional": _on_process(DPV.hasNecessity),
    "special pii category": _special,
    "party address": _contact(SCHEMA.PostalAddress),  # guide 8.4.4.1: schema:contactPoint
    "party name": lambda g, r, v: bool(_stated(g, _controller(g, r), DPV.hasName)),
    "party role": lambda g, r, v: bool(_stated(g, r, DPV.hasEntity)) and bool(_stated(g, r, DPV.hasDataSubject)),
    "party contact": _contact(SCHEMA.ContactPoint),  # guide 8.4.4
    "party type": _on_process(DPV.hasRecipient),
    "event time": _status(DPV.isIndicatedAtTime),  # guide 8.5.3 (the table's dct:date)
    "validity duration": _status(DPV.hasDuration),  # guide 8.5.4 (the table's dct:valid)
    "entity id": _status(DPV.isIndicatedBy),  # guide 8.5.5 (the table's dpv:isImplementedByEntity)
    "event type": _on_process(DPV.hasLegalBasis),
    "event state": lambda g, r, v: bool(_statuses(g, r)),
}

# What no provider's catalog entry says, so no record states it (the module's docstring).
NEVER_KNOWN = {"collection method", "processing method", "storage locations", "retention period",
               "processing location", "geographic restrictions", "recipient third parties", "authority party",
               "pii optional", "special pii category"}


def official_fields() -> list[dict[str, str]]:
    with open(VOCAB / "gdpr-record-fields.toml", "rb") as handle:
        return tomllib.load(handle)["field"]


def test_every_field_the_guide_requires_under_the_gdpr_is_checked():
    assert [field["term"] for field in official_fields()] == list(CHECKS)
    assert all(field["gdpr"] and field["dpv_relations"] for field in official_fields())


def test_the_profile_is_published_and_claimed_only_by_a_record_stating_every_field(ledger, sample, catalog,
                                                                                   tmp_path, vocabulary):  # noqa: F811
    profiles = rdflib.Graph().parse(data=gzip.decompress((VOCAB / "dpv-27560.ttl.gz").read_bytes()).decode(),
                                    format="turtle")
    assert (PROFILE, RDF.type, rdflib.RDFS.Class) in profiles and (RECORD, RDF.type, rdflib.RDFS.Class) in profiles
    graph = as_rdf(export_json(ledger, catalog, tmp_path, jurisdiction="EU"))
    records = list(graph.subjects(RDF.type, DPV.ConsentRecord))
    assert len(records) == 6
    for record in records:
        missing = {term for term, check in CHECKS.items() if not check(graph, record, vocabulary)}
        claims = set(graph.objects(record, DCT.conformsTo))
        assert RECORD in claims
        assert (PROFILE in claims) == (not missing), (record, missing)
        assert NEVER_KNOWN <= missing, (record, NEVER_KNOWN - missing)
    assert PROFILE not in set(graph.objects(None, DCT.conformsTo))  # nor the export as a whole
