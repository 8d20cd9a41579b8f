"""A versions repository in Open Terms Archive's real layout, built with the real ``git`` from
the archived Zoom texts (tests/terms/fixtures/archive), and a local server that answers like
GitHub's REST API (commit list of one file, with ``since``, pages and ETags) and its raw files.

The commits carry the archive's own subjects ("Start tracking …", "Record new changes of …",
"Apply technical or declaration upgrade on …") and the dates the archive recorded each version.
Between real changes sit commits that change only link addresses (tracking parameters), as the
archive records them day after day: the app's text form is the same for those.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tests.terms.support.archive import find_archived

ZOOM_PATH = "Zoom/Terms of Service.md"
REPOSITORY = "OpenTermsArchive/contrib-versions"
# (commit in the real archive, the date it recorded it, subject verb)
ZOOM_2023 = (
    ("cf09ff11d436d3df96fe9b00725e7b90267b5ed0", "2023-02-01T12:45:56Z", "Start tracking"),
    ("6cee2e467cdc921c98ea835e3bb9511dfd5c9544", "2023-04-01T06:45:10Z", "Record new changes of"),
    ("0c3e673ebdf35c9012eef24dc18307bb5fe33a61", "2023-07-28T13:43:15Z", "Record new changes of"),
    ("99ab2d06db1788bd5e74a0b6f04014e0145d91df", "2023-08-07T18:49:21Z", "Record new changes of"),
    ("894baaa7a5e1fca4ea9927b95800501ca870ab57", "2023-08-11T19:15:38Z", "Record new changes of"),
)


def zoom_text(commit: str) -> str:
    found = find_archived(REPOSITORY, ZOOM_PATH, commit)
    assert found is not None
    return found.text()


def with_tracking(text: str, n: int) -> str:
    """The same text with a tracking parameter in its link addresses (what the archive records
    when only a page's links change)."""
    return text.replace("](https://explore.zoom.us/en/privacy/)", f"](https://explore.zoom.us/en/privacy/?utm={n})")


@dataclass
class ArchiveRepo:
    folder: Path
    commits: list[tuple[str, str, str]] = field(default_factory=list)  # (sha, date, subject)

    def git(self, *args: str, date: str | None = None) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "OTA-Bot", "GIT_AUTHOR_EMAIL": "bot@opentermsarchive.org",
               "GIT_COMMITTER_NAME": "OTA-Bot", "GIT_COMMITTER_EMAIL": "bot@opentermsarchive.org"}
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        done = subprocess.run(["git", "-C", str(self.folder), *args], capture_output=True, text=True, env=env,
                              check=True, timeout=60)
        return done.stdout.strip()

    def record(self, text: str, date: str, subject: str, path: str = ZOOM_PATH) -> str:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.git("add", path)
        self.git("commit", "-q", "--allow-empty", "-m", f"{subject} Zoom Terms of Service\n\nThis version was recorded "
                 "after extracting from snapshot https://github.com/OpenTermsArchive/contrib-snapshots/commit/x",
                 date=date)
        sha = self.git("rev-parse", "HEAD")
        self.commits.append((sha, date, subject))
        return sha

    @classmethod
    def zoom_2023(cls, folder: Path, noise: int = 3, upto: int = len(ZOOM_2023)) -> ArchiveRepo:
        """Zoom's first ``upto`` 2023 versions, each followed by ``noise`` link-only records (and
        the second by a technical upgrade)."""
        folder.mkdir(parents=True, exist_ok=True)
        repo = cls(folder)
        repo.git("init", "-q", "-b", "main")
        for index, (commit, date, verb) in enumerate(ZOOM_2023[:upto]):
            text = zoom_text(commit)
            repo.record(text, date, verb)
            day = datetime.fromisoformat(date.replace("Z", "+00:00"))
            for n in range(noise):
                repo.record(with_tracking(text, n), day.replace(hour=(day.hour + n + 1) % 24).isoformat(),
                            "Record new changes of")
            if index == 1:
                repo.record(with_tracking(text, 99), day.replace(hour=23).isoformat(),
                            "Apply technical or declaration upgrade on")
        return repo

    def log(self, path: str, since: str | None = None) -> list[dict[str, object]]:
        """The commits touching ``path``, newest first, as GitHub's REST API lists them."""
        args = ["log", "--format=%H%x1f%aI%x1f%B%x1e"]
        if since:
            args.append(f"--since={since}")
        entries = []
        for record in self.git(*args, "--", path).split("\x1e"):
            if not record.strip():
                continue
            sha, date, message = record.strip("\n").split("\x1f", 2)
            entries.append({"sha": sha, "commit": {"author": {"date": date}, "committer": {"date": date},
                                                   "message": message.strip()}})
        return entries


class GitHubLike:
    """``with GitHubLike(repo) as api``: /repos/<owner>/<name>/commits?path=..&since=..&page=..
    and /<owner>/<name>/<commit>/<path> (raw files), on 127.0.0.1 over plain HTTP."""

    def __init__(self, repo: ArchiveRepo, repository: str = REPOSITORY) -> None:
        self.repo = repo
        self.repository = repository
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.rate_limited = False
        self.raw_down = False
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                owner.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                status, body, headers = owner.answer(self.path, self.headers.get("If-None-Match"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, target: str, etag: str | None) -> tuple[int, bytes, dict[str, str]]:
        parts = urlsplit(target)
        prefix = f"/repos/{self.repository}/commits"
        if parts.path == prefix:
            if self.rate_limited:
                return 403, b'{"message": "API rate limit exceeded"}', {
                    "Content-Type": "application/json", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1767225600"}
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            entries = self.repo.log(query["path"], query.get("since"))
            page = int(query.get("page", "1"))
            size = min(int(query.get("per_page", "30")), 100)
            chunk = entries[(page - 1) * size: page * size]
            tag = f'"{len(entries)}-{entries[0]["sha"] if entries else "none"}"'
            if page == 1 and etag == tag:
                return 304, b"", {"ETag": tag}
            return 200, json.dumps(chunk).encode(), {"Content-Type": "application/json; charset=utf-8", "ETag": tag}
        owner_name = f"/{self.repository}/"
        if parts.path.startswith(owner_name) and not self.raw_down:
            commit, _, path = parts.path[len(owner_name):].partition("/")
            try:
                text = self.repo.git("show", f"{commit}:{unquote(path)}")
            except subprocess.CalledProcessError:
                return 404, b"404: Not Found", {"Content-Type": "text/plain; charset=utf-8"}
            return 200, (text + "\n").encode(), {"Content-Type": "text/plain; charset=utf-8"}
        return 404, b"not here", {"Content-Type": "text/plain"}

    def __enter__(self) -> GitHubLike:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
