"""Exporting from the consent history: through the door (Services.export) on the job runner,
with a progress bar and a Cancel button."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from guard.services import ExportFormat
from tests.ui.settings.conftest import wait_idle
from tests.ui.settings.world import fill_ledger


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_writes_the_chosen_format_for_the_selected_provider(open_window, services, tmp_path, fmt, qtbot,
                                                                  monkeypatch):
    # Receipts name the law that applies, from the settings or the locale's region; a C locale has none.
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    records = fill_ledger(services.ledger(), services.catalog, services.terms_store, 300)
    window = open_window(tab="history")
    history = window.history
    history.provider.setCurrentIndex(history.provider.findData("zoom"))
    dest = tmp_path / f"export{fmt.suffix}"
    with qtbot.waitSignal(history.export.finished, timeout=60_000) as signal:
        history.export.export_to(dest, fmt)
        assert history.export.progress.isVisible()
    wait_idle(qtbot, window)
    expected = sum(1 for r in records if r.provider_id == "zoom")
    assert signal.args[0].startswith(f"Exported {expected} records to ")
    assert dest.exists() and dest.stat().st_size > 0
    assert not history.export.progress.isVisible()
    said = [label for label in window.findChildren(QLabel) if label.isVisible() and signal.args[0] in label.text()]
    assert len(said) == 1, "the outcome is said once, on the tab's status line"


def test_cancel_stops_the_export_in_its_helper_process_and_leaves_nothing(open_window, services, tmp_path, qtbot):
    fill_ledger(services.ledger(), services.catalog, None, 5000, seed=5)
    window = open_window(tab="history")
    panel = window.history.export
    dest = tmp_path / "export.pdf"
    panel.progressed.connect(lambda done, total: panel.cancel())
    with qtbot.waitSignal(panel.finished, timeout=120_000) as signal:
        panel.export_to(dest, "pdf")
    assert signal.args[0].startswith("Export cancelled; nothing was written.")
    assert not dest.exists() and not any(tmp_path.glob(".export.pdf.*"))


def test_the_save_box_proposes_a_file_name_in_the_apps_language(open_window, qtbot):
    """A German user exporting a German PDF was offered "consent-history.pdf"."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    from tests.ui.settings.test_history import drive_dialog
    from ui.language import apply_language

    apply_language("de")
    try:
        window = open_window(tab="history")
        panel = window.history.export
        panel.format.setCurrentIndex(next(i for i in range(panel.format.count()) if panel.format.itemData(i) == "pdf"))
        proposed: list[str] = []

        def answer(dialog: QFileDialog) -> None:
            proposed.extend(dialog.selectedFiles())
            dialog.reject()

        drive_dialog(qtbot, QFileDialog, answer)
        panel.start()
        assert [Path(name).name for name in proposed] == ["einwilligungsverlauf.pdf"]
    finally:
        apply_language("")


def test_a_table_narrowed_by_search_and_decision_exports_what_it_shows(open_window, services, tmp_path, qtbot):
    """A user who searched or picked a decision and pressed Export gets the records the table
    shows, no more (the file may be shared), and the JSON says which filter made it."""
    import json

    from guard.ledger import Decision

    records = fill_ledger(services.ledger(), services.catalog, services.terms_store, 60)
    window = open_window(tab="history")
    history = window.history
    wait_idle(qtbot, window)
    refused = [r for r in records if r.decision == Decision.REFUSED and r.meeting.title]
    word = refused[0].meeting.title.split()[0]
    history.decision.setCurrentIndex(history.decision.findData(Decision.REFUSED))
    history.search.setText(word.upper())
    history.apply_filter()
    wait_idle(qtbot, window)
    shown = {history.model.record_at(row).id for row in range(history.model.rowCount())}
    wanted = {r.id for r in refused if word.lower() in (r.meeting.title or "").lower() or
              word.lower() in (r.note or "").lower()}
    assert shown == wanted and 0 < len(shown) < len(records)
    dest = tmp_path / "shown.json"
    with qtbot.waitSignal(history.export.finished, timeout=60_000) as signal:
        history.export.export_to(dest, "json")
    wait_idle(qtbot, window)
    assert signal.args[0].startswith(f"Exported {len(shown)} record")
    document = json.loads(dest.read_text(encoding="utf-8"))
    assert {node["dct:identifier"] for node in document["mpg:records"]} == shown
    assert document["mpg:coverage"]["filter"]["decision"] == "refused"
    assert document["mpg:coverage"]["filter"]["search"] == word.upper()
