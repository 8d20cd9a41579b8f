"""The second letter: to the organisation that hosted or recorded the meeting.

When a company records a meeting with a note-taker or runs it on a business account, the
provider usually processes the meeting's content on that company's behalf (GDPR Art. 28), and
the company is the controller (Art. 4(7)): a letter sent only to the provider may come back as
"we are a processor, ask the controller". This letter goes to that organisation, named by the
user, with the same cited records, and asks it to name its processors (Art. 15(1)(c)).
:func:`compose_host_letter` is pure, like :func:`guard.export.letters.compose_letter`.
"""

from __future__ import annotations

from datetime import date

from guard.export.errors import ExportError
from guard.export.facts import ProviderFacts
from guard.export.letter_words import Wording
from guard.export.letters import (
    Blanks,
    CitedRecord,
    Letter,
    LetterKind,
    Recipient,
    assemble,
    cited_text,
    one_line,
    sender_lines,
)

NAME_LIMIT = 120  # characters of the organisation's name as the user typed it
ADDRESS_LIMIT = 300  # of its address


def host_organisation(text: str | None) -> str:
    """The organisation's name as the user typed it, as one plain line of at most
    :data:`NAME_LIMIT` characters; raises ExportError when nothing is left to address."""
    organisation = one_line(text, NAME_LIMIT)
    if not organisation:
        raise ExportError("Give the name of the organisation that hosted or recorded the meeting, e.g. "
                          "--to-host \"Acme Ltd\" (and its address with --host-address).")
    return organisation


def compose_host_letter(kind: LetterKind | str, provider: ProviderFacts, records: list[CitedRecord],
                        organisation: str, *, address: str | None = None, name: str | None = None,
                        today: date | None = None, older: int = 0, warnings: tuple[str, ...] = (),
                        language: str = "en") -> Letter:
    """The letter of ``kind`` to ``organisation`` at ``address`` (the controller of meetings it
    hosted or recorded with ``provider``), citing ``records`` (newest first), in ``language``.
    Both are the user's own words: each becomes one plain line, capped; a missing address is a
    ``[FILL IN: ...]`` placeholder."""
    kind = LetterKind(kind)
    words = Wording(language)
    today = today or date.today()
    known = Blanks(words)
    organisation = host_organisation(organisation)
    name = one_line(name) or None
    provider_name = one_line(provider.name)
    postal = one_line(address, ADDRESS_LIMIT) or None
    to_lines = [organisation, known(postal, words.word("fill_host_postal")),
                words.word("email", email=known(None, words.word("fill_who_email")))]
    body = words.body(str(kind), organisation, cited_text(records, older, words, provider_name)).rstrip("\n")
    body += "\n\n" + words.word("host_controller", provider=provider_name)
    body += "\n\n" + words.word("host_processors", provider=provider_name)
    subject = words.subject(str(kind), f"{organisation} ({provider_name})")
    text = assemble(words, today, sender_lines(words, known, name, provider_name), to_lines, subject, kind, body,
                    known(name, words.word("fill_signature")))
    recipient = Recipient(organisation, None, postal, None, kind="meeting-host")
    return Letter(kind=kind, provider_id=provider.id, provider_name=provider.name, recipient=recipient,
                  subject=subject, text=text, records=tuple(records), placeholders=known.placeholders,
                  warnings=warnings, written_on=today, language=words.language, addressee="meeting-host",
                  processor_for=provider.processor_for, processor_sources=provider.processor_sources)
