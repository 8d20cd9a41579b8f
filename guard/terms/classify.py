"""Which topics a clause change touches and how much it matters (pure functions, rules as data).

A change is judged by the sentences that changed, not by the whole clause, so fixing a typo next
to a licence grant is not a licence change. A sentence is about a topic when one of the topic's
patterns matches it, after product names are blanked (``[[mask]]``) and unless a negative rule
for that topic matches it too (``[[exclude]]``: arbitration opt-outs, advice disclaimers, a
licence granted *to* the user...). Severity compares the scope of the old and new sentences
(:mod:`guard.terms.scope`): *material* when what the provider may do with data grew or shrank,
*minor* when a topic's wording changed without that, *wording-only* when nothing of substance did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from guard.catalog.models import ClauseTopic
from guard.terms.matcher import Matcher
from guard.terms.rules import Rules, RulesError, TopicRule, load_rules
from guard.terms.scope import Scope, ScopeChange, compare, mask, scope_of
from guard.terms.wording import (
    commitment_changed,
    list_item_changed,
    pair_rewordings,
    weighty_word_changed,
    without_examples,
)

__all__ = ["WATCHED_TOPICS", "Classification", "RulesError", "Severity", "TopicRule", "classify", "classify_text",
           "label_of", "load_rules", "sentence_topics"]

# Topics a user hears about (everything except "other").
WATCHED_TOPICS = tuple(dict.fromkeys(topic.value for topic in ClauseTopic if topic is not ClauseTopic.OTHER))


class Severity(StrEnum):
    MATERIAL = "material"  # what the provider may do with data grew or shrank
    MINOR = "minor"  # the wording of a clause on a topic changed, its scope did not
    WORDING = "wording-only"  # markup, punctuation, contractions, renumbering, renames, moves


@dataclass(frozen=True)
class Classification:
    topics: tuple[str, ...]
    severity: Severity
    old_scope: Scope = field(default_factory=Scope)
    new_scope: Scope = field(default_factory=Scope)
    change: ScopeChange = field(default_factory=ScopeChange)


def sentence_topics(sentence: str, rules: Rules, lead: str | None = None,
                    heading: str | None = None) -> tuple[str, ...]:
    """Topics of one sentence, in the rules' order. ``lead``: the sentence introducing the list
    the sentence is an item of; negative rules marked ``inherit`` apply through it ("you agree
    that you will not use the AI services:" rules out every item below it), and a topic's
    ``lead_patterns`` make every item about the topic ("we use your data for these purposes:").
    ``heading``: the section heading; a sentence with no topic of its own takes the topics whose
    ``lead_patterns`` the heading matches ("How we use your data"); negative rules do not inherit
    from headings (a "Do not sell my data" heading is not a prohibition on the user). A sentence
    still without a topic, and not an aside or a pointer, is read by its topics' ``backoff``
    patterns (a data noun with a use verb, mapped by the verb's family)."""
    text = mask(sentence, rules)
    lead_text = mask(lead, rules) if lead else None
    lead_in = mask(lead_in_of(lead), rules) if lead else None
    # an item of a list is about what its lead-in says the list is ("we use your data for the
    # following purposes:" makes each purpose a stated use of data)
    found = [rule.topic for rule, matched in zip(rules.topics, rules.topic_matches(text), strict=True)
             if matched or (lead_text and lead_in is not None and _leads(rule.lead, lead_text, lead_in))]
    if not found and heading:  # a sentence saying nothing of its own is read as its section's
        heading_text = mask(heading, rules)
        found = [rule.topic for rule in rules.topics if rule.lead.test(heading_text)]
    if not found and not rules.states_no_use(text):
        # the backoff: a sentence that states what is done with data in words no topic rule has,
        # read by its verb (share -> sharing, keep -> retention...); never for an aside or a pointer
        found = [rule.topic for rule, hit in zip(rules.topics, rules.backoff_matches(text), strict=True) if hit]
    elif found and not rules.states_no_use(text):
        # a topic whose verbs say enough on their own is read beside the others ("... may have to
        # share certain data with TMG, including ... geolocation data" is about generated data and sharing)
        found += [rule.topic for rule in rules.topics if rule.backoff_beside and rule.topic not in found
                  and rule.backoff.test(text)]
    if not found and not rules.states_no_use(text):
        # an item of a list of the data the provider collects, which names no practice of its own, is
        # read by the topics whose backoff lead-ins its lead-in matches (corpus guideline 16: "Registration
        # Information: ..." under "We may collect ... the following categories of personal data:")
        found = [rule.topic for rule in rules.topics
                 if lead_text and lead_in is not None and _leads(rule.backoff_lead, lead_text, lead_in)]
    if not found:
        return ()
    kept = _not_excluded(found, text, lead_text, rules)
    if not kept and not rules.states_no_use(text):
        # every topic its patterns found was ruled out ("This includes the use of Other Data ...",
        # not a definition): what it states is still read by its verb, as a sentence with no topic is
        backoff = [rule.topic for rule, hit in zip(rules.topics, rules.backoff_matches(text), strict=True) if hit]
        kept = _not_excluded([topic for topic in backoff if topic not in found], text, lead_text, rules)
    return kept


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9])")
_PRO_FORM_LEAD = 5  # words: "This includes:", "These may include:", "For example:" say only "the above"


def lead_in_of(lead: str) -> str:
    """The sentence that introduces a list: the last sentence of its lead (the one ending in ":"
    when there is one), read with the sentence before it when it only points back ("You can share
    ... on third party services. This includes:" is read "You can share ..., this includes:").
    A list's topic is what this sentence says is done with data (collect, use for, share with, keep,
    train on), not what the paragraph or section around it is about."""
    parts = [part for part in _SENTENCE_BREAK.split(" ".join(lead.split())) if part]
    if not parts:
        return ""
    last = parts[-1]
    if len(parts) > 1 and len(last.split()) <= _PRO_FORM_LEAD:
        return f"{parts[-2].rstrip('.!? ')}, {last[:1].lower()}{last[1:]}"
    return last


def _leads(matcher: Matcher, lead_text: str, lead_in: str) -> bool:
    """True when ``matcher`` (a topic's lead-in patterns) matches the whole lead or its lead-in sentence."""
    return matcher.test(lead_text) or (lead_in != lead_text and matcher.test(lead_in))


def _not_excluded(found: Sequence[str], text: str, lead_text: str | None, rules: Rules) -> tuple[str, ...]:
    """The topics of ``found`` that no negative rule rules out for the sentence (or its list's lead-in)."""
    if not found:
        return ()
    excluded = {topic for rule in rules.excludes if rule.topics & set(found) and rule.rules_out(text)
                for topic in rule.topics}
    if lead_text:
        excluded |= {topic for rule in rules.excludes if rule.inherit and rule.topics & set(found)
                     and rule.rules_out(lead_text) for topic in rule.topics}
    return tuple(topic for topic in found if topic not in excluded)


def _ordered(topics: Iterable[str], rules: Rules) -> tuple[str, ...]:
    order = rules.order
    return tuple(sorted(set(topics), key=lambda topic: order.index(topic) if topic in order else len(order)))


def classify_text(text: str, rules: Rules | None = None) -> tuple[str, ...]:
    """Topics of any sentence of ``text``."""
    from guard.terms.diff import sentences  # a text's sentences, split as clauses are

    rules = rules or load_rules()
    return _ordered((topic for sentence in sentences(text) for topic in sentence_topics(sentence, rules)), rules)


def classify(gone: Sequence[str], added: Sequence[str], rules: Rules, *, quiet: bool = False,
             context: Sequence[str] = (), lead: str | None = None,
             only: Mapping[str, frozenset[str]] | None = None,
             continues: Mapping[str, str] | None = None, heading: str | None = None,
             old_clause: Sequence[str] = (), renames: frozenset[tuple[str, str]] = frozenset()) -> Classification:
    """Classify a change from the sentences only in the old wording (``gone``) and only in the
    new one (``added``). ``quiet`` (moved, or wording only): the topics are the clause's own
    (``context``) and the severity is wording-only. ``only`` limits a sentence to some topics
    (those its changed words touch, when it is a rewording of a sentence on the other side).
    ``continues`` maps an enumerated part of a longer sentence ("(4) protect the security of our
    services ...") to the start of that sentence ("we may disclose information about you to: (1)
    ..."), which says what the part is about when the part alone does not. ``old_clause``: the
    sentences of the old wording when the clause changed (not added or removed): a use or limit that
    comes or goes in the changed sentences but that a sentence the clause keeps unchanged states
    (``context``: the new wording's sentences) did not move; a sentence added to
    it that names a recipient or a kind of data the clause did not name is a material change (as is
    a clause added whole, ``gone`` and ``old_clause`` empty, that names one). ``renames``: replacements
    made the same way throughout the document ("products" -> "products and services"), which are
    not items added to a list."""
    if quiet or not (gone or added):
        topics = _ordered((t for s in context for t in sentence_topics(s, rules, lead, heading)), rules)
        return Classification(topics, Severity.WORDING)
    per_sentence = {sentence: sentence_topics(sentence, rules, lead, heading) for sentence in (*gone, *added)}
    for sentence, found in per_sentence.items():
        start = (continues or {}).get(sentence)
        if not found and start:
            per_sentence[sentence] = sentence_topics(start, rules, lead, heading)
    if only:  # a reworded sentence counts only for the topics its changed words touch
        per_sentence = {sentence: tuple(t for t in found if sentence not in only or t in only[sentence])
                        for sentence, found in per_sentence.items()}
    topics = _ordered((t for found in per_sentence.values() for t in found), rules)
    if not topics:
        return Classification((), Severity.MINOR)
    # a sentence that only points elsewhere ("Learn more about ..."), or states the user's duties or
    # rights, a disclaimer or a fact about the past, states no use of its own
    old_scope = scope_of([s for s in gone if per_sentence[s] and not rules.states_no_use(s)], rules, topics)
    new_scope = scope_of([s for s in added if per_sentence[s] and not rules.states_no_use(s)], rules, topics)
    change = compare(old_scope, new_scope, rules)
    # a definition of content or data sets the scope of other clauses: rewording it is material
    definition = ClauseTopic.CONTENT_DEFINITION.value
    defines = (any(definition in per_sentence[s] for s in gone) and any(definition in per_sentence[s] for s in added)
               or definition in topics and change.data_moved)
    # the same use now applies to other kinds of data ("ads based on your interests" -> "... and activity")
    widened = change.data_moved and bool(old_scope.uses & new_scope.uses)
    # a period (of keeping, deleting, notice...) that changed length: "6 months" -> "18 months"
    old_period, new_period = old_scope.words_for("period"), new_scope.words_for("period")
    widened = widened or bool(old_period and new_period and old_period.casefold() != new_period.casefold())
    # a rewording that names other recipients or other kinds of data, or commits more or less
    # firmly ("will" -> "may", a "not" added), changes what the provider may do
    old_topical = [s for s in gone if per_sentence[s]]
    new_topical = [s for s in added if per_sentence[s]]
    reworded = pair_rewordings(tuple(old_topical), tuple(new_topical))
    others = _others_moved(reworded, rules) or any(
        commitment_changed(a, b) or weighty_word_changed(a, b, substantive=rules.sameness.substantive)
        or list_item_changed(a, b, filler=rules.sameness.filler | rules.sameness.places, renames=renames)
        for a, b in reworded)
    if (old_clause or not gone) and not others:
        # a sentence added to a clause (not a rewording of one of its sentences) that names a
        # recipient or a kind of data the clause did not name before; a clause added whole names
        # each of its recipients and kinds of data for the first time
        paired_new = {b for _, b in reworded}
        fresh = [s for s in new_topical if s not in paired_new and not rules.states_no_use(s)]
        if fresh:
            before, after = scope_of(old_clause, rules), scope_of(fresh, rules)
            others = bool((after.parties - before.parties) or (after.kinds - before.kinds))
    moved = change.material
    if moved and old_clause and context:
        # a use or limit a rewritten clause still states (or already stated) in its other sentences
        # did not come or go: compare what the whole clause says before and after
        kept = set(old_clause)
        unchanged = [s for s in context if s in kept and not rules.states_no_use(s)]
        if unchanged:
            both = scope_of(unchanged, rules, topics)
            moved = compare(_with(old_scope, both), _with(new_scope, both), rules).material
    severity = Severity.MATERIAL if moved or defines or widened or others else Severity.MINOR
    return Classification(topics, severity, old_scope, new_scope, change)


def _with(scope: Scope, other: Scope) -> Scope:
    """The uses, ruled-out uses and limits of two scopes together (what a whole clause states)."""
    return Scope(uses=scope.uses | other.uses, ruled_out=scope.ruled_out | other.ruled_out,
                 limits=scope.limits | other.limits)


def _others_moved(reworded: Iterable[tuple[str, str]], rules: Rules) -> bool:
    """True when an old sentence and its rewording name other recipients or other kinds of data
    (outside examples: "(e.g. ...)" added to a sentence is a clarification, not a new party)."""
    for old, new in reworded:
        a, b = scope_of([without_examples(old)], rules), scope_of([without_examples(new)], rules)
        if a.parties != b.parties or a.kinds != b.kinds:
            return True
    return False


def label_of(topic: str, rules: Rules | Sequence[TopicRule] | None = None) -> str:
    """The topic's label for people ("AI training"); the id when the rules do not name it."""
    if isinstance(rules, Rules):
        return rules.label(topic)
    listed = tuple(rules or ())
    if not listed:
        try:
            return load_rules().label(topic)
        except RulesError:
            return topic
    return next((rule.label for rule in listed if rule.topic == topic), topic)

