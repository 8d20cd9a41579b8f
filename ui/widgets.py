"""Small widgets for text that comes from outside (titles, page texts, record values): always
plain text, never rich text, and never wider than the window wants.

A title can be chosen by anyone who hosts a meeting or writes a web page. Qt guesses rich text
from a label's content (``Qt.AutoText``), so a title with markup could rewrite the sentence
around it or load images; and one long word makes a label, and its window, as wide as the word.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtGui import Qt as QtGuiNamespace  # mightBeRichText and convertFromPlainText live in QtGui's Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QTextEdit, QWidget

from guard.presentation.wording import one_line


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """A label that shows ``text`` literally and wraps (or is cut) instead of growing sideways."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored if wrap else QSizePolicy.Policy.Preferred)
    label.setSizePolicy(policy)
    label.setMinimumWidth(1)
    label.setText(text)
    return label


def show_hint(view: QTextEdit, text: str) -> None:
    """``text`` in an empty ``view`` as a paragraph in the placeholder colour. Qt draws a text
    view's placeholder on one line, so in a narrow pane or a longer language it was cut off
    ("Wählen Sie einen Datensatz, um ihn vollständig zu")."""
    from html import escape

    colour = view.palette().color(QPalette.ColorRole.PlaceholderText).name()
    view.setHtml(f'<p style="color: {colour}">{escape(text)}</p>')


def fit_wrapped_text(window: QWidget) -> None:
    """Keep ``window`` at least as tall as its layout needs at its present width. Qt sizes a window
    from its layout's minimum, which counts a wrapped label as one line: a long notice in German
    then pushed the widgets below it on top of each other (a letter's text under its form fields).
    Call it when the window is shown and resized."""
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    needed = layout.totalMinimumHeightForWidth(window.width())
    if needed != window.minimumHeight():
        window.setMinimumHeight(needed)
    if window.height() < needed:
        window.resize(window.width(), needed)


def elided(text: str, widget: QWidget, width: int, mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> str:
    """``text`` on one line, shortened with "…" to fit ``width`` pixels in ``widget``'s font."""
    return QFontMetrics(widget.font()).elidedText(one_line(text, 4 * max(width, 1)), mode, width)


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows it literally. A tooltip has no text format of its own: Qt
    renders it as rich text when it looks like markup (any ``<...>`` before the first line break),
    so such a text is handed over as the rich text that spells it out."""
    return QtGuiNamespace.convertFromPlainText(text) if QtGuiNamespace.mightBeRichText(text) else text
