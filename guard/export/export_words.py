"""The words of the people-facing exports (HTML, PDF) in the user's language, through the one
gettext mechanism the letters use (:mod:`guard.i18n`). The machine-readable exports (JSON, DPV,
receipts, CSV's columns) keep English and their values; what was signed is never rewritten, only
labelled: a record's decision, title and note appear as stored. Pure: a language in, text out.

Dates: English keeps ``2026-05-01 12:30 UTC`` (ISO order, as before); other languages write the
day as their locale's medium date (``01.05.2026``, ``1 mai 2026``), looked up once per day, so
100,000 records cost a few hundred Babel calls at most.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from guard.export.public import KEY_WORDS, scrub
from guard.export.selection import shown_search
from guard.export.summary import RECORDS, when_text
from guard.i18n import N_, Translation, translation

if TYPE_CHECKING:
    from datetime import datetime

    from guard.export.selection import ExportFilter, Standing
    from guard.ledger import VerifyReport

# A decision as the ledger stores it, as a person reads it (the same words the settings window uses).
DECISION_WORDS = {
    "given": N_("given"), "refused": N_("refused"), "withdrawn": N_("withdrawn"),
    "left-meeting": N_("left the meeting"), "notice-only": N_("only saw a notice"),
}

# Who asked for a decision (guard.ledger.models.RequestedBy), as "Asked by: ..." ends.
REQUESTER_WORDS = {"host": N_("the host"), "admin": N_("an account admin"), "provider": N_("the provider"),
                   "self": N_("myself")}


LISTED = N_("{first}; {second}")  # items with a semicolon: French "a\u00a0; b" (guard.presentation.i18n.listed too)


def separated(t: Translation, items: Iterable[str]) -> str:
    """``items`` joined as ``t``'s language separates list items with a semicolon."""
    return t.gettext(LISTED).replace("{first}", "").replace("{second}", "").join(items)


class ExportWords:
    """Translated labels, dates and counts for one export's language."""

    def __init__(self, language: str = "en") -> None:
        self.t: Translation = translation(language)
        self.language = self.t.language
        self._days: dict[str, str] = {}

    def __call__(self, message: str, /, **values: object) -> str:
        """``message`` translated, then ``values`` filled in as plain text (never read as a template)."""
        text = self.t.gettext(message)
        return text.format_map(values) if values else text

    def listed(self, items: Iterable[str]) -> str:
        """``a; b`` (French ``a\u00a0; b``)."""
        return separated(self.t, items)

    def title(self, subject_name: str | None) -> str:
        """``Consent history``, or ``Consent history of {name}`` (plain text)."""
        if subject_name:
            return self(N_("Consent history of {name}"), name=subject_name)
        return self(N_("Consent history"))

    def decision(self, decision: str) -> str:
        """``refused`` → ``abgelehnt``; a value the app does not know (a tampered ledger) as stored."""
        words = DECISION_WORDS.get(decision)
        return self.t.gettext(words) if words is not None else decision

    def requester(self, requested_by: str) -> str:
        words = REQUESTER_WORDS.get(requested_by)
        return self.t.gettext(words) if words is not None else requested_by

    def standing(self, decision: str, standing: Standing) -> str:
        """``given, then withdrawn`` in the export's language, from the chain of later decisions."""
        text = self.decision(decision)
        for later in standing.steps:
            text = (self(N_("{status}, then withdrawn"), status=text) if later == "withdrawn"
                    else self(N_("{status}, corrected to {decision}"), status=text, decision=self.decision(later)))
        return text

    def kept(self, content: dict[str, object]) -> str | None:
        """What a record signed from a kept decision says of it (``kept`` in its content:
        guard.ledger.waiting), as plain text; None for every other record. The values are the
        record's (a ledger edited outside the app may hold anything there): cut, never trusted."""
        from guard.export.shown_values import shown
        from guard.ledger.waiting import HELD, KEPT

        kept = content.get("kept")
        if not isinstance(kept, dict):
            return None
        at, why = kept.get("kept_at"), kept.get("why")
        return self(N_("Kept unsigned on this computer from {kept} until it was signed on {signed} ({why}); until "
                       "then only the files in the app's data folder vouched for it"),
                    kept=self.when(at[:40]) if isinstance(at, str) else "?",
                    signed=self.when(str(content.get("recorded_at") or "")[:40]),
                    why=self.t.gettext(why) if why in (HELD, KEPT) else shown(why if isinstance(why, str) else "?"))

    def when(self, utc: str | None) -> str:
        """``2026-05-01T12:30:00Z`` as the language writes a day, with the time in UTC."""
        if not utc:
            return ""
        if self.language == "en":
            return when_text(utc)
        return f"{self.day(utc[:10])} {utc[11:16]} UTC"

    def day(self, iso: str) -> str:
        """``2026-05-01`` as the language writes a day (English: as given)."""
        if self.language == "en":
            return iso
        day = self._days.get(iso)
        if day is None:
            day = self._days[iso] = self._day(iso)
        return day

    def _day(self, iso: str) -> str:
        from datetime import date

        try:
            return self.t.format_date(date.fromisoformat(iso), "medium")
        except ValueError:  # a tampered record's date: shown as stored
            return iso

    def records(self, count: int) -> str:
        """``1 Datensatz``, ``2 Datensätze``: the count with the language's plural form."""
        return self.t.ngettext(*RECORDS, count).replace("{count}", self.number(count))

    def number(self, value: int) -> str:
        """``12345`` → ``12.345`` (de), ``12 345`` (fr): the locale's grouping."""
        if self.language == "en" or abs(value) < 1000:
            return str(value)
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.t.locale)

    def covers(self, export_filter: ExportFilter) -> str:
        """What the export selected: ``all records``, or the period, provider, decision and search it was limited to."""
        parts = []
        if export_filter.occurred_from:
            parts.append(self(N_("from {moment}"), moment=self.when(_utc(export_filter.occurred_from))))
        if export_filter.occurred_to:
            parts.append(self(N_("before {moment}"), moment=self.when(_utc(export_filter.occurred_to))))
        if export_filter.provider_id:
            parts.append(self(N_("provider {provider}"), provider=export_filter.provider_id))
        if export_filter.decision:
            parts.append(self(N_("decision: {decision}"), decision=self.decision(str(export_filter.decision))))
        if export_filter.text:
            parts.append(self(N_("with “{text}” in the meeting title or note"),
                              text=shown_search(export_filter.text)))
        return ", ".join(parts) if parts else self(N_("all records"))

    def check(self, report: VerifyReport) -> str:
        """The ledger check's outcome in a sentence fit to hand to someone else (as
        :func:`guard.export.public.public_summary`, in the export's language; the ledger's own
        description of a problem stays English, with the user's paths removed)."""
        if report.problem is not None:
            where = (self(N_("record {seq}"), seq=report.problem.seq) if report.problem.seq is not None
                     else self(N_("the ledger file")))
            return scrub(self(N_("NOT intact: {kind} at {where}: {message}"), kind=report.problem.kind, where=where,
                              message=report.problem.message), report.path)
        if report.key_problem is not None:
            kind = str(report.key_problem.kind)
            words = self.t.gettext(KEY_WORDS[kind]) if kind in KEY_WORDS else kind
            if kind == "key-replaced":
                return self(N_("NOT intact: {problem}"), problem=words)
            if report.count and report.records_vouched == report.count:
                return self(N_("records intact: {records} verified with the public keys anchored outside the ledger "
                               "file; but {problem}"), records=self.records(report.count), problem=words)
            return self(N_("NOT verified: hash chain intact ({records}), but {problem}"),
                        records=self.records(report.count), problem=words)
        if report.count == 0:
            return self(N_("intact: no records yet"))
        return self(N_("intact: {records}, head record {seq}, hash {hash}; signatures checked with the public keys "
                       "anchored outside the ledger file"), records=self.records(report.count), seq=report.head_seq,
                    hash=report.head_hash)


def _utc(moment: datetime) -> str:
    from guard.ledger.timeutil import format_utc

    return format_utc(moment)
