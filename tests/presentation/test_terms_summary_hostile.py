"""A terms page is written by the provider, and its words reach the tray's notice, the tray menu and
the Terms tab through the change's summary. Whatever it holds (format fields, printf fields, markup,
Markdown, line breaks, terminal escapes, bidirectional overrides), the summary quotes its letters as
written and in the order the classifier read them, in every language the app speaks: an override
must not show "tnesnoc ruoy tuohtiw" (what was classified) as "without your consent"."""

from __future__ import annotations

import re

import pytest

from guard.events import ClauseChange, TermsChanged
from guard.presentation import i18n
from guard.presentation.notices import terms_notice
from guard.presentation.terms_summary import change_words, summary_words
from guard.terms.summary_model import ChangeSummary, MoveVerb, Phrase, ScopeMove
from tests.presentation.conftest import AT

LANGUAGES = ("en", "de", "es", "fr", "it", "nl")
HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What the provider wrote: an override that turns the letters after it around, an isolate, a bell, a
# terminal escape, line breaks, and text that looks like templates, printf fields, HTML and Markdown.
BEFORE = ("We will not train AI on your content \u202etnesnoc ruoy tuohtiw\u202c.\n\n## 10.3\u2028"
          "\x07\x1b[2J {0.__class__} %s %(x)s <img src=file:///etc/hostname> **bold**")
NOW = "We may train AI on your content \u2066ltr\u2069."
SAID = ChangeSummary(kind="changed", section="10.2\u202e", topics=(Phrase("ai-training", "AI training"),),
                     moves=(ScopeMove(MoveVerb.NO_LONGER_SAYS, limit=Phrase("without-consent", "without your consent"),
                                      quoted="\u202etnesnoc ruoy tuohtiw"),),
                     before=BEFORE, now=NOW)
AS_WRITTEN = ("tnesnoc ruoy tuohtiw", "{0.__class__} %s %(x)s <img src=file:///etc/hostname> **bold**",
              "We may train AI on your content", "## 10.3")


@pytest.fixture
def language():
    yield i18n.use_language
    i18n.use_language("en")


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_providers_words_are_shown_as_written_without_hidden_characters(language, code):
    language(code)
    said = summary_words(SAID)
    assert said is not None and not HIDDEN.search(said), ascii(said)
    for words in AS_WRITTEN:
        assert words in said, (code, words)


def test_a_summary_kept_only_in_english_is_shown_without_hidden_characters():
    change = ClauseChange(("ai-training",), "old", "new", "10.2",
                          f"AI training: Section 10.2 changed. Before: “{BEFORE}”")
    said = change_words(change)
    assert said is not None and not HIDDEN.search(said) and AS_WRITTEN[1] in said


def test_the_tray_notice_of_a_terms_change_carries_no_hidden_characters(catalog):
    event = TermsChanged(provider_id="testmeet", at=AT, document_id="terms", url="https://example.org/terms",
                         old_sha256="a" * 64, new_sha256="b" * 64,
                         changes=(ClauseChange(("ai-training",), "old", "new", "10.2", None, said=SAID),))
    body = terms_notice(event, catalog).body
    assert not HIDDEN.search(body) and "tnesnoc ruoy tuohtiw" in body


def test_the_terms_tabs_two_wordings_carry_no_hidden_characters():
    from guard.presentation.terms_view import marked_wordings
    from guard.terms.analysis import analyse

    old = "## 10. Data\n\nWe will not train AI on your content without your consent. We keep data.\n"
    new = "## 10. Data\n\nWe will not train AI on your content \u202etnesnoc ruoy tuohtiw\u202c. We keep data.\n"
    (change,) = analyse(old, new)
    before, after = marked_wordings(change)
    assert before is not None and after is not None
    assert [changed for _sentence, changed in after] == [True, False], "the changed sentence is still marked"
    assert not any(HIDDEN.search(sentence) for sentence, _changed in after)
    assert "tnesnoc ruoy tuohtiw" in after[0][0]
