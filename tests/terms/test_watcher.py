"""The watcher end to end against a real HTTP server whose pages change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from guard.settings import Settings
from guard.terms.baseline import Baseline, sha256_text
from guard.terms.fetch import FetchPolicy
from guard.terms.models import FetchResult, WatchedDocument
from guard.terms.store import TermsStore
from guard.terms.watcher import TermsWatcher
from tests.terms.support.baselines import canonical
from tests.terms.support.pages import fixture_text, plain_page, restyled_page
from tests.terms.support.server import Route, TermsServer, page

MARCH = fixture_text("zoom/tos-2023-03-section10.quoted.md")
AUG_07 = fixture_text("zoom/tos-2023-08-07-section10.quoted.md")
AUG_11 = fixture_text("zoom/tos-2023-08-11-section10.ota.md")
POLICY = FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0, connect_timeout=2,
                     read_timeout=2, total_deadline=5)


def doc(server: TermsServer, path: str, provider: str = "zoom", document: str = "terms",
        select: tuple[str, ...] = ("main", "article", "body")) -> WatchedDocument:
    return WatchedDocument(provider, document, f"{provider} {document}", server.url(path), select=select)


def baseline_of(provider: str, document: str, md: str, tmp_path: Path) -> dict[tuple[str, str], Baseline]:
    text = canonical(md)
    return {(provider, document): Baseline(provider, document, text, sha256_text(text), "https://zoom.us/terms",
                                           datetime(2023, 3, 31).date(), "test fixture", tmp_path / "b.md")}


def watcher(tmp_path: Path, documents: list[WatchedDocument], baselines=None, **kwargs) -> TermsWatcher:  # type: ignore[no-untyped-def]
    store = TermsStore(tmp_path / "store", baselines or {}, [])
    kwargs.setdefault("policy", POLICY)
    kwargs.setdefault("network_enabled", True)
    return TermsWatcher(store, documents, **kwargs)


def test_first_check_compares_with_the_shipped_baseline(tmp_path: Path) -> None:
    with TermsServer() as server:
        server.routes["/terms"] = page(plain_page(AUG_07))
        watch = watcher(tmp_path, [doc(server, "/terms")], baseline_of("zoom", "terms", MARCH, tmp_path))
        (event,) = watch.check_now()
        assert (event.provider_id, event.document_id, event.url) == ("zoom", "terms", server.url("/terms"))
        assert event.title == "zoom terms", "named as watched (a user's own document has no catalog entry)"
        assert event.old_sha256 == watch.store.baselines[("zoom", "terms")].sha256
        assert event.new_sha256 == watch.store.current("zoom", "terms").sha256
        (change,) = event.changes
        assert change.old is None and change.new.startswith("Notwithstanding the above, Zoom will not use audio")
        assert "ai-training" in change.topics
        assert [r.result for r in watch.store.fetch_log("zoom")] == [FetchResult.NEW_VERSION]


def test_zoom_2023_sequence_over_http(tmp_path: Path) -> None:
    with TermsServer() as server:
        watch = watcher(tmp_path, [doc(server, "/terms")])
        server.routes["/terms"] = page(plain_page(MARCH))
        assert watch.check_now() == []  # first version: nothing to compare with
        server.routes["/terms"] = page(plain_page(AUG_07))
        (aug_07,) = watch.check_now()
        assert {t for c in aug_07.changes for t in c.topics} >= {"ai-training"}
        server.routes["/terms"] = page(restyled_page(AUG_11))
        (aug_11,) = watch.check_now()
        topics = {t for c in aug_11.changes for t in c.topics}
        assert {"ai-training", "content-licence", "service-generated-data"} <= topics
        licence = next(c for c in aug_11.changes if c.old and "perpetual, worldwide" in c.old)
        assert "no longer allows training AI" in licence.summary and licence.severity == "material"
        assert len(watch.store.versions("zoom", "terms")) == 3


def test_markup_only_change_is_not_a_new_version(tmp_path: Path) -> None:
    with TermsServer() as server:
        watch = watcher(tmp_path, [doc(server, "/terms")])
        server.routes["/terms"] = page(plain_page(AUG_11))
        watch.check_now()
        server.routes["/terms"] = page(restyled_page(AUG_11))
        assert watch.check_now() == []
        assert watch.last_report.checks[0].result is FetchResult.UNCHANGED
        assert len(watch.store.versions("zoom", "terms")) == 1


def test_unchanged_page_answered_with_304_is_logged_as_not_modified(tmp_path: Path) -> None:
    with TermsServer() as server:
        server.routes["/terms"] = page(plain_page(MARCH), etag='"march"')
        watch = watcher(tmp_path, [doc(server, "/terms")])
        watch.check_now()
        assert watch.check_now() == []
        assert server.seen[-1].headers.get("if-none-match") == '"march"'
        assert [r.result for r in watch.store.fetch_log()] == [FetchResult.NOT_MODIFIED, FetchResult.NEW_VERSION]
        assert watch.last_report.checks[0].version.sha256 == watch.store.current("zoom", "terms").sha256


def test_failures_are_recorded_and_do_not_stop_other_documents(tmp_path: Path) -> None:
    with TermsServer() as server:
        server.routes["/ok"] = page(plain_page(MARCH))
        server.routes["/pdf"] = Route(body=b"%PDF-1.7", content_type="application/pdf")
        server.routes["/layout"] = page("<html><body><p>Redesigned</p></body></html>")
        documents = [doc(server, "/gone", "a"), doc(server, "/pdf", "b"), doc(server, "/ok", "c"),
                     doc(server, "/layout", "d", select=("#terms-content",))]
        watch = watcher(tmp_path, documents)
        report = watch.check()
        assert [c.result for c in report.checks] == [FetchResult.FAILED, FetchResult.FAILED, FetchResult.NEW_VERSION,
                                                     FetchResult.FAILED]
        assert [c.error_kind for c in report.failures] == ["http-4xx", "not-html", "empty-extract"]
        log = {r.provider_id: r for r in watch.store.fetch_log()}
        assert log["a"].status == 404 and server.url("/gone") in log["a"].message
        assert "application/pdf" in log["b"].message
        assert "#terms-content" in log["d"].message
        assert watch.store.current("c", "terms") is not None


def test_documents_sharing_a_url_are_fetched_once_per_check(tmp_path: Path) -> None:
    with TermsServer() as server:
        server.routes["/msa"] = page(plain_page(MARCH), etag='"v1"')
        server.routes["/privacy"] = page(plain_page(AUG_07))
        documents = [doc(server, "/msa", "teams"), doc(server, "/privacy", "teams", "privacy"),
                     doc(server, "/msa", "skype")]
        watch = watcher(tmp_path, documents)
        first = watch.check()
        assert (server.hits("/msa"), server.hits("/privacy")) == (1, 1)
        assert [c.result for c in first.checks] == [FetchResult.NEW_VERSION] * 3
        assert first.checks[0].version.sha256 == first.checks[2].version.sha256
        assert watch.store.current("skype", "terms").sha256 == watch.store.current("teams", "terms").sha256

        # both saw ETag "v1": one conditional request, the 304 applies to both
        second = watch.check()
        last_msa = [seen for seen in server.seen if seen.path == "/msa"][-1]
        assert server.hits("/msa") == 2 and last_msa.headers.get("if-none-match") == '"v1"'
        assert [c.result for c in second.checks] == [FetchResult.NOT_MODIFIED, FetchResult.UNCHANGED,
                                                     FetchResult.NOT_MODIFIED]

        # a new version reaches both documents from the one request
        server.routes["/msa"] = page(plain_page(AUG_07), etag='"v2"')
        third = watch.check()
        assert server.hits("/msa") == 3
        assert [c.result for c in third.checks] == [FetchResult.NEW_VERSION, FetchResult.UNCHANGED,
                                                    FetchResult.NEW_VERSION]
        assert [bool(c.event) for c in third.checks] == [True, False, True]

        # a failure is fetched once and recorded for each document
        server.routes["/msa"] = Route(body=b"oops", status=500)
        fourth = watch.check()
        assert server.hits("/msa") == 4
        assert [(c.document.provider_id, c.error_kind) for c in fourth.failures] == [("teams", "http-5xx"),
                                                                                     ("skype", "http-5xx")]
        failed = [r for r in watch.store.fetch_log() if r.result is FetchResult.FAILED]
        assert {(r.provider_id, r.status) for r in failed} == {("teams", 500), ("skype", 500)}


def test_documents_sharing_a_url_ask_unconditionally_when_their_states_differ(tmp_path: Path) -> None:
    with TermsServer() as server:
        server.routes["/msa"] = page(plain_page(MARCH), etag='"v1"')
        watch = watcher(tmp_path, [doc(server, "/msa", "teams")])
        watch.check()
        later = watcher(tmp_path, [doc(server, "/msa", "teams"), doc(server, "/msa", "skype")])
        report = later.check()
        assert server.hits("/msa") == 2 and "if-none-match" not in server.seen[-1].headers
        assert [c.result for c in report.checks] == [FetchResult.UNCHANGED, FetchResult.NEW_VERSION]
        assert later.store.current("skype", "terms") is not None


def test_check_due_keeps_the_interval_across_restarts(tmp_path: Path) -> None:
    t0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    with TermsServer() as server:
        server.routes["/terms"] = page(plain_page(MARCH))
        documents = [doc(server, "/terms")]
        first = watcher(tmp_path, documents, check_interval_hours=24)
        first.check_due(t0)
        assert server.hits("/terms") == 1
        assert first.check_due(t0 + timedelta(hours=1)) == []
        restarted = watcher(tmp_path, documents, check_interval_hours=24)
        assert restarted.check_due(t0 + timedelta(hours=23)) == []
        assert server.hits("/terms") == 1
        restarted.check_due(t0 + timedelta(hours=24, minutes=1))
        assert server.hits("/terms") == 2
        assert restarted.next_due() == t0 + timedelta(hours=48, minutes=1)


def test_with_the_network_off_nothing_is_fetched_and_the_baseline_is_shown(tmp_path: Path) -> None:
    with TermsServer() as server:
        server.routes["/terms"] = page(plain_page(AUG_07))
        watch = watcher(tmp_path, [doc(server, "/terms")], baseline_of("zoom", "terms", MARCH, tmp_path),
                        network_enabled=False)
        assert watch.check_due(datetime(2024, 1, 1, tzinfo=UTC)) == []
        assert watch.store.fetch_log() == []
        assert watch.check_now() == []
        (record,) = watch.store.fetch_log()
        assert record.result is FetchResult.SKIPPED and record.error_kind == "network-disabled"
        assert record.attempts == 0 and watch.last_report.failures == []
        assert watch.last_report.headline() == "skipped: network access is switched off; 1 document not checked"
        assert server.seen == []
        assert watch.store.current("zoom", "terms").is_baseline


def test_check_now_for_one_provider_fetches_only_its_documents(tmp_path: Path) -> None:
    with TermsServer() as server:
        server.routes["/a"] = page(plain_page(MARCH))
        server.routes["/b"] = page(plain_page(MARCH))
        watch = watcher(tmp_path, [doc(server, "/a", "a"), doc(server, "/b", "b")])
        watch.check_now("b")
        assert (server.hits("/a"), server.hits("/b")) == (0, 1)
        assert watch.store.last_check() is None  # only a full check counts for the schedule


def test_from_app_watches_the_users_declarations(app_home: Path) -> None:
    from guard.paths import app_paths

    paths = app_paths()
    folder = paths.config_dir / "declarations"
    folder.mkdir(parents=True)
    (folder / "Acme.json").write_text('{"name": "Acme Meetings", "terms": {"Terms of Service": '
                                      '{"fetch": "https://acme.example/terms", "select": "main"}}}', encoding="utf-8")
    watch = TermsWatcher.from_app(paths, Settings())
    acme = next(d for d in watch.documents if d.provider_id == "acme-meetings")
    assert (acme.document_id, acme.url) == ("terms-of-service", "https://acme.example/terms")
    assert watch.store.root == paths.data_dir / "terms"


def test_catalog_selectors_are_fallbacks_by_default_and_all_used_when_spelled_out() -> None:
    from datetime import date

    from guard.catalog.models import Document, Provider
    from guard.terms.models import SelectMode

    provider = Provider.model_validate({"id": "acme", "name": "Acme", "vendor": "Acme Inc.", "kind": "meeting-client",
                                        "homepage": "https://acme.example"})
    default = Document(id="terms", type="terms-of-service", title="Terms", url="https://acme.example/terms",
                       checked=date(2024, 1, 1))
    spelled = Document(id="privacy", type="privacy-statement", title="Privacy", url="https://acme.example/privacy",
                       select=("h1", ".div_content"), checked=date(2024, 1, 1))
    assert WatchedDocument.from_catalog(provider, default).select_mode is SelectMode.FIRST
    assert WatchedDocument.from_catalog(provider, spelled).select_mode is SelectMode.ALL
