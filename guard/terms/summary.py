"""A change in plain words (pure). Only quotes the provider's own sentences, never paraphrases:
"Section 10.2 now says: “Zoom does not use … to train … artificial intelligence models.”"
"""

from __future__ import annotations

from guard.terms.classify import TopicRule, label_of
from guard.terms.diff import ChangeKind, Clause, ClauseDiff, changed_sentences, starts_section

MAX_QUOTE = 280


def summarise(diff: ClauseDiff, topics: tuple[str, ...], rules: tuple[TopicRule, ...]) -> str:
    """One or two sentences saying what changed, quoting the sentences that carry the topics."""
    gone, new = changed_sentences(diff)
    chosen = [rule for rule in rules if rule.topic in topics]
    said_now = _quote(_best(new, chosen), chosen)
    said_before = _quote(_best(gone, chosen), chosen)
    where = f"Section {diff.section}" if diff.section else "A clause"
    labels = ", ".join(label_of(topic, rules) for topic in topics) or "Terms"
    if diff.kind is ChangeKind.ADDED:
        subject = _added_subject(diff.new, diff.section)
        body = f"{subject} says: {said_now}" if said_now else f"{subject} was added."
    elif diff.kind is ChangeKind.REMOVED:
        subject = _removed_subject(diff.old, diff.section)
        body = f"{subject} was removed. It said: {said_before}" if said_before else f"{subject} was removed."
    elif said_now and said_before:
        body = f"{where} now says: {said_now} It used to say: {said_before}"
    elif said_now:
        body = f"{where} now says: {said_now}"
    elif said_before:
        body = f"{where} no longer says: {said_before}"
    else:
        body = f"{where} changed its wording."
    return f"{labels}: {body}"


def _added_subject(clause: Clause | None, section: str | None) -> str:
    if clause is not None and starts_section(clause.text) and section:
        return f"New Section {section}"
    return f"A new paragraph in Section {section}" if section else "A new clause"


def _removed_subject(clause: Clause | None, section: str | None) -> str:
    if clause is not None and starts_section(clause.text) and section:
        return f"Section {section}"
    return f"A paragraph of Section {section}" if section else "A clause"


def _best(candidates: list[str], rules: list[TopicRule]) -> str | None:
    """The sentence matching the most topics; on a tie the fuller one (not a bare heading)."""
    best, score = None, (0, 0)
    for sentence in candidates:
        hits = sum(1 for rule in rules if rule.matches(sentence))
        rank = (hits, min(len(sentence), 120))
        if hits and rank > score:
            best, score = sentence, rank
    return best


def _quote(sentence: str | None, rules: list[TopicRule]) -> str | None:
    if not sentence:
        return None
    text = sentence.strip()
    if len(text) > MAX_QUOTE:
        match = next((m for m in (rule.matches(text) for rule in rules) if m), None)
        centre = match.start() if match else 0
        start = max(0, min(centre - MAX_QUOTE // 3, len(text) - MAX_QUOTE))
        end = start + MAX_QUOTE
        if start > 0:  # cut at word boundaries, never inside a word
            start = text.find(" ", start) + 1 or start
        if end < len(text):
            end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
        piece = text[start:end].strip()
        text = ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
    return f"“{text}”"
