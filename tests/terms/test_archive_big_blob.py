"""A local archive copy holding a file over 5 MB (a hostile or broken mirror): it is refused by
its size, named with its commit and folder, before git hands over any of its bytes; the files
beside it are still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.terms.archive_source import MAX_TEXT, GitArchive
from guard.terms.errors import FetchFailure, TermsFetchError
from tests.terms.support.archive_repo import REPOSITORY, ArchiveRepo

BIG = "Zoom/Privacy Statement.md"
SMALL = "Zoom/Terms of Service.md"


def test_a_6_mb_file_is_refused_by_its_size_without_being_read(tmp_path: Path, monkeypatch) -> None:
    repo = ArchiveRepo(tmp_path / "repo")
    repo.folder.mkdir()
    repo.git("init", "-q", "-b", "main")
    repo.record("# Terms\n\nShort and fine.\n", "2026-11-01T00:00:00Z", "Record new changes of", path=SMALL)
    commit = repo.record("x" * (6 * 2**20), "2026-11-02T00:00:00Z", "Record new changes of", path=BIG)
    assert (repo.folder / BIG).stat().st_size > MAX_TEXT

    archive = GitArchive(repo.folder, REPOSITORY)
    asked: list[tuple[str, ...]] = []
    run_git = archive._git

    def seen_git(*args: str) -> bytes:  # the real git runs; only what it was asked is noted
        asked.append(args)
        return run_git(*args)

    monkeypatch.setattr(archive, "_git", seen_git)
    with pytest.raises(TermsFetchError) as refused:
        archive.read(BIG, commit)
    assert refused.value.kind == FetchFailure.TOO_BIG
    said = str(refused.value)
    assert BIG in said and commit[:12] in said and str(repo.folder) in said and "6.0 MB" in said
    assert not [args for args in asked if "blob" in args], "the big file's bytes were read"

    assert archive.read(SMALL, commit) == "# Terms\n\nShort and fine.\n"
