"""Linear-time matching (guard.patterns): RE2 patterns, bounded texts, normalised titles, links in text.

Issue 16 items 11 and 16: a pattern like ``^(a+)+$`` took 50 s on a 29-character title and one
120 kB argument took 54 s to search for links. Each test here would hang for minutes with
Python's backtracking ``re``; they assert on the work done (calls, characters), not on time.
"""

from __future__ import annotations

import pytest

from guard.patterns import (
    COUNTER,
    TEXT_LIMIT,
    PatternError,
    PatternSet,
    bounded,
    compile_pattern,
    find_urls,
    normalize_text,
)


def _work(call):
    before = COUNTER.snapshot()
    result = call()
    after = COUNTER.snapshot()
    return result, after[0] - before[0], after[1] - before[1]


def test_catastrophic_pattern_runs_in_linear_time():
    pattern = compile_pattern(r"^(a+)+$")
    found, calls, chars = _work(lambda: pattern.search("a" * 28 + "!"))
    assert found is False and calls == 1 and chars == 29
    assert pattern.search("a" * 29)


def test_a_huge_text_is_examined_only_up_to_the_limit():
    pattern = compile_pattern(r"(x+x+)+y")
    text = "x" * 100_000
    found, calls, chars = _work(lambda: pattern.search(text))
    assert found is False and calls == 1 and chars <= TEXT_LIMIT


@pytest.mark.parametrize("source, words", [
    (r"(a)\1", "backreferences"),
    (r"Meet(?= -)", "lookahead"),
    (r"(?<!Not )Zoom", "lookbehind"),
    (r"(?<=Meet )abc", "lookbehind"),
    (r"(?>Zoom)", "atomic groups"),
    (r"Zoom\Z", r"'\z'"),
    (r"a++", "possessive"),
    ("Bot (", "not a valid regular expression"),
    ("", "empty"),
    (".*", "matches an empty text"),
    ("(Zoom)?", "matches an empty text"),
])
def test_patterns_re2_cannot_run_are_refused_with_a_reason(source, words):
    with pytest.raises(PatternError) as caught:
        compile_pattern(source)
    assert words in str(caught.value) and repr(source) in str(caught.value)


def test_case_is_ignored_where_the_pattern_says_so():
    assert compile_pattern(r"(?i)^fireflies\.ai notetaker").search("Fireflies.ai Notetaker")
    assert not compile_pattern(r"^fireflies\.ai notetaker").search("Fireflies.ai Notetaker")


def test_pattern_set_says_which_keys_match():
    patterns = PatternSet([("meet", r"^Meet - [a-z]{3}-[a-z]{4}-[a-z]{3}$"), ("teams", r"\| Microsoft Teams$"),
                           ("meet", r"^Google Meet$")])
    assert patterns.keys_matching("Meet - abc-defg-hij") == ["meet"]
    assert patterns.keys_matching("Meet | Weekly sync | Microsoft Teams") == ["teams"]
    assert patterns.keys_matching("Inbox") == []


@pytest.mark.parametrize("title", [
    "Meet - abc-defg-hij",
    "Meet \u2013 abc-defg-hij",  # en dash, as Google Meet titles its tab
    "Meet\u00a0\u2013 abc-defg-hij",  # no-break space before it
    "Meet \u2014 abc\u2011defg\u2011hij",  # em dash, non-breaking hyphens
    "Meet \u2212 abc-defg-hij",  # minus sign
    "Meet\u202f\u2012\u2009abc-defg-hij",  # narrow no-break space, figure dash, thin space
    "\u200eMeet \u2013 abc-defg-hij\u200f",  # bidi marks
    "Meet \u2013\u200b abc-defg-hij\ufeff",  # zero-width space, BOM
    "Meet\t\u2013\n abc-defg-hij  ",
    "\u2068Meet \u2013 abc\u00ad-defg-hij\u2069",  # isolates, soft hyphen
    "Me\U000e0100et \u2013 ab\u180fc-de\U0001d173fg-h\U0001bca0ij\ufff0",  # audit16: the rest of the default ignorables
])
def test_one_pattern_covers_every_form_of_a_title(title):
    pattern = compile_pattern(r"^Meet - [a-z]{3}-[a-z]{4}-[a-z]{3}$")
    assert pattern.search(normalize_text(title)), repr(normalize_text(title))


def test_normalising_keeps_case_and_letters():
    assert normalize_text("Zoom  Meeting") == "Zoom Meeting"
    assert normalize_text("Réunion – Équipe") == "Réunion - Équipe"
    assert normalize_text("\x1b[31mred\x1b[0m") == "[31mred [0m"


def test_normalising_a_huge_title_is_bounded():
    (text, _calls, _chars) = _work(lambda: normalize_text("Meet – " + "x" * 100_000 + " | Microsoft Teams"))
    assert len(text) <= TEXT_LIMIT
    assert text.startswith("Meet - x") and text.endswith("x | Microsoft Teams"), "its start and end are kept"
    assert bounded("short") == "short"


def test_url_finding_in_a_120_kb_argument_is_linear():
    """Issue 16.11: one 120 kB browser argument made a scan take 54 s."""
    argument = "--data=" + "a" * 120_000
    urls, calls, chars = _work(lambda: find_urls(argument))
    assert urls == [] and calls == 1 and chars <= TEXT_LIMIT
    (url,), calls, chars = _work(lambda: find_urls("a1+.-" * 24_000 + "://x"))  # one long run of scheme letters
    assert url.endswith("a1+.-://x") and len(url) <= 32 + len("://x") and chars <= TEXT_LIMIT


def test_links_are_found_inside_arguments():
    text = "--app=https://meet.jit.si/Room?x=1 'zoommtg://zoom.us/join?confno=1' msteams:/l/meetup-join/19%3a"
    assert find_urls(text) == ["https://meet.jit.si/Room?x=1", "zoommtg://zoom.us/join?confno=1",
                               "msteams:/l/meetup-join/19%3a"]
    assert find_urls("no links here: just words") == []
