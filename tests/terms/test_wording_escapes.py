"""Markdown escapes are stored, not read: ``terms diff`` and the accuracy bench see the reader's text."""

from __future__ import annotations

from guard.cli.terms_cmd import _shown
from guard.terms.wording import unescaped
from tests.bench.bench_terms_accuracy import words


def test_a_printed_wording_shows_escaped_marks_as_the_reader_sees_them() -> None:
    stored = r"We set the cookie \_session\_id \* except where the law \[requires\] it. A path C:\\data stays."
    shown = r"We set the cookie _session_id * except where the law [requires] it. A path C:\data stays."
    assert _shown(stored) == shown


def test_a_backslash_before_a_letter_is_not_an_escape() -> None:
    assert unescaped(r"the folder C:\new holds \_files") == r"the folder C:\new holds _files"


def test_the_accuracy_bench_counts_an_escaped_word_as_the_same_word() -> None:
    assert words(r"the ad\_user\_data signal") == words("the ad_user_data signal")
