"""verify-export memory benchmark: ``python -m tests.bench.bench_verify_export``.

Builds a ledger of 100,000 records (as tests/bench/bench_export.py does), exports it as JSON and
checks the file with ``meeting-guard verify-export --json`` in a process of its own, whose peak
resident memory (``ru_maxrss`` of the child) is set against the file's size: the check reads the
whole file and parses it whole, so the ratio says how large an export a machine can check. Prints
one JSON object (file size, peak memory, their ratio, wall seconds, whether the check passed).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from guard.catalog import load_catalog  # noqa: E402
from guard.export import export_history  # noqa: E402
from tests.bench.bench_export import RECORDS, build  # noqa: E402


def main() -> int:
    catalog = load_catalog()
    figures: dict = {"benchmark": "verify-export-memory", "python": sys.version.split()[0], "records": RECORDS}
    with tempfile.TemporaryDirectory(prefix="bench-verify-export-") as tmp:
        folder = Path(tmp)
        with build(folder / "ledger.sqlite3", catalog) as ledger:
            export_history(ledger, catalog, "json", folder / "history.json", jurisdiction="EU")
        size = (folder / "history.json").stat().st_size
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        command = [sys.executable, "-m", "guard", "verify-export", "--json", str(folder / "history.json")]
        result = subprocess.run(command, capture_output=True, text=True,
                                env=dict(os.environ, MEETING_GUARD_HOME=str(folder)))
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        report = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
        figures.update(
            file_mb=round(size / 1e6, 1), peak_rss_mb=round(peak_kb / 1024, 1),
            peak_over_file=round(peak_kb * 1024 / size, 2), seconds=round(seconds, 1),
            exit_code=result.returncode, intact=report.get("ok"),
            note="ru_maxrss of the verify-export process" if peak_kb > before else "peak not above an earlier child's")
    figures["load_average_1m"] = round(os.getloadavg()[0], 2)
    figures["cpus"] = os.cpu_count()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
