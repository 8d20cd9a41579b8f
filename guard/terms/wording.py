"""What counts as the same wording, and where two wordings differ word by word (pure functions).

Two wordings are the *same in substance* when they differ only in markup, spacing, quote and
dash styles, letter case, punctuation, contractions ("we'll" / "we will"), cross-reference
numbers ("Section 10.2" / "Section 10.5") or the clause's own number. Such changes are
"wording only" and stay quiet. The patterns here are fixed and simple (no nested repeats), so
they run in linear time on any text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from guard.terms.charmap import CharMap

_TRANSLATE = CharMap({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "´": "'", "`": "'",
                            "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " ", "\u202f": " "})
CONTRACTIONS = {
    "won't": "will not", "can't": "cannot", "shan't": "shall not", "n't": " not", "'ll": " will", "'re": " are",
    "'ve": " have", "'d": " would", "'m": " am", "let's": "let us",
}
_CONTRACTION = re.compile(r"\b(?:won't|can't|shan't|let's)|(?<=[a-z])(?:n't|'ll|'re|'ve|'d|'m)\b")
_IT_IS = re.compile(r"\b(it|that|there|what|who|here)'s\b")
_CROSS_REFERENCE = re.compile(
    r"\b(sections?|clauses?|paragraphs?|articles?|parts?|exhibits?|schedules?|appendix|appendices|§+)\s*"
    r"(?:\d{1,3}(?:\.\d{1,3})*[a-z]?(?:\([a-z0-9]{1,4}\))*)"
    r"(?:\s*(?:,|and|or|to|through|-)\s*\d{1,3}(?:\.\d{1,3})*[a-z]?(?:\([a-z0-9]{1,4}\))*){0,8}")
_LEADING_NUMBER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:[-*+]\s+)?(?:\\?\d{1,3}(?:\.\d{1,3})*\\?[.)]?|\(?(?:[a-z0-9]{1,4}[.)]){1,4})\s+")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_NON_WORD = re.compile(r"[^\w#]+")
_TOKEN = re.compile(r"\w+|[^\w\s]|\s+")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def unescaped(text: str) -> str:
    """``text`` as a reader sees it: Markdown backslash escapes (``\\_``, ``\\*``) shown as the character."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


def plain(text: str) -> str:
    """The words a reader sees: links to their text, no emphasis or escapes, one spacing, plain quotes."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = text.replace("\\", "").replace("**", "").replace("__", "")
    return " ".join(_TRANSLATE(text).split())


def expand_contractions(text: str) -> str:
    """'we'll' → 'we will', 'won't' → 'will not' (``text`` lower case, plain quotes)."""
    text = _IT_IS.sub(r"\1 is", text)
    return _CONTRACTION.sub(lambda m: CONTRACTIONS.get(m.group(0), CONTRACTIONS.get(m.group(0)[-3:], m.group(0))),
                            text)


@lru_cache(maxsize=65536)
def substance(text: str) -> str:
    """The wording with everything that is not substance taken out (see the module docstring)."""
    text = plain(text).casefold()
    text = _LEADING_NUMBER.sub("", text)
    text = expand_contractions(text).replace("can not", "cannot")
    text = _CROSS_REFERENCE.sub(_reference_mark, text)
    return " ".join(_NON_WORD.sub(" ", text).split())


_REFERENCE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*[a-z]?(?:\([a-z0-9]{1,4}\))*")


def _reference_mark(match: re.Match[str]) -> str:
    """A cross-reference without its numbers, one mark per section it names: "Section 10.2" and
    "Section 10.5" read alike, "Section 4" and "Sections 4, 5, 6, 7 and 8" do not (an exception
    that now points at five sections is a wider exception, not a renumbering)."""
    count = len(_REFERENCE_NUMBER.findall(match.group(0)[len(match.group(1)):]))
    return f"{match.group(1).rstrip('s')} {' '.join('#' * max(count, 1))}"


# A number followed by one of these is a period ("6 months" -> "18 months"), not a date.
_UNITS = frozenset(("second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
                    "month", "months", "year", "years", "percent", "gb", "mb", "times"))


# A number after one of these is an age or a threshold ("under the age of 13" -> "... of 16"), not a date.
_AGE_WORDS = frozenset(("age", "aged", "ages", "under", "over", "least"))


# A date is the document's own (when it took effect, was updated or posted) when one of these comes
# shortly before it ("Effective Date: March 31, 2023", "Last updated on 1 May 2024"); a date anywhere
# else in a clause is part of what the clause allows ("we keep transcripts until 31 December 2024",
# "content collected before 2024"), and changing it changes the clause.
_DOCUMENT_DATE_WORDS = frozenset(("effective", "updated", "update", "revised", "revision", "modified", "dated",
                                  "published", "posted", "amended", "version", "date", "last"))
_DOCUMENT_DATE_REACH = 6  # words between the document-date word and the date's first word


def _is_date_token(token: str, preceding: str, following: str) -> bool:
    """A month name, a year (1900-2099) or a day number beside a month name."""
    if token in _MONTHS:
        return True
    if not token.isdigit():
        return False
    if len(token) == 4:
        return 1900 <= int(token) <= 2099
    return len(token) <= 2 and 1 <= int(token) <= 31 and (preceding in _MONTHS or following in _MONTHS)


def _document_date_at(words: Sequence[str], position: int) -> bool:
    """True when the date word at ``position`` is the document's own date (see _DOCUMENT_DATE_WORDS),
    or the clause holds nothing but a date."""
    start = position
    while start > 0 and _is_date_token(words[start - 1], words[start - 2] if start > 1 else "", words[start]):
        start -= 1
    if all(word in _MONTHS or word.isdigit() for word in words):
        return True
    return any(word in _DOCUMENT_DATE_WORDS for word in words[max(0, start - _DOCUMENT_DATE_REACH):start])


# How much work a word-by-word comparison (difflib, every word kept) may take: the pairs of equal
# words, old x new, which its inner loop visits. It grows with the square of a clause's length when
# words repeat: a real 8,513-word clause (Meta's Llama API terms) is 0.8 million in substance form
# and 71 million as tokens with their spaces (31 s to mark word by word); a hostile page's one
# paragraph of 5 MB, far more. Past this, a clause is compared sentence by sentence (highlights)
# or read as changed (the more careful answer), never word by word.
WORD_WORK = 2_000_000


def comparable_words(a: Sequence[Hashable], b: Sequence[Hashable]) -> bool:
    """True when ``a`` and ``b`` can be compared item by item within :data:`WORD_WORK`."""
    if len(a) * len(b) <= WORD_WORK:
        return True
    counts = Counter(b)
    return sum(counts.get(item, 0) for item in a) <= WORD_WORK


def is_date_only(old: str, new: str) -> bool:
    """True when the wordings differ only in the document's own dates (day numbers, month names,
    years after "effective", "last updated" ...), not in a period, an amount, an age or a date the
    clause sets ("30 days" -> "90 days", "under 13" -> "under 16", "up to 3 partners" -> "up to 300",
    "until 31 December 2024" -> "... 2099" change what the text allows). Wordings too long to compare
    word by word are not (:data:`WORD_WORK`)."""
    a, b = substance(old).split(), substance(new).split()
    if not comparable_words(a, b):
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    changed: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for words, start, end in ((a, i1, i2), (b, j1, j2)):
            for position in range(start, end):
                token = words[position]
                following = words[position + 1] if position + 1 < len(words) else ""
                preceding = words[position - 1] if position else ""
                if token.isdigit() and (following in _UNITS or preceding in _AGE_WORDS):
                    return False
                if not _is_date_token(token, preceding, following) or not _document_date_at(words, position):
                    return False
                changed.append(token)
    return bool(changed)


@dataclass(frozen=True)
class Segment:
    """One run of a word-level comparison: ``equal``, ``delete`` (old only), ``insert`` (new only)
    or ``replace`` (old text replaced by new text)."""

    op: str
    old: str
    new: str


def word_diff(old: str, new: str) -> list[Segment]:
    """Where two wordings differ, word by word (for side-by-side highlights). A clause too long
    for that (:data:`WORD_WORK`) is compared sentence by sentence first, then word by word within
    the sentences that changed; a run of changed sentences still too long is one replacement.
    Either way the segments' ``old`` parts make ``old`` and their ``new`` parts make ``new``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if comparable_words(a, b):
        return _merge_spaces(_token_segments(a, b))
    old_parts, new_parts = _SENTENCE_PIECE.findall(old), _SENTENCE_PIECE.findall(new)
    if not comparable_words(old_parts, new_parts):
        return [Segment("replace", old, new)]
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(old_parts[i1:i2]), "".join(new_parts[j1:j2])
        if tag == "equal":
            segments.append(Segment("equal", left, right))
            continue
        a, b = _TOKEN.findall(left), _TOKEN.findall(right)
        segments.extend(_token_segments(a, b) if comparable_words(a, b) else
                        [Segment("delete" if not right else "insert" if not left else "replace", left, right)])
    return _merge_spaces(segments)


_SENTENCE_PIECE = re.compile(r"[^.!?;]*(?:[.!?;]+\s*|$)")  # a sentence with the spaces after it


def _token_segments(a: list[str], b: list[str]) -> list[Segment]:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [Segment(tag, "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def _merge_spaces(segments: list[Segment]) -> list[Segment]:
    """Fold a lone space between two changes into them, so highlights cover whole phrases."""
    merged: list[Segment] = []
    for segment in segments:
        if (merged and segment.op != "equal" and len(merged) >= 2 and merged[-1].op == "equal"
                and not merged[-1].old.strip() and merged[-2].op != "equal"):
            space = merged.pop()
            previous = merged.pop()
            merged.append(Segment("replace", previous.old + space.old + segment.old,
                                  previous.new + space.new + segment.new))
            continue
        merged.append(segment)
    return merged


def replacements(old: str, new: str, *, expansions: bool = False) -> list[tuple[str, str]]:
    """The (old words, new words) pairs that differ between two wordings in substance form. With
    ``expansions``, words added with "and" after a kept word are given with that word ("products"
    -> "products and services"), so a term expanded throughout a document can be told as a rename
    (the caller must rule out expansions that name other parties or data: "partners and affiliates")."""
    a, b = substance(old).split(), substance(new).split()
    if not comparable_words(a, b):
        return [(" ".join(a), " ".join(b))]  # too long to compare word by word: no rename is read from it
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if expansions:
        return [_with_context(a, b, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                if tag != "equal"]
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"]


_NAMED_RUN = 3  # a word run dropped from (or put into) a name: "Dune Analytics Product" -> "Dune Product"


def _with_context(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> tuple[str, str]:
    if i1 == i2 and i1 > 0 and j1 > 0 and b[j1] == "and":  # "products" -> "products and services"
        return " ".join(a[i1 - 1:i2]), " ".join(b[j1 - 1:j2])
    if ((i1 == i2) != (j1 == j2) and max(i2 - i1, j2 - j1) <= _NAMED_RUN
            and 0 < i1 and i2 < len(a) and 0 < j1 and j2 < len(b)):
        # words dropped or put in between two kept ones, given with both: "dune analytics product"
        # -> "dune product", so a name shortened the same way throughout can be told as a rename
        return " ".join(a[i1 - 1:i2 + 1]), " ".join(b[j1 - 1:j2 + 1])
    return " ".join(a[i1:i2]), " ".join(b[j1:j2])


def consistent_renames(pairs: Iterable[tuple[str, str]], at_least: int = 2,
                       new_text: str | None = None) -> frozenset[tuple[str, str]]:
    """Replacements that are renames, not changes of meaning: made the same way in at least
    ``at_least`` places, or (given the new version's ``new_text`` in substance form) of a
    term replaced at least ``at_least`` times that the new version no longer uses anywhere
    ("GrammarlyGO" → "generative AI features", "Grammarly's generative AI features")."""
    counts: dict[tuple[str, str], int] = {}
    replaced: dict[str, int] = {}
    listed = list(pairs)
    for old, new in listed:
        if (old and new and len(old.split()) <= (4 + 2 * _inner_run(old, new)) and len(new.split()) <= 6
                and not _number_changed(old, new)):
            counts[(old, new)] = counts.get((old, new), 0) + 1
            replaced[old] = replaced.get(old, 0) + 1
    padded = f" {new_text} " if new_text is not None else ""
    # words dropped from or put into a term (given with the kept words around them) are a rename
    # only where the old form is gone from the new version: "Dune Analytics Product" -> "Dune
    # Product" everywhere, not "your information" -> "your personal information" in two places
    renames = {pair for pair, count in counts.items() if count >= at_least
               and (not _inner_run(*pair) or new_text is not None and f" {pair[0]} " not in padded
                    and not _item_run(*pair))}
    if new_text is not None:
        gone_terms = {old for old, count in replaced.items() if count >= at_least and f" {old} " not in padded}
        renames |= {(old, new) for old, new in counts if old in gone_terms
                    and not (_inner_run(old, new) and _item_run(old, new))}
    return frozenset(renames)


def _inner_run(old: str, new: str) -> bool:
    """True when a replacement only drops or puts in words between two it keeps ("dune analytics
    product" -> "dune product")."""
    a, b = old.split(), new.split()
    return len(a) != len(b) and min(len(a), len(b)) >= 2 and a[0] == b[0] and a[-1] == b[-1]


def _item_run(old: str, new: str) -> bool:
    """True when the words dropped or put in join a list ("uk or" -> "uk canada or", "caller id
    users" -> "caller id or viber in users"): an item came or went, whether or not throughout."""
    a, b = old.split(), new.split()
    longer = a if len(a) > len(b) else b
    return any(word in ("and", "or") for word in longer[1:-1]) or longer[-1] in ("and", "or")


_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _number_changed(old: str, new: str) -> bool:
    """True when a replacement changes a number other than a year: an age, a period or an amount
    changed the same way throughout ("under 13" -> "under 16" three times) is no rename."""
    numbers = [word for word in (*old.split(), *new.split()) if any(ch.isdigit() for ch in word)]
    return bool(numbers) and not all(_YEAR.match(word) for word in numbers)


# The longest "sentence" compared word by word. The comparison (difflib, every word kept) grows with
# the square of the length when words repeat: a 3,000-word run-on sentence with a thousand changed
# words took 20 s. Real sentences stay far below this (the longest in the corpus, a flattened table
# row, has 603 words); a longer one is read whole, as added and removed, never paired or called the same.
COMPARED_WORDS = 1000


def _too_long(*texts: str) -> bool:
    return any(len(text.split()) > COMPARED_WORDS for text in texts)


def same_meaning(old: str, new: str, *, equivalent: Callable[[str, str], bool], substantive: frozenset[str],
                 filler: frozenset[str], is_name: Callable[[str], bool],
                 renames: frozenset[tuple[str, str]] = frozenset()) -> bool:
    """True when two wordings of a sentence say the same: every difference is a spelling
    variant ("authorise"/"authorize"), an equivalent phrase ("like"/"such as"), filler words,
    a product name (``is_name``) or a rename made throughout the document (``renames``), and
    no difference touches a ``substantive`` word ("not", "only", "share", a number...)."""
    a, b = substance(old).split(), substance(new).split()
    if a == b:
        return True
    if max(len(a), len(b)) > COMPARED_WORDS:
        return False  # too long to compare word by word: read as a change (the more careful answer)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gone, came = a[i1:i2], b[j1:j2]
        words = (*gone, *came)
        if any(word in substantive or any(ch.isdigit() for ch in word) for word in words):
            return False
        left, right = " ".join(gone), " ".join(came)
        if (not gone or not came) and _with_context(a, b, i1, i2, j1, j2) in renames:
            continue  # a term expanded or shortened throughout ("products" -> "products and services")
        if (left, right) in renames or equivalent(left, right) or "".join(gone) == "".join(came):
            continue  # a rename made throughout, an equivalent phrase, or only the spacing
        if all(word in filler for word in words):
            continue
        if gone and came and len(gone) == len(came) <= 2 and all(
                SequenceMatcher(None, x, y).ratio() >= 0.75 for x, y in zip(gone, came, strict=True)):
            continue  # spelling: authorise / authorize, licence / license
        if (not gone or is_name(left)) and (not came or is_name(right)):
            continue  # a product named or renamed
        return False
    return True


def _changed_runs(a: list[str], b: list[str]) -> list[tuple[list[str], list[str]]]:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [(a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _carries_weight(words: Iterable[str], substantive: frozenset[str]) -> bool:
    return any(word in substantive or any(ch.isdigit() for ch in word) for word in words)


def pro_form_only(old: str, new: str, *, pro_forms: frozenset[str], at_most: int = 3) -> bool:
    """True when every difference puts a pro-form for words the sentence still says elsewhere
    ("locations around the world, including locations outside your country" -> "... including
    those outside your country"), or one pro-form for another ("as long as we need to do so" ->
    "as long as we need it"): the sentence refers back to what it already named, nothing else.
    A run of more than ``at_most`` words is not a pro-form."""
    a, b = substance(old).split(), substance(new).split()
    runs = _changed_runs(a, b)
    if not runs:
        return False
    kept_old, kept_new = set(a), set(b)
    for gone, came in runs:
        if not gone or not came or len(gone) > at_most or len(came) > at_most:
            return False
        gone_pro, came_pro = all(w in pro_forms for w in gone), all(w in pro_forms for w in came)
        if gone_pro and came_pro:
            continue
        if came_pro and all(w in kept_new for w in gone):  # the noun is still named: the pro-form points to it
            continue
        if gone_pro and all(w in kept_old for w in came):  # the pro-form spelled out as the noun it stood for
            continue
        return False
    return True


def reordered(old: str, new: str, *, substantive: frozenset[str], filler: frozenset[str]) -> bool:
    """True when two wordings hold the same words (``filler`` aside) in another order and no moved
    word is ``substantive`` ("If available, and if you elect to use ..." -> "If you elect to use
    ..., if available, ..."). "We do not sell X but share Y" -> "We do not share X but sell Y"
    moves "sell" and "share", which are substantive, so it is not a reordering."""
    a = [word for word in substance(old).split() if word not in filler]
    b = [word for word in substance(new).split() if word not in filler]
    if a == b or sorted(a) != sorted(b):
        return False
    return not any(_carries_weight((*gone, *came), substantive) for gone, came in _changed_runs(a, b))


# A definition's own term at the start of a sentence: “Your Data” means ..., "Customer Content" includes ...
# (anchored and bounded: linear in the sentence, whatever it holds)
_DEFINED_TERM = re.compile(r'^(\W{0,6})[“"][^”"\n]{1,60}[”"]\s*(?:\([^)\n]{0,40}\)\s*)?'
                           r'(means|shall mean|refers to|includes|is defined as|has the meaning)\b', re.IGNORECASE)


# A parenthetical that only gives examples or points elsewhere: "(like Xbox gaming clips, for example)",
# "(e.g. ...)", "(as described in more detail in section 4)", "(see section 9)"
_EXAMPLE = re.compile(
    r"\s*\((?:(?:e\.\s?g\.|for example|for instance|like|such as)(?!\w)[^()\n]{0,200}"
    r"|(?:as |which is |that is )?(?:described|explained|set out|detailed|defined|discussed|outlined)"
    r"(?: in more detail| further| below| above)?(?: in| under)? (?:section|paragraph|clause|the|our|this)"
    r"\b[^()\n]{0,120}|see (?:section|paragraph|clause|below|above)\b[^()\n]{0,120})\)"
    # the same pointer set off by commas: "..., as further specified in our Global Privacy Policy, where ..."
    r"|,\s{0,3}as (?:further |more fully |more )?(?:described|explained|set out|specified|detailed|outlined)"
    r"(?: in more detail| further)?(?: in| under) (?:section|paragraph|clause|the|our|this)\b[^,;:.()\n]{0,120}"
    r"(?=[,;:.])", re.IGNORECASE)


def without_examples(sentence: str) -> str:
    """The sentence without parenthetical examples."""
    return _EXAMPLE.sub("", sentence)


def example_added_or_dropped(old: str, new: str) -> bool:
    """True when one wording has a parenthetical example more than the other: adding or
    dropping an example does not change what a clause allows (rewording one inside may)."""
    return len(_EXAMPLE.findall(old)) != len(_EXAMPLE.findall(new))


def without_defined_term(sentence: str) -> str:
    """The sentence with the term a definition defines blanked, so renaming only the defined term
    (“Your Data” means X → “Customer Data” means X) reads as the same definition."""
    return _DEFINED_TERM.sub(lambda m: f"{m.group(1)}“term” {m.group(2)}", sentence, count=1)


_WORD_SPAN = re.compile(r"\w+")


def changed_ranges(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character ranges of the words that differ, in ``old`` and in ``new`` (an insertion shows
    in ``new`` only, a deletion in ``old`` only; a small range marks where it happened on the
    other side)."""
    a = [(m.start(), m.end(), expand_contractions(_TRANSLATE(m.group(0).casefold())))
         for m in _WORD_SPAN.finditer(old)]
    b = [(m.start(), m.end(), expand_contractions(_TRANSLATE(m.group(0).casefold())))
         for m in _WORD_SPAN.finditer(new)]
    matcher = SequenceMatcher(None, [w for _, _, w in a], [w for _, _, w in b], autojunk=False)
    old_ranges: list[tuple[int, int]] = []
    new_ranges: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            old_ranges.append((a[i1][0], a[i2 - 1][1]))
        if j2 > j1:
            new_ranges.append((b[j1][0], b[j2 - 1][1]))
    return old_ranges, new_ranges


_COMMITS = frozenset(("will", "shall", "must", "always", "required"))
_PERMITS = frozenset(("may", "might", "can", "could", "should"))
_NEGATES = frozenset(("not", "never", "no", "cannot", "nor", "neither", "won't", "don't", "doesn't", "can't"))
_MODAL_WORD = re.compile(r"[\w']+")


def commitment_changed(old: str, new: str) -> bool:
    """True when a rewording changes how firmly the provider commits: a promise becomes a
    possibility or the reverse ("we will notify you" -> "we may notify you"), or a "not" or
    "never" comes or goes. Inserting "may" alone ("we use" -> "we may use") does not count."""
    a, b = (_MODAL_WORD.findall(expand_contractions(plain(text)).casefold()) for text in (old, new))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gone, came = set(a[i1:i2]), set(b[j1:j2])
        if bool(gone & _NEGATES) != bool(came & _NEGATES):
            return True
        if gone & _COMMITS and came & _PERMITS and not came & _COMMITS:
            return True
        if gone & _PERMITS and came & _COMMITS and not gone & _COMMITS:
            return True
    return False


def weighty_word_changed(old: str, new: str, *, substantive: frozenset[str]) -> bool:
    """True when a rewording adds or drops a word whose change always matters (``substantive``:
    "only", "any", "aggregated", "develop"...), modal verbs aside (:func:`commitment_changed`
    weighs those: "we use" -> "we may use" is no change of commitment)."""
    weighty = substantive - _COMMITS - _PERMITS
    a, b = substance(old).split(), substance(new).split()
    return any((set(gone) ^ set(came)) & weighty for gone, came in _changed_runs(a, b))


_COORDINATORS = frozenset(("and", "or", ",", ";"))  # what joins the items of a list
_LIST_TOKEN = re.compile(r"\w+|[,;]")


def list_item_changed(old: str, new: str, *, filler: frozenset[str],
                      renames: frozenset[tuple[str, str]] = frozenset(), at_most: int = 8) -> bool:
    """True when a rewording adds an item to a list or drops one: a run of at most ``at_most``
    words that begins or ends with "and", "or" or a comma and names something ("to provide the
    service" -> "to provide or improve the service", "your name or e-mail address" -> "your e-mail
    address", "files, photos and messages" -> "files, photos, comments and messages").
    What a clause speaks of grew or shrank. A term expanded the same way throughout the document
    (``renames``: "products" -> "products and services") is a rename, not an item."""
    a, b = (_LIST_TOKEN.findall(expand_contractions(plain(text).casefold())) for text in (old, new))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" or _with_context(a, b, i1, i2, j1, j2) in renames:
            continue
        gone, came = a[i1:i2], b[j1:j2]
        for run, other in ((gone, came), (came, gone)):
            if not (2 <= len(run) <= at_most) or not (run[0] in _COORDINATORS or run[-1] in _COORDINATORS):
                continue
            if other and not all(word in _COORDINATORS for word in other):
                continue  # a replacement, not an item coming or going
            if any(word not in filler and word not in _COORDINATORS for word in run):
                return True
    return False


def pair_rewordings(gone: tuple[str, ...], added: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Old and new sentences that are rewordings of one another (greedy, most similar first)."""
    if not gone or not added or len(gone) * len(added) > 400:
        return ()
    old_words = [substance(sentence).split() for sentence in gone]
    new_words = [substance(sentence).split() for sentence in added]
    scored = []
    for i, a in enumerate(old_words):
        for j, b in enumerate(new_words):
            if max(len(a), len(b)) > COMPARED_WORDS:
                continue
            matcher = SequenceMatcher(None, a, b, autojunk=False)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                scored.append((matcher.ratio(), i, j))
    scored.sort(reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for ratio, i, j in scored:
        if ratio < 0.6:
            break
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((gone[i], added[j]))
    return tuple(pairs)


# The last word of a document's title ("Zoom Phone Numbering Policy", "911 U.S. Notice", "Terms and
# Conditions"), capitalised as titles are; a lower-case "policy" is a word of the sentence, not a title
_DOCUMENT_NOUNS = frozenset(("Policy", "Policies", "Notice", "Notices", "Guide", "Guides", "Guidelines", "Statement",
                             "Statements", "Terms", "Conditions", "Addendum", "Addenda", "Agreement", "Agreements",
                             "Principles", "Standards", "Rules", "FAQ", "FAQs", "Supplement", "Conduct", "Disclosures"))
_TITLE_JOINERS = frozenset(("of", "for", "on", "to", "the", "and", "&", "-", "."))  # inside a title
_LIST_JOINERS = frozenset((",", ";", "and", "or", "&", "the", "our", "its", "their", "this", "these"))  # between titles
_TITLE_TOKEN = re.compile(r"[\w'’]+|[^\w\s]")


def _titles_only(run: list[str]) -> bool:
    """True when ``run`` (tokens, case kept) is one or more document titles joined as a list."""
    titles = 0
    words: list[str] = []
    for token in [*run, ","]:
        if token in _LIST_JOINERS and (not words or words[-1] in _DOCUMENT_NOUNS):
            if words:
                titles += 1
            words = []
            continue
        if not words and not (token[:1].isupper() or token[:1].isdigit()):
            return False  # a title starts with a capital or a number ("911 Canada Notice")
        if words and token not in _TITLE_JOINERS and not (token[:1].isupper() or token[:1].isdigit()):
            return False  # "Policy you accept": a lower-case word is the sentence's, not the title's
        words.append(token)
        if len(words) > 10:
            return False
    return titles > 0 and not words


def documents_named_only(old: str, new: str) -> str | None:
    """The words that differ when two wordings differ only in titles of documents named, added to
    or dropped from a list ("our Acceptable Use Policy, Guidelines" -> "our Acceptable Use Policy,
    Numbering Policy, Guidelines") or renamed ("Privacy Notice" -> "Privacy Statement"); None when
    anything else differs. Naming one more document changes no use of data, unless the title
    itself names one (a "Data Processing Addendum"): the caller reads the returned words for that."""
    a, b = (_TITLE_TOKEN.findall(plain(text)) for text in (old, new))
    changed: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, [t.casefold() for t in a], [t.casefold() for t in b],
                                               autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace":
            runs = [a[i1:i2], b[j1:j2]]
            if any(run and not all(token in _LIST_JOINERS for token in run) and not _titles_only(run)
                   for run in runs):
                return None
            changed.extend((*runs[0], *runs[1]))
            continue
        tokens, start, end = (a, i1, i2) if tag == "delete" else (b, j1, j2)
        run = _as_titles(tokens, start, end)
        if run is None:
            return None
        changed.extend(run)
    return " ".join(changed) if changed else None


# a title in running text: up to eight capitalised words (or numbers, "U.S.", "of", "and" inside)
# before a document noun ("Government Requests Guide", "911 U.S. Notice")
_TITLE = re.compile(r"\b(?:[A-Z0-9][\w'’.-]{0,30}\s{1,3}(?:(?:of|for|on|and|&)\s{1,3})?){0,8}(?:"
                    + "|".join(sorted(_DOCUMENT_NOUNS)) + r")\b")


def without_titles(sentence: str) -> str:
    """The sentence with the titles of documents it names blanked (same length): a topic read
    from a title ("Government Requests Guide") is not something the sentence says about data."""
    return _TITLE.sub(lambda m: " " * len(m.group(0)), plain(sentence))


def _as_titles(tokens: list[str], start: int, end: int) -> list[str] | None:
    """The inserted (or deleted) run ``tokens[start:end]``, slid along the words that repeat at its
    ends until it reads as titles ("Policy, Zoom Phone Numbering" is "Zoom Phone Numbering Policy,"),
    or None when no placing does."""
    folded = [token.casefold() for token in tokens]
    left = 0
    while start - left - 1 >= 0 and folded[start - left - 1] == folded[end - left - 1]:
        left += 1
    right = 0
    while end + right < len(tokens) and folded[start + right] == folded[end + right]:
        right += 1
    for shift in range(-left, right + 1):
        run = tokens[start + shift:end + shift]
        if all(token in _LIST_JOINERS for token in run) or _titles_only(run):
            return run
    return None


# --- a word-level reading of a rewording ----------------------------------------------------------
# What the words that changed say, not what the clause they sit in is about: a clause on AI training
# whose only change is "uses automated systems to analyze" -> "analyzes" says nothing new about training.

_RUN_TOKEN = re.compile(r"[\w'’]+|[,;]")


@dataclass(frozen=True)
class ChangedRun:
    """One run of words that differ, with the words around it: ``gone`` (old only) and ``came``
    (new only), ``before_*``/``after_*`` the kept words on each side (a few, for context)."""

    gone: tuple[str, ...]
    came: tuple[str, ...]
    before_old: tuple[str, ...]
    after_old: tuple[str, ...]
    before_new: tuple[str, ...]
    after_new: tuple[str, ...]

    @property
    def old_snippet(self) -> str:
        """The old words with their context ("" when nothing was dropped or replaced)."""
        return " ".join((*self.before_old, *self.gone, *self.after_old)) if self.gone else ""

    @property
    def new_snippet(self) -> str:
        return " ".join((*self.before_new, *self.came, *self.after_new)) if self.came else ""


def changed_runs(old: str, new: str, *, window: int = 3) -> list[ChangedRun]:
    """The runs of words that differ between two wordings (case, quotes, dashes and contractions
    aside), each with up to ``window`` kept words either side."""
    a, b = (_RUN_TOKEN.findall(expand_contractions(plain(text))) for text in (old, new))
    folded_a, folded_b = ([_TRANSLATE(word).casefold() for word in words] for words in (a, b))
    runs: list[ChangedRun] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, folded_a, folded_b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        runs.append(ChangedRun(tuple(a[i1:i2]), tuple(b[j1:j2]), tuple(a[max(0, i1 - window):i1]),
                               tuple(a[i2:i2 + window]), tuple(b[max(0, j1 - window):j1]), tuple(b[j2:j2 + window])))
    return runs


@dataclass(frozen=True)
class WordReading:
    """What the changed words of a rewording carry; empty when they carry nothing of substance."""

    reasons: tuple[str, ...] = ()

    @property
    def wording_only(self) -> bool:
        return not self.reasons


_PURPOSE_OPENERS = frozenset(("to", "for"))
_LONG_RUN = 4  # more changed words than this in one run is new content, not a rewording
_CONDITION_REACH = 4  # a changed word this close after "unless", "if", "only"... changes a condition


def read_changed_words(old: str, new: str, *, scope_words: frozenset[str], conditions: frozenset[str],
                       topics_of: Callable[[str], frozenset[str]], names_scope: Callable[[str], bool],
                       filler: frozenset[str] = frozenset(), recipients: frozenset[str] = frozenset()) -> WordReading:
    """Why the words that changed between two wordings of a sentence matter, if they do.

    A run of changed words matters when it (the reasons, in order of the checks):
    ``scope-word``: adds or drops a word of ``scope_words`` (a negation, a quantifier, "only",
    "except", a place, a data state such as "aggregated"...); ``number``: holds a number;
    ``long``: is longer than a rewording (new content); ``purpose``: reads "to ..."/"for ..." (a
    purpose comes or goes); ``name``: names something capitalised (a recipient, a product);
    ``party``: stands next to a recipient or kind of data (``names_scope``: "certain trusted third
    parties" -> "third parties"), or qualifies a noun of ``recipients`` ("our hosting providers" ->
    "our providers"); ``condition``: stands just after a word of ``conditions``
    ("unless directed to" -> "unless authorised to"); ``topic``: its words, read with a few words
    around them, are about other topics on each side (``topics_of``: "to improve our services" ->
    "to train our models"). A synonym that says the same topic on both sides ("share" ->
    "disclose"), a clarifying word ("prevent fraud" -> "prevent payment fraud") or a restructured
    phrase carries none of these. The caller still weighs the sentence's scope and commitment."""
    if _too_long(old, new):
        return WordReading(("long",))
    reasons: list[str] = []
    old_topics: set[str] = set()
    new_topics: set[str] = set()
    old_words, new_words = ({_TRANSLATE(word).casefold() for word in _RUN_TOKEN.findall(expand_contractions(plain(
        text)))} for text in (old, new))
    for run in changed_runs(old, new):
        gone = {word.casefold() for word in run.gone}
        came = {word.casefold() for word in run.came}
        if (gone ^ came) & scope_words:
            reasons.append("scope-word")
        if any(ch.isdigit() for word in (*run.gone, *run.came) for ch in word):
            reasons.append("number")
        if max(len(run.gone), len(run.came)) > _LONG_RUN:
            reasons.append("long")
        for words, before, after, other in ((run.gone, run.before_old, run.after_old, new_words),
                                            (run.came, run.before_new, run.after_new, old_words)):
            said = [word for word in words if word not in (",", ";")]
            if len(said) >= 2 and said[0].casefold() in _PURPOSE_OPENERS:
                reasons.append("purpose")
            # a name the other wording does not hold ("Acme" -> "Globex"); a capital opening the
            # sentence is no name, one the other wording says elsewhere is no new name, and words
            # joined to a kept name only lengthen it ("on Zoom" -> "on Zoom Products")
            lengthens = bool(before and before[-1][:1].isupper() or after and after[0][:1].isupper())
            if not lengthens and any(word[:1].isupper() and word.casefold() not in other
                                     and word.casefold() not in filler for word in (said if before else said[1:])):
                reasons.append("name")
        if any(words and (words[-1].casefold() in recipients or after and after[0].casefold() in recipients)
               for words, after in ((run.gone, run.after_old), (run.came, run.after_new))):
            reasons.append("party")  # who gets the data: "our hosting providers" -> "our providers"
        elif any(snippet and names_scope(snippet) for snippet in (
                " ".join((*run.before_old[-2:], *run.gone, *run.after_old[:2])) if run.gone else "",
                " ".join((*run.before_new[-2:], *run.came, *run.after_new[:2])) if run.came else "")):
            reasons.append("party")
        lead = {word.casefold() for word in (*run.before_old[-_CONDITION_REACH:], *run.before_new[-_CONDITION_REACH:])}
        if lead & conditions:
            reasons.append("condition")
        old_topics |= topics_of(run.old_snippet) if run.old_snippet else frozenset()
        new_topics |= topics_of(run.new_snippet) if run.new_snippet else frozenset()
    if old_topics != new_topics:
        reasons.append("topic")
    return WordReading(tuple(dict.fromkeys(reasons)))
