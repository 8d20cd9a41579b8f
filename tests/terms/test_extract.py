"""Extraction: selectors → stable Markdown that a redesign does not change."""

from __future__ import annotations

import pytest

from guard.terms.extract import ExtractError, extract
from guard.terms.models import RangeSelector, SelectMode
from tests.support.bounded import bounded
from tests.terms.support.pages import fixture_text, plain_page, restyled_page

CATALOG_DEFAULT = ("main", "article", "body")


def test_redesigned_page_with_the_same_words_extracts_identically() -> None:
    md = fixture_text("zoom/tos-2023-08-11.ota.md")
    plain = extract(plain_page(md), CATALOG_DEFAULT).markdown
    restyled = extract(restyled_page(md), CATALOG_DEFAULT).markdown
    assert plain == restyled
    assert "Zoom does not use any of your audio, video, chat" in plain


def test_output_has_no_urls_classes_or_emphasis() -> None:
    html = ('<main><p class="x" id="y">See our <a href="https://example.com/privacy?id=1">Privacy '
            '<strong>Statement</strong></a>.</p></main>')
    markdown = extract(html, CATALOG_DEFAULT).markdown
    assert markdown == "See our Privacy Statement.\n"


def test_first_matching_selector_wins_for_catalog_documents() -> None:
    html = "<body><nav>Menu</nav><article><p>Article text</p></article><footer>Foot</footer></body>"
    assert extract(html, CATALOG_DEFAULT).markdown == "Article text\n"


def test_all_selectors_are_joined_in_selector_order_for_declarations() -> None:
    # As Open Terms Archive does: each selector's matches, in the order the selectors are given.
    html = "<body><div id='b'><p>Second</p></div><div id='a'><p>First</p></div><div id='c'>No</div></body>"
    result = extract(html, ("#a", "#b"), mode=SelectMode.ALL)
    assert result.markdown == "First\n\nSecond\n"


def test_nested_matches_are_not_repeated() -> None:
    html = "<main><section class='t'><p>Once</p><div class='t'><p>Inner</p></div></section></main>"
    assert extract(html, (".t",), mode=SelectMode.ALL).markdown == "Once\n\nInner\n"


def test_remove_selectors_drop_content() -> None:
    html = "<main><p>Keep</p><div class='cookie'>Accept cookies</div><p>Also keep</p></main>"
    assert extract(html, ("main",), (".cookie",)).markdown == "Keep\n\nAlso keep\n"


def test_range_selector_takes_the_content_between_markers() -> None:
    html = ("<body><h1>Title</h1><p>Intro</p><h2 id='start'>Terms</h2><p>Clause one</p><ul><li>Item</li></ul>"
            "<h2 id='end'>Contact</h2><p>Address</p></body>")
    result = extract(html, (RangeSelector(start_before="#start", end_before="#end"),), mode=SelectMode.ALL)
    assert result.markdown == "## Terms\n\nClause one\n\n- Item\n"
    after = extract(html, (RangeSelector(start_after="#start", end_after="#end"),), mode=SelectMode.ALL)
    assert after.markdown == "Clause one\n\n- Item\n\n## Contact\n"


def test_range_remove_cuts_a_stretch_out() -> None:
    html = "<main><p>A</p><p id='s'>Ad start</p><p>Ad</p><p id='e'>Ad end</p><p>B</p></main>"
    result = extract(html, ("main",), (RangeSelector(start_before="#s", end_after="#e"),))
    assert result.markdown == "A\n\nB\n"


def test_headings_lists_and_tables_keep_their_structure() -> None:
    html = ("<main><h2>Data</h2><ol start='3'><li>Third <ol><li>nested</li></ol></li><li>Fourth</li></ol>"
            "<table><tr><th>Kind</th><th>Kept</th></tr><tr><td>Logs</td><td>30 days</td></tr></table></main>")
    assert extract(html, ("main",)).markdown == (
        "## Data\n\n3. Third\n\n  1. nested\n\n4. Fourth\n\n| Kind | Kept |\n\n| Logs | 30 days |\n")


def test_line_breaks_survive_only_where_the_page_has_them() -> None:
    html = "<main><p>Zoom Video\nCommunications<br>55 Almaden Blvd</p><pre>a\nb</pre></main>"
    assert extract(html, ("main",)).markdown == "Zoom Video Communications\n55 Almaden Blvd\n\na\nb\n"


def test_whitespace_and_invisible_characters_are_normalised() -> None:
    html = "<main><p>  Zoom\u00a0will\u200b not\n\n   use   cafe\u0301 data. </p><p>\t</p></main>"
    assert extract(html, ("main",)).markdown == "Zoom will not use café data.\n"


# Audit 15: only six zero-width characters were dropped; any other invisible one inside a word hid it from the rules.
@pytest.mark.parametrize("hidden", ["\U000e0041", "\u034f", "\ufe0f", "\U000e0100", "\u2062", "\u180e", "\u3164",
                                    "\u200e", "\u202a", "\u2066", "\ufff9", "\U0001d173",
                                    "\u180b", "\u206a", "\u206f"])  # audit16: the rest of Default_Ignorable_Code_Point
def test_an_invisible_character_inside_a_word_hides_no_ai_training_change(hidden: str) -> None:
    """A page that writes 'tr<invisible>ain' shows its reader 'train': the extracted text says 'train' too, so an
    added AI-training clause is read as AI training (it read as a content licence alone, the user never told of
    AI training). Tag characters, variation selectors, invisible operators, fillers, bidi controls and their kind."""
    from guard.terms.analysis import analyse

    def page(added: str) -> str:
        return (f"<main><h1>Terms</h1><p>We keep the service running.</p>{added}"
                "<h2>Other</h2><p>You may stop.</p></main>")

    added = f"<p>We may use your content to tr{hidden}ain m{hidden}achine lea{hidden}rning models.</p>"
    old, new = extract(page(""), ("main",)).markdown, extract(page(added), ("main",)).markdown
    assert "We may use your content to train machine learning models." in new
    (change,) = analyse(old, new)
    assert change.material and "ai-training" in change.topics, change


@pytest.mark.parametrize("written", ["tr\u0430in m\u0430chine le\u0430rning models", "train \u0410\u0406 models"],
                         ids=["Cyrillic a inside words", "AI in Cyrillic letters"])
def test_latin_lookalike_letters_hide_no_ai_training_change(written: str) -> None:
    """audit16: a page that writes 'tr<Cyrillic a>in' shows its reader 'train', and the topic rules read no word, as
    with the invisible characters above (a dev page, Spark's, has 'The <Cyrillic C>ontroller' in it by accident).
    A clause written in Cyrillic keeps its letters."""
    from guard.terms.analysis import analyse

    def page(added: str) -> str:
        return (f"<main><h1>Terms</h1><p>We keep the service running.</p>{added}"
                "<h2>Other</h2><p>You may stop.</p></main>")

    old = extract(page(""), ("main",)).markdown
    new = extract(page(f"<p>We may use your content to {written}.</p>"), ("main",)).markdown
    assert written.translate(str.maketrans("\u0430\u0410\u0406", "aAI")) in new
    (change,) = analyse(old, new)
    assert change.material and "ai-training" in change.topics, change
    russian = "Мы собираем данные и сор"  # Cyrillic words, one ("сор") of look-alike letters only
    assert extract(f"<main><p>{russian}</p></main>", ("main",)).markdown == russian + "\n"


def test_an_accordion_headings_button_is_its_title() -> None:
    """audit16: a section's heading written as an accordion (<h3><button>Title</button></h3>, the WAI-ARIA pattern)
    was dropped with every button, so the section lost its heading (and 'a new section' its name); a button
    elsewhere is still no clause."""
    html = ("<main><h2><button aria-expanded='false'>Artificial intelligence</button></h2>"
            "<p>We may use your content to train models.</p><p><button>Print</button></p></main>")
    markdown = extract(html, ("main",)).markdown
    assert markdown == "## Artificial intelligence\n\nWe may use your content to train models.\n"


@pytest.mark.parametrize("markup", ["<dialog open><p>{clause}</p></dialog>",
                                    "<textarea readonly>End User Licence.\n\n{clause}\n</textarea>"],
                         ids=["open dialog", "read-only text box"])
def test_a_clause_shown_in_an_open_dialog_or_a_text_box_is_read(markup: str) -> None:
    """audit16: dialogs and form fields were dropped whole, though an open <dialog> is drawn in place and an old
    licence page shows its terms in a read-only <textarea>: a clause there never reached the rules. A closed dialog
    still says nothing."""
    clause = "We may use your content to train machine learning models."
    html = f"<main><p>Intro.</p>{markup.format(clause=clause)}<dialog><p>Closed.</p></dialog></main>"
    blocks = extract(html, ("main",)).markdown.strip().split("\n\n")
    assert clause in blocks and "Closed." not in blocks


def test_a_closed_accordion_panel_is_read() -> None:
    """audit16: hidden="until-found" marks an accordion's closed panel (the browser opens it when the reader does,
    or finds a word in it); its clauses were dropped with truly hidden ones."""
    clause = "We may use your content to train machine learning models."
    html = (f"<main><h2><button aria-expanded='false'>Artificial intelligence</button></h2>"
            f"<div hidden='until-found'><p>{clause}</p></div><p hidden>Gone.</p></main>")
    assert extract(html, ("main",)).markdown == f"## Artificial intelligence\n\n{clause}\n"


def test_hidden_and_script_content_is_ignored() -> None:
    html = ("<main><p>Shown</p><p hidden>Hidden</p><div style='display: none'>Gone</div>"
            "<script>var x = 'code';</script><noscript>Enable JS</noscript></main>")
    assert extract(html, ("main",)).markdown == "Shown\n"


def test_a_clause_hidden_from_screen_readers_only_is_read() -> None:
    """audit16: aria-hidden="true" hides an element from assistive technology, not from the eye; the page shows the
    clause, so the watcher reads it (it was dropped: a page could show an AI-training clause that no rule read)."""
    clause = "We may use your content to train machine learning models."
    html = f"<main><p>Shown</p><div aria-hidden='true'><p>{clause}</p></div></main>"
    assert extract(html, ("main",)).markdown == f"Shown\n\n{clause}\n"


def test_paragraph_that_starts_like_markdown_syntax_is_escaped() -> None:
    html = "<main><p>10. DATA USAGE</p><p># not a heading</p></main>"
    assert extract(html, ("main",)).markdown == "\\10. DATA USAGE\n\n\\# not a heading\n"


def test_selectors_that_match_nothing_are_an_error_naming_the_page() -> None:
    with pytest.raises(ExtractError, match="https://example.com/terms.*#terms"):
        extract("<body><p>Text</p></body>", ("#terms",), url="https://example.com/terms")


def test_invalid_css_is_an_error() -> None:
    with pytest.raises(ExtractError, match="not valid CSS"):
        extract("<body><p>Text</p></body>", ("main[",))


@pytest.mark.parametrize("opening, closing", [("<div>", "</div>"), ("<span>", ""), ("<ul><li>", "</li></ul>"),
                                              ("<table><tr><td>", "</td></tr></table>")],
                         ids=["nested blocks", "unclosed inline tags", "nested lists", "nested tables"])
def test_page_nested_deeper_than_python_can_recurse_still_extracts(opening: str, closing: str) -> None:
    """Audit round two: 20,000 nested (or never closed) tags, 160 kB, under the size cap,
    ended in RecursionError and the page was never watched. The text is kept."""
    depth = 20_000
    html = f"<main><p>First clause.</p>{opening * depth}We may record your meetings.{closing * depth}</main>"
    markdown = extract(html, CATALOG_DEFAULT).markdown
    assert "First clause." in markdown and "We may record your meetings." in markdown


def test_tables_nested_in_cells_read_each_row_once() -> None:
    """audit16: each row was read again for every table around it, and each cell held its nested tables' text, so a
    page of 18 tables nested one in each other's cell (600 bytes) took 9 s and gave 2.6 MB of repeated clauses, and
    each more table doubled both (a terms check that never ends). A nested table's rows follow its cell's row, once."""
    depth = 12
    html = ("<main><table>" + "".join(f"<tr><td>Cookie {n}<table>" for n in range(depth))
            + "<tr><td>Innermost</td></tr>" + "</table></td></tr>" * depth + "</table></main>")
    markdown = extract(html, CATALOG_DEFAULT).markdown
    assert markdown.split("\n\n") == [*(f"| Cookie {n} |" for n in range(depth)), "| Innermost |\n"]


@pytest.mark.parametrize("markup", [
    "<table><caption>{clause}</caption><tr><td>_ga</td></tr></table>",
    "<table>{clause}<tr><td>_ga</td></tr></table>",
    "<table><tr><span>{clause}</span><td>_ga</td></tr></table>",
    "<table><tbody><p>{clause}</p><tr><td>_ga</td></tr></tbody></table>",
], ids=["caption", "text in the table", "tag in a row", "paragraph in a tbody"])
def test_a_clause_a_browser_shows_beside_a_tables_rows_is_read(markup: str) -> None:
    """audit16: only cells were read, so text a browser shows beside the rows (a caption, or text and tags outside
    any cell, which browsers draw before the table) was dropped, as was a deep page's text once flattened into one."""
    clause = "We may use your content to train machine learning models."
    markdown = extract(f"<main><p>Intro.</p>{markup.format(clause=clause)}</main>", CATALOG_DEFAULT).markdown
    assert clause in markdown.strip().split("\n\n") and "| _ga |" in markdown


def test_hidden_text_deep_in_a_page_stays_hidden() -> None:
    deep = "<div>" * 300
    html = f"<main>{deep}<p>Shown.</p><p hidden>Hidden.</p><script>var x;</script>{'</div>' * 300}</main>"
    markdown = extract(html, CATALOG_DEFAULT).markdown
    assert "Shown." in markdown and "Hidden." not in markdown and "var x" not in markdown


# Audit round four: the sentinels that mark a range were two private-use characters and a name
# ("\ue000<r0\ue001"); a page holding the same characters in its text took part in the cut.
_FAKE_START, _FAKE_END = "\ue000&lt;r0\ue001", "\ue000&gt;s0\ue001"


def test_a_page_spelling_a_range_sentinel_cannot_hide_a_clause() -> None:
    html = (f"<main><p>Keep one.</p><p>{_FAKE_START}</p><p>We sell your data.</p>"
            "<p id='s'>Ad start</p><p id='e'>Ad end</p><p>Last clause.</p></main>")
    markdown = extract(html, ("main",), (RangeSelector(start_before="#s", end_after="#e"),)).markdown
    assert "We sell your data." in markdown and "Last clause." in markdown and "Ad start" not in markdown


def test_a_page_spelling_a_range_end_cannot_end_the_range_early() -> None:
    html = (f"<body><h2 id='start'>Terms</h2><p>Clause one.</p><p>{_FAKE_END}</p><p>We record your meetings.</p>"
            "<h2 id='end'>Contact</h2></body>")
    markdown = extract(html, (RangeSelector(start_before="#start", end_before="#end"),), mode=SelectMode.ALL).markdown
    assert "Clause one." in markdown and "We record your meetings." in markdown


def test_a_page_full_of_range_sentinels_is_extracted_in_linear_time() -> None:
    """200,000 start sentinels after the removed range (2 MB, under the 5 MB cap) each scanned to
    the end of the text: hours. Now only the app's own sentinels start a match."""
    html = (f"<main><p>First clause.</p><p id='s'>Ad</p><p id='e'>Ad end</p><p>{(_FAKE_START + ' ') * 200_000}</p>"
            "<p>Last clause.</p></main>")
    result = bounded(lambda: extract(html, ("main",), (RangeSelector(start_before="#s", end_after="#e"),)),
                     hang="a page full of range sentinels was scanned once per sentinel")
    assert not isinstance(result, BaseException), result
    assert "First clause." in result.markdown and "Last clause." in result.markdown
