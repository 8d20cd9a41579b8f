"""The CSV export: RFC 4180 (comma, double quotes, CRLF line ends), UTF-8, a header row,
one row per record.

Multi-valued fields (purposes, the terms versions, the evidence) are joined with
:data:`JOIN` (`` | ``); a ``|`` or ``\\`` inside an item is escaped with ``\\``, so
:func:`split_multi` gives the items back exactly. Lists that belong together (a terms
version's document, SHA-256 and URL) sit in parallel columns, item by item; a parallel
column has as many items as the first of its group (``terms_sha256``, ``evidence_signals``),
so a cell whose only item is empty (a version with no URL) is empty. An empty cell is a
missing value.

``excel=True`` writes what Excel opens correctly whatever its list separator: a UTF-8 byte
order mark, every cell quoted (so ``;`` and ``,`` in a value never split it), and a ``'``
before a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return, so user
text is never run as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from guard.export.job import ExportJob, Written
from guard.export.selection import Entry

JOIN = " | "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "id", "seq", "occurred_at", "recorded_at", "provider_id", "provider_name", "feature_id", "feature_name",
    "decision", "status_now", "purposes", "requested_by", "meeting_title", "meeting_id_or_link",
    "meeting_organiser", "terms_provider_ids", "terms_document_ids", "terms_sha256", "terms_urls",
    "evidence_signals", "evidence_details", "evidence_seen_at", "note", "refers_to", "key_id", "prev_hash",
    "hash", "mac",
)


def _escape(item: str) -> str:
    return item.replace("\\", "\\\\").replace("|", "\\|")


def join_multi(items: list[str | None]) -> str:
    return JOIN.join(_escape(item or "") for item in items)


def split_multi(cell: str, count: int | None = None) -> list[str]:
    """The items :func:`join_multi` joined; ``count`` (of a parallel column) restores a cell
    whose items were all empty. An empty cell is an empty list otherwise."""
    if cell == "":
        return [""] * count if count else []
    items, current, i = [], [], 0
    while i < len(cell):
        ch = cell[i]
        if ch == "\\" and i + 1 < len(cell):
            current.append(cell[i + 1])
            i += 2
        elif cell.startswith(JOIN, i):
            items.append("".join(current))
            current = []
            i += len(JOIN)
        else:
            current.append(ch)
            i += 1
    items.append("".join(current))
    return items


def row(entry: Entry, job: ExportJob) -> list[object]:
    facts = job.facts.provider(entry.provider_id)
    meeting, terms, evidence = entry.meeting, entry.terms, entry.evidence
    return [
        entry.id, entry.seq, entry.occurred_at, entry.recorded_at, entry.provider_id, facts.name, entry.feature_id,
        facts.feature_name(entry.feature_id), entry.decision, entry.standing.label, join_multi(entry.purposes),
        entry.requested_by, meeting["title"], meeting["id_or_link"], meeting["organiser"],
        join_multi([t["provider_id"] for t in terms]), join_multi([t["document_id"] for t in terms]),
        join_multi([t["sha256"] for t in terms]), join_multi([t["url"] for t in terms]),
        join_multi([e["signal"] for e in evidence]), join_multi([e["detail"] for e in evidence]),
        join_multi([e["seen_at"] for e in evidence]), entry.note, entry.refers_to, entry.content["key_id"],
        entry.prev_hash, entry.hash, entry.mac,
    ]


def _excel_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(job: ExportJob, out: BinaryIO) -> Written:
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if job.excel else "utf-8", newline="", write_through=False)
    writer = csv.writer(text, quoting=csv.QUOTE_ALL if job.excel else csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for entry in job.entries():
        values = row(entry, job)
        writer.writerow([_excel_safe(v) for v in values] if job.excel else values)
        count += 1
    text.flush()
    text.detach()
    return Written(count)
