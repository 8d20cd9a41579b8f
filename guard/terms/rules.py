"""The classifier's rules, read from data (resources/terms/topics.toml) and compiled with RE2.

Every pattern is matched case-insensitively and in linear time, whatever the terms text holds;
a pattern RE2 cannot run is refused when the file loads, with the file, the rule and the reason.
The rules are plain frozen values, so the classifier that uses them stays a pure function.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import re2

from guard.catalog.models import ClauseTopic
from guard.paths import resources_dir
from guard.patterns import PatternError, compile_pattern
from guard.terms.errors import TermsError
from guard.terms import matcher as matcher_module
from guard.terms.matcher import Hit as Hit  # re-exported: where callers have always found it
from guard.terms.matcher import Matcher, MatcherGroup

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False
_OPTIONS.case_sensitive = False


def _alone(size: int) -> Any:
    """Options for one pattern of a large rule, run alone. There are hundreds of them: with RE2's
    default 8 MB budget each, their DFA caches added ~30 MB to a process that classified the Zoom
    corpus; 256 kB (more for a big pattern: RE2 needs ~100 bytes of budget per instruction to
    compile its forward and reverse programs) keeps it under the old joined rules' footprint at
    the same speed (measured, see the report of this change in git log)."""
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = False
    options.max_mem = min(max(1 << 18, 200 * size), 8 << 20)
    return options


class RulesError(TermsError):
    """The rules file is broken (names the file, the rule and what to fix)."""


@dataclass(frozen=True)
class TopicRule:
    """One topic: the label users read and the patterns that say a sentence is about it."""

    topic: str
    label: str
    matcher: Matcher
    lead: Matcher = Matcher()  # a list item is about the topic when its lead-in matches this
    backoff: Matcher = Matcher()  # read only when no topic's own patterns, lead-in or heading did
    # ...or also beside other topics ("Tumblr may have to share certain data with TMG, including ...
    # geolocation data": a sentence on generated data that also says it is shared)
    backoff_beside: bool = False
    # a list item with no topic of its own (nor one its lead-in or heading gives) is about the topic
    # when its lead-in or heading matches this ("What personal data do we receive?" then "Registration
    # Information: ...": a collection statement, read as the provider's use of what it collects)
    backoff_lead: Matcher = Matcher()

    def matches(self, text: str) -> Hit | None:
        return self.matcher.search(text)


@dataclass(frozen=True)
class ExcludeRule:
    """A negative rule: sentences it matches are not about ``topics`` (e.g. arbitration opt-outs)."""

    id: str
    why: str
    topics: frozenset[str]
    matcher: Matcher
    inherit: bool = False  # also applies to the items of a list this rule's sentence introduces
    unless: Matcher = Matcher()  # the rule does not apply to a sentence this matches

    def rules_out(self, text: str) -> bool:
        """True when the rule matches ``text`` and its ``unless`` patterns do not."""
        return self.matcher.test(text) and not self.unless.test(text)


@dataclass(frozen=True)
class MaskRule:
    """Product names and set phrases blanked before matching (they say nothing about data use)."""

    id: str
    matcher: Matcher


@dataclass(frozen=True)
class ScopeRule:
    """A use, a kind of data or a limit a sentence can state (see the rules file's header)."""

    id: str
    phrase: str
    matcher: Matcher
    topic: str | None = None
    widens: bool = False


@dataclass(frozen=True)
class Sameness:
    """What reads the same: equivalent spellings, words whose change always matters, filler."""

    equivalent: tuple[frozenset[str], ...] = ()
    substantive: frozenset[str] = frozenset()
    filler: frozenset[str] = frozenset()
    pro_forms: frozenset[str] = frozenset()  # words standing for words the sentence already said ("those", "it")
    places: frozenset[str] = frozenset()  # where a clause applies ("the EEA or the UK"), not what it allows
    # words that change a sentence's scope when a rewording adds or drops them (with ``substantive``
    # and ``places``), and words after which any changed word changes a condition ("unless", "only")
    scope_words: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    recipients: frozenset[str] = frozenset()  # nouns for who gets data ("providers"): a word qualifying one matters

    def equivalent_words(self, old: str, new: str) -> bool:
        return any(old in group and new in group for group in self.equivalent)


@dataclass(frozen=True)
class TableRules:
    """How a table row is read by its own cells (``[table]``, :mod:`guard.terms.table_rows`): the column
    headers that make a cell name who gets the data, or a tracker, and the cell values that name no one."""

    party_headers: Matcher = Matcher()  # a column of recipients, providers, sub-processors, third parties
    tracker_headers: Matcher = Matcher()  # a column naming each row's cookie, pixel, SDK ... ("Cookie name")
    trackers: Matcher = Matcher()  # a cell that names a tracking technology ("Cookie", "Web beacon", "SDK")
    no_party: Matcher = Matcher()  # a cell that names no one outside ("First party", "N/A", "-", "Internal")
    third_party: Matcher = Matcher()  # a cell that says the row's tracker is a third party's ("3rd Party")


@dataclass(frozen=True)
class Rules:
    topics: tuple[TopicRule, ...]
    excludes: tuple[ExcludeRule, ...]
    masks: tuple[MaskRule, ...]
    uses: tuple[ScopeRule, ...]
    data: tuple[ScopeRule, ...]
    limits: tuple[ScopeRule, ...]
    negation: Matcher
    negation_window: int
    names: tuple[MaskRule, ...] = ()
    sameness: Sameness = Sameness()
    parties: tuple[ScopeRule, ...] = ()  # who else gets or acts on the data (affiliates, advertisers...)
    data_kinds: tuple[ScopeRule, ...] = ()  # finer kinds of data (location, contacts, search history...)
    pointers: Matcher = Matcher()  # sentences that only point elsewhere ("Learn more about ...")
    asides: Matcher = Matcher()  # the user's duties and rights, disclaimers, statements about the past
    asides_unless: Matcher = Matcher()  # ...unless the provider states a use in the same sentence
    topic_group: MatcherGroup | None = None  # the topics' patterns asked together (topic_matches)
    backoff_group: MatcherGroup | None = None  # their backoff patterns asked together (backoff_matches)
    table: TableRules = TableRules()  # a table row read by its own cells

    def topic_matches(self, text: str) -> list[bool]:
        """For each topic rule, whether its own patterns match ``text`` (each ``rule.matcher.test``),
        in one prefilter pass for all topics when the rules were compiled together."""
        group = self.topic_group
        if group is not None and group.key is self.topics:
            return group.matching(text, len(self.topics))
        return [rule.matcher.test(text) for rule in self.topics]

    def backoff_matches(self, text: str) -> list[bool]:
        """For each topic rule, whether its ``backoff`` patterns match ``text`` (as :meth:`topic_matches`)."""
        group = self.backoff_group
        if group is not None and group.key is self.topics:
            return group.matching(text, len(self.topics))
        return [rule.backoff.test(text) for rule in self.topics]

    def states_no_use(self, sentence: str) -> bool:
        """True when a sentence keeps its topics but states no use of its own: a pointer elsewhere,
        or an aside ("You are responsible for ...", "You have the right to request that we delete
        ...", "... is provided as is") in which the provider does not state a use as well."""
        return self.pointers.test(sentence) or (self.asides.test(sentence) and not self.asides_unless.test(sentence))

    def label(self, topic: str) -> str:
        return next((rule.label for rule in self.topics if rule.topic == topic), topic)

    def __iter__(self) -> Iterator[TopicRule]:
        """The topic rules, in order (what callers of the earlier rules tuple iterate over)."""
        return iter(self.topics)

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(rule.topic for rule in self.topics)


def default_rules_path() -> Path:
    return resources_dir() / "terms" / "topics.toml"


def _checked(patterns: Any, where: str) -> list[int]:
    """The program size of each of a rule's ``patterns``, once checked; :class:`RulesError` names a
    pattern RE2 cannot run."""
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise RulesError(f"{where}: 'patterns' must be a list of strings.")
    sizes = []
    for pattern in patterns:
        try:
            compile_pattern(pattern)  # the project's checks and plain-words reasons
            sizes.append(re2.compile(pattern, options=_OPTIONS).programsize)
        except PatternError as error:
            raise RulesError(f"{where}: {error}.") from None
        except re2.error as error:
            raise RulesError(f"{where}: pattern {pattern!r} is invalid ({error}).") from None
    return sizes


def compile_matcher(patterns: Any, where: str) -> Matcher:
    """The rule's ``patterns`` checked and compiled; :class:`RulesError` names a pattern RE2 cannot run."""
    return _built(patterns, _checked(patterns, where), where)


def _built(patterns: list[str], sizes: list[int], where: str) -> Matcher:
    if not patterns:
        return Matcher()
    try:
        if sum(sizes) <= matcher_module.JOIN_LIMIT:
            return Matcher(tuple(patterns), re2.compile("|".join(f"(?:{p})" for p in patterns), options=_OPTIONS))
        prefilter = re2.Filter()
        for pattern, size in zip(patterns, sizes, strict=True):
            prefilter.Add(pattern, _alone(size))
        prefilter.Compile()
    except re2.error as error:
        raise RulesError(f"{where}: the patterns cannot be joined ({error}).") from None
    return Matcher(tuple(patterns), None, prefilter, tuple(prefilter.re(i) for i in range(len(patterns))))


def compile_group(rules: list[tuple[Any, str]]) -> tuple[list[Matcher], MatcherGroup | None]:
    """Several rules' ``(patterns, where)`` compiled as :func:`compile_matcher` would, and a
    :class:`MatcherGroup` that says in one pass which of them match a text. Each pattern is in the
    group's prefilter; a large rule matches through that prefilter (no second copy of its
    patterns), a small one also keeps its joined expression."""
    checked = [(patterns, _checked(patterns, where), where) for patterns, where in rules]
    prefilter = re2.Filter()
    owner: list[int] = []
    for position, (patterns, sizes, where) in enumerate(checked):
        try:
            for pattern, size in zip(patterns, sizes, strict=True):
                prefilter.Add(pattern, _alone(size))
                owner.append(position)
        except re2.error as error:
            raise RulesError(f"{where}: the patterns cannot be joined ({error}).") from None
    if not owner:
        return [Matcher() for _ in rules], None
    try:
        prefilter.Compile()
    except re2.error as error:
        raise RulesError(f"{rules[0][1]}: the rules' patterns cannot be prefiltered together ({error}).") from None
    matchers = []
    base = 0
    for patterns, sizes, where in checked:
        if patterns and sum(sizes) > matcher_module.JOIN_LIMIT:
            matchers.append(Matcher(tuple(patterns), None, prefilter,
                                    tuple(prefilter.re(i) for i in range(base, base + len(patterns))), base))
        else:
            matchers.append(_built(patterns, sizes, where))
        base += len(patterns)
    return matchers, MatcherGroup(prefilter, tuple(owner), None)


def _topic_id(value: Any, where: str) -> str:
    try:
        return ClauseTopic(value).value  # earlier ids (e.g. "opt-out") load as today's
    except ValueError:
        known = sorted(topic.value for topic in ClauseTopic)
        raise RulesError(f"{where}: topic {value!r} is not one of {known}.") from None


def _flag(entry: dict[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise RulesError(f"{where}: {key!r} must be true or false.")
    return value


def _entries(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RulesError(f"Rules {path}: [[{key}]] must be tables.")
    return value


def parse_rules(data: dict[str, Any], path: Path) -> Rules:
    """Rules from the parsed TOML ``data``; :class:`RulesError` names what is wrong."""
    entries = _entries(data, "topic", path)
    wheres = [f"Rules {path}, topic[{position}]" for position in range(len(entries))]
    ids = [_topic_id(entry.get("id"), where) for entry, where in zip(entries, wheres, strict=True)]
    # every sentence is asked about every topic: the topics' patterns share one prefilter (compile_group)
    own, group = compile_group([(entry.get("patterns"), where) for entry, where in zip(entries, wheres, strict=True)])
    # ...and so is a sentence no topic's patterns found, about every topic's backoff
    backoffs, backoff_group = compile_group([(entry.get("backoff_patterns", []), f"{where} backoff_patterns")
                                             for entry, where in zip(entries, wheres, strict=True)])
    topics = []
    for entry, where, topic, matcher, backoff in zip(entries, wheres, ids, own, backoffs, strict=True):
        topics.append(TopicRule(topic, str(entry.get("label", topic)), matcher,
                                compile_matcher(entry.get("lead_patterns", []), f"{where} lead_patterns"),
                                backoff, _flag(entry, "backoff_beside", where),
                                compile_matcher(entry.get("backoff_lead_patterns", []),
                                                f"{where} backoff_lead_patterns")))
    excludes = []
    for position, entry in enumerate(_entries(data, "exclude", path)):
        where = f"Rules {path}, exclude[{position}] ({entry.get('id', '?')})"
        listed = entry.get("topics")
        if not isinstance(listed, list) or not listed:
            raise RulesError(f"{where}: 'topics' must list the topics the rule rules out (\"*\": all).")
        every = frozenset(topic.value for topic in ClauseTopic)
        excludes.append(ExcludeRule(str(entry.get("id", position)), str(entry.get("why", "")),
                                    every if "*" in listed else frozenset(_topic_id(t, where) for t in listed),
                                    compile_matcher(entry.get("patterns"), where), bool(entry.get("inherit", False)),
                                    compile_matcher(entry.get("unless", []), f"{where} unless")))
    masks = [MaskRule(str(entry.get("id", position)),
                      compile_matcher(entry.get("patterns"), f"Rules {path}, mask[{position}]"))
             for position, entry in enumerate(_entries(data, "mask", path))]

    def scope(key: str) -> tuple[ScopeRule, ...]:
        rules = []
        for position, entry in enumerate(_entries(data, key, path)):
            where = f"Rules {path}, {key}[{position}] ({entry.get('id', '?')})"
            if not entry.get("id") or not entry.get("phrase"):
                raise RulesError(f"{where}: 'id' and 'phrase' are required.")
            topic = _topic_id(entry["topic"], where) if "topic" in entry else None
            rules.append(ScopeRule(str(entry["id"]), str(entry["phrase"]),
                                   compile_matcher(entry.get("patterns"), where), topic,
                                   bool(entry.get("widens", False))))
        return tuple(rules)

    negation = data.get("negation", {})
    if not isinstance(negation, dict):
        raise RulesError(f"Rules {path}: [negation] must be a table.")
    window = negation.get("window", 160)
    if not isinstance(window, int) or not 0 < window <= 1000:
        raise RulesError(f"Rules {path}: [negation] window must be a number of characters from 1 to 1000.")
    names = [MaskRule(str(entry.get("id", position)),
                      compile_matcher(entry.get("patterns"), f"Rules {path}, name[{position}]"))
             for position, entry in enumerate(_entries(data, "name", path))]
    topic_rules = tuple(topics)
    for built in (group, backoff_group):
        if built is not None:
            built.key = topic_rules
    return Rules(topic_rules, tuple(excludes), tuple(masks), scope("use"), scope("data"), scope("limit"),
                 compile_matcher(negation.get("patterns", []), f"Rules {path}, [negation]"), window, tuple(names),
                 _sameness(data.get("equivalent", {}), path), scope("party"), scope("data_kind"),
                 _pointers(data.get("pointer", {}), path), *_asides(data.get("aside", {}), path), group,
                 backoff_group, _table(data.get("table", {}), path))


def _table(table: Any, path: Path) -> TableRules:
    if not isinstance(table, dict):
        raise RulesError(f"Rules {path}: [table] must be a table.")
    return TableRules(*(compile_matcher(table.get(key, []), f"Rules {path}, [table] {key}")
                        for key in ("party_headers", "tracker_headers", "trackers", "no_party", "third_party")))


def _pointers(table: Any, path: Path) -> Matcher:
    if not isinstance(table, dict):
        raise RulesError(f"Rules {path}: [pointer] must be a table.")
    return compile_matcher(table.get("patterns", []), f"Rules {path}, [pointer]")


def _asides(table: Any, path: Path) -> tuple[Matcher, Matcher]:
    if not isinstance(table, dict):
        raise RulesError(f"Rules {path}: [aside] must be a table.")
    return (compile_matcher(table.get("patterns", []), f"Rules {path}, [aside]"),
            compile_matcher(table.get("unless", []), f"Rules {path}, [aside] unless"))


def _words(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesError(f"{where} must be a list of strings.")
    return frozenset(" ".join(item.casefold().split()) for item in value)


def _sameness(table: Any, path: Path) -> Sameness:
    if not isinstance(table, dict):
        raise RulesError(f"Rules {path}: [equivalent] must be a table.")
    groups = table.get("phrases", [])
    if not isinstance(groups, list):
        raise RulesError(f"Rules {path}: [equivalent] phrases must be a list of lists of strings.")
    return Sameness(tuple(_words(group, f"Rules {path}, [equivalent] phrases") for group in groups),
                    _words(table.get("substantive", []), f"Rules {path}, [equivalent] substantive"),
                    _words(table.get("filler", []), f"Rules {path}, [equivalent] filler"),
                    _words(table.get("pro_forms", []), f"Rules {path}, [equivalent] pro_forms"),
                    _words(table.get("places", []), f"Rules {path}, [equivalent] places"),
                    _words(table.get("scope_words", []), f"Rules {path}, [equivalent] scope_words"),
                    _words(table.get("conditions", []), f"Rules {path}, [equivalent] conditions"),
                    _words(table.get("recipients", []), f"Rules {path}, [equivalent] recipients"))


@lru_cache(maxsize=8)
def load_rules(path: Path | None = None) -> Rules:
    """Read and compile the rules file (the shipped one by default)."""
    path = path or default_rules_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RulesError(f"Topic rules {path} cannot be read ({error}); reinstall the app.") from None
    return parse_rules(data, path)
