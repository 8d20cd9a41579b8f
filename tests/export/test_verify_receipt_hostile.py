"""``meeting-guard verify-export receipt-<id>.jws [--key ledger-public-key.pem]``: a consent
receipt's JWS checked as EdDSA only (audit round four). The JOSE tricks that make careless
checks pass (``alg: none``, HS256 keyed with the public key's PEM, a key in the header) and a
receipt forged with a key of one's own, carrying that key, are NOT intact with the owner's key;
without it, the check says the key is the receipt's own and prints its fingerprint to compare."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from guard.export import export_history
from guard.export.verify_export import canonical
from guard.ledger.signing import record_message
from tests.export.test_verify_export import no_ledger_here  # noqa: F401 (fixture)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@pytest.fixture
def receipts(ledger, sample, catalog, tmp_path) -> Path:
    folder = tmp_path / "receipts"
    export_history(ledger, catalog, "receipts", folder, jurisdiction="EU")
    return folder


def token_parts(receipts: Path, record_id: str) -> tuple[dict, dict, str]:
    head, payload, signature = (receipts / f"receipt-{record_id}.jws").read_text().split(".")
    return json.loads(unb64(head)), json.loads(unb64(payload)), signature


def write(receipts: Path, name: str, header: dict, payload: dict, sign) -> Path:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    path = receipts.parent / name
    path.write_text(f"{signing_input}.{b64(sign(signing_input.encode('ascii')))}")
    return path


def attacker_key() -> tuple[Ed25519PrivateKey, str, dict]:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    return private, pem, {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}


def resigned_record(payload: dict, private: Ed25519PrivateKey, **changes) -> dict:
    """The embedded ledger record changed and re-hashed, signed with the attacker's key."""
    record = dict(payload["x-meetingPrivacyGuard"]["record"])
    record.update(changes)
    content = {k: v for k, v in record.items() if k not in ("prev_hash", "hash", "signature")}
    record["hash"] = hashlib.sha256((record["prev_hash"] + canonical(content)).encode("utf-8")).hexdigest()
    record["signature"] = private.sign(record_message(record["hash"])).hex()
    return record


def test_a_genuine_receipt_is_intact_with_the_owners_key(receipts, sample, cli, no_ledger_here):  # noqa: F811
    path = receipts / f"receipt-{sample.given.id}.jws"
    run = cli("verify-export", str(path), "--key", str(receipts / "ledger-public-key.pem"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"intact: receipt {sample.given.id}" in run.stdout and "the key you gave" in run.stdout
    run = cli("verify-export", str(path))
    assert run.returncode == 0 and "the key the receipt itself carries" in run.stdout
    assert "proves nothing until the fingerprint" in run.stdout


def test_jose_tricks_and_a_forged_receipt_are_not_intact_hostile(receipts, sample, cli, no_ledger_here):  # noqa: F811
    """None of these could be checked by the app before (verify-export read JSON exports only); the
    README told readers to check a .jws "with any JOSE library and the public key"."""
    header, payload, _ = token_parts(receipts, sample.given.id)
    pem = (receipts / "ledger-public-key.pem").read_text()
    private, attacker_pem, jwk = attacker_key()
    forged = {**payload, "services": [{**payload["services"][0], "service": "anything the forger likes"}]}
    attacks = {
        "alg none": write(receipts, "none.jws", {**header, "alg": "none"}, forged, lambda _: b""),
        "HS256 keyed with the public key's PEM": write(
            receipts, "hs256.jws", {**header, "alg": "HS256"}, forged,
            lambda data: hmac.new(pem.encode("ascii"), data, hashlib.sha256).digest()),
        "the attacker's key in the header": write(receipts, "jwk.jws", {**header, "jwk": jwk}, forged, private.sign),
    }
    carried = {**forged, "publicKey": attacker_pem}
    carried["x-meetingPrivacyGuard"] = {**forged["x-meetingPrivacyGuard"],
                                        "record": resigned_record(payload, private, purposes=["anything"])}
    attacks["a receipt signed with the attacker's own key, carrying it"] = write(
        receipts, "own-key.jws", header, carried, private.sign)
    for name, path in attacks.items():
        run = cli("verify-export", str(path), "--key", str(receipts / "ledger-public-key.pem"))
        assert run.returncode == 1 and "NOT intact" in run.stdout, (name, run.stdout, run.stderr)
    for name in ("alg none", "HS256 keyed with the public key's PEM", "the attacker's key in the header"):
        run = cli("verify-export", str(attacks[name]))
        assert run.returncode == 1 and "EdDSA" in run.stdout, (name, run.stdout)
    run = cli("verify-export", str(attacks["a receipt signed with the attacker's own key, carrying it"]), "--json")
    result = json.loads(run.stdout)  # without the owner's key: only the fingerprint can tell, and it is said so
    owner = hashlib.sha256(base64.b64decode("".join(pem.splitlines()[1:-1]))[-32:]).hexdigest()
    assert result["ok"] and not result["key_given"] and result["fingerprint"] != owner
    assert any("proves nothing until the fingerprint" in note for note in result["notes"])


def test_a_receipt_edited_around_its_signature_is_not_intact_hostile(receipts, sample, cli,
                                                                     no_ledger_here):  # noqa: F811
    """The payload changed (another purpose), the header and signature kept; and a receipt whose
    embedded ledger record says something else (re-signed with the owner's key is impossible)."""
    header, payload, signature = token_parts(receipts, sample.given.id)
    edited = {**payload, "consentTimestamp": payload["consentTimestamp"] + 3600}
    path = receipts.parent / "edited.jws"
    path.write_text(f"{b64(json.dumps(header).encode())}.{b64(json.dumps(edited).encode())}.{signature}")
    run = cli("verify-export", str(path), "--key", str(receipts / "ledger-public-key.pem"))
    assert run.returncode == 1 and "signature does not verify" in run.stdout, run.stdout


@pytest.mark.parametrize("where", ["key", "receipt"])
def test_a_named_pipe_or_device_given_as_the_key_or_receipt_is_refused_not_waited_on_hostile(tmp_path, cli_process,
                                                                                               where):
    """Audit 7: '--key' was read whole before it was cut to size, so '--key /dev/zero' read until memory
    ran out and a named pipe as the key waited for ever; both are refused as not regular files."""
    import os

    pipe = tmp_path / ("key.pem" if where == "key" else "receipt.jws")
    os.mkfifo(pipe)
    receipt = tmp_path / "r.jws"
    receipt.write_text("x.y.z")
    args = ["verify-export", str(receipt), "--key", str(pipe)] if where == "key" else ["verify-export", str(pipe)]
    run = cli_process(*args, timeout=60)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "named pipe" in run.stderr or "is not a consent receipt" in run.stderr, run.stderr
    if where == "key":
        run = cli_process("verify-export", str(receipt), "--key", "/dev/zero", timeout=60)
        assert run.returncode == 2 and "character device" in run.stderr, run.stderr
