"""Terms watcher on bad networks and from the archive: ``python -m tests.bench.bench_terms_network``.

Prints one JSON object:
  (a) an offline check of every watched document (``meeting-guard terms check`` in a network
      namespace with no route and no name resolution, ``unshare -rn``): seconds to the answer,
      how many documents, how many were attempted (target: within 5 s, one attempt);
  (b) a server that drips its headers one byte every 50 ms, fetched with a 3 s total deadline:
      seconds until the fetch gives up (target: about 3 s, never the minutes the headers take);
  (c) importing Zoom's 2023 history (18 records) from a local server answering like GitHub:
      seconds, records listed, records read, versions stored.
Nothing here asserts; the figures are for people to read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.catalog.models import DocumentArchive  # noqa: E402
from guard.terms.archive_import import ArchiveImporter  # noqa: E402
from guard.terms.archive_source import GitHubArchive  # noqa: E402
from guard.terms.errors import TermsFetchError  # noqa: E402
from guard.terms.fetch import Fetcher, FetchPolicy  # noqa: E402
from guard.terms.store import TermsStore  # noqa: E402
from tests.terms.support.archive_repo import REPOSITORY, ArchiveRepo, GitHubLike  # noqa: E402
from tests.terms.support.server import Route, TermsServer  # noqa: E402


def offline_check() -> dict[str, object]:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rn", "true"]).returncode != 0:
        return {"skipped": "unshare -rn is not available"}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "MEETING_GUARD_HOME": home}
        started = time.perf_counter()
        done = subprocess.run(["unshare", "-rn", sys.executable, "-m", "guard", "terms", "check", "--json"],
                              capture_output=True, text=True, env=env, timeout=120)
        seconds = time.perf_counter() - started
    data = json.loads(done.stdout)
    return {"seconds": round(seconds, 2), "exit": done.returncode, "summary": data["summary"],
            "documents": len(data["checks"]),
            "attempted": sum(1 for check in data["checks"] if check["result"] == "failed"), "target_seconds": 5.0}


def header_drip() -> dict[str, object]:
    with TermsServer() as server:
        server.routes["/slow"] = Route(drip_headers=0.05)
        fetcher = Fetcher(FetchPolicy(allow_insecure_localhost=True, total_deadline=3.0, read_timeout=10.0,
                                      retries=0, host_pace_seconds=0.0), network_enabled=True)
        started = time.perf_counter()
        try:
            fetcher.fetch(server.url("/slow"))
            kind = "fetched"
        except TermsFetchError as error:
            kind = str(error.kind)
        return {"deadline_seconds": 3.0, "gave_up_after_seconds": round(time.perf_counter() - started, 2),
                "result": kind, "server_finished": bool(server.finished)}


def archive_import() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        repo = ArchiveRepo.zoom_2023(Path(folder) / "contrib-versions")
        with GitHubLike(repo) as api:
            fetcher = Fetcher(FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0),
                              network_enabled=True)
            store = TermsStore(Path(folder) / "store", {}, [])
            started = time.perf_counter()
            archive = DocumentArchive(service="Zoom", terms_type="Terms of Service")
            source = GitHubArchive(REPOSITORY, fetcher, api.base, api.base, pace=0.0)
            result = ArchiveImporter(store, source).run("zoom", "terms", "https://zoom.us/terms", archive)
            seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "records_listed": result.listed, "technical_skipped": result.technical,
            "records_read": result.read, "versions_stored": len(result.stored), "error": str(result.error or "")}


def main() -> None:
    print(json.dumps({"benchmark": "terms-network", "offline_check": offline_check(), "header_drip": header_drip(),
                      "archive_import": archive_import()}))


if __name__ == "__main__":
    main()
