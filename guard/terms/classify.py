"""Which topics a changed clause touches (pure). The rules are data: resources/terms/topics.toml.

A change is classified by the sentences that changed, not by the whole clause, so fixing a
typo next to a licence grant is not reported as a licence change. Several topics may apply.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from guard.catalog.models import ClauseTopic
from guard.paths import resources_dir
from guard.terms.diff import ClauseDiff, changed_sentences
from guard.terms.errors import TermsError

# Topics a user hears about (everything except "other").
WATCHED_TOPICS = tuple(topic.value for topic in ClauseTopic if topic is not ClauseTopic.OTHER)


class RulesError(TermsError):
    """The topic rules file is broken (names the file and the rule)."""


@dataclass(frozen=True)
class TopicRule:
    """One topic's patterns, joined into a single expression (one scan of the text per topic)."""

    topic: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    combined: re.Pattern[str] | None = None

    def matches(self, text: str) -> re.Match[str] | None:
        if self.combined is None:
            return None
        return self.combined.search(text)


def default_rules_path() -> Path:
    return resources_dir() / "terms" / "topics.toml"


@lru_cache(maxsize=8)
def load_rules(path: Path | None = None) -> tuple[TopicRule, ...]:
    """Read and compile the rules; a bad file raises :class:`RulesError` naming what to fix."""
    path = path or default_rules_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RulesError(f"Topic rules {path} cannot be read ({error}); reinstall the app.") from None
    known = {topic.value for topic in ClauseTopic}
    rules: list[TopicRule] = []
    for position, entry in enumerate(data.get("topic", [])):
        try:
            topic = ClauseTopic(entry.get("id")).value  # earlier ids (e.g. "opt-out") load as today's
        except ValueError:
            raise RulesError(f"Topic rules {path}, topic[{position}]: id {entry.get('id')!r} is not one of "
                             f"{sorted(known)}.") from None
        compiled: list[re.Pattern[str]] = []
        for pattern in entry.get("patterns", []):
            try:
                compiled.append(re.compile(pattern, re.IGNORECASE))
            except re.error as error:
                raise RulesError(f"Topic rules {path}, topic {topic!r}: pattern {pattern!r} is invalid ({error}).") from None
        combined = re.compile("|".join(f"(?:{p.pattern})" for p in compiled), re.IGNORECASE) if compiled else None
        rules.append(TopicRule(topic, str(entry.get("label", topic)), tuple(compiled), combined))
    return tuple(rules)


def classify_text(text: str, rules: tuple[TopicRule, ...]) -> tuple[str, ...]:
    """Topics whose rules match ``text``, in the rules' order."""
    return tuple(rule.topic for rule in rules if rule.matches(text))


def classify_change(diff: ClauseDiff, rules: tuple[TopicRule, ...]) -> tuple[str, ...]:
    """Topics of the sentences that changed between the old and the new clause."""
    gone, new = changed_sentences(diff)
    topics: list[str] = []
    for sentence in (*gone, *new):
        for topic in classify_text(sentence, rules):
            if topic not in topics:
                topics.append(topic)
    order = [rule.topic for rule in rules]
    return tuple(sorted(topics, key=order.index))


def label_of(topic: str, rules: tuple[TopicRule, ...]) -> str:
    return next((rule.label for rule in rules if rule.topic == topic), topic)
