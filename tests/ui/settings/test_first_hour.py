"""Issue 19's settings-window problems, each as a new user met it: the key status after the first
record, the history's "Status now", a one-month chart, and boxes whose text was cut. Real window
over a real ledger, keyring and terms store under Xvfb."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QComboBox

from guard.ledger import Decision, RecordDraft
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import wait_idle
from ui.settings.history_model import DECISION, STATUS
from ui.settings.timeline_widget import MAX_SLOT


def shows_whole(combo: QComboBox) -> bool:
    """The current item's text fits the box (the frame and the arrow take about 30 px)."""
    return combo.fontMetrics().horizontalAdvance(combo.currentText()) + 24 <= combo.width()


def test_preferences_key_status_follows_the_first_record(open_window, services, desktop, qtbot):
    """It said "no key yet" after the first record was saved."""
    window = open_window(tab="preferences")
    wait_idle(qtbot, window)
    assert "does not exist yet" in window.preferences.key_status.text()
    with blocking_ok():
        services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
    window.ledger_updated()  # what the app calls after the consent dialog saved a record
    qtbot.waitUntil(lambda: "is kept in your system keyring" in window.preferences.key_status.text(), timeout=10000)


def test_status_now_is_filled_for_changed_and_unchanged_records(open_window, services, desktop, qtbot):
    """The column was empty while the details said "given (unchanged)"."""
    with blocking_ok():
        services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
        withdrawn = services.record_decision(RecordDraft(provider_id="teams", decision=Decision.GIVEN))
        services.withdraw(withdrawn.id, letter=False)
    window = open_window(tab="history")
    wait_idle(qtbot, window)
    model = window.history.model
    rows = range(model.rowCount())
    statuses = [model.data(model.index(row, STATUS)) for row in rows]
    decisions = [model.data(model.index(row, DECISION)) for row in rows]
    assert len(statuses) == 3 and all(statuses), statuses
    assert decisions == ["Withdrawn", "Consent given", "Consent given"]
    assert statuses == ["withdrawn (unchanged)", "given, then withdrawn (latest change: record 3)", "given (unchanged)"]


def test_one_month_of_records_is_drawn_as_a_bar_not_the_whole_width(open_window, services, desktop, qtbot):
    """A one-month chart was one full-width bar."""
    now = datetime.now(UTC)
    with blocking_ok():
        for hours in (1, 2, 3):
            services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN,
                                                 occurred_at=now - timedelta(hours=hours)))
    window = open_window(tab="history")
    wait_idle(qtbot, window)
    chart = window.history.chart
    qtbot.waitUntil(lambda: len(chart.timeline.bars) == 1, timeout=10000)
    plot = chart._plot()
    bar = chart._bar_rect(plot, 0, chart.timeline.bars[0])
    assert plot.width() > 4 * MAX_SLOT, "the chart is wide enough for the test to mean something"
    # a bar is at most MAX_SLOT wide, or as wide as its caption ("Sept. 2026") where the plot has room
    assert 0 < bar.width() <= max(MAX_SLOT, chart._widest_caption() + 8) < plot.width() / 4
    assert bar.height() > plot.height() * 0.9
    assert "3 decisions from" in chart.describe()


@pytest.mark.parametrize("tab", ["history", "terms"])
def test_boxes_show_their_whole_text(open_window, services, qtbot, tab):
    """The export Format box was cut to "JSON (consent records, ISO/"; the terms tab's document
    names and From/To boxes were cut."""
    window = open_window(tab=tab)
    window.resize(1100, 760)
    wait_idle(qtbot, window)
    if tab == "history":
        box = window.history.export.format
        for index in range(box.count()):
            box.setCurrentIndex(index)
            assert shows_whole(box), box.currentText()
        return
    terms = window.terms
    tree = terms.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0, timeout=10000)
    zoom = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == "Zoom")
    zoom.setExpanded(True)
    tree.setCurrentItem(zoom.child(0))
    wait_idle(qtbot, window)
    metrics = tree.fontMetrics()
    for index in range(zoom.childCount()):
        child = zoom.child(index)
        rect = tree.visualItemRect(child)
        assert rect.left() + metrics.horizontalAdvance(child.text(0)) <= tree.columnWidth(0) + 4, child.text(0)
    for box in (terms.old, terms.new):
        if box.count():
            assert shows_whole(box), box.currentText()


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it", "nl"])
def test_preferences_fit_a_1100_px_window_in_every_language(open_window, services, qtbot, language):
    """Nothing in Preferences is wider than the window: no sideways scrolling, no cut buttons."""
    from PySide6.QtWidgets import QScrollArea

    from ui.language import apply_language

    apply_language(language)
    try:
        window = open_window(tab="preferences")
        window.resize(1100, 760)
        wait_idle(qtbot, window)
        qtbot.wait(50)
        for area in window.preferences.findChildren(QScrollArea):
            assert not area.horizontalScrollBar().isVisible(), "Preferences scroll sideways"
        right = window.preferences.mapTo(window, window.preferences.rect().topRight()).x()
        for button in (window.preferences.choose_dir, window.preferences.default_dir, window.preferences.save_button):
            edge = button.mapTo(window, button.rect().topRight()).x()
            assert button.isVisible() and edge <= right, button.text()
    finally:
        apply_language("")
