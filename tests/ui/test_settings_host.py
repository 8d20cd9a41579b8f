"""How the shell drives the real settings window: requests made before the app's data is
loaded are carried out when it is, and the window's own requests come back to the shell."""

from __future__ import annotations

from guard.services import Services
from ui.jobs import JobRunner
from ui.settings_host import SETTINGS_TITLE, SettingsHost


def test_requests_before_the_data_is_loaded_are_carried_out_when_it_is(qtbot, world):
    host = SettingsHost(JobRunner())
    host.show_terms_change("zoom", "terms")
    assert host.window is None
    host.set_services(Services(world.paths))
    qtbot.addWidget(host.window)
    assert host.window.windowTitle() == SETTINGS_TITLE
    assert host.window.isVisible() and host.window.current_tab() == "terms"
    host.show("history")
    assert host.window.current_tab() == "history"


def test_the_windows_requests_reach_the_shell(qtbot, world):
    host = SettingsHost(JobRunner())
    host.set_services(Services(world.paths))
    host.show("preferences")
    qtbot.addWidget(host.window)
    with qtbot.waitSignal(host.check_terms_requested) as asked:
        host.window.check_terms_requested.emit("zoom")
    assert asked.args == ["zoom"]
    settings = host.services.settings
    with qtbot.waitSignal(host.settings_saved) as saved:
        host.window.settings_changed.emit(settings)
    assert saved.args == [settings]
