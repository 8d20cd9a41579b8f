"""A change in plain words (pure): what the provider may now do, or no longer do, with data, then
the provider's own sentences before and after. Nothing is paraphrased as if the provider said it:
the scope phrases come from the rules, the quotes are the provider's words, cut at word ends.

"AI training, Opt-out and consent: Section 10.4 now rules out training AI on audio, video and chat
and now says “without your consent”. New paragraph: “Notwithstanding the above, …”"

:func:`summarise_parts` keeps the summary as values (:class:`ChangeSummary`): the app says it in
the user's language when it shows it (:mod:`guard.terms.summary_words`); :func:`summarise` is the
English sentence the command line and the events carry.
"""

from __future__ import annotations

from collections.abc import Sequence

from guard.catalog.models import ClauseTopic
from guard.terms.classify import Classification, sentence_topics
from guard.terms.diff import ChangeKind, Clause, ClauseDiff, starts_section
from guard.terms.rules import Rules
from guard.terms.scope import Scope, scope_of
from guard.terms.summary_model import ChangeSummary, MoveVerb, Phrase, ScopeMove, UseMention
from guard.terms.summary_words import say_summary

MAX_QUOTE = 280
COLLECT = "collect"  # the rules' use of collecting data (its topic: service-generated-data)
MAX_USES = 3  # uses named in one phrase; the rest are counted
MAX_LIMITS = 2


def summarise(diff: ClauseDiff, classification: Classification, gone: Sequence[str], added: Sequence[str],
              rules: Rules) -> str:
    """One or two sentences: the labels, where, how the scope moved, and the wordings quoted (English)."""
    return say_summary(summarise_parts(diff, classification, gone, added, rules))


def summarise_parts(diff: ClauseDiff, classification: Classification, gone: Sequence[str], added: Sequence[str],
                    rules: Rules) -> ChangeSummary:
    """The summary as values: the topics, where, how the scope moved, and the provider's sentences."""
    topics = classification.topics
    clause: Clause | None = diff.new if diff.kind is ChangeKind.ADDED else diff.old
    return ChangeSummary(
        kind=str(diff.kind), section=diff.section or None,
        topics=tuple(Phrase(topic, rules.label(topic)) for topic in topics),
        moves=_moves(classification, gone, added, rules),
        before=excerpt(best_sentence(gone, topics, rules), rules) if diff.kind is not ChangeKind.ADDED else None,
        now=excerpt(best_sentence(added, topics, rules), rules) if diff.kind is not ChangeKind.REMOVED else None,
        whole_section=clause is not None and starts_section(clause.text))


def _moves(classification: Classification, gone: Sequence[str], added: Sequence[str],
           rules: Rules) -> tuple[ScopeMove, ...]:
    """The scope's moves; a collection statement's collecting in place of a bare 'now covers ...'."""
    moves = scope_moves(classification, rules)
    if all(move.verb is MoveVerb.COVERS for move in moves):
        return collection_moves(classification, gone, added, rules) or moves
    return moves


def scope_moves(classification: Classification, rules: Rules) -> tuple[ScopeMove, ...]:
    """'now allows training AI on service generated data', 'no longer says “without your consent”'..."""
    change = classification.change
    old, new = classification.old_scope, classification.new_scope
    moves = [_uses(MoveVerb.ALLOWS, change.allows, new, rules), _uses(MoveVerb.RULES_OUT, change.rules_out, new, rules),
             _uses(MoveVerb.NO_LONGER_ALLOWS, change.no_longer_allows, old, rules),
             _uses(MoveVerb.NO_LONGER_RULES_OUT, change.no_longer_rules_out, old, rules)]
    moves += [_limit(MoveVerb.SAYS, new, limit, rules) for limit in change.limits_added[:MAX_LIMITS]]
    moves += [_limit(MoveVerb.NO_LONGER_SAYS, old, limit, rules) for limit in change.limits_removed[:MAX_LIMITS]]
    found = [move for move in moves if move is not None]
    if not found and change.data_moved and new.data:
        found.append(ScopeMove(MoveVerb.COVERS, data=_data(new.data, rules)))
    return tuple(found)


def collection_moves(classification: Classification, gone: Sequence[str], added: Sequence[str],
                     rules: Rules) -> tuple[ScopeMove, ...]:
    """'now allows collecting your content' for a collection statement read as content-licence
    (corpus guideline 16), whose own uses say nothing of collecting: the collecting the changed
    sentences state, said only in the summary (the severity stays as it was)."""
    if ClauseTopic.CONTENT_LICENCE.value not in classification.topics:
        return ()
    collect = next((rule for rule in rules.uses if rule.id == COLLECT), None)
    if collect is None or collect.topic is None:
        return ()
    old, new = (scope_of([s for s in side if not rules.states_no_use(s)], rules, (collect.topic,))
                for side in (gone, added))
    move = None
    if COLLECT in new.uses and COLLECT not in old.uses:
        move = _uses(MoveVerb.ALLOWS, (COLLECT,), new, rules)
    elif COLLECT in old.uses and COLLECT not in new.uses:
        move = _uses(MoveVerb.NO_LONGER_ALLOWS, (COLLECT,), old, rules)
    return (move,) if move is not None else ()


def _uses(verb: MoveVerb, uses: tuple[str, ...], scope: Scope, rules: Rules) -> ScopeMove | None:
    """'now allows training AI on your content, a licence over it and 2 more uses'."""
    if not uses:
        return None
    named = [UseMention(_use(uses[0], rules), _data(scope.data_for(uses[0]), rules))]
    named += [UseMention(_use(use, rules), again=True) for use in uses[1:MAX_USES]]
    return ScopeMove(verb, tuple(named), more=max(0, len(uses) - MAX_USES))


def _use(use: str, rules: Rules) -> Phrase:
    rule = next((r for r in rules.uses if r.id == use), None)
    return Phrase(use, rule.phrase if rule is not None else use)


def _data(ids: frozenset[str], rules: Rules) -> tuple[Phrase, ...]:
    """The kinds of data named, in the rules' order (none: "your data" when said)."""
    return tuple(Phrase(rule.id, rule.phrase) for rule in rules.data if rule.id in ids)


def _limit(verb: MoveVerb, scope: Scope, limit: str, rules: Rules) -> ScopeMove:
    """The limit with the provider's words that state it (the rules' phrase when none were kept)."""
    words = scope.words_for(limit)
    phrase = next((Phrase(rule.id, rule.phrase) for rule in rules.limits if rule.id == limit), Phrase(limit, limit))
    return ScopeMove(verb, limit=phrase, quoted=" ".join(words.split()) if words else None)


def best_sentence(candidates: Sequence[str], topics: Sequence[str], rules: Rules) -> str | None:
    """The sentence touching the most of ``topics``; on a tie the fuller one (not a bare heading)."""
    best, score = None, (0, 0)
    for sentence in candidates:
        hits = len(set(sentence_topics(sentence, rules)) & set(topics))
        rank = (hits, min(len(sentence), 120))
        if hits and rank > score:
            best, score = sentence, rank
    return best


def excerpt(sentence: str | None, rules: Rules, limit: int = MAX_QUOTE) -> str | None:
    """The sentence as written (spacing tidied), cut around its first topic words when it is long."""
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
    return text


def quote(sentence: str | None, rules: Rules, limit: int = MAX_QUOTE) -> str | None:
    """The sentence in English quotation marks, cut around its first topic words when it is long."""
    text = excerpt(sentence, rules, limit)
    return f"“{text}”" if text else None
