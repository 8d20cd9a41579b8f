"""``meeting-guard verify-export FILE``: check a JSON export with nothing but the file (no
ledger, no keyring, no network): every record's hash and signature, the chain and the signed
head. Exit 0 when intact, 1 when something was changed (the first changed record is named),
2 when the file is not an export."""

from __future__ import annotations

import argparse
from pathlib import Path

from guard.cli.context import CliContext
from guard.cli.status import ExitStatus

# The JSON export of a ledger of 100,000 decisions (the export benchmark's records: a generous
# lifetime of meetings) is 249 MB, 2.5 KB a record, and checking it peaks at 0.75 GB of memory, the records
# read one at a time (measured 2026-12-02; 1.6 GB parsed whole). About twice that, and no more, is read: a
# file laid out otherwise is still parsed whole, at 6.7 times the file.
MAX_BYTES = 512 * 1024**2
TWICE_BIG_LEDGER = 200_000  # records of about 2.5 KB that MAX_BYTES holds


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Check a consent history exported as JSON (meeting-guard consent export --format json) "
                          "using the file alone: every record's hash and Ed25519 signature with the public keys it "
                          "carries, the chain, and the signed head. Prints the keys' fingerprints: compare them "
                          "with the ones the ledger's owner reads from 'meeting-guard consent verify'. Exit 0 when "
                          "intact, 1 when something was changed (the first changed record is named). An export "
                          "nothing signed vouches for (format 1, or a ledger with only HMAC keys) gets the checks it "
                          "can carry, its hashes and chain, and exits 1 as 'NOT verifiable (not signed), "
                          "consistent'.")
    parser.add_argument("file", metavar="FILE", help="the JSON export, or a consent receipt's .jws, to check")
    parser.add_argument("--key", metavar="PEM", help="a receipt only: the ledger owner's public key "
                        "(ledger-public-key.pem, its fingerprint confirmed with the owner) to check it with")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    import orjson

    from guard.export.errors import ExportError
    from guard.export.lazy_records import read_export
    from guard.export.verify_export import ExportFormatError, verify_export
    from guard.fsutil import NotRegularFile, read_regular

    path = Path(args.file).expanduser()
    if path.suffix.lower() == ".jws" or args.key:
        return _receipt(path, args, ctx)
    try:
        if path.is_dir():
            raise ExportError(f"{path} is a folder. A receipts export is checked one receipt at a time: "
                              f"meeting-guard verify-export {path / 'receipt-ID.jws'} "
                              f"--key {path / 'ledger-public-key.pem'}")
        if not path.exists():
            raise ExportError(f"{path} is not a file; give the JSON export to check.")
        data = b""
        too_big = path.stat().st_size > MAX_BYTES  # said before anything is read
        if not too_big:
            try:  # the read stops at MAX_BYTES + 1 bytes should the file grow meanwhile (or never end)
                data = read_regular(path, MAX_BYTES)[0]
            except NotRegularFile as error:
                raise ExportError(f"{path} {error}; give the JSON export to check.") from None
        if too_big or len(data) > MAX_BYTES:
            raise ExportError(
                f"{path} is larger than {MAX_BYTES // 1024**2} MB, more than the JSON export of a ledger of "
                f"{TWICE_BIG_LEDGER:,} decisions, so it is not checked (it would take several GB of memory). If it "
                "is a real export, ask its owner for exports of shorter periods ('consent export --format json "
                "--from DATE --to DATE') and check each.")
        other = other_export(data)
        if other:
            raise ExportError(f"{path} is {other}; only the JSON export ('consent export --format json') and a "
                              "consent receipt's .jws carry the signatures this checks.")
        document = read_export(data)  # records read one at a time: bounded memory (guard.export.lazy_records)
        check = verify_export(document, raw=data)
    except OSError as error:
        raise ExportError(f"Cannot read {path}: {error.strerror or error}.") from None
    except orjson.JSONDecodeError as error:
        raise ExportError(f"{path} is not JSON ({error}); give a file written by 'consent export --format json'.") \
            from None
    except ExportFormatError as error:
        raise ExportError(f"{path}: {error}.") from None
    if args.json:
        ctx.print_json({"file": str(path), **check.to_dict()})
    else:
        ctx.print(f"{path}: {check.summary()}")
        for problem in check.problems[1:]:
            ctx.print(f"  also: {problem}")
        for key_id, fingerprint in check.fingerprints.items():
            ctx.print(f"  key {key_id}: Ed25519, fingerprint {fingerprint}")
        for note in check.notes:
            ctx.print(f"  note: {note}")
    return ExitStatus.OK if check.ok else ExitStatus.CHECK_FAILED


def other_export(data: bytes) -> str | None:
    """What else the file is, when it is one of the other exports (or not text at all), said for a
    person: a PDF, HTML or CSV export is for reading and carries no signatures to check."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return "a PDF (the PDF export is for reading and printing)"
    if head.startswith(b"pk\x03\x04"):
        return ("a .zip file (a receipts export? unzip it and check each receipt-ID.jws with "
                "--key ledger-public-key.pem)")
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page (the HTML export is for reading and printing)"
    if head.startswith((b"id,seq,", b'"id","seq",')):
        return "a CSV table (the CSV export is for spreadsheets)"
    return None


RECEIPT_BYTES = 4 * 1024 * 1024  # a receipt is a few kilobytes


def _receipt(path: Path, args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    """A consent receipt's JWS, checked as EdDSA only, with the key given or the one it carries."""
    from guard.export.errors import ExportError
    from guard.export.verify_export import ExportFormatError
    from guard.export.verify_receipt import public_key_from_pem, verify_receipt

    from guard.fsutil import NotRegularFile, read_regular

    key = None
    try:
        if args.key:
            key_path = Path(args.key).expanduser()
            try:  # a regular file only, read up to its cap: --key /dev/zero or a named pipe must not hang
                pem, _info = read_regular(key_path, RECEIPT_BYTES)
                key = public_key_from_pem(pem[:RECEIPT_BYTES])
            except NotRegularFile as error:
                raise ExportError(f"{key_path} {error}; give the ledger-public-key.pem of a receipts export.") \
                    from None
            except ValueError as error:
                raise ExportError(f"{key_path}: {error}; give the ledger-public-key.pem of a receipts export.") \
                    from None
        try:
            data: bytes | None = read_regular(path, RECEIPT_BYTES)[0]
        except NotRegularFile:
            data = None
        if data is None or len(data) > RECEIPT_BYTES:
            raise ExportError(f"{path} is not a consent receipt (.jws) file of at most {RECEIPT_BYTES} bytes.")
        check = verify_receipt(data.decode("ascii", errors="replace"), key)
    except OSError as error:
        raise ExportError(f"Cannot read {error.filename or path}: {error.strerror or error}.") from None
    except ExportFormatError as error:
        raise ExportError(f"{path}: {error}.") from None
    if args.json:
        ctx.print_json({"file": str(path), **check.to_dict()})
    else:
        ctx.print(f"{path}: {check.summary()}")
        if check.fingerprint:
            ctx.print(f"  key {check.key_id}: Ed25519, fingerprint {check.fingerprint}")
        for note in check.notes:
            ctx.print(f"  note: {note}")
    return ExitStatus.OK if check.ok else ExitStatus.CHECK_FAILED
