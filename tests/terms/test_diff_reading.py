"""``meeting-guard terms diff`` read as a lawyer reads it: a clause rewritten from scratch shows
both wordings whole (word marks between two different texts only scatter brackets over
punctuation), a moved clause is shown once with where it was, a change of no watched topic is not
called "minor", and a page's huge clause is cut with how much more there is. Texts written here
in the shape of terms of service (no provider's words)."""

from __future__ import annotations

import json

from guard.cli.terms_cmd import SHOWN_CHARS
from tests.terms.support.two_versions import store_two_versions

REWRITTEN_OLD = ("1.2 IMPORTANT: READ CAREFULLY. YOUR USE OF THE SERVICE OF EXAMPLE LTD AND ITS AFFILIATES IS "
                 "CONDITIONED UPON YOUR ACCEPTANCE OF THESE TERMS.")
REWRITTEN_NEW = ("1.2 We may provide the service through Example Ltd, its affiliates, or both. You may only use the "
                 "service under these terms.")
OLD = f"""# Terms of Service

## 1. Accounts

1.1 You must keep your password secret and tell us at once if someone else uses your account.

{REWRITTEN_OLD}

## 2. Payment

2.1 Fees are charged monthly in advance and are not refundable.

2.2 We may change our prices with thirty days notice.
"""
NEW = f"""# Terms of Service

## 1. Accounts

1.1 You must keep your password secret and tell us at once if someone else uses your account.

{REWRITTEN_NEW}

## 2. Payment

2.2 We may change our prices with thirty days notice.

2.1 Fees are charged monthly in advance and are not refundable.
"""


def test_a_rewritten_clause_shows_both_wordings_whole_and_no_topic_is_not_called_minor(cli, app_home) -> None:  # type: ignore[no-untyped-def]
    store_two_versions(OLD, NEW)
    result = cli("terms", "diff", "acme", "terms")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Section 1.2: changed"))
    assert lines[at] == "Section 1.2: changed, not about AI training or data use"
    assert lines[at + 1] == "  (rewritten: both wordings whole, not marked word by word)"
    assert lines[at + 2] == f"  before: {REWRITTEN_OLD}"
    assert lines[at + 3] == f"  after:  {REWRITTEN_NEW}"


def test_a_moved_clause_is_shown_once(cli, app_home) -> None:  # type: ignore[no-untyped-def]
    store_two_versions(OLD, NEW)
    lines = cli("terms", "diff", "acme", "terms", "--all").stdout.splitlines()
    moved = [i for i, line in enumerate(lines) if ": moved, " in line]
    assert moved
    for at in moved:
        assert lines[at + 1].startswith("  moved, unchanged: 2.")
        assert not any(line.startswith(("  before:", "  after:")) for line in lines[at + 2:at + 3])


def test_a_huge_clause_is_cut_saying_how_much_more_there_is(cli, app_home) -> None:  # type: ignore[no-untyped-def]
    huge = "2.3 " + "We may keep your data. " * 2_000
    store_two_versions(OLD, OLD + "\n" + huge + "\n")
    lines = cli("terms", "diff", "acme", "terms").stdout.splitlines()
    (after,) = [line for line in lines if line.startswith("  after:  2.3 We may keep")]
    data = json.loads(cli("terms", "diff", "acme", "terms", "--json").stdout)
    (whole,) = [c["new"] for c in data["changes"] if c["new"] and c["new"].startswith("2.3 We may keep")]
    more = len(whole) - SHOWN_CHARS
    assert more > 20_000 and after.endswith(f"… [{more:,} more characters; --json gives the whole text]")
    assert len(after) < SHOWN_CHARS + 200
