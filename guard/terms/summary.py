"""A change in plain words (pure). Only quotes the provider's own sentences, never paraphrases:
"Section 10.2 now says: “Zoom does not use … to train … artificial intelligence models.”"
"""

from __future__ import annotations

from guard.terms.classify import TopicRule, label_of
from guard.terms.diff import ChangeKind, ClauseDiff, changed_sentences

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
        body = f"{where} is new. It says: {said_now}" if said_now else f"{where} is new."
    elif diff.kind is ChangeKind.REMOVED:
        body = f"{where} was removed. It said: {said_before}" if said_before else f"{where} was removed."
    elif said_now and said_before:
        body = f"{where} now says: {said_now} It used to say: {said_before}"
    elif said_now:
        body = f"{where} now says: {said_now}"
    elif said_before:
        body = f"{where} no longer says: {said_before}"
    else:
        body = f"{where} changed its wording."
    return f"{labels}: {body}"


def _best(candidates: list[str], rules: list[TopicRule]) -> str | None:
    """The sentence matching the most topics (first one on a tie)."""
    best, score = None, 0
    for sentence in candidates:
        hits = sum(1 for rule in rules if rule.matches(sentence))
        if hits > score:
            best, score = sentence, hits
    return best


def _quote(sentence: str | None, rules: list[TopicRule]) -> str | None:
    if not sentence:
        return None
    text = sentence.strip()
    if len(text) > MAX_QUOTE:
        match = next((m for m in (rule.matches(text) for rule in rules) if m), None)
        centre = match.start() if match else 0
        start = max(0, min(centre - MAX_QUOTE // 3, len(text) - MAX_QUOTE))
        piece = text[start:start + MAX_QUOTE].strip()
        text = ("…" if start > 0 else "") + piece + ("…" if start + MAX_QUOTE < len(text) else "")
    return f"“{text}”"
