"""Consent ledger benchmark: ``python -m tests.bench.bench_ledger``.

* 10,000 records appended one by one, each its own durable transaction (WAL,
  synchronous=FULL): target at least 500 appends per second;
* verify a ledger of 100,000 records: target under 2 s;
* a filtered page (one provider, a date range, newest first, 100 rows, plus the matching
  count) over 100,000 records: target under 200 ms.

The 100,000-record ledger is built with ``append_many`` (one transaction per 5,000 records)
so the set-up does not dominate. The key lives in the key file (keyring ``fail`` backend),
so no D-Bus round trip is measured. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from guard.ledger import Decision, Ledger, Meeting, RecordDraft, RecordFilter, TermsRef  # noqa: E402

TARGET_APPENDS_PER_S = 500
TARGET_VERIFY_S = 2.0
TARGET_FILTERED_MS = 200.0
PROVIDERS = [f"provider-{i}" for i in range(20)]
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def draft(i: int, rng: random.Random) -> RecordDraft:
    return RecordDraft(
        provider_id=rng.choice(PROVIDERS), decision=rng.choice(list(Decision)),
        occurred_at=START + timedelta(minutes=7 * i), feature_id="ai-summary",
        meeting=Meeting(title=f"Weekly sync {i}", id_or_link=f"https://meet.example.org/{i}", organiser="Ada"),
        purposes=("meeting summary",), requested_by="host",
        terms=(TermsRef("provider-1", "terms", "ab" * 32, "https://example.org/terms"),),
        note=f"note {i}" if i % 3 == 0 else None,
    )


def bench_appends(folder: Path, count: int = 10_000) -> dict:
    rng = random.Random(1)
    with Ledger.open(folder / "appends.sqlite3") as ledger:
        ledger.append(draft(0, rng))  # creates the key outside the timing
        started = time.perf_counter()
        for i in range(1, count + 1):
            ledger.append(draft(i, rng))
        elapsed = time.perf_counter() - started
        assert ledger.verify().ok
    return {"records": count, "seconds": round(elapsed, 3), "appends_per_s": round(count / elapsed, 1)}


def build_large(folder: Path, count: int = 100_000) -> Ledger:
    rng = random.Random(2)
    ledger = Ledger.open(folder / "large.sqlite3")
    for start in range(0, count, 5_000):
        ledger.append_many([draft(i, rng) for i in range(start, start + 5_000)])
    return ledger


def timed(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        folder = Path(tmp)
        appends = bench_appends(folder)
        build_started = time.perf_counter()
        ledger = build_large(folder)
        build_s = time.perf_counter() - build_started
        with ledger:
            verify_s, report = timed(ledger.verify, 3)
            chain_only_s, _ = timed(lambda: ledger.verify(check_file=False), 3)
            assert report.ok and report.count == 100_000, report.summary()
            provider_range = RecordFilter(provider_id="provider-7", occurred_from=START + timedelta(days=60),
                                          occurred_to=START + timedelta(days=300))
            filtered_s, (total, page) = timed(lambda: (ledger.count(provider_range), ledger.page(provider_range)), 5)
            text = RecordFilter(text="sync 4242")
            text_s, (text_total, _) = timed(lambda: (ledger.count(text), ledger.page(text)), 5)
            deep = RecordFilter(decision="refused")
            deep_s, _ = timed(lambda: (ledger.count(deep), ledger.page(deep, offset=10_000)), 5)
        size_mb = (folder / "large.sqlite3").stat().st_size / 1e6
    figures = {
        "benchmark": "ledger",
        "python": sys.version.split()[0],
        "durable_appends": {**appends, "target_per_s": TARGET_APPENDS_PER_S,
                            "met": appends["appends_per_s"] >= TARGET_APPENDS_PER_S},
        "verify_100k": {"seconds": round(verify_s, 3), "chain_only_seconds": round(chain_only_s, 3),
                        "target_s": TARGET_VERIFY_S, "met": verify_s < TARGET_VERIFY_S},
        "filtered_list_100k": {
            "filter": "provider + occurred date range, newest first, 100 rows + count",
            "ms": round(filtered_s * 1000, 1), "matching": total, "rows": len(page),
            "target_ms": TARGET_FILTERED_MS, "met": filtered_s * 1000 < TARGET_FILTERED_MS,
        },
        "text_search_100k_ms": round(text_s * 1000, 1),
        "text_search_matching": text_total,
        "decision_filter_page_at_offset_10000_ms": round(deep_s * 1000, 1),
        "build_100k_with_append_many_s": round(build_s, 1),
        "file_size_100k_mb": round(size_mb, 1),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
