"""Turn menu entries (ui.tray.menu_model) into a QMenu whose items report their typed actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QMenu

from guard.presentation.actions import Action
from ui.tray.menu_model import MenuEntry


def readable_info(menu: QMenu) -> None:
    """Information lines are disabled items; draw them in a readable grey, not the faint default."""
    palette = menu.palette()
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    info = QColor(*(round(t * 0.75 + b * 0.25) for t, b in ((text.red(), base.red()), (text.green(), base.green()),
                                                           (text.blue(), base.blue()))))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, info)
    menu.setPalette(palette)


MAX_ITEM_PX = 520  # a menu line; wider text (a title of wide letters) is cut with "…"


def fitted(text: str, metrics: QFontMetrics) -> str:
    """``text`` (``&&`` for a literal ``&``) cut to :data:`MAX_ITEM_PX` pixels in the menu's font."""
    if metrics.horizontalAdvance(text.replace("&&", "&")) <= MAX_ITEM_PX:
        return text
    literal = text.replace("&&", "&")
    return metrics.elidedText(literal, Qt.TextElideMode.ElideRight, MAX_ITEM_PX).replace("&", "&&")


def plain(text: str, limit: int = 2000) -> str:
    """A menu text (``&&`` for ``&``, ``&x`` a mnemonic) as a tooltip shows it, capped for hostile titles."""
    literal = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return literal if len(literal) <= limit else literal[: limit - 1] + "…"


def fill_menu(menu: QMenu, entries: Sequence[MenuEntry], on_action: Callable[[Action, bool], None]) -> None:
    """Replace ``menu``'s contents with ``entries``; triggering one calls ``on_action(action, checked)``.
    Every line is cut to a sane width, whatever the text (titles come from meeting hosts)."""
    menu.clear()
    menu.setToolTipsVisible(True)
    readable_info(menu)
    metrics = QFontMetrics(menu.font())
    for entry in entries:
        if entry.separator:
            menu.addSeparator()
        elif entry.is_submenu:
            shown = fitted(entry.text, metrics)
            submenu = menu.addMenu(shown)
            submenu.setEnabled(entry.enabled)
            submenu.setToolTipsVisible(True)
            if shown != entry.text:  # cut with "…": the whole text is in the tooltip
                submenu.menuAction().setToolTip(plain(entry.text))
            fill_menu(submenu, entry.children, on_action)
        else:
            shown = fitted(entry.text, metrics)
            action = QAction(shown, menu)
            action.setEnabled(entry.enabled)
            if shown != entry.text:
                action.setToolTip(plain(entry.text))
            if entry.heading:
                font = action.font()
                font.setBold(True)
                action.setFont(font)
            if entry.checkable:
                action.setCheckable(True)
                action.setChecked(entry.checked)
            if entry.action is not None:
                wanted = entry.action
                action.triggered.connect(lambda checked=False, wanted=wanted: on_action(wanted, checked))
            menu.addAction(action)


def menu_texts(menu: QMenu, depth: int = 0) -> list[str]:
    """Every line of ``menu`` as shown (submenus indented), for tests and the no-tray window."""
    lines: list[str] = []
    for action in menu.actions():
        if action.isSeparator():
            lines.append("  " * depth + "---")
            continue
        lines.append("  " * depth + action.text().replace("&&", "\0").replace("&", "").replace("\0", "&"))
        if action.menu() is not None:
            lines += menu_texts(action.menu(), depth + 1)
    return lines
