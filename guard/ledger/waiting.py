"""Decisions waiting for the signing key.

A decision the ledger cannot sign now (its key is in a keyring that does not answer, is locked,
or lost it) is not dropped: it is kept here, one file per decision (``<data>/decisions-waiting/
<record id>.json``, 0600 in a 0700 folder, written atomically, so two processes never overwrite
each other's), with the time it was made. Once the key can be read it is appended with the
same record id, which the ledger stores at most once (``Ledger.append(record_id=...)``), and
its file is removed. Its record then says when it happened (``occurred_at``) and when it was
signed (``recorded_at``). Nothing here is signed: until appended, a kept decision is only what
this computer's user account wrote, and it is said as waiting, never as recorded. Once signed, its
record carries ``kept`` (when it was kept and why, as its file said): anyone who could write to the
data folder could have put the file there, and the record says it did not come straight from the
app's consent form.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from guard.fsutil import atomic_write_text, private_dir
from guard.i18n import N_
from guard.ledger.errors import LedgerInputError
from guard.ledger.timeutil import format_utc, utc_now

if TYPE_CHECKING:  # loaded when a decision is read or kept: the idle tray app only counts the files
    from guard.ledger.models import RecordDraft

log = logging.getLogger(__name__)

FOLDER = "decisions-waiting"
MAX_FILE_BYTES = 1 << 20  # a draft is capped far below this (guard.ledger.limits)
MAX_WAITING = 10_000  # read at most this many; more are left for the next round
HELD = N_("not yet signed: the app stopped while it was being signed")  # why a held decision was left here
KEPT = N_("the ledger could not sign it then (its key could not be read, or it could not take records)")
FUTURE_SKEW = timedelta(minutes=10)  # a clock set back a little since a decision was kept is not a forgery
_NAME = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$")


@dataclass(frozen=True)
class WaitingDecision:
    record_id: str
    draft: RecordDraft
    kept_at: str  # UTC, ISO 8601
    why: str  # why it could not be signed then

    def marked(self) -> RecordDraft:
        """The draft to sign, marked as kept (``RecordDraft.kept``): the file was unsigned, so the
        record says it waited and since when, as the file says; a file that anyone able to write
        to the data folder could have written is never signed as if the user had just decided."""
        from guard.ledger.models import KeptMark

        try:
            kept_at = datetime.fromisoformat(self.kept_at)
        except ValueError:
            kept_at = None
        if kept_at is None or kept_at.tzinfo is None:
            kept_at = utc_now()
        latest = utc_now() + FUTURE_SKEW
        if kept_at > latest or (self.draft.occurred_at is not None and self.draft.occurred_at > latest):
            # kept (or made) later than now: not a decision this computer kept, or a clock set far back
            # since; left where it is (added once the clock has passed that time, never dated ahead)
            raise LedgerInputError(f"The kept decision {self.record_id} says it was made or kept after now "
                                   f"({self.draft.occurred_at}, kept {self.kept_at[:40]}); it was not added now.")
        # Why in general words only: the file's own text is an error message naming this computer's
        # folders (or whatever someone wrote there), and records go into exports people hand on.
        why = HELD if self.why == HELD else KEPT
        return self.draft.changed(kept=KeptMark(kept_at=kept_at, why=why))


class WaitingDecisions:
    """The decisions kept in ``data_dir`` until the signing key can be read."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER

    def hold(self, record_id: str, draft: RecordDraft) -> WaitingDecision:
        """Blocks: keep ``draft`` while it is being signed (``done`` once it is in the ledger), so
        an app that quits or dies meanwhile leaves it here, to be signed at its next start."""
        return self.keep(record_id, draft, HELD, quiet=True)

    def keep(self, record_id: str, draft: RecordDraft, why: str, *, quiet: bool = False) -> WaitingDecision:
        """Blocks: keep ``draft`` (its ``occurred_at`` fixed to now when unset) under ``record_id``."""
        if _NAME.match(f"{record_id}.json") is None:
            raise ValueError(f"not a record id: {record_id[:60]!r}")
        if draft.occurred_at is None:
            draft = draft.changed(occurred_at=utc_now())
        if any(item.said is not None for item in draft.evidence):  # a display form the ledger never keeps
            draft = draft.changed(evidence=tuple(replace(item, said=None) for item in draft.evidence))
        kept = WaitingDecision(record_id, draft, format_utc(utc_now()), why[:500])
        # ASCII with escapes: a title from outside may hold a lone surrogate, which UTF-8 cannot
        # encode (the ledger replaces it when it records; kept here, it must not stop the decision)
        text = json.dumps({"format": 1, "record_id": record_id, "kept_at": kept.kept_at, "why": kept.why,
                           "draft": draft.model_dump(mode="json", exclude={"kept"})}, ensure_ascii=True)
        atomic_write_text(private_dir(self.folder) / f"{record_id}.json", text)
        if quiet:
            return kept
        log.warning("Decision %s (%s, %s) kept until the signing key can be read: %s", record_id,
                    draft.provider_id, draft.decision, kept.why)
        return kept

    def listed(self) -> list[WaitingDecision]:
        """Blocks: the kept decisions, oldest first. A file that cannot be read is said in the
        log and left where it is (never deleted: it may be all that is left of a decision)."""
        from pydantic import ValidationError

        try:
            names = sorted(entry for entry in self.folder.iterdir() if _NAME.match(entry.name))
        except FileNotFoundError:
            return []
        found = []
        for path in names[:MAX_WAITING]:
            try:
                found.append(_read(path))
            except (OSError, ValueError, ValidationError, LedgerInputError) as error:
                log.error("A kept decision in %s cannot be read (%s); it is left there", path, error)
        return sorted(found, key=lambda kept: (kept.kept_at, kept.record_id))

    def count(self) -> int:
        """Blocks: how many decisions wait (a folder listing): only files :meth:`listed` would read.
        Another user's file, a link, a named pipe or an oversized file is never read, so it is not
        counted (the Overview would say "waiting" for ever); each is said once in the log."""
        found = self._named()
        for name, why in found:
            if why is not None and (name, why) not in _SAID:
                _SAID.add((name, why))
                log.warning("%s in %s is not a kept decision the app will read (%s); it is not counted and "
                            "left there: remove it if you did not put it there", name, self.folder, why)
        return sum(1 for _name, why in found if why is None)

    def ignored(self) -> list[tuple[str, str]]:
        """Blocks: the files named like kept decisions that are never read, each with why."""
        return sorted((name, why) for name, why in self._named() if why is not None)

    def _named(self) -> list[tuple[str, str | None]]:
        """The entries named like kept decisions, each with why it is never read (None: it is)."""
        try:
            with os.scandir(self.folder) as entries:
                return [(entry.name, _why_unread(entry.stat(follow_symlinks=False)))
                        for entry in entries if _NAME.match(entry.name)]
        except (FileNotFoundError, NotADirectoryError):
            return []

    def done(self, record_id: str) -> None:
        """Blocks: ``record_id`` is in the ledger now; its kept copy goes."""
        (self.folder / f"{record_id}.json").unlink(missing_ok=True)

    def erase(self) -> tuple[list[Path], list[str]]:
        """Blocks: remove every kept decision, readable or not, and the folder (the user erases the
        ledger: nothing of it may be added back later). The files removed, and what could not be."""
        removed: list[Path] = []
        problems: list[str] = []
        if self.folder.is_symlink():  # a link to another folder: the link goes, never what is in there
            try:
                self.folder.unlink()
                removed.append(self.folder)
            except OSError as error:
                problems.append(f"could not delete {self.folder}: {error.strerror or error}")
            return removed, problems
        try:
            entries = list(self.folder.iterdir())  # the app's own folder: whatever is left in it goes
        except FileNotFoundError:
            return removed, problems
        for entry in entries:
            try:
                entry.unlink()  # a symlink itself, never what it points at
                removed.append(entry)
            except OSError as error:
                problems.append(f"could not delete {entry}: {error.strerror or error}")
        try:
            self.folder.rmdir()
        except OSError as error:
            problems.append(f"could not delete {self.folder}: {error.strerror or error}")
        return removed, problems


_SAID: set[tuple[str, str]] = set()  # ignored files said in the log already (count runs often)


def _why_unread(info: os.stat_result) -> str | None:
    """Why a file with this ``lstat`` is never read as a kept decision, or None."""
    if not stat.S_ISREG(info.st_mode):  # a link, a named pipe (a read would wait for ever), a folder
        return "not a regular file: a link, a named pipe or a folder"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():  # never another user's decision
        return "owned by another user"
    if info.st_size > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES} bytes, far more than a decision"
    return None


def _read(path: Path) -> WaitingDecision:
    from guard.fsutil import NotRegularFile, read_regular

    why = _why_unread(os.lstat(path))
    if why is not None:
        raise ValueError(why)
    try:  # never through a link, and the checks again on the file opened: it may be swapped since the look above
        raw, opened = read_regular(path, MAX_FILE_BYTES, follow=False)
    except NotRegularFile as error:
        raise ValueError(str(error)) from None
    why = _why_unread(opened)
    if why is not None:
        raise ValueError(why)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES} bytes")
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != 1 or data.get("record_id") != path.stem:
        raise ValueError("not a kept decision (format 1, named for its record id)")
    kept_at, why = data.get("kept_at"), data.get("why")
    if not isinstance(kept_at, str) or not isinstance(why, str):
        raise ValueError("kept_at and why must be text")
    from guard.ledger.models import RecordDraft

    return WaitingDecision(path.stem, RecordDraft.model_validate(data.get("draft")), kept_at[:40], why[:500])
