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
``--lists`` reads each list item of a segment (``<li>``) with the segment's text before its first item
as its lead-in, as the app reads a list in a document (the default reads every sentence on its own, as
the figures of the rounds before the twelfth session did). OPP-115 labels a segment with what its
items say, so this checks the lead-in reading (``guard.terms.classify.lead_in_of``).
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

from guard.terms.classify import classify_text, load_rules, sentence_topics  # noqa: E402
from guard.terms.diff import sentences  # noqa: E402
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
    intro: str = ""  # with --lists: the text before the segment's first list item (the items' lead-in)
    items: tuple[str, ...] = ()  # ...and its list items, each read with that lead-in
    # each agreed label's mapped topics, its ambiguous ones and the text the annotators highlighted for it
    spans: tuple[tuple[frozenset[str], frozenset[str], str], ...] = ()


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


_LIST_ITEM = re.compile(r"<li\b[^>]{0,200}>", re.IGNORECASE)
_AFTER_COLON = re.compile(r":(?:\s*\.)+\s*$")  # the ". " _text puts for line breaks after a lead-in's colon


def _parts(raw: str) -> tuple[str, tuple[str, ...]]:
    """A segment's text before its first list item, and its list items, as the app reads a list: each
    item with the paragraph that introduces it (``guard.terms.diff.split_clauses``: its ``lead``)."""
    pieces = _LIST_ITEM.split(raw)
    intro = _AFTER_COLON.sub(":", _text(pieces[0]))  # "... as follows: <br> <br>" ends with its colon
    return intro, tuple(text for text in (_text(piece) for piece in pieces[1:]) if text)


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
        spans: dict[int, list[tuple[frozenset[str], frozenset[str], str]]] = {}
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
                highlighted = {_plain(entry["selectedText"]) for entry in (attributes or {}).values()
                               if isinstance(entry, dict) and isinstance(entry.get("selectedText"), str)}
                spans.setdefault(index, []).extend((frozenset(found), frozenset(unclear), text)
                                                   for text in highlighted if text)
        for index, part in enumerate(raw.split("|||")):
            text = _text(part)
            if text:
                mapped = frozenset(topics.get(index, set()))
                intro, items = _parts(part)
                yield Segment(policy, index, text, mapped, frozenset(ambiguous.get(index, set())) - mapped, intro,
                              items, tuple(spans.get(index, ())))


def is_dev(policy: str) -> bool:
    """Even policy ids are the development half, odd ids the check half (fixed before measuring)."""
    return int(policy.split("_", 1)[0]) % 2 == 0


def segment_topics(segment: Segment, rules: Rules, lists: bool) -> frozenset[str]:
    """The topics the classifier finds in a segment: every sentence on its own (``lists`` False, the
    figures of the rounds before the twelfth session), or each list item read with its lead-in, the
    segment's text before its first item, as the app reads a list in a document."""
    if not lists or not segment.items:
        return frozenset(classify_text(segment.text, rules))
    found = set(classify_text(segment.intro, rules)) if segment.intro else set()
    for item in segment.items:
        found.update(topic for sentence in sentences(item)
                     for topic in sentence_topics(sentence, rules, lead=segment.intro or None))
    return frozenset(found)


_COVERS = 30  # characters of one text found in the other: a highlight covers a list item


def _plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", text)).split()).casefold()


def item_labels(segment: Segment) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    """Each list item of a segment with the topics of the agreed labels whose highlighted text covers
    it (OPP-115 annotators highlight the words that state a practice, often one item of a list), and
    the topics those labels leave ambiguous."""
    found = []
    for item in segment.items:
        plain = _plain(item)
        covering = [(topics, unclear) for topics, unclear, text in segment.spans
                    if plain[:_COVERS] in text or text[:_COVERS] in plain]
        topics = frozenset(t for pair in covering for t in pair[0])
        found.append((item, topics, frozenset(t for pair in covering for t in pair[1]) - topics))
    return found


def score_items(segments: list[Segment], rules: Rules | None = None) -> dict[str, Any]:
    """Item-level figures: every list item of the segments, its topics found alone and read with its
    lead-in (the segment's text before its first item), against the labels highlighted in it."""
    rules = rules or load_rules()
    rows = [(item, gold, unclear, segment.intro) for segment in segments
            for item, gold, unclear in item_labels(segment)]
    result: dict[str, Any] = {"items": len(rows)}
    for name, with_lead in (("alone", False), ("with_lead_in", True)):
        found = [frozenset(topic for sentence in sentences(item)
                           for topic in sentence_topics(sentence, rules, lead=intro if with_lead and intro else None))
                 for item, _, _, intro in rows]
        per_topic = {}
        for topic in (*MAPPED, PURPOSES):
            counted = [(gold, got) for (_, gold, unclear, _), got in zip(rows, found, strict=True)
                       if topic not in unclear]
            right = sum(1 for gold, got in counted if topic in gold and topic in got)
            per_topic[topic] = {"precision": _ratio(right, sum(1 for _, got in counted if topic in got)),
                                "recall": _ratio(right, sum(1 for gold, _ in counted if topic in gold)),
                                "labelled": sum(1 for gold, _ in counted if topic in gold),
                                "reported": sum(1 for _, got in counted if topic in got), "right": right}
        labelled = sum(per_topic[t]["labelled"] for t in MAPPED)
        reported = sum(per_topic[t]["reported"] for t in MAPPED)
        right = sum(per_topic[t]["right"] for t in MAPPED)
        result[name] = {"micro": {"precision": _ratio(right, reported), "recall": _ratio(right, labelled)},
                        "per_topic": per_topic}
    return result


def score(segments: list[Segment], details: int, rules: Rules | None = None, lists: bool = False) -> dict[str, Any]:
    rules = rules or load_rules()
    started = time.perf_counter()
    found = [segment_topics(segment, rules, lists) for segment in segments]
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
    parser.add_argument("--lists", action="store_true",
                        help="read each list item with the text introducing its list, as the app reads a document")
    parser.add_argument("--items", action="store_true",
                        help="also print item-level figures: each list item, alone and with its lead-in")
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
            print(json.dumps({"benchmark": "terms-topics-opp115", "split": name, "lists": args.lists,
                              **score(chosen, args.details, lists=args.lists)}, ensure_ascii=False), flush=True)
            if args.items:
                print(json.dumps({"benchmark": "terms-topics-opp115-items", "split": name, **score_items(chosen)},
                                 ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
