"""How far two labellers agree on the terms corpus: ``python -m tests.bench.bench_terms_agreement``.

The second, blind labelling in tests/terms/corpus/agreement (its README says how it was made) is
scored against the corpus labels of the same dev pairs exactly as bench_terms_accuracy scores the
classifier: the second labeller's *reportable* labels (a topic, material or minor) play the
classifier's reported changes, and are matched to the corpus's reportable labels with that
benchmark's own functions (``words``, ``matches``: one side overlapping in most of the shorter
wording, content words only). Then the roles are swapped (``"direction": "corpus-vs-second"``):
precision one way is close to recall the other way, but not equal, since one label may match
several.

- precision: second labeller's reportable labels that match a reportable corpus label / all of them
- recall: reportable corpus labels matched by one of the second labeller's / all of them
- per topic t: the same, counting only labels with t on both sides
- matched_with_all_topics: reference labels matched by candidate labels that carry all their topics
- severity: of matched pairs of labels, how many agree on material vs minor
- negatives: pairs both labellings call negative, or only one

This is a ceiling for issue 15's accuracy target: a classifier cannot be expected to agree with the
corpus better than a second careful person does. Only dev pairs are labelled twice. ``--details``
lists the labels each side has that the other lacks, and mismatched topics and severities.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.bench_terms_accuracy import Label, counted, matches, words  # noqa: E402
from tests.terms.corpus.agreement import AGREEMENT_DIR, load_agreement  # noqa: E402
from tests.terms.corpus.corpus import TOPICS, Change  # noqa: E402


@dataclass
class Reported:
    """A reportable label of the labelling that plays the classifier (``matches`` reads old/new)."""

    pair: str
    change: Change
    old: Any
    new: Any
    matches: list[Label] = field(default_factory=list)


def _label(pair: str, change: Change) -> Label:
    return Label(pair, change.kind, change.section, words(change.old), words(change.new), frozenset(change.topics),
                 change.severity, (change.new or change.old)[:160])


def score(labellings: Sequence[tuple[str, Sequence[Change], Sequence[Change]]], details: bool) -> dict[str, Any]:
    """Score ``candidate`` labels against ``reference`` labels, per pair: (pair id, reference, candidate)."""
    labels: list[Label] = []
    reported: list[Reported] = []
    negatives = {"both": 0, "reference_only": 0, "candidate_only": 0}
    for pair, reference, candidate in labellings:
        reportable = [_label(pair, c) for c in reference if c.reportable]
        pair_reported = [Reported(pair, c, words(c.old), words(c.new)) for c in candidate if c.reportable]
        for item in pair_reported:
            item.matches = [label for label in reportable if matches(item, label)]  # type: ignore[arg-type]
            for label in item.matches:
                label.matched = True
                label.matched_topics |= set(item.change.topics) & label.topics
        labels.extend(reportable)
        reported.extend(pair_reported)
        key = {(True, True): "both", (True, False): "reference_only", (False, True): "candidate_only"}.get(
            (not reportable, not pair_reported))
        if key:
            negatives[key] += 1
    result: dict[str, Any] = {"pairs": len(labellings), "reportable_labels": len(labels),
                              "reported_changes": len(reported), **counted(reported, labels, sorted(TOPICS))}
    result["overall"]["matched_with_all_topics"] = sum(1 for label in labels if label.topics <= label.matched_topics)
    result["negative_pairs"] = negatives
    if details:
        result["missed"] = [f"{label.pair} [{label.kind} {label.severity} {sorted(label.topics)}] got "
                            f"{sorted(label.matched_topics)} {label.section}: {label.text}"
                            for label in labels if not label.topics <= label.matched_topics]
        result["unmatched"] = [f"{item.pair} [{item.change.kind} {item.change.severity} {list(item.change.topics)}] "
                               f"{item.change.section}: {(item.change.new or item.change.old)[:160]}"
                               for item in reported if not item.matches]
        result["severity_differs"] = [f"{item.pair} {item.change.severity} vs {label.severity}: {label.text[:100]}"
                                      for item in reported for label in item.matches
                                      if item.change.severity != label.severity]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agreement", type=Path, default=AGREEMENT_DIR, help="folder of labels2.toml files")
    parser.add_argument("--details", action="store_true", help="list the disagreements")
    args = parser.parse_args(argv)
    seconds = load_agreement(args.agreement)
    if not seconds:
        print(json.dumps({"error": f"no labels2.toml under {args.agreement}"}))
        return 0
    second = [(s.pair.id, s.pair.changes, s.changes) for s in seconds]
    reverse = [(pair, candidate, reference) for pair, reference, candidate in second]
    for direction, labellings in (("second-vs-corpus", second), ("corpus-vs-second", reverse)):
        figures = score(labellings, args.details)
        print(json.dumps({"benchmark": "terms-agreement", "split": "dev", "direction": direction, **figures},
                         ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
