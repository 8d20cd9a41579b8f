"""Consent ledger benchmark: ``python -m tests.bench.bench_ledger``.

With Ed25519 signatures and anchoring on, the signing key and the anchor in a real Secret
Service keyring (gnome-keyring on a private D-Bus, started here as the tests do):

* 10,000 records appended one by one, each its own durable transaction (WAL,
  synchronous=FULL), its head synced to the anchor file before the append returns and
  anchored in the keyring in batches: target at least 500 appends per second; plus how long
  ``close()`` takes to anchor the last head in the keyring;
* verify a ledger of 100,000 records (hash chain, signatures digest, the signed head, each
  key's last signature, anchors, SQLite's page check): target under 2 s; and, for the record,
  the same with every signature checked one by one;
* a filtered page (one provider, a date range, newest first, 100 rows, plus the matching
  count) over 100,000 records: target under 200 ms.

The 100,000-record ledger is built with ``append_many`` (one transaction per 5,000 records)
so the set-up does not dominate. Without the desktop programs (``MPG_NO_DESKTOP=1``) the key
and anchor fall back to files, and the output says so. Prints one JSON object.

Durable appends are bound by how fast the disk makes a commit durable, and verify by the CPU
it gets; on a shared machine both vary with what else runs. So the output also gives: bare
SQLite's durable single-row commits per second (WAL, synchronous=FULL: the most any durable
append can reach on that disk), timed in slices between the ledger's own so both meet the
same disk, and the ledger's median share of it; the CPU time per append and per verify beside
the wall times; and the load average.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from guard.ledger import Decision, Ledger, Meeting, RecordDraft, RecordFilter, TermsRef

T = TypeVar("T")
TARGET_APPENDS_PER_S = 500
TARGET_VERIFY_S = 2.0
TARGET_FILTERED_MS = 200.0
PROVIDERS = [f"provider-{i}" for i in range(20)]
START = datetime(2024, 1, 1, tzinfo=UTC)


def draft(i: int, rng: random.Random) -> RecordDraft:
    return RecordDraft(
        provider_id=rng.choice(PROVIDERS), decision=rng.choice(list(Decision)),
        occurred_at=START + timedelta(minutes=7 * i), feature_id="ai-summary",
        meeting=Meeting(title=f"Weekly sync {i}", id_or_link=f"https://meet.example.org/{i}", organiser="Ada"),
        purposes=("meeting summary",), requested_by="host",
        terms=(TermsRef("provider-1", "terms", "ab" * 32, "https://example.org/terms"),),
        note=f"note {i}" if i % 3 == 0 else None,
    )


class SqliteFloor:
    """Bare SQLite's durable single-row commits (WAL, synchronous=FULL) in the same folder:
    the disk's own limit for any durable append there. Timed in slices between the ledger's
    slices, so both see the same disk at the same moments."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
        self.body = os.urandom(900)  # about one ledger record
        self.commits, self.seconds = 0, 0.0

    def run(self, count: int) -> None:
        started = time.perf_counter()
        for _ in range(count):
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("INSERT INTO t (body) VALUES (?)", (self.body,))
            self.conn.execute("COMMIT")
        self.seconds += time.perf_counter() - started
        self.commits += count

    def per_s(self) -> float:
        return self.commits / self.seconds if self.seconds else 0.0


def bench_appends(folder: Path, count: int = 10_000, slices: int = 20) -> dict:
    rng = random.Random(1)
    floor = SqliteFloor(folder / "floor")
    ledger = Ledger.open(folder / "appends" / "ledger.sqlite3")
    ledger.append(draft(0, rng))  # creates the key outside the timing
    elapsed, cpu, ratios, i = 0.0, 0.0, [], 0
    per_slice = count // slices
    for _ in range(slices):
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(per_slice):
            i += 1
            ledger.append(draft(i, rng))
        took = time.perf_counter() - started
        elapsed, cpu = elapsed + took, cpu + time.process_time() - started_cpu
        floor_before = floor.seconds
        floor.run(per_slice // 5)
        ratios.append((per_slice / took) / ((per_slice // 5) / (floor.seconds - floor_before)))
    floor.conn.close()
    closing = time.perf_counter()
    ledger.close()  # waits until the last head is anchored in the keyring
    close_ms = (time.perf_counter() - closing) * 1000
    with Ledger.open(folder / "appends" / "ledger.sqlite3") as again:
        report = again.verify()
        assert report.ok and report.count == i + 1, report.summary()
    return {"records": i, "seconds": round(elapsed, 3), "appends_per_s": round(i / elapsed, 1),
            "cpu_ms_per_append": round(cpu / i * 1000, 3),
            "bare_sqlite_durable_commits_per_s_same_disk_same_moments": round(floor.per_s(), 1),
            "share_of_bare_sqlite_median": round(statistics.median(ratios), 2),
            "close_with_keyring_anchor_ms": round(close_ms, 1), "key": report.key.where(),
            "anchored_in": report.anchored}


def build_large(folder: Path, count: int = 100_000) -> Ledger:
    rng = random.Random(2)
    ledger = Ledger.open(folder / "large" / "ledger.sqlite3")
    for start in range(0, count, 5_000):
        ledger.append_many([draft(i, rng) for i in range(start, start + 5_000)])
    return ledger


def timed(action: Callable[[], T], repeat: int) -> tuple[float, T]:
    wall, result, _ = timed_cpu(action, repeat)
    return wall, result


def timed_cpu(action: Callable[[], T], repeat: int) -> tuple[float, T, float]:
    """Median wall seconds, the last result, median CPU seconds of this process."""
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), result, statistics.median(cpu)


def start_keyring() -> object | None:
    """The tests' private desktop session (D-Bus + gnome-keyring), or None without one."""
    if os.environ.get("MPG_NO_DESKTOP") == "1":
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        return None
    from tests.support.desktop import DesktopSession

    session = DesktopSession.start()
    os.environ.update(session.env)
    import keyring

    keyring.set_password("meeting-privacy-guard", "bench-probe", "ok")  # the keyring answers before timing
    keyring.delete_password("meeting-privacy-guard", "bench-probe")
    return session


def main() -> int:
    session = start_keyring()
    try:
        return run()
    finally:
        if session is not None:
            session.stop()  # type: ignore[attr-defined]


def run() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-ledger-", dir=os.environ.get("MPG_BENCH_DIR")) as tmp:
        folder = Path(tmp)
        load_before = os.getloadavg()
        appends = bench_appends(folder)
        build_started = time.perf_counter()
        ledger = build_large(folder)
        build_s = time.perf_counter() - build_started
        with ledger:
            verify_s, report, verify_cpu_s = timed_cpu(ledger.verify, 3)
            chain_only_s, _, chain_only_cpu_s = timed_cpu(lambda: ledger.verify(check_file=False), 3)
            assert report.ok and report.count == 100_000 and report.records_vouched == 100_000, report.summary()
            each_s, each = timed(lambda: ledger.verify(check_file=False, each_signature=True), 1)
            assert each.ok and each.signatures_checked == 100_000, each.summary()
            provider_range = RecordFilter(provider_id="provider-7", occurred_from=START + timedelta(days=60),
                                          occurred_to=START + timedelta(days=300))
            filtered_s, (total, page) = timed(lambda: (ledger.count(provider_range), ledger.page(provider_range)), 5)
            text = RecordFilter(text="sync 4242")
            text_s, (text_total, _) = timed(lambda: (ledger.count(text), ledger.page(text)), 5)
            deep = RecordFilter(decision="refused")
            deep_s, _ = timed(lambda: (ledger.count(deep), ledger.page(deep, offset=10_000)), 5)
        size_mb = (folder / "large" / "ledger.sqlite3").stat().st_size / 1e6
    figures = {
        "benchmark": "ledger",
        "python": sys.version.split()[0],
        "load_average_1min": {"start": round(load_before[0], 2), "end": round(os.getloadavg()[0], 2),
                              "cpus": os.cpu_count()},
        "durable_appends": {**appends, "target_per_s": TARGET_APPENDS_PER_S,
                            "met": appends["appends_per_s"] >= TARGET_APPENDS_PER_S},
        "verify_100k": {"seconds": round(verify_s, 3), "cpu_seconds": round(verify_cpu_s, 3),
                        "without_page_check_seconds": round(chain_only_s, 3),
                        "without_page_check_cpu_seconds": round(chain_only_cpu_s, 3),
                        "signatures_checked_one_by_one": report.signatures_checked,
                        "records_vouched_by_the_signed_head": report.records_vouched,
                        "target_s": TARGET_VERIFY_S, "met": verify_s < TARGET_VERIFY_S},
        "verify_100k_each_signature_seconds": round(each_s, 3),
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
