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
