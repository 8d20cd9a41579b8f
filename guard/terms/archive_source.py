"""Where the public archive's versions are read: its versions repository, one document at a time.

Open Terms Archive keeps each collection's versions in a git repository, one file per document
(``<service>/<terms type>.md``) and one commit per recorded version (ToS;DR's archive uses the
same engine and layout). Of the ways to read it, this app reads the repository *narrowly, per
document*: the list of commits that touched the one file, then the file at the commits it
needs. The published dataset releases hold every document of a whole collection in one ZIP (the
contrib collection's is hundreds of megabytes), far more than a desktop app watching twenty
documents should download; the per-document commit list is small, can be asked for only since
the last check, and answers "nothing new" with a 304 that costs nothing.

Two sources with the same surface:

* :class:`GitHubArchive` reads the repository on GitHub (the commit list from its REST API, the
  files from raw.githubusercontent.com) through the app's :class:`~guard.terms.fetch.Fetcher`:
  HTTPS only, one deadline per request, size caps, pacing.
* :class:`GitArchive` reads a local clone with the ``git`` program (a mirror kept by an
  organisation, or the tests' repository in the archive's real layout).
"""

from __future__ import annotations

import json
import os
import string
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlencode

from guard.terms.errors import FetchFailure, TermsFetchError
from guard.terms.fetch import JSON_TYPES, TEXT_TYPES, Fetcher

GITHUB_API = "https://api.github.com"
GITHUB_RAW = "https://raw.githubusercontent.com"
PAGE_SIZE = 100
MAX_PAGES = 40  # 4,000 commits of one document
MAX_TEXT = 5 * 1024 * 1024
GIT_TIMEOUT = 60.0
SUBJECT = 300  # characters of a commit's subject kept (enough for the engine's "Record new changes of <document>")
# Commit subjects the Open Terms Archive engine writes (src/archivist/recorder/record.js and the
# git data mapper's deprecated prefixes): a re-extraction of an already recorded page, not a change.
TECHNICAL_PREFIXES = ("Apply technical or declaration upgrade on", "Refilter")


@dataclass(frozen=True)
class ArchiveCommit:
    """One recorded version: its commit, when the archive recorded it, and the commit's subject."""

    commit: str
    recorded: datetime
    subject: str

    @property
    def technical(self) -> bool:
        """A re-extraction of an already recorded page (no change at the provider)."""
        return self.subject.startswith(TECHNICAL_PREFIXES)


@dataclass(frozen=True)
class CommitList:
    commits: tuple[ArchiveCommit, ...]  # oldest first
    etag: str | None = None
    not_modified: bool = False  # the archive said nothing changed since the ETag given
    complete: bool = True  # False: the archive listed more than was read (the oldest are missing)


class ArchiveSource(Protocol):
    """What the importer needs from an archive (both sources below have this surface)."""

    repository: str

    def commits(self, path: str, since: datetime | None = None, etag: str | None = None) -> CommitList: ...

    def read(self, path: str, commit: str) -> str: ...

    def file_url(self, path: str, commit: str) -> str: ...


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class GitHubArchive:
    """A versions repository on GitHub, read through the REST API and raw files."""

    def __init__(self, repository: str, fetcher: Fetcher, api: str = GITHUB_API, raw: str = GITHUB_RAW,
                 pace: float = 1.0, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> None:
        self.repository = repository
        self.page_size = page_size
        self.max_pages = max_pages
        self.fetcher = fetcher
        self.api = api.rstrip("/")
        self.raw = raw.rstrip("/")
        self.pace = pace

    def commits(self, path: str, since: datetime | None = None, etag: str | None = None) -> CommitList:
        found: list[ArchiveCommit] = []
        first_etag = None
        complete = False  # until a page that is not full says the list ended
        for page in range(1, self.max_pages + 1):
            query = {"path": path, "per_page": str(self.page_size), "page": str(page)}
            if since is not None:
                query["since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            url = f"{self.api}/repos/{self.repository}/commits?{urlencode(query)}"
            outcome = self.fetcher.fetch(url, etag=etag if page == 1 else None, accept=JSON_TYPES, pace=self.pace)
            if page == 1:
                first_etag = outcome.meta.etag
                if outcome.not_modified:
                    return CommitList((), etag, not_modified=True)
            entries = _json_list(outcome.text or "", url)
            for entry in entries:
                found.append(_commit_of(entry, url))
            if len(entries) < self.page_size:  # GitHub fills every page but the last
                complete = True
                break
        found.sort(key=lambda item: item.recorded)  # newest first from GitHub: what is missing is the oldest
        return CommitList(tuple(found), first_etag, complete=complete)

    def read(self, path: str, commit: str) -> str:
        outcome = self.fetcher.fetch(self.file_url_raw(path, commit), accept=TEXT_TYPES, pace=self.pace)
        return outcome.text or ""

    def file_url_raw(self, path: str, commit: str) -> str:
        return f"{self.raw}/{self.repository}/{commit}/{quote(path)}"

    def file_url(self, path: str, commit: str) -> str:
        return f"https://github.com/{self.repository}/blob/{commit}/{quote(path)}"


def _json_list(text: str, url: str) -> list[dict[str, object]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TermsFetchError(FetchFailure.NOT_TEXT, url, f"{url} did not answer valid JSON ({error.msg}).") from None
    except RecursionError:  # json recurses per nested array: a 200 kB answer can nest 100,000 deep
        raise TermsFetchError(FetchFailure.NOT_TEXT, url, f"{url} answered JSON nested too deeply to be a list "
                              "of commits.") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise TermsFetchError(FetchFailure.NOT_TEXT, url, f"{url} did not answer a list of commits.")
    return data


def _commit_of(entry: dict[str, object], url: str) -> ArchiveCommit:
    try:
        sha = entry["sha"]
        details = entry["commit"]
        if not (isinstance(sha, str) and isinstance(details, dict)):
            raise ValueError("not a commit")
        if len(sha) != 40 or not all(c in string.hexdigits for c in sha):  # it goes into the raw file's address
            raise ValueError("not a commit hash")
        author = details.get("author") or details.get("committer")
        if not (isinstance(author, dict) and isinstance(author.get("date"), str)):
            raise ValueError("no date")
        message = str(details.get("message", ""))
        return ArchiveCommit(sha.lower(), _when(author["date"]), message.split("\n", 1)[0][:SUBJECT])
    except (KeyError, ValueError):
        raise TermsFetchError(FetchFailure.NOT_TEXT, url, f"{url} listed a commit the app cannot read.") from None


# The folder's own .git/config is whoever made the folder's: settings that make a read-only ``git log``
# or ``git cat-file`` run a program (signature checks with its gpg.program, an fsmonitor, hooks, a pager,
# diff drivers) are overridden on the command line, which comes before the repository's config.
# A partial clone (``--filter=blob:none``) fetches each file it lacks from its remote when it is read,
# which would reach the network however [terms] network_enabled is set: no transport is allowed at all,
# by default or for any protocol the folder's config names (ext:: runs a command, too).
_NO_TRANSPORT = ("-c", "protocol.allow=never", *(arg for name in ("file", "git", "http", "https", "ssh", "ext")
                                                 for arg in ("-c", f"protocol.{name}.allow=never")))
_NO_PROGRAMS = ("-c", "log.showSignature=false", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
                "-c", "core.pager=cat", "-c", "diff.external=", "-c", "gpg.program=false", *_NO_TRANSPORT)


# A version is stored with its commit, the evidence anyone can check on the archive: the folder's
# refs/replace (which make git show another object wherever a replaced one is asked for) must not
# put another text under a real commit's hash. Objects are read as the commit holds them.
_AS_STORED = ("--no-replace-objects", "-c", "core.useReplaceRefs=false")


def _git_env() -> dict[str, str]:
    """The environment without GIT_* variables (GIT_DIR, GIT_CONFIG_PARAMETERS...): ``-C`` decides
    which repository is read, and nothing else changes how."""
    return {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}


class GitArchive:
    """A local clone of a versions repository, read with ``git`` (bounded in time and size)."""

    def __init__(self, folder: Path, repository: str) -> None:
        self.folder = Path(folder)
        self.repository = repository

    def _git(self, *args: str) -> bytes:
        try:
            done = subprocess.run(["git", *_AS_STORED, *_NO_PROGRAMS, "-C", str(self.folder), *args],
                                  capture_output=True, timeout=GIT_TIMEOUT, check=False, env=_git_env())
        except (OSError, subprocess.TimeoutExpired) as error:
            raise TermsFetchError(FetchFailure.CONNECTION, str(self.folder),
                                  f"The archive copy {self.folder} could not be read with git ({error}).") from None
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace")
            if "dubious ownership" in stderr:  # its last line says how to trust it: never passed on
                raise TermsFetchError(FetchFailure.CLIENT_ERROR, str(self.folder),
                                      f"The archive copy {self.folder} belongs to another user, so git does not "
                                      "read it (its settings are theirs); use a copy of your own (git clone it).")
            reason = stderr.strip().splitlines()[-1:] or ["no reason given"]
            # git reports a partial clone's missing file as a promisor-remote failure or, depending on the
            # order its messages come in, only as the refused transport: either means a lacking file.
            lacking = "promisor remote" in stderr or ("transport '" in stderr and "' not allowed" in stderr)
            partial = ("; it is a partial clone that lacks this file and is read without the network: give a full "
                       "clone (git clone without --filter)") if lacking else ""
            raise TermsFetchError(FetchFailure.CLIENT_ERROR, str(self.folder),
                                  f"git could not read the archive copy {self.folder}: {reason[0][:200]}{partial}")
        return done.stdout

    def commits(self, path: str, since: datetime | None = None, etag: str | None = None) -> CommitList:
        # The subject cut by git (padded to, or cut at, SUBJECT columns): a message is stored compressed,
        # so a small copy can hold a commit whose subject is hundreds of megabytes, read here whole.
        args = ["log", "--reverse", f"--format=%H%x1f%aI%x1f%<({SUBJECT},trunc)%s"]
        if since is not None:
            args.append(f"--since={since.astimezone(UTC).isoformat()}")
        found = []
        for line in self._git(*args, "--", path).decode("utf-8", "replace").splitlines():
            parts = line.split("\x1f", 2)  # a subject may hold the separator itself
            if len(parts) == 3 and len(parts[0]) == 40:
                try:
                    recorded = _when(parts[1])
                except ValueError:  # the commit's author date is whatever its maker wrote
                    raise TermsFetchError(FetchFailure.NOT_TEXT, str(self.folder),
                                          f"Commit {parts[0][:12]} of {path} in the archive copy {self.folder} has "
                                          "an author date git cannot give; the copy is not the archive's as "
                                          "recorded, nothing was imported from it.") from None
                found.append(ArchiveCommit(parts[0], recorded, parts[2].rstrip(" ")[:SUBJECT]))
        return CommitList(tuple(sorted(found, key=lambda item: item.recorded)))

    def read(self, path: str, commit: str) -> str:
        """The file's stored bytes at ``commit`` (no textconv, no filter) as text; one over
        :data:`MAX_TEXT` is refused by its size before any of it is read."""
        size_text = self._git("cat-file", "-s", f"{commit}:{path}").strip()
        if not size_text.isdigit():
            raise TermsFetchError(FetchFailure.CLIENT_ERROR, str(self.folder),
                                  f"git gave no size for {path} at {commit[:12]} in {self.folder}; not read.")
        if int(size_text) > MAX_TEXT:
            raise self._too_big(path, commit, int(size_text))
        data = self._git("cat-file", "blob", f"{commit}:{path}")
        if len(data) > MAX_TEXT:  # the object changed in between (a repository being rewritten)
            raise self._too_big(path, commit, len(data))
        return data.decode("utf-8", "replace")

    def _too_big(self, path: str, commit: str, size: int) -> TermsFetchError:
        return TermsFetchError(FetchFailure.TOO_BIG, str(self.folder),
                               f"{path} at {commit[:12]} in {self.folder} is {size / 2**20:.1f} MB, larger than "
                               "5 MB; not read.")

    def file_url(self, path: str, commit: str) -> str:
        return f"https://github.com/{self.repository}/blob/{commit}/{quote(path)}"
