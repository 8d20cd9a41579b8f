"""How the shell drives the settings window: issue 9's methods when the window has them,
the minimal window otherwise, and requests made before the app's data is loaded."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from guard.services import Services
from ui.settings_host import SETTINGS_TITLE, SettingsHost, minimal_settings_window


class FullWindow(QWidget):
    """Has the methods issue 9's SettingsWindow offers; records how it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []

    def show_tab(self, name: str) -> None:
        self.calls.append(("show_tab", name))

    def show_terms_change(self, provider_id: str, document_id: str) -> None:
        self.calls.append(("show_terms_change", provider_id, document_id))

    def set_snapshot(self, snapshot) -> None:
        self.calls.append(("set_snapshot", snapshot))


def test_requests_before_the_data_is_loaded_are_carried_out_when_it_is(qtbot, world):
    host = SettingsHost(lambda services: FullWindow())
    host.show_terms_change("zoom", "terms")
    assert host.window is None
    host.set_services(Services(world.paths))
    qtbot.addWidget(host.window)
    assert host.window.calls == [("show_terms_change", "zoom", "terms")]
    assert host.window.isVisible()
    host.show("history")
    host.set_snapshot("snap")
    assert host.window.calls[1:] == [("show_tab", "history"), ("set_snapshot", "snap")]


def test_the_minimal_window_stands_in_until_the_full_one_exists(qtbot, world):
    host = SettingsHost(minimal_settings_window)
    host.set_services(Services(world.paths))
    host.show_terms_change("zoom", "terms")  # no such method: the window is just shown
    qtbot.addWidget(host.window)
    assert host.window.windowTitle() == SETTINGS_TITLE and host.window.isVisible()
