"""Hostile (or just huge) pairs of terms texts, made from a seed: what alignment must survive.

Each function returns (old Markdown, new Markdown). The words are drawn from a made-up
vocabulary of moderately common words plus a few a terms page uses, so every changed clause
shares words with many others: the case where pairing removed with added clauses by
similarity has the most candidates to weigh.
"""

from __future__ import annotations

import random

VOCABULARY = tuple(f"term{k}" for k in range(3000)) + tuple(
    "data share partners train models content consent retain advertising personal information".split())


def _sentence(rng: random.Random, low: int = 12, high: int = 30) -> list[str]:
    return [rng.choice(VOCABULARY) for _ in range(rng.randint(low, high))]


def _written(words: list[str]) -> str:
    return " ".join(words).capitalize() + "."


def _changed(words: list[str], rng: random.Random, edits: int = 3) -> list[str]:
    words = list(words)
    for _ in range(edits):
        words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
    return words


def changed_clauses(count: int, seed: int = 1) -> tuple[str, str]:
    """``count`` clauses, every one reworded in a few words: ``count`` changed clauses to pair."""
    rng = random.Random(seed)
    clauses = [_sentence(rng) for _ in range(count)]
    return ("\n\n".join(_written(c) for c in clauses),
            "\n\n".join(_written(_changed(c, rng)) for c in clauses))


def repeated_clauses(count: int, seed: int = 2) -> tuple[str, str]:
    """The same clause ``count`` times, and again with every tenth one reworded: near-duplicates."""
    rng = random.Random(seed)
    line = "We may share your personal data with our partners for advertising and to train our models."
    new = [line if k % 10 else _written(_changed(line.rstrip(".").split(), rng)) for k in range(count)]
    return "\n\n".join([line] * count), "\n\n".join(new)


def huge_clause(size: int, seed: int = 3) -> tuple[str, str]:
    """One paragraph of about ``size`` characters (no paragraph break), reworded in many places."""
    rng = random.Random(seed)
    old: list[str] = []
    new: list[str] = []
    length = 0
    while length < size:
        words = _sentence(rng)
        old.append(_written(words))
        new.append(_written(_changed(words, rng, 1) if rng.random() < 0.2 else words))
        length += len(old[-1]) + 1
    return " ".join(old), " ".join(new)


def big_page(size: int, seed: int = 4) -> tuple[str, str]:
    """A page of about ``size`` characters in numbered sections; a tenth of its clauses reworded,
    some removed, some added."""
    rng = random.Random(seed)
    old: list[str] = []
    new: list[str] = []
    length = 0
    section = 0
    while length < size:
        if len(old) % 40 == 0:
            section += 1
            heading = f"## {section}. " + " ".join(_sentence(rng, 2, 5)).title()
            old.append(heading)
            new.append(heading)
        words = _sentence(rng)
        roll = rng.random()
        old.append(_written(words))
        if roll < 0.1:
            new.append(_written(_changed(words, rng)))
        elif roll < 0.12:
            pass  # removed
        else:
            new.append(_written(words))
        if roll > 0.98:
            new.append(_written(_sentence(rng)))  # added
        length += len(old[-1]) + 2
    return "\n\n".join(old), "\n\n".join(new)
