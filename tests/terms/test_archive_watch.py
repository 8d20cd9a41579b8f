"""The watcher reads archived documents in the archive first (a local server answering like
GitHub over a real git repository in the archive's layout) and the provider's page only when the
archive cannot be read; offline, it says so at once and tries nothing more; the CLI imports
history and shows where each version came from."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from guard.catalog.models import DocumentArchive
from guard.presentation.terms_state import terms_state_line
from guard.terms.fetch import Fetcher, FetchPolicy
from guard.terms.models import FetchResult, WatchedDocument
from guard.terms.store import TermsStore
from guard.terms.watcher import ArchiveSources, TermsWatcher
from tests.terms.support.archive_repo import ZOOM_2023, ArchiveRepo, GitHubLike, zoom_text
from tests.terms.support.pages import fixture_text, plain_page
from tests.terms.support.server import TermsServer, page

POLICY = FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0, connect_timeout=2,
                     read_timeout=2, total_deadline=5)
ARCHIVE = DocumentArchive(service="Zoom", terms_type="Terms of Service")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> ArchiveRepo:
    return ArchiveRepo.zoom_2023(tmp_path_factory.mktemp("contrib-versions"), noise=1)

@pytest.fixture(autouse=True)
def _local_test_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain HTTP to this computer's test servers: from the environment, never the settings file."""
    monkeypatch.setenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", "1")



def watcher(tmp_path: Path, documents: list[WatchedDocument], api: GitHubLike | None) -> TermsWatcher:
    fetcher = Fetcher(POLICY, network_enabled=True)
    archive = ArchiveSources(fetcher, api.base, api.base) if api else None
    return TermsWatcher(TermsStore(tmp_path / "store", {}, []), documents, fetcher=fetcher, archive=archive,
                        network_enabled=True)


def test_an_archived_document_is_read_in_the_archive_not_on_the_provider_page(tmp_path: Path) -> None:
    repo = ArchiveRepo.zoom_2023(tmp_path / "contrib-versions", noise=1, upto=4)  # up to 7 August 2023
    with GitHubLike(repo) as api, TermsServer() as provider:
        provider.routes["/terms"] = page(plain_page("10.1 Something else entirely."))
        document = WatchedDocument("zoom", "terms", "Zoom Terms", provider.url("/terms"), archive=ARCHIVE)
        watch = watcher(tmp_path, [document], api)
        (first,) = watch.check().checks  # a new install: the history arrives, and is not news
        assert first.source == "archive" and first.result is FetchResult.NEW_VERSION and first.event is None
        assert len(watch.store.versions("zoom", "terms")) == 4 and provider.seen == []
        (record,) = watch.store.fetch_log()
        assert record.source == "archive" and "read in the archive" in record.message
        assert watch.check().checks[0].result is FetchResult.UNCHANGED
        # the archive records the 11 August 2023 rewrite: the next check reads it there and tells
        commit, date, verb = ZOOM_2023[4]
        repo.record(zoom_text(commit), date, verb)
        (check,) = watch.check().checks
        assert check.source == "archive" and check.result is FetchResult.NEW_VERSION and provider.seen == []
        assert check.event is not None
        promise = next(c for c in check.event.changes if (c.new or "").startswith("Zoom does not use any of your"))
        assert promise.severity == "material" and "no longer says “without your consent”" in promise.summary
        versions = watch.store.versions("zoom", "terms")
        assert len(versions) == 5 and all(v.from_archive for v in versions)


def test_when_the_archive_cannot_be_read_the_provider_page_is_fetched(repo: ArchiveRepo, tmp_path: Path) -> None:
    with GitHubLike(repo) as api, TermsServer() as provider:
        api.rate_limited = True
        provider.routes["/terms"] = page(plain_page(fixture_text("zoom/tos-2023-08-11-section10.ota.md")))
        document = WatchedDocument("zoom", "terms", "Zoom Terms", provider.url("/terms"), archive=ARCHIVE)
        watch = watcher(tmp_path, [document], api)
        (check,) = watch.check().checks
        assert check.source == "provider" and check.result is FetchResult.NEW_VERSION and provider.hits("/terms") == 1
        fetches = watch.store.fetch_log()
        assert [(f.source, f.result, f.error_kind) for f in reversed(fetches)] == [
            ("archive", FetchResult.FAILED, "rate-limited"), ("provider", FetchResult.NEW_VERSION, None)]


def name_server(known: dict[str, str], *, reachable: bool = True):  # type: ignore[no-untyped-def]
    """What the system resolver answers: ``known`` names' addresses; any other name the name server says does not
    exist (EAI_NONAME), or, not ``reachable``, no name server answers at all (EAI_AGAIN)."""
    def resolve(host: str) -> list[str]:
        if not reachable:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if host in known:
            return [known[host]]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return resolve


def resolver_failing(host: str):  # type: ignore[no-untyped-def]
    """What the system resolver answers when ``host``'s own name server fails (SERVFAIL, or the route to it cut):
    for ``host``, as for no name server at all, EAI_AGAIN; any other name does not exist (EAI_NONAME)."""
    def resolve(name: str) -> list[str]:
        if name == host:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return resolve


def resolving_watcher(tmp_path: Path, documents: list[WatchedDocument], resolve) -> TermsWatcher:  # type: ignore[no-untyped-def]
    fetcher = Fetcher(POLICY, network_enabled=True, resolve=resolve)
    return TermsWatcher(TermsStore(tmp_path / "store", {}, []), documents, fetcher=fetcher, network_enabled=True)


def test_offline_says_so_at_once_and_tries_nothing_more(tmp_path: Path) -> None:
    """No name server answers: the first host alone could be that site's fault, the second says the computer is
    offline; the rest are not tried, and nothing is tried twice."""
    documents = [WatchedDocument("p", f"d{i}", "D", f"https://terms{i}.example.org/terms") for i in range(6)]
    watch = resolving_watcher(tmp_path, documents, name_server({}, reachable=False))
    report = watch.check()
    first, second, *rest = report.checks
    assert (first.result, first.error_kind) == (FetchResult.FAILED, "unreachable")
    assert (second.result, second.error_kind) == (FetchResult.FAILED, "offline")
    assert all(check.result is FetchResult.SKIPPED and check.error_kind == "offline" for check in rest)
    assert report.offline and report.headline() == "offline: 6 documents not checked"
    assert [record.attempts for record in watch.store.fetch_log() if record.result is FetchResult.FAILED] == [1, 1]
    assert "offline, 6 documents not checked" in terms_state_line(None, watch.store.fetch_log(), network_enabled=True)


def test_one_sites_name_server_failing_does_not_make_the_computer_offline(tmp_path: Path) -> None:
    """Audit 13: a site's own name server answering SERVFAIL (or a route to it cut) looks, to getaddrinfo, like no
    name server at all (EAI_AGAIN). The first document's host failing so made the whole check 'offline': every
    other provider's terms were skipped, and the tray said the computer was offline. Now that host alone fails
    (its other documents without asking again) and the others are checked."""
    with TermsServer() as server:
        server.routes["/terms"] = page(plain_page("1. We keep your recordings for 30 days."))
        server.routes["/privacy"] = page(plain_page("1. We share your data with no one."))
        documents = [WatchedDocument("hostile", "terms", "T", "https://terms.hostile.example/terms"),
                     WatchedDocument("hostile", "privacy", "P", "https://TERMS.hostile.example/privacy"),
                     WatchedDocument("p", "terms", "T", server.url("/terms")),
                     WatchedDocument("q", "terms", "T", server.url("/privacy"))]
        watch = resolving_watcher(tmp_path, documents, resolver_failing("terms.hostile.example"))
        report = watch.check()
    hostile, again, *checked = report.checks
    assert [check.result for check in checked] == [FetchResult.NEW_VERSION, FetchResult.NEW_VERSION]
    assert not report.offline
    assert (hostile.error_kind, again.error_kind) == ("unreachable", "unreachable")
    assert [(r.document_id, r.attempts) for r in reversed(watch.store.fetch_log())
            if r.result is FetchResult.FAILED] == [("terms", 1), ("privacy", 0)], "the host was asked once"
    assert report.headline() == "4 documents checked, 2 with a new version, 2 could not be fetched"
    line = terms_state_line(None, watch.store.fetch_log(), network_enabled=True)
    assert "offline" not in line and "2 of 4 documents could not be fetched" in line


def test_a_site_the_name_server_does_not_know_fails_alone_and_the_others_are_checked(tmp_path: Path) -> None:
    """A network whose filter blocks one provider's site (or a site gone) answers that its name does not exist:
    that document fails, saying so; the others are still checked (they were all skipped as 'offline')."""
    with TermsServer() as server:
        server.routes["/terms"] = page(plain_page("1. We keep your recordings for 30 days."))
        server.routes["/privacy"] = page(plain_page("1. We share your data with no one."))
        documents = [WatchedDocument("blocked", "terms", "T", "https://blocked.example.net/terms"),
                     WatchedDocument("p", "terms", "T", server.url("/terms")),
                     WatchedDocument("q", "terms", "T", server.url("/privacy"))]
        report = resolving_watcher(tmp_path, documents, name_server({})).check()
    blocked, *checked = report.checks
    assert blocked.result is FetchResult.FAILED and blocked.error_kind == "name-not-found"
    assert "blocked.example.net was not found by the name server" in (blocked.message or "")
    assert [check.result for check in checked] == [FetchResult.NEW_VERSION, FetchResult.NEW_VERSION]
    assert not report.offline
    assert report.headline() == "3 documents checked, 2 with a new version, 1 could not be fetched"


def test_an_archive_whose_name_server_fails_alone_falls_back_to_the_provider_pages(tmp_path: Path) -> None:
    """The archive's host alone unreachable (a network whose name server fails for it): each archived document
    is read on the provider's page instead, the archive asked once in the check, and the computer is not
    taken to be offline (it was, before: the archive's failure skipped every document)."""
    with TermsServer() as provider:
        provider.routes["/terms"] = page(plain_page("1. We keep your recordings for 30 days."))
        provider.routes["/privacy"] = page(plain_page("1. We share your data with no one."))
        documents = [WatchedDocument("zoom", "terms", "T", provider.url("/terms"), archive=ARCHIVE),
                     WatchedDocument("zoom", "privacy", "P", provider.url("/privacy"), archive=ARCHIVE)]
        fetcher = Fetcher(POLICY, network_enabled=True, resolve=resolver_failing("archive.hostile.example"))
        archive = ArchiveSources(fetcher, "https://archive.hostile.example", "https://archive.hostile.example")
        watch = TermsWatcher(TermsStore(tmp_path / "store", {}, []), documents, fetcher=fetcher, archive=archive,
                             network_enabled=True)
        report = watch.check()
    assert [(c.source, c.result) for c in report.checks] == [("provider", FetchResult.NEW_VERSION)] * 2
    assert not report.offline
    asked = [(r.source, r.error_kind) for r in reversed(watch.store.fetch_log()) if r.source == "archive"]
    assert asked == [("archive", "unreachable")], "the archive is asked once per check"


def test_when_no_name_the_check_tries_is_known_the_computer_is_offline(tmp_path: Path) -> None:
    """An offline Mac answers every name so: after the first few hosts, all unknown and no page reached, the
    rest are not tried."""
    documents = [WatchedDocument("p", f"d{i}", "D", f"https://terms{i}.example.org/terms") for i in range(6)]
    report = resolving_watcher(tmp_path, documents, name_server({})).check()
    assert [check.result for check in report.checks] == [FetchResult.FAILED] * 3 + [FetchResult.SKIPPED] * 3
    assert report.offline and report.headline() == "offline: 6 documents not checked"


def test_progress_is_reported_document_by_document(tmp_path: Path) -> None:
    documents = [WatchedDocument("p", f"d{i}", "D", f"https://terms{i}.example.invalid/terms") for i in range(3)]
    seen: list[tuple[int, int, str]] = []
    watcher(tmp_path, documents, None).check(progress=lambda done, total, check: seen.append(
        (done, total, check.document.document_id)))
    assert seen == [(1, 3, "d0"), (2, 3, "d1"), (3, 3, "d2")]


def settings(app_home: Path, api: GitHubLike | None = None, network: bool = True,
             monkeypatch: pytest.MonkeyPatch | None = None) -> None:
    """The settings file; the archive's test server through the environment, the only place those
    test-only settings are read from."""
    config = app_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    lines = ["[terms]", f"network_enabled = {'true' if network else 'false'}"]
    if api is not None:
        assert monkeypatch is not None
        monkeypatch.setenv("MEETING_GUARD_TEST_ARCHIVE_API_URL", api.base)
        monkeypatch.setenv("MEETING_GUARD_TEST_ARCHIVE_RAW_URL", api.base)
    (config / "settings.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_terms_import_then_log_shows_the_history_and_its_source(cli, app_home: Path, repo: ArchiveRepo,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with GitHubLike(repo) as api:
        settings(app_home, api, monkeypatch=monkeypatch)
        result = cli("terms", "import", "zoom", "terms", "--json")
        assert result.returncode == 0, result.stderr
        (imported,) = json.loads(result.stdout)["imports"]
        assert imported["repository"] == "OpenTermsArchive/contrib-versions" and imported["error"] is None
        assert [v["recorded"][:10] for v in imported["versions_stored"]] == [
            "2023-02-01", "2023-04-01", "2023-07-28", "2023-08-07", "2023-08-11"]
    log = json.loads(cli("terms", "log", "zoom", "--json").stdout)
    versions = next(d["versions"] for d in log["documents"] if d["document_id"] == "terms")
    assert [v["origin"] for v in versions] == ["baseline", "archive", "archive", "archive", "archive", "archive"]
    assert versions[2]["archive"]["commit"] and versions[2]["first_seen"].startswith("2023-04-01")
    text = cli("terms", "log", "zoom").stdout
    assert "from the archive OpenTermsArchive/contrib-versions at commit" in text
    assert "recorded there on 2023-04-01" in text
    diff = cli("terms", "diff", "zoom", "terms", "--from", versions[3]["sha256"][:12], "--to",
               versions[4]["sha256"][:12])
    assert diff.returncode == 0 and "after:  Notwithstanding the above" in diff.stdout


def test_terms_import_from_a_local_git_copy(cli, app_home: Path, repo: ArchiveRepo) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=False)
    result = cli("terms", "import", "zoom", "terms", "--git", str(repo.folder))
    assert result.returncode == 0, result.stderr
    assert "zoom/terms from OpenTermsArchive/contrib-versions (Zoom/Terms of Service.md): 5 versions stored" in \
        result.stdout
    diff = cli("terms", "diff", "zoom", "terms")
    assert diff.returncode == 0, diff.stderr
    header = diff.stdout.splitlines()[0]
    assert header.count("by OpenTermsArchive/contrib-versions at ") == 2 and "fetched" not in header, \
        "the diff says both versions are archive records, with their commits"


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare to run without a network")
def test_offline_check_of_every_document_returns_at_once(app_home: Path) -> None:
    """A real offline computer (a network namespace with no route and no name resolution):
    'offline: N documents not checked', exit 1, one attempt only."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -rn is not allowed here")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(["unshare", "-rn", sys.executable, "-m", "guard", "terms", "check", "--json"],
                          capture_output=True, text=True, env=env, timeout=60)
    data = json.loads(done.stdout)
    assert done.returncode == 1 and data["offline"] is True
    total = len(data["checks"])
    assert data["summary"] == f"offline: {total} documents not checked" and total >= 20
    failed = [c for c in data["checks"] if c["result"] == "failed"]
    assert [c["error_kind"] for c in failed if c["error_kind"] != "unreachable"] == ["offline"], \
        "the second host that cannot be reached makes it offline"


def test_an_archive_answering_deeply_nested_json_falls_back_to_the_page(tmp_path: Path) -> None:
    """Audit round two: an archive (the upstream is switchable) answering its commit list with
    100,000 nested arrays (200 kB, under the size cap) raised RecursionError out of the whole
    check: no document was checked and the caller got a traceback."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    deep = ("[" * 100_000 + "]" * 100_000).encode()

    class Deep(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(deep)))
            self.end_headers()
            self.wfile.write(deep)

        def log_message(self, *args: object) -> None:
            pass

    archive = ThreadingHTTPServer(("127.0.0.1", 0), Deep)
    threading.Thread(target=archive.serve_forever, daemon=True).start()
    try:
        with TermsServer() as provider:
            provider.routes["/terms"] = page(plain_page(fixture_text("zoom/tos-2023-08-11-section10.ota.md")))
            document = WatchedDocument("zoom", "terms", "Zoom Terms", provider.url("/terms"), archive=ARCHIVE)
            fetcher = Fetcher(POLICY, network_enabled=True)
            base = f"http://127.0.0.1:{archive.server_address[1]}"
            watch = TermsWatcher(TermsStore(tmp_path / "store", {}, []), [document], fetcher=fetcher,
                                 archive=ArchiveSources(fetcher, base, base), network_enabled=True)
            (check,) = watch.check().checks
            assert check.result is FetchResult.NEW_VERSION and provider.hits("/terms") == 1
    finally:
        archive.shutdown()
        archive.server_close()
