"""The window as a whole: the tray's API, remembered state, keyboard access, accessible names,
and the system's light or dark palette."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from guard.paths import app_paths
from tests.ui.settings.conftest import wait_idle
from tests.ui.settings.world import fill_ledger, store_zoom_versions
from ui.settings import TABS
from ui.settings.common import highlight_tint
from ui.settings.record_dialog import RecordDialog
from ui.settings.withdraw_dialog import LetterDialog, WithdrawDialog

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit, QTabBar)
INTERNAL_PARENTS = (QAbstractSpinBox, QComboBox, QTabBar, QLineEdit, QAbstractItemView)


def test_show_tab_switches_tabs_and_refuses_unknown_names(open_window, qtbot):
    window = open_window()
    for name in TABS:
        window.show_tab(name)
        assert window.current_tab() == name
    with pytest.raises(ValueError, match="unknown settings tab 'nope'"):
        window.show_tab("nope")


def test_ctrl_number_switches_tabs(open_window, qtbot):
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab() == "history"
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab() == "preferences"


def test_geometry_tab_and_splitters_are_remembered(open_window, qtbot):
    window = open_window(tab="terms")
    window.resize(940, 610)
    window.history.lower.setSizes([500, 300])
    qtbot.waitUntil(lambda: window.size().width() == 940)
    window.close()
    wait_idle(qtbot, window)  # the state file is written on the job runner
    state = json.loads((app_paths().config_dir / "ui-state.json").read_text())
    assert state["tab"] == "terms" and "geometry" in state
    again = open_window()
    assert again.current_tab() == "terms"
    assert (again.width(), again.height()) == (940, 610)
    sizes = again.history.lower.sizes()
    assert abs(sizes[0] / sum(sizes) - 500 / 800) < 0.05


def test_the_export_format_chosen_is_the_one_offered_next_time(open_window, qtbot):
    """The format went back to JSON each time the window opened: a user who exports to PDF, and
    presses Export without looking, got a JSON file."""
    window = open_window(tab="history")
    box = window.history.export.format
    box.setCurrentIndex(box.findData("pdf"))
    window.close()
    wait_idle(qtbot, window)  # the state file is written on the job runner
    again = open_window(tab="history")
    assert again.history.export.format.currentData() == "pdf"


def test_a_damaged_state_file_is_ignored(open_window, qtbot):
    folder = app_paths().ensure().config_dir
    (folder / "ui-state.json").write_text("{not json", encoding="utf-8")
    window = open_window()
    assert window.current_tab() == "overview" and window.width() == 1100


def walk(root: QWidget) -> list[QWidget]:
    """The interactive controls under ``root`` (not the inner parts of composite widgets)."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QScrollBar):
            continue
        interactive = isinstance(widget, INTERACTIVE) or bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if not interactive or isinstance(widget, QLabel) or isinstance(widget, QAbstractScrollArea) and not \
                isinstance(widget, (QAbstractItemView, QTextEdit)):
            continue
        parent = widget.parentWidget()
        inner = False
        while parent is not None and parent is not root:
            if isinstance(parent, INTERNAL_PARENTS):
                inner = True
            parent = parent.parentWidget()
        if not inner:
            found.append(widget)
    return found


def test_every_interactive_control_has_an_accessible_name(open_window, services, qtbot):
    records = fill_ledger(services.ledger(), services.catalog, services.terms_store, 20)
    window = open_window()
    wait_idle(qtbot, window)
    roots = [window, RecordDialog(services, window.tasks, window), WithdrawDialog(records[0], "Zoom", window),
             LetterDialog("Letter", "Dear Zoom,", "letter.txt", window, "mailto:privacy@zoom.us")]
    controls = [w for root in roots for w in walk(root)]
    assert len(controls) > 60
    unnamed = [f"{type(w).__name__} {w.objectName()!r} text={getattr(w, 'text', lambda: '')()!r}"
               for w in controls if not w.accessibleName().strip()]
    assert unnamed == []


def mnemonic(text: str) -> str | None:
    index = text.replace("&&", "").find("&")
    return text.replace("&&", "")[index + 1].lower() if index >= 0 else None


def test_mnemonics_have_buddies_and_do_not_clash_within_a_tab(open_window, services, qtbot):
    window = open_window()
    roots = [*(window.tab_widget.widget(i) for i in range(window.tab_widget.count())),
             RecordDialog(services, window.tasks, window)]
    checked = 0
    for root in roots:
        letters: list[str] = []
        texts: list[str] = []
        for label in root.findChildren(QLabel):
            if (letter := mnemonic(label.text())) and "<" not in label.text():
                assert label.buddy() is not None, f"label {label.text()!r} has a mnemonic but no buddy"
                letters.append(letter)
                texts.append(label.text())
        for button in root.findChildren(QAbstractButton):
            if (letter := mnemonic(button.text())):
                letters.append(letter)
                texts.append(button.text())
        clashing = sorted(text for letter, text in zip(letters, texts, strict=True) if letters.count(letter) > 1)
        assert not clashing, f"{type(root).__name__}: clashing mnemonics {clashing}"
        checked += len(letters)
    assert checked > 30


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
               QPalette.ColorRole.Base: "#171717", QPalette.ColorRole.AlternateBase: "#26272a",
               QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#303134",
               QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#8ab4f8",
               QPalette.ColorRole.HighlightedText: "#202124", QPalette.ColorRole.Link: "#8ab4f8",
               QPalette.ColorRole.ToolTipBase: "#303134", QPalette.ColorRole.ToolTipText: "#e8eaed",
               QPalette.ColorRole.PlaceholderText: "#9aa0a6", QPalette.ColorRole.Mid: "#5f6368",
               QPalette.ColorRole.Light: "#3c4043", QPalette.ColorRole.Dark: "#101010"}
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b6f75"))
    return palette


def mean_lightness(image: QImage) -> float:
    step = 7
    values = [QColor(image.pixel(x, y)).lightnessF() for x in range(0, image.width(), step)
              for y in range(0, image.height(), step)]
    return sum(values) / len(values)


@pytest.fixture
def dark():
    app = QApplication.instance()
    previous = app.palette()
    app.setPalette(dark_palette())
    yield app.palette()
    app.setPalette(previous)


def test_every_tab_follows_a_dark_palette(open_window, services, dark, qtbot):
    fill_ledger(services.ledger(), services.catalog, services.terms_store, 200)
    store_zoom_versions(services.terms_store)
    window = open_window()
    window.show_terms_change("zoom", "terms")
    wait_idle(qtbot, window)
    for name in TABS:
        window.show_tab(name)
        qtbot.wait(20)
        assert mean_lightness(window.grab().toImage()) < 0.3, name
    tint = highlight_tint(dark)
    assert tint.lightnessF() < 0.4
    brush = window.terms.model.data(window.terms.model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == tint


def test_switching_to_dark_while_open_redraws_the_tints(open_window, services, qtbot):
    store_zoom_versions(services.terms_store)
    window = open_window()
    wait_idle(qtbot, window)
    app = QApplication.instance()
    light_tint = highlight_tint(window.palette()).name()
    assert light_tint in window.overview.browser.toHtml()
    previous = app.palette()
    try:
        app.setPalette(dark_palette())
        qtbot.wait(50)
        dark_tint = highlight_tint(window.palette()).name()
        assert dark_tint != light_tint
        assert dark_tint in window.overview.browser.toHtml()
        assert mean_lightness(window.grab().toImage()) < 0.3
    finally:
        app.setPalette(previous)
    qtbot.wait(20)
    assert mean_lightness(window.grab().toImage()) > 0.6


@pytest.mark.parametrize("language", ["de", "fr", "es", "it", "nl"])
def test_mnemonics_do_not_clash_in_any_translation(open_window, services, qtbot, language):
    from ui.language import apply_language

    apply_language(language)
    try:
        test_mnemonics_have_buddies_and_do_not_clash_within_a_tab(open_window, services, qtbot)
    finally:
        apply_language("")
