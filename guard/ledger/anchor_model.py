"""What is anchored for a ledger (its trusted keys and latest signed head) as a value, the same
in both copies (the keyring's and ``ledger.anchor``; :mod:`guard.ledger.anchor` says why two)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from guard.ledger.head import SignedHead
from guard.ledger.key_info import KeyInfo


class AnchorError(Exception):
    """An anchor could not be read or written; the message says which and why."""


@dataclass(frozen=True)
class AnchoredKey:
    """A key this computer made for the ledger (or, ``first_use``, found in it when the ledger
    was first anchored: a ledger from before anchoring, or made while there was no keyring)."""

    key_id: str
    algorithm: str
    check: str  # the public key's fingerprint (Ed25519) or the HMAC check value
    storage: str
    username: str
    anchored_at: str
    first_use: bool = False

    @classmethod
    def of(cls, info: KeyInfo, anchored_at: str, first_use: bool = False) -> AnchoredKey:
        return cls(info.key_id, str(info.algorithm), info.check, str(info.storage), info.username, anchored_at,
                   first_use)

    def differs_from(self, info: KeyInfo) -> str | None:
        """The first field of the key row that is not what was anchored, or None."""
        for name, anchored, listed in (("fingerprint" if self.algorithm == "ed25519" else "check value", self.check,
                                        info.check), ("algorithm", self.algorithm, str(info.algorithm)),
                                       ("storage", self.storage, str(info.storage)),
                                       ("username", self.username, info.username)):
            if anchored != listed:
                return name
        return None


@dataclass(frozen=True)
class Anchor:
    """One copy of what is anchored for the ledger ``ledger_id``."""

    ledger_id: str
    keys: tuple[AnchoredKey, ...] = ()
    head: SignedHead | None = None
    in_keyring_since: str | None = None  # (the file's copy) since when the keyring holds one too

    def key(self, key_id: str) -> AnchoredKey | None:
        return next((key for key in self.keys if key.key_id == key_id), None)

    def merged(self, keys: Iterable[AnchoredKey] = (), head: SignedHead | None = None,
               in_keyring_since: str | None = None, *, replace_head: bool = False) -> Anchor:
        """This anchor plus new keys (an anchored key is never changed) and a newer head (any
        head with ``replace_head``: the user went on from an older copy, ``Ledger.rekey``)."""
        known = {key.key_id for key in self.keys}
        added = tuple(key for key in keys if key.key_id not in known)
        newer = head is not None and (replace_head or self.head is None or head.seq >= self.head.seq)
        return replace(self, keys=self.keys + added, head=head if newer else self.head,
                       in_keyring_since=self.in_keyring_since or in_keyring_since)

    def to_json(self) -> str:
        data: dict[str, Any] = {"format": 1, "ledger_id": self.ledger_id, "keys": [dict(vars(k)) for k in self.keys],
                                "head": self.head.to_dict() if self.head else None}
        if self.in_keyring_since:
            data["in_keyring_since"] = self.in_keyring_since
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        try:
            data = json.loads(text)
            keys = tuple(AnchoredKey(str(k["key_id"]), str(k["algorithm"]), str(k["check"]), str(k["storage"]),
                                     str(k["username"]), str(k["anchored_at"]), bool(k.get("first_use", False)))
                         for k in data["keys"])
            head = SignedHead.from_dict(data["head"]) if data.get("head") is not None else None
            since = data.get("in_keyring_since")
            return cls(str(data["ledger_id"]), keys, head, None if since is None else str(since))
        except (KeyError, TypeError, ValueError, RecursionError) as error:  # a crafted one may nest 100,000 deep
            raise ValueError(f"damaged anchor ({error!r})") from None
