"""How the terms checks stand, in one line for the tray and the Terms tab (pure).

The line is built from the fetch log, so it tells the truth even when the last check never
finished: failures logged never read as "not checked yet", a switched-off network reads as
*skipped*, and an offline computer as "offline: N documents not checked".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from guard.presentation.i18n import N_, _, format_number, listed, ngettext
from guard.presentation.records import local_time
from guard.terms.models import FetchRecord, FetchResult
from guard.terms.report import NOT_CHECKED_NETWORK_OFF, NOT_CHECKED_OFFLINE, UNREACHABLE

RUN_WINDOW = timedelta(minutes=30)  # fetch-log entries this close to the newest one belong to the same check
# The Preferences check box that lets the app fetch; the Terms tab names it when the network is off.
NETWORK_SETTING = N_("&Fetch public terms pages and time stamps you ask for (the only network use)")
NETWORK_GROUP = N_("Terms watching")
_MNEMONIC = re.compile(r"&(?=[^&])")
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")  # "(the only network use)": the box's aside, not its name


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
    when = local_time(last)
    if run and all(record.error_kind == "network-disabled" for record in run):
        return _("Last check {when}: skipped, network access is switched off.").format(when=when)
    # Checks close together (Check now pressed twice) share the window: each document counts
    # once, as its newest request left it, so the line never names more documents than are watched.
    latest: dict[tuple[str, str], FetchRecord] = {}
    latest_page: dict[tuple[str, str], FetchRecord] = {}
    for record in run:  # newest first
        key = (record.provider_id, record.document_id)
        latest.setdefault(key, record)
        if record.source == "provider":
            latest_page.setdefault(key, record)
    offline = [r for r in latest.values() if r.error_kind == NOT_CHECKED_OFFLINE]
    if offline:  # the hosts tried before the computer was taken to be offline were not checked either
        offline += [r for r in latest.values() if r.error_kind == UNREACHABLE]
        return ngettext("Last check {when}: offline, {count} document not checked.",
                        "Last check {when}: offline, {count} documents not checked.", len(offline)).format(
            when=when, count=format_number(len(offline)))
    failed = [r for r in latest_page.values() if r.result is FetchResult.FAILED]
    documents = set(latest)
    if failed:
        return ngettext("Last check {when}: {failed} of {count} document could not be fetched (see the fetch log).",
                        "Last check {when}: {failed} of {count} documents could not be fetched (see the fetch log).",
                        len(documents)).format(when=when, failed=format_number(len(failed)),
                                               count=format_number(len(documents)))
    if documents:
        return ngettext("Last check {when}: {count} document checked.", "Last check {when}: {count} documents checked.",
                        len(documents)).format(when=when, count=format_number(len(documents)))
    return _("Last check {when}.").format(when=when)



# A request that reached the page (or its archived copy): the app knows the document as it is now.
_REACHED = (FetchResult.NEW_VERSION, FetchResult.UNCHANGED, FetchResult.NOT_MODIFIED)


def no_change_line(last_check: datetime | None, fetches: Sequence[FetchRecord], *, network_enabled: bool) -> str:
    """What the Overview says when no watched document has a newer version than the one shipped:
    "nothing changed" only once a check reached a page; before that (never checked, offline,
    switched off) that changes since the shipped versions are not known, and the check's state."""
    if any(record.result in _REACHED for record in fetches):
        said = _("No watched document has changed since the versions shipped with the app.")
    else:
        said = _("No terms page has been fetched yet, so changes since the versions shipped with the app are not "
                 "known.")
    state = (terms_state_line(last_check, fetches, network_enabled=True) if network_enabled
             else network_off_line(fetches))
    return f"{said} {state}"


def shipped_only_note(titles: Sequence[str]) -> str:
    """Said after the terms a consent is recorded with, for those known only as shipped with the
    app: "in force" is then the newest version the app has, not one checked against the page."""
    if not titles:
        return ""
    return ngettext("Known only as shipped with the app (no check has compared it with the provider's page yet, so "
                    "a newer version may be in force): {documents}.",
                    "Known only as shipped with the app (no check has compared them with the provider's pages yet, "
                    "so newer versions may be in force): {documents}.", len(titles)).format(documents=listed(titles))


# The fetch log's Result column, as a person reads it (the log keeps the enum's value).
FETCH_RESULT_WORDS: dict[str, str] = {
    FetchResult.NEW_VERSION: N_("new version"), FetchResult.UNCHANGED: N_("unchanged"),
    FetchResult.NOT_MODIFIED: N_("not modified"), FetchResult.FAILED: N_("failed"),
    FetchResult.SKIPPED: N_("not checked"),
}
# Why a document was not checked: the log keeps the watcher's English sentence and its kind.
NOT_CHECKED_WORDS = {
    NOT_CHECKED_OFFLINE: N_("Not checked: this computer is offline (an earlier document could not be reached); the "
                            "next check will try again."),
    NOT_CHECKED_NETWORK_OFF: N_("Not checked: network access is switched off ([terms] network_enabled = false)."),
}


def fetch_result_words(result: FetchResult | str) -> str:
    """``skipped`` → ``nicht geprüft``; a value this version does not know, as stored."""
    words = FETCH_RESULT_WORDS.get(str(result))
    return _(words) if words is not None else str(result)


def fetch_details(record: FetchRecord) -> str | None:
    """The log line's explanation in the language in use where the app knows why; else as stored."""
    kind = record.error_kind
    if record.result == FetchResult.SKIPPED and kind is not None and kind in NOT_CHECKED_WORDS:
        return _(NOT_CHECKED_WORDS[kind])
    return record.message


def network_off_line(fetches: Sequence[FetchRecord]) -> str:
    """The Terms tab's one line while network access is off: that nothing is checked, when the
    last real check was (if any), and which box in Preferences turns checking on."""
    setting = _ASIDE.sub("", _MNEMONIC.sub("", _(NETWORK_SETTING)))
    done = [record.at for record in fetches if record.error_kind != NOT_CHECKED_NETWORK_OFF]
    if done:
        return _("Terms are not checked while network access is switched off (last check {when}). To check them, "
                 "tick “{setting}” under {group} in Preferences.").format(
            when=local_time(max(done)), setting=setting, group=_(NETWORK_GROUP))
    return _("Terms are not checked while network access is switched off. To check them, tick “{setting}” under "
             "{group} in Preferences.").format(setting=setting, group=_(NETWORK_GROUP))
