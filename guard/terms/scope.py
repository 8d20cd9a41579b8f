"""What a set of sentences lets the provider do with data (pure): the uses it allows, the uses it
rules out, the kinds of data named and the limits stated. Comparing the scope of the old and the
new wording tells a material change (the scope grew or shrank) from a minor one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from guard.terms.charmap import CharMap
from guard.terms.rules import Hit, MaskRule, Rules

DEFAULT_DATA = "your data"


@dataclass(frozen=True)
class Scope:
    """Ids of the rules' uses, data and limits found, with the words that stated each limit."""

    uses: frozenset[str] = frozenset()
    ruled_out: frozenset[str] = frozenset()
    data: frozenset[str] = frozenset()
    limits: frozenset[str] = frozenset()
    limit_words: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    use_data: tuple[tuple[str, frozenset[str]], ...] = field(default=(), compare=False)
    parties: frozenset[str] = frozenset()  # who else gets or acts on the data ([[party]])
    kinds: frozenset[str] = frozenset()  # finer kinds of data named ([[data_kind]])

    def data_for(self, use: str) -> frozenset[str]:
        """The kinds of data named in the sentences that state ``use`` (all the scope's data if none)."""
        found = frozenset().union(*(data for key, data in self.use_data if key == use))
        return found or self.data

    @property
    def empty(self) -> bool:
        return not (self.uses or self.ruled_out or self.limits)

    def words_for(self, limit: str) -> str | None:
        return next((words for key, words in self.limit_words if key == limit), None)


_QUOTES = CharMap({"“": " ", "”": " ", "„": " ", '"': " "})


def mask(sentence: str, rules: Rules) -> str:
    """The sentence with product names and set phrases blanked, and double quotes too, so a word
    in quotes (we do not “sell” or “share”) reads as the word (same length, so offsets hold)."""
    return blanked(_QUOTES(sentence), rules.masks)


def blanked(text: str, rules: Iterable[MaskRule]) -> str:
    """``text`` with what each rule (in order, each reading the text the ones before left) matches made spaces, so
    offsets hold. One copy per rule, not per match: a clause naming a phrase 40,000 times took 20 s (audit16)."""
    for rule in rules:
        pieces: list[str] = []
        start = 0
        for hit in rule.matcher.finditer(text):
            pieces += (text[start:hit.start], " " * (hit.end - hit.start))
            start = hit.end
        if pieces:
            text = "".join(pieces) + text[start:]
    return text


def _negated(sentence: str, hit: Hit, rules: Rules) -> bool:
    """True when a negation ("not", "never", "no longer") stands shortly before the use."""
    start = max(0, hit.start - rules.negation_window)
    before = sentence[start:hit.start]
    cut = max(before.rfind(";"), before.rfind(":"), before.rfind(", but "))
    if cut >= 0:
        before = before[cut + 1:]
    return rules.negation.test(before)


def scope_of(sentences: Iterable[str], rules: Rules, topics: Iterable[str] | None = None) -> Scope:
    """The scope stated by ``sentences`` (uses of the given ``topics`` only, when given)."""
    wanted = set(topics) if topics is not None else None
    uses: set[str] = set()
    ruled_out: set[str] = set()
    data: set[str] = set()
    limits: set[str] = set()
    words: dict[str, str] = {}
    use_data: dict[str, set[str]] = {}
    parties: set[str] = set()
    kinds: set[str] = set()
    for sentence in sentences:
        text = mask(sentence, rules)
        named = {rule.id for rule in rules.data if rule.matcher.test(text)}
        data |= named
        parties |= {rule.id for rule in rules.parties if rule.matcher.test(text)}
        kinds |= {rule.id for rule in rules.data_kinds if rule.matcher.test(text)}
        for rule in rules.uses:
            if wanted is not None and rule.topic not in wanted:
                continue
            for hit in rule.matcher.finditer(text):
                (ruled_out if _negated(text, hit, rules) else uses).add(rule.id)
                use_data.setdefault(rule.id, set()).update(named)
        for rule in rules.limits:
            found = rule.matcher.search(text)
            if found:
                limits.add(rule.id)
                words.setdefault(rule.id, sentence[found.start:found.end])
    return Scope(frozenset(uses), frozenset(ruled_out), frozenset(data), frozenset(limits),
                 tuple(sorted(words.items())),
                 tuple((key, frozenset(value)) for key, value in sorted(use_data.items())),
                 frozenset(parties), frozenset(kinds))


def same_scope(old: str, new: str, rules: Rules) -> bool:
    """True when two wordings of a sentence state the same uses, ruled-out uses, data, limits (with
    the same words for each limit: "30 days" is not "90 days"), recipients and kinds of data."""
    a, b = scope_of([old], rules), scope_of([new], rules)
    if a != b:
        return False
    return {(key, words.casefold()) for key, words in a.limit_words} == \
        {(key, words.casefold()) for key, words in b.limit_words}


@dataclass(frozen=True)
class ScopeChange:
    """How the scope moved from the old wording to the new one."""

    allows: tuple[str, ...] = ()
    no_longer_allows: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()
    no_longer_rules_out: tuple[str, ...] = ()
    limits_added: tuple[str, ...] = ()
    limits_removed: tuple[str, ...] = ()
    data_added: tuple[str, ...] = ()
    data_removed: tuple[str, ...] = ()
    parties_added: tuple[str, ...] = ()
    parties_removed: tuple[str, ...] = ()
    kinds_added: tuple[str, ...] = ()
    kinds_removed: tuple[str, ...] = ()

    @property
    def others_moved(self) -> bool:
        """Another recipient or actor, or another kind of data, is named (not part of ``material``:
        the classifier weighs it with the shape of the change)."""
        return bool(self.parties_added or self.parties_removed or self.kinds_added or self.kinds_removed)

    @property
    def uses_moved(self) -> bool:
        return bool(self.allows or self.no_longer_allows or self.rules_out or self.no_longer_rules_out)

    @property
    def material(self) -> bool:
        """The uses, the ruled-out uses or the limits changed: what the provider may do moved."""
        return self.uses_moved or bool(self.limits_added or self.limits_removed)

    @property
    def data_moved(self) -> bool:
        return bool(self.data_added or self.data_removed)


def compare(old: Scope, new: Scope, rules: Rules) -> ScopeChange:
    order = {rule.id: position for position, rule in
             enumerate((*rules.uses, *rules.data, *rules.limits, *rules.parties, *rules.data_kinds))}

    def ordered(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=lambda key: order.get(key, 999)))

    return ScopeChange(
        allows=ordered(new.uses - old.uses),
        no_longer_allows=ordered(old.uses - new.uses - new.ruled_out),
        rules_out=ordered(new.ruled_out - old.ruled_out),
        no_longer_rules_out=ordered(old.ruled_out - new.ruled_out - new.uses),
        limits_added=ordered(new.limits - old.limits),
        limits_removed=ordered(old.limits - new.limits),
        data_added=ordered(new.data - old.data),
        data_removed=ordered(old.data - new.data),
        parties_added=ordered(new.parties - old.parties),
        parties_removed=ordered(old.parties - new.parties),
        kinds_added=ordered(new.kinds - old.kinds),
        kinds_removed=ordered(old.kinds - new.kinds),
    )


def data_phrase(ids: Iterable[str], rules: Rules) -> str:
    """'audio, video and chat and your content' for the data ids, in the rules' order."""
    phrases = [rule.phrase for rule in rules.data if rule.id in set(ids)]
    if not phrases:
        return DEFAULT_DATA
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def use_phrase(use: str, data: Iterable[str], rules: Rules, it: bool = False) -> str:
    """The use in plain words with the data it applies to ("it" for a second mention)."""
    rule = next((r for r in rules.uses if r.id == use), None)
    if rule is None:
        return use
    return rule.phrase.replace("{data}", "it" if it else data_phrase(data, rules))
