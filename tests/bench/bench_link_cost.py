"""What the catalog's link patterns cost: ``python -m tests.bench.bench_link_cost``.

Prints one JSON object (tests/catalog/pattern_costs.py): all patterns' RE2 program size, the link
patterns' part and each provider's share of it, and what one link costs behind the host prefilter
(the ungated patterns and those of its own host): the measure the shipped budget holds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.catalog import load_catalog  # noqa: E402
from tests.catalog.pattern_costs import costs  # noqa: E402


def main() -> int:
    print(json.dumps(costs(load_catalog()), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
