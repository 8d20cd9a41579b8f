"""Alignment on hostile or huge pages finishes, loses nothing and says what it could not do.

The pairs are made from a seed (tests/terms/support/hostile_pages.py); the times are in
tests/bench/bench_terms_align.py, never asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path

from guard.terms.align import MAX_PAIRED
from guard.terms.diff import ChangeKind, diff_markdown, split_clauses
from guard.terms.wording import word_diff
from tests.terms.support.hostile_pages import changed_clauses, huge_clause, repeated_clauses
from tests.terms.support.two_versions import store_two_versions


def test_ten_thousand_changed_clauses_are_shown_removed_and_added_and_the_diff_says_why(
        cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    count = 10_000  # twice MAX_PAIRED; 20,000 cost twice the CI time and showed nothing more
    old, new = changed_clauses(count)
    store_two_versions(old, new)
    result = cli("terms", "diff", "acme", "terms", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    changes = data["changes"]
    # nothing lost: every old clause is there as removed, every new one as added, each marked
    assert sum(1 for c in changes if c["kind"] == "removed") == count
    assert sum(1 for c in changes if c["kind"] == "added") == count
    assert all(c["unpaired"] for c in changes)
    assert "Too many clauses changed to pair" in data["note"] and f"{count:,} removed, {count:,} added" in data["note"]
    text = cli("terms", "diff", "acme", "terms")
    assert text.returncode == 0, text.stderr
    head = text.stdout.split("\n\n", 1)[0]
    assert f"{2 * count:,} clause changes" in head or f"{2 * count} clause changes" in head
    assert f"at most {MAX_PAIRED:,} are paired): they are shown as removed and added, not side by side." in head


def test_a_few_changed_clauses_are_still_paired_side_by_side() -> None:
    old, new = changed_clauses(300)
    diffs = diff_markdown(old, new)
    assert len(diffs) == 300 and all(d.kind is ChangeKind.CHANGED and not d.unpaired for d in diffs)
    assert all(d.old is not None and d.new is not None and d.old.index == d.new.index for d in diffs)


def test_a_clause_repeated_twenty_thousand_times_is_aligned_without_losing_a_change() -> None:
    old, new = repeated_clauses(20_000)
    diffs = diff_markdown(old, new)
    changed = [d for d in diffs if not d.quiet]
    # every tenth clause was reworded: each is a change (the clauses it replaced are removed, or
    # paired with it), the unchanged repeats are no change
    assert sorted(d.new.index for d in changed if d.new is not None) == list(range(0, 20_000, 10))
    assert sum(1 for d in changed if d.old is not None) == 2_000
    assert not any(d.unpaired for d in diffs)


def test_one_paragraph_of_five_megabytes_is_compared_sentence_by_sentence() -> None:
    old, new = huge_clause(5 * 1024 * 1024)
    (diff,) = diff_markdown(old, new)
    assert diff.old is not None and diff.new is not None and len(split_clauses(old)) == 1
    segments = word_diff(old, new)
    # the highlights rebuild both wordings exactly, and mark the reworded words, not the whole paragraph
    assert "".join(s.old for s in segments) == old and "".join(s.new for s in segments) == new
    marked = sum(len(s.old) for s in segments if s.op != "equal")
    assert 0 < marked < len(old) // 4


def test_a_clause_naming_a_masked_phrase_a_hundred_thousand_times_is_read() -> None:
    """audit16: masking copied the whole sentence once per phrase it blanked ("screen sharing", product names), so
    a clause naming one 40,000 times (1.4 MB) took 20 s to mask, and more times grew it by the square: a terms check
    that never ended. One copy per rule now."""
    from guard.terms.analysis import analyse
    from tests.support.bounded import bounded

    clause = "We may use your content to train machine learning models for " + "screen sharing, " * 100_000 + "too."
    changes = bounded(lambda: analyse("Intro.", f"Intro.\n\n{clause}"), hang="masking read the clause for ever")
    assert isinstance(changes, list) and len(changes) == 1 and "ai-training" in changes[0].topics
