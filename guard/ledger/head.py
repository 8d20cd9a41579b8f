"""The ledger's head: its newest record (seq and hash), signed, so deleting records from the
end or swapping in an older file shows. The same value is kept in the ledger's ``meta``
table and, outside the file, in the anchors (guard.ledger.anchor)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from guard.ledger.signing import head_message


@dataclass(frozen=True)
class SignedHead:
    """``seq``/``hash`` of the newest record, signed by ``key_id``.

    An Ed25519 head also names the digests of every record signature and every key row (see
    guard.ledger.signing), so its one signature vouches for all of them. A head written by a
    version before Ed25519 has an HMAC in ``signature`` and no digests (``legacy``).
    ``recorded_at`` is when record ``seq`` was recorded (what "rolled back" reports).
    """

    seq: int
    hash: str
    key_id: str
    signature: str
    signatures_digest: str | None = None
    keys_digest: str | None = None
    recorded_at: str | None = None

    @property
    def legacy(self) -> bool:
        return self.signatures_digest is None

    def message(self, ledger_id: str) -> bytes:
        assert self.signatures_digest is not None and self.keys_digest is not None
        return head_message(ledger_id, self.seq, self.hash, self.signatures_digest, self.keys_digest)

    def to_dict(self) -> dict[str, Any]:
        if self.legacy:  # the form older versions read and wrote
            return {"seq": self.seq, "hash": self.hash, "key_id": self.key_id, "mac": self.signature}
        return {"format": 2, **vars(self)}  # (asdict would deep-copy; every field is a str or int)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Any) -> SignedHead:
        """Read a head (either form); raises ValueError when it is damaged."""
        try:
            if "format" not in data:
                return cls(int(data["seq"]), str(data["hash"]), str(data["key_id"]), str(data["mac"]))
            return cls(int(data["seq"]), str(data["hash"]), str(data["key_id"]), str(data["signature"]),
                       str(data["signatures_digest"]), str(data["keys_digest"]),
                       None if data.get("recorded_at") is None else str(data["recorded_at"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"damaged ledger head ({error!r})") from None

    @classmethod
    def from_json(cls, text: str) -> SignedHead:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as error:
            raise ValueError(f"damaged ledger head ({error})") from None
        except RecursionError:  # a crafted head may nest arrays 100,000 deep
            raise ValueError("damaged ledger head (nested too deeply)") from None
