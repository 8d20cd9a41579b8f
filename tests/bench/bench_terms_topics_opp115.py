"""Topic recognition on OPP-115: ``python -m tests.bench.bench_terms_topics_opp115 [--opp115 DIR]``.

OPP-115 (Wilson et al., "The Creation and Analysis of a Website Privacy Policy Corpus", ACL 2016,
usableprivacy.org) is 115 website privacy policies cut into ~3,800 segments that law students
labelled with data-practice categories. It is an independent, expert-labelled check of whether the
classifier's topic patterns (``guard.terms.classify.classify_text``, the per-sentence topic function,
not the diff) recognise sharing, retention, choices and generated data in text they were not
written from. The dataset is "for research, teaching, and scholarship purposes only ... in the
spirit of a Creative Commons Attribution-NonCommercial License" (its readme.txt), so it is not in
this repository: point ``--opp115`` or ``OPP115_DIR`` at the ``OPP-115`` folder of a copy (one is
github.com/pmayostendorp/beforeiaccept, folder OPP-115, commit
4995bc43edc1b1cc2bc74b88af1ddbf2d7122ec1). Without it the benchmark prints a skip line.

Read: ``sanitized_policies/<id>_<site>.html`` (segments separated by ``|||``) and
``consolidation/threshold-0.75-overlap-similarity/<id>_<site>.csv`` (the labels annotators agreed on).

Mapping (a segment is about our topic when it has one of these labels):

- third-party-sharing: "Third Party Sharing/Collection" (disclosure to, or collection by, others).
- retention: "Data Retention" (how long data is kept, deleted).
- consent-opt-out: "User Choice/Control" whose choice is a data-use control (opt-in, opt-out link or
  by contacting the company, browser/device, first- or third-party privacy controls, other); not
  when every such label is only "don't use the service" or only about marketing messages (our rules
  deliberately leave marketing e-mail opt-outs out). Segments with only those choices are left out
  of the consent-opt-out figures (neither positive nor negative).
- service-generated-data: any label whose "Personal Information Type" is data the service records
  about its use (computer information, cookies and tracking elements, IP address and device IDs,
  location, user online activities).

- content-licence (printed per topic, outside the micro figures, which stay over the four topics
  above): "First Party Collection/Use" that states a purpose ("Purpose" other than "Unspecified",
  including "Does Not" statements): a stated purpose for which the provider uses personal data is a
  permitted use (tests/terms/corpus/README.md, the topic table). A segment whose only collection
  labels state no purpose ("we collect your e-mail address") is left out of the content-licence
  figures: collection alone is neither a stated use nor clearly not one. OPP-115 has no licence
  category, so grants over uploaded content are not checked here.

Not mapped: ai-training, recording-transcription,
biometric-voice, content-definition (no counterpart). OPP-115's consolidated labels miss some
practices a segment states, so precision here is a lower bound.

Split: policies whose numeric id is even are *dev* (rules may be read against them), odd ids are the
*check* half (figures only). The split was fixed in this file before any figure was read.
Nothing here asserts; ``--split dev|check|both``; ``--details N`` prints up to N misses and false
alarms per topic of the printed split (never use it on the check half when widening rules).
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.terms.classify import classify_text, load_rules  # noqa: E402
from guard.terms.rules import Rules  # noqa: E402

CONSOLIDATED = Path("consolidation") / "threshold-0.75-overlap-similarity"
POLICIES = Path("sanitized_policies")
MAPPED = ("third-party-sharing", "retention", "consent-opt-out", "service-generated-data")
PURPOSES = "content-licence"  # First Party Collection/Use with a stated purpose; not in the micro figures
FIRST_PARTY_USE = "First Party Collection/Use"
GENERATED_TYPES = frozenset({"Computer information", "Cookies and tracking elements", "IP address and device IDs",
                             "Location", "User online activities"})
NOT_A_DATA_CHOICE = frozenset({"Don't use service/feature"})
_TAG = re.compile(r"<[^>]{0,200}>")
_ITEM = re.compile(r"<li>|<br>", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    policy: str
    index: int
    text: str
    topics: frozenset[str]  # our topics its OPP-115 labels map to
    ignored: frozenset[str]  # topics this segment is left out of (ambiguous mapping)


def _value(attributes: dict[str, Any], key: str) -> str | None:
    entry = attributes.get(key)
    return str(entry.get("value")) if isinstance(entry, dict) and entry.get("value") is not None else None


def _mapped(category: str, attributes: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Our topics an OPP-115 label says the segment is about, and topics it makes ambiguous."""
    topics: set[str] = set()
    ambiguous: set[str] = set()
    if category == "Third Party Sharing/Collection":
        topics.add("third-party-sharing")
    elif category == "Data Retention":
        topics.add("retention")
    elif category == "User Choice/Control":
        choice = _value(attributes, "Choice Type") or "Unspecified"
        purpose = _value(attributes, "Purpose") or "Unspecified"
        if choice in NOT_A_DATA_CHOICE or purpose == "Marketing":
            ambiguous.add("consent-opt-out")
        else:
            topics.add("consent-opt-out")
    elif category == FIRST_PARTY_USE:
        if (_value(attributes, "Purpose") or "Unspecified") == "Unspecified":
            ambiguous.add(PURPOSES)
        else:
            topics.add(PURPOSES)
    if _value(attributes, "Personal Information Type") in GENERATED_TYPES:
        topics.add("service-generated-data")
    return topics, ambiguous


def _text(raw: str) -> str:
    """A segment's plain text; list items and line breaks end a sentence."""
    text = html.unescape(_TAG.sub(" ", _ITEM.sub(". ", raw)))
    return " ".join(text.split())


def load(folder: Path) -> Iterator[Segment]:
    for labels_file in sorted((folder / CONSOLIDATED).glob("*.csv")):
        policy = labels_file.stem
        raw = (folder / POLICIES / f"{policy}.html").read_text(encoding="utf-8", errors="replace")
        topics: dict[int, set[str]] = {}
        ambiguous: dict[int, set[str]] = {}
        with labels_file.open(encoding="utf-8", errors="replace", newline="") as handle:
            for row in csv.reader(handle):
                if len(row) < 7:
                    continue
                try:
                    index, attributes = int(row[4]), json.loads(row[6])
                except (ValueError, json.JSONDecodeError):
                    continue
                found, unclear = _mapped(row[5], attributes if isinstance(attributes, dict) else {})
                topics.setdefault(index, set()).update(found)
                ambiguous.setdefault(index, set()).update(unclear)
        for index, part in enumerate(raw.split("|||")):
            text = _text(part)
            if text:
                mapped = frozenset(topics.get(index, set()))
                yield Segment(policy, index, text, mapped, frozenset(ambiguous.get(index, set())) - mapped)


def is_dev(policy: str) -> bool:
    """Even policy ids are the development half, odd ids the check half (fixed before measuring)."""
    return int(policy.split("_", 1)[0]) % 2 == 0


def score(segments: list[Segment], details: int, rules: Rules | None = None) -> dict[str, Any]:
    rules = rules or load_rules()
    started = time.perf_counter()
    found = [frozenset(classify_text(segment.text, rules)) for segment in segments]
    seconds = time.perf_counter() - started
    per_topic: dict[str, Any] = {}
    for topic in (*MAPPED, PURPOSES):
        counted = [(s, f) for s, f in zip(segments, found, strict=True) if topic not in s.ignored]
        labelled = sum(1 for s, _ in counted if topic in s.topics)
        reported = sum(1 for _, f in counted if topic in f)
        right = sum(1 for s, f in counted if topic in s.topics and topic in f)
        entry: dict[str, Any] = {"precision": _ratio(right, reported), "recall": _ratio(right, labelled),
                                 "labelled": labelled, "reported": reported, "right": right}
        if details:
            entry["missed"] = [s.text[:300] for s, f in counted if topic in s.topics and topic not in f][:details]
            entry["false_alarms"] = [s.text[:300] for s, f in counted
                                     if topic in f and topic not in s.topics][:details]
        per_topic[topic] = entry
    labelled_all = sum(per_topic[t]["labelled"] for t in MAPPED)
    right_all = sum(per_topic[t]["right"] for t in MAPPED)
    reported_all = sum(per_topic[t]["reported"] for t in MAPPED)
    return {"policies": len({s.policy for s in segments}), "segments": len(segments),
            "micro": {"precision": _ratio(right_all, reported_all), "recall": _ratio(right_all, labelled_all)},
            "per_topic": per_topic, "seconds_classifying": round(seconds, 2)}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opp115", type=Path, default=Path(os.environ["OPP115_DIR"]) if os.environ.get("OPP115_DIR")
                        else None, help="the OPP-115 folder (default: $OPP115_DIR)")
    parser.add_argument("--split", choices=("dev", "check", "both"), default="both")
    parser.add_argument("--details", type=int, default=0)
    args = parser.parse_args(argv)
    folder: Path | None = args.opp115
    if folder is None or not (folder / CONSOLIDATED).is_dir() or not (folder / POLICIES).is_dir():
        print(json.dumps({"benchmark": "terms-topics-opp115", "skipped": "no OPP-115 copy: pass --opp115 DIR or set "
                          "OPP115_DIR to a folder holding consolidation/ and sanitized_policies/"}))
        return 0
    segments = list(load(folder))
    for name in ("dev", "check"):
        if args.split in (name, "both"):
            chosen = [s for s in segments if is_dev(s.policy) == (name == "dev")]
            print(json.dumps({"benchmark": "terms-topics-opp115", "split": name, **score(chosen, args.details)},
                             ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
