"""Exporting from the consent history: through ui/settings/export_adapter.py, on a worker
thread, with a progress bar. Until guard.export is merged the button says so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.settings.conftest import wait_idle
from tests.ui.settings.world import fill_ledger
from ui.settings import export_adapter

available = export_adapter.export_available()


@pytest.mark.skipif(available, reason="guard.export is part of this build")
def test_export_button_says_export_is_not_available(open_window, services, monkeypatch, qtbot):
    fill_ledger(services.ledger(), services.catalog, None, 10)
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append("asked") or ("", ""))
    window = open_window(tab="history")
    panel = window.history.export
    with qtbot.waitSignal(panel.finished) as signal:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["Export is not available in this build."]
    assert panel.status.text() == "Export is not available in this build."
    assert window.history.message.text() == "Export is not available in this build."
    assert asked == []  # no file is asked for
    assert panel.export_button.toolTip() == "Export is not available in this build."


@pytest.mark.skipif(not available, reason="guard.export is not part of this build yet")
@pytest.mark.parametrize("fmt", [f.id for f in export_adapter.FORMATS])
def test_export_writes_the_chosen_format_for_the_selected_provider(open_window, services, tmp_path, fmt, qtbot):
    records = fill_ledger(services.ledger(), services.catalog, services.terms, 300)
    window = open_window(tab="history")
    history = window.history
    history.provider.setCurrentIndex(history.provider.findData("zoom"))
    suffix = next(f.suffix for f in export_adapter.FORMATS if f.id == fmt)
    dest = tmp_path / f"export{suffix}"
    with qtbot.waitSignal(history.export.finished, timeout=60_000) as signal:
        history.export.export_to(dest, fmt)
        assert history.export.progress.isVisible()
    wait_idle(qtbot, window)
    expected = sum(1 for r in records if r.provider_id == "zoom")
    assert signal.args[0].startswith(f"Exported {expected} records to ")
    assert dest.exists() and dest.stat().st_size > 0
    assert not history.export.progress.isVisible()
