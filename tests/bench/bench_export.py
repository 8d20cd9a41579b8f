"""Export benchmark: ``python -m tests.bench.bench_export``.

Exports a ledger of 100,000 records to every format with ``export_history`` (the call the
command line and the settings window make), end to end: the ledger check (JSON, HTML,
PDF), reading, mapping and writing the file. Targets: JSON and CSV under 3 s, HTML under
5 s, PDF under 30 s with a progress callback. Receipts (100,000 files, zipped) have no
target and are reported. The records use the shipped catalog's providers and features, and
one in ten has a withdrawal or correction. The key lives in the key file (keyring ``fail``
backend). Prints one JSON object, with each export's wall and CPU seconds, the machine's
load average, and the ledger's own ``verify()`` of the same ledger as a speed reference
(the JSON, HTML and PDF figures include one such check).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, UTC
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from guard.catalog import load_catalog  # noqa: E402
from guard.export import export_history  # noqa: E402
from guard.ledger import Decision, Ledger, Meeting, RecordDraft, TermsRef  # noqa: E402

RECORDS = 100_000
TARGETS_S = {"json": 3.0, "csv": 3.0, "html": 5.0, "pdf": 30.0, "receipts": None}
START = datetime(2024, 1, 1, tzinfo=UTC)
TITLES = ["Weekly sync", "Board meeting", "1:1 with Ada", "Kundengespräch", "Réunion d'équipe", "週次ミーティング"]


def drafts(catalog, rng: random.Random, start: int, count: int) -> list[RecordDraft]:
    providers = [p for p in catalog if p.ai_features]
    out = []
    for i in range(start, start + count):
        provider = rng.choice(providers)
        feature = rng.choice(provider.ai_features)
        document = provider.documents[0] if provider.documents else None
        terms = (TermsRef(provider.id, document.id, f"{i:064x}"[-64:], str(document.url)),) if document else ()
        out.append(RecordDraft(
            provider.id, rng.choice(list(Decision)), occurred_at=START + timedelta(minutes=7 * i),
            feature_id=feature.id, meeting=Meeting(f"{rng.choice(TITLES)} {i}", f"https://meet.example.org/{i}",
                                                   "Ada Lovelace"),
            purposes=("meeting summary", "action items")[: 1 + i % 2], requested_by="host", terms=terms,
            note=f"note {i}" if i % 5 == 0 else None,
            language=("en", "de", "fr", None)[i % 4],  # the form's language; a quarter made without one
        ))
    return out


def build(path: Path, catalog) -> Ledger:
    rng = random.Random(6)
    ledger = Ledger.open(path)
    for start in range(0, RECORDS, 5_000):
        records = ledger.append_many(drafts(catalog, rng, start, 5_000 - 500))
        # one in ten refers to an earlier record: a withdrawal or a correction
        ledger.append_many([RecordDraft(r.provider_id, "withdrawn" if j % 2 else "given", refers_to=r.id,
                                        occurred_at=r.occurred_at + timedelta(days=1))
                            for j, r in enumerate(records[:500])])
    return ledger


def main() -> int:
    catalog = load_catalog()
    figures: dict = {"benchmark": "export", "python": sys.version.split()[0], "records": RECORDS}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        ledger = build(folder / "ledger.sqlite3", catalog)
        figures["build_s"] = round(time.perf_counter() - started, 1)
        with ledger:
            assert ledger.count() == RECORDS
            verify_started = time.perf_counter()
            assert ledger.verify().ok
            figures["verify_reference_s"] = round(time.perf_counter() - verify_started, 2)
            for fmt, target in TARGETS_S.items():
                dest = folder / ("receipts.zip" if fmt == "receipts" else f"history.{fmt}")
                calls: list[tuple[int, int]] = []
                cpu = time.process_time()
                result = export_history(ledger, catalog, fmt, dest, jurisdiction="EU",
                                        progress=lambda d, t, calls=calls: calls.append((d, t)))
                cpu = time.process_time() - cpu
                assert result.records == RECORDS, (fmt, result.records)
                entry = {"seconds": round(result.seconds, 2), "cpu_seconds": round(cpu, 2),
                         "mb": round(result.bytes / 1e6, 1), "progress_calls": len(calls),
                         "last_progress": list(calls[-1]) if calls else None}
                if target is not None:
                    entry.update(target_s=target, met=result.seconds < target)
                figures[fmt] = entry
            pdf = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(folder / "history.pdf"), "-"],
                                 capture_output=True, text=True)
            figures["pdf"]["page_2_has_records"] = pdf.returncode == 0 and "#" in pdf.stdout and "UTC" in pdf.stdout
    figures["all_targets_met"] = all(figures[f].get("met", True) for f in TARGETS_S)
    figures["load_average_1m"] = round(os.getloadavg()[0], 2)
    figures["cpus"] = os.cpu_count()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
