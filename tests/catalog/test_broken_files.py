"""A broken catalog file is reported by file, field and reason, and the other files still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.catalog import load_catalog

GOOD = '''
id = "good"
name = "Good Provider"
vendor = "Good Inc."
kind = "meeting-client"
homepage = "https://good.example/"

[[documents]]
id = "terms"
type = "terms-of-service"
title = "Terms"
url = "https://good.example/terms"
checked = 2026-11-23

[[clauses]]
id = "no-training"
document = "terms"
section = "4"
topic = "ai-training"
quote = "We do not train on your content."
effective_from = 2024-01-01
source = "https://good.example/terms"
checked = 2026-11-23
'''


def _variant(old: str, new: str, provider_id: str = "broken") -> str:
    text = GOOD.replace('id = "good"', f'id = "{provider_id}"')
    assert old in text, old
    return text.replace(old, new)


BROKEN = {
    "not-toml": ("id = 'x\nname = ", "", "not valid TOML"),
    "missing-field": (_variant('vendor = "Good Inc."\n', ""), "vendor", "missing"),
    "bad-enum": (_variant('kind = "meeting-client"', 'kind = "video-thing"'), "kind", "video-thing"),
    "wrong-type": (_variant("checked = 2026-11-23\n\n[[clauses]]", "checked = \"last week\"\n\n[[clauses]]"),
                   "documents[terms].checked", "date"),
    "bad-url": (_variant('homepage = "https://good.example/"', 'homepage = "not a url"'), "homepage", "URL"),
    "bad-regex": (_variant("[[documents]]", "[detect.linux]\nmeeting_window_titles = ['(unclosed']\n\n[[documents]]"),
                  "detect.linux.meeting_window_titles[0]", "not a valid regular expression"),
    "bad-participant-name": (_variant("[[documents]]", "[detect]\nparticipant_names = ['Bot (']\n\n[[documents]]"),
                             "detect.participant_names[0]", "not a valid regular expression"),
    "unknown-document": (_variant('document = "terms"', 'document = "privacy"'),
                         "clauses[no-training].document", "names document 'privacy'"),
    "dates-reversed": (_variant("effective_from = 2024-01-01",
                                "effective_from = 2024-01-01\neffective_to = 2023-01-01"),
                       "clauses[no-training].effective_to", "before effective_from"),
    "unknown-field": (_variant('vendor = "Good Inc."', 'vendor = "Good Inc."\nvendro = "typo"'), "vendro",
                      "not a known field"),
    "duplicate-clause": (_variant("[[clauses]]\nid = \"no-training\"",
                                  "[[clauses]]\nid = \"no-training\"\ndocument = \"terms\"\ntopic = \"other\"\n"
                                  "quote = \"x\"\neffective_from = 2024-01-01\nsource = \"https://good.example/\"\n"
                                  "checked = 2026-11-23\n\n[[clauses]]\nid = \"no-training\""),
                         "clauses[no-training].id", "duplicate id 'no-training'"),
    "bad-slug": (_variant('id = "broken"', 'id = "Has Spaces"'), "id", "lowercase"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_file_is_reported_by_file_field_and_reason(tmp_path: Path, kind: str):
    text, field, reason = BROKEN[kind]
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    broken = tmp_path / f"{kind}.toml"
    broken.write_text(text, encoding="utf-8")

    catalog = load_catalog(shipped=tmp_path)

    assert list(catalog.providers) == ["good"], "the good file still loads, the broken one is skipped"
    assert len(catalog.problems) == 1
    problem = catalog.problems[0]
    assert problem.file == broken
    assert problem.field == field
    assert reason in problem.reason
    message = problem.message()
    assert str(broken) in message and reason in message
    if field:
        assert f"field '{field}'" in message


def test_two_files_with_the_same_id_keep_the_first(tmp_path: Path):
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD.replace("Good Provider", "Impostor"), encoding="utf-8")
    catalog = load_catalog(shipped=tmp_path)
    assert catalog.get("good").name == "Good Provider"
    [problem] = catalog.problems
    assert problem.file == tmp_path / "b.toml" and problem.field == "id" and "already used" in problem.reason


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path):
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "latin.toml").write_bytes('name = "Caf\xe9"'.encode("latin-1"))
    catalog = load_catalog(shipped=tmp_path)
    assert list(catalog.providers) == ["good"]
    assert "not UTF-8" in catalog.problems[0].reason


def test_a_huge_or_multi_line_value_is_quoted_short_on_one_line(tmp_path: Path) -> None:
    """Audit round four: the reason quoted the file's value whole: a 400 kB id made an 800 kB
    problem (logged at every start, listed in Overview), and a key holding a line break split
    the message into a forged line."""
    user = tmp_path / "user"
    user.mkdir()
    (user / "a.toml").write_text('id = "' + "A" * 400_000 + '"\n', encoding="utf-8")
    (user / "b.toml").write_text('id = "zoom"\n"' + "K" * 100_000 + '\\nmeeting-guard: all clear" = 1\n',
                                 encoding="utf-8")
    catalog = load_catalog(user=user)
    messages = {problem.file.name: problem.message() for problem in catalog.problems}
    assert set(messages) == {"a.toml", "b.toml"}
    for name, message in messages.items():
        assert len(message) < 2000 and "\n" not in message, (name, len(message))
        assert message.startswith(f"Catalog file {user / name}, field '") and message.endswith(
            "The file was skipped; fix it and restart."), message[-200:]
    assert "'id': 'AAAA" in messages["a.toml"] and "…" in messages["a.toml"]
    assert "not a known field" in messages["b.toml"]


def test_a_user_files_name_longer_than_any_real_one_is_refused_by_field(tmp_path: Path) -> None:
    """Audit round four: names had no upper bound; a user file's 300 kB provider name was shown
    whole ('meeting-guard providers' printed a 300 kB row, menus and notifications carried it)."""
    user = tmp_path / "user"
    user.mkdir()
    (user / "long.toml").write_text(GOOD.replace('id = "good"', 'id = "long"').replace(
        'name = "Good Provider"', 'name = "' + "N" * 300_000 + '"'), encoding="utf-8")
    (user / "good.toml").write_text(GOOD, encoding="utf-8")
    catalog = load_catalog(user=user)
    assert catalog.get("good") is not None and catalog.get("long") is None
    (problem,) = [p for p in catalog.problems if p.file.name == "long.toml"]
    assert problem.field == "name" and "at most 200 characters" in problem.reason


FEATURE = '''
[[ai_features]]
id = "notes"
name = "Notes"
description = "Writes notes."
enabled_by = ["host"]
participant_notice = "A banner."
participant_options = ["leave"]
sources = [{ url = "https://good.example/notes", checked = 2026-11-23 }]
'''


@pytest.mark.parametrize(("old", "new", "field"), [
    ('description = "Writes notes."', 'description = "' + "D" * 500_000 + '"', "ai_features[notes].description"),
    ('participant_notice = "A banner."', 'participant_notice = "' + "P" * 300_000 + '"',
     "ai_features[notes].participant_notice"),
    ('checked = 2026-11-23\n\n[[ai', 'checked = 2026-11-23\nnote = "' + "N" * 300_000 + '"\n\n[[ai', ""),
])
def test_a_user_files_text_longer_than_any_real_one_is_refused_by_field(tmp_path: Path, old: str, new: str,
                                                                       field: str) -> None:
    """Audit round five: feature descriptions and clause notes had no upper bound; a user file's
    500 kB description was put whole into the consent form. Shipped texts are under 2,600
    characters; the bounds (2,000 for descriptions, notices, quotes and summaries, 5,000 for
    notes) leave room and refuse the file with a problem naming the field."""
    user = tmp_path / "user"
    user.mkdir()
    text = GOOD.replace('id = "good"', 'id = "long"') + FEATURE
    assert old in text, old
    (user / "long.toml").write_text(text.replace(old, new), encoding="utf-8")
    (user / "good.toml").write_text(GOOD + FEATURE, encoding="utf-8")
    catalog = load_catalog(user=user)
    assert catalog.get("good") is not None and catalog.get("long") is None
    (problem,) = [p for p in catalog.problems if p.file.name == "long.toml"]
    assert problem.field == (field or "clauses[no-training].note") and "at most" in problem.reason
    assert len(problem.message()) < 2000
