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
