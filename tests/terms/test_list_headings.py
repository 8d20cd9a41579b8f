"""Headings written as an ordered list that always says "1." are named by their own words."""

from __future__ import annotations

from guard.terms.diff import split_clauses

TEXT = """1. ORDERING

You may order services.

1. PAYMENT

You pay each month.

1. SHARING

We share usage data with partners.
"""


def test_a_heading_list_that_restarts_at_1_names_each_section_by_its_heading() -> None:
    clauses = {clause.text: clause for clause in split_clauses(TEXT)}
    sharing = clauses["We share usage data with partners."]
    assert sharing.section is None and sharing.heading == "SHARING"
    assert clauses["You pay each month."].heading == "PAYMENT"


def test_a_numbered_list_of_sentences_keeps_its_numbers() -> None:
    clauses = split_clauses("1. Terms\n\nText.\n\n1. We collect your name.\n\n2. We keep it a year.\n")
    assert [c.section for c in clauses] == ["1", "1", "1", "2"]
