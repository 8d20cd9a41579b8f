"""Turn menu entries (ui.tray.menu_model) into a QMenu whose items report their typed actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QMenu

from guard.presentation.actions import Action
from ui.tray.menu_model import MenuEntry
from ui.widgets import plain_tooltip


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


def fitted(text: str, metrics: QFontMetrics, tail: str = "") -> str:
    """``text`` (``&&`` for a literal ``&``) cut to :data:`MAX_ITEM_PX` pixels in the menu's font;
    ``tail`` (plain text) follows it whole, so a cut name still says "(unverified)"."""
    if metrics.horizontalAdvance(text.replace("&&", "&") + tail) <= MAX_ITEM_PX:
        return text + tail.replace("&", "&&")
    literal = text.replace("&&", "&")
    room = max(MAX_ITEM_PX - metrics.horizontalAdvance(tail), MAX_ITEM_PX // 2)
    return (metrics.elidedText(literal, Qt.TextElideMode.ElideRight, room) + tail).replace("&", "&&")


def plain(text: str, limit: int = 2000) -> str:
    """A menu text (``&&`` for ``&``, ``&x`` a mnemonic) as a tooltip shows it, capped for hostile titles."""
    literal = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return literal if len(literal) <= limit else literal[: limit - 1] + "…"


def fill_menu(menu: QMenu, entries: Sequence[MenuEntry], on_action: Callable[[Action, bool], None]) -> None:
    """Make ``menu`` show ``entries``; triggering one calls ``on_action(action, checked)``.
    Every line is cut to a sane width, whatever the text (titles come from meeting hosts).

    When only texts and states changed (the same items, each for the same action), the items are
    updated in place: a tray host that shows the menu itself (a StatusNotifierItem's dbusmenu:
    waybar, KDE, GNOME's AppIndicator) names items by ids Qt gives each QAction, so a menu rebuilt
    under it would drop the click the user made on the menu as it was shown a moment before."""
    if _same_items(menu, entries):
        _update(menu, entries)
        return
    menu.clear()
    menu.setToolTipsVisible(True)
    readable_info(menu)
    metrics = QFontMetrics(menu.font())
    for entry in entries:
        if entry.separator:
            menu.addSeparator().setData(_shape(entry))
        elif entry.is_submenu:
            submenu = menu.addMenu("")
            submenu.setToolTipsVisible(True)
            submenu.menuAction().setData(_shape(entry))
            _set_text(submenu.menuAction(), entry, metrics)
            submenu.setEnabled(entry.enabled)
            fill_menu(submenu, entry.children, on_action)
        else:
            action = QAction(menu)
            action.setData(_shape(entry))
            _set_text(action, entry, metrics)
            _set_state(action, entry)
            if entry.heading:
                font = action.font()
                font.setBold(True)
                action.setFont(font)
            if entry.checkable:
                action.setCheckable(True)
            if entry.action is not None:
                wanted = entry.action
                action.triggered.connect(lambda checked=False, wanted=wanted: on_action(wanted, checked))
            menu.addAction(action)


def refresh_shown(menu: QMenu, entries: Sequence[MenuEntry], on_action: Callable[[Action, bool], None]) -> bool:
    """Bring a menu on screen up to date without taking it from under the user: when its own items are the same
    (each for the same action), their texts and states change in place, and a submenu whose items changed is
    filled again (it stays open: a meeting's submenu shows the restarted meeting's process, not the old pid). False,
    nothing changed, when the menu's own items differ: it is rebuilt once it closes."""
    actions = menu.actions()
    if len(actions) != len(entries) or any(action.data() != _shape(entry)
                                           for action, entry in zip(actions, entries, strict=True)):
        return False
    metrics = QFontMetrics(menu.font())
    for action, entry in zip(actions, entries, strict=True):
        if entry.separator:
            continue
        _set_text(action, entry, metrics)
        submenu = action.menu()
        if entry.is_submenu and isinstance(submenu, QMenu):
            submenu.setEnabled(entry.enabled)
            if not refresh_shown(submenu, entry.children, on_action):
                fill_menu(submenu, entry.children, on_action)
        else:
            _set_state(action, entry)
    return True


def _shape(entry: MenuEntry) -> tuple[object, ...]:
    """What an item is apart from its text and state: a click on it must mean the same after an update."""
    kind = "separator" if entry.separator else "submenu" if entry.is_submenu else "item"
    return (kind, entry.action, entry.checkable, entry.heading)


def _same_items(menu: QMenu, entries: Sequence[MenuEntry]) -> bool:
    actions = menu.actions()
    if len(actions) != len(entries):
        return False
    for action, entry in zip(actions, entries, strict=True):
        if action.data() != _shape(entry):
            return False
        submenu = action.menu()
        if entry.is_submenu and (not isinstance(submenu, QMenu) or not _same_items(submenu, entry.children)):
            return False
    return bool(actions)


def _update(menu: QMenu, entries: Sequence[MenuEntry]) -> None:
    metrics = QFontMetrics(menu.font())
    for action, entry in zip(menu.actions(), entries, strict=True):
        if entry.separator:
            continue
        _set_text(action, entry, metrics)
        submenu = action.menu()
        if entry.is_submenu and isinstance(submenu, QMenu):
            submenu.setEnabled(entry.enabled)
            _update(submenu, entry.children)
        else:
            _set_state(action, entry)


def _set_text(action: QAction, entry: MenuEntry, metrics: QFontMetrics) -> None:
    """Qt leaves an unchanged value alone (no update goes out to the tray host)."""
    whole = entry.text + entry.tail.replace("&", "&&")
    shown = fitted(entry.text, metrics, entry.tail)
    action.setText(shown)
    # Cut with "…": the whole text in the tooltip, shown as text (a title may look like markup).
    action.setToolTip(plain_tooltip(plain(whole)) if shown != whole else "")


def _set_state(action: QAction, entry: MenuEntry) -> None:
    action.setEnabled(entry.enabled)
    if entry.checkable:
        action.setChecked(entry.checked)  # toggled, never triggered: no action runs


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
