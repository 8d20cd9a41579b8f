"""The door's consent-ledger calls: record and withdraw decisions, the letters that follow, pages
and counts of records, verify, key status, exports. A part of :class:`guard.services.Services`
(it mixes this in), kept apart so each file of the door does one job."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from guard.services.heavy import export_records
from guard.services.helper import run_in_helper
from guard.services.threads import blocking
from guard.services.values import (
    ExportOutcome,
    ExportRequest,
    LedgerCheck,
    LetterText,
    RecordDetails,
    RecordRow,
    Withdrawal,
)

if TYPE_CHECKING:  # loaded on first use: the tray app holds no keyring or crypto until it records
    from guard.catalog.loader import Catalog
    from guard.events import MeetingSession
    from guard.ledger import KeyStatus, Ledger, Order, Record, RecordDraft, RecordFilter
    from guard.ledger.append_helper import HelperAppender
    from guard.ledger.limits import TamperEvidence
    from guard.ledger.waiting import WaitingDecisions
    from guard.paths import AppPaths
    from guard.settings import Settings
    from guard.terms.store import TermsStore

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], bool]  # (done, total) -> keep going?


class LedgerDoor:
    """Records, letters and exports; what :class:`~guard.services.Services` opens in its
    ``__init__`` is declared here."""

    paths: AppPaths
    base_paths: AppPaths
    catalog: Catalog
    _settings: Settings
    _terms: TermsStore
    _lock: threading.Lock
    _answer_lock: threading.Lock
    _quitting: threading.Event
    _in_flight: set[str]
    _ledger: Ledger | None
    _appender: HelperAppender | None

    @blocking
    def ledger(self) -> Ledger:
        """Blocks: the ledger itself, for the command line's and tests' own use. The UI never
        calls it (tests/test_architecture.py checks): it would bypass the thread check."""
        return self._open_ledger()


    def _open_ledger(self) -> Ledger:
        """The ledger, opened on first use. Raises LedgerError with a readable message (e.g. a
        damaged file), which the UI shows; nothing is created or repaired silently."""
        from guard.ledger import open_ledger

        with self._lock:
            if self._ledger is None:
                self._ledger = open_ledger(self.paths)
            return self._ledger

    def _reader(self) -> Ledger:
        """A private connection for one long read (verify, counts, export), so the main one
        never waits behind it. The caller closes it."""
        from guard.ledger import open_ledger

        self._open_ledger()  # the main one first: a damaged file is reported once, the same way
        return open_ledger(self.paths)

    @blocking
    def record_decision(self, draft: RecordDraft, record_id: str | None = None, *,
                        answer_at: datetime | None = None) -> Record:
        """Blocks: appends a decision (fsync, keyring) with the terms versions in force; with
        ``record_in_helper``, in a helper process (about half a second more), one at a time in
        the order asked for, and here if the helper fails (never twice).

        A decision that cannot be signed now (the key cannot be read: a keyring that does not
        answer, is locked or lost it) is kept on this computer (guard.ledger.waiting) and
        DecisionKept says so; decisions kept earlier are appended first, in order, once the key
        can be read, so this one also waits while they do.

        The decision is kept on disk before it is signed and its copy removed once it is in the
        ledger, so the app quitting (or being killed) while it waits on the keyring loses nothing:
        it is signed at the next start. ``close()`` makes a keyring wait under way give up.

        ``record_id``: the id the form made for this decision. Given again with the same draft
        (its ``occurred_at`` set), as a save pressed again after a failure reported once the record
        had landed, the ledger returns that record (``Ledger.append(record_id=...)``), never a second.

        ``answer_at``: a notification's answer given then (:meth:`record_answer`): the append adds
        nothing when the ledger holds a decision about the same notice (``Ledger.append``)."""
        import uuid

        from guard.keyring_call import cancelled_by
        from guard.ledger import DecisionKept, LedgerKeyError
        from guard.ledger.errors import LedgerRolledBackError
        from guard.terms_in_force import with_terms_in_force

        draft = with_terms_in_force(draft, self.catalog, self._terms)
        record_id = record_id or str(uuid.uuid4())
        waiting = self._waiting()
        draft = waiting.hold(record_id, draft).draft  # its time fixed now, as it will be signed
        with self._lock:
            self._in_flight.add(record_id)  # another decision's round leaves it to this call
        try:
            with cancelled_by(self._quitting):
                if waiting.count() > 1:
                    self._sign_waiting(waiting, before=record_id)
                record = self._append(draft, record_id, answer_at)
        except LedgerKeyError as error:
            waiting.keep(record_id, draft, str(error))
            raise DecisionKept(f"Kept on this computer, not yet in the ledger: {error} The decision is signed and "
                               "added to the ledger, with the time it was made, as soon as the key can be read "
                               "again.") from error
        except LedgerRolledBackError as error:  # nothing may be added until the user says how to go on
            waiting.keep(record_id, draft, str(error))
            raise DecisionKept(f"Kept on this computer, not yet in the ledger: {error} The decision is added, with "
                               "the time it was made, once the ledger can take records again.") from error
        except BaseException:  # refused or not saved, as said to the user: not to be added later
            waiting.done(record_id)
            raise
        finally:
            with self._lock:
                self._in_flight.discard(record_id)
        try:
            waiting.done(record_id)
        except OSError as error:
            # It is in the ledger: saying "not saved" now would have the user save it again, a second
            # record of one decision. The copy left is found under its id next time, not added again.
            log.error("Decision %s is in the ledger (record %s) but its kept copy could not be removed: %s",
                      record_id, record.seq, error)
        return record

    @blocking
    def record_answer(self, draft: RecordDraft, record_id: str) -> tuple[Record, bool]:
        """Blocks: records the answer a notification's button gave, unless the ledger holds a
        decision about the same notice already (guard.ledger.answers: one notice, one decision).
        The record, and whether it was there already (then nothing was added).

        The append looks again in its write transaction (``Ledger.append(answer_at=...)``), so an
        answer another process (a second app instance, the command line) recorded a moment earlier
        is found there too: one notice, one decision across processes."""
        from datetime import UTC

        from guard.ledger import DecisionKept
        from guard.ledger.answers import answer_span, names_a_notice, notice_identity
        from guard.ledger.errors import NoticeAnsweredError
        from guard.ledger.waiting import HELD

        now = datetime.now(UTC)
        with self._answer_lock:  # two answers at once: the second one sees the first in the ledger
            earlier = self._earlier_answer(draft, now)
            if earlier is not None:
                log.warning("Ignored a second answer (%s) to a notice answered in record %s", draft.decision,
                            earlier.seq)
                return earlier, True
            for kept in self._waiting().listed():  # answered while the key could not be read: kept, not signed
                made = kept.draft.occurred_at
                if (kept.draft.refers_to is None and made is not None and made >= now - answer_span(draft)
                        and notice_identity(kept.draft) == notice_identity(draft) and names_a_notice(draft)):
                    log.warning("Ignored a second answer (%s) to a notice whose answer is kept (%s)",
                                draft.decision, kept.record_id)
                    if kept.why == HELD:  # being signed by another process (or left by one that stopped)
                        raise DecisionKept("Your answer to this notice is being saved already (by another Meeting "
                                           "Privacy Guard window or command, or at the app's next start). This "
                                           "answer was not kept again.")
                    raise DecisionKept("Your answer to this notice was kept on this computer already; it is "
                                       "added to the ledger as soon as the key can be read. This answer was not "
                                       "kept again.")
            try:
                return self.record_decision(draft, record_id, answer_at=now), False
            except NoticeAnsweredError:  # another process's answer landed since the look above
                earlier = self._earlier_answer(draft, now)
                if earlier is None:
                    raise
                log.warning("Ignored a second answer (%s) to a notice answered in record %s by another process",
                            draft.decision, earlier.seq)
                return earlier, True

    @blocking
    def decision_about(self, meeting: MeetingSession, feature_id: str | None = None,
                       notice: str | None = None) -> Record | None:
        """Blocks: the user's decision about ``meeting`` (and the AI feature or notice asked about) already in the
        ledger (guard.ledger.meeting_answers: a restarted app finds its meeting again), or None. Looked at without
        opening the ledger here when decisions are recorded in a helper process; a look that fails finds none (the
        user is asked)."""
        from datetime import UTC

        from guard.ledger import LedgerError
        from guard.ledger.meeting_answers import decision_about

        now = datetime.now(UTC)
        try:
            if self._ledger is not None or self._appender is None:
                return decision_about(self._open_ledger(), meeting, now, feature_id, notice)
            from guard.ledger import ledger_path
            from guard.ledger.answers import read_only

            return read_only(ledger_path(self.paths), lambda reader: decision_about(reader, meeting, now, feature_id,
                                                                                    notice))
        except LedgerError as error:
            log.warning("Could not look for a decision about this meeting (%s); asking again", error)
            return None

    def _earlier_answer(self, draft: RecordDraft, now: datetime) -> Record | None:
        """The ledger's decision about the notice ``draft`` answers (guard.ledger.answers), looked at
        without opening the ledger here when decisions are recorded in a helper process. A look that
        fails (a damaged record) finds none: it never keeps an answer from being recorded."""
        from guard.ledger import LedgerError
        from guard.ledger.answers import answer_in_file, answer_in_ledger

        try:
            if self._ledger is not None or self._appender is None:
                return answer_in_ledger(self._open_ledger(), draft, now)
            from guard.ledger import ledger_path

            return answer_in_file(ledger_path(self.paths), draft, now)
        except LedgerError as error:
            log.warning("Could not look for an earlier answer to this notice (%s); recording this one", error)
            return None

    @blocking
    def sign_waiting(self) -> list[Record]:
        """Blocks: appends the decisions kept while the key could not be read, oldest first, each
        under the id it was kept with (at most once); raises LedgerKeyError when the key still
        cannot be read (they stay kept). The records appended, if any. ``close()`` makes a keyring
        wait under way give up (they stay kept)."""
        from guard.keyring_call import cancelled_by

        waiting = self._waiting()
        if not waiting.count():
            return []
        with cancelled_by(self._quitting):
            return self._sign_waiting(waiting)

    @blocking
    def waiting_count(self) -> int:
        """Blocks: how many decisions are kept, waiting for the key (a folder listing)."""
        return self._waiting().count()

    def _waiting(self) -> WaitingDecisions:
        from guard.ledger.waiting import WaitingDecisions

        return WaitingDecisions(self.paths.data_dir)

    def _sign_waiting(self, waiting: WaitingDecisions, before: str | None = None) -> list[Record]:
        """Append the kept decisions, oldest first (``before``: those kept before that one only)."""
        from guard.ledger import LedgerInputError

        signed = []
        listed = waiting.listed()
        if before is not None:
            ids = [kept.record_id for kept in listed]
            listed = listed[: ids.index(before)] if before in ids else listed
        with self._lock:  # being signed by record_decision right now: not a decision left waiting
            listed = [kept for kept in listed if kept.record_id not in self._in_flight]
        for kept in listed:
            try:
                record = self._append(kept.marked(), kept.record_id)
            except LedgerInputError as error:  # refused for itself, not for the key: left for the user to see
                log.error("A kept decision (%s) cannot be added to the ledger: %s", kept.record_id, error)
                continue
            waiting.done(kept.record_id)
            log.info("Kept decision %s (made %s) is now ledger record %s", kept.record_id,
                     kept.draft.occurred_at, record.seq)
            signed.append(record)
        return signed

    def _append(self, draft: RecordDraft, record_id: str, answer_at: datetime | None = None) -> Record:
        if self._appender is not None:
            return self._appender.append(draft, record_id=record_id, answer_at=answer_at)
        return self._open_ledger().append(draft, record_id=record_id, answer_at=answer_at)

    @blocking
    def withdraw(self, record_id: str, note: str | None = None, *, letter: bool = True,
                 language: str | None = None) -> Withdrawal:
        """Blocks: records the withdrawal of a consent (``language``: the one its form was shown
        in); then prepares the letter to the provider (GDPR Art. 7(3)), whose failure never undoes
        the withdrawal."""
        ledger = self._open_ledger()
        original = ledger.get(record_id)
        record = ledger.withdraw(record_id, note=note, language=language)
        if not letter:
            return Withdrawal(record, original)
        try:
            text = self._record_letter(original)
        except Exception as error:  # noqa: BLE001 - the withdrawal is recorded whatever happens here
            log.error("Could not prepare the withdrawal letter", exc_info=error)
            return Withdrawal(record, original, letter_problem=str(error))
        return Withdrawal(record, original, letter=text)

    @blocking
    def letter(self, kind: str, record_id: str) -> LetterText:
        """Blocks: the ``objection`` (GDPR Art. 21: no AI training on my data) or ``access``
        (Art. 15: what of my data was used for AI) letter about ``record_id``, to the provider's
        privacy contact, in the app's language. Raises ExportError for another kind."""
        from guard.export import ExportError

        if kind not in ("objection", "access"):
            raise ExportError(f"'{kind}' is not a letter to write about a record here: objection or access.")
        return self._record_letter(self._open_ledger().get(record_id), kind=kind)

    def _record_letter(self, original: Record, to_host: str | None = None,
                           host_address: str | None = None, *, kind: str = "withdrawal") -> LetterText:
        from guard.export import make_letter
        from guard.export.letter_guide import LetterGuide
        from guard.i18n import choose_language

        letter = make_letter(kind, self._open_ledger(), self.catalog, record_id=original.id,
                             terms_store=self._terms, language=choose_language(None, self._settings.general.language),
                             to_host=to_host, host_address=host_address)
        to = "host-" if to_host is not None else ""
        return LetterText(title=letter.subject, text=letter.text, mailto=letter.mailto, notice=letter.notice,
                          suggested_name=f"{kind}-{to}{original.provider_id}-{original.seq}.txt",
                          record_id=original.id, offers_host_letter=letter.offers_host_letter, kind=kind,
                          language=letter.language,
                          fill_in=LetterGuide(letter.language).fill_in(len(letter.placeholders))
                          if letter.placeholders else "")

    @blocking
    def host_letter(self, record_id: str, organisation: str, address: str | None = None,
                    kind: str = "withdrawal") -> LetterText:
        """Blocks: the letter of ``kind`` (withdrawal, objection, access) about ``record_id``
        addressed to the organisation that hosted or recorded the meeting (the controller where the
        provider is its processor), named and addressed as the user typed them (plain text, capped).
        Raises ExportError for an empty name."""
        return self._record_letter(self._open_ledger().get(record_id), organisation, address or None, kind=kind)

    @blocking
    def count_records(self, filter: RecordFilter | None = None) -> int:
        """Blocks: counts the records ``filter`` selects (one SQL query)."""
        return self._open_ledger().count(filter)

    @blocking
    def page_records(self, filter: RecordFilter | None, offset: int, limit: int, order: Order) -> list[RecordRow]:
        """Blocks: one page of records in ``order``, each with what later records made of it."""
        from guard.ledger import RecordFilter

        ledger = self._open_ledger()
        rows = []
        for record in ledger.page(filter, offset, limit, order):
            changed = ledger.count(RecordFilter(refers_to=record.id))
            effective = ledger.effective_status(record) if changed else None
            rows.append(RecordRow(record, effective.label if effective else None, effective))
        return rows

    @blocking
    def record_details(self, record_id: str) -> RecordDetails:
        """Blocks: one record, what it means now, the number of the record it changes and the
        dates of the terms versions it cites (those the terms store has)."""
        from guard.terms_in_force import cited_version_dates

        ledger = self._open_ledger()
        record = ledger.get(record_id)
        refers_seq = ledger.get(record.refers_to).seq if record.refers_to else None
        return RecordDetails(record, ledger.effective_status(record), refers_seq,
                             cited_version_dates(self._terms, record.terms))

    @blocking
    def ledger_version(self) -> int:
        """Blocks (briefly: one pragma, no record read): a number that changes when the ledger was
        written by another process since the last call (``meeting-guard consent add``, the tray
        app's helper), so a window showing it knows to read it again."""
        return self._open_ledger().data_version()

    @blocking
    def month_counts(self, filter: RecordFilter | None = None) -> list[tuple[str, str, int]]:
        """Blocks: ``(YYYY-MM, decision, count)`` of the matching records, on a private connection."""
        with self._reader() as ledger:
            return ledger.month_counts(filter)

    @blocking
    def verify(self, cancel: threading.Event | None = None) -> LedgerCheck:
        """Blocks: checks every record's hash, link and signature (100,000 records: seconds), and
        counts the decisions kept until the key can be read. ``cancel`` set stops waiting on the
        keyring (the key and anchor are then said unreadable)."""
        from guard.keyring_call import cancelled_by

        with cancelled_by(cancel), self._reader() as ledger:
            report = ledger.verify(check_file=False)
            return LedgerCheck(report.count, report, report.key, self._waiting().count())

    @blocking
    def tamper_evidence(self, cancel: threading.Event | None = None) -> TamperEvidence:
        """Blocks: what the ledger's tamper evidence can and cannot detect on this computer (with or
        without a keyring), for the Overview; asks the keyring (``cancel`` set: stops waiting on it)."""
        from guard.keyring_call import cancelled_by
        from guard.ledger.keys import usable_keyring
        from guard.ledger.limits import tamper_evidence

        with cancelled_by(cancel):
            backend, name = usable_keyring()
            return tamper_evidence(name if backend is not None else None, self._open_ledger().key_status())

    @blocking
    def key_status(self, cancel: threading.Event | None = None) -> KeyStatus:
        """Blocks: where the signing key lives and whether it can be used (asks the keyring). In
        the tray app (``record_in_helper``), while the ledger is not open here, a helper process
        asks (about half a second more): the welcome asks this on first start, and the keyring
        library and cryptography would otherwise stay in the tray app for good. ``cancel`` set
        stops that helper, or here the keyring call that waits (KeyringCallCancelled): the window
        asking closed or the app is quitting, and nobody waits for the answer."""
        if self._appender is not None and self._ledger is None:
            from guard.services.heavy import read_key_status
            from guard.services.helper import HelperFailed

            try:
                # the keyring's own calls end within 15 s (guard.keyring_call); a minute is the last resort
                return run_in_helper(read_key_status, self.paths, deadline_s=60.0, cancel=cancel)
            except HelperFailed as error:
                if cancel is not None and cancel.is_set():
                    raise
                log.warning("Reading the key's status here: %s", error)
        from guard.keyring_call import cancelled_by

        with cancelled_by(cancel), self._reader() as ledger:
            return ledger.key_status()

    @blocking
    def export(self, request: ExportRequest, progress: ProgressFn) -> ExportOutcome:
        """Blocks: exports the selected records in a helper process (100,000 records: seconds to a
        minute for PDF). ``progress`` returning False cancels (ExportCancelledByUser; nothing is
        left behind)."""
        # The helper opens the ledger itself and raises a damaged file's LedgerError here as
        # everywhere; opening it in this process first would load the ledger's keyring and
        # crypto into a tray app that only exports (about 14 MB kept for good, issue 18).
        from guard.i18n import choose_language, locale_region

        # Receipts name the jurisdiction: the setting, else this app's locale (the helper has none of its own);
        # the HTML and PDF speak the app's language, as the letters do.
        jurisdiction = self._settings.general.jurisdiction or locale_region()
        language = choose_language(None, self._settings.general.language)
        return run_in_helper(export_records, self.paths, self.base_paths.user_catalog_dir, request, jurisdiction,
                             language, progress=progress)

    @blocking
    def save_text(self, path: Path, text: str) -> None:
        """Blocks: writes a letter or note the user saves, atomically and private to them (0600)."""
        from guard.fsutil import atomic_write_text

        atomic_write_text(Path(path), text)

