"""What the ledger's signing key looks like from outside: where it lives and whether it can be
used (:class:`KeyStatus`) and the names of its kinds. Plain values, apart from
:mod:`guard.ledger.keys`, which loads the keyring library and cryptography: the tray app's welcome
shows a key's status without keeping those in its memory (a helper process reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from guard.i18n import N_, Text


class KeyStorage(StrEnum):
    KEYRING = "keyring"
    FILE = "file"


class KeyAlgorithm(StrEnum):
    HMAC = "hmac-sha256"  # ledgers written before Ed25519: a secret MAC only its holder can check
    ED25519 = "ed25519"  # public-key signatures anyone can check


class KeyState(StrEnum):
    OK = "ok"
    NONE = "none"  # no record yet, so no key yet
    LOST = "lost"  # the store is reachable but has no such key
    UNAVAILABLE = "unavailable"  # the store cannot be reached or read right now
    REPLACED = "replaced"  # a key is there, but not the one the ledger lists


@dataclass(frozen=True)
class KeyStatus:
    """Where the signing key is and whether it can be used; :meth:`message` is what to show."""

    state: KeyState
    storage: KeyStorage | None
    backend: str | None = None
    key_file: Path | None = None
    fallback_reason: str | None = None  # why the key file is used instead of the keyring
    problem: str | None = None  # why the key cannot be read (state UNAVAILABLE)
    username: str | None = None
    algorithm: KeyAlgorithm | None = None
    fingerprint: str | None = None

    @property
    def usable(self) -> bool:
        return self.state == KeyState.OK

    def where(self) -> str:
        return str(self.where_text())

    def where_text(self) -> Text:
        """Where the key lives, as a sentence the UI can translate: 'keyring: Secret Service'."""
        if self.storage == KeyStorage.KEYRING:
            return Text.of(N_("keyring: {backend}"), backend=self.backend or Text.of(N_("unknown backend")))
        if self.storage == KeyStorage.FILE:
            if self.fallback_reason:
                return Text.of(N_("key file {path} (no keyring available: {reason})"), path=str(self.key_file),
                               reason=self.fallback_reason)
            return Text.of(N_("key file {path}"), path=str(self.key_file))
        return Text.of(N_("nowhere yet"))

    def message(self) -> str:
        """:meth:`text` in English (command line, JSON, logs)."""
        return str(self.text())

    def text(self) -> Text:
        """Where the key is and whether it can be used, for a person: one level of parentheses at most."""
        where = self.where_text()
        if self.state == KeyState.OK:
            return where
        if self.state == KeyState.NONE:
            return self._none_yet()
        key = Text.of(N_("the key '{name}'"), name=self.username) if self.username else Text.of(N_("the key"))
        if self.state == KeyState.LOST:
            return Text.of(N_("key lost: {key} is not in the {where}. New records cannot be signed until it is "
                              "restored or 'meeting-guard consent rekey' is run."), key=key, where=where)
        if self.state == KeyState.UNAVAILABLE:
            return Text.of(N_("key unavailable: {key} could not be read from the {where}: {problem}. New records "
                              "cannot be signed until it is restored or 'meeting-guard consent rekey' is run."),
                           key=key, where=where, problem=self.problem or "")
        return Text.of(N_("key replaced: {key} in the {where} is not the one this ledger lists. New records cannot "
                          "be signed until it is restored or 'meeting-guard consent rekey' is run."), key=key,
                       where=where)

    def _none_yet(self) -> Text:
        if self.storage == KeyStorage.KEYRING:
            return Text.of(N_("none yet; the first record creates one in the keyring ({backend})"),
                           backend=self.backend or Text.of(N_("unknown backend")))
        if self.storage == KeyStorage.FILE and self.fallback_reason:
            return Text.of(N_("none yet; the first record creates one in the key file {path}, because no keyring "
                              "is available: {reason}"), path=str(self.key_file), reason=self.fallback_reason)
        if self.storage == KeyStorage.FILE:
            return Text.of(N_("none yet; the first record creates one in the key file {path}"),
                           path=str(self.key_file))
        return Text.of(N_("none yet; the first record creates one"))

    def to_dict(self) -> dict[str, Any]:
        return {"state": str(self.state), "storage": str(self.storage) if self.storage else None,
                "backend": self.backend, "key_file": str(self.key_file) if self.key_file else None,
                "fallback_reason": self.fallback_reason, "problem": self.problem,
                "username": self.username, "algorithm": str(self.algorithm) if self.algorithm else None,
                "fingerprint": self.fingerprint, "message": self.message()}
