"""A change in plain words (pure): what the provider may now do, or no longer do, with data, then
the provider's own sentences before and after. Nothing is paraphrased as if the provider said it:
the scope phrases come from the rules, the quotes are the provider's words, cut at word ends.

"AI training, Opt-out and consent: Section 10.4 now rules out training AI on audio, video and chat
and now says “without your consent”. New paragraph: “Notwithstanding the above, …”"
"""

from __future__ import annotations

from collections.abc import Sequence

from guard.terms.classify import Classification, sentence_topics
from guard.terms.diff import ChangeKind, Clause, ClauseDiff, starts_section
from guard.terms.rules import Rules
from guard.terms.scope import Scope, data_phrase, use_phrase

MAX_QUOTE = 280
MAX_USES = 3  # uses named in one phrase; the rest are counted
MAX_LIMITS = 2


def summarise(diff: ClauseDiff, classification: Classification, gone: Sequence[str], added: Sequence[str],
              rules: Rules) -> str:
    """One or two sentences: the labels, where, how the scope moved, and the wordings quoted."""
    topics = classification.topics
    labels = ", ".join(rules.label(topic) for topic in topics) or "Terms"
    moves = scope_phrases(classification, rules)
    said_before = quote(best_sentence(gone, topics, rules), rules)
    said_now = quote(best_sentence(added, topics, rules), rules)
    where = f"Section {diff.section}" if diff.section else "A clause"
    if diff.kind is ChangeKind.ADDED:
        subject = _added_subject(diff.new, diff.section)
        head = f"{subject} {_join(moves)}." if moves else f"{subject} was added."
        body = f"{head} It says: {said_now}" if said_now else head
    elif diff.kind is ChangeKind.REMOVED:
        subject = _removed_subject(diff.old, diff.section)
        head = f"{subject} was removed" + (f": it {_join(moves)}." if moves else ".")
        body = f"{head} It said: {said_before}" if said_before else head
    else:
        head = f"{where} {_join(moves)}." if moves else f"{where} changed its wording."
        quotes = []
        if said_before:
            quotes.append(f"Before: {said_before}")
        if said_now:
            quotes.append(f"Now: {said_now}")
        body = " ".join([head, *quotes])
    return f"{labels}: {body}"


def scope_phrases(classification: Classification, rules: Rules) -> list[str]:
    """'now allows training AI on service generated data', 'no longer says “without your consent”'..."""
    change = classification.change
    old, new = classification.old_scope, classification.new_scope
    phrases = [_uses("now allows", change.allows, new, rules), _uses("now rules out", change.rules_out, new, rules),
               _uses("no longer allows", change.no_longer_allows, old, rules),
               _uses("no longer rules out", change.no_longer_rules_out, old, rules)]
    phrases += [f"now says “{_limit_words(new, limit, rules)}”" for limit in change.limits_added[:MAX_LIMITS]]
    phrases += [f"no longer says “{_limit_words(old, limit, rules)}”" for limit in change.limits_removed[:MAX_LIMITS]]
    if not any(phrases) and change.data_moved and new.data:
        phrases.append(f"now covers {data_phrase(new.data, rules)}")
    return [phrase for phrase in phrases if phrase]


def _uses(verb: str, uses: tuple[str, ...], scope: Scope, rules: Rules) -> str:
    """'now allows training AI on your content, a licence over it and 2 more uses'."""
    if not uses:
        return ""
    named = [use_phrase(uses[0], scope.data_for(uses[0]), rules)] + [use_phrase(use, (), rules, it=True)
                                                       for use in uses[1:MAX_USES]]
    more = len(uses) - MAX_USES
    if more > 0:
        named.append(f"{more} more use{'s' if more > 1 else ''}")
    return f"{verb} {_join(named)}"


def _limit_words(scope: Scope, limit: str, rules: Rules) -> str:
    words = scope.words_for(limit)
    if words:
        return " ".join(words.split())
    return next((rule.phrase for rule in rules.limits if rule.id == limit), limit)


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _added_subject(clause: Clause | None, section: str | None) -> str:
    if clause is not None and starts_section(clause.text) and section:
        return f"New Section {section}"
    return f"A new paragraph in Section {section}" if section else "A new clause"


def _removed_subject(clause: Clause | None, section: str | None) -> str:
    if clause is not None and starts_section(clause.text) and section:
        return f"Section {section}"
    return f"A paragraph of Section {section}" if section else "A clause"


def best_sentence(candidates: Sequence[str], topics: Sequence[str], rules: Rules) -> str | None:
    """The sentence touching the most of ``topics``; on a tie the fuller one (not a bare heading)."""
    best, score = None, (0, 0)
    for sentence in candidates:
        hits = len(set(sentence_topics(sentence, rules)) & set(topics))
        rank = (hits, min(len(sentence), 120))
        if hits and rank > score:
            best, score = sentence, rank
    return best


def quote(sentence: str | None, rules: Rules, limit: int = MAX_QUOTE) -> str | None:
    """The sentence in quotation marks, cut around its first topic words when it is long."""
    if not sentence:
        return None
    text = " ".join(sentence.split())
    if len(text) > limit:
        hit = next((h for h in (rule.matches(text) for rule in rules.topics) if h), None)
        centre = hit.start if hit else 0
        start = max(0, min(centre - limit // 3, len(text) - limit))
        end = start + limit
        if start > 0:  # cut at word boundaries, never inside a word
            start = text.find(" ", start) + 1 or start
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        piece = text[start:end].strip()
        text = ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
    return f"“{text}”"
