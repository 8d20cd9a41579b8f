"""The JSON export read as RDF against DPV 2.3 itself (tests/export/data/dpv, from w3c/dpv by
commit): every record carries every field the DPVCG 27560 guide (§8) marks MUST, every DPV
term it uses is published, a withdrawal shows in the original record's status history, and
what the app does not know is said in DPV's terms, never as a placeholder."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SDO, SKOS, XSD

from guard.export import ExportFilter, export_history
from guard.ledger import Meeting, RecordDraft, TermsRef
from tests.export.conftest import schema, utc

VOCAB = Path(__file__).parent / "data" / "dpv"
DPV = rdflib.Namespace("https://w3id.org/dpv#")
SCHEMA = rdflib.Namespace("https://schema.org/")
MPG = rdflib.Namespace("urn:meeting-privacy-guard:")
PUBLISHED = ("https://w3id.org/dpv#", "https://w3id.org/dpv/legal/eu/gdpr#", "https://w3id.org/dpv/legal/eu#",
             "https://w3id.org/dpv/loc#", "https://w3id.org/dpv/schema/dpv-27560#", "https://w3id.org/dpv/pd#")
RECORD_SCHEMA = URIRef("https://w3id.org/dpv/schema/dpv-27560#record")
DCAM = rdflib.Namespace("http://purl.org/dc/dcam/")
TERM_STATUS = URIRef("http://www.w3.org/2003/06/sw-vocab-status/ns#term_status")
SCHEMA_ORG = SDO


@pytest.fixture(scope="session")
def vocabulary() -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in ("dpv.ttl.gz", "eu-gdpr.ttl.gz", "legal-eu.ttl.gz", "dpv-27560.ttl.gz", "loc-countries.ttl.gz",
                 "pd.ttl.gz"):
        graph.parse(data=gzip.decompress((VOCAB / name).read_bytes()).decode("utf-8"), format="turtle")
    return graph


def export_json(ledger, catalog, tmp_path, **kwargs) -> dict:
    result = export_history(ledger, catalog, "json", tmp_path / "history.json", **kwargs)
    document = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    assert result.records == len(document["mpg:records"])
    return document


def as_rdf(document: dict) -> rdflib.Graph:
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


def broader(vocabulary: rdflib.Graph, term: URIRef) -> set[URIRef]:
    """``term`` and every concept above it (skos:broader, transitively) in the vocabulary."""
    return set(vocabulary.transitive_objects(term, SKOS.broader))


def stated_unknown(graph: rdflib.Graph, node) -> bool:
    return (node, DPV.hasApplicability, DPV.NotAvailable) in graph or (
        node, DPV.hasApplicability, DPV.UnknownApplicability) in graph


def present(graph: rdflib.Graph, node, prop) -> list:
    values = list(graph.objects(node, prop))
    assert values, f"{node} has no {prop}"
    return values


def test_every_record_carries_every_field_the_27560_guide_requires(ledger, sample, catalog, tmp_path, vocabulary):
    graph = as_rdf(export_json(ledger, catalog, tmp_path, jurisdiction="DE"))
    records = list(graph.subjects(RDF.type, DPV.ConsentRecord))
    assert len(records) == 6  # every decision; the withdrawal and the correction are statuses of theirs
    for record in records:
        assert (record, DCTERMS.conformsTo, RECORD_SCHEMA) in graph  # 8.1.1
        present(graph, record, DCTERMS.identifier)  # 8.1.2
        for subject in present(graph, record, DPV.hasDataSubject):  # 8.1.3
            assert (subject, RDF.type, DPV.DataSubject) in graph
        for notice in present(graph, record, DPV.hasNotice):  # 8.2.1, 8.2.2
            assert (DPV.PrivacyNotice in graph.objects(notice, RDF.type) or stated_unknown(graph, notice)
                    or (notice, RDF.type, DPV.Notice) in graph)  # the app's own form
            language = present(graph, notice, DCTERMS.language)[0]
            assert isinstance(language, Literal) or stated_unknown(graph, language)
            if not stated_unknown(graph, notice) and (notice, RDF.type, DPV.Notice) not in graph:
                version = present(graph, notice, DCTERMS.hasVersion)[0]
                assert str(version).startswith("sha256:") or stated_unknown(graph, version)
        for process in present(graph, record, DPV.hasProcess):  # 8.3
            for purpose in present(graph, process, DPV.hasPurpose):
                assert (purpose, RDF.type, DPV.Purpose) in graph
            for value in present(graph, process, DPV.hasPersonalData):  # 8.3.3, 8.3.3.1: a DPV data category
                assert (value, RDF.type, DPV.PersonalData) in graph
                assert any(DPV.PersonalData in broader(vocabulary, kind) for kind in graph.objects(value, SKOS.broader))
            for value in present(graph, process, DPV.hasStorageCondition):  # 8.3.4.2
                assert stated_unknown(graph, value) or list(graph.objects(value, RDF.type))
            for controller in present(graph, process, DPV.hasDataController):  # 8.3.5 and the entity, 8.4
                assert (controller, RDF.type, DPV.DataController) in graph
                assert (record, DPV.hasEntity, controller) in graph
                present(graph, controller, DPV.hasName)
                assert present(graph, controller, DPV.hasIdentifier) == [Literal(str(controller))]
                kinds = {t for point in present(graph, controller, SCHEMA.contactPoint)
                         for t in graph.objects(point, RDF.type)}
                assert {SCHEMA.ContactPoint, SCHEMA.PostalAddress} <= kinds
            assert len(present(graph, process, DPV.hasRecipient)) >= 1  # 8.3.7
            for control in present(graph, process, DPV.hasConsentControl):  # 8.3.8
                assert (control, RDF.type, DPV.WithdrawConsent) in graph
            for place in present(graph, process, DPV.hasJurisdiction):  # 8.3.9
                assert place == URIRef("https://w3id.org/dpv/loc#DE")
            rights = present(graph, process, DPV.hasRight)  # 8.3.10
            kinds = {t for right in rights for t in graph.objects(right, RDF.type)}
            assert URIRef("https://w3id.org/dpv/legal/eu/gdpr#A7-3") in kinds and DPV.DataSubjectRight in kinds
            for basis in present(graph, process, DPV.hasLegalBasis):  # 8.5.1: a consent type
                assert DPV.Consent in broader(vocabulary, basis), basis
        for status in present(graph, record, DPV.hasConsentStatus):  # 8.5.2 - 8.5.5
            kinds = set(graph.objects(status, RDF.type))
            assert any(DPV.ConsentStatus in broader(vocabulary, kind) for kind in kinds), kinds
            time = present(graph, status, DPV.isIndicatedAtTime)[0]
            assert time.datatype == XSD.dateTime and time.toPython().tzinfo is not None
            duration = present(graph, status, DPV.hasDuration)[0]
            assert any(DPV.Duration in broader(vocabulary, kind) for kind in graph.objects(duration, RDF.type))
            who = present(graph, status, DPV.isIndicatedBy)[0]
            assert (who, RDF.type, DPV.DataSubject) in graph


def test_every_dpv_term_used_is_published_and_not_retired(ledger, sample, catalog, tmp_path, vocabulary):
    graph = as_rdf(export_json(ledger, catalog, tmp_path, jurisdiction="EU"))
    published = set(vocabulary.subjects())
    used = {term for triple in graph for term in triple
            if isinstance(term, URIRef) and str(term).startswith(PUBLISHED)}
    assert used - published == set()
    assert {DPV.ConsentRecord, DPV.hasConsentStatus, DPV.ConsentRequestDeferred, DPV.NotAvailable} <= used
    # DPV marks a term it is retiring with sw:term_status "sunset" (e.g. dpv:PersonalDataHandling in 2.3)
    # and lists "deprecated" and "removed" in its own SHACL shapes (w3c/dpv code/shacl_shapes/shapes.ttl).
    retired = {term for term in used for status in vocabulary.objects(term, TERM_STATUS)
               if str(status) in ("sunset", "deprecated", "removed")}
    assert retired == set()
    assert Literal("sunset", lang="en") in set(vocabulary.objects(DPV.PersonalDataHandling, TERM_STATUS))
    # the DPV release the export says it uses is the one these terms were checked against
    release = vocabulary.value(URIRef("https://w3id.org/dpv"), OWL.versionIRI)
    claimed = {value for value in graph.objects(None, DCTERMS.conformsTo) if str(value).startswith("https://w3id.org/dpv/2")}
    assert claimed == {release}


def test_every_other_term_is_defined_in_its_vocabulary(ledger, sample, catalog, tmp_path):
    """DCMI Terms, SKOS and schema.org terms as rdflib lists them from those vocabularies: a typo
    in a property name would otherwise be a statement nobody can read."""
    graph = as_rdf(export_json(ledger, catalog, tmp_path, jurisdiction="EU"))
    used = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    for namespace in (DCTERMS, SKOS, SCHEMA_ORG):
        mine = {term for term in used if str(term).startswith(str(namespace))}
        assert mine and {term for term in mine if term not in namespace} == set(), namespace


def test_every_key_of_the_export_expands_to_an_iri_the_context_declares(ledger, sample, catalog, tmp_path):
    """A JSON-LD reader drops a key its context cannot expand, and reads ``x:y`` with an undeclared
    ``x`` as an IRI of scheme ``x``: every key, type and reference uses a declared prefix."""
    document = export_json(ledger, catalog, tmp_path, jurisdiction="EU")
    context = document["@context"]
    prefixes = {name for name, value in context.items() if isinstance(value, str) and value.endswith(("#", "/", ":"))}
    literals = {name for name, value in context.items() if isinstance(value, dict) and value.get("@type") == "@json"}

    def compact(name: str) -> bool:
        return name.partition(":")[0] in prefixes and bool(name.partition(":")[2])

    def absolute(iri: str) -> bool:
        return compact(iri) or iri.startswith(("https://", "http://", "urn:uuid:", "urn:meeting-privacy-guard:",
                                              "mailto:", "_:"))

    stack, keys = [document], 0
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context",) or key in literals:
                    continue
                keys += 1
                if key == "@id":
                    assert absolute(value), value
                elif key == "@type":
                    assert all(compact(kind) for kind in (value if isinstance(value, list) else [value])), value
                else:
                    assert compact(key), key
                    stack.append(value)
    assert keys > 500


def _reaches(vocabulary: rdflib.Graph, graph: rdflib.Graph, node, targets: set) -> bool:
    """``node`` is (a kind of) one of ``targets``: through its types in the export and the
    vocabulary's rdf:type, rdfs:subClassOf and skos:broader, transitively."""
    seen, todo = set(), [node, *graph.objects(node, RDF.type)]
    while todo:
        term = todo.pop()
        if term in targets:
            return True
        if term not in seen:
            seen.add(term)
            todo += [*vocabulary.objects(term, RDF.type), *vocabulary.objects(term, RDFS.subClassOf),
                     *vocabulary.objects(term, SKOS.broader)]
    return False


def test_every_dpv_property_points_to_a_value_in_its_range(ledger, sample, catalog, tmp_path, vocabulary):
    """Each DPV property's value is of the kind DPV says (dcam:rangeIncludes): a recipient is a
    dpv:Recipient, a legal basis a dpv:LegalBasis, ... A web page or address the export only points
    to (a form where a right is exercised) is not described by it and is not checked here; what
    the app does not know is a node of the range stated not available."""
    graph = as_rdf(export_json(ledger, catalog, tmp_path, jurisdiction="DE"))
    described = set(graph.subjects())
    checked, wrong = 0, []
    for _subject, prop, value in graph:
        ranges = set(vocabulary.objects(prop, DCAM.rangeIncludes))
        if not str(prop).startswith(str(DPV)) or not ranges:
            continue
        if isinstance(value, Literal):
            wrong.append((prop, value))
        elif value in described or value in set(vocabulary.subjects()):
            checked += 1
            if not _reaches(vocabulary, graph, value, ranges):
                wrong.append((prop, value))
    assert wrong == [] and checked > 100
    # A node's category (skos:broader, guide §8.3.2) is a kind of its type, or a category DPV lists in the
    # same concept scheme: since DPV 2.1 dpv:Participant is under dpv:HumanSubject, not dpv:DataSubject, but
    # still in the data subjects' scheme (dpv:entities-datasubject-classes).
    for subject, value in graph.subject_objects(SKOS.broader):
        kinds = set(graph.objects(subject, RDF.type))
        schemes = {scheme for kind in kinds for scheme in vocabulary.objects(kind, SKOS.inScheme)}
        assert _reaches(vocabulary, graph, value, kinds) or set(vocabulary.objects(value, SKOS.inScheme)) & schemes


def test_dates_are_typed_and_the_apps_own_sentences_say_their_language(ledger, catalog, tmp_path):
    """A notice's version date and a source's check date are xsd:date, not bare strings; how a
    decision was indicated is the app's English sentence, tagged ``en``; a purpose as typed stays
    untagged (its language is not known)."""
    from guard.terms.baseline import load_baselines
    from guard.terms.store import TermsStore

    baseline = load_baselines()[0][("zoom", "terms")]
    ledger.append(RecordDraft("zoom", "given", occurred_at=utc(2026, 3, 2, 9, 15), feature_id="meeting-summary",
                              meeting=Meeting("Planning"), purposes=("Zusammenfassung",),
                              terms=(TermsRef("zoom", "terms", baseline.sha256, "https://explore.zoom.us/en/terms/"),)))
    document = export_json(ledger, catalog, tmp_path, terms_store=TermsStore(tmp_path / "terms"))
    graph = as_rdf(document)
    (notice,) = graph.subjects(RDF.type, DPV.PrivacyNotice)
    assert graph.value(notice, DCTERMS.date) == Literal("2023-08-11", datatype=XSD.date)
    checked = list(graph.objects(None, MPG.checked))
    assert checked and all(value.datatype == XSD.date for value in checked)
    methods = list(graph.objects(None, DPV.hasIndicationMethod))
    assert methods and all(value.language == "en" for value in methods)
    (purpose,) = graph.subjects(DCTERMS.description, Literal("Zusammenfassung"))
    assert (purpose, RDF.type, DPV.Purpose) in graph


def test_every_typed_literal_is_well_formed(ledger, sample, catalog, tmp_path):
    graph = as_rdf(export_json(ledger, catalog, tmp_path, jurisdiction="DE"))
    literals = [value for value in graph.objects() if isinstance(value, Literal) and value.datatype is not None]
    assert literals and [value for value in literals if value.ill_typed] == []


def test_a_withdrawal_and_a_correction_show_in_the_records_own_status_history(ledger, sample, catalog, tmp_path):
    graph = as_rdf(export_json(ledger, catalog, tmp_path))

    def statuses(record) -> list[tuple[str, URIRef]]:
        node = URIRef(f"urn:uuid:{record.id}")
        found = []
        for status in graph.objects(node, DPV.hasConsentStatus):
            time = graph.value(status, DPV.isIndicatedAtTime).toPython()
            found += [(time.isoformat(), kind) for kind in graph.objects(status, RDF.type)]
        return sorted(found)

    given = statuses(sample.given)
    assert [kind for _, kind in given] == [DPV.ConsentGiven, DPV.ConsentWithdrawn]
    assert given[-1][0].startswith("2026-05-06T10:00")  # withdrawn at t2, read with DPV terms alone
    assert [kind for _, kind in statuses(sample.refused)] == [DPV.ConsentRefused, DPV.ConsentGiven]
    assert [kind for _, kind in statuses(sample.tricky)] == [DPV.ConsentGiven]
    assert (URIRef(f"urn:uuid:{sample.withdrawal.id}"), RDF.type, DPV.ConsentRecord) not in graph


def test_decisions_map_to_statuses_that_mean_what_they_say(ledger, sample, catalog, tmp_path, vocabulary):
    graph = as_rdf(export_json(ledger, catalog, tmp_path))

    def first_status(record) -> set[URIRef]:
        return set(graph.objects(URIRef(f"urn:uuid:{record.id}#decision"), RDF.type))

    assert first_status(sample.left) == {DPV.ConsentRefused}
    assert first_status(sample.notice) == {DPV.ConsentRequestDeferred}  # not "awaiting a decision"
    definition = str(vocabulary.value(DPV.ConsentRequestDeferred, SKOS.definition))
    assert "without a decision" in definition
    assert DPV.ConsentStatusInvalidForProcessing in broader(vocabulary, DPV.ConsentRequestDeferred)
    notice_process = graph.value(URIRef(f"urn:uuid:{sample.notice.id}"), DPV.hasProcess)
    assert graph.value(notice_process, DPV.hasLegalBasis) == DPV.ImpliedConsent


def test_unknown_values_are_stated_in_dpv_terms_never_as_placeholders(ledger, sample, catalog, tmp_path):
    graph = as_rdf(export_json(ledger, catalog, tmp_path))
    for _, _, value in graph:
        if isinstance(value, Literal):
            assert "unknown (not" not in str(value).lower() and str(value).strip() != "unknown"
    unknown_provider = URIRef("urn:meeting-privacy-guard:controller:acme-notes")
    name = graph.value(unknown_provider, DPV.hasName)
    assert stated_unknown(graph, name)
    jurisdiction = graph.value(graph.value(URIRef(f"urn:uuid:{sample.given.id}"), DPV.hasProcess),
                               DPV.hasJurisdiction)
    assert stated_unknown(graph, jurisdiction)  # none was given for this export


def test_app_fields_are_kept_exactly_and_hashes_can_be_rechecked(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    by_id = {r.id: r for r in sample.all}
    previous = "0" * 64
    for node in document["mpg:records"]:
        record = by_id[node["dct:identifier"]].to_dict()
        chain = {key: record.pop(key) for key in ("prev_hash", "hash", "signature")}
        assert node["mpg:record"] == record
        assert (node["mpg:prevHash"], node["mpg:hash"], node["mpg:signature"]) == tuple(chain.values())
        canonical = json.dumps(node["mpg:record"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256((node["mpg:prevHash"] + canonical).encode("utf-8")).hexdigest() == node["mpg:hash"]
        assert node["mpg:prevHash"] == previous  # unfiltered: the chain is complete
        previous = node["mpg:hash"]
    assert previous == document["mpg:chainHead"]["mpg:hash"]


def test_export_validates_against_the_apps_schema(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path, jurisdiction="DE")
    jsonschema.validate(document, schema("consent-history.schema.json"))
    del document["mpg:verification"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema("consent-history.schema.json"))


def test_controllers_come_from_the_catalog_with_their_sources(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    controllers = {c["mpg:provider"]: c for c in document["mpg:controllers"]}
    zoom = controllers["zoom"]
    contacts = catalog.get("zoom").contacts
    assert zoom["dpv:hasName"] == contacts.controller
    assert any(point.get("schema:email") == contacts.privacy_email for point in zoom["schema:contactPoint"])
    assert zoom["mpg:contactSources"] and all(s["url"].startswith("https://") for s in zoom["mpg:contactSources"])
    whereby = controllers["whereby"]
    address = next(p for p in whereby["schema:contactPoint"] if p["@type"] == "schema:PostalAddress")
    assert address["schema:streetAddress"] == catalog.get("whereby").contacts.postal_address
    assert controllers["acme-notes"]["mpg:inCatalog"] is False
    services = {s["@id"]: s for s in document["mpg:services"]}
    assert services["urn:meeting-privacy-guard:service:zoom/meeting-summary"]["dct:title"].startswith("Zoom: ")


def test_file_carries_the_verification_and_head_without_local_details(ledger, sample, catalog, tmp_path, app_home):
    document = export_json(ledger, catalog, tmp_path)
    report = ledger.verify()
    verification = document["mpg:verification"]
    assert verification["ok"] is True and verification["head_hash"] == report.head_hash
    assert "path" not in verification and "key" not in verification
    assert document["mpg:chainHead"] == {"mpg:seq": report.head_seq, "mpg:hash": report.head_hash}
    text = (tmp_path / "history.json").read_text(encoding="utf-8")
    assert str(app_home) not in text and "ledger.key" not in text and "consent-ledger-" not in text


def test_filters_are_stated_in_the_file(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path, filter=ExportFilter(utc(2026, 4, 1), utc(2026, 5, 1), "zoom"))
    assert [r["dct:identifier"] for r in document["mpg:records"]] == [sample.tricky.id]
    assert document["mpg:coverage"]["filter"] == {"from": "2026-04-01T00:00:00.000000Z",
                                                  "to": "2026-05-01T00:00:00.000000Z", "provider": "zoom"}
    jsonschema.validate(document, schema("consent-history.schema.json"))


def test_an_empty_ledger_exports_a_valid_file(ledger, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    assert document["mpg:records"] == [] and document["mpg:chainHead"] == {"mpg:seq": 0, "mpg:hash": None}
    jsonschema.validate(document, schema("consent-history.schema.json"))


def test_a_tampered_ledger_still_exports_and_the_file_says_where(ledger, sample, catalog, tmp_path, cli):
    import sqlite3

    conn = sqlite3.connect(ledger.path, isolation_level=None)
    conn.execute("DROP TRIGGER records_append_only_update")
    conn.execute("UPDATE records SET body = replace(body, 'Quarterly planning', 'Quarterly plans') WHERE seq = 1")
    conn.close()
    result = export_history(ledger, catalog, "json", tmp_path / "history.json")
    document = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    verification = document["mpg:verification"]
    assert verification["ok"] is False and verification["problem"]["seq"] == 1
    assert verification["problem"]["kind"] == "edited" and result.warnings
    jsonschema.validate(document, schema("consent-history.schema.json"))
    from tests.export.conftest import no_keyring_env

    run = cli("consent", "export", "--format", "html", "-o", str(tmp_path / "h.html"), env=no_keyring_env())
    assert run.returncode == 1 and "NOT intact: edited at seq 1" in run.stdout
    assert (tmp_path / "h.html").exists()


def _form_language(graph: rdflib.Graph, record) -> object:
    forms = [n for n in graph.objects(record, DPV.hasNotice) if (n, RDF.type, DPV.Notice) in graph]
    assert len(forms) == 1, forms
    return graph.value(forms[0], DCTERMS.language)


def test_each_record_says_the_language_its_form_was_shown_in_or_that_it_was_not_recorded(
        ledger, sample, catalog, tmp_path, vocabulary):
    """DPVCG guide §8.2.2 "Notice Language" (MUST): the language of the communication about consent,
    a BCP 47 tag typed xsd:language; a record made without one says so in DPV's terms."""
    graph = as_rdf(export_json(ledger, catalog, tmp_path))
    assert DPV.Notice in set(vocabulary.subjects())
    said = {str(graph.value(record, DCTERMS.identifier)): _form_language(graph, record)
            for record in graph.subjects(RDF.type, DPV.ConsentRecord)}
    assert said[sample.given.id] == Literal("de", datatype=XSD.language)
    assert said[sample.tricky.id] == Literal("pt-BR", datatype=XSD.language)
    assert said[sample.whereby.id] == Literal("en", datatype=XSD.language)
    for record in (sample.refused, sample.notice, sample.left):  # made without a language
        assert stated_unknown(graph, said[record.id]) and (said[record.id], RDF.type, DCTERMS.LinguisticSystem) in graph


def test_the_export_is_created_by_the_app_as_an_agent_not_a_string(ledger, sample, catalog, tmp_path):
    """dct:creator's range is dct:Agent (DCMI Terms; DPV's examples name an entity, E0076)."""
    document = export_json(ledger, catalog, tmp_path)
    graph = as_rdf(document)
    export = URIRef(document["@id"])
    creators = list(graph.objects(export, DCTERMS.creator))
    assert len(creators) == 1 and isinstance(creators[0], URIRef)
    app = creators[0]
    assert {DCTERMS.Agent, SCHEMA.SoftwareApplication} <= set(graph.objects(app, RDF.type))
    assert graph.value(app, SCHEMA.name) == Literal("Meeting Privacy Guard")
    assert graph.value(app, SCHEMA.softwareVersion)
