"""One notice, one decision: whether a decision about the notice a notification answers is in
the ledger already. The same notice is told again when detection loses and finds the meeting
(a new meeting id), or after the app restarts; each notification's button would otherwise add
a decision of its own about the one thing the participant was shown."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from guard.ledger.cut import MAX_ITEMS, MAX_TEXT, clean, cut_text
from guard.ledger.models import Record, RecordDraft, link_without_secrets, notice_digest
from guard.ledger.query import Order, RecordFilter
from guard.ledger import files
from guard.ledger.errors import LedgerError
from guard.ledger.reader import LedgerReader

# How long an answer stands for the notice it answers: longer than any meeting, shorter than the
# gap to the next one in a weekly series (whose notice is a new question).
ANSWER_SPAN = timedelta(hours=12)
# A meeting known only by its title, or by nothing (a desktop client's "Zoom Meeting"), is not
# told from the next one of the same provider: its answer stands an hour, so the notice of a later
# meeting that day is a new question (its answer recorded) and a notice told again at once is not.
LINKLESS_SPAN = timedelta(hours=1)
_SCANNED = 500  # records of the provider in the span looked at, newest first (a bound on the work)

T = TypeVar("T")
NoticeIdentity = tuple[str, str, str, str, tuple[str, ...]]


def notice_identity(decision: RecordDraft | Record) -> NoticeIdentity:
    """What a decision is about, as a notification asks it: the provider and feature, the meeting
    (its link, else its title: said which, so a title spelling another meeting's link is another
    meeting), the whole notice (the SHA-256 of its text as the ledger cleans it: a record keeps a
    long one cut, and its digest beside it, so two long notices alike up to the cut are two
    questions) and the participants seen (a note-taker bot). A draft's texts are taken as the
    ledger keeps them (trimmed, cut to their limits: guard.ledger.cut)."""
    link = _kept(link_without_secrets(decision.meeting.id_or_link), MAX_TEXT)
    title = _kept(decision.meeting.title, MAX_TEXT)
    meeting = f"link:{link}" if link else f"title:{title}" if title else ""
    notice = notice_key(decision)
    participants = tuple(sorted(_kept(item.detail, MAX_TEXT) for item in list(decision.evidence)[:MAX_ITEMS]
                                if str(item.signal) == "participant"))
    return decision.provider_id, decision.feature_id or "", meeting, notice, participants


def notice_key(decision: RecordDraft | Record) -> str:
    """The digest of the whole notice ``decision`` answers ("" for none): a record's own when it
    kept the text cut, else that of its text (whole, as kept). A record cut before records said
    the digest has that of its cut text, which no notice told now matches (asked again, not lost)."""
    if decision.notice is None or not clean(decision.notice.text):
        return ""
    if isinstance(decision, Record) and decision.notice_sha256:
        return decision.notice_sha256
    return notice_digest(decision.notice.text)


def _kept(text: str | None, limit: int) -> str:
    """``text`` as the ledger keeps it (the same on a record's text, which is kept so already)."""
    return cut_text(text, limit, "", {}) or ""


def kept_text(text: str | None) -> str:
    """A title or link as the ledger keeps it ("" for none)."""
    return _kept(text, MAX_TEXT)


def names_a_notice(draft: RecordDraft) -> bool:
    """Whether ``draft`` says which notice it answers (its text, or a bot seen); a decision about
    a meeting or provider alone is not an answer to a notice, and is never taken for one."""
    _, _, _, notice, participants = notice_identity(draft)
    return bool(notice or participants)


def answer_span(decision: RecordDraft | Record) -> timedelta:
    """How long an answer stands for its notice: :data:`ANSWER_SPAN` for a meeting known by its
    link, :data:`LINKLESS_SPAN` for one known by its title or by nothing."""
    return ANSWER_SPAN if _kept(decision.meeting.id_or_link, MAX_TEXT) else LINKLESS_SPAN


def answer_in_ledger(reader: LedgerReader, draft: RecordDraft, now: datetime) -> Record | None:
    """The decision (not a withdrawal or correction) about the same notice as ``draft``, made
    within :func:`answer_span` before ``now``, newest first; None when there is none, or when
    ``draft`` names no notice (no notice text, no bot seen)."""
    if not names_a_notice(draft):
        return None
    wanted = notice_identity(draft)
    since = now - answer_span(draft)
    for record in reader.page(RecordFilter(provider_id=draft.provider_id, occurred_from=since), 0, _SCANNED,
                              Order.NEWEST):
        if record.refers_to is None and notice_identity(record) == wanted:
            return record
    return None


def answer_in_file(path: Path, draft: RecordDraft, now: datetime) -> Record | None:
    """:func:`answer_in_ledger` on a read-only connection of its own: the tray app records in a
    helper process and opens no ledger (nor keyring) itself, and a look must not change that.
    No ledger file yet: no answer. A file that is not this user's or is a link is not read here
    (the append that follows refuses it with the ledger's own message)."""
    return read_only(path, lambda reader: answer_in_ledger(reader, draft, now))


def read_only(path: Path, look: Callable[[LedgerReader], T | None]) -> T | None:
    """``look`` at the ledger on a read-only connection of its own; None with no ledger file yet, or one that is
    not this user's or is a link (the next append refuses it with the ledger's own message)."""
    if not path.exists():
        return None
    try:
        files.refuse_symlinks(path)  # and another user's files
    except LedgerError:
        return None
    with files.translate_errors(path, "read"):
        conn = sqlite3.connect(files.sqlite_uri(path, "ro"), uri=True, timeout=10, check_same_thread=False)
    try:
        return look(LedgerReader(path, conn))
    finally:
        conn.close()
