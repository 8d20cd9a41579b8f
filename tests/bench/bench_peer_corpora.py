"""Meeting-link detection on the peer corpora: ``python -m tests.bench.bench_peer_corpora --split dev [--batch N]``.

Prints one JSON object: true and false positives (per provider a text names) and misses, precision and
recall, and how many reported links were not the meeting's own (the id or room read wrong); without
``--batch``, each batch's figures as well (``by_batch``). ``--split heldout`` prints the figures only,
never which texts failed, so that nobody tunes to them (tests/catalog/peer_corpora.py has the split).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASURED = ROOT / "tests" / "catalog" / "peers" / "measured.toml"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.catalog import load_catalog  # noqa: E402
from guard.detect.matching import DetectionRules  # noqa: E402
from tests.catalog.peer_corpora import batches, score  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--batch", type=int, help="only the sources of this batch (corpora.toml's [sources] batch)")
    args = parser.parse_args(argv)
    rules = DetectionRules.from_catalog(load_catalog(), "linux")
    result = score(rules, args.split, args.batch)
    out = {"split": args.split, "batch": args.batch, **result.figures()}
    if args.batch is None:  # each batch's figures too: a batch was measured on its own before its fixes
        out["by_batch"] = {str(batch): score(rules, args.split, batch).figures() for batch in batches()}
    if args.split == "heldout":  # as measured when each batch was written and after its fixes (measured.toml)
        recorded = tomllib.loads(MEASURED.read_text(encoding="utf-8"))["batches"]
        out["recorded"] = [entry for entry in recorded if args.batch in (None, entry["batch"])]
    if args.split == "dev":
        out["failures"] = result.failures
    print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
