"""A section added or removed whole, told as one change (pure: analysed changes in, changes out).

:func:`guard.terms.analysis.analyse` reports clause by clause, and the accuracy bench scores it
so. A user reading a new section of sixteen clauses about sharing as sixteen lines learns less
than from one: "A new section, “9. Additional Disclosures for U.S. Users” (16 clauses on these
topics), now allows ...". :func:`readable_changes` groups, for what people read (the event the
tray and the Terms tab show, ``terms diff``), a heading added (or removed) together with the
clauses after it that were added (removed) with it, up to the next heading of the same or a
higher level, when at least :data:`MIN_RELEVANT` of them touch a watched topic. Each clause stays
inside the group (``parts``), with its own wording, topics and summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from guard.terms.analysis import AnalysedChange, is_heading_only
from guard.terms.classify import Severity
from guard.terms.diff import ChangeKind, Clause, ClauseDiff
from guard.terms.summary_model import ChangeSummary, Phrase, ScopeMove
from guard.terms.summary_words import say_summary

MIN_RELEVANT = 3  # relevant clauses a new section needs to be told as one change
MAX_MOVES = 3  # scope moves said for a section (the rest are in its clauses)
MAX_HEADING = 120  # characters of a heading quoted in the summary
_NUMBER = re.compile(r"^\W{0,8}(?:(?:section|article|part|chapter)\s+)?(\d{1,3}(?:\.\d{1,3}){0,3})(?=\W|$)",
                     re.IGNORECASE)


def heading_level(text: str) -> int | None:
    """How high a heading stands (1 highest), None when ``text`` is no heading: a Markdown heading
    by its ``#``s, a numbered one ("9.", "9.1") below those by its depth, any other title lowest.
    A table row ("| Disclosure Category | Details |") is no heading."""
    stripped = text.lstrip()
    if stripped.startswith("|") or not is_heading_only(text):
        return None
    if stripped.startswith("#"):
        return len(stripped) - len(stripped.lstrip("#"))
    number = _NUMBER.match(stripped)
    if number:
        return 6 + number.group(1).count(".") + 1
    return 20


def heading_words(text: str) -> str:
    """A heading as a reader sees it: no Markdown marks or escapes, one spacing, cut to a sane length."""
    plain = " ".join(text.replace("\\", "").replace("**", "").replace("__", "").lstrip().lstrip("#").split())
    return plain if len(plain) <= MAX_HEADING else plain[:MAX_HEADING - 1].rstrip() + "…"


def readable_changes(changes: Sequence[AnalysedChange]) -> list[AnalysedChange]:
    """``changes`` with each section added or removed whole (with enough relevant clauses) as one
    change; every other change as it was, in the same order."""
    groups: dict[int, list[AnalysedChange]] = {}  # id of a group's first change -> its changes
    member: set[int] = set()
    for kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        side = [c for c in changes if c.kind is kind and _clause(c) is not None]
        by_index = {_index(c): c for c in side}
        for change in side:
            level = heading_level(_text(change))
            if level is None or id(change) in member:
                continue
            run = [change]
            index = _index(change) + 1
            while index in by_index:
                following = heading_level(_text(by_index[index]))
                if following is not None and following <= level:
                    break
                run.append(by_index[index])
                index += 1
            if sum(1 for c in run if c.relevant) >= MIN_RELEVANT:
                groups[id(change)] = run
                member.update(id(c) for c in run)
    readable: list[AnalysedChange] = []
    for change in changes:
        if id(change) in groups:
            readable.append(section_change(groups[id(change)]))
        elif id(change) not in member:
            readable.append(change)
    return readable


def _clause(change: AnalysedChange) -> Clause | None:
    return change.diff.new if change.kind is ChangeKind.ADDED else change.diff.old


def _index(change: AnalysedChange) -> int:
    clause = _clause(change)
    return clause.index if clause is not None else -1


def _text(change: AnalysedChange) -> str:
    clause = _clause(change)
    return clause.text if clause is not None else ""


def section_change(run: Sequence[AnalysedChange]) -> AnalysedChange:
    """One change for a section added or removed whole: its heading, the clauses' text, topics in
    the order first met, material when any clause is, and a summary naming the section."""
    first = run[0]
    heading = _clause(first)
    assert heading is not None
    kind = first.kind
    relevant = [c for c in run if c.relevant]
    clause = Clause("\n\n".join(_text(c) for c in run), heading.section, heading.index, None, heading.heading)
    diff = ClauseDiff(kind, None if kind is ChangeKind.ADDED else clause, clause if kind is ChangeKind.ADDED else None)
    topics = tuple(dict.fromkeys(topic for c in relevant for topic in c.topics))
    severity = Severity.MATERIAL if any(c.material for c in relevant) else Severity.MINOR
    said = _said(kind, heading, relevant, topics)
    return AnalysedChange(diff, topics, say_summary(said), severity,
                          tuple(s for c in run for s in c.gone), tuple(s for c in run for s in c.added), said,
                          parts=tuple(run))


def _said(kind: ChangeKind, heading: Clause, relevant: Sequence[AnalysedChange],
          topics: tuple[str, ...]) -> ChangeSummary:
    phrases: dict[str, Phrase] = {}
    moves: list[ScopeMove] = []
    for change in relevant:
        if change.said is None:
            continue
        phrases.update((p.id, p) for p in change.said.topics if p.id not in phrases)
        moves.extend(m for m in change.said.moves if m not in moves)
    # the quote: the first material clause's words, else the first relevant clause's
    quoted = next((c.said for c in (*[c for c in relevant if c.material], *relevant) if c.said is not None
                   and (c.said.now if kind is ChangeKind.ADDED else c.said.before)), None)
    return ChangeSummary(
        kind=str(kind), section=heading.section or None,
        topics=tuple(phrases.get(topic, Phrase(topic, topic)) for topic in topics),
        moves=tuple(moves[:MAX_MOVES]),
        before=quoted.before if quoted is not None and kind is ChangeKind.REMOVED else None,
        now=quoted.now if quoted is not None and kind is ChangeKind.ADDED else None,
        whole_section=True, heading=heading_words(heading.text), clauses=len(relevant))

