"""The peer corpora of meeting links (tests/catalog/peers/corpora.toml), split and scored.

A text is held out when ``sha256(text) % 3 == 0``: the split depends on nothing but the text, so
it was fixed before any text was run through detection and no later edit moves a case across it.
Scoring is per provider (the peer's verdict: which meeting service a text holds) and, for each
provider found, whether the link reported is one of the meeting's own links.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guard.detect.matching import DetectionRules

CORPORA = Path(__file__).parent / "peers" / "corpora.toml"


def load() -> dict[str, Any]:
    return tomllib.loads(CORPORA.read_text(encoding="utf-8"))


def batches() -> list[int]:
    """The batches the corpora's sources belong to, in order."""
    return sorted({source["batch"] for source in load()["sources"].values()})


def held_out(text: str) -> bool:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 3 == 0


@dataclass
class Score:
    texts: int = 0
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    wrong_link: int = 0  # provider right, but the link reported is not one of the meeting's
    failures: list[dict[str, Any]] = field(default_factory=list)

    def add(self, case: dict[str, Any], found: list[tuple[str, str]]) -> None:
        expected = {provider for provider, _ in case["links"]}
        links = {tuple(pair) for pair in (*case["links"], *case.get("also", ()))}
        got = {provider for provider, _ in found}
        wrong = [pair for pair in found if pair[0] in expected and tuple(pair) not in links]
        self.texts += 1
        self.true_pos += len(expected & got)
        self.false_pos += len(got - expected)
        self.false_neg += len(expected - got)
        self.wrong_link += len(wrong)
        if expected != got or wrong:
            self.failures.append({"where": case["where"], "text": case["text"][:200], "expected": sorted(expected),
                                  "found": sorted(found)})

    def figures(self) -> dict[str, Any]:
        found, wanted = self.true_pos + self.false_pos, self.true_pos + self.false_neg
        return {"texts": self.texts, "tp": self.true_pos, "fp": self.false_pos, "fn": self.false_neg,
                "wrong_link": self.wrong_link,
                "precision": round(self.true_pos / found, 3) if found else None,
                "recall": round(self.true_pos / wanted, 3) if wanted else None}


def score(rules: DetectionRules, split: str, batch: int | None = None) -> Score:
    """``split``: "dev", "heldout" or "all"; ``batch``: only the texts of the sources of that batch."""
    result = Score()
    corpora = load()
    for case in corpora["texts"]:
        if split != "all" and held_out(case["text"]) != (split == "heldout"):
            continue
        if batch is not None and corpora["sources"][case["source"]]["batch"] != batch:
            continue
        result.add(case, rules.match_urls((case["text"],)))
    return result
