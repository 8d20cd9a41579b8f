"""A rule's Matcher answers exactly as its patterns would alone, whichever way it runs them
(``search``, ``finditer``, and ``test``: the yes/no the classifier mostly asks).

Large rules are matched through RE2's prefilter (only the patterns whose required words are in
the sentence run), small ones as one joined expression; a wrong prefilter, a wrong tie-break or
a wrong offset would silently change which sentences get which topic, so both ways are checked
against a reference built from each pattern alone, on the shipped rules, on real terms sentences
and on hostile text (100 kB sentences, NULs, lone surrogates, characters that fold to ASCII).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import Any

import pytest
import re2

from guard.terms import matcher as matcher_module
from guard.terms.classify import sentence_topics
from guard.terms.diff import sentences, split_clauses
from guard.terms.rules import Hit, Matcher, Rules, compile_group, compile_matcher, default_rules_path, parse_rules
from tests.terms.support.pages import fixture_text


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = 64 << 20  # the reference may be slow, never wrong
    return options


@cache
def _compiled(pattern: str) -> Any:
    return re2.compile(pattern, options=_options())


def _data(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _char(data: bytes, byte: int) -> int:
    return len(data[:byte].decode("utf-8", "surrogatepass"))


def reference_search(patterns: tuple[str, ...], text: str) -> Hit | None:
    """Each pattern alone: the earliest match, and of those starting at the same place the first pattern's."""
    data = _data(text)
    best: tuple[int, int] | None = None
    for pattern in patterns:
        match = _compiled(pattern).search(data)
        if match is not None and (best is None or match.start() < best[0]):
            best = match.span()
    if best is None:
        return None
    start, end = _char(data, best[0]), _char(data, best[1])
    return Hit(start, end, text[start:end])


def reference_finditer(patterns: tuple[str, ...], text: str) -> list[Hit]:
    """The non-empty matches of the patterns joined into one alternation (what the rules always meant)."""
    joined = _compiled("|".join(f"(?:{p})" for p in patterns))
    data = _data(text)
    return [Hit(_char(data, m.start()), _char(data, m.end()), text[_char(data, m.start()):_char(data, m.end())])
            for m in joined.finditer(data) if m.end() > m.start()]


def matchers(value: object) -> Iterator[Matcher]:
    """Every non-empty Matcher held by the rules (topics, leads, excludes, masks, scope rules...)."""
    if isinstance(value, Matcher):
        if value:
            yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from matchers(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from matchers(getattr(value, name))


def shipped_rules(monkeypatch: pytest.MonkeyPatch, join_limit: int) -> Rules:
    monkeypatch.setattr(matcher_module, "JOIN_LIMIT", join_limit)
    path = default_rules_path()
    return parse_rules(tomllib.loads(path.read_text(encoding="utf-8")), path)


def real_sentences() -> list[str]:
    """The sentences of Zoom's Terms of Service of 11 August 2023 (AI, licence and sharing clauses)."""
    text = fixture_text("zoom/tos-2023-08-11.ota.md")
    return [s for clause in split_clauses(text) for s in sentences(clause.text)]


def hostile_sentences(plain: list[str]) -> list[str]:
    body = ", ".join(s.rstrip(".") for s in plain)  # no full stops: the [^.;]{0,150} gaps span it
    big = (body * (100_000 // len(body) + 1))[:100_000]
    return [
        big,
        "\x00".join(plain[:40]) + "\ud800 we share your data with third parties \udfff é " + big[:20_000],
        "ſhare your data with third parties; we \u212aeep recordings \U0001f600 and use content to train AI",
        "",
        "\ud800",
    ]


JOINED, PREFILTERED = 10**9, 0  # JOIN_LIMIT values: every rule joined / every rule prefiltered


@pytest.mark.parametrize("join_limit", [JOINED, PREFILTERED], ids=["joined", "prefiltered"])
def test_shipped_rules_match_as_their_patterns_alone(monkeypatch: pytest.MonkeyPatch, join_limit: int) -> None:
    rules = shipped_rules(monkeypatch, join_limit)
    plain = real_sentences()
    assert len(plain) > 100
    hits = 0
    every = list(matchers(rules))
    if join_limit == JOINED:  # the large rules joined are RE2's slow NFA: the old way, checked on few sentences
        every = [m for m in every if len(m.sources) < 20]
    for matcher in every:
        for text in plain:
            expected = reference_search(matcher.sources, text)
            assert matcher.search(text) == expected, (matcher.sources, text)
            assert matcher.test(text) is (expected is not None), (matcher.sources, text)
            hits += expected is not None
            assert list(matcher.finditer(text)) == reference_finditer(matcher.sources, text), (matcher.sources, text)
    assert hits > 500  # the sentences do exercise the rules
    about = 0
    for text in plain:  # every topic asked at once (one prefilter pass) answers as each topic's patterns alone
        expected_topics = [reference_search(rule.matcher.sources, text) is not None for rule in rules.topics]
        assert rules.topic_matches(text) == expected_topics, text
        about += any(expected_topics)
        assert rules.backoff_matches(text) == [reference_search(rule.backoff.sources, text) is not None
                                               for rule in rules.topics], text
    assert about > 50


@pytest.mark.parametrize("join_limit", [JOINED, PREFILTERED], ids=["joined", "prefiltered"])
def test_hostile_text_matches_as_the_patterns_alone(monkeypatch: pytest.MonkeyPatch, join_limit: int) -> None:
    rules = shipped_rules(monkeypatch, join_limit)
    texts = hostile_sentences(real_sentences())
    big = [m for m in matchers(rules) if len(m.sources) >= 20]  # the topic rules: the ones worth the cost
    assert big
    for matcher in big:
        for text in texts:
            expected = reference_search(matcher.sources, text)
            assert matcher.search(text) == expected
            assert matcher.test(text) is (expected is not None)
            assert list(matcher.finditer(text)) == reference_finditer(matcher.sources, text)
    for text in texts:
        assert rules.topic_matches(text) == [reference_search(rule.matcher.sources, text) is not None
                                             for rule in rules.topics]
        assert rules.backoff_matches(text) == [reference_search(rule.backoff.sources, text) is not None
                                               for rule in rules.topics]


def test_rules_with_other_topics_do_not_ask_the_old_topics_group() -> None:
    """A copy of the rules with topics of its own (as a test or a tool makes with ``replace``)
    answers for its own topics, not from the prefilter compiled for the shipped ones."""
    rules = parse_rules(tomllib.loads(default_rules_path().read_text(encoding="utf-8")), default_rules_path())
    assert rules.topic_group is not None
    sharing = next(rule for rule in rules.topics if rule.topic == "third-party-sharing")
    only = replace(rules, topics=(replace(sharing, matcher=compile_matcher(["\\bzebra\\b"], "test")),))
    assert rules.topic_matches("We share your data with third parties.")[rules.order.index("third-party-sharing")]
    assert only.topic_matches("We share your data with third parties.") == [False]
    assert only.topic_matches("A zebra.") == [True]
    assert only.backoff_matches("A zebra.") == [sharing.backoff.test("A zebra.")]


def test_shipped_topic_rules_are_prefiltered_and_small_ones_joined() -> None:
    """The speed fix is in force on the rules that need it (else this file tests only one way)."""
    rules = parse_rules(tomllib.loads(default_rules_path().read_text(encoding="utf-8")), default_rules_path())
    every = list(matchers(rules))
    assert all(m.prefiltered for m in every if len(m.sources) >= 100)
    assert sum(not m.prefiltered for m in every) > len(every) // 2  # the many small rules stay joined


@pytest.mark.parametrize("join_limit", [JOINED, PREFILTERED], ids=["joined", "prefiltered"])
def test_ties_order_and_empty_matches(monkeypatch: pytest.MonkeyPatch, join_limit: int) -> None:
    monkeypatch.setattr(matcher_module, "JOIN_LIMIT", join_limit)
    cases: list[tuple[list[str], list[str]]] = [
        (["sha", "share"], ["We share data.", "WE SHARE DATA", "ſhare"]),  # same start: the first pattern wins
        (["share", "sha"], ["We share data.", "sharp shares"]),
        (["\\bdata\\b[^.;]{0,150}\\bshar\\w*", "\\bshar\\w*", "third part(?:y|ies)"],
         ["data we share with third parties, and data we share again; data sharing", "no match here"]),
        (["^\\W{0,3}terms", "terms"], ["## Terms and terms", "the terms"]),  # an anchor mid-text
        (["caf\u00e9", "na\u00efve"], ["a CAFÉ and a naïve café", "\ud800café"]),  # offsets after non-ASCII
        # a pattern too big for the small per-pattern budget still loads and matches
        (["\\b(?:alpha|beta)[^.;]{0,1000}\\bshar\\w*[^.;]{0,1000}\\bthird", "zzz"],
         ["ALPHA we share with third parties", "beta; share third"]),
    ]
    for patterns, texts in cases:
        matcher = compile_matcher(patterns, "test")
        for text in texts:
            expected = reference_search(tuple(patterns), text)
            assert matcher.search(text) == expected, (patterns, text)
            assert matcher.test(text) is (expected is not None), (patterns, text)
            assert list(matcher.finditer(text)) == reference_finditer(tuple(patterns), text), (patterns, text)
    assert compile_matcher(["sha", "share"], "test").search("we share") == Hit(3, 6, "sha")
    # the same rules compiled together, sharing one prefilter: each answers for its own patterns only
    grouped, group = compile_group([(patterns, f"test {n}") for n, (patterns, _texts) in enumerate(cases)])
    assert group is not None
    every_text = [text for _patterns, texts in cases for text in texts]
    for matcher, (patterns, _texts) in zip(grouped, cases, strict=True):
        for text in every_text:
            expected = reference_search(tuple(patterns), text)
            assert matcher.search(text) == expected, (patterns, text)
            assert matcher.test(text) is (expected is not None), (patterns, text)
            assert list(matcher.finditer(text)) == reference_finditer(tuple(patterns), text), (patterns, text)
    for text in every_text:
        assert group.matching(text, len(cases)) == [reference_search(tuple(p), text) is not None for p, _ in cases]


def test_a_lone_surrogate_does_not_stop_classification() -> None:
    """A broken character in a terms page (hostile or mis-decoded) leaves the sentence's topics found."""
    rules = parse_rules(tomllib.loads(default_rules_path().read_text(encoding="utf-8")), default_rules_path())
    assert sentence_topics("We may use your content to train our AI models \ud800.", rules) == ("ai-training",)
