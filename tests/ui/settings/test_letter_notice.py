"""The letter dialog shows, above the letter, who to send it to when no company holds the data
(self-hosted, local or peer-to-peer software) or the service ended; otherwise nothing extra."""

from __future__ import annotations

from ui.settings.withdraw_dialog import LetterDialog


def test_the_letter_dialog_shows_the_notice_only_when_there_is_one(qtbot):
    notice = "Mumble is software that its users run themselves. Send it to the operator of the server."
    with_notice = LetterDialog("Letter", "[FILL IN: the operator]", "letter.txt", notice=notice)
    plain = LetterDialog("Letter", "Dear Zoom,", "letter.txt", None, "mailto:privacy@zoom.us")
    for dialog in (with_notice, plain):
        qtbot.addWidget(dialog)
        dialog.show()
    assert with_notice.notice.isVisible() and with_notice.notice.text() == notice
    assert not plain.notice.isVisible()


def test_a_long_notice_pushes_nothing_on_top_of_the_letter(open_window, services, qtbot):
    """In German the notice above a withdrawal letter (the provider may only process for the
    organisation) wraps over eight lines; the letter's text was drawn under the organisation's
    name and address fields."""
    from PySide6.QtCore import QPoint

    notice = ("Laut seinen eigenen Bedingungen verarbeitet Microsoft Teams Meeting-Inhalte im Auftrag der "
              "Organisationen, die den Dienst nutzen (zum Beispiel über das Geschäftskonto eines Arbeitgebers oder als "
              "Notizdienst, den die Gastgeberin oder der Gastgeber eines Meetings eingeladen hat). Bei einem "
              "solchen Meeting ist Microsoft Teams möglicherweise nur Auftragsverarbeiter dieser Organisation und "
              "antwortet vielleicht, Sie sollten sich an die Organisation als Verantwortliche wenden. Dieses Schreiben "
              "bittet Microsoft Teams, es weiterzuleiten und die Organisation zu nennen; Sie können außerdem ein "
              "zweites Schreiben an die Organisation selbst richten.")
    window = open_window(tab="history")
    dialog = LetterDialog("Widerruf", "Sehr geehrte Damen und Herren,\n" * 60, "widerruf.txt", window,
                          services=services, jobs=window.history.tasks, notice=notice, host_letter_for="record-id")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    def span(widget) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        top = widget.mapTo(dialog, QPoint(0, 0)).y()
        return top, top + widget.height()

    order = [dialog.notice, dialog.text, dialog.host_name, dialog.host_address, dialog.host_button, dialog.status]

    def apart() -> bool:
        spans = [span(widget) for widget in order]
        return (all(above[1] <= below[0] for above, below in zip(spans, spans[1:], strict=False))
                and spans[-1][1] <= dialog.height())

    qtbot.waitUntil(apart, timeout=3000)  # once the dialog's layout has settled


def test_the_blanks_are_counted_and_completed_in_the_dialog_and_what_is_sent_is_the_completed_letter(
        open_window, services, qtbot, tmp_path):
    """The withdrawal letter has [FILL IN: ...] blanks (your name, your address, ...); the command
    line says how many, the dialog said nothing and its text could not be edited, so the letter
    e-mailed or saved was the one with the blanks."""
    from PySide6.QtCore import QUrl
    from PySide6.QtWidgets import QPushButton

    from guard.ledger import Decision, RecordDraft
    from tests.support.url_catcher import caught_urls
    from tests.ui.conftest import blocking_ok

    with blocking_ok():
        given = services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
        letter = services.withdraw(given.id, letter=True).letter
    assert letter is not None and letter.fill_in.startswith("Fill in before sending: ")
    window = open_window(tab="history")
    dialog = LetterDialog(letter.title, letter.text, letter.suggested_name, window, letter.mailto,
                          services=services, jobs=window.history.tasks, fill_in=letter.fill_in)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.fill_in.isVisible() and dialog.fill_in.text() == letter.fill_in

    dialog.text.setFocus()
    cursor = dialog.text.document().find("[FILL IN: your full name]")
    assert not cursor.isNull()
    dialog.text.setTextCursor(cursor)
    qtbot.keyClicks(dialog.text, "Ada Lovelace")
    assert dialog.text.toPlainText().startswith("Ada Lovelace\n")

    with caught_urls("mailto") as catcher:  # instead of starting a mail program here
        email = dialog.findChild(QPushButton, "write-an-email-with-this-letter")
        email.click()
        qtbot.waitUntil(lambda: catcher.urls != [])
    sent = catcher.urls[0].toString(QUrl.ComponentFormattingOption.FullyDecoded)
    assert "Ada Lovelace" in sent and "[FILL IN: your full name]" not in sent
    assert sent.startswith("mailto:privacy@zoom.us?subject=")
    # Walking the first hour: with no e-mail program set up, "Write email…" seemed to do nothing.
    assert dialog.status.text() == ("Your e-mail program was asked to open this letter. If none opens, copy the "
                                    "letter or save it, and send it yourself.")

    dialog.save_to(tmp_path / "letter.txt")
    qtbot.waitUntil(lambda: dialog.saved_to is not None, timeout=10000)
    assert (tmp_path / "letter.txt").read_text(encoding="utf-8").startswith("Ada Lovelace\n")


def test_the_count_of_blanks_follows_the_letter_as_they_are_completed(open_window, services, qtbot):
    """Walking the first hour: the objection letter said "Fill in before sending: 5 places marked
    [FILL IN: ...]" and still said 5 after the user had typed their name over the first blank."""
    import re

    from guard.ledger import Decision, RecordDraft
    from tests.ui.conftest import blocking_ok
    from tests.ui.settings.conftest import wait_idle

    with blocking_ok():
        refused = services.record_decision(RecordDraft(provider_id="zoom", feature_id="meeting-summary",
                                                       decision=Decision.REFUSED))
    window = open_window(tab="history")
    history = window.history
    history.show_record(refused.id)
    wait_idle(qtbot, window)
    history.objection_action.trigger()
    qtbot.waitUntil(lambda: history.letter_dialog is not None and history.letter_dialog.isVisible(), timeout=20000)
    dialog = history.letter_dialog
    blanks = re.findall(r"\[FILL IN: [^\]]*\]", dialog.text.toPlainText())
    assert len(blanks) >= 2
    assert dialog.fill_in.text() == f"Fill in before sending: {len(blanks)} places marked [FILL IN: ...]"

    dialog.text.setFocus()
    dialog.text.setTextCursor(dialog.text.document().find(blanks[0]))
    qtbot.keyClicks(dialog.text, "Ada Lovelace")
    left = len(blanks) - 1
    said = f"Fill in before sending: {left} place{'s' if left != 1 else ''} marked [FILL IN: ...]"
    assert dialog.fill_in.isVisible() and dialog.fill_in.text() == said

    for blank in blanks[1:]:
        dialog.text.setTextCursor(dialog.text.document().find(blank))
        qtbot.keyClicks(dialog.text, "done")
    assert "[FILL IN:" not in dialog.text.toPlainText()
    assert not dialog.fill_in.isVisible()  # nothing is left to fill in
    dialog.accept()


def test_blanks_are_counted_in_the_letters_language():
    from guard.services import letter_blanks_left

    text = "[À COMPLÉTER\u00a0: votre nom]\n[À COMPLÉTER\u00a0: votre adresse]\n[FILL IN: not French]"
    assert letter_blanks_left(text, "fr") == ("À compléter avant l’envoi\u00a0: 2 endroits marqués "
                                              "[À COMPLÉTER\u00a0: ...]")
    assert letter_blanks_left("Dear Zoom,", "en") == ""
