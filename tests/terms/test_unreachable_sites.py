"""Two sites whose own name servers fail, one after the other, do not make the computer offline once a name was
answered in the check: the name server is asked again for a name it answered, and only when it no longer answers
is the computer offline. Real TLS servers on 127.0.0.1 under real host names (a test CA), a name server in place of
the system resolver."""

from __future__ import annotations

import socket
from pathlib import Path

from guard.terms.models import FetchResult, WatchedDocument
from guard.terms.store import TermsStore
from guard.terms.watcher import TermsWatcher
from tests.terms.support.pages import plain_page
from tests.terms.support.server import TermsServer, page
from tests.terms.test_fetch_pinning import LocalCA, fetcher, tls  # noqa: F401 - tls: the module's test CA fixture

SITE = "terms.example"


def name_server(answers_site: int | None = None):  # type: ignore[no-untyped-def]
    """The site's name answers 127.0.0.1 (its first ``answers_site`` times only, then nothing, as when the
    computer goes offline); any other name's own name server fails (SERVFAIL: EAI_AGAIN, as offline)."""
    asked = {"site": 0}

    def resolve(host: str) -> list[str]:
        if host == SITE:
            asked["site"] += 1
            if answers_site is None or asked["site"] <= answers_site:
                return ["127.0.0.1"]
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    return resolve


def documents(server: TermsServer) -> list[WatchedDocument]:
    return [WatchedDocument("p", "terms", "T", server.url("/terms", host=SITE)),
            WatchedDocument("blocked-one", "terms", "T", "https://terms.blocked-one.example/terms"),
            WatchedDocument("blocked-two", "terms", "T", "https://terms.blocked-two.example/terms"),
            WatchedDocument("q", "privacy", "P", server.url("/privacy", host=SITE))]


def check(tmp_path: Path, tls: LocalCA, resolve) -> tuple:  # type: ignore[no-untyped-def]  # noqa: F811
    with TermsServer(certificate=tls.server) as server:
        server.routes["/terms"] = page(plain_page("1. We keep your recordings for 30 days."))
        server.routes["/privacy"] = page(plain_page("1. We share your data with no one."))
        watch = TermsWatcher(TermsStore(tmp_path / "store", {}, []), documents(server), fetcher=fetcher(tls, resolve),
                             network_enabled=True)
        return watch.check(), server.hits("/privacy")


# Audit 15: a network whose name servers fail for two sites (a filter answering REFUSED, two providers' name servers
# down) made every later document 'not checked: this computer is offline', though pages had just been read.
def test_two_sites_failing_in_a_row_after_a_page_was_read_leave_the_computer_online(
        tmp_path: Path, tls: LocalCA) -> None:  # noqa: F811
    report, hits = check(tmp_path, tls, name_server())
    first, one, two, last = report.checks
    assert first.result is FetchResult.NEW_VERSION
    assert (one.error_kind, two.error_kind) == ("unreachable", "unreachable")
    assert last.result is FetchResult.NEW_VERSION and hits == 1, "the next document is still checked"
    assert not report.offline


def test_when_the_name_server_no_longer_answers_a_name_it_answered_the_computer_is_offline(
        tmp_path: Path, tls: LocalCA) -> None:  # noqa: F811
    report, hits = check(tmp_path, tls, name_server(answers_site=1))
    first, one, two, last = report.checks
    assert first.result is FetchResult.NEW_VERSION
    assert (one.error_kind, two.error_kind) == ("unreachable", "offline")
    assert last.result is FetchResult.SKIPPED and last.error_kind == "offline" and hits == 0
    assert report.offline
