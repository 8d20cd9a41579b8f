"""Clause alignment is a pure function: Markdown in, clause changes out (guard/terms/align.py)."""

from __future__ import annotations

from guard.terms.diff import ChangeKind, diff_markdown, sentences, split_clauses
from guard.terms.wording import substance, word_diff

OLD = """# Terms

\\1. ACCOUNTS

1.1 Registration. You must register.

\\2. DATA

2.1 Use of Content. Zoom may use Customer Content to provide the Services.

2.2 Retention. We keep recordings for 30 days.
"""


def kinds(old: str, new: str) -> list[tuple[ChangeKind, str | None]]:
    return [(c.kind, c.section) for c in diff_markdown(old, new)]


def test_identical_texts_have_no_changes() -> None:
    assert diff_markdown(OLD, OLD) == []


def test_a_reworded_clause_is_one_change_with_both_wordings() -> None:
    new = OLD.replace("to provide the Services.", "to provide the Services and to train AI models.")
    (change,) = diff_markdown(OLD, new)
    assert (change.kind, change.section) == (ChangeKind.CHANGED, "2.1")
    assert change.old_text.endswith("to provide the Services.") and change.new_text.endswith("to train AI models.")


def test_a_rewritten_clause_under_a_new_number_still_pairs_with_its_old_wording() -> None:
    old = ("10.2 Service Generated Data; Consent to Use. You consent to Zoom's use of Service Generated Data for any "
           "purpose, including machine learning and the training of models, analytics and marketing.\n\n"
           "10.3 Permitted Use. Zoom may access Customer Content to provide the Services and as required by Law.")
    new = ("10.3 Permitted Uses. Zoom will only access Customer Content to provide the Services and as required by "
           "Law.\n\n10.5 Service Generated Data. Zoom may use Service Generated Data for analytics and marketing, "
           "and for the training of models.")
    pairs = {(c.old.section, c.new.section) for c in diff_markdown(old, new) if c.kind is ChangeKind.CHANGED}
    assert pairs == {("10.2", "10.5"), ("10.3", "10.3")}


def test_added_and_removed_clauses() -> None:
    new = OLD.replace("2.2 Retention. We keep recordings for 30 days.\n", "") + "\n2.3 Sharing. We sell nothing.\n"
    assert sorted(kinds(OLD, new)) == [(ChangeKind.ADDED, "2.3"), (ChangeKind.REMOVED, "2.2")]


def test_a_clause_that_only_moved_is_moved_and_quiet() -> None:
    blocks = OLD.strip().split("\n\n")
    moved = "\n\n".join([blocks[0], blocks[3], blocks[1], blocks[2], blocks[4], blocks[5]])
    changes = diff_markdown(OLD, moved)
    assert [c.kind for c in changes] == [ChangeKind.MOVED] and changes[0].quiet


def test_renumbered_headings_and_cross_references_are_wording_only() -> None:
    old = "34. ELIGIBILITY\n\nYou may use the data as set out in Section 10.2 and 10.4."
    new = "35. ELIGIBILITY\n\nYou may use the data as set out in Section 10.5 and 10.6."
    assert [c.kind for c in diff_markdown(old, new)] == [ChangeKind.WORDING, ChangeKind.WORDING]


def test_spacing_quotes_escapes_and_case_are_not_changes() -> None:
    restyled = (OLD.replace("Zoom may use", "Zoom  may   use").replace("\\2. DATA", "2. Data")
                .replace("You must register.", "YOU MUST REGISTER."))
    assert diff_markdown(OLD, restyled) == []
    assert diff_markdown('He said "no".', "He said “no”.") == []


def test_unnumbered_paragraph_belongs_to_the_section_before_it() -> None:
    clauses = split_clauses("10.2 Permitted Uses. Text.\n\nZoom does not use your audio.\n\n10.3 Next. Text.")
    assert [c.section for c in clauses] == ["10.2", "10.2", "10.3"]


def test_bold_section_numbers_and_nested_list_items_get_sections() -> None:
    clauses = split_clauses("**10.4 Licence**. Text.\n\nMore.\n\n20. MISCELLANEOUS\n\n  1. Choice of Law. California.")
    assert [c.section for c in clauses] == ["10.4", "10.4", "20", "20.1"]


def test_headings_start_sections() -> None:
    clauses = split_clauses("## Section 5 Data Sharing\n\nWe share data.\n\n## Retention\n\nWe keep data.")
    assert [c.section for c in clauses] == ["5", "5", "5", "5"]


def test_lines_of_a_definitions_paragraph_are_separate_clauses() -> None:
    clauses = split_clauses("1. DEFINITIONS.\n“Affiliate” means an entity.\n“Your Data” means information.")
    assert [c.text for c in clauses][1:] == ["“Affiliate” means an entity.", "“Your Data” means information."]


def test_list_items_know_the_sentence_that_introduces_them() -> None:
    clauses = split_clauses("You will not use the services:\n\n  - To scrape data.\n\n  - To harm people.\n\nNext.")
    assert [c.lead for c in clauses] == [None, "You will not use the services:", "You will not use the services:",
                                         None]


def test_items_marked_otherwise_than_their_lead_at_the_same_indent_keep_it() -> None:
    # archived Markdown often puts a lead-in and its items at one indent: a numbered clause with
    # "(i)" items (Netflix 4.6), a paragraph with "1." items (Stack Exchange), a heading with bullets
    netflix = split_clauses("4.6. You agree not to:\n\n(i) copy the service;\n\n(ii) train any model on it.\n\n"
                            "4.7. Fees.")
    assert [c.lead for c in netflix] == [None, "4.6. You agree not to:", "4.6. You agree not to:", None]
    numbered = split_clauses("You may not use any scraper for:\n\n1.  Building a rival service; or\n\n"
                             "2.  Training any model.\n\nContent Policy")
    assert [c.lead for c in numbered][1:] == ["You may not use any scraper for:"] * 2 + [None]
    heading = split_clauses("#### 3. You also aren't allowed to:\n\n- Mine the content.\n\n#### 4. Fees")
    assert heading[1].lead == "#### 3. You also aren't allowed to:" and heading[2].lead is None


def test_a_numbered_clause_ending_in_a_colon_is_not_the_lead_of_the_next_numbered_clause() -> None:
    clauses = split_clauses("3. We use your data for these purposes:\n\n4. Fees are due monthly.")
    assert clauses[1].lead is None


def test_sentences_keep_abbreviations_together_and_headings_with_their_sentence() -> None:
    text = "Use of the term “e.g.” or “including” is broad. Zoom may delete data. See Section 14.5 below."
    assert sentences(text) == ["Use of the term “e.g.” or “including” is broad.", "Zoom may delete data.",
                               "See Section 14.5 below."]
    assert sentences("27.11 Opt-Out. You may opt out of arbitration.") == [
        "27.11 Opt-Out. You may opt out of arbitration."]


def test_substance_drops_what_does_not_change_meaning() -> None:
    assert substance("**10.4** We'll share it, as in Section 10.2.") == substance("We will share it as in section 12")
    assert substance("We may share data.") != substance("We may not share data.")


def test_word_diff_marks_only_the_changed_words() -> None:
    segments = word_diff("Zoom will not use chat to train models without your consent.",
                         "Zoom does not use chat to train models.")
    changed = [(s.old, s.new) for s in segments if s.op != "equal"]
    assert changed == [("will", "does"), (" without your consent", "")]
