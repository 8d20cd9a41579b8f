"""The keyring's copy of a ledger's anchor (entry ``consent-ledger-<ledger id>-anchor``), out of
reach of anyone who can only write to the data folder, and the note per ledger location that
names the ledger kept there. Every keyring call goes through :mod:`guard.keyring_call` (a hung
keyring costs one deadline)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from guard.keyring_call import ask
from guard.ledger.anchor_model import Anchor, AnchoredKey, AnchorError
from guard.ledger.head import SignedHead
from guard.ledger.keys import SERVICE, delete_keyring_entry, usable_keyring


def anchor_username(ledger_id: str) -> str:
    return f"consent-ledger-{ledger_id}-anchor"


def location_username(ledger_path: Path) -> str:
    digest = hashlib.sha256(str(Path(ledger_path).absolute()).encode("utf-8")).hexdigest()
    return f"consent-ledger-location-{digest[:32]}"


class KeyringAnchor:
    """The keyring's copy of the anchor of one ledger, and the note of which ledger lives at
    its location. Every method raises AnchorError when the keyring cannot be reached."""

    def __init__(self, ledger_id: str, ledger_path: Path) -> None:
        self.ledger_id = ledger_id
        self.ledger_path = Path(ledger_path)

    @staticmethod
    def available() -> bool:
        return usable_keyring()[0] is not None

    def read(self) -> Anchor | None:
        text = _get(anchor_username(self.ledger_id))
        if text is None:
            return None
        try:
            return Anchor.from_json(text)
        except ValueError as error:
            raise AnchorError(f"the keyring's anchor for this ledger is damaged ({error})") from None

    def update(self, keys: Iterable[AnchoredKey] = (), head: SignedHead | None = None,
               seed: Anchor | None = None, *, holds: Callable[[SignedHead], bool] | None = None,
               replace_head: bool = False) -> Anchor:
        """Merge into the keyring's anchor; a new one starts from ``seed`` (the file's keys,
        anchored as first seen). Also notes this ledger at its location, if none is noted.

        ``holds`` says whether the ledger still holds a head as anchored: a keyring head it does
        not hold (the ledger and its anchor file were both put back to older copies) is never
        replaced by a new head (AnchorError), so verify goes on reporting it, unless
        ``replace_head`` (``Ledger.rekey``: the user goes on from this copy)."""
        current = self.read()
        anchored = current.head if current is not None else None
        if (head is not None and anchored is not None and not replace_head and holds is not None
                and not holds(anchored)):
            raise AnchorError(f"the keyring's anchor names record {anchored.seq} (recorded on "
                              f"{anchored.recorded_at or 'an earlier date'}), which this ledger does not hold as "
                              "anchored: it was left as it is, for verify to report; put the newest copy back, or "
                              "run 'meeting-guard consent rekey' to go on from this one")
        created = current is None
        if current is None:
            current = Anchor(self.ledger_id)
            if seed is not None and seed.ledger_id == self.ledger_id:
                current = current.merged([replace(key, first_use=True) for key in seed.keys], seed.head)
            if self.location() is None:
                self.note_location()
        anchor = current.merged(keys, head, replace_head=replace_head)
        if created or anchor != current:
            _set(anchor_username(self.ledger_id), anchor.to_json())
        return anchor

    def note_location(self) -> None:
        _set(location_username(self.ledger_path),
             json.dumps({"ledger_id": self.ledger_id, "path": str(self.ledger_path)}, sort_keys=True))

    def location(self) -> str | None:
        """The id of the ledger noted at this location, or None."""
        text = _get(location_username(self.ledger_path))
        if text is None:
            return None
        try:
            return str(json.loads(text)["ledger_id"])
        except (ValueError, KeyError, TypeError, RecursionError):
            return "(damaged note)"

    def delete(self, *, location: bool = True) -> list[str]:
        names = [anchor_username(self.ledger_id)] + ([location_username(self.ledger_path)] if location else [])
        return [problem for name in names if (problem := delete_keyring_entry(name))]


def _get(username: str) -> str | None:
    backend, name = usable_keyring()
    if backend is None:
        raise AnchorError(f"no keyring: {name}")
    try:
        return ask(f"read {username}", lambda: backend.get_password(SERVICE, username))
    except Exception as error:  # noqa: BLE001  (locked or hung keyring, D-Bus failure: said, never fatal)
        raise AnchorError(f"the keyring ({name}) could not be read: {error or type(error).__name__}") from None


def _set(username: str, text: str) -> None:
    backend, name = usable_keyring()
    if backend is None:
        raise AnchorError(f"no keyring: {name}")
    try:
        ask(f"write {username}", lambda: backend.set_password(SERVICE, username, text))
    except Exception as error:  # noqa: BLE001
        raise AnchorError(f"the keyring ({name}) refused the anchor: {error or type(error).__name__}") from None
