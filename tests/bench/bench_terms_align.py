"""Alignment on hostile or huge terms pages: time against the number of changed clauses.

Pairs from tests/terms/support/hostile_pages.py (made from a seed, no network): every clause
reworded (100 to 20,000 changed clauses), the same clause repeated 20,000 times with every tenth
one reworded, a 5 MB page of numbered sections with a tenth of its clauses reworded, and one
5 MB paragraph reworded in places. For each: the clause alignment alone (``diff_markdown``) and
the whole reading the app does (``analyse``: alignment, classification, summaries), in seconds,
with how many changes came out and whether alignment said it was too many to pair. Run::

    python -m tests.bench.bench_terms_align [--quick]

``--quick`` stops at 5,000 changed clauses and 1 MB. Nothing here asserts: the figures are for
people to read (tests/terms/test_align_hostile.py checks that the hostile pair finishes and says
what it did).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.terms.align import MAX_PAIRED  # noqa: E402
from guard.terms.analysis import analyse  # noqa: E402
from guard.terms.diff import diff_markdown  # noqa: E402
from guard.terms.rules import load_rules  # noqa: E402
from tests.terms.support.hostile_pages import big_page, changed_clauses, huge_clause, repeated_clauses  # noqa: E402

MB = 1024 * 1024


def measure(name: str, size: int, make: Callable[[int], tuple[str, str]], whole: bool) -> dict[str, object]:
    old, new = make(size)
    start = time.perf_counter()
    diffs = diff_markdown(old, new)
    aligned = time.perf_counter() - start
    row: dict[str, object] = {"case": name, "size": size, "old_chars": len(old), "new_chars": len(new),
                              "clause_changes": len(diffs), "unpaired": sum(1 for d in diffs if d.unpaired),
                              "align_s": round(aligned, 2)}
    if whole:
        rules = load_rules()
        start = time.perf_counter()
        changes = analyse(old, new, rules)
        row["analyse_s"] = round(time.perf_counter() - start, 2)
        row["relevant"] = sum(1 for c in changes if c.relevant)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="stop at 5,000 changed clauses and 1 MB")
    args = parser.parse_args()
    counts = (100, 1000, 2000, 5000) if args.quick else (100, 1000, 2000, 5000, 10_000, 20_000)
    size = MB if args.quick else 5 * MB
    rows = [measure("changed-clauses", count, changed_clauses, True) for count in counts]
    rows.append(measure("repeated-clause", counts[-1], repeated_clauses, True))
    rows.append(measure("page", size, big_page, True))
    rows.append(measure("one-paragraph", size, huge_clause, True))
    print(json.dumps({"benchmark": "terms-align", "max_paired": MAX_PAIRED, "rows": rows}))


if __name__ == "__main__":
    main()
