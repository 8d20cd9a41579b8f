"""What an export may say about the ledger's check: the outcome and the first problem, without
anything that identifies the user's computer (the ledger's path, the key file's path, the
keyring entry's name, the user's name). Exports are handed to providers and regulators."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from guard.i18n import N_
from guard.ledger import VerifyReport

# What a key problem means, without saying where the key lives.
KEY_WORDS = {
    "key-lost": N_("the signing key is lost, so the signatures could not be checked (the hash chain was)"),
    "key-unavailable": N_("the signing key could not be read, so the signatures could not be checked (the hash "
                          "chain was)"),
    "key-replaced": N_("the signing key is not the one that signed this ledger"),
}


def scrub(text: str, ledger_path: str | None = None) -> str:
    """``text`` with the ledger's folder, the home folder and the user's name replaced: a
    message about a file may name its path."""
    if ledger_path:
        folder = str(Path(ledger_path).parent)
        text = text.replace(ledger_path, "<ledger>")
        if len(folder) > 1:
            text = text.replace(folder, "<data folder>")
    home = str(Path.home())
    if len(home) > 1:
        text = text.replace(home, "~")
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    for name in {user, os.environ.get("USER", ""), os.environ.get("USERNAME", "")}:
        if len(name) >= 3:
            text = text.replace(f"/{name}/", "/<user>/").replace(f"\\{name}\\", "\\<user>\\")
    return text


def public_summary(report: VerifyReport) -> str:
    """The check's outcome in a sentence, fit to hand to someone else."""
    if report.problem is not None:
        where = f"seq {report.problem.seq}" if report.problem.seq is not None else "file"
        return scrub(f"NOT intact: {report.problem.kind} at {where}: {report.problem.message}", report.path)
    if report.key_problem is not None:
        words = KEY_WORDS.get(str(report.key_problem.kind), str(report.key_problem.kind))
        if str(report.key_problem.kind) == "key-replaced":
            return f"NOT intact: {words}"
        if report.count and report.records_vouched == report.count:
            return (f"records intact: {report.count} records verified with the public keys anchored outside the "
                    f"ledger file; but {words}")
        return f"NOT verified: hash chain intact ({report.count} records), but {words}"
    if report.count == 0:
        return "intact: no records yet"
    return (f"intact: {report.count} records, head seq {report.head_seq} hash {report.head_hash}; signatures "
            "checked with the public keys anchored outside the ledger file")


def public_verification(report: VerifyReport) -> dict[str, Any]:
    """The check as an export carries it (see :func:`public_summary`)."""
    problem = report.problem
    key_problem = report.key_problem
    return {
        "ok": report.ok, "chain_intact": report.chain_intact, "count": report.count,
        "head_seq": report.head_seq, "head_hash": report.head_hash, "signatures_checked": report.signatures_checked,
        "records_vouched": report.records_vouched,
        "problem": {"kind": str(problem.kind), "seq": problem.seq, "message": scrub(problem.message, report.path)}
        if problem else None,
        "key_problem": {"kind": str(key_problem.kind), "seq": key_problem.seq,
                        "message": KEY_WORDS.get(str(key_problem.kind), str(key_problem.kind))}
        if key_problem else None,
        "summary": public_summary(report),
    }
