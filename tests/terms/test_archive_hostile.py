"""An archive whose history lies: a record dated in 2099 (a hostile mirror, a wrong clock). Stored,
it was the version in force for good, and every later import (which asks only for records since
the newest) missed the real ones. It is skipped and said; the real history goes on."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from guard.catalog.models import DocumentArchive
from guard.terms.archive_import import ArchiveImporter
from guard.terms.archive_source import GitArchive
from guard.terms.store import TermsStore
from tests.terms.support.archive_repo import REPOSITORY, ZOOM_2023, ZOOM_PATH, ArchiveRepo, zoom_text

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


def _signed_commit_touching(repo: ArchiveRepo, text: str) -> str:
    """A commit of ``text`` carrying a (fake) signature, which a ``git log`` that shows signatures
    hands to ``gpg.program``."""
    repo.record(text, "2023-07-28T13:43:15Z", "Record new changes of")
    body = repo.git("cat-file", "commit", "HEAD")
    head, _, message = body.partition("\n\n")
    signed = (f"{head}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n"
              f"{message}\n")
    done = subprocess.run(["git", "-C", str(repo.folder), "hash-object", "-t", "commit", "-w", "--stdin"],
                          input=signed, capture_output=True, text=True, check=True, timeout=60)
    sha = done.stdout.strip()
    repo.git("update-ref", "HEAD", sha)
    return sha


def test_a_repositorys_own_git_config_runs_no_program(tmp_path: Path) -> None:
    """A folder given to ``terms import --git`` (a mirror, an unpacked archive) carries its own
    .git/config: a gpg.program with log.showSignature, an fsmonitor, a textconv filter. Reading its
    history must run none of them; the history is read as usual."""
    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=2)
    signed = _signed_commit_touching(repo, zoom_text(ZOOM_2023[2][0]))
    marks = tmp_path / "marks"
    marks.mkdir()
    for name in ("gpg", "fsmonitor", "textconv", "external"):
        script = tmp_path / f"{name}.sh"
        script.write_text(f"#!/bin/sh\ntouch {marks / name}\ncat \"$1\" 2>/dev/null\n", encoding="utf-8")
        script.chmod(0o755)
    for key, value in (("log.showSignature", "true"), ("gpg.program", str(tmp_path / "gpg.sh")),
                       ("core.fsmonitor", str(tmp_path / "fsmonitor.sh")),
                       ("diff.evil.textconv", str(tmp_path / "textconv.sh")),
                       ("diff.external", str(tmp_path / "external.sh"))):
        repo.git("config", key, value)
    (repo.folder / ".git" / "info" / "attributes").write_text("*.md diff=evil\n", encoding="utf-8")
    store = TermsStore(tmp_path / "store", {}, [])
    result = ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY), read_all=True,
                             clock=lambda: NOW).run("zoom", "terms", URL, ARCHIVE)
    assert sorted(path.name for path in marks.iterdir()) == []
    assert result.ok and [c.commit for c, _ in result.stored][-1] == signed
    assert store.get_text(result.stored[-1][1]).strip(), "the file's own text, not a program's output"


def test_a_listed_commit_that_is_not_a_hash_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    """The commit's id goes into the raw file's address: forty characters of '../' would reach
    another file on the same host. Only a hexadecimal hash is read."""
    import json

    from guard.terms.archive_source import GitHubArchive
    from guard.terms.fetch import Fetcher, FetchPolicy
    from tests.terms.support.archive_repo import GitHubLike

    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=2)
    store = TermsStore(tmp_path / "store", {}, [])
    with GitHubLike(repo) as api:
        real = api.answer
        sneaky = ("../" * 14)[:40]

        def answer(target: str, etag: str | None) -> tuple[int, bytes, dict[str, str]]:
            status, body, headers = real(target, etag)
            if target.startswith("/repos/") and status == 200:
                entries = json.loads(body)
                entries[0]["sha"] = sneaky
                body = json.dumps(entries).encode()
            return status, body, headers

        api.answer = answer  # type: ignore[method-assign]
        fetcher = Fetcher(FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0),
                          network_enabled=True)
        source = GitHubArchive(REPOSITORY, fetcher, api=api.base, raw=api.base, pace=0.0)
        result = ArchiveImporter(store, source, clock=lambda: NOW).run("zoom", "terms", URL, ARCHIVE)
        assert not any(".." in path for path, _ in api.requests), "no address built from it was fetched"
    assert result.error is not None and "listed a commit the app cannot read" in str(result.error)
    assert api.base in str(result.error), "the message names the URL"
    assert store.versions("zoom", "terms") == []


def test_a_partial_clone_given_as_the_local_copy_fetches_nothing_from_its_remote(tmp_path: Path) -> None:
    """Audit round four: ``terms import --git FOLDER`` is the way to import with the network off.
    A folder that is a partial clone (``--filter=blob:none``: commits without their files) made
    git fetch each missing file from the clone's remote, over the network, while the user had
    switched it off. The copy is read as it is: what it lacks is an error naming the folder."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=2)
    repo.git("config", "uploadpack.allowFilter", "true")
    partial = tmp_path / "partial"
    subprocess.run(["git", "clone", "-q", "--no-checkout", "--filter=blob:none", f"file://{repo.folder}",
                    str(partial)], check=True, capture_output=True, timeout=60)
    asked: list[str] = []

    class Remote(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            asked.append(self.path)
            self.send_error(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Remote)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for scheme in ("http", "https"):  # git tries whichever the remote names
            subprocess.run(["git", "-C", str(partial), "remote", "set-url", "origin",
                            f"{scheme}://127.0.0.1:{server.server_address[1]}/contrib-versions.git"], check=True)
            store = TermsStore(tmp_path / f"store-{scheme}", {}, [])
            result = ArchiveImporter(store, GitArchive(partial, REPOSITORY), clock=lambda: NOW).run(
                "zoom", "terms", URL, ARCHIVE)
            assert asked == [], f"git reached the network for a local copy: {asked}"
            assert not result.stored and result.error is not None and str(partial) in str(result.error)
            assert "partial clone" in str(result.error) and "full clone" in str(result.error)
    finally:
        server.shutdown()
        server.server_close()


def test_a_local_copys_replace_refs_cannot_put_other_text_under_a_real_commit_hostile(tmp_path: Path) -> None:
    """A version imported from the archive is kept with its commit, the evidence anyone can check
    on the archive itself. A folder given to ``terms import --git`` may carry ``refs/replace``:
    git then shows another object wherever the replaced one is asked for, so a doctored text was
    stored under the real commit's hash. The copy's objects are read as they are (no replacement):
    what is stored under a commit is that commit's text."""
    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=2)
    first, second = (sha for sha, _, _ in repo.commits[:2])
    doctored = zoom_text(ZOOM_2023[1][0]).replace("Zoom", "Forged")
    forged = subprocess.run(["git", "-C", str(repo.folder), "hash-object", "-w", "--stdin"], input=doctored,
                            capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    repo.git("replace", repo.git("rev-parse", f"{second}:{ZOOM_PATH}"), forged)
    assert "Forged" in repo.git("show", f"{second}:{ZOOM_PATH}"), "git itself shows the replacement"
    store = TermsStore(tmp_path / "store", {}, [])
    result = ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY), read_all=True,
                             clock=lambda: NOW).run("zoom", "terms", URL, ARCHIVE)
    assert result.ok and [c.commit for c, _ in result.stored] == [first, second]
    assert all("Forged" not in store.get_text(sha) for _, sha in result.stored), "a doctored text under a real commit"


def test_a_commit_with_a_huge_subject_is_listed_in_bounded_memory_hostile(tmp_path: Path) -> None:
    """A commit's message is stored compressed: a local copy of a few hundred kilobytes can hold a
    commit whose subject line is 64 MB of one letter. Listing the document's commits read every
    subject whole into the app (twice: the bytes and their text) to keep 300 characters of each. The
    subject is cut by git; the commit is still listed, and the history imported."""
    import tracemalloc

    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=1)
    huge = "Record new changes of " + "x" * (64 * 2**20)
    repo.record(zoom_text(ZOOM_2023[1][0]), "2023-04-01T06:45:10Z", "Record new changes of")
    body = repo.git("cat-file", "commit", "HEAD")
    head, _, _ = body.partition("\n\n")
    sha = subprocess.run(["git", "-C", str(repo.folder), "hash-object", "-t", "commit", "-w", "--stdin"],
                         input=f"{head}\n\n{huge}\n", capture_output=True, text=True, check=True,
                         timeout=120).stdout.strip()
    repo.git("update-ref", "HEAD", sha)
    source = GitArchive(repo.folder, REPOSITORY)
    tracemalloc.start()
    try:
        listing = source.commits(ZOOM_PATH)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [c.commit for c in listing.commits][-1] == sha
    assert listing.commits[-1].subject.startswith("Record new changes of x") and len(listing.commits[-1].subject) <= 300
    assert peak < 16 * 2**20, f"listing the commits took {peak / 2**20:.0f} MB"
    store = TermsStore(tmp_path / "store", {}, [])
    result = ArchiveImporter(store, source, clock=lambda: NOW).run("zoom", "terms", URL, ARCHIVE)
    assert result.ok and [c.commit for c, _ in result.stored][-1] == sha


def _commit_dated(repo: ArchiveRepo, text: str, author_date: str) -> str:
    """A commit of ``text`` whose author line carries ``author_date`` as written (git accepts any)."""
    repo.record(text, "2023-07-28T13:43:15Z", "Record new changes of")
    body = repo.git("cat-file", "commit", "HEAD")
    lines = [f"author OTA-Bot <bot@opentermsarchive.org> {author_date}" if line.startswith("author ") else line
             for line in body.split("\n")]
    sha = subprocess.run(["git", "-C", str(repo.folder), "hash-object", "-t", "commit", "-w", "--stdin"],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, check=True,
                         timeout=60).stdout.strip()
    repo.git("update-ref", "HEAD", sha)
    return sha


def test_a_commit_with_a_date_git_cannot_give_is_refused_naming_the_copy_hostile(tmp_path: Path, cli,
                                                                                 app_home) -> None:
    """A commit's author date is whatever its maker wrote: git prints an unreadable one as the bare
    placeholder, or with a time zone of +99:99. The import stopped with a ValueError (the command
    line's traceback); it is refused as an archive that cannot be read, naming the copy, and
    nothing is stored."""
    for number, written in enumerate(("notadate +0000", "1690551795 +9999")):
        repo = ArchiveRepo.zoom_2023(tmp_path / f"repo-{number}", noise=0, upto=1)
        bad = _commit_dated(repo, zoom_text(ZOOM_2023[1][0]), written)
        store = TermsStore(tmp_path / f"store-{number}", {}, [])
        result = ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY), clock=lambda: NOW).run(
            "zoom", "terms", URL, ARCHIVE)
        assert result.error is not None and str(repo.folder) in str(result.error) and bad[:12] in str(result.error)
        assert store.versions("zoom", "terms") == []
        done = cli("terms", "import", "zoom", "terms", "--git", str(repo.folder))
        assert "Traceback" not in done.stderr and bad[:12] in done.stdout + done.stderr, done.stderr


def test_a_copy_of_another_user_is_refused_without_advice_to_trust_it_hostile(tmp_path: Path) -> None:
    """git refuses a repository another user owns (its .git/config is theirs) and ends its message
    with how to make an exception for it; the import passed on that last line as the reason, so the
    user was told to run 'git config --global --add safe.directory' on another user's folder. The
    copy is refused naming it, saying whose it is and to use a copy of one's own."""
    import os

    import pytest

    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    repo = ArchiveRepo.zoom_2023(tmp_path / "repo", noise=0, upto=1)
    for root, folders, files in os.walk(repo.folder):
        for name in [*folders, *files]:
            os.lchown(os.path.join(root, name), 65534, 65534)
    os.lchown(repo.folder, 65534, 65534)
    store = TermsStore(tmp_path / "store", {}, [])
    result = ArchiveImporter(store, GitArchive(repo.folder, REPOSITORY), clock=lambda: NOW).run(
        "zoom", "terms", URL, ARCHIVE)
    assert result.error is not None and str(repo.folder) in str(result.error)
    assert "safe.directory" not in str(result.error), "the user was told to trust another user's repository"
    assert "another user" in str(result.error) and "your own" in str(result.error)
    assert store.versions("zoom", "terms") == []
