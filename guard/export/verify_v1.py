"""Check the exports nothing signed vouches for: format 1 JSON exports, the ones this app wrote
before exports carried public keys (builds up to 2026-12-01 03:50 UTC, e.g. commits 9b894ea and
a516cfc), and the chain of a format 2 export whose head is an HMAC (a ledger with no Ed25519 key).

Such a file carries no public key and no signature anyone but the ledger's owner can check: each
record has ``mpg:mac``, an HMAC made with a secret the export never holds (or, in the builds of
2026-12-01 whose ledger already signed with Ed25519, a signature whose public key the file does
not carry), and the chain ends in an unsigned ``mpg:chainHead``. What the file alone can still
show is that it is self-consistent: each record's content hashes to its ``mpg:hash``, its DPV
fields say what that content says, and (unfiltered) the records chain from seq 1 to the chain
head. That catches an edit made by hand or by a tool that does not recompute the hashes; it
cannot catch someone who rewrote the records and recomputed every hash. The check says so in its
summary rather than calling the file "intact", and never calls an honest format 1 export changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guard.export.verify_export import ExportCheck

GENESIS = "0" * 64
NOT_CHECKED = ("format 1 carries no public key, so no record's mpg:mac (an HMAC, or in builds of 2026-12-01 "
               "before format 2 an Ed25519 signature) can be checked from the file, and its chain head is not "
               "signed: whoever rewrote its records and recomputed every hash would not be caught. Ask the "
               "ledger's owner to run 'meeting-guard consent verify' (it checks them with their key) and to export "
               "again with a current version for a signed export")
# The DPV status each decision had in format 1 (a notice was then dpv:ConsentRequested; format 2
# says dpv:ConsentRequestDeferred): the statuses the format 1 writer derived, as it wrote them.
STATUS = {"given": "dpv:ConsentGiven", "refused": "dpv:ConsentRefused", "withdrawn": "dpv:ConsentWithdrawn",
          "left-meeting": "dpv:ConsentRefused", "notice-only": "dpv:ConsentRequested"}


def _name(node: dict[str, Any]) -> str:
    return f"record seq {node.get('mpg:seq')} (id {node.get('dct:identifier')})"


def _status(node: dict[str, Any]) -> dict[str, Any]:
    status = node.get("dpv:hasConsentStatus")
    if isinstance(status, list):
        status = status[0] if status else {}
    return status if isinstance(status, dict) else {}


def _view_matches(node: dict[str, Any], content: dict[str, Any]) -> bool:
    """The record's DPV fields (derived from its content by the format 1 writer) against its content."""
    decision = content.get("decision")
    status = _status(node)
    if (node.get("dct:identifier") != content.get("id") or node.get("@id") != f"urn:uuid:{content.get('id')}"
            or type(node.get("mpg:seq")) is not int
            or ("seq" in content and node.get("mpg:seq") != content.get("seq"))
            or node.get("mpg:decision") != decision or status.get("@type") != STATUS.get(str(decision))
            or status.get("dpv:isIndicatedAtTime") != content.get("occurred_at")
            or node.get("dct:created") != content.get("recorded_at")
            or node.get("mpg:requestedBy") != (content.get("requested_by") or None)):
        return False
    refers_to = content.get("refers_to")
    if (node.get("mpg:refersTo") or {}).get("@id") != (f"urn:uuid:{refers_to}" if refers_to else None):
        return False
    terms = content.get("terms") or []
    notices = node.get("dpv:hasNotice") or []
    if not isinstance(notices, list) or [n.get("@id") for n in notices] != [t.get("url") for t in terms]:
        return False
    return all(n.get("dct:identifier") in (None, f"sha256:{t.get('sha256')}")
               for n, t in zip(notices, terms, strict=True))


def verify_format1(document: dict[str, Any], check: ExportCheck, canonical: Callable[[Any], str]) -> None:
    """Fill ``check`` (an ExportCheck) for a format 1 export: hashes, DPV fields, chain, chain head."""
    check.format_version = 1
    check.unsigned = True
    coverage = document.get("mpg:coverage") or {}
    unfiltered = not any((coverage.get("filter") or {}).values())
    previous: dict[str, Any] | None = None
    seqs: list[Any] = []
    for node in document["mpg:records"]:
        if not isinstance(node, dict):
            check.problems.append("an entry of mpg:records is not a record")
            continue
        check.records += 1
        content = node.get("mpg:record")
        if not isinstance(content, dict):
            check.problems.append(f"{_name(node)} has no recorded content (mpg:record)")
            continue
        prev_hash = node.get("mpg:prevHash")
        computed = hashlib.sha256((str(prev_hash) + canonical(content)).encode("utf-8")).hexdigest()
        if computed != node.get("mpg:hash"):
            check.problems.append(f"{_name(node)} was changed: its content no longer matches its hash")
            continue
        if not _view_matches(node, content):
            check.problems.append(f"{_name(node)} was changed: its DPV fields no longer say what its recorded "
                                  "content says")
            continue
        if not isinstance(node.get("mpg:mac"), str):
            check.problems.append(f"{_name(node)} has no HMAC (mpg:mac): format 1 writes one for every record")
        check.hmac_unchecked += 1
        seq = node.get("mpg:seq")
        if previous is None and seq == 1 and prev_hash != GENESIS:
            check.problems.append(f"{_name(node)} is the first record but does not start the chain")
        if previous is not None and isinstance(seq, int) and seq == previous["mpg:seq"] + 1 \
                and prev_hash != previous["mpg:hash"]:
            check.problems.append(f"{_name(node)} is not chained to record seq {previous['mpg:seq']}")
        seqs.append(seq)
        previous = node
    head = document.get("mpg:chainHead")
    head_seq = head.get("mpg:seq") if isinstance(head, dict) else None
    head_hash = head.get("mpg:hash") if isinstance(head, dict) else None
    check.ledger_records = head_seq if type(head_seq) is int else None
    if check.records and not isinstance(head, dict):
        check.problems.append("the export has records but no chain head (mpg:chainHead)")
    elif unfiltered and not check.problems:
        if seqs != list(range(1, len(seqs) + 1)):
            missing = next((i + 1 for i, seq in enumerate(seqs) if seq != i + 1), len(seqs) + 1)
            check.problems.append(f"record seq {missing} is missing from the export")
        elif previous is not None and (head_seq != len(seqs) or head_hash != previous.get("mpg:hash")):
            check.problems.append(f"the export ends at seq {len(seqs)} but its chain head names seq {head_seq}: "
                                  "records were removed from the end, or the chain head was changed")
        else:
            check.complete = True
    if unfiltered and not check.problems:
        _standings(document["mpg:records"], check)
    if not unfiltered:
        check.notes.append("a filtered export: each record is checked against its own hash; records left out by "
                           "the filter cannot be told from records removed")
    check.notes.append("not checked: " + NOT_CHECKED)


def _standings(nodes: list[dict[str, Any]], check: ExportCheck) -> None:
    """In a whole-ledger export, a record a later record withdrew or corrected must say so
    (``mpg:changedBy`` naming one of those records, ``mpg:decisionNow`` its decision): these
    fields are outside the hashed content, so this is what stops a withdrawal being hidden."""
    by_id = {f"urn:uuid:{node['mpg:record'].get('id')}": node for node in nodes}
    later: dict[str, set[str]] = {}  # record -> every record that refers to it, directly or through others
    for node in nodes:
        refers_to = node["mpg:record"].get("refers_to")
        target = f"urn:uuid:{refers_to}" if refers_to else None
        seen: set[str] = set()
        while target in by_id and target not in seen:
            seen.add(target)
            later.setdefault(target, set()).add(str(node.get("@id")))
            parent = by_id[target]["mpg:record"].get("refers_to")
            target = f"urn:uuid:{parent}" if parent else None
    for node in nodes:
        changers = later.get(str(node.get("@id")))
        changed_by = (node.get("mpg:changedBy") or {}).get("@id") if isinstance(node.get("mpg:changedBy"), dict) \
            else None
        if not changers:
            if "mpg:changedBy" in node or "mpg:decisionNow" in node:
                check.problems.append(f"{_name(node)} says a later record changed it, but no record in the export "
                                      "refers to it")
            continue
        if changed_by not in changers or node.get("mpg:decisionNow") != by_id[changed_by]["mpg:record"].get(
                "decision"):
            check.problems.append(f"{_name(node)}: its standing (mpg:changedBy, mpg:decisionNow) does not say what "
                                  "the later records that refer to it say")


def unsigned_head_chain(document: dict[str, Any], last: dict[str, Any] | None, unfiltered: bool,
                        check: ExportCheck) -> None:
    """An HMAC head: the whole export must still chain from seq 1 to the seq and hash it names."""
    head = document["mpg:head"]
    check.ledger_records = head.get("seq") if type(head.get("seq")) is int else None
    if not unfiltered:
        return
    seqs = [node.get("mpg:seq") for node in document["mpg:records"] if isinstance(node, dict)]
    if seqs != list(range(1, len(seqs) + 1)) or len(seqs) != head.get("seq") or (
            last is not None and last.get("mpg:hash") != head.get("hash")):
        check.problems.append(f"the export's records (seq 1 to {len(seqs)}) do not run to the head it names "
                              f"(seq {head.get('seq')}): records were removed or the head was changed")
        return
    check.complete = True
