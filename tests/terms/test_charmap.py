"""The character maps the terms comparison uses read every text exactly as ``str.translate`` with
the same table would (they only run faster): on real terms clauses, and on hostile text (lone
surrogates, NULs, every replaced character next to each other, pure ASCII)."""

from __future__ import annotations

import pytest

from guard.terms import diff, htmlmd, scope, wording
from guard.terms.charmap import CharMap
from guard.terms.diff import split_clauses
from tests.terms.support.pages import fixture_text

TABLES = {
    "diff": {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-", "‐": "-", "‑": "-",
             "\u00a0": " "},
    "wording": {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "´": "'", "`": "'", "–": "-", "—": "-",
                "‐": "-", "‑": "-", "\u00a0": " ", "\u202f": " "},
    "scope": {"“": " ", "”": " ", "„": " ", '"': " "},
    "htmlmd": dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"),
}
SHIPPED = {"diff": diff._TRANSLATE, "wording": wording._TRANSLATE, "scope": scope._QUOTES,
           "htmlmd": htmlmd._INVISIBLE}


def texts() -> list[str]:
    clauses = [c.text for name in ("zoom/tos-2023-08-11.ota.md", "zoom/privacy-2022-12-30.ota.md")
               for c in split_clauses(fixture_text(name))]
    every = "".join(source for table in TABLES.values() for source in table)
    return [*clauses, every, every * 3 + "plain", "plain ascii `quoted` \"text\"", "", "\ud800“x”\x00—\udfff",
            "\u00a0\u202f\u200b" * 1000]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_map_reads_text_as_translate_does(name: str) -> None:
    shipped, table = SHIPPED[name], str.maketrans(TABLES[name])
    cases = texts()
    assert sum(1 for text in cases if text.translate(table) != text) >= 3  # the texts do hold replaced characters
    for text in cases:
        assert shipped(text) == text.translate(table), text[:80]


def test_the_shipped_maps_are_the_tables_above() -> None:
    """The copies above are what the modules use (else the first test checks other tables)."""
    every = "".join(source for table in TABLES.values() for source in table) + "abc\"`"
    for name, shipped in SHIPPED.items():
        assert shipped(every) == every.translate(str.maketrans(TABLES[name])), name


def test_a_map_that_would_replace_its_own_replacements_is_refused() -> None:
    with pytest.raises(ValueError, match="one-pass"):
        CharMap({"a": "b", "b": "c"})  # translate gives "b" for "a"; replace calls in turn would give "c"
    with pytest.raises(ValueError, match="one-pass"):
        CharMap({"ab": "c"})
