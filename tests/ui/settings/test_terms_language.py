"""The Terms tab says a change in the app's language: the table's "In plain words" column and the
side-by-side view show the German summary, with Zoom's own sentence quoted in English (real
Zoom texts of March and 7 August 2023, see tests/terms/fixtures/README.md)."""

from __future__ import annotations

import pytest

from tests.ui.settings.conftest import wait_idle
from tests.ui.settings.world import store_zoom_versions
from ui.language import apply_language

ZOOM_SENTENCE = ("Notwithstanding the above, Zoom will not use audio, video or chat Customer Content to train our "
                 "artificial intelligence models without your consent.")


@pytest.fixture
def german():  # type: ignore[no-untyped-def]
    apply_language("de")
    yield
    apply_language("")  # the tests' desktop is C.UTF-8: English


def test_in_german_the_terms_tab_says_the_change_in_german_with_zooms_english_words(german, open_window, services,  # type: ignore[no-untyped-def]
                                                                                   qtbot):
    store_zoom_versions(services.terms_store)
    window = open_window()
    window.show_terms_change("zoom", "terms")
    wait_idle(qtbot, window)
    model = window.terms.model
    assert model.total == 1
    summary = model.data(model.index(0, 3))
    assert summary.startswith("KI-Training, Opt-out und Einwilligung: Ein neuer Absatz in Abschnitt 10.4 "
                              "schließt jetzt das Training von KI mit Audio, Video und Chat und Ihren Inhalten aus")
    assert summary.endswith(f"Wortlaut: „{ZOOM_SENTENCE}“")
    for side in (window.terms.old_text, window.terms.new_text):  # side by side, the summary above both
        shown = " ".join(side.toPlainText().split())
        assert "In einfachen Worten: KI-Training" in shown and "sagt jetzt „without your consent“" in shown
        assert "now rules out" not in shown and "It says" not in shown
    assert ZOOM_SENTENCE in " ".join(window.terms.new_text.toPlainText().split())  # the wording itself, as written


@pytest.mark.parametrize("language", ["fr", "de", "es", "it", "nl"])
def test_the_terms_tabs_column_headers_are_not_cut_off_in_any_language(language, open_window, qtbot):  # type: ignore[no-untyped-def]
    """In French the change table's header read "Modificatior" (80 px for "Modification")."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle

    apply_language(language)
    try:
        window = open_window(tab="terms")
        for table in (window.terms.changes, window.terms.log):
            header = table.horizontalHeader()
            font = header.font()
            font.setBold(True)  # the header draws the current column's title in bold
            margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
            model = table.model()
            for column in range(model.columnCount() - 1):  # the last column stretches
                title = model.headerData(column, header.orientation())
                assert QFontMetrics(font).horizontalAdvance(title) + margin <= header.sectionSize(column), (
                    language, title, header.sectionSize(column))
    finally:
        apply_language("")
