"""Leave-one-provider-out cross-validation of the topic-model experiment: ``python -m tests.bench.bench_terms_cv``.

For each provider of the corpus's dev pairs, the topic model of ``tests/terms/train_topic_model.py``
is trained on the dev pairs of every other provider, and the provider's own pairs are scored as
``bench_terms_accuracy`` scores them, with the rules alone and with the rules combined with that
model; the counts are summed over providers. The rules were written from all of dev, so "rules"
is their dev figure; "rules+model" is the combination on pairs of a provider the model never saw.
The held-out pairs are never read. With ``OPP115_DIR`` (or ``--opp115``) set, the model trained on
every dev pair is also scored on the OPP-115 check half (odd policy ids), rules alone and combined.

Prints one JSON line per setting (``rules``, ``rules+model`` at the trainer's thresholds, and with
``--grid`` each (add, drop) pair tried), then the OPP-115 lines. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.terms.classify import WATCHED_TOPICS, load_rules  # noqa: E402
from tests.bench import bench_terms_topics_opp115 as opp115  # noqa: E402
from tests.bench.bench_terms_accuracy import score  # noqa: E402
from tests.terms.train_topic_model import (  # noqa: E402
    ADD,
    DROP,
    TopicModel,
    combined_with,
    dev_pairs,
    examples,
    fit,
    model_of,
)

GRID_ADD = (0.5, 0.6, 0.7, 0.8, 0.9)
GRID_DROP = (0.0, 0.01, 0.03, 0.1)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _provider(pair: Any) -> str:
    return str(pair.id).split("/", 1)[0]


def cross_validate(pairs: list[Any], models: dict[str, TopicModel] | None) -> dict[str, Any]:
    """Counts summed over providers, and their ratios (``models``: per provider, trained without it)."""
    if models is None:
        return summed_over_providers(pairs, lambda provider: nullcontext())
    return summed_over_providers(pairs, lambda provider: combined_with(models[provider]))


def summed_over_providers(pairs: list[Any], context: Callable[[str], AbstractContextManager[Any]]) -> dict[str, Any]:
    """Counts summed over providers, and their ratios (``context(provider)``: the block each
    provider's pairs are scored in, e.g. with a model trained without that provider)."""
    totals: Counter[str] = Counter()
    topics: dict[str, Counter[str]] = {topic: Counter() for topic in WATCHED_TOPICS}
    for provider in sorted({_provider(pair) for pair in pairs}):
        chosen = [pair for pair in pairs if _provider(pair) == provider]
        with context(provider):
            figures = score(chosen, False)
        overall = figures["overall"]
        totals.update({"reported": figures["reported_changes"], "labels": figures["reportable_labels"],
                       "true_positives": overall["true_positives"],
                       "found": figures["reportable_labels"] - overall["missed"], **figures["severity_counts"]})
        for topic, entry in figures["per_topic"].items():
            topics[topic].update({key: entry[key] for key in ("reported", "labels", "right", "found")})
    return {"pairs": len(pairs), "reported_changes": totals["reported"], "reportable_labels": totals["labels"],
            "overall": {"precision": _ratio(totals["true_positives"], totals["reported"]),
                        "recall": _ratio(totals["found"], totals["labels"])},
            "per_topic": {topic: {"precision": _ratio(c["right"], c["reported"]),
                                  "recall": _ratio(c["found"], c["labels"]), "reported": c["reported"],
                                  "labels": c["labels"]} for topic, c in topics.items()},
            "severity_agreement": _ratio(totals["agree"], totals["matched_pairs"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grid", action="store_true", help="also try each (add, drop) threshold pair")
    parser.add_argument("--opp115", type=Path, default=Path(os.environ["OPP115_DIR"]) if os.environ.get("OPP115_DIR")
                        else None, help="the OPP-115 folder (default: $OPP115_DIR)")
    args = parser.parse_args(argv)
    pairs = dev_pairs()
    every = examples(pairs, load_rules())
    providers = sorted({_provider(pair) for pair in pairs})
    trained = {p: model_of(fit([e for e in every if e.provider != p])) for p in providers}
    head = {"benchmark": "terms-cv", "split": "dev, leave one provider out", "folds": len(providers)}
    print(json.dumps({**head, "setting": "rules", **cross_validate(pairs, None)}), flush=True)
    print(json.dumps({**head, "setting": "rules+model", "add": ADD, "drop": DROP,
                      **cross_validate(pairs, trained)}), flush=True)
    if args.grid:
        for add in GRID_ADD:
            for drop in GRID_DROP:
                models = {p: model.with_thresholds(add, drop) for p, model in trained.items()}
                print(json.dumps({**head, "setting": "grid", "add": add, "drop": drop,
                                  **cross_validate(pairs, models)}), flush=True)
    folder: Path | None = args.opp115
    if folder is not None and (folder / opp115.CONSOLIDATED).is_dir():
        model = model_of(fit(every))
        check = [s for s in opp115.load(folder) if not opp115.is_dev(s.policy)]
        head = {"benchmark": "terms-cv-opp115", "split": "check", "trained_on": "all dev pairs"}
        print(json.dumps({**head, "setting": "rules", **opp115.score(check, 0)}), flush=True)
        for add in sorted({ADD, 0.7}):
            with combined_with(model.with_thresholds(add, DROP)):
                print(json.dumps({**head, "setting": "rules+model", "add": add, "drop": DROP,
                                  **opp115.score(check, 0)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
