"""How the terms checks stand, in one line for the tray and the Terms tab (pure).

The line is built from the fetch log, so it tells the truth even when the last check never
finished: failures logged never read as "not checked yet", a switched-off network reads as
*skipped*, and an offline computer as "offline: N documents not checked".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from guard.terms.models import FetchRecord, FetchResult

RUN_WINDOW = timedelta(minutes=30)  # fetch-log entries this close to the newest one belong to the same check


def terms_state_line(last_check: datetime | None, fetches: Sequence[FetchRecord], *, network_enabled: bool,
                     checking: tuple[int, int] | None = None) -> str:
    """'Checking terms: 3 of 20 documents…', 'Last check 2026-12-01 09:00: offline, 20 documents
    not checked.', … ``fetches`` newest first (as the store lists them); ``checking`` is (done,
    total) while a check runs."""
    if checking is not None:
        done, total = checking
        return f"Checking terms: {done} of {total} document{'s' if total != 1 else ''}…"
    newest = fetches[0].at if fetches else None
    moments = [moment for moment in (last_check, newest) if moment is not None]
    if not moments:
        return "Not checked yet." if network_enabled else "Not checked: network access is switched off."
    last = max(moments)
    run = [record for record in fetches if newest is not None and record.at >= newest - RUN_WINDOW]
    when = f"Last check {last.astimezone():%Y-%m-%d %H:%M}"
    if run and all(record.error_kind == "network-disabled" for record in run):
        return f"{when}: skipped, network access is switched off."
    offline = [r for r in run if r.error_kind == "offline"]
    if offline:
        return f"{when}: offline, {len(offline)} document{'s' if len(offline) != 1 else ''} not checked."
    failed = [r for r in run if r.result is FetchResult.FAILED and r.source == "provider"]
    documents = {(r.provider_id, r.document_id) for r in run}
    if failed:
        return (f"{when}: {len(failed)} of {len(documents)} document{'s' if len(documents) != 1 else ''} could not "
                "be fetched (see the fetch log).")
    return f"{when}: {len(documents)} document{'s' if len(documents) != 1 else ''} checked." if documents else \
        f"{when}."
