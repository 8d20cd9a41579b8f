"""Web meeting apps' pages (link, title, lobby screen) through detection:
``python -m tests.bench.bench_page_states --split dev``.

Prints one JSON object for the split of tests/detect/real_pages_web.toml: how many pages detection reads
right (a meeting in progress found, a lobby or an open app left alone), and, for ``dev`` only, which it
reads wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.catalog import load_catalog  # noqa: E402
from guard.detect.matching import DetectionRules  # noqa: E402
from tests.detect.page_states import cases, figures, outcome, right  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    rules = DetectionRules.from_catalog(catalog, "linux")
    out: dict[str, object] = {"split": args.split, **figures(rules, catalog, args.split)}
    if args.split == "dev":
        out["wrong"] = [{"url": case["url"], "state": case["state"], "browser": case["browser"],
                         "said": outcome(rules, catalog, case)[0]}
                        for case in cases() if case["split"] == "dev" and not right(rules, catalog, case)]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
