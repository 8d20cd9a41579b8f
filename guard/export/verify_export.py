"""Check a JSON export with nothing but the file: no ledger, no keyring, no network. Pure:
the parsed document in, an :class:`ExportCheck` out.

What is checked, in the order ``docs/verify-export.md`` explains it for a reader with Python
and ``cryptography`` alone:

1. every record's content (``mpg:record``) still hashes, with its predecessor's hash, to its
   ``mpg:hash``, and the DPV view of it (identifier, decision, time) says what the signed
   content says;
2. every record's ``mpg:signature`` verifies with the public key it names (Ed25519); HMAC
   signatures of records written before Ed25519 cannot be checked without the owner's secret
   and are counted, not trusted;
3. the records chain (each ``mpg:prevHash`` is the previous ``mpg:hash``), and in an unfiltered
   export they run from seq 1 to the head;
4. the head's signature verifies, and it names the last record and the digest of every record
   signature, so no record was removed or re-signed.

A public key's fingerprint is SHA-256 of its 32 raw bytes: compare it with the one the ledger's
owner reads out from ``meeting-guard consent verify`` to know whose key it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from guard.export.dpv_terms import EARLIER_CONTEXTS, STATUS, form_problem
from guard.export.verify_v1 import unsigned_head_chain, verify_format1
from guard.export.verify_view import exporting_check, unchecked_statuses, view_problems
from guard.ledger.proof import LedgerProof
from guard.ledger.signing import (
    Verifier,
    head_message,
    key_message,
    keys_digest,
    next_signatures_digest,
    record_message,
)
from guard.text_controls import quoted

GENESIS = "0" * 64


def _count(number: int | None, noun: str) -> str:
    """"1 record", "8 records": the summary is read by people (English, like the rest of the check)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
ZERO_DIGEST = "0" * 64


@dataclass
class ExportCheck:
    """The outcome: ``ok`` only when every record, signature, link and the head checked out."""

    records: int = 0
    signatures_checked: int = 0
    hmac_unchecked: int = 0  # records from before Ed25519: only the ledger's owner can check them
    complete: bool = False  # an unfiltered export: the chain runs from seq 1 to the head
    head_checked: bool = False
    ledger_records: int | None = None  # how many records the signed head says the whole ledger holds
    fingerprints: dict[str, str] = field(default_factory=dict)  # key id -> SHA-256 of the public key
    format_version: int = 2  # 1: no public key in it, hashes only (guard.export.verify_v1)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    unsigned: bool = False  # consistent as far as it goes, but nothing in it is signed with a key it carries

    @property
    def ok(self) -> bool:
        """Intact: no problem found, and signatures vouch for it (an unsigned export is not ok)."""
        return not self.problems and not self.unsigned

    def summary(self) -> str:
        if self.problems:
            return f"NOT intact: {self.problems[0]}"
        if self.unsigned:
            shown = (f"{_count(self.records, 'record')} (the whole ledger)" if self.complete else
                     f"{self.records} of the ledger's {_count(self.ledger_records, 'record')} "
                     "(a filtered part of the ledger)")
            kind = ("a format 1 export (no public key in it)" if self.format_version == 1 else
                    "an export of a ledger that has only HMAC keys")
            return (f"NOT verifiable (not signed), consistent: {shown}; every record's hash"
                    + (" and the chain to its head" if self.complete else "")
                    + f" checked, nothing found changed; {kind}: it cannot show who wrote it")
        scope = "the whole ledger" if self.complete else "a filtered part of the ledger"
        shown = (f"{self.records} of the ledger's {_count(self.ledger_records, 'record')}" if not self.complete
                 and self.ledger_records is not None else _count(self.records, "record"))
        unsigned = (f"; {_count(self.hmac_unchecked, 'record')} from before Ed25519 checked by their hash only"
                    if self.hmac_unchecked and not self.complete else "")
        return (f"intact: {shown} ({scope}); {_count(self.signatures_checked, 'signature')} checked"
                + (", the head's signature checked" if self.head_checked else "") + unsigned)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "summary": self.summary(), "records": self.records,
                "signatures_checked": self.signatures_checked, "hmac_unchecked": self.hmac_unchecked,
                "complete": self.complete, "head_checked": self.head_checked,
                "ledger_records": self.ledger_records, "format_version": self.format_version,
                "signed": not self.unsigned, "fingerprints": self.fingerprints,
                "problems": list(self.problems), "notes": list(self.notes)}


class ExportFormatError(ValueError):
    """The file is not a consent history export this version can read; the message says why."""


def canonical(content: Any) -> str:
    """The ledger's canonical form: keys sorted, no whitespace, UTF-8, non-ASCII kept."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _verifiers(document: dict[str, Any], check: ExportCheck) -> dict[str, Verifier | None]:
    found: dict[str, Verifier | None] = {}
    for key in document.get("mpg:publicKeys") or []:
        key_id = str(key.get("key_id"))
        if key.get("algorithm") != "ed25519":
            found[key_id] = None
            continue
        try:
            raw = base64.b64decode(str(key.get("public_key")), validate=True)
            verifier = Verifier(raw)
        except (binascii.Error, ValueError) as error:
            check.problems.append(f"public key {key_id} is damaged ({error})")
            continue
        if key.get("fingerprint") != verifier.fingerprint:
            check.problems.append(f"public key {key_id}: its fingerprint does not match the key")
            continue
        if not verifier.verify(key_message(str(key.get("record"))), key.get("record_signature")):
            check.problems.append(f"public key {key_id}: its own record is not signed by it")
            continue
        found[key_id] = verifier
        check.fingerprints[key_id] = verifier.fingerprint
    return found


def _name(node: dict[str, Any]) -> str:
    return f"record seq {node.get('mpg:seq')} (id {node.get('dct:identifier')})"


def _record(node: dict[str, Any], content: Any, check: ExportCheck,
            forms: dict[str, Any] | None = None) -> bool:
    """The record's own hash, and its DPV view against its signed content."""
    if not isinstance(content, dict):
        check.problems.append(f"{_name(node)} has no signed content (mpg:record)")
        return False
    prev_hash = node.get("mpg:prevHash")
    try:
        computed = hashlib.sha256((str(prev_hash) + canonical(content)).encode("utf-8")).hexdigest()
    except (TypeError, ValueError):
        computed = None
    if computed != node.get("mpg:hash"):
        check.problems.append(f"{_name(node)} was changed: its content no longer matches its hash")
        return False
    if not _view_matches(node, content, forms):
        check.problems.append(f"{_name(node)} was changed: its DPV fields no longer say what its signed content says")
        return False
    return True


def _view_matches(node: dict[str, Any], content: dict[str, Any], forms: dict[str, Any] | None = None) -> bool:
    """Whether the record's DPV view (what the app derived from the signed content) still says
    what the signed content says: id, seq, decision, time, who asked, the terms versions and
    (``forms``: an export of today's context, its ``mpg:forms`` by id) the language of the app's
    form, or that it was not recorded."""
    decision = content.get("decision")
    status = node.get("dpv:hasConsentStatus")
    first = status[0] if isinstance(status, list) and status else node  # a withdrawal is a status itself
    if (node.get("dct:identifier") != content.get("id") or type(node.get("mpg:seq")) is not int
            or node.get("mpg:seq") != content.get("seq")
            or node.get("mpg:decision") != decision or first.get("@type") != STATUS.get(str(decision))
            or first.get("dpv:isIndicatedAtTime") != content.get("occurred_at")
            or node.get("mpg:keyId") != content.get("key_id")):
        return False
    if node.get("@type") != "dpv:ConsentRecord":
        return True
    if node.get("dct:created") != content.get("recorded_at") or node.get("mpg:requestedBy") != content.get(
            "requested_by"):
        return False
    terms = content.get("terms") or []
    notices = node.get("dpv:hasNotice") or []
    if forms is not None:
        form = notices[-1] if isinstance(notices, list) and notices else None
        if isinstance(form, dict) and "@type" not in form:  # a reference into mpg:forms
            form = forms.get(str(form.get("@id")))
        if not _form_says(form, content.get("language")):
            return False
        notices = notices[:-1]
    if terms:
        expected = [(t.get("url"), f"sha256:{t.get('sha256')}", f"sha256:{t.get('sha256')}") for t in terms]
        return [(n.get("@id"), n.get("dct:identifier"), n.get("dct:hasVersion")) for n in notices] == expected
    return True


def _forms(document: dict[str, Any]) -> dict[str, Any]:
    """The app's form nodes by ``@id`` (exports of 2026-12-02 before them wrote each in full)."""
    found = document.get("mpg:forms")
    return {str(f.get("@id")): f for f in found if isinstance(f, dict)} if isinstance(found, list) else {}


def _form_says(form: Any, language: Any) -> bool:
    """The app's form node states the signed language, or (none signed) that it was not recorded."""
    if not isinstance(form, dict) or form_problem(form) is not None:  # said of the form itself too (verify_view)
        return False
    said = form.get("dct:language")
    if language is None:
        return isinstance(said, dict) and said.get("dpv:hasApplicability") == {"@id": "dpv:NotAvailable"}
    return bool(said == str(language))


def verify_export(document: Any, raw: bytes | None = None) -> ExportCheck:
    """Check a parsed JSON export; raises ExportFormatError when it is not one. A value of the
    wrong shape anywhere (a number where a key belongs, a list for the head) is NOT intact.
    ``raw``: the file's bytes, to also refuse a key written twice in one object."""
    try:
        check = _verify(document)
        if raw is not None and repeated_keys(raw, document):
            check.problems.insert(0, "the file writes a key twice in one object: readers disagree on which of the "
                                     "two counts (this check reads the last), so it may show another reader "
                                     "something else than what was checked")
    except ExportFormatError:
        raise
    except (AttributeError, TypeError, KeyError, IndexError, ValueError, RecursionError) as error:
        check = ExportCheck()
        check.problems.append(f"the export was changed: a record, status, key or the head is not shaped as this "
                              f"app writes it ({type(error).__name__}: {str(error)[:120]})")
        return _quoted_short(check)
    if check.records and not check.signatures_checked and not check.head_checked and check.format_version >= 2:
        check.unsigned = True  # an honest export of an HMAC-only ledger looks the same as a forged one
        check.notes.append("not checked: nothing in it can be checked without the ledger owner's secret: no record "
                           "and no head carries an Ed25519 signature (only HMACs, or none), so anyone could have "
                           "written it; ask the owner to run 'meeting-guard consent verify' and export again (the "
                           "ledger signs with Ed25519 from its next record)")
    return _quoted_short(check)


def _quoted_short(check: ExportCheck) -> ExportCheck:
    """Problems, notes and key ids quote the file's values (a record number, a key id): each on one
    line of a sane length, whatever the file holds."""
    check.problems = [quoted(problem, 1000) for problem in check.problems]
    check.notes = [quoted(note, 1000) for note in check.notes]
    check.fingerprints = {quoted(key_id, 80): fingerprint for key_id, fingerprint in check.fingerprints.items()}
    return check


def _verify(document: Any) -> ExportCheck:
    if isinstance(document, dict) and "consentReceiptID" in document:
        raise ExportFormatError("this is a consent receipt as plain JSON (Kantara): it carries no signature, so "
                                "nothing in it can be checked; check the receipt's .jws with --key "
                                "ledger-public-key.pem (receipts exports before Ed25519 wrote no .jws: ask the "
                                "ledger's owner for a current export)")
    if not isinstance(document, dict) or not isinstance(document.get("mpg:records"), list):
        raise ExportFormatError("this is not a consent history export (no 'mpg:records' list)")
    version = document.get("mpg:formatVersion")
    if type(version) is int and version == 1:  # before Ed25519: the checks the file can carry
        check = ExportCheck()
        verify_format1(document, check, canonical)
        return check
    if version != 2:
        raise ExportFormatError(f"export format {version!r} is not one this version reads (formats 1 and 2); "
                                "check it with a version of the app at least as new as the one that wrote it")
    check = ExportCheck()
    verifiers = _verifiers(document, check)
    # today's exports end each record's notices with the app's form (a context that is none of the app's
    # is read as today's here, and said as changed by itself)
    forms = None if document.get("@context") in EARLIER_CONTEXTS else _forms(document)
    digest = ZERO_DIGEST
    previous: dict[str, Any] | None = None
    statuses: dict[str, dict[str, Any]] = {}
    signed: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (node, its signed content) whose hash checked
    searched = _searched(document)  # a stated search is checked against each record's title and note
    for node in document["mpg:records"]:
        if not isinstance(node, dict):
            check.problems.append("an entry of mpg:records is not a record")
            continue
        check.records += 1
        # every signature the file holds, whatever else is wrong with its record: the head's digest
        # then differs only where a signature itself is not the one signed (a changed record is
        # said as changed, not as a replaced signature)
        digest = next_signatures_digest(digest, str(node.get("mpg:signature")))
        content = node.get("mpg:record")
        if not _record(node, content, check, forms) or not isinstance(content, dict):
            continue
        seq, prev_hash = node.get("mpg:seq"), node.get("mpg:prevHash")
        if previous is None and seq == 1 and prev_hash != GENESIS:
            check.problems.append(f"{_name(node)} is the first record but does not start the chain")
        if previous is not None and isinstance(seq, int) and seq == previous["mpg:seq"] + 1 \
                and prev_hash != previous["mpg:hash"]:
            check.problems.append(f"{_name(node)} is not chained to record seq {previous['mpg:seq']}")
        signature = node.get("mpg:signature")
        key_id = str(content.get("key_id"))
        verifier = verifiers.get(key_id)
        if key_id not in verifiers:
            check.problems.append(f"{_name(node)} is signed with key {key_id}, which the export does not list")
        elif verifier is None:
            check.hmac_unchecked += 1
        elif not verifier.verify(record_message(str(node.get("mpg:hash"))), signature):
            check.problems.append(f"{_name(node)} has a signature that does not verify with key {key_id}")
        else:
            check.signatures_checked += 1
        kept = _kept(node)  # what later checks compare: a record's other nodes are let go (bounded memory)
        statuses[f"urn:uuid:{content.get('id')}"] = kept
        compared = {key: content[key] for key in _KEPT_CONTENT if key in content}
        if searched:
            meeting = content.get("meeting")
            compared["meeting"] = {"title": meeting.get("title") if isinstance(meeting, dict) else None}
            compared["note"] = content.get("note")
        signed.append((kept, compared))
        previous = kept
    _amendments(document["mpg:records"], statuses, check)
    _head(document, verifiers, previous, digest, check)
    problems, notes = exporting_check(document, head_checked=check.head_checked)
    check.problems += problems
    check.notes += notes
    check.problems += view_problems(document, signed, complete=_unfiltered(document))
    outside = 0 if _unfiltered(document) else unchecked_statuses(signed)
    if outside:
        check.notes.append(f"{outside} later status(es) in the records' histories (a withdrawal or correction) name "
                           "records outside this filtered export: they cannot be checked from it; export without a "
                           "filter to check them")
    if check.hmac_unchecked and check.complete:
        check.notes.append(f"{check.hmac_unchecked} record(s) were written before Ed25519 and carry an HMAC only the "
                           "ledger's owner can check; the chain and the head's signature still cover their content")
    elif check.hmac_unchecked:  # filtered: the chain from them to the signed head is not in the file
        check.notes.append(f"{check.hmac_unchecked} record(s) were written before Ed25519 and carry an HMAC only the "
                           "ledger's owner can check; in a filtered export nothing signed covers them (their chain "
                           "to the signed head is not in the file), so only their own hashes are checked: export "
                           "without a filter to check them")
    return check


# The fields of a record node the checks after the first walk compare (view_problems, _amendments,
# _head): only these are kept of each record, so an export read lazily (guard.export.lazy_records) is
# never held whole.
_KEPT = ("@id", "@type", "dct:identifier", "dpv:hasConsentStatus", "dpv:hasDataSubject", "dpv:hasEntity",
         "dpv:hasProcess", "dpv:isIndicatedAtTime", "mpg:hash", "mpg:prevHash", "mpg:seq", "mpg:statusNow")
# Of its signed content, once its hash and signature checked: what the view checks compare.
_KEPT_CONTENT = ("decision", "feature_id", "id", "occurred_at", "provider_id", "purposes", "refers_to")


def _searched(document: dict[str, Any]) -> bool:
    """Whether the export states a search (its records' titles and notes are then kept to check it)."""
    coverage = document.get("mpg:coverage")
    stated = coverage.get("filter") if isinstance(coverage, dict) else None
    return isinstance(stated, dict) and stated.get("search") is not None


def _kept(node: dict[str, Any]) -> dict[str, Any]:
    return {key: node[key] for key in _KEPT if key in node}


def _amendments(nodes: list[Any], statuses: dict[str, dict[str, Any]], check: ExportCheck) -> None:
    """A record's status history must say what the signed withdrawals and corrections say."""
    for node in nodes:
        if not isinstance(node, dict) or not isinstance(node.get("dpv:hasConsentStatus"), list):
            continue
        for status in node["dpv:hasConsentStatus"][1:]:
            signed = statuses.get(str(status.get("@id")))
            if signed is None:
                continue  # outside this export's filter
            if (status.get("@type") != signed.get("@type")
                    or status.get("dpv:isIndicatedAtTime") != signed.get("dpv:isIndicatedAtTime")):
                check.problems.append(f"{_name(node)}: its status history does not match the signed record "
                                      f"{signed.get('dct:identifier')}")


def _head(document: dict[str, Any], verifiers: dict[str, Verifier | None], last: dict[str, Any] | None,
          digest: str, check: ExportCheck) -> None:
    head = document.get("mpg:head")
    unfiltered = _unfiltered(document)
    if head is None:
        if document["mpg:records"]:
            check.problems.append("the export has records but no signed head")
        return
    if not isinstance(head, dict):
        check.problems.append("the export's head is not a signed head: records may have been removed, added or "
                              "re-signed")
        return
    if "signature" not in head:
        if any(verifier is not None for verifier in verifiers.values()):
            # This app signs the head with the newest key; with an Ed25519 key listed, an unsigned
            # head is one whose signature was taken away (to hide records removed from the end).
            check.problems.append("the head carries no signature although the export lists an Ed25519 key: "
                                  "records may have been removed from the end, added or re-signed")
            return
        check.notes.append("the head was signed before Ed25519 (an HMAC): only the ledger's owner can check it")
        return
    if str(head.get("key_id")) in verifiers and verifiers[str(head.get("key_id"))] is None \
            and not any(verifiers.values()) and head.get("signatures_digest") is None:
        # A ledger that has only HMAC keys signs its head with one: only its owner can check it.
        check.notes.append("the head is signed with an HMAC (the ledger had no Ed25519 key yet): only the ledger's "
                           "owner can check it")
        unsigned_head_chain(document, last, unfiltered, check)
        return
    verifier = verifiers.get(str(head.get("key_id")))
    message = head_message(str(document.get("mpg:ledgerId")), int(head.get("seq", -1)), str(head.get("hash")),
                           str(head.get("signatures_digest")), str(head.get("keys_digest")))
    if verifier is None or not verifier.verify(message, head.get("signature")):
        check.problems.append("the head's signature does not verify: records may have been removed, added or "
                              "re-signed")
        return
    try:
        proof = LedgerProof.from_dict({"ledger_id": document.get("mpg:ledgerId"),
                                       "keys": document.get("mpg:publicKeys") or [], "head": head})
    except ValueError as error:
        check.problems.append(f"the export's key list is damaged ({error})")
        return
    if head.get("keys_digest") != keys_digest(key.digest_line() for key in proof.keys):
        check.problems.append("the list of public keys was changed after the head was signed")
        return
    check.head_checked = True
    check.ledger_records = head.get("seq") if type(head.get("seq")) is int else None
    if not unfiltered:
        check.notes.append("a filtered export: the head vouches for the whole ledger, of which these records are "
                           "a part; each record is checked by its own signature")
        return
    seqs = [node.get("mpg:seq") for node in document["mpg:records"] if isinstance(node, dict)]
    if seqs != list(range(1, len(seqs) + 1)):
        missing = next((i + 1 for i, seq in enumerate(seqs) if seq != i + 1), len(seqs) + 1)
        check.problems.append(f"record seq {missing} is missing from the export")
        return
    if len(seqs) != head.get("seq") or (last is not None and last.get("mpg:hash") != head.get("hash")):
        check.problems.append(f"the export ends at seq {len(seqs)} but the signed head names seq {head.get('seq')}: "
                              "records were removed from the end")
        return
    if digest != head.get("signatures_digest"):
        check.problems.append("the records' signatures are not the ones the head signed: a record's signature "
                              "was replaced, or a record was replaced by another one")
        return
    check.complete = True


def _unfiltered(document: dict[str, Any]) -> bool:
    """Whether the export says it holds the whole ledger (its filter is not signed: the records
    must bear it out, see guard.export.verify_view)."""
    coverage = document.get("mpg:coverage") or {}
    return not any((coverage.get("filter") or {}).values())


_QUOTE_SPACE_COLON = re.compile(rb'"[ \t\r\n]+:')  # a quote, spaces and a colon (the app writes '":')
_BACKSLASH_QUOTE_COLON = re.compile(rb'\\"[ \t\r\n]*:')


def repeated_keys(raw: bytes, document: Any) -> bool:
    """Whether the text names more keys than the parsed objects hold: a key written twice in one
    object (a JSON parser keeps one of them; this app never writes such a file). A key ends in a
    quote and a colon; so does an escaped quote inside a text, which follows an odd run of backslashes."""
    written = raw.count(b'":') + len(_QUOTE_SPACE_COLON.findall(raw))
    for found in _BACKSLASH_QUOTE_COLON.finditer(raw):  # rare: count the run of backslashes before the quote
        start = found.start()
        while start > 0 and raw[start - 1] == 0x5C:
            start -= 1
        written -= (found.start() + 1 - start) % 2
    return written != _held_keys(document)


def _held_keys(document: Any) -> int:
    """How many keys the parsed objects hold; records read lazily are counted one at a time."""
    from guard.export.lazy_records import LazyRecords

    held, stack = 0, [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            held += len(item)
            stack.extend(item.values())
        elif isinstance(item, LazyRecords):
            held += sum(_held_keys(record) for record in item)
        elif isinstance(item, list):
            stack.extend(item)
    return held
