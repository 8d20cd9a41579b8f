"""The lines ``meeting-guard letter`` prints around a letter ("Before sending: …", "Send by
e-mail: …") and its warnings on stderr, in the letter's language: a French letter framed by
English lines reads as if the app did not know which language the user chose. Pure: a language
in, text out."""

from __future__ import annotations

from guard.i18n import N_, Nn_, translation

BEFORE_SENDING = N_("Before sending: {notice}")
WROTE = N_("Wrote the letter ({article}) to {path}")
FILL_IN = Nn_("Fill in before sending: {count} place marked [FILL IN: ...]",
              "Fill in before sending: {count} places marked [FILL IN: ...]")
SEND = N_("Send by e-mail: {mailto}")
TO_HOST = N_("To the organisation that hosted or recorded the meeting as well: the same command with {options}")
# What the user types in place of the organisation's name and address, in capitals as a usage line writes them.
ORGANISATION, ADDRESS = N_("ORGANISATION"), N_("ADDRESS")
RECORD_WITHDRAWAL = N_("Record the withdrawal in your ledger: {command}")
WARNING = N_("warning: {warning}")


class LetterGuide:
    """The framing lines in one language; values are put in after translating, in one pass each."""

    def __init__(self, language: str) -> None:
        self.t = translation(language)

    def _(self, message: str, field: str, value: str) -> str:
        return self.t.gettext(message).replace("{" + field + "}", value)

    def before_sending(self, notice: str) -> str:
        return self._(BEFORE_SENDING, "notice", notice)

    def wrote(self, kind: str, path: str) -> str:
        """``kind`` names the article as the letter's language cites it ("Art. 7 Abs. 3 DSGVO")."""
        from guard.export.letter_words import Wording

        article = Wording(self.t.language).reference(kind)
        return self.t.gettext(WROTE).replace("{article}", article).replace("{path}", path)  # path last: user text

    def fill_in(self, count: int) -> str:
        return self.t.ngettext(*FILL_IN, count).replace("{count}", str(count))

    def blanks_left(self, text: str) -> str:
        """``fill_in`` for the blanks ``text`` still has (a letter as the user edits it), "" when none is left."""
        from guard.export.letter_words import Wording

        marker = Wording(self.t.language).word("fill_in", what="\0").partition("\0")[0]  # "[FILL IN: "
        count = text.count(marker)
        return self.fill_in(count) if count else ""

    def send(self, mailto: str) -> str:
        return self._(SEND, "mailto", mailto)

    def to_host(self) -> str:
        options = (f'--to-host "{self.t.gettext(ORGANISATION)}" '
                   f'--host-address "{self.t.gettext(ADDRESS)}"')  # shell quotes, not the language's
        return self._(TO_HOST, "options", options)

    def warning(self, warning: str) -> str:
        """A warning about the letter (said in its language by guard.export.letter_source), on stderr."""
        return self._(WARNING, "warning", warning)

    def record_withdrawal(self, record_id: str) -> str:
        return self._(RECORD_WITHDRAWAL, "command", "meeting-guard consent withdraw " + record_id)
