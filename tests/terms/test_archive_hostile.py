"""An archive whose history lies: a record dated in 2099 (a hostile mirror, a wrong clock). Stored,
it was the version in force for good, and every later import (which asks only for records since
the newest) missed the real ones. It is skipped and said; the real history goes on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from guard.catalog.models import DocumentArchive
from guard.terms.archive_import import ArchiveImporter
from guard.terms.archive_source import GitArchive
from guard.terms.store import TermsStore
from tests.terms.support.archive_repo import REPOSITORY, ZOOM_2023, ArchiveRepo, zoom_text

ARCHIVE = DocumentArchive(service="Zoom", terms_type="Terms of Service")
URL = "https://zoom.us/terms"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_a_record_dated_in_the_future_is_skipped_and_said_and_later_records_still_come(tmp_path: Path) -> None:
    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=2)
    forged = repo.record(zoom_text(ZOOM_2023[2][0]).replace("Zoom", "Forged"), "2099-01-01T00:00:00Z",
                         "Record new changes of")
    store = TermsStore(tmp_path / "store", {}, [])
    importer = ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY), clock=lambda: NOW)
    first = importer.run("zoom", "terms", URL, ARCHIVE)
    assert first.ok and [c.commit for c in first.future] == [forged]
    assert [c.recorded.year for c, _ in first.stored] == [2023, 2023]
    said = first.to_dict()["future_skipped"]
    assert said == [{"commit": forged, "recorded": "2099-01-01T00:00:00+00:00"}]
    assert forged[:12] in (first.future_note() or "") and "2099-01-01" in (first.future_note() or "")

    real = repo.record(zoom_text(ZOOM_2023[3][0]), "2026-11-30T00:00:00Z", "Record new changes of")
    second = importer.run("zoom", "terms", URL, ARCHIVE)
    assert second.ok and [c.commit for c, _ in second.stored] == [real], "the real record after it is imported"
    current = store.current("zoom", "terms")
    assert current is not None and current.first_seen == datetime(2026, 11, 30, tzinfo=UTC)
    assert "Forged" not in store.get_text(current.sha256)
    assert all("Forged" not in store.get_text(v.sha256) for v in store.versions("zoom", "terms"))


def test_the_command_line_says_what_was_skipped(cli, app_home, tmp_path: Path) -> None:
    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=1)
    forged = repo.record(zoom_text(ZOOM_2023[1][0]), "2099-01-01T00:00:00Z", "Record new changes of")
    result = cli("terms", "import", "zoom", "terms", "--git", str(repo.folder))
    assert result.returncode == 0, result.stderr
    assert f"commit {forged[:12]} dated 2099-01-01" in result.stdout, result.stdout + result.stderr
