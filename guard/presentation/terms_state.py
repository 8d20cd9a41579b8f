"""How the terms checks stand, in one line for the tray and the Terms tab (pure).

The line is built from the fetch log, so it tells the truth even when the last check never
finished: failures logged never read as "not checked yet", a switched-off network reads as
*skipped*, and an offline computer as "offline: N documents not checked".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from guard.presentation.i18n import _, format_datetime, format_number, ngettext
from guard.terms.models import FetchRecord, FetchResult

RUN_WINDOW = timedelta(minutes=30)  # fetch-log entries this close to the newest one belong to the same check


def terms_state_line(last_check: datetime | None, fetches: Sequence[FetchRecord], *, network_enabled: bool,
                     checking: tuple[int, int] | None = None) -> str:
    """'Checking terms: 3 of 20 documents…', 'Last check 01/12/2026, 09:00: offline, 20 documents
    not checked.', … ``fetches`` newest first (as the store lists them); ``checking`` is (done,
    total) while a check runs."""
    if checking is not None:
        done, total = checking
        return ngettext("Checking terms: {done} of {total} document…", "Checking terms: {done} of {total} documents…",
                        total).format(done=format_number(done), total=format_number(total))
    newest = fetches[0].at if fetches else None
    moments = [moment for moment in (last_check, newest) if moment is not None]
    if not moments:
        return _("Not checked yet.") if network_enabled else _("Not checked: network access is switched off.")
    last = max(moments)
    run = [record for record in fetches if newest is not None and record.at >= newest - RUN_WINDOW]
    when = format_datetime(last)
    if run and all(record.error_kind == "network-disabled" for record in run):
        return _("Last check {when}: skipped, network access is switched off.").format(when=when)
    offline = [r for r in run if r.error_kind == "offline"]
    if offline:
        return ngettext("Last check {when}: offline, {count} document not checked.",
                        "Last check {when}: offline, {count} documents not checked.", len(offline)).format(
            when=when, count=format_number(len(offline)))
    failed = [r for r in run if r.result is FetchResult.FAILED and r.source == "provider"]
    documents = {(r.provider_id, r.document_id) for r in run}
    if failed:
        return ngettext("Last check {when}: {failed} of {count} document could not be fetched (see the fetch log).",
                        "Last check {when}: {failed} of {count} documents could not be fetched (see the fetch log).",
                        len(documents)).format(when=when, failed=format_number(len(failed)),
                                               count=format_number(len(documents)))
    if documents:
        return ngettext("Last check {when}: {count} document checked.", "Last check {when}: {count} documents checked.",
                        len(documents)).format(when=when, count=format_number(len(documents)))
    return _("Last check {when}.").format(when=when)
