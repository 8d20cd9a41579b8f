"""Align, classify and summarise two texts of a document (pure): the changes a user reads.

A sentence that only moved (it is found, in substance, anywhere in the other version) is not a
change of the clause it left or joined; only sentences new to the document or gone from it are
classified. So a clause split in two, or merged, reads as what it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from guard.events import ClauseChange
from guard.jsonable import to_json_data
from guard.terms.classify import Classification, Severity, classify, sentence_topics
from guard.terms.diff import ChangeKind, Clause, ClauseDiff, comparable, diff_markdown, sentences, split_clauses
from guard.terms.rules import Rules, load_rules
from guard.terms.scope import blanked, mask, same_scope, scope_of
from guard.terms.summary import summarise_parts
from guard.terms.summary_model import ChangeSummary
from guard.terms.summary_words import say_summary
from guard.terms.table_rows import read_row, table_headers
from guard.terms.wording import (
    Segment,
    consistent_renames,
    commitment_changed,
    documents_named_only,
    example_added_or_dropped,
    pro_form_only,
    is_date_only,
    list_item_changed,
    pair_rewordings,
    read_changed_words,
    reordered,
    replacements,
    same_meaning,
    substance,
    without_defined_term,
    without_titles,
    without_examples,
    word_diff,
)


@dataclass(frozen=True)
class AnalysedChange:
    diff: ClauseDiff
    topics: tuple[str, ...]
    summary: str | None
    severity: Severity = Severity.MINOR
    gone: tuple[str, ...] = ()  # sentences only in the old wording
    added: tuple[str, ...] = ()  # sentences only in the new wording
    said: ChangeSummary | None = None  # the summary as values, said in the user's language when shown
    parts: tuple[AnalysedChange, ...] = ()  # a section added or removed whole: its clauses (guard.terms.sections)

    @property
    def clause_count(self) -> int:
        """How many clause changes this is (a section told as one counts its clauses)."""
        return len(self.parts) or 1

    @property
    def relevant(self) -> bool:
        """True when the change touches a watched topic (AI training, licence, data use...) in substance."""
        return bool(self.topics) and self.severity is not Severity.WORDING

    @property
    def material(self) -> bool:
        """True when what the provider may do with data grew or shrank."""
        return self.relevant and self.severity is Severity.MATERIAL

    @property
    def kind(self) -> ChangeKind:
        return self.diff.kind

    def highlights(self) -> list[Segment]:
        """Word-level differences between the two wordings (empty when one side is missing)."""
        if self.diff.old_text is None or self.diff.new_text is None:
            return []
        return word_diff(self.diff.old_text, self.diff.new_text)

    def to_clause_change(self) -> ClauseChange:
        return ClauseChange(topics=self.topics, old=self.diff.old_text, new=self.diff.new_text,
                            section=self.diff.section, summary=self.summary, severity=str(self.severity),
                            kind=str(self.diff.kind), said=self.said, clauses=self.clause_count)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.diff.kind), "section": self.diff.section, "topics": list(self.topics),
                "severity": str(self.severity), "relevant": self.relevant, "summary": self.summary,
                "summary_parts": to_json_data(self.said),
                "old": self.diff.old_text, "new": self.diff.new_text,
                "sentences_removed": list(self.gone), "sentences_added": list(self.added),
                "unpaired": self.diff.unpaired,
                "words": [{"op": s.op, "old": s.old, "new": s.new} for s in self.highlights()]}


_ENDS_SENTENCE = re.compile(r"[.!?:;)\]\"'”’*|]\s*$")
_STARTS_LOWER = re.compile(r"^\W{0,3}[a-z]")


@dataclass(frozen=True)
class _Keys:
    """A version's sentences in substance form, and the pieces of sentences cut in two by a
    paragraph break ("... opt out of cookies on our sites" / "for advertising purposes by ..."),
    whose joined form is a key too, so the same sentence cut or joined differently is not a change."""

    sentences: frozenset[str]
    pieces: frozenset[str] = frozenset()
    joined: frozenset[str] = frozenset()  # the joined forms of the cut sentences
    places: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False)  # (place, sentence): times
    by_clause: Mapping[int, frozenset[str]] = field(default_factory=dict, compare=False)  # each clause's sentences

    def __contains__(self, key: object) -> bool:
        return key in self.sentences

    def stands(self, key: str) -> bool:
        """True when ``key`` is a whole sentence here (not only two pieces joined)."""
        return key in self.sentences and key not in self.joined

    def copied_here(self, key: str, index: int, place: str, other: _Keys) -> bool:
        """True when ``key`` (in clause ``index``) stands under ``place`` (its heading or section),
        and in the whole document, more often than in the other version, which has the place and
        the sentence: a sentence copied into another part ("you may withdraw your consent", now
        said for Canada too) is new there; one moved from another section, or said again in the
        clause just before or after it, is not."""
        return (other.stands(key) and (place, "") in other.places
                and self.places.get((place, key), 0) > other.places.get((place, key), 0)
                and not any(key in self.by_clause.get(index + step, ()) for step in (-1, 1))
                and self.places.get(("", key), 0) > other.places.get(("", key), 0))

    def holds_piece(self, key: str, other: _Keys) -> bool:
        """True when ``key`` is a piece of a cut sentence here and the other version has it inside one sentence."""
        return key in self.pieces and any(key in sentence for sentence in other.sentences)


def _sentence_keys(markdown: str) -> _Keys:
    clauses = split_clauses(markdown)
    places: Counter[tuple[str, str]] = Counter()
    by_clause: dict[int, frozenset[str]] = {}
    for clause in clauses:
        place = _place(clause)
        found = [substance(sentence) for sentence in sentences(clause.text)]
        places.update((place, key) for key in found)
        places.update(("", key) for key in found)  # in the whole document
        places[(place, "")] += 1
        by_clause[clause.index] = frozenset(found)
    keys = {key for _, key in places if key}
    pieces: set[str] = set()
    joined: set[str] = set()
    for first, second in zip(clauses, clauses[1:], strict=False):
        if _ENDS_SENTENCE.search(first.text) or not _STARTS_LOWER.match(second.text):
            continue
        head, tail = sentences(first.text)[-1:], sentences(second.text)[:1]
        if head and tail:
            joined.add(substance(f"{head[0]} {tail[0]}"))
            pieces |= {substance(head[0]), substance(tail[0])}
    joined -= keys
    keys |= joined
    return _Keys(frozenset(keys), frozenset(pieces), frozenset(joined), places, by_clause)


def _place(clause: Clause) -> str:
    """Where a clause stands: the heading it is under, else its section number."""
    return comparable(clause.heading or clause.section or "")


@dataclass(frozen=True)
class _Prepared:
    diff: ClauseDiff
    gone: tuple[str, ...]
    added: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]  # (old sentence, new sentence) that are rewordings of each other


def _prepare(diff: ClauseDiff, old_keys: _Keys, new_keys: _Keys) -> _Prepared:
    old_sentences = sentences(diff.old.text) if diff.old else []
    new_sentences = sentences(diff.new.text) if diff.new else []
    old_here = {substance(s) for s in old_sentences}
    new_here = {substance(s) for s in new_sentences}
    # a sentence found elsewhere in the other version moved, unless it is a full sentence copied
    # into this part of the document (or dropped here but kept elsewhere); a paragraph restating
    # the one next to it, or a short pointer ("Learn more.") repeated, stays quiet
    old_place = _place(diff.old) if diff.old else ""
    new_place = _place(diff.new) if diff.new else ""
    gone = tuple(s for s in old_sentences if substance(s) not in new_here and (
        substance(s) not in new_keys and not old_keys.holds_piece(substance(s), new_keys)
        or _is_full(s) and diff.old is not None
        and old_keys.copied_here(substance(s), diff.old.index, old_place, new_keys)))
    added = tuple(s for s in new_sentences if substance(s) not in old_here and (
        substance(s) not in old_keys and not new_keys.holds_piece(substance(s), old_keys)
        or _is_full(s) and diff.new is not None
        and new_keys.copied_here(substance(s), diff.new.index, new_place, old_keys)))
    return _Prepared(diff, gone, added, pair_rewordings(gone, added))


FULL_SENTENCE_WORDS = 12
_WHOLE = (ChangeKind.ADDED, ChangeKind.REMOVED)  # a clause added or dropped as a whole


def _is_full(sentence: str) -> bool:
    """A sentence long enough to say something on its own (not "Learn more about cookies.")."""
    return len(sentence.split()) >= FULL_SENTENCE_WORDS


def _blank_names(sentence: str, rules: Rules) -> str:
    return blanked(sentence, (*rules.names, *rules.masks))


def is_heading_only(text: str) -> bool:
    """A clause that is only a title ('5.5 HIPAA Compliance & BAA', '## Who is the data controller')."""
    plain = " ".join(text.replace("*", "").replace("#", "").replace("\\", "").split())
    words = plain.split()
    if text.lstrip().startswith("#") and len(words) <= 40 and not plain.endswith((".", ";")):
        return True  # a Markdown heading, however long ("## Who Can See, Share, and Process My Personal Data ...?")
    return bool(words) and len(words) <= 14 and not plain.endswith((".", ";")) and sum(
        1 for ch in plain if ch in ".;") <= 3


def _is_name(rules: Rules) -> Callable[[str], bool]:
    filler = rules.sameness.filler

    def is_name(words: str) -> bool:
        text = blanked(words, (*rules.names, *rules.masks))
        return text != words and all(word in filler for word in text.split())

    return is_name


def analyse(old: str, new: str, rules: Rules | None = None) -> list[AnalysedChange]:
    """Every clause change from ``old`` to ``new`` with topics, severity and (when it touches a
    topic in substance) a plain-words summary; in the order of the new text."""
    rules = rules if isinstance(rules, Rules) else load_rules()
    diffs = diff_markdown(old, new)
    if not diffs:
        return []
    old_keys, new_keys = _sentence_keys(old), _sentence_keys(new)
    prepared = [_prepare(diff, old_keys, new_keys) for diff in diffs]
    found = (pair for item in prepared for a, b in item.pairs for pair in replacements(a, b, expansions=True))
    renames = consistent_renames(found, new_text=substance(new))
    renames = frozenset(pair for pair in renames if not _names_others(pair, rules))
    tables = _Tables(table_headers(split_clauses(old)), table_headers(split_clauses(new)))
    return [_analyse(item, rules, renames, tables) for item in prepared]


@dataclass(frozen=True)
class _Tables:
    """The header cells of each table row of the old and the new text, by clause index."""

    old: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    new: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


def _with_row(result: Classification, diff: ClauseDiff, tables: _Tables, rules: Rules) -> Classification:
    """The classification with what a table row's own cells say (:mod:`guard.terms.table_rows`): the
    party it names under a recipients column, the tracker it adds or drops. A row added or removed, or
    a party cell that changed, names its party or tracker for the first time or no longer: material."""
    reading = read_row(diff.old, diff.new, tables.old.get(diff.old.index) if diff.old else None,
                       tables.new.get(diff.new.index) if diff.new else None, rules)
    extra = set(reading.topics) - set(result.topics)
    if not extra:
        return result
    topics = tuple(topic for topic in rules.order if topic in extra or topic in result.topics)
    material = diff.kind in _WHOLE or bool(reading.parties)
    return replace(result, topics=topics, severity=Severity.MATERIAL if material else result.severity)


def _topics_of(text: str, rules: Rules) -> frozenset[str]:
    return frozenset(sentence_topics(text, rules))


def _names_scope(text: str, rules: Rules) -> bool:
    """True when ``text`` names a recipient or a kind of data."""
    masked = mask(text, rules)
    return any(rule.matcher.test(masked) for rule in (*rules.parties, *rules.data_kinds))


def _names_others(pair: tuple[str, str], rules: Rules) -> bool:
    """True when a replacement made throughout names other recipients, kinds of data or uses
    ("partners" -> "partners and affiliates" everywhere is a wider sharing, not a rename)."""
    old, new = (scope_of([text], rules) for text in pair)
    return (old.parties != new.parties or old.kinds != new.kinds or old.data != new.data
            or old.uses != new.uses or old.limits != new.limits)


def _analyse(item: _Prepared, rules: Rules, renames: frozenset[tuple[str, str]],
             tables: _Tables = _Tables()) -> AnalysedChange:
    diff = item.diff
    sameness = rules.sameness
    is_name = _is_name(rules)
    def same(a: str, b: str) -> bool:
        return same_meaning(a, b, equivalent=sameness.equivalent_words, substantive=sameness.substantive,
                            filler=sameness.filler, is_name=is_name, renames=renames)

    def light(a: str, b: str) -> bool:
        """A pro-form for words still said, or the same words reordered, with no scope or commitment moved."""
        return ((pro_form_only(a, b, pro_forms=sameness.pro_forms)
                 or reordered(a, b, substantive=sameness.substantive, filler=sameness.filler))
                and same_scope(a, b, rules) and not commitment_changed(a, b))

    def worded(a: str, b: str) -> bool:
        """The words that changed carry no topic and no change of scope (:func:`read_changed_words`),
        and the sentence states the same scope, as firmly, with the same items listed."""
        return (read_changed_words(a, b, scope_words=sameness.substantive | sameness.places | sameness.scope_words,
                                   conditions=sameness.conditions, topics_of=lambda text: _topics_of(text, rules),
                                   names_scope=lambda text: _names_scope(text, rules),
                                   filler=sameness.filler, recipients=sameness.recipients).wording_only
                and same_scope(a, b, rules) and not commitment_changed(a, b)
                and not list_item_changed(a, b, filler=sameness.filler, renames=renames))

    reworded = [(a, b) for a, b in item.pairs if same(a, b) or same(_blank_names(a, rules), _blank_names(b, rules))
                or same(without_defined_term(a), without_defined_term(b))
                or example_added_or_dropped(a, b) and same(without_examples(a), without_examples(b))
                or light(a, b) or worded(a, b)]
    quiet_old = {a for a, _ in reworded}
    quiet_new = {b for _, b in reworded}
    gone = tuple(s for s in item.gone if s not in quiet_old)
    added = tuple(s for s in item.added if s not in quiet_new)
    if gone and added and len(gone) + len(added) <= 8:
        # the same sentences cut in two or joined differently ("... the Services. We also ..." read
        # as one sentence in one version and two in the other)
        joined_old, joined_new = " ".join(gone), " ".join(added)
        if same(joined_old, joined_new):
            gone, added = (), ()
    quiet = diff.quiet or (diff.kind is ChangeKind.CHANGED and (not (gone or added) or (
        diff.old is not None and diff.new is not None and is_date_only(diff.old.text, diff.new.text))))
    context = sentences(diff.new.text) if diff.new else sentences(diff.old.text) if diff.old else []
    clause = diff.new or diff.old
    lead = clause.lead if clause is not None else None
    listed = clause is not None and (bool(lead) or clause.text.lstrip().startswith("|"))
    row = diff.new is not None and diff.new.index in tables.new or diff.old is not None and diff.old.index in tables.old
    if clause is not None and is_heading_only(clause.text) and not (listed and diff.kind in _WHOLE) and not row:
        # a bare heading introduces; what it heads is classified where it changed. An item added
        # to or dropped from a list with a lead-in, or a table row, is no heading, however short
        # ("- Contentsquare SAS (analytics software)" under "A list of processors and other
        # recipients includes:"; "| Cookie | vd | Used for Advertising | 1 month | Marketing |"), and
        # a table row below its header row is no heading when it changes either ("| x.example | uid |
        # 3rd Party |" given other cookies)
        gone, added = (), ()
    continues = {**_continued(sentences(diff.old.text) if diff.old else [], gone),
                 **_continued(sentences(diff.new.text) if diff.new else [], added)}
    only = _documents_named(item.pairs, gone, added, rules)
    result: Classification = classify(gone, added, rules, quiet=quiet, context=context, lead=lead,
                                      continues=continues, only=only,
                                      heading=clause.heading if clause is not None else None,
                                      old_clause=sentences(diff.old.text)
                                      if diff.kind is ChangeKind.CHANGED and diff.old else (), renames=renames)
    if not quiet and (gone or added) and clause is not None and clause.text.lstrip().startswith("|"):
        result = _with_row(result, diff, tables, rules)
    if quiet and diff.kind is ChangeKind.CHANGED:
        diff = ClauseDiff(ChangeKind.WORDING, diff.old, diff.new, diff.score)
    said = summarise_parts(diff, result, gone, added, rules) \
        if result.topics and result.severity is not Severity.WORDING else None
    return AnalysedChange(diff, result.topics, say_summary(said) if said is not None else None, result.severity, gone,
                          added, said)


def _documents_named(pairs: Sequence[tuple[str, str]], gone: Sequence[str], added: Sequence[str],
                      rules: Rules) -> dict[str, frozenset[str]]:
    """For each rewording that only names one more (or one fewer, or a renamed) document ("our
    Acceptable Use Policy, Numbering Policy, ..."), the topics it may count for: those of its own
    words outside titles ("content is processed to ensure compliance with ...": a use), and those
    a title added or dropped names (a "Data Processing Addendum" is about processors); not a topic
    read only from a title it named before and still names ("Government Requests Guide")."""
    only: dict[str, frozenset[str]] = {}
    for old, new in pairs:
        if old in gone and new in added:
            named = documents_named_only(old, new)
            if named is not None:
                said = {*sentence_topics(without_titles(old), rules), *sentence_topics(without_titles(new), rules)}
                only[old] = only[new] = frozenset((*sentence_topics(named, rules), *said))
    return only


_ENUMERATED = re.compile(r"^\W{0,3}\(?(?:\d{1,2}|[ivx]{1,5}|[a-h])\)\s")


def _continued(clause_sentences: Sequence[str], changed: Sequence[str]) -> dict[str, str]:
    """For each changed sentence that is an enumerated part of a longer one ("(4) protect ..."),
    the start of that longer sentence (the nearest earlier part that is not enumerated)."""
    found: dict[str, str] = {}
    wanted = set(changed)
    start: str | None = None
    for sentence in clause_sentences:
        if _ENUMERATED.match(sentence) is None:
            start = sentence
        elif sentence in wanted and start is not None:
            found[sentence] = start
    return found


def analyse_diff(diff: ClauseDiff, old_keys: frozenset[str], new_keys: frozenset[str], rules: Rules) -> AnalysedChange:
    """One change on its own (no document-wide renames)."""
    return _analyse(_prepare(diff, _Keys(old_keys), _Keys(new_keys)), rules, frozenset())


def relevant_changes(changes: list[AnalysedChange]) -> tuple[ClauseChange, ...]:
    """The changes a user is told about (material first, then minor), as event values; a section
    added or removed whole is one of them (:func:`guard.terms.sections.readable_changes`)."""
    from guard.terms.sections import readable_changes

    changes = readable_changes(changes)
    ordered = [c for c in changes if c.material] + [c for c in changes if c.relevant and not c.material]
    return tuple(change.to_clause_change() for change in ordered)
