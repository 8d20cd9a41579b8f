"""Terms changes tab: versions (baseline marked), the side-by-side comparison of real Zoom
texts with the AI-training change highlighted, the fetch log and "Check now"."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from guard.terms.models import FetchRecord, FetchResult, HttpMeta
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import click_box, wait_idle
from tests.ui.settings.world import TOS_2020, TOS_2023, store_zoom_versions
from ui.settings.common import highlight_tint
from ui.settings.terms_changes_model import RELEVANT_ROLE

NEW_SENTENCE = ("Notwithstanding the above, Zoom will not use audio, video or chat Customer Content to train our "
                "artificial intelligence models without your consent.")


def test_comparison_highlights_zooms_august_2023_ai_training_sentence(open_window, services, qtbot):
    march, august = store_zoom_versions(services.terms_store)
    window = open_window()
    window.show_terms_change("zoom", "terms")
    wait_idle(qtbot, window)
    terms = window.terms
    assert window.current_tab() == "terms"
    assert (terms.old.currentData(), terms.new.currentData()) == (march, august)
    model = terms.model
    assert model.total == 1 and model.relevant_count == 1
    index = model.index(0, 2)
    assert "AI training" in model.data(index)
    assert model.data(model.index(0, 0)) == "10.4"
    assert model.data(index, RELEVANT_ROLE) is True
    brush = model.data(index, Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color() == highlight_tint(terms.palette())
    assert NEW_SENTENCE in " ".join(terms.new_text.toPlainText().split())
    assert "not in this version: the clause was added" in terms.old_text.toPlainText()
    assert "In plain words: AI training" in " ".join(terms.new_text.toPlainText().split())
    assert "1 touch AI or data use" in terms.summary.text()


def test_only_ai_and_data_use_changes_hides_the_rest(open_window, services, qtbot):
    old, new = store_zoom_versions(services.terms_store, TOS_2020, TOS_2023,
                                   datetime(2020, 8, 20, tzinfo=UTC), datetime(2023, 8, 11, tzinfo=UTC))
    window = open_window(tab="terms")
    window.terms.show_change("zoom", "terms")
    window.terms.select_versions(old, new)
    wait_idle(qtbot, window)
    model = window.terms.model
    assert model.total > model.relevant_count > 0
    relevant_rows = [model.data(model.index(r, 0), RELEVANT_ROLE) for r in range(model.rowCount())]
    assert False in relevant_rows
    click_box(qtbot, window.terms.relevant_only)
    # one row per relevant change (a section added whole is one row, counted by its clauses in relevant_count)
    assert model.rowCount() == sum(relevant_rows) <= model.relevant_count
    topics = {model.data(model.index(r, 2)) for r in range(model.rowCount())}
    assert any("AI training" in t for t in topics)
    assert any("Use of your content or data" in t for t in topics)


COLLECTED_BEFORE = ("# Privacy Statement\n\n## 2. Information we collect\n\n"
                    "We collect your name and e-mail address when you sign up.\n\n"
                    "## 3. Contact\n\nWrite to the privacy team at the address below.\n")
COLLECTED_AFTER = COLLECTED_BEFORE.replace(
    "sign up.\n\n", "sign up.\n\nWe collect the content of your messages and the files you upload to meetings.\n\n")


def test_a_new_collection_statement_is_shown_as_use_of_your_content_not_a_licence(open_window, services, qtbot):
    """Corpus guideline 16 reads a collection statement as content-licence: the Terms tab names the use
    of the user's content or data, in the list and in plain words, never a licence."""
    shas = [services.terms_store.record_version(
        "zoom", "privacy", text, "https://zoom.us/privacy",
        HttpMeta(200, None, None, "text/html; charset=utf-8", "https://www.zoom.com/en/trust/privacy/"), at)[0].sha256
        for text, at in ((COLLECTED_BEFORE, datetime(2026, 1, 5, tzinfo=UTC)),
                         (COLLECTED_AFTER, datetime(2026, 3, 5, tzinfo=UTC)))]
    window = open_window(tab="terms")
    window.terms.show_change("zoom", "privacy")
    window.terms.select_versions(*shas)
    wait_idle(qtbot, window)
    model = window.terms.model
    assert model.relevant_count == 1
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 2), RELEVANT_ROLE))
    assert model.data(model.index(row, 2)) == "Use of your content or data"
    window.terms.changes.selectRow(row)
    shown = " ".join(window.terms.new_text.toPlainText().split())
    assert "In plain words: Use of your content or data: A new paragraph in Section 2 now allows collecting your " \
        "content." in shown
    assert "licence" not in shown.casefold()


def test_versions_are_listed_with_the_shipped_baseline_marked(open_window, services, qtbot):
    store_zoom_versions(services.terms_store)
    window = open_window()
    window.show_terms_change("zoom", "terms")
    wait_idle(qtbot, window)
    table = window.terms.versions
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert len(rows) == 3
    baseline = services.terms_store.baseline_version("zoom", "terms")
    assert ["11 Aug 2023", "shipped baseline", baseline.sha256] in rows
    assert sum(1 for row in rows if row[1] == "provider page") == 2
    labels = [window.terms.old.itemText(i) for i in range(window.terms.old.count())]
    assert labels[0].startswith("11 Aug 2023 · shipped baseline")


def test_fetch_log_shows_every_request_including_failures(open_window, services, qtbot):
    store_zoom_versions(services.terms_store, with_log=True)
    services.terms_store.log_fetch(FetchRecord(datetime(2024, 1, 2, 3, 4, tzinfo=UTC), "zoom", "privacy",
                                         "https://zoom.us/privacy", FetchResult.FAILED, 503, error_kind="http",
                                         message="HTTP 503 from https://zoom.us/privacy; will retry at the next check"))
    window = open_window(tab="terms")
    wait_idle(qtbot, window)
    log = window.terms.log
    rows = [[log.item(r, c).text() for c in range(log.columnCount())] for r in range(log.rowCount())]
    assert len(rows) == 3
    assert rows[0][1:5] == ["Zoom Privacy Statement", "https://zoom.us/privacy", "failed", "503"]
    # the month by name, as the versions and the history write dates, never 02/01/2024 (2 Jan or 1 Feb?)
    local = datetime(2024, 1, 2, 3, 4, tzinfo=UTC).astimezone()
    assert rows[0][0] == f"{local.day} {local:%b} {local.year}, {local:%H:%M}"
    assert "HTTP 503" in rows[0][5]
    assert rows[1][3] == "new version" and rows[1][2] == "https://www.zoom.com/en/trust/terms/"


def test_the_fetch_log_says_in_german_why_a_document_was_not_checked(open_window, services, qtbot):
    """The Result and Details columns were English in a German window ("skipped", "Not checked: this
    computer is offline ...")."""
    from ui.language import apply_language

    services.terms_store.log_fetch(FetchRecord(
        datetime(2026, 12, 1, 20, 49, tzinfo=UTC), "zoom", "privacy", "https://zoom.us/privacy", FetchResult.SKIPPED,
        error_kind="offline", attempts=0, message="Not checked: this computer is offline (an earlier document could "
                                                  "not be reached); the next check will try again."))
    apply_language("de")
    try:
        window = open_window(tab="terms")
        wait_idle(qtbot, window)
        log = window.terms.log
        row = [log.item(0, c).text() for c in range(log.columnCount())]
        assert row[3] == "nicht geprüft"
        assert row[5].startswith("Nicht geprüft: Dieser Computer ist offline")
    finally:
        apply_language("")


def test_check_now_asks_the_app_to_fetch_and_is_off_without_network(open_window, services, qtbot):
    window = open_window(tab="terms")
    with qtbot.waitSignal(window.check_terms_requested) as signal:
        qtbot.mouseClick(window.terms.check_button, Qt.MouseButton.LeftButton)
    assert signal.args == [""]  # every watched document
    with blocking_ok():
        assert services.terms_store.fetch_log() == []  # the window itself never fetches

    prefs = window.preferences
    prefs.network.setChecked(False)
    prefs.save()
    wait_idle(qtbot, window)
    assert not window.terms.check_button.isEnabled()
    assert "switched off" in window.terms.network_label.text()


def test_the_terms_tab_says_once_that_the_network_is_off_and_which_box_turns_it_on(open_window, services, qtbot):
    """It said it twice ("Not checked: network access is switched off. Network is switched off in
    Preferences: nothing is fetched.") and not what to do."""
    from ui.language import apply_language

    services.terms_store.log_fetch(FetchRecord(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), "zoom", "privacy",
                                               "https://zoom.us/privacy", FetchResult.UNCHANGED))
    services.terms_store.log_fetch(FetchRecord(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "zoom", "privacy",
                                               "https://zoom.us/privacy", FetchResult.SKIPPED,
                                               error_kind="network-disabled", attempts=0))
    window = open_window(tab="terms")
    prefs = window.preferences
    prefs.network.setChecked(False)
    prefs.save()
    wait_idle(qtbot, window)
    text = window.terms.network_label.text()
    assert text.count("switched off") == 1 and "nothing is fetched" not in text, text
    box = prefs.network.text().replace("&", "").split(" (")[0]
    assert f"tick “{box}” under {prefs.network.parentWidget().title()} in Preferences" in text, text
    assert "(last check " in text and "30" in text.split("(last check ")[1]  # the real check, not the skipped one
    window.close()

    apply_language("de")
    try:
        window = open_window(tab="terms")
        wait_idle(qtbot, window)
        text = window.terms.network_label.text()
        box = window.preferences.network.text().replace("&", "").split(" (")[0]
        assert text.count("ausgeschaltet") == 1 and f"„{box}“" in text and "Einstellungen" in text, text
    finally:
        apply_language("")


def test_a_document_with_one_version_says_so(open_window, services, qtbot):
    window = open_window()
    window.show_terms_change("zoom", "privacy")
    wait_idle(qtbot, window)
    assert window.terms.model.rowCount() == 0
    assert "Only one version" in window.terms.summary.text()


def test_reading_the_public_archive_is_shown_and_can_be_switched_off(open_window, services, qtbot):
    window = open_window(tab="terms")
    wait_idle(qtbot, window)
    assert services.settings.terms.archive_enabled
    assert "Open Terms Archive on GitHub" in window.terms.network_label.text()
    prefs = window.preferences
    assert prefs.archive.isChecked() and prefs.archive.isEnabled()
    assert "api.github.com" in prefs.archive.text()

    click_box(qtbot, prefs.archive)
    prefs.save()
    wait_idle(qtbot, window)
    assert services.settings.terms.archive_enabled is False
    assert "archive_enabled = false" in services.paths.settings_file.read_text()
    assert "Open Terms Archive" not in window.terms.network_label.text()

    prefs.network.setChecked(False)
    assert not prefs.archive.isEnabled(), "no network: the archive is not read either"


def test_before_a_change_is_chosen_the_wording_panes_say_so_in_full_in_german(open_window, qtbot):
    """The panes' hint was a one-line placeholder, cut to "Wählen Sie eine Änderung, um den alten Wortlaut zu"."""
    from ui.language import apply_language

    apply_language("de")
    try:
        window = open_window(tab="terms")
        wait_idle(qtbot, window)
        terms = window.terms
        assert terms.old_text.toPlainText() == "Wählen Sie eine Änderung, um den alten Wortlaut zu sehen."
        assert terms.new_text.toPlainText() == "Wählen Sie eine Änderung, um den neuen Wortlaut zu sehen."
        for pane in (terms.old_text, terms.new_text):  # wrapped within the pane
            assert pane.document().size().width() <= pane.viewport().width()
    finally:
        apply_language("")
