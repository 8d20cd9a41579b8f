"""Importing a document's history from the public archive: a real git repository in Open Terms
Archive's layout (read with git, and through a local server answering like GitHub's API and raw
files), into a real store. A new install shows the history from before its first fetch, each
version saying where it came from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from guard.catalog.models import DocumentArchive
from guard.terms.archive_import import ArchiveImporter, ImportResult
from guard.terms.archive_source import GitArchive, GitHubArchive
from guard.terms.fetch import Fetcher, FetchPolicy
from guard.terms.models import HttpMeta
from guard.terms.store import TermsStore
from tests.terms.support.archive_repo import REPOSITORY, ZOOM_2023, ZOOM_PATH, ArchiveRepo, GitHubLike, zoom_text

ARCHIVE = DocumentArchive(service="Zoom", terms_type="Terms of Service")
URL = "https://zoom.us/terms"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> ArchiveRepo:
    return ArchiveRepo.zoom_2023(tmp_path_factory.mktemp("contrib-versions"))


def new_store(tmp_path: Path) -> TermsStore:
    return TermsStore(tmp_path / "store", {}, [])


@pytest.fixture(scope="module")
def imported(repo: ArchiveRepo, tmp_path_factory: pytest.TempPathFactory) -> tuple[TermsStore, ImportResult]:
    """One import of the whole history with git, shared by the tests that only read it."""
    store = new_store(tmp_path_factory.mktemp("imported"))
    return store, ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY)).run("zoom", "terms", URL, ARCHIVE)


def fetcher() -> Fetcher:
    return Fetcher(FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0), network_enabled=True)


def test_history_is_imported_one_version_per_change_with_its_commit_and_date(
        repo: ArchiveRepo, imported: tuple[TermsStore, ImportResult]) -> None:
    store, result = imported
    assert result.ok and not result.partial
    assert result.listed == len(repo.commits) and result.technical == 1
    assert result.read < result.listed - result.technical  # not every record needs reading
    real_changes = [c for c in repo.commits
                    if not c[2].startswith("Apply") and "?utm" not in repo.git("show", f"{c[0]}:{ZOOM_PATH}")]
    assert len(real_changes) == len(ZOOM_2023)
    expected = [(sha, date) for sha, date, _ in real_changes]
    stored = [(commit.commit, commit.recorded) for commit, _ in result.stored]
    assert [sha for sha, _ in stored] == [sha for sha, _ in expected]
    assert [when for _, when in stored] == [datetime.fromisoformat(d.replace("Z", "+00:00")) for _, d in expected]
    versions = store.versions("zoom", "terms")
    assert [v.origin for v in versions] == ["archive"] * 5
    assert versions[1].first_seen == datetime(2023, 4, 1, 6, 45, 10, tzinfo=UTC)
    assert "archive OpenTermsArchive/contrib-versions at commit" in versions[1].obtained_from
    assert "Effective Date: March 31, 2023" in store.get_text(versions[1].sha256)


def test_a_new_install_shows_history_before_its_first_fetch(repo: ArchiveRepo, tmp_path: Path) -> None:
    store = new_store(tmp_path)
    ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY)).run("zoom", "terms", URL, ARCHIVE)
    latest = store.current("zoom", "terms")
    fetched, is_new = store.record_version("zoom", "terms", store.get_text(latest.sha256), URL, HttpMeta(status=200),
                                           datetime(2026, 12, 1, tzinfo=UTC))
    assert not is_new  # the page says what the archive last recorded
    versions = store.versions("zoom", "terms")
    assert len(versions) == 5 and versions[-1].origin == "archive"
    assert versions[-1].also_seen and "the provider's page https://zoom.us/terms" in versions[-1].also_seen[0]


def test_a_second_import_reads_only_what_is_new(repo: ArchiveRepo, tmp_path: Path) -> None:
    store = new_store(tmp_path)
    importer = ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY))
    importer.run("zoom", "terms", URL, ARCHIVE)
    again = importer.run("zoom", "terms", URL, ARCHIVE)
    assert again.ok and again.listed == 0 and again.stored == [] and again.read == 0


def test_budget_of_reads_gives_a_partial_history_that_says_so(repo: ArchiveRepo, tmp_path: Path) -> None:
    store = new_store(tmp_path)
    result = ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY), max_reads=3).run("zoom", "terms", URL,
                                                                                         ARCHIVE)
    assert result.ok and result.partial and result.read == 3
    assert 2 <= len(result.stored) < 5


def test_the_same_history_over_a_github_like_server_and_nothing_new_is_a_304(
        repo: ArchiveRepo, imported: tuple[TermsStore, ImportResult], tmp_path: Path) -> None:
    store = new_store(tmp_path)
    with GitHubLike(repo) as api:
        # pages of 7 commits: the list comes in several pages
        source = GitHubArchive(REPOSITORY, fetcher(), api=api.base, raw=api.base, pace=0.0, page_size=7)
        importer = ArchiveImporter(store, source)
        first = importer.run("zoom", "terms", URL, ARCHIVE)
        assert first.ok and len(first.stored) == 5
        assert [c.commit for c, _ in first.stored] == [c.commit for c, _ in imported[1].stored]
        pages = [path for path, _ in api.requests if path.startswith("/repos/")]
        assert any("page=2" in path for path in pages) and all("path=Zoom%2FTerms+of+Service.md" in p for p in pages)
        raw = [path for path, _ in api.requests if not path.startswith("/repos/")]
        assert len(raw) == first.read
        second = importer.run("zoom", "terms", URL, ARCHIVE)  # asks only since the last record: nothing new
        assert second.ok and second.listed == 0 and second.stored == []
        api.requests.clear()
        third = importer.run("zoom", "terms", URL, ARCHIVE)  # the same question again: answered 304
        assert third.ok and third.not_modified
        ((path, headers),) = api.requests
        assert "since=2023-08-11T" in path and headers.get("if-none-match")


def test_an_archive_listing_more_records_than_are_read_is_a_partial_history(
        repo: ArchiveRepo, imported: tuple[TermsStore, ImportResult], tmp_path: Path) -> None:
    """GitHub lists a file's commits newest first, and the app reads at most so many pages (4,000
    commits). A longer list was cut without a word: its oldest versions missing, and the oldest one
    read stored as if it were where the history starts. The import says the history is partial."""
    store = new_store(tmp_path)
    with GitHubLike(repo) as api:
        source = GitHubArchive(REPOSITORY, fetcher(), api=api.base, raw=api.base, pace=0.0, page_size=3,
                               max_pages=2)
        result = ArchiveImporter(store, source).run("zoom", "terms", URL, ARCHIVE)
    assert result.ok and result.listed == 6 and len(imported[1].stored) > len(result.stored)
    assert result.partial and not result.listed_all and result.to_dict()["commits_listed_all"] is False
    whole = GitHubArchive(REPOSITORY, fetcher(), api="http://127.0.0.1:9", raw="http://127.0.0.1:9", page_size=100)
    assert whole.max_pages * whole.page_size == 4000


def test_rate_limit_stops_the_import_and_stores_nothing(repo: ArchiveRepo, tmp_path: Path) -> None:
    store = new_store(tmp_path)
    with GitHubLike(repo) as api:
        api.rate_limited = True
        result = ArchiveImporter(store, GitHubArchive(REPOSITORY, fetcher(), api=api.base, raw=api.base,
                                                      pace=0.0)).run("zoom", "terms", URL, ARCHIVE)
    assert result.error is not None and str(result.error.kind) == "rate-limited"
    assert store.versions("zoom", "terms") == [] and store.archive_state("zoom", "terms") is None


def test_imported_versions_diff_like_fetched_ones(imported: tuple[TermsStore, ImportResult]) -> None:
    from guard.terms.analysis import analyse

    store = imported[0]
    july, august_7 = store.versions("zoom", "terms")[2:4]
    (change,) = [c for c in analyse(store.get_text(july.sha256), store.get_text(august_7.sha256)) if c.relevant]
    assert change.diff.new_text.startswith("Notwithstanding the above") and change.material
    assert zoom_text(ZOOM_2023[3][0])  # the fixture the repository was built from
