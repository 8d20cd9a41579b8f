"""German, French, Spanish, Italian and Dutch words are longer than English ones: at the size the
settings window opens at (and the UI tests use), every label, button, check box and box of every tab
shows its whole text, and the consent dialog's labels and buttons too. Real window over a real
ledger under Xvfb."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget

from guard.services import Services
from tests.ui.settings.conftest import wait_idle
from ui.language import apply_language

TABS = ["overview", "providers", "history", "terms", "preferences"]
SIZE = (1100, 760)


def cut_texts(root: QWidget) -> list[str]:
    """The visible widgets under ``root`` narrower than their own text needs."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QComboBox) and widget.currentText():
            # the frame and the arrow take about 24 px
            if widget.fontMetrics().horizontalAdvance(widget.currentText()) + 24 > widget.width():
                found.append(f"box {widget.currentText()!r}: {widget.width()} px")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.width() < widget.sizeHint().width():
                found.append(f"button {widget.text()!r}: {widget.width()} of {widget.sizeHint().width()} px")
        elif isinstance(widget, QLabel) and widget.text() and not widget.wordWrap() and widget.pixmap().isNull():
            if widget.width() < widget.sizeHint().width():
                found.append(f"label {widget.text()[:80]!r}: {widget.width()} of {widget.sizeHint().width()} px")
    return found


@pytest.fixture
def language_applied(request):
    apply_language(request.param)
    yield request.param
    apply_language("")


@pytest.mark.parametrize("language_applied", ["de", "fr", "es", "it", "nl"], indirect=True)
@pytest.mark.parametrize("tab", TABS)
def test_every_tab_shows_its_whole_text(open_window, services, qtbot, language_applied, tab):
    window = open_window(tab=tab)
    window.resize(*SIZE)
    wait_idle(qtbot, window)
    qtbot.wait(50)  # the layout follows on the next turn of the event loop
    assert window.width() <= SIZE[0], f"{language_applied}: the {tab} tab needs a wider window ({window.width()} px)"
    found = cut_texts(window)
    assert not found, f"{language_applied}, {tab}: text cut:\n" + "\n".join(found)


@pytest.mark.parametrize("language_applied", ["de", "fr", "es", "it", "nl"], indirect=True)
def test_the_consent_dialog_shows_its_whole_text(qtbot, world, language_applied):
    from tests.ui.test_consent_dialog import dialog_for

    dialog = dialog_for(qtbot, Services(world.paths), provider_id="zoom")
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    found = cut_texts(dialog)
    assert not found, f"{language_applied}, consent dialog: text cut:\n" + "\n".join(found)


def test_the_check_finds_a_cut_button(qtbot):
    """The check itself: a button squeezed below its text's width is named."""
    from PySide6.QtWidgets import QHBoxLayout, QPushButton

    host = QWidget()
    qtbot.addWidget(host)
    layout = QHBoxLayout(host)
    button = QPushButton("Bedingungen jetzt prüfen")
    button.setMaximumWidth(40)
    layout.addWidget(button)
    host.show()
    qtbot.waitExposed(host)
    assert any("Bedingungen jetzt prüfen" in line for line in cut_texts(host))
