"""Naming a record on the command line: ``#12`` (the number ``consent list`` shows), a full id,
or the first characters of an id when no other record starts the same way."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from guard.errors import GuardError

if TYPE_CHECKING:
    from guard.ledger import Ledger

MIN_PREFIX = 4
_FULL_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PREFIX = re.compile(r"[0-9a-fA-F][0-9a-fA-F-]{0,35}")
FORMS = ("'#N' in quotes (the number 'meeting-guard consent list' shows; a shell reads an unquoted # as the start of a "
         "comment), a record id, or its first 4 or more characters")


class RecordReferenceError(GuardError):
    """A record reference that names no record, or more than one."""


def resolve_record(ledger: Ledger, reference: str, option: str = "ID") -> str:
    """The full id of the record ``reference`` names; raises :class:`RecordReferenceError`."""
    text = reference.strip()
    if text.startswith("#"):
        number = text[1:]
        if not number.isdigit() or int(number) < 1:
            raise RecordReferenceError(f"{option}: '{reference}' is not a record number; give {FORMS}.")
        ids = ledger.find_ids(seq=int(number))
        if not ids:
            raise RecordReferenceError(f"{option}: there is no record #{int(number)} in the consent ledger "
                                       f"{ledger.path}; 'meeting-guard consent list' shows the numbers.")
        return ids[0]
    if _FULL_ID.fullmatch(text):
        return text.lower()
    if not _PREFIX.fullmatch(text) or len(text) < MIN_PREFIX:
        answer = _number_hint(text) or f"give {FORMS}"
        raise RecordReferenceError(f"{option}: '{reference}' is not a record id; {answer}.")
    ids = ledger.find_ids(prefix=text.lower(), limit=2)
    if not ids:
        hint = _number_hint(text)
        raise RecordReferenceError(f"{option}: no record id starts with '{text}' in the consent ledger {ledger.path}"
                                   + (f"; {hint}." if hint else "."))
    if len(ids) > 1:
        raise RecordReferenceError(f"{option}: more than one record id starts with '{text}' ({ids[0]}, {ids[1]}, "
                                   "...); give more characters or #N.")
    return ids[0]


def _number_hint(text: str) -> str:
    """For a bare number (the list's #N typed without its #, often because a shell dropped an
    unquoted ``#N`` as a comment): how to write it; else ""."""
    if not text.isdigit() or int(text) < 1:
        return ""
    return f"for record number {int(text)}, write '#{int(text)}' in quotes (a shell reads an unquoted # as a comment)"
