"""The clause diff is a pure function: Markdown in, clause changes out."""

from __future__ import annotations

from guard.terms.diff import ChangeKind, diff_markdown, sentences, split_clauses

OLD = """# Terms

\\1. ACCOUNTS

1.1 Registration. You must register.

\\2. DATA

2.1 Use of Content. Zoom may use Customer Content to provide the Services.

2.2 Retention. We keep recordings for 30 days.
"""


def test_identical_texts_have_no_changes() -> None:
    assert diff_markdown(OLD, OLD) == []


def test_a_rewritten_clause_is_one_change_with_old_and_new_wording() -> None:
    new = OLD.replace("to provide the Services.", "to provide the Services and to train AI models.")
    changes = diff_markdown(OLD, new)
    assert [(c.kind, c.section) for c in changes] == [(ChangeKind.CHANGED, "2.1")]
    assert changes[0].old_text.endswith("to provide the Services.")
    assert changes[0].new_text.endswith("to train AI models.")


def test_added_and_removed_clauses() -> None:
    new = OLD.replace("2.2 Retention. We keep recordings for 30 days.\n", "") + "\n2.3 Sharing. We sell nothing.\n"
    kinds = sorted((c.kind, c.section) for c in diff_markdown(OLD, new))
    assert kinds == [(ChangeKind.ADDED, "2.3"), (ChangeKind.REMOVED, "2.2")]


def test_a_clause_that_only_moved_is_not_a_change() -> None:
    blocks = OLD.strip().split("\n\n")
    moved = "\n\n".join([blocks[0], blocks[3], blocks[1], blocks[2], blocks[4], blocks[5]])
    assert diff_markdown(OLD, moved) == []


def test_spacing_quotes_escapes_and_case_are_not_changes() -> None:
    restyled = (OLD.replace("Zoom may use", "Zoom  may   use").replace("\\2. DATA", "2. Data")
                .replace("You must register.", "YOU MUST REGISTER."))
    assert diff_markdown(OLD, restyled) == []
    assert diff_markdown('He said "no".', "He said “no”.") == []


def test_unnumbered_paragraph_belongs_to_the_section_before_it() -> None:
    clauses = split_clauses("10.2 Permitted Uses. Text.\n\nZoom does not use your audio.\n\n10.3 Next. Text.")
    assert [c.section for c in clauses] == ["10.2", "10.2", "10.3"]


def test_nested_numbered_list_items_get_dotted_sections() -> None:
    clauses = split_clauses("20. MISCELLANEOUS\n\n  1. Choice of Law. California.\n\n  2. Entity. India.\n\n21. NEXT")
    assert [c.section for c in clauses] == ["20", "20.1", "20.2", "21"]


def test_headings_start_sections() -> None:
    clauses = split_clauses("## Section 5 Data Sharing\n\nWe share data.\n\n## Retention\n\nWe keep data.")
    assert [c.section for c in clauses] == ["5", "5", "5", "5"]


def test_sentences_keep_abbreviations_together() -> None:
    text = "Use of the term “e.g.” or “including” is broad. Zoom may delete data. See Section 14.5 below."
    assert sentences(text) == ["Use of the term “e.g.” or “including” is broad.", "Zoom may delete data.",
                               "See Section 14.5 below."]
