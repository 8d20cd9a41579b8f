"""The app in Spanish and Dutch, not only its letters: the settings window's tabs, the consent
dialog and the Overview's ledger verdict (a sentence the core makes) in the chosen language, and
hostile text inside a translated sentence shown as plain text. Real Qt widgets (Xvfb)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel

from guard.ledger import Decision, KeyState, KeyStatus, KeyStorage, RecordDraft, VerifyReport
from guard.services.values import LedgerCheck
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import wait_idle
from ui.language import apply_language

HOSTILE = "<img src=x onerror=alert(1)> <b>{count}</b> %s {key}"


@pytest.fixture
def spanish():
    apply_language("es")
    yield
    apply_language("")  # the tests' desktop is C.UTF-8: English


@pytest.fixture
def dutch():
    apply_language("nl")
    yield
    apply_language("")


def plain(window) -> str:  # type: ignore[no-untyped-def]
    return " ".join(window.overview.browser.toPlainText().split())


def max_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    return deepest


def test_in_spanish_the_tabs_and_the_ledger_verdict_are_spanish(spanish, open_window, services, qtbot):
    window = open_window()
    tabs = window.tab_widget
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Vista general", "Proveedores", "Historial de consentimientos", "Cambios en las condiciones", "Preferencias"]
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "intacto: aún no hay entradas; clave de firma: aún no hay ninguna" in plain(window),
                    timeout=10000)
    text = plain(window)
    assert "no records yet" not in text and "none yet" not in text
    verdict = text[text.index("intacto:"):]
    assert max_depth(verdict[:verdict.index(")") + 1]) <= 1, "an empty ledger's verdict nests parentheses"
    with blocking_ok():
        services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
    window.ledger_updated()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "1 entrada · verificado: todas las entradas están intactas" in plain(window),
                    timeout=10000)
    assert "intacto: 1 entrada, cabecera n.º 1" in plain(window) and "head seq" not in plain(window)
    assert "anclaje: llavero (" in plain(window) and "the keyring" not in plain(window)  # where it is anchored too
    # what verification catches here: the ledger's own sentences, in Spanish too
    qtbot.waitUntil(lambda: "una entrada modificada, eliminada, insertada o reordenada dentro del archivo"
                    in plain(window), timeout=10000)
    assert "inside the file" not in plain(window)


def test_in_dutch_the_consent_dialog_and_the_tabs_are_dutch(dutch, open_window, services, qtbot):
    from tests.ui.test_consent_dialog import dialog_for

    window = open_window()
    tabs = window.tab_widget
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Overzicht", "Aanbieders", "Toestemmingsgeschiedenis", "Wijzigingen in voorwaarden", "Voorkeuren"]
    dialog = dialog_for(qtbot, services)
    assert dialog.windowTitle().startswith("Mijn beslissing vastleggen")
    texts = {widget.text() for widget in (*dialog.findChildren(QLabel), *dialog.findChildren(QAbstractButton))}
    for expected in ("Ik heb &toestemming gegeven", "Ik heb &geweigerd", "&Aanbieder:", "Beslissing op&slaan"):
        assert expected in texts, (expected, sorted(texts))
    assert "I &consented" not in texts and "&Save decision" not in texts


def test_hostile_text_inside_a_translated_sentence_stays_plain_text(spanish, open_window, qtbot):
    """A key file path and a keyring error are outside values: in the Spanish verdict they show as
    typed, never as markup or as a template of their own."""
    window = open_window()
    wait_idle(qtbot, window)
    key = KeyStatus(state=KeyState.NONE, storage=KeyStorage.FILE, key_file=Path("/tmp") / HOSTILE / "ledger.key",
                    fallback_reason=HOSTILE)
    report = VerifyReport(path="ledger.sqlite3", count=0, head_seq=0, head_hash=None, problem=None, key_problem=None,
                          key=key)
    window.overview._verified(LedgerCheck(count=0, report=report, key=key))
    text = plain(window)
    assert (f"la primera entrada la crea en el archivo de clave /tmp/{HOSTILE}/ledger.key, porque no hay llavero "
            f"disponible: {HOSTILE}") in text
    html = window.overview.browser.toHtml()
    assert "<img" not in html and "<b>{count}</b>" not in html


@pytest.mark.desktop
def test_what_detection_saw_is_said_in_spanish(spanish, open_window, tmp_path, desktop, qtbot):
    """A real client process and its real X11 window, seen by a real Monitor: the Overview's
    evidence lines are Spanish sentences, with the title and process name as they are."""
    from tests.detect.world import (
        Processes,
        client_copy,
        close_monitors,
        collect_until,
        has,
        new_monitor,
        provider_toml,
        unique,
        write_catalog,
        x11_window,
    )

    processes = Processes()
    try:
        name = unique("zoom")
        catalog = write_catalog(tmp_path / "catalog", {
            "zoom": provider_toml("zoom", "Zoom Workplace", processes=[name],
                                  meeting_window_titles=["^Zoom Meeting$"]),
        })
        client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
        x11_window(processes, "Zoom Meeting", client.pid, env=desktop.child_env(), ready_file=tmp_path / "mapped")
        monitor = new_monitor(catalog)
        collect_until(monitor, has("meeting-started", "zoom"))
        window = open_window()
        window.set_snapshot(monitor.snapshot())
        text = plain(window)
        assert f"Ventana: {name} (pid {client.pid}) muestra una ventana de reunión titulada «Zoom Meeting»" in text
        assert "shows a meeting window" not in text
        evidence = monitor.snapshot().meetings[0].evidence
        assert all(str(e.said) == e.detail for e in evidence if e.said is not None), "records keep the English"
    finally:
        processes.stop_all()
        close_monitors()
