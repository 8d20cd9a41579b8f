"""A section added or removed whole reads as one change: its heading, its topics and how many of
its clauses touch them, in the event the tray and the Terms tab read, in ``terms diff`` and its
JSON; the clause-by-clause changes (what the accuracy bench scores) are still there.

The documents are written here in the shape of a privacy policy that gains a section on AI
(no provider's words)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from guard.events import TermsChanged
from guard.presentation.status import change_summary
from guard.presentation.terms_view import clause_counts
from guard.terms.analysis import analyse, relevant_changes
from guard.terms.diff import ChangeKind
from guard.terms.sections import readable_changes
from tests.terms.support.two_versions import store_two_versions

OLD = """# Example Privacy Policy

## 1. Who we are

Example Ltd runs the Example meeting service.

## 2. Contact

Write to privacy@example.com with any question.
"""
SECTION = """## 2. How we use artificial intelligence

We use the audio, video and chat content of your meetings to train our artificial intelligence models.

We share transcripts of your meetings with our third-party AI providers, who process them on our behalf.

We retain meeting recordings and transcripts for up to three years after your account is closed.

You may opt out of the use of your content for training in your account settings.

"""
NEW = OLD.replace("## 2. Contact", SECTION + "## 3. Contact")
HEADING = "2. How we use artificial intelligence"


def test_a_new_section_is_one_change_naming_its_heading_topics_and_clauses() -> None:
    changes = analyse(OLD, NEW)
    assert sum(1 for c in changes if c.relevant) == 4  # scored clause by clause, as before
    (section,) = [c for c in readable_changes(changes) if c.parts]
    assert section.kind is ChangeKind.ADDED and section.material and len(section.parts) == 5
    assert section.summary is not None
    assert f"A new section, “{HEADING}” (4 clauses on these topics), now allows training AI" in section.summary
    assert {"ai-training", "third-party-sharing", "retention", "consent-opt-out"} <= set(section.topics)
    assert section.diff.new_text is not None and "three years" in section.diff.new_text


def test_the_event_the_tray_reads_tells_the_section_once(app_home: Path) -> None:
    changes = relevant_changes(analyse(OLD, NEW))
    (change,) = changes
    assert change.clauses == 4 + 1 and change.kind == "added"
    event = TermsChanged(provider_id="acme", at=datetime(2026, 11, 2, 9, tzinfo=UTC), document_id="privacy",
                         new_sha256="0" * 64, changes=changes)
    said = change_summary(event.changes)
    assert f"A new section, “{HEADING}” (4 clauses on these topics)" in said and "more change" not in said


def test_the_terms_tab_counts_the_sections_clauses() -> None:
    readable = readable_changes(analyse(OLD, NEW))
    assert len(readable) == 2  # the section, and the next heading renumbered
    assert clause_counts(readable) == (6, 4)


def test_a_section_removed_whole_is_one_change_too() -> None:
    (section,) = [c for c in readable_changes(analyse(NEW, OLD)) if c.parts]
    assert section.kind is ChangeKind.REMOVED and section.summary is not None
    assert f"The section “{HEADING}” (4 clauses on these topics) was removed: it no longer allows" in section.summary


def test_a_new_section_with_one_relevant_clause_stays_clause_by_clause() -> None:
    small = SECTION.split("We share")[0]
    readable = readable_changes(analyse(OLD, OLD.replace("## 2. Contact", small + "## 3. Contact")))
    assert not any(c.parts for c in readable)


def test_a_hostile_heading_is_quoted_as_plain_text_and_cut() -> None:
    heading = "## 2. {0} {heading} \u202eevil " + "word " * 30
    changes = readable_changes(analyse(OLD, NEW.replace(f"## {HEADING}", heading)))
    (section,) = [c for c in changes if c.parts]
    assert section.summary is not None and "{0} {heading}" in section.summary and "…”" in section.summary
    assert len(section.summary) < 1200
    said = change_summary(relevant_changes(analyse(OLD, NEW.replace(f"## {HEADING}", heading))), limit=2000)
    assert "\u202e" not in said


def test_terms_diff_shows_the_section_as_one_change_with_each_clause(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    store_two_versions(OLD, NEW)
    text = cli("terms", "diff", "acme", "terms")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"“{HEADING}”: section added, 5 clauses, material"))
    assert f"A new section, “{HEADING}” (4 clauses on these topics)" in lines[at + 1]
    assert lines[at + 2] == f"  after:  ## {HEADING}"
    assert lines[at + 3].strip().startswith("We use the audio, video and chat content")
    assert "[ai-training" in lines[at + 3]
    assert sum(1 for line in lines if "We share transcripts" in line) == 1  # not again as a change of its own
    data = json.loads(cli("terms", "diff", "acme", "terms", "--json").stdout)
    assert sum(1 for c in data["changes"] if c["relevant"]) == 4  # clause by clause, as ever
    (section,) = data["sections"]
    assert section["heading"] == HEADING and section["clauses"] == 5 and section["relevant_clauses"] == 4
    assert section["summary_parts"]["clauses"] == 4 and section["severity"] == "material"
