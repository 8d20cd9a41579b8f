"""Web meeting apps' own page titles through detection: ``python -m tests.bench.bench_title_states --split dev``.

Prints one JSON object for the split of tests/detect/real_titles_web.toml: how many titles detection
reads right (a meeting in progress found, a lobby or an open app left alone), and, for ``dev`` only,
which titles it reads wrong.
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
from tests.detect.title_states import cases, figures, outcome, right  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    args = parser.parse_args(argv)
    rules = DetectionRules.from_catalog(load_catalog(), "linux")
    out: dict[str, object] = {"split": args.split, **figures(rules, args.split)}
    if args.split == "dev":
        out["wrong"] = [{"title": case["title"], "state": case["state"], "said": outcome(rules, case)[0]}
                        for case in cases() if case["split"] == "dev" and not right(rules, case)]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
