"""``verify-export`` against an export whose DPV view was edited around intact signatures
(audit round four). A DPV reader takes a record's feature from its process and service, its
standing from its status history and ``mpg:statusNow``, its terms version from its notices,
and the meaning of every term from ``@context``: none of those may be changed while the check
still says "intact". A filtered export must not be a way to drop records unnoticed either."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from guard.export import ExportFilter, export_history
from guard.export.verify_export import verify_export
from tests.export.conftest import utc
from tests.export.test_verify_export import changed, exported, no_ledger_here  # noqa: F401 (fixtures)

Edit = Callable[[dict[str, Any]], None]


def _node(document: dict[str, Any], record_id: str) -> dict[str, Any]:
    return next(n for n in document["mpg:records"] if n["dct:identifier"] == record_id)


def _process(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in document["mpg:processes"] if p["@id"] == node["dpv:hasProcess"]["@id"])


@pytest.fixture
def document(exported: Path) -> dict[str, Any]:  # noqa: F811
    loaded: dict[str, Any] = json.loads(exported.read_text(encoding="utf-8"))
    assert verify_export(copy.deepcopy(loaded)).ok
    return loaded


def _hide_withdrawal(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        node = _node(document, ids["given"])
        node["dpv:hasConsentStatus"] = node["dpv:hasConsentStatus"][:1]
        node["mpg:statusNow"] = "given"
    return edit


def _status_now(ids: dict[str, str]) -> Edit:
    return lambda d: _node(d, ids["given"]).__setitem__("mpg:statusNow", "given")


def _invented_status(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        _node(document, ids["left"])["dpv:hasConsentStatus"].append(
            {"@id": "urn:uuid:00000000-0000-4000-8000-000000000000", "@type": "dpv:ConsentGiven",
             "dpv:isIndicatedAtTime": "2026-06-01T00:00:00.000000Z"})
    return edit


def _rewired_process(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        other = _node(document, ids["whereby"])["dpv:hasProcess"]
        _node(document, ids["given"])["dpv:hasProcess"] = dict(other)
    return edit


def _process_service(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        _process(document, _node(document, ids["given"]))["dpv:hasService"] = {
            "@id": "urn:meeting-privacy-guard:service:zoom/smart-recording"}
    return edit


def _service_feature(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        service = next(s for s in document["mpg:services"] if s["mpg:feature"] == "meeting-summary")
        service["mpg:feature"] = "smart-recording"
    return edit


def _second_service_node(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        service = next(s for s in document["mpg:services"] if s["mpg:feature"] == "meeting-summary")
        document["mpg:services"].append({**service, "mpg:feature": "smart-recording"})
    return edit


def _purpose(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        _process(document, _node(document, ids["given"]))["dpv:hasPurpose"][0]["dct:description"] = "anything"
    return edit


def _controller(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        _node(document, ids["given"])["dpv:hasEntity"][1] = {"@id": "urn:meeting-privacy-guard:controller:teams"}
    return edit


def _terms_version(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        _node(document, ids["given"])["dpv:hasNotice"][0]["dct:hasVersion"] = "sha256:" + "1" * 64
    return edit


def _context(ids: dict[str, str]) -> Edit:
    return lambda d: d["@context"].__setitem__("dpv", "https://example.org/not-dpv#")


def _nested_context(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        _node(document, ids["refused"])["@context"] = {"dpv:ConsentRefused": {"@id": "dpv:ConsentGiven"}}
    return edit


def _included_node(ids: dict[str, str]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        _node(document, ids["refused"])["@included"] = [
            {"@id": "urn:uuid:" + ids["refused"], "dpv:hasConsentStatus": {"@type": "dpv:ConsentGiven"}}]
    return edit


def _seq_as_boolean(ids: dict[str, str]) -> Edit:
    return lambda d: d["mpg:records"][0].__setitem__("mpg:seq", True)


ATTACKS: dict[str, tuple[Callable[[dict[str, str]], Edit], str]] = {
    "a withdrawal hidden from the status history": (_hide_withdrawal, "status history"),
    "mpg:statusNow says given": (_status_now, "statusNow"),
    "an invented later status": (_invented_status, "status history"),
    "the record pointed at another process": (_rewired_process, "process"),
    "the process pointed at another feature": (_process_service, "process"),
    "the service renamed to another feature": (_service_feature, "service"),
    "a second service node with the same @id": (_second_service_node, "more than once"),
    "the purpose rewritten": (_purpose, "process"),
    "the controller swapped": (_controller, "controller"),
    "the terms version in dct:hasVersion": (_terms_version, "DPV fields"),
    "dpv: redefined in @context": (_context, "@context"),
    "a node with its own @context": (_nested_context, "@context"),
    "a node slipped in with @included": (_included_node, "@included"),
    "a seq that is true, not 1": (_seq_as_boolean, "DPV fields"),
}


@pytest.mark.parametrize("name", ATTACKS)
def test_an_edited_dpv_view_is_not_intact(document, sample, name):
    """Each of these said 'intact: 8 records (the whole ledger)' before."""
    ids = {"given": sample.given.id, "refused": sample.refused.id, "left": sample.left.id,
           "whereby": sample.whereby.id}
    make, words = ATTACKS[name]
    make(ids)(document)
    check = verify_export(document)
    assert not check.ok, name
    assert words in check.problems[0], check.problems


def test_a_claimed_filter_that_the_records_do_not_match_is_not_intact(document, sample):
    """Drop the withdrawal and claim the export was filtered: the filter is not signed, but the
    records left must match it, and the summary says how many of the ledger's records are shown."""
    document["mpg:records"] = [n for n in document["mpg:records"] if n["dct:identifier"] != sample.withdrawal.id]
    _hide_withdrawal({"given": sample.given.id})(document)
    document["mpg:coverage"]["filter"]["provider"] = "teams"
    check = verify_export(document)
    assert not check.ok and "filter" in check.problems[0], check.problems


def test_a_filtered_export_says_how_much_of_the_ledger_it_shows(ledger, sample, catalog, tmp_path, cli,
                                                                 no_ledger_here):  # noqa: F811
    target = tmp_path / "zoom.json"
    export_history(ledger, catalog, "json", target, ExportFilter(None, None, "zoom"))
    run = cli("verify-export", str(target))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 of the ledger's 8 records" in run.stdout, run.stdout


def test_a_filtered_export_says_which_statuses_it_cannot_check(ledger, sample, catalog, tmp_path):
    """Filtered to before the withdrawal, the consent's history still names it (from the whole ledger), and
    so could a status someone made up: neither can be checked from the file, and the check says so."""
    target = tmp_path / "spring.json"
    export_history(ledger, catalog, "json", target, ExportFilter(None, utc(2026, 5, 1), None))
    document = json.loads(target.read_text(encoding="utf-8"))
    check = verify_export(document)
    assert check.ok and any(note.startswith("2 later status(es)") for note in check.notes), check.notes
    node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.refused.id)
    node["dpv:hasConsentStatus"].append({"@id": "urn:uuid:00000000-0000-4000-8000-000000000001",
                                         "@type": "dpv:ConsentGiven"})
    check = verify_export(document)
    assert check.ok and any(note.startswith("3 later status(es)") for note in check.notes), check.notes


def test_a_withdrawal_recorded_while_an_export_starts_never_makes_it_look_tampered(ledger, sample, catalog):
    """The status histories are read before the signed head; a withdrawal recorded in between is in the
    export as a record, so the history written must list it too (and nothing after the head), or the
    stricter check would call an honest export changed."""
    import io
    from datetime import UTC, datetime

    from guard.export.facts import CatalogFacts
    from guard.export.job import ExportJob
    from guard.export.json_dpv import write_json
    from guard.export.progress import Progress
    from guard.export.selection import StatusIndex

    job = ExportJob(ledger=ledger, facts=CatalogFacts(catalog), filter=ExportFilter(),
                    statuses=StatusIndex.load(ledger), progress=Progress(None, 0), generated_at=datetime.now(UTC))
    ledger.withdraw(sample.whereby.id)  # between reading the histories and reading the head
    out = io.BytesIO()
    write_json(job, out)
    check = verify_export(json.loads(out.getvalue()))
    assert check.ok, check.problems


def test_a_key_written_twice_is_not_intact_hostile(exported, cli, no_ledger_here):  # noqa: F811
    """'"mpg:decision":"refused","mpg:decision":"given"': this check (like most parsers) reads the last,
    and some readers the first. It said 'intact'. A title holding '\\":' is no key and stays intact."""
    text = exported.read_text(encoding="utf-8")
    assert text.count('"mpg:decision":"given"') >= 1 and '\\"' in text  # the sample's titles hold quotes
    twice = exported.with_name("twice.json")
    twice.write_text(text.replace('"mpg:decision":"given"', '"mpg:decision":"refused", "mpg:decision" :"given"', 1),
                     encoding="utf-8")
    run = cli("verify-export", str(twice))
    assert run.returncode == 1 and "a key twice in one object" in run.stdout, run.stdout
    assert cli("verify-export", str(exported)).returncode == 0
