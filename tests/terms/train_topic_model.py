"""A learned topic model beside the hand rules, as a measured experiment (not shipped).

``python -m tests.terms.train_topic_model [--out FILE]`` trains the model on every dev pair and
prints its size (``--out`` writes its weights as JSON, one feature a line);
``python -m tests.bench.bench_terms_cv`` cross-validates it. The experiment (brief "tmodel", issue
15, 2026-12-01) asked whether a small linear model learning topic words from the labelled dev
corpus, combined with the rules, decides topics better on text it was not trained on. Measured by
leave-one-provider-out cross-validation on dev and on the OPP-115 check half, it did not (every
threshold traded precision for recall; resources/terms/README.md has the figures), so the app
does not ship it and ``guard/`` does not import this module.

Training data: every labelled change of the corpus's dev pairs (``heldout = false``; held-out
pairs are dropped as the loader returns them, their labels never read), each distinct sentence of
its old and new wording (markdown links reduced to their text, product names masked as the
classifier masks them) with the change's topics; a change labelled with no topic is a negative
for every topic. The texts are Open Terms Archive and ToS;DR versions (ODC-By 1.0, attribution
in tests/terms/corpus/README.md); the labels are the corpus's. OPP-115 is never used for training
(its licence is research only): it is the independent check.

Model: one-vs-rest logistic regression over case-folded word unigrams and bigrams (numbers
dropped) seen in at least ``MIN_COUNT`` training sentences, fitted by stochastic gradient descent
with L2 regularisation, examples shuffled with a fixed seed (the same weights every run).
Combination (:func:`combined_with`): the rules' topics of a sentence, plus a topic the model gives
at least ``add``, minus a topic the sentence's own patterns gave that the model gives at most
``drop``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import guard.terms.classify as classify_module  # noqa: E402
from guard.catalog.models import ClauseTopic  # noqa: E402
from guard.terms.diff import sentences  # noqa: E402
from guard.terms.rules import Rules, load_rules  # noqa: E402
from guard.terms.scope import mask  # noqa: E402

TOPICS = tuple(topic.value for topic in ClauseTopic if topic is not ClauseTopic.OTHER)
SEED = 20261201
EPOCHS = 12
RATE = 0.2
L2 = 1e-4
MIN_COUNT = 2
PRUNE = 0.05
DIGITS = 3
ADD = 0.9  # the best precision of the thresholds tried (bench_terms_cv --grid); still below the rules'
DROP = 0.0  # dropping rule topics lowered both precision and recall at every threshold tried
MAX_CHARS = 4000
_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_WORD = re.compile(r"\w+")  # one character class: linear in the text


def features(text: str) -> list[str]:
    """Case-folded words and adjacent word pairs of a (masked) sentence, numbers dropped, each once."""
    words = [word for word in _WORD.findall(text[:MAX_CHARS].casefold()) if not word.isdigit()]
    found = dict.fromkeys(words)
    found.update(dict.fromkeys(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)))
    return list(found)


@dataclass(frozen=True, eq=False)
class TopicModel:
    """Weights per feature (one per topic, in ``TOPICS`` order), biases and the combination thresholds."""

    biases: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    add: float = ADD
    drop: float = DROP

    def probabilities(self, text: str) -> dict[str, float]:
        scores = list(self.biases)
        for feature in features(text):
            for index, weight in enumerate(self.weights.get(feature, ())):
                scores[index] += weight
        return {topic: _sigmoid(score) for topic, score in zip(TOPICS, scores, strict=True)}

    def with_thresholds(self, add: float, drop: float) -> TopicModel:
        return TopicModel(self.biases, self.weights, add, drop)


@contextmanager
def combined_with(model: TopicModel) -> Iterator[None]:
    """Within the block, the classifier's per-sentence topics are the rules' combined with ``model``."""
    rules_alone = classify_module.sentence_topics

    def combined(sentence: str, rules: Rules, lead: str | None = None, heading: str | None = None) -> tuple[str, ...]:
        found = rules_alone(sentence, rules, lead, heading)
        own = set(rules_alone(sentence, rules)) if model.drop > 0 else set()
        probability = model.probabilities(mask(sentence, rules))
        kept = {t for t in found if t not in own or probability.get(t, 1.0) > model.drop}
        kept |= {t for t, p in probability.items() if p >= model.add}
        return tuple(t for t in rules.order if t in kept)

    classify_module.sentence_topics = combined
    try:
        yield
    finally:
        classify_module.sentence_topics = rules_alone


@dataclass(frozen=True)
class Example:
    provider: str
    features: tuple[str, ...]
    topics: frozenset[str]


def dev_pairs(corpus: Path | None = None) -> list[Any]:
    """The corpus's dev pairs (held-out ones are filtered out as the loader returns them)."""
    from tests.terms.corpus.corpus import load_corpus

    pairs = load_corpus(corpus / "pairs") if corpus else load_corpus()
    return sorted((pair for pair in pairs if not pair.heldout), key=lambda pair: pair.id)


def labelled_sentences(pairs: Iterable[Any], rules: Rules) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(provider, masked sentence, topics) for each distinct sentence of each labelled change's wordings."""
    for pair in pairs:
        provider = pair.id.split("/", 1)[0]
        for change in pair.changes:
            topics = frozenset(change.topics) & frozenset(TOPICS)
            seen: set[str] = set()
            for side in (change.old, change.new):
                for sentence in sentences(_LINK.sub(r"\1", side or "")):
                    if sentence not in seen:
                        seen.add(sentence)
                        yield provider, mask(sentence, rules), topics


def examples(pairs: Iterable[Any], rules: Rules) -> list[Example]:
    """One example per distinct sentence of each labelled change's wordings."""
    found: list[Example] = []
    for provider, text, topics in labelled_sentences(pairs, rules):
        words = features(text)
        if words:
            found.append(Example(provider, tuple(words), topics))
    return found


def fit(train: Sequence[Example], *, add: float = ADD, drop: float = DROP, source: str = "") -> dict[str, Any]:
    """The model file's data, trained on ``train``."""
    counts = Counter(feature for example in train for feature in example.features)
    vocabulary = sorted(feature for feature, count in counts.items() if count >= MIN_COUNT)
    index = {feature: position for position, feature in enumerate(vocabulary)}
    rows = [[index[f] for f in example.features if f in index] for example in train]
    targets = [[1.0 if topic in example.topics else 0.0 for topic in TOPICS] for example in train]
    weights = [[0.0] * len(TOPICS) for _ in vocabulary]
    biases = [0.0] * len(TOPICS)
    order = list(range(len(train)))
    rng = random.Random(SEED)
    step = 0
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1.0 + epoch)
        for position in order:
            step += 1
            row, target = rows[position], targets[position]
            scores = list(biases)
            for feature in row:
                for k, w in enumerate(weights[feature]):
                    scores[k] += w
            gradients = [_sigmoid(score) - y for score, y in zip(scores, target, strict=True)]
            for k, g in enumerate(gradients):
                biases[k] -= rate * g
            for feature in row:
                ws = weights[feature]
                for k, g in enumerate(gradients):
                    ws[k] -= rate * (g + L2 * ws[k])
    kept = {feature: [round(w, DIGITS) for w in weights[position]] for feature, position in index.items()
            if max(abs(w) for w in weights[position]) >= PRUNE}
    return {"format": 1, "about": ("Terms topic model (experiment, not shipped): one-vs-rest logistic regression "
                                   "over word unigrams and bigrams, trained by tests/terms/train_topic_model.py on "
                                   "the dev labels of tests/terms/corpus (Open Terms Archive / ToS;DR texts, "
                                   "ODC-By 1.0); see resources/terms/README.md."),
            "trained_on": source, "examples": len(train), "topics": list(TOPICS),
            "thresholds": {"add": add, "drop": drop}, "biases": [round(b, DIGITS) for b in biases],
            "weights": kept}


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def model_of(data: dict[str, Any]) -> TopicModel:
    """The model from :func:`fit`'s data."""
    return TopicModel(tuple(data["biases"]), {f: tuple(row) for f, row in data["weights"].items()},
                      data["thresholds"]["add"], data["thresholds"]["drop"])


def dumps(data: dict[str, Any]) -> str:
    """The file's text: one feature a line, sorted, so a retrained file diffs readably."""
    head = {key: value for key, value in data.items() if key != "weights"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "weights": {']
    items = sorted(data["weights"].items())
    lines += [f"{json.dumps(feature, ensure_ascii=False)}: {json.dumps(row)}{',' if n < len(items) - 1 else ''}"
              for n, (feature, row) in enumerate(items)]
    lines.append("}}")
    return "\n".join(lines) + "\n"


def build(corpus: Path | None = None) -> dict[str, Any]:
    """The model's data, trained on every dev pair."""
    pairs = dev_pairs(corpus)
    return fit(examples(pairs, load_rules()), source=f"{len(pairs)} dev pairs of tests/terms/corpus")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="write the weights here as JSON")
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args(argv)
    data = build(args.corpus)
    text = dumps(data)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(json.dumps({"written": str(args.out) if args.out else None, "json_bytes": len(text.encode()),
                      "features": len(data["weights"]), "examples": data["examples"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
