"""What pinning costs a terms fetch: ``python -m tests.bench.bench_fetch_pinning``.

The work pinning adds to a fetch is one name lookup in a resolver thread, bounded by the
connect timeout (the socket is then opened to the checked address, the same system call as
before). This fetches one page from a local HTTPS server (a test CA's certificate for
``terms.example``, the name resolving to 127.0.0.1) N times, and times that lookup step alone N
times, interleaved in one run so both see the same machine load. Prints one JSON object:
medians of each and their ratio. Nothing here asserts; the figures are for people to read.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.terms.fetch import Fetcher, FetchPolicy  # noqa: E402
from tests.browser.support.certs import make_certs  # noqa: E402
from tests.terms.support.server import TermsServer, page  # noqa: E402

ROUNDS = 40
HTML = "<html><body><main><p>" + "Terms text. " * 2000 + "</p></main></body></html>"


def _fetcher(ca_file: Path) -> Fetcher:
    session = requests.Session()
    session.verify = str(ca_file)
    return Fetcher(FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0), session=session,
                   resolve=lambda host: ["127.0.0.1"], network_enabled=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        certs = make_certs(Path(folder), ["terms.example", "127.0.0.1"])
        ca_file = Path(folder) / "ca.pem"
        ca = x509.load_der_x509_certificate(base64.b64decode(certs.ca_der_b64))
        ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        with TermsServer(certificate=(certs.cert_file, certs.key_file)) as server:
            server.routes["/terms"] = page(HTML)
            fetcher = _fetcher(ca_file)
            url = server.url("/terms", host="terms.example")
            fetches: list[float] = []
            lookups: list[float] = []
            fetcher.fetch(url)  # warm up (imports, TLS context)
            for _ in range(ROUNDS):
                started = time.perf_counter()
                fetcher.fetch(url)
                fetches.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                fetcher._lookup(url, "terms.example", time.monotonic() + 60)  # the step measured
                lookups.append((time.perf_counter() - started) * 1000)
    fetch, lookup = statistics.median(fetches), statistics.median(lookups)
    print(json.dumps({"benchmark": "fetch-pinning", "rounds": ROUNDS, "load_1min": round(os.getloadavg()[0], 2),
                      "median_ms_https_fetch_pinned": round(fetch, 2), "median_ms_lookup_step": round(lookup, 3),
                      "lookup_share_of_fetch": round(lookup / fetch, 4)}))


if __name__ == "__main__":
    main()
