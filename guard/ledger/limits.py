"""What the ledger's tamper evidence can and cannot show on this computer, said plainly.

The same words go to ``consent verify``, its JSON, the settings window's Overview (through
guard.services, translated there: the sentences are marked with ``N_``) and the README. Pure:
where the key and the anchors live in, sentences out.
"""

from __future__ import annotations

from dataclasses import dataclass

from guard.i18n import N_
from guard.ledger.key_status import KeyStatus, KeyStorage

ALWAYS = (
    N_("a record edited, deleted, inserted or reordered inside the file"),
    N_("a record re-signed or added by anyone without this computer's signing key"),
)
WITH_KEYRING = (
    N_("a ledger re-signed with a key someone else made (the keyring holds the fingerprints of the keys this "
       "computer made)"),
    N_("an older copy of the ledger put back in place (rollback), and a ledger swapped for another one"),
)
ALWAYS_CANNOT = (
    N_("someone who can read your keyring (or runs programs as you) can sign records as you"),
    N_("records acknowledged in the last moments before a crash are anchored in the anchor file, but reach the "
       "keyring only when the app next writes or closes"),
)
WITHOUT_KEYRING_CANNOT = (
    N_("without a keyring, the signing key, the list of trusted keys and the newest head are all kept in files in "
       "the data folder: someone who can write to that folder can replace the key and re-sign the whole ledger, or "
       "put back an older ledger together with an older anchor file, and neither can be detected; a time stamp "
       "('meeting-guard consent timestamp') shows it only if you also keep its answer outside the data folder, "
       "since stamps kept in the ledger can be removed with it"),
)


@dataclass(frozen=True)
class TamperEvidence:
    """What verification covers where the keys live now (a value the Overview can show)."""

    keyring: str | None  # the keyring backend, or None when there is none
    key_in_file: bool  # the signing key is kept in the key file
    detects: tuple[str, ...]
    cannot_detect: tuple[str, ...]

    @property
    def full(self) -> bool:
        return self.keyring is not None and not self.key_in_file

    def to_dict(self) -> dict[str, object]:
        return {"keyring": self.keyring, "key_in_file": self.key_in_file, "full": self.full,
                "detects": list(self.detects), "cannot_detect": list(self.cannot_detect)}


def tamper_evidence(keyring_backend: str | None, status: KeyStatus | None) -> TamperEvidence:
    key_in_file = status is not None and status.storage == KeyStorage.FILE
    if keyring_backend is None:
        return TamperEvidence(None, key_in_file, ALWAYS, WITHOUT_KEYRING_CANNOT + ALWAYS_CANNOT)
    cannot: tuple[str, ...] = ALWAYS_CANNOT
    if key_in_file:
        cannot = (N_("the signing key is in the key file (the keyring refused it when it was made): anyone who can "
                    "read the data folder can sign records as you; forgery with another key and rollback are still "
                    "caught"), *cannot)
    return TamperEvidence(keyring_backend, key_in_file, ALWAYS + WITH_KEYRING, cannot)


def limits_of(keyring_backend: str | None, status: KeyStatus | None) -> tuple[str, ...]:
    """The sentences ``verify`` prints under "Cannot detect"."""
    return tamper_evidence(keyring_backend, status).cannot_detect
