"""Every catalog clause read in an archive is checkable: the archived text it cites ships as a fixture
(with provenance), the quote occurs in it word for word, and its dates are the text's own and the
archive's. The Zoom 2023 history is checked version by version."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime

import pytest

from guard.catalog.loader import load_catalog
from guard.catalog.models import Clause, Provider
from tests.terms.support.archive import ARCHIVE, PROVENANCE, archived_files, find_archived, plain_words

CATALOG = load_catalog()
ARCHIVED = [(p, c) for p in CATALOG for c in p.clauses if c.archive is not None]
IDS = [f"{p.id}.{c.id}" for p, c in ARCHIVED]
_ARCHIVE_URL = re.compile(r"^https://github\.com/(OpenTermsArchive/[^/]+-versions|tosdr/tosdr-versions)/blob/")
_DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]+),? (\d{4})|([A-Z][a-z]+) (\d{1,2}),? (\d{4})")

ZOOM = "Zoom/Terms of Service.md"
FEB = "cf09ff11d436d3df96fe9b00725e7b90267b5ed0"  # Last Updated: February 1, 2023
MARCH = "6cee2e467cdc921c98ea835e3bb9511dfd5c9544"  # Effective Date: March 31, 2023 (recorded 2023-04-01)
JULY = "0c3e673ebdf35c9012eef24dc18307bb5fe33a61"  # Effective Date: July 27, 2023
AUG_07 = "99ab2d06db1788bd5e74a0b6f04014e0145d91df"  # Effective Date: August 7, 2023
AUG_11 = "894baaa7a5e1fca4ea9927b95800501ca870ab57"  # Effective Date: August 11, 2023


def stated_date(line: str) -> date:
    found = _DATE.search(line)
    assert found, f"no date in {line!r}"
    day, month, year = (found.group(1), found.group(2), found.group(3)) if found.group(1) else (
        found.group(5), found.group(4), found.group(6))
    return datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()


def zoom_text(commit: str) -> str:
    found = find_archived("OpenTermsArchive/contrib-versions", ZOOM, commit)
    assert found is not None, f"Zoom version {commit} is not among the fixtures"
    return plain_words(found.text())


def test_provenance_lists_every_archived_file_with_its_hash() -> None:
    listed = {f.file for f in archived_files()}
    on_disk = {p for p in ARCHIVE.rglob("*") if p.is_file() and p != PROVENANCE}
    assert listed == on_disk
    for entry in archived_files():
        data = entry.file.read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.sha256, entry.file
        assert len(data.decode("utf-8")) == entry.characters, entry.file
        assert re.fullmatch(r"[0-9a-f]{40}", entry.commit) and entry.licence
        assert entry.file.relative_to(ARCHIVE).parts[:3] == (*entry.repository.split("/"), entry.commit[:12])


def test_every_clause_citing_an_archive_names_its_commit() -> None:
    for provider in CATALOG:
        for clause in provider.clauses:
            if _ARCHIVE_URL.match(str(clause.source)):
                assert clause.archive is not None, \
                    f"{provider.id}.{clause.id} cites an archive without [clauses.archive]"
    assert len(ARCHIVED) >= 15  # a test that finds nothing must not pass


@pytest.mark.parametrize(("provider", "clause"), ARCHIVED, ids=IDS)
def test_quote_occurs_verbatim_in_the_archived_text_it_cites(provider: Provider, clause: Clause) -> None:
    assert clause.archive is not None
    archived = find_archived(clause.archive.repository, clause.archive.path, clause.archive.commit)
    assert archived is not None, (f"{provider.id}.{clause.id}: {clause.archive.path} at {clause.archive.commit} is not "
                                  "a fixture; add it under tests/terms/fixtures/archive with its provenance")
    assert plain_words(clause.quote) in plain_words(archived.text())
    assert clause.verified, f"{provider.id}.{clause.id} was read in the archive: verified = true"


@pytest.mark.parametrize(("provider", "clause"), ARCHIVED, ids=IDS)
def test_dates_come_from_the_text_and_the_archive(provider: Provider, clause: Clause) -> None:
    assert clause.archive is not None
    archived = find_archived(clause.archive.repository, clause.archive.path, clause.archive.commit)
    assert archived is not None
    assert clause.archive.recorded == archived.recorded, "archive.recorded is the day the archive committed the text"
    if archived.states:  # the text's own "Effective Date" / "Last Updated"
        assert clause.effective_from == stated_date(archived.states), archived.states
    else:  # no date in the text: in force no later than the day the archive first recorded it
        assert clause.effective_from == clause.archive.recorded and clause.note and "recorded" in clause.note


def test_zoom_march_2023_clauses_are_the_march_31_text_until_the_august_11_rewrite() -> None:
    zoom = CATALOG.get("zoom")
    assert zoom is not None
    march = {c.id: c for c in zoom.clauses if c.archive and c.archive.commit == MARCH}
    assert set(march) == {"tos-10-1-2023-03", "tos-10-2-2023-03", "tos-10-4-2023-03"}
    for clause in march.values():
        assert (clause.effective_from, clause.effective_to) == (date(2023, 3, 31), date(2023, 8, 11))
        assert clause.archive is not None and clause.archive.recorded == date(2023, 4, 1)
        quote = plain_words(clause.quote)
        assert quote not in zoom_text(FEB), "absent before March 2023"
        for commit in (MARCH, JULY, AUG_07):  # unchanged on 27 July and 7 August
            assert quote in zoom_text(commit)
        assert quote not in zoom_text(AUG_11)
    assert "Effective Date: March 31, 2023" in zoom_text(MARCH)


def test_zoom_august_7_sentence_is_only_in_the_august_7_version() -> None:
    zoom = CATALOG.get("zoom")
    assert zoom is not None
    clause = next(c for c in zoom.clauses if c.id == "tos-10-4-2023-08-07")
    assert clause.archive is not None and clause.archive.commit == AUG_07
    assert (clause.effective_from, clause.effective_to) == (date(2023, 8, 7), date(2023, 8, 11))
    present = [commit for commit in (FEB, MARCH, JULY, AUG_07, AUG_11) if clause.quote in zoom_text(commit)]
    assert present == [AUG_07]


def test_zoom_august_11_rewrite_cites_its_first_record() -> None:
    zoom = CATALOG.get("zoom")
    assert zoom is not None
    rewrite = [c for c in zoom.clauses if c.effective_from == date(2023, 8, 11)]
    assert len(rewrite) == 5
    for clause in rewrite:
        assert clause.archive is not None
        assert (clause.archive.commit, clause.archive.recorded) == (AUG_11, date(2023, 8, 11))
        assert clause.effective_to is None and plain_words(clause.quote) not in zoom_text(AUG_07)


def test_providers_cli_lists_the_march_2023_clauses_on_15_may_2023(cli) -> None:  # type: ignore[no-untyped-def]
    import json

    result = cli("providers", "zoom", "--on", "2023-05-15", "--json")
    assert result.returncode == 0, result.stderr
    in_force = {c["id"]: c for c in json.loads(result.stdout)["clauses_in_force"]}
    for clause_id, section in (("tos-10-2-2023-03", "10.2"), ("tos-10-4-2023-03", "10.4")):
        clause = in_force[clause_id]
        assert clause["section"] == section and clause["verified"] is True
        assert clause["archive"]["commit"] == MARCH and MARCH in clause["source"]
    assert "machine learning or artificial intelligence" in in_force["tos-10-2-2023-03"]["quote"]

    result = cli("providers", "zoom", "--on", "2023-08-08", "--json")
    in_force = {c["id"]: c for c in json.loads(result.stdout)["clauses_in_force"]}
    assert in_force["tos-10-4-2023-08-07"]["quote"].startswith("Notwithstanding the above")
    assert in_force["tos-10-4-2023-08-07"]["archive"]["commit"] == AUG_07


def test_the_quoted_section_10_excerpts_are_word_for_word_in_the_archived_versions() -> None:
    from tests.terms.support.pages import fixture_text

    for name, commit in (("zoom/tos-2023-03-section10.quoted.md", MARCH),
                         ("zoom/tos-2023-08-07-section10.quoted.md", AUG_07)):
        full = zoom_text(commit)
        pieces = [piece.strip() for block in fixture_text(name).split("\n\n")
                  for piece in plain_words(block).split("…") if piece.strip()]
        assert len(pieces) >= 3
        for piece in pieces:
            assert piece in full, f"{name}: {piece[:80]!r} is not in the archived text"
