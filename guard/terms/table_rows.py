"""A table row read by its own cells (pure): who receives the data, and which tracker collects it.

A row of a cookie, tracker, recipient or sub-processor table often says what it says only in its
cells: ``| _ga | Google LLC | Analytics | 2 years |``. Each cell is read with its column's header
("Provider: Google LLC"); the header gives a cell its meaning, never a topic alone. A row names a
party that receives data (third-party sharing) only when its own cell under a column of recipients,
providers or sub-processors names someone outside, and a tracker that collects data from the user's
device (service-generated data) only when its own cells name the tracker. A changed row is read by
the cells that changed, so a table whose recipients column repeats the same recipients on every row
does not make every row a change, and a table's header row is never read as a row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from guard.catalog.models import ClauseTopic
from guard.terms.diff import Clause, comparable
from guard.terms.rules import Rules
from guard.terms.scope import mask

__all__ = ["RowReading", "read_row", "row_cells", "table_headers"]

SHARING = ClauseTopic.THIRD_PARTY_SHARING.value
GENERATED = ClauseTopic.SERVICE_GENERATED_DATA.value
_SEPARATOR = re.compile(r"\|(?:\s*:?-+:?\s*\|)+")
CELL_CHARS = 300  # a cell longer than this is prose, read by the topic rules as any sentence is
NAME_WORDS = 12  # a party cell of more words is a description, not a name


@dataclass(frozen=True)
class RowReading:
    """What a row's cells say: its topics, the party cells read ("Provider: Google LLC"), and whether
    the row is a tracker's."""

    topics: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    tracker: bool = False


def row_cells(text: str) -> tuple[str, ...] | None:
    """The cells of one table row ("| a | b |"), emphasis and escapes dropped; None when ``text``
    is not one row (a paragraph, or a whole table flattened into one block)."""
    stripped = text.strip()
    if not (stripped.startswith("|") and stripped.endswith("|")) or "---" in stripped:
        return None
    return tuple(" ".join(cell.replace("\\", "").replace("**", "").split()) for cell in stripped[1:-1].split("|"))


def table_headers(clauses: Sequence[Clause]) -> dict[int, tuple[str, ...]]:
    """For each table row of ``clauses`` (by clause index), the cells of its table's header row (the
    table's first row); the header row itself has none. A header row of empty cells ("|  |  |", a
    table of fields and values) maps its rows to ``()``: each row's first cell names the others."""
    headers: dict[int, tuple[str, ...]] = {}
    header: tuple[str, ...] | None = None
    for clause in clauses:
        if _SEPARATOR.fullmatch(clause.text.strip()):  # "| --- | :-: |" under the header row
            continue
        cells = row_cells(clause.text)
        if cells is None:
            header = None
        elif header is None or _is_title(header):
            # the first row names the columns; a first row with one cell filled of several is the
            # table's title ("| Feedback provided via a third-party platform |  |"), and the next names them
            header = cells if any(cells) else ()
        else:
            headers[clause.index] = header
    return headers


def _is_title(header: tuple[str, ...]) -> bool:
    return len(header) > 1 and sum(1 for cell in header if cell) == 1


def _labelled(cells: tuple[str, ...], header: tuple[str, ...]) -> list[tuple[str, str]]:
    """(header, cell) for each non-empty cell; in a table of fields and values, the first cell is the header."""
    if not header and len(cells) >= 2:
        return [(cells[0], cell) for cell in cells[1:] if cell]
    return [(header[i] if i < len(header) else "", cell) for i, cell in enumerate(cells) if cell]


def _changed(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (header, cell) of ``new`` (or of ``old`` when the row was removed) whose cell is not in the other row."""
    kept = {comparable(cell) for _, cell in old}
    return [(head, cell) for head, cell in new if comparable(cell) not in kept]


def _names_someone(cell: str, rules: Rules) -> bool:
    """True when a cell names a party outside the provider: a recipient the rules know ("service
    providers"), a linked site or a domain ("wix.com"), a company's legal form ("Bae, Kim & Lee LLC"),
    or a name ("Google", "New Relic": one capitalised word, or a cell that opens with two); not "First
    party", "N/A", nor a phrase in title case ("Sharing for Targeted Advertising")."""
    cell = cell[:CELL_CHARS]
    linked = "://" in cell
    text = " ".join(word for word in cell.split() if "://" not in word)
    if not text or rules.table.no_party.test(text) or len(text.split()) > NAME_WORDS:
        return False
    masked = mask(text, rules)  # once, not once per rule: a 2.4 MB table of parties took 35 s
    if linked or any(rule.matcher.test(masked) for rule in rules.parties):
        return True
    words = [word.strip("()[],;*:") for word in text.split()]
    words = [word for word in words if word]
    if any(_is_domain(word) or word.casefold().rstrip(".") in _LEGAL_FORMS for word in words):
        return True
    capitalised = [word[:1].isupper() for word in words[:2]]
    return bool(capitalised) and all(capitalised)


_LEGAL_FORMS = frozenset("llc inc ltd limited gmbh corp corporation plc s.a sas sarl bv b.v ag ab oy aps nv n.v srl "
                         "s.r.l spa s.p.a pty llp".split())


def _is_domain(word: str) -> bool:
    parts = word.split(".")
    return len(parts) >= 2 and all(parts) and parts[-1].isalpha() and len(parts[-1]) >= 2 and parts[-2][-1:].isalnum()


def read_row(old: Clause | None, new: Clause | None, old_header: tuple[str, ...] | None,
             new_header: tuple[str, ...] | None, rules: Rules) -> RowReading:
    """What a table row added, removed or changed says in its own cells (see the module docstring).
    ``old_header``/``new_header``: the header cells of each side's table (:func:`table_headers`); None
    when that side is no table row, or is the header row itself."""
    old_cells = row_cells(old.text) if old is not None and old_header is not None else None
    new_cells = row_cells(new.text) if new is not None and new_header is not None else None
    if old_cells is None and new_cells is None:
        return RowReading()
    old_read = _labelled(old_cells, old_header or ()) if old_cells is not None else []
    new_read = _labelled(new_cells, new_header or ()) if new_cells is not None else []
    whole = not old_read or not new_read  # a row added or removed: every cell is new to the table
    changed = new_read + old_read if whole else _changed(old_read, new_read) + _changed(new_read, old_read)
    table = rules.table

    def party(head: str, cell: str) -> bool:
        return bool(head) and table.party_headers.test(mask(head, rules)) and _names_someone(cell, rules)

    every = new_read or old_read
    # the row is a tracker's when a cell of its own names one ("Cookie", "Web beacon") or names the
    # tracker under a column of trackers ("Cookie name: _ga")
    tracker = any(table.trackers.test(cell[:CELL_CHARS]) for _, cell in every) or any(
        head and table.tracker_headers.test(head) for head, _ in every)

    def names(head: str, cell: str) -> bool:
        """A party under a column of parties, or a tracker's cell saying it is a third party's ("3rd Party")."""
        return party(head, cell) or tracker and table.third_party.test(cell)

    parties = [f"{head}: {cell}" for head, cell in changed if names(head, cell)]
    # a tracker added or dropped (or renamed, or given other cookies) collects from the user's device,
    # and what it collects goes to the party its own row names
    identity = whole or any(head and table.tracker_headers.test(head) for head, _ in changed)
    if tracker and identity:
        parties += [f"{head}: {cell}" for head, cell in every if names(head, cell) and f"{head}: {cell}" not in parties]
    topics = ((SHARING,) if parties else ()) + ((GENERATED,) if tracker and identity else ())
    return RowReading(topics, tuple(parties), tracker)
