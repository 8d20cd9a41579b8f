"""What a DPV reader sees besides each record's own fields, checked against the signed records
(step 1 of guard.export.verify_export, for the parts shared between records). Pure: the parsed
document in, problems in words out.

A JSON-LD reader takes the meaning of every term from ``@context``, a record's feature and
purposes from its process and service, and its standing from its status history and
``mpg:statusNow``. None of those is signed, so each must say exactly what the signed records
say, or the export is NOT intact:

* ``@context`` is one this app writes (today's, or an earlier build's), and no node carries
  another JSON-LD keyword that adds or redefines statements (``@context``, ``@included``,
  ``@graph``, ``@reverse``, ...);
* each consent record's process and service name its signed provider, feature, purposes and
  legal basis, its entities its provider, and each process, service or form ``@id`` appears once
  (the form's language is checked with the record's own fields, guard.export.verify_export);
* a record's status history lists exactly the signed withdrawals and corrections that changed
  it (all of them in an unfiltered export; every one the export carries in a filtered one), and
  ``mpg:statusNow`` says the same;
* the records of a filtered export match the filter it states;
* the exporting app's own ledger check (``mpg:verification``) names the signed head, and a problem
  it found is a problem (:func:`exporting_check`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guard.export.lazy_records import LazyRecords
from guard.export.dpv_terms import CONSENT_TYPE, CONTEXT, EARLIER_CONTEXTS, form_problem
from guard.export.json_dpv import SUBJECT, controller_id, service_id
from guard.export.selection import Amendment, StatusIndex, search_matches

_WRITTEN_KEYWORDS = frozenset({"@id", "@type"})
_JSON_LITERALS = frozenset(key for key, value in CONTEXT.items() if isinstance(value, dict)
                           and value.get("@type") == "@json")


def unchecked_statuses(signed: list[tuple[dict[str, Any], dict[str, Any]]]) -> int:
    """How many later statuses in the records' histories name a record this (filtered) export
    does not hold: a withdrawal or correction outside the filter, which cannot be checked here."""
    present = {f"urn:uuid:{content.get('id')}" for _node, content in signed}
    return sum(1 for node, content in signed if not content.get("refers_to")
               and isinstance(node.get("dpv:hasConsentStatus"), list)
               for status in node["dpv:hasConsentStatus"][1:]
               if isinstance(status, dict) and str(status.get("@id")) not in present)


def view_problems(document: dict[str, Any], signed: list[tuple[dict[str, Any], dict[str, Any]]],
                  complete: bool) -> list[str]:
    """``signed``: each record node whose hash checked, with its signed content, in order.
    ``complete``: the export claims to hold the whole ledger (no filter)."""
    problems = _keyword_problems(document)
    processes, services = _by_id(document.get("mpg:processes"), "process"), _by_id(
        document.get("mpg:services"), "service")
    forms = _by_id(document.get("mpg:forms"), "form")
    problems += processes[1] + services[1] + forms[1] + _form_problems(forms[0])
    problems += _filter_problems(document, signed, complete)
    index = StatusIndex([Amendment(str(c["id"]), int(n["mpg:seq"]), str(c["decision"]), str(c["refers_to"]),
                                   str(c.get("occurred_at")))
                         for n, c in signed if c.get("refers_to")])
    present = {str(c["id"]) for n, c in signed}
    for node, content in signed:
        if content.get("refers_to") or node.get("@type") != "dpv:ConsentRecord":
            continue
        problem = (_link_problem(node, content, processes[0], services[0])
                   or _history_problem(node, content, index, present, complete))
        if problem:
            problems.append(f"record seq {node.get('mpg:seq')} (id {content.get('id')}) was changed: {problem}")
    return problems


def _keyword_problems(document: dict[str, Any]) -> list[str]:
    if document.get("@context") not in (CONTEXT, *EARLIER_CONTEXTS):
        return ["the export's @context is not the one this app writes: the meaning of its terms was changed"]
    for where, key in _keywords(document, top=True):
        return [f"{where} carries the JSON-LD keyword {key}, which this app never writes: it adds to or changes "
                "what the export says"]
    return []


def _keywords(value: Any, top: bool = False, where: str = "the export") -> Iterator[tuple[str, str]]:
    """Every JSON-LD keyword this app does not write, outside the ``@json`` literals (the signed
    records, the head, the keys), which a JSON-LD reader takes as plain values."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, place = stack.pop()
        if isinstance(item, LazyRecords):  # read from the file one at a time, never all at once
            for child in item:
                yield from _keywords(child, where=place)
            continue
        if isinstance(item, list):
            stack.extend((child, place) for child in item)
            continue
        if not isinstance(item, dict):
            continue
        for key, child in item.items():
            if key.startswith("@") and key not in _WRITTEN_KEYWORDS and not (top and item is value
                                                                             and key == "@context"):
                yield place, key
            if key not in _JSON_LITERALS and key != "@context":
                label = f"record seq {item.get('mpg:seq')}" if "mpg:seq" in item else place
                stack.append((child, label))


def _form_problems(forms: dict[str, dict[str, Any]]) -> list[str]:
    """Each node of the app's form says what the app writes of it (title, description), nothing else."""
    problems = []
    for form_id, form in forms.items():
        problem = form_problem(form)
        if problem is not None:
            problems.append(f"the app's form {form_id} in mpg:forms was changed: {problem}")
    return problems


def _by_id(nodes: Any, what: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    found: dict[str, dict[str, Any]] = {}
    problems = []
    for node in nodes if isinstance(nodes, list) else []:
        node_id = str(node.get("@id"))
        if node_id in found:
            problems.append(f"the {what} {node_id} appears more than once: a JSON-LD reader merges them, so it "
                            "says more than the signed records")
        found[node_id] = node
    return found, problems


def _link_problem(node: dict[str, Any], content: dict[str, Any], processes: dict[str, dict[str, Any]],
                  services: dict[str, dict[str, Any]]) -> str | None:
    provider, feature = content.get("provider_id"), content.get("feature_id")
    controller = {"@id": controller_id(str(provider))}
    if node.get("dpv:hasDataSubject") != SUBJECT or node.get("dpv:hasEntity") != [SUBJECT, controller]:
        return f"its data subject or controller is not the signed provider {provider}"
    process = processes.get(str((node.get("dpv:hasProcess") or {}).get("@id")))
    expected_service = service_id(str(provider), feature)
    if process is None or process.get("dpv:hasService") != {"@id": expected_service} \
            or process.get("dpv:hasDataController") != controller:
        return f"its process does not name the signed provider and feature ({provider}/{feature or '-'})"
    basis = process.get("dpv:hasLegalBasis")
    if not isinstance(basis, list) or not basis or basis[0] != {
            "@id": CONSENT_TYPE.get(str(content.get("decision")), "dpv:Consent")}:
        return "its process states a legal basis the signed decision does not"
    purposes = content.get("purposes") or []
    stated = [p.get("dct:description") for p in process.get("dpv:hasPurpose") or []]
    if purposes and stated != purposes:
        return "its process states purposes the signed record does not"
    service = services.get(expected_service)
    if service is None or service.get("mpg:provider") != provider or service.get("mpg:feature") != feature:
        return f"its service does not name the signed provider and feature ({provider}/{feature or '-'})"
    return None


def _history_problem(node: dict[str, Any], content: dict[str, Any], index: StatusIndex, present: set[str],
                     complete: bool) -> str | None:
    listed = [str(status.get("@id")) for status in node["dpv:hasConsentStatus"][1:]]
    signed = [f"urn:uuid:{a.id}" for a in index.history(str(content["id"]))]
    if complete:
        if listed != signed:
            return "its status history does not list exactly the signed withdrawals and corrections of it"
        if node.get("mpg:statusNow") != index.standing(content).label:
            return f"its mpg:statusNow does not say what the signed records say ({index.standing(content).label})"
        return None
    missing = [status for status in signed if status not in listed and status.removeprefix("urn:uuid:") in present]
    if missing:
        return f"its status history leaves out the signed record {missing[0].removeprefix('urn:uuid:')} that changed it"
    return None


def _filter_problems(document: dict[str, Any], signed: list[tuple[dict[str, Any], dict[str, Any]]],
                     complete: bool) -> list[str]:
    """The records of a filtered export must match the filter it states (which is not signed)."""
    if complete:
        return []
    stated = (document.get("mpg:coverage") or {}).get("filter") or {}
    provider, start, end = stated.get("provider"), stated.get("from"), stated.get("to")
    decision, search = stated.get("decision"), stated.get("search")
    for node, content in signed:
        occurred = str(content.get("occurred_at"))
        meeting = content.get("meeting")
        title = meeting.get("title") if isinstance(meeting, dict) else None
        if ((provider is not None and content.get("provider_id") != provider)
                or (start is not None and occurred < str(start)) or (end is not None and occurred >= str(end))
                or (decision is not None and content.get("decision") != decision)
                or (search is not None and not search_matches(str(search), title, content.get("note")))):
            return [f"record seq {node.get('mpg:seq')} is outside the filter the export states ({stated}): the "
                    "filter was changed, so records may have been left out"]
    return []


def exporting_check(document: dict[str, Any], *, head_checked: bool) -> tuple[list[str], list[str]]:
    """(problems, notes) about the ledger check the exporting app made (``mpg:verification``).

    It saw what the file cannot show: the anchors and keys kept outside the ledger, so an older
    copy put back or a ledger re-signed with another key. A problem it found is a problem here too.
    It is not signed: one that names another head than the signed one (``head_checked``: the
    head's signature checked) was edited, and a clean one is noted as the app's own statement."""
    verification = document.get("mpg:verification")
    if verification is None:
        return [], []
    if not isinstance(verification, dict):
        return ["the app's own ledger check in the export (mpg:verification) is not shaped as this app writes it: "
                "it was changed"], []
    if verification.get("ok") is not True:
        said = verification.get("summary")
        said = " ".join(said.split())[:300] if isinstance(said, str) and said.strip() else "no reason given"
        return [f"the app that made this export found the ledger NOT intact when it exported it (mpg:verification: "
                f"{said}); what it checked outside the file (the anchors and keys kept apart from the ledger) "
                "cannot be checked from the file"], []
    head = document.get("mpg:head")
    if head_checked and isinstance(head, dict) and (
            verification.get("head_seq") != head.get("seq") or verification.get("head_hash") != head.get("hash")):
        return ["the app's own ledger check in the export (mpg:verification) names another head than the signed "
                "one: it was changed"], []
    return [], ["the ledger check the exporting app made (mpg:verification), which found no problem, is its own "
                "statement and is not signed: it alone covers what the file cannot show (an older copy of the "
                "ledger put back, a ledger re-signed with another key); compare the key fingerprint with the owner's"]
