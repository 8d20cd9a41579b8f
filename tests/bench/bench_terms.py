"""Terms watcher benchmark: extract and diff two ~100 kB terms pages; classify 1,000 clauses.

The pages are the real Zoom Terms of Service of 11 August 2023 (tests/terms/fixtures), once
as plain HTML and once restyled with its Section 10 replaced by the 7 August 2023 wording, so
the pair differs in markup and in the clauses that matter. Run::

    python -m tests.bench.bench_terms
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.terms.analysis import analyse  # noqa: E402
from guard.terms.classify import classify_text, load_rules  # noqa: E402
from guard.terms.diff import split_clauses  # noqa: E402
from guard.terms.extract import extract  # noqa: E402
from tests.terms.support.pages import fixture_text, plain_page, restyled_page  # noqa: E402

TARGET_PAIR_MS = 200.0
SELECT = ("main", "article", "body")
ROUNDS = 25


def pages() -> tuple[str, str]:
    august_11 = fixture_text("zoom/tos-2023-08-11.ota.md")
    section_10 = fixture_text("zoom/tos-2023-08-11-section10.ota.md").rstrip("\n")
    august_07_s10 = fixture_text("zoom/tos-2023-08-07-section10.quoted.md")
    changed = august_11.replace(section_10, "**10\\. DATA USAGE**\n\n" + august_07_s10)
    return plain_page(august_11), restyled_page(changed)


def pair(old_html: str, new_html: str) -> tuple[float, float, int]:
    start = time.perf_counter()
    old = extract(old_html, SELECT).markdown
    new = extract(new_html, SELECT).markdown
    extracted = time.perf_counter()
    changes = analyse(old, new)
    done = time.perf_counter()
    return (extracted - start) * 1000, (done - extracted) * 1000, sum(1 for c in changes if c.relevant)


def rss_mb() -> float | None:
    """This process's resident memory now (Linux), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration, ValueError):
        return None


LOAD_RULES = """
import json, time
from tests.bench.bench_terms import rss_mb
from guard.terms.rules import load_rules
before = rss_mb()
start = time.perf_counter()
load_rules()
print(json.dumps([(time.perf_counter() - start) * 1000, before, rss_mb()]))
"""


def rules_cost() -> tuple[float, float | None]:
    """What loading the rules costs a fresh process (ms, MB of RSS): run apart, so the cold pair
    below still includes it, as it does for the app's first comparison."""
    out = subprocess.run([sys.executable, "-c", LOAD_RULES], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    ms, before, after = json.loads(out.stdout)
    return ms, None if before is None or after is None else after - before


def main() -> None:
    load_rules_ms, load_rules_rss = rules_cost()
    old_html, new_html = pages()
    cold_extract, cold_diff, relevant = pair(old_html, new_html)
    extract_ms, diff_ms = [], []
    for _ in range(ROUNDS):
        e, d, _ = pair(old_html, new_html)
        extract_ms.append(e)
        diff_ms.append(d)
    totals = sorted(e + d for e, d in zip(extract_ms, diff_ms, strict=True))

    rules = load_rules()
    texts = [c.text for name in ("zoom/tos-2020-08-20.ota.md", "zoom/tos-2023-08-11.ota.md",
                                 "zoom/privacy-2022-12-30.ota.md")
             for c in split_clauses(extract(plain_page(fixture_text(name)), SELECT).markdown)]
    clauses = (texts * (1000 // len(texts) + 1))[:1000]
    start = time.perf_counter()
    tagged = sum(1 for text in clauses if classify_text(text, rules))
    classify_ms = (time.perf_counter() - start) * 1000

    after = rss_mb()
    median = statistics.median(totals)
    result = {
        "benchmark": "terms",
        "page_bytes": [len(old_html.encode()), len(new_html.encode())],
        "rounds": ROUNDS,
        "pair_ms_median": round(median, 1),
        "pair_ms_p95": round(totals[int(0.95 * (len(totals) - 1))], 1),
        "pair_ms_cold": round(cold_extract + cold_diff, 1),
        "extract_two_pages_ms_median": round(statistics.median(extract_ms), 1),
        "diff_classify_summarise_ms_median": round(statistics.median(diff_ms), 1),
        "relevant_changes_found": relevant,
        "classify_1000_clauses_ms": round(classify_ms, 1),
        "classify_clauses_with_a_topic": tagged,
        "load_rules_ms": round(load_rules_ms, 1),
        "load_rules_rss_mb": None if load_rules_rss is None else round(load_rules_rss, 1),
        # the process after all the work above (RE2's caches grow as sentences are matched)
        "rss_mb": None if after is None else round(after, 1),
        "prefiltered_rules": sum(1 for rule in rules.topics if rule.matcher.prefiltered),
        "targets": {"pair_ms": TARGET_PAIR_MS},
        "met": {"pair_ms": median < TARGET_PAIR_MS},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
