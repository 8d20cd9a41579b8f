"""The CSV export: RFC 4180 (comma, double quotes, CRLF line ends), UTF-8, a header row,
one row per record.

Multi-valued fields (purposes, the terms versions, the evidence) are joined with
:data:`JOIN` (`` | ``); a ``|`` or ``\\`` inside an item is escaped with ``\\``, so
:func:`split_multi` gives the items back exactly. Lists that belong together (a terms
version's document, SHA-256 and URL) sit in parallel columns, item by item; a parallel
column has as many items as the first of its group (``terms_sha256``, ``evidence_signals``),
so a cell whose only item is empty (a version with no URL) is empty. An empty cell is a
missing value.

Every cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
``'`` (OWASP, "CSV Injection"), so text a meeting host, a web page or a tampered ledger chose is
never run as a formula by a spreadsheet, in both variants. A cell that already starts with
``'`` gets one more, so the rule to read a value back is always the same: drop one leading
``'``. A cell holding ``;`` is quoted too, so a spreadsheet whose list separator is ``;`` never
splits it into a new cell that could start a formula. The JSON export keeps every value exactly.

Control characters other than tab and line breaks (which a quoted cell holds), and bidi
overrides, are written as spaces: a spreadsheet applies an override as a browser does
(``guard.text_controls``), and a terminal showing the file would run an escape sequence.

Text is cut to what the ledger keeps when it records (``guard.export.shown_values``, as the
HTML and PDF exports do; a meeting link without the secrets and e-mail addresses the ledger cuts
now): a value longer than its limit in a ledger edited outside the app keeps its beginning and the
ledger's cut mark, lists their first :data:`~guard.ledger.cut.MAX_ITEMS` items. A record the app wrote
is never cut here (the ledger already cut it); the signed JSON export keeps a tampered record as it is.

``excel=True`` writes what Excel opens correctly whatever its list separator: a UTF-8 byte
order mark and every cell quoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO, TypeVar, cast

from guard.export.job import ExportJob, Written
from guard.export.selection import Entry
from guard.export.shown_values import MAX_NOTE, MAX_TEXT, shown, shown_link
from guard.ledger.cut import MAX_ITEMS, MAX_NOTICE
from guard.text_controls import UNSAFE

JOIN = " | "
_V = TypeVar("_V")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISED_START = (*FORMULA_START, "'")  # cells that get a leading "'" (see the module's docstring)
_AS_SPACE = {code: " " for code in UNSAFE if chr(code) not in "\t\n\r"}

COLUMNS = (
    "id", "seq", "occurred_at", "recorded_at", "provider_id", "provider_name", "feature_id", "feature_name",
    "decision", "status_now", "purposes", "requested_by", "meeting_title", "meeting_id_or_link",
    "meeting_organiser", "terms_provider_ids", "terms_document_ids", "terms_sha256", "terms_urls",
    "evidence_signals", "evidence_details", "evidence_seen_at", "note", "refers_to", "key_id", "prev_hash",
    "hash", "mac", "notice_text", "notice_seen_at", "cut",
    "terms_titles", "terms_version_dates",  # the terms versions as PDF/HTML name them (title, date)
    "kept_at", "kept_why", "language",  # from version 2 (docs/csv-export.md): appended, so columns keep their places
)
CSV_VERSION = 2
"""The version of :data:`COLUMNS` (docs/csv-export.md lists each version's columns): a new
column is only ever appended, so a reader of an older version finds every column it knows
where it was."""


def _escape(item: str) -> str:
    return item.replace("\\", "\\\\").replace("|", "\\|")


def join_multi(items: Sequence[str | None]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        item = items[0] or ""
        return _escape(item) if "|" in item or "\\" in item else item
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


def _shown(value: _V, limit: int = MAX_TEXT) -> _V:
    """A text value cut to ``limit`` (see the module's docstring); other values as they are."""
    return cast(_V, shown(value, limit)) if isinstance(value, str) else value


def _items(values: Sequence[str | None]) -> list[str | None]:
    """The first MAX_ITEMS values, each cut to MAX_TEXT."""
    return [shown(v) if isinstance(v, str) else v for v in values[:MAX_ITEMS]]


def _columns(items: list[dict[str, str | None]], keys: tuple[str, ...]) -> list[str]:
    """Parallel multi-valued cells for a list of objects (terms versions, evidence)."""
    if not items:
        return [""] * len(keys)
    kept = items[:MAX_ITEMS]
    return [join_multi(_items([item[key] for item in kept])) for key in keys]


TERMS_KEYS = ("provider_id", "document_id", "sha256", "url")
EVIDENCE_KEYS = ("signal", "detail", "seen_at")


def _notice(c: dict[str, object]) -> tuple[str | None, str | None, str]:
    """The notice shown (records from format 2 on) and which fields were cut, as cells."""
    notice = c.get("notice")
    text, seen = (notice["text"], notice["seen_at"]) if isinstance(notice, dict) else (None, None)
    cuts = c.get("cut")
    listed = [f"{name}={length}" for name, length in cuts.items()] if isinstance(cuts, dict) else []
    return _shown(text, MAX_NOTICE), _shown(seen), join_multi(_items(listed))


def _link(value: _V) -> _V | str | None:
    """A record's meeting link as the ledger keeps one now (secrets and e-mail addresses cut: an older
    build kept a typed link whole), as the HTML and PDF exports show it."""
    return shown_link(value) if isinstance(value, str) else _shown(value)


def _kept(c: dict[str, object]) -> tuple[str | None, str | None]:
    """When a decision that waited unsigned was kept, and why (guard.ledger.waiting), as cells."""
    kept = c.get("kept")
    return (_shown(kept.get("kept_at")), _shown(kept.get("why"))) if isinstance(kept, dict) else (None, None)


def row(entry: Entry, job: ExportJob) -> list[object]:
    c = entry.content
    facts = job.facts.provider(c["provider_id"])
    meeting = c["meeting"]
    s = _shown
    return [
        s(c["id"]), entry.seq, s(c["occurred_at"]), s(c["recorded_at"]), s(c["provider_id"]), s(facts.name),
        s(c["feature_id"]), s(facts.feature_name(c["feature_id"])), s(c["decision"]), entry.standing.label,
        join_multi(_items(c["purposes"])), s(c["requested_by"]), s(meeting["title"]), _link(meeting["id_or_link"]),
        s(meeting["organiser"]), *_columns(c["terms"], TERMS_KEYS), *_columns(c["evidence"], EVIDENCE_KEYS),
        s(c["note"], MAX_NOTE), s(c["refers_to"]), s(c["key_id"]), s(entry.prev_hash), s(entry.hash),
        s(entry.signature), *_notice(c), *_terms_named(c["terms"], job), *_kept(c), s(c.get("language")),
    ]


def _terms_named(terms: list[dict[str, str | None]], job: ExportJob) -> tuple[str, str]:
    """Per terms version, the document's title (the catalog's) and version date (the terms
    store's), parallel to terms_sha256; an empty item where either is not known."""
    if not terms:
        return "", ""
    names, kept = job.terms_names, terms[:MAX_ITEMS]
    return (join_multi(_items([names.title(t) for t in kept])),
            join_multi(_items([names.version_date(t["provider_id"] or "", t["document_id"] or "", t["sha256"] or "")
                               for t in kept])))


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula (or it
    already starts with ``'``)."""
    return "'" + text if text.startswith(NEUTRALISED_START) else text


def _cell(value: object) -> str:
    """One RFC 4180 field, neutralised: quoted (quotes doubled) only when it holds a comma,
    quote, line break or ``;``."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():
        text = text.translate(_AS_SPACE)
    if text.startswith(NEUTRALISED_START):
        text = "'" + text
    if "," in text or '"' in text or "\n" in text or "\r" in text or ";" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _excel_cell(value: object) -> str:
    """Every field quoted (so Excel's ';' list separator never splits one), neutralised."""
    if value is None:
        return '""'
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():
        text = text.translate(_AS_SPACE)
    if text.startswith(NEUTRALISED_START):
        text = "'" + text
    return '"' + text.replace('"', '""') + '"'


# Ids, enums, hex and timestamps as the ledger writes them: nothing to quote or neutralise.
_RAW_BYTES = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:._-,"


def _plain_fields(raw: str) -> bool:
    """Whether comma-joined fields hold only id characters, none starting with '-' (one C-level
    pass: deleting the allowed bytes leaves nothing)."""
    return (raw.isascii() and not raw.encode("ascii").translate(None, _RAW_BYTES)
            and not raw.startswith("-") and ",-" not in raw)


def _plain_line(entry: Entry, job: ExportJob) -> str:
    """:func:`row` as one RFC 4180 line, the same bytes as joining ``map(_cell, row(...))``.
    Fields the ledger validates as ids, enums, hex or timestamps are written as they are once
    one check of them all says they hold nothing else and none is longer than text may be (a
    tampered ledger may hold anything: then every field goes through :func:`row`, cut, and
    :func:`_cell`); text always goes through :func:`_cell`, cut."""
    c, q, s = entry.content, _cell, _shown
    raw = (f'{c["id"]},{entry.seq},{c["occurred_at"]},{c["recorded_at"]},{c["provider_id"]},'
           f'{c["feature_id"] or ""},{c["decision"]},{c["requested_by"] or ""},{c["refers_to"] or ""},'
           f'{c["key_id"]},{entry.prev_hash},{entry.hash},{entry.signature}')
    # 13 fields: a comma inside one would shift the columns
    if raw.count(",") != 12 or len(raw) > MAX_TEXT or not _plain_fields(raw):
        return ",".join(map(q, row(entry, job)))
    facts = job.facts.provider(c["provider_id"])
    meeting = c["meeting"]
    terms = _columns(c["terms"], TERMS_KEYS)
    evidence = _columns(c["evidence"], EVIDENCE_KEYS)
    notice_text, notice_seen, cuts = _notice(c)
    titles, dates = _terms_named(c["terms"], job)
    kept_at, kept_why = _kept(c)
    return (f'{c["id"]},{entry.seq},{c["occurred_at"]},{c["recorded_at"]},{c["provider_id"]},{q(s(facts.name))},'
            f'{c["feature_id"] or ""},{q(s(facts.feature_name(c["feature_id"])))},{c["decision"]},'
            f'{q(entry.standing.label)},{q(join_multi(_items(c["purposes"])))},{c["requested_by"] or ""},'
            f'{q(s(meeting["title"]))},{q(_link(meeting["id_or_link"]))},{q(s(meeting["organiser"]))},{q(terms[0])},'
            f'{q(terms[1])},{q(terms[2])},{q(terms[3])},{q(evidence[0])},{q(evidence[1])},{q(evidence[2])},'
            f'{q(s(c["note"], MAX_NOTE))},{c["refers_to"] or ""},{c["key_id"]},{entry.prev_hash},{entry.hash},'
            f'{entry.signature},{q(notice_text)},{q(notice_seen)},{q(cuts)},{q(titles)},{q(dates)},{q(kept_at)},'
            f'{q(kept_why)},{q(s(c.get("language")))}')


def write_csv(job: ExportJob, out: BinaryIO) -> Written:
    """Rows are joined here (the fields are plain strings; this is several times faster than
    the csv module for 100,000 rows, and reads back with it identically) and written 2,000 at
    a time."""
    cell = _excel_cell if job.excel else _cell
    if job.excel:
        out.write(b"\xef\xbb\xbf")
    lines = [",".join(map(cell, COLUMNS))]
    count = 0
    for entry in job.entries():
        lines.append(",".join(map(cell, row(entry, job))) if job.excel else _plain_line(entry, job))
        count += 1
        if len(lines) >= 2000:
            out.write(("\r\n".join(lines) + "\r\n").encode("utf-8"))
            lines.clear()
    if lines:
        out.write(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return Written(count)
