"""An archived version's Markdown table is read as the provider's page shows it: one clause per row.

Open Terms Archive writes a page's tables as Markdown pipe tables, with ``<br>`` where a cell
breaks its lines (legal-basis and cookie tables in privacy policies). Read without table support,
the rows ran together and were cut at every ``<br>``, so one changed cell became a clause made of
the end of one row and the start of the next (Epassi's 2026 privacy policy, batch G of the corpus).
"""

from __future__ import annotations

from guard.terms.analysis import analyse
from guard.terms.archive_text import archive_markdown_to_text
from guard.terms.diff import split_clauses

TABLE = """# Privacy Policy

| Purpose | Personal data | Legal basis |
| --- | --- | --- |
| 3.1.3 Payments | *   Name<br>*   Email address | *   Contract<br>*   Legitimate interest (service development) |
| 3.1.4 Reporting on Used Benefits | *   Used benefit amount | *   Contract |

Personal data is kept for two years.
"""


def test_each_table_row_is_one_clause() -> None:
    rows = [clause.text for clause in split_clauses(archive_markdown_to_text(TABLE)) if clause.text.startswith("|")]
    assert len(rows) == 3  # the header and the two rows, nothing cut at a <br>
    assert "3.1.3 Payments" in rows[1] and "Legitimate interest (service development)" in rows[1]
    assert "3.1.4" not in rows[1]


def test_a_changed_cell_is_reported_as_its_own_row() -> None:
    added = "<br>*   Legal obligation (retention of payment information) |"
    new = TABLE.replace("(service development) |", "(service development)" + added)
    changes = analyse(archive_markdown_to_text(TABLE), archive_markdown_to_text(new))
    assert len(changes) == 1
    change = changes[0]
    assert change.diff.old_text is not None and change.diff.new_text is not None
    assert change.diff.new_text.startswith("| 3.1.3 Payments |")
    assert "Legal obligation (retention of payment information)" in change.diff.new_text
    assert "3.1.4" not in change.diff.new_text


COOKIES = """## Cookies

| Type | Name | Purpose | Duration | Category |
| --- | --- | --- | --- | --- |
| Cookie | session | Keeps you signed in | session | Essential |
| Cookie | adid | Used for advertising | 1 month | Marketing |
"""


def test_a_table_row_dropped_whole_is_read_not_taken_for_a_heading() -> None:
    new = COOKIES.replace("| Cookie | adid | Used for advertising | 1 month | Marketing |\n", "")
    changes = [change for change in analyse(archive_markdown_to_text(COOKIES), archive_markdown_to_text(new))
               if change.relevant]
    assert len(changes) == 1
    assert changes[0].diff.old_text is not None and "adid" in changes[0].diff.old_text
    assert "service-generated-data" in changes[0].topics
