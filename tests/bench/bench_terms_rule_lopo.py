"""Which providers a rule change helps or hurts, apart from the one it was read from.

``python -m tests.bench.bench_terms_rule_lopo BEFORE.json AFTER.json --source PROVIDER [PROVIDER ...]``

BEFORE and AFTER are the outputs of ``python -m tests.bench.bench_terms_accuracy --split dev --details``
with the rules before and after one change. A rule change is general when it helps providers other
than the one whose text it was written from (the leave-one-provider-out question for rules, which
are not trained): this counts, per provider, the errors of each run and prints one JSON line with
the providers that gain and lose, the source providers left out of the verdict.

Errors per provider: a missed label (no reported change matched it) or a false positive counts 1;
each topic a matched label lacks, or a matched change reports beyond its label, counts 1. Only dev
pairs are ever in the inputs (``--split dev``). Nothing here asserts.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

_MISSED = re.compile(r"^(?:\([\w-]+\) )?(\S+) \[\S+ \S+ (\[[^\]]*\])\] got (\[[^\]]*\])")
_FALSE = re.compile(r"^(?:\([\w-]+\) )?(\S+) \[")
_EXTRA = re.compile(r"^(\S+) (\[[^\]]*\])")


def _provider(pair_id: str) -> str:
    return pair_id.split("/", 1)[0]


def errors_by_provider(details: dict[str, Any]) -> Counter[str]:
    """Error counts per provider from one ``--details`` run (see the module docstring)."""
    errors: Counter[str] = Counter()
    for line in details.get("missed", []):
        found = _MISSED.match(line)
        if not found:
            continue
        labelled = set(ast.literal_eval(found.group(2)))
        got = set(ast.literal_eval(found.group(3)))
        errors[_provider(found.group(1))] += 1 if not got else len(labelled - got)
    for line in details.get("false_positives", []):
        found = _FALSE.match(line)
        if found:
            errors[_provider(found.group(1))] += 1
    for line in details.get("extra_topics", []):
        found = _EXTRA.match(line)
        if found:
            errors[_provider(found.group(1))] += len(ast.literal_eval(found.group(2)))
    return errors


def compare(before: dict[str, Any], after: dict[str, Any], sources: set[str]) -> dict[str, Any]:
    """Per-provider gains and losses, the source providers apart."""
    old, new = errors_by_provider(before), errors_by_provider(after)
    delta = {provider: new[provider] - old[provider] for provider in set(old) | set(new)}
    others = {provider: change for provider, change in delta.items() if provider not in sources and change}
    return {
        "overall_before": before.get("overall"), "overall_after": after.get("overall"),
        "sources": {provider: delta.get(provider, 0) for provider in sorted(sources)},
        "others_gaining": sorted(provider for provider, change in others.items() if change < 0),
        "others_losing": sorted(provider for provider, change in others.items() if change > 0),
        "others_net_errors": sum(others.values()),
        "others": dict(sorted(others.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--source", nargs="*", default=[], help="providers the change was read from")
    args = parser.parse_args()
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    print(json.dumps(compare(before, after, set(args.source))))


if __name__ == "__main__":
    main()
