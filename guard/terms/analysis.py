"""Diff + classify + summarise two texts of a document (pure): the changes a user reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guard.events import ClauseChange
from guard.terms.classify import TopicRule, classify_change, load_rules
from guard.terms.diff import ClauseDiff, diff_markdown
from guard.terms.summary import summarise


@dataclass(frozen=True)
class AnalysedChange:
    diff: ClauseDiff
    topics: tuple[str, ...]
    summary: str | None

    @property
    def relevant(self) -> bool:
        """True when the change touches a watched topic (AI training, licence, data use...)."""
        return bool(self.topics)

    def to_clause_change(self) -> ClauseChange:
        return ClauseChange(topics=self.topics, old=self.diff.old_text, new=self.diff.new_text,
                            section=self.diff.section, summary=self.summary)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.diff.kind), "section": self.diff.section, "topics": list(self.topics),
                "summary": self.summary, "old": self.diff.old_text, "new": self.diff.new_text}


def analyse(old: str, new: str, rules: tuple[TopicRule, ...] | None = None) -> list[AnalysedChange]:
    """Every clause change from ``old`` to ``new``, with its topics and (if any) a summary."""
    rules = rules if rules is not None else load_rules()
    changes = []
    for diff in diff_markdown(old, new):
        topics = classify_change(diff, rules)
        changes.append(AnalysedChange(diff, topics, summarise(diff, topics, rules) if topics else None))
    return changes


def relevant_changes(changes: list[AnalysedChange]) -> tuple[ClauseChange, ...]:
    return tuple(change.to_clause_change() for change in changes if change.relevant)
