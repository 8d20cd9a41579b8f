"""Caps on what crosses from a browser to the app, shared by the extension (data.js) and the host.

The extension cuts what it sends to these lengths and counts; the host enforces them again (it
trusts nothing it reads on stdin), so a changed or hostile extension gains nothing by ignoring them.
"""

from __future__ import annotations

MESSAGE_BYTES = 64 * 1024  # one native message, as JSON; Chromium allows 1 MB from the extension
TITLE = 300  # characters of a tab title
URL = 2048  # characters of a tab's link
NOTICE = 500  # characters of a notice as shown in the page
PARTICIPANT = 100  # characters of a display name
TABS = 200  # meeting tabs one browser may report
WINDOWS = 1000  # browser windows one extension may say it sees (a count, never more about them)
PROVIDERS_PER_TAB = 8
NOTICES_PER_TAB = 10
NEW_PHRASE_NOTICES = 10  # more a tab may keep, each naming a catalog phrase no kept notice named (so look-alikes
# of one phrase, e.g. chat lines quoting it, never crowd out another feature's notice)
PHRASES_PER_REPORT = 8  # catalog phrase ids one notice report may name
PARTICIPANTS_PER_TAB = 20
SERVERS = 50  # servers the user added (self-hosted Jitsi, BigBlueButton ...) one browser's extension may name
SERVER_HOST = 253  # characters of one such server's host name (DNS's own limit)
MESSAGES_PER_SECOND = 50  # sustained rate the host accepts from one browser ...
BURST = 200  # ... after a burst of this many (a full state on connect, many tabs at once)
STATE_FILE_BYTES = 512 * 1024

# The content script's work per DOM mutation batch and per full scan of a page.
CONTENT_SCRIPT = {
    "matchText": 20_000,  # characters normalised for one match (guard/catalog/notices.py looks at as many)
    "containerText": 2_000,  # characters read from one dialog, banner or live region
    "nodesPerContainer": 500,
    "recordsPerBatch": 500,
    "nodesPerBatch": 400,
    "containersPerBatch": 20,
    "hiddenContainers": 20,
    "nodesPerScan": 20_000,
    "containersPerScan": 50,
    "rescanDelayMs": 2_000,
    "reportsPerPage": 200,
    "pageReportsPerMinute": 60,
}


def for_extension() -> dict[str, int]:
    """The limits as data.js carries them."""
    return {"title": TITLE, "url": URL, "notice": NOTICE, "participant": PARTICIPANT, "tabs": TABS, "windows": WINDOWS,
            "servers": SERVERS, "serverHost": SERVER_HOST, **CONTENT_SCRIPT}
