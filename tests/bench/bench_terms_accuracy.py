"""Terms classifier accuracy against the hand-labelled corpus: ``python -m tests.bench.bench_terms_accuracy``.

Prints one JSON line per part of the corpus (dev, then held-out) with clause-level precision and
recall, per topic and overall (tests/terms/corpus/README.md says how the corpus was
labelled and split; the labels were written without reading the classifier or its rules).

How changes are counted. The classifier's changes that touch a topic in substance (material or
minor, not wording-only) are its *reported* changes; the corpus's *reportable* labels are those
with a topic that are material or minor. A reported change *matches* a label when one side of
each (the old or the new wording) overlaps, word for word, in most of the shorter one; a
paragraph-sized reported change may match several sentence-sized labels. Only content words
count (function words such as "the", "you", "we", "may" and numbers are dropped): counting
them let unrelated sentences of the same document match each other.

- precision: reported changes that match a reportable label / reported changes
- recall: reportable labels matched by a reported change / reportable labels
- per topic t: the same, counting only reported changes with t and labels with t (a match must
  carry t on both sides)
- severity: of matched (reported, label) pairs, how many agree on material vs minor
- zoom_2023: for each Zoom 2023 version (31 March, 27 July, 7 August, 11 August), the reportable
  labels, how many were matched with all their topics, and the reported changes that matched none

- error_classes (with ``--classes``): where each error arises, at the level of the diff first:
  (a) the diff never reports the labelled change as a change of substance (judged moved or
  wording-only, no clause change holds it: merged, split or mispaired, or the clause changed but
  the label's sentences were read as moved from elsewhere or the same in substance); (b) matching: the label
  is too short to match (under 3 content words) or a reported change overlaps a reportable label
  only in part (half or more of the shorter, under the match threshold: granularity); (c) topics:
  the diff holds the change but the classifier found no topic, judged it wording-only, missed one
  of its topics, or reported a topic where the label has none (or is wording-only) or no label is
  near. The classes are decided by word overlap, so a hand reading of the (b) cases is still due.
  ``one_sided_matches`` counts true positives that are (a) hidden by the lenient match: the
  reported change and the label share one side but their other sides differ (under 0.3 overlap),
  i.e. the diff paired the clause with the wrong counterpart or read one side of a split or merge.

Nothing here asserts; the figures are for people to read. ``--split dev`` prints the dev part only
(the held-out part is for the final figures, not for tuning the rules), ``--details`` lists misses
and false positives of the printed parts (``--classes`` adds each one's class; use both on dev
only: the held-out labels are not to be read), ``--corpus DIR`` reads another copy of the corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.terms.analysis import AnalysedChange, analyse  # noqa: E402
from guard.terms.archive_text import archive_markdown_to_text  # noqa: E402
from guard.terms.classify import WATCHED_TOPICS, load_rules  # noqa: E402
from guard.terms.rules import Rules  # noqa: E402
from guard.terms.wording import unescaped  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "terms" / "corpus"
ZOOM_2023 = {"2023-02-01__2023-04-01": "31 March", "2023-04-01__2023-07-28": "27 July",
             "2023-07-28__2023-08-07": "7 August", "2023-08-07__2023-08-11": "11 August"}
MIN_OVERLAP = 0.6
OTHER_SIDE_DIFFERS = 0.3  # a match whose other side overlaps less than this was mispaired, split or merged
PARTIAL_OVERLAP = 0.5  # a reported change this close to a label, but not matching it: granularity (class b)
_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_WORDS = re.compile(r"\w+")
FUNCTION_WORDS = frozenset((
    "a an and are as at be by for from has have if in into is it its of on or our such that the their them these this "
    "those to under we will with you your may any all other shall not no us which who than then also been being can "
    "do does each more most only own same so some there they was were what when where while i me my he she his her "
    "would could should must about after before over through both either nor but").split())


def words(text: str | None) -> Counter[str]:
    """The content words of a text, case-folded (link targets and function words dropped)."""
    if not text:
        return Counter()
    found = (word.casefold() for word in _WORDS.findall(_LINK.sub(r"\1", unescaped(text))))
    return Counter(word for word in found if word not in FUNCTION_WORDS and not word.isdigit())


def overlap(a: Counter[str], b: Counter[str]) -> float:
    """How much of the shorter text the longer one holds (0 when either is under 3 words)."""
    shorter = min(sum(a.values()), sum(b.values()))
    if shorter < 3:
        return 0.0
    return sum((a & b).values()) / shorter


@dataclass
class Label:
    pair: str
    kind: str
    section: str
    old: Counter[str]
    new: Counter[str]
    topics: frozenset[str]
    severity: str
    text: str
    matched_topics: set[str] = field(default_factory=set)
    matched: bool = False
    error_class: str | None = None


@dataclass
class Reported:
    pair: str
    change: AnalysedChange
    old: Counter[str]
    new: Counter[str]
    matches: list[Label] = field(default_factory=list)
    near: list[Label] = field(default_factory=list)  # labels it overlaps that are not reportable
    error_class: str | None = None


def matches(reported: Reported, label: Label) -> bool:
    sides = ((reported.old, label.old), (reported.new, label.new))
    return any(overlap(x, y) >= MIN_OVERLAP for x, y in sides if x and y)


def _best_overlap(a_old: Counter[str], a_new: Counter[str], b_old: Counter[str], b_new: Counter[str]) -> float:
    return max((overlap(x, y) for x, y in ((a_old, b_old), (a_new, b_new)) if x and y), default=0.0)


def _in_changed_sentences(change: AnalysedChange, label: Label) -> bool:
    """True when the sentences the analysis classified (new or gone ones) hold the label's wording."""
    added, gone = words(" ".join(change.added)), words(" ".join(change.gone))
    return max(overlap(label.new, added) if label.new and added else 0.0,
               overlap(label.old, gone) if label.old and gone else 0.0) >= MIN_OVERLAP


def classify_miss(label: Label, changes: list[tuple[AnalysedChange, Counter[str], Counter[str]]]) -> str:
    """Why a reportable label was not matched with all its topics (see the module docstring)."""
    if label.matched:
        return "c-topic-missing"
    if sum(label.old.values()) < 3 and sum(label.new.values()) < 3:
        return "b-label-too-short"
    holding = [change for change, old, new in changes if _best_overlap(old, new, label.old, label.new) >= MIN_OVERLAP]
    if not holding:
        near = any(_best_overlap(old, new, label.old, label.new) >= PARTIAL_OVERLAP for _, old, new in changes)
        return "b-partial-overlap" if near else "a-not-in-any-change"
    if all(change.diff.quiet for change in holding):
        return "a-diff-judged-moved-or-wording"
    if not any(_in_changed_sentences(change, label) for change in holding):
        return "a-sentences-judged-moved-or-same"  # the clause changed, but not the label's sentences
    if any(change.topics for change in holding):
        return "c-judged-wording-only"
    return "c-no-topic"


def one_sided(item: Reported, label: Label) -> bool:
    """True when the reported change matches the label on one side and its other side is another text."""
    if not (item.old and item.new and label.old and label.new):
        return False
    return min(overlap(item.old, label.old), overlap(item.new, label.new)) < OTHER_SIDE_DIFFERS


def classify_false_positive(item: Reported, labels: list[Label], reportable: list[Label]) -> str:
    """Why a reported change matched no reportable label (see the module docstring)."""
    if any(_best_overlap(item.old, item.new, label.old, label.new) >= MIN_OVERLAP for label in labels):
        return "c-label-without-topic-or-wording"
    if any(_best_overlap(item.old, item.new, label.old, label.new) >= PARTIAL_OVERLAP for label in reportable):
        return "b-partial-overlap"
    return "c-no-label-near"


def load_corpus(folder: Path) -> list[Any]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_loader", folder / "corpus.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"No corpus loader at {folder / 'corpus.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_loader"] = module
    spec.loader.exec_module(module)
    return list(module.load_corpus())


def counted(reported: list[Any], labels: list[Label], topics: Iterable[str]) -> dict[str, Any]:
    """Overall, per-topic and severity figures of matched reported changes (anything with
    ``.change.topics``, ``.change.severity`` and ``.matches``) against labels."""
    true_reported = sum(1 for item in reported if item.matches)
    found = sum(1 for label in labels if label.matched)
    result: dict[str, Any] = {"overall": {
        "precision": _ratio(true_reported, len(reported)), "recall": _ratio(found, len(labels)),
        "true_positives": true_reported, "false_positives": len(reported) - true_reported,
        "missed": len(labels) - found}}
    per_topic = {}
    for topic in topics:
        with_topic = [item for item in reported if topic in item.change.topics]
        right = sum(1 for item in with_topic if any(topic in label.topics for label in item.matches))
        topic_labels = [label for label in labels if topic in label.topics]
        hit = sum(1 for label in topic_labels if topic in label.matched_topics)
        per_topic[topic] = {"precision": _ratio(right, len(with_topic)), "recall": _ratio(hit, len(topic_labels)),
                            "reported": len(with_topic), "labels": len(topic_labels), "right": right, "found": hit}
    result["per_topic"] = per_topic
    agreeing = [(item, label) for item in reported for label in item.matches]
    same = sum(1 for item, label in agreeing if str(item.change.severity) == label.severity)
    result["severity_agreement"] = _ratio(same, len(agreeing))
    result["severity_counts"] = {"agree": same, "matched_pairs": len(agreeing)}
    return result


def score(pairs: list[Any], details: bool, classes: bool = False, rules: Rules | None = None) -> dict[str, Any]:
    rules = rules or load_rules()
    labels: list[Label] = []
    reported: list[Reported] = []
    seconds = 0.0
    zoom: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        started = time.perf_counter()
        changes = analyse(archive_markdown_to_text(pair.old_text), archive_markdown_to_text(pair.new_text), rules)
        seconds += time.perf_counter() - started
        pair_labels = [Label(pair.id, c.kind, c.section, words(c.old), words(c.new), frozenset(c.topics), c.severity,
                             (c.new or c.old)[:160]) for c in pair.changes]
        reportable = [label for label in pair_labels if label.topics and label.severity in ("material", "minor")]
        pair_reported = [Reported(pair.id, c, words(c.diff.old_text), words(c.diff.new_text))
                         for c in changes if c.relevant]
        for item in pair_reported:
            item.matches = [label for label in reportable if matches(item, label)]
            item.near = [label for label in pair_labels if label not in item.matches and matches(item, label)]
            for label in item.matches:
                label.matched = True
                label.matched_topics |= set(item.change.topics) & label.topics
        every = [(c, words(c.diff.old_text), words(c.diff.new_text)) for c in changes]
        for label in reportable:
            if not label.topics <= label.matched_topics:
                label.error_class = classify_miss(label, every)
        for item in pair_reported:
            if not item.matches:
                item.error_class = classify_false_positive(item, pair_labels, reportable)
        labels.extend(reportable)
        reported.extend(pair_reported)
        name = pair.id.rsplit("/", 1)[-1]
        if pair.id.startswith("zoom/terms-of-service/") and name in ZOOM_2023:
            zoom[ZOOM_2023[name]] = {
                "pair": pair.id, "reportable_labels": len(reportable),
                "matched_with_all_topics": sum(1 for label in reportable if label.topics <= label.matched_topics),
                "false_positives": sum(1 for item in pair_reported if not item.matches)}
    result: dict[str, Any] = {"pairs": len(pairs), "reportable_labels": len(labels), "reported_changes": len(reported),
                              **counted(reported, labels, WATCHED_TOPICS)}
    result["zoom_2023"] = zoom
    result["seconds_analysing"] = round(seconds, 2)
    if classes:
        errors = [label.error_class for label in labels if label.error_class and not label.matched] + [
            item.error_class for item in reported if item.error_class]  # missed labels and false positives
        unmatched = [label.error_class for label in labels if not label.matched and label.error_class]
        result["error_classes"] = {
            "missed_labels": dict(Counter(unmatched)),
            "labels_matched_without_all_topics": sum(1 for label in labels if label.error_class == "c-topic-missing"),
            "false_positives": dict(Counter(item.error_class for item in reported if item.error_class)),
            "one_sided_matches": sum(1 for item in reported if item.matches
                                     and all(one_sided(item, label) for label in item.matches)),
            "share_of_missed_and_false_positives": {
                group: _ratio(sum(1 for e in errors if e[0] == group), len(errors)) for group in "abc"}}
    if details:
        result["missed"] = [f"{'(' + str(label.error_class) + ') ' if classes else ''}"
                            f"{label.pair} [{label.kind} {label.severity} {sorted(label.topics)}] "
                            f"got {sorted(label.matched_topics)} {label.section}: {label.text}"
                            for label in labels if not label.topics <= label.matched_topics]
        result["false_positives"] = [
            f"{'(' + str(item.error_class) + ') ' if classes else ''}"
            f"{item.pair} [{item.change.diff.kind} {item.change.severity} {list(item.change.topics)}] "
            f"{item.change.diff.section}: {(item.change.diff.new_text or item.change.diff.old_text or '')[:160]}"
            + "".join(f" || labelled {label.kind} {label.severity} {sorted(label.topics)}" for label in item.near)
            for item in reported if not item.matches]
        if classes:
            result["one_sided"] = [
                f"{item.pair} [{item.change.diff.kind} {item.change.diff.score}] old: "
                f"{(item.change.diff.old_text or '')[:100]} || new: {(item.change.diff.new_text or '')[:100]}"
                for item in reported if item.matches and all(one_sided(item, label) for label in item.matches)]
        result["extra_topics"] = [
            f"{item.pair} {sorted(set(item.change.topics) - set().union(*(label.topics for label in item.matches)))} "
            f"{item.change.diff.section}: {(item.change.diff.new_text or item.change.diff.old_text or '')[:120]}"
            for item in reported if item.matches and set(item.change.topics) - set().union(
                *(label.topics for label in item.matches))]
    return result


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def added_since(corpus: Path, revision: str) -> list[str]:
    """Ids of the pairs whose labels.toml was added to ``corpus`` since the git ``revision``."""
    listed = subprocess.run(["git", "-C", str(corpus), "diff", "--name-only", "--diff-filter=A", "--relative",
                             revision, "--", "pairs"], capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        raise SystemExit(f"--since {revision}: git could not compare the corpus with it ({listed.stderr.strip()})")
    untracked = subprocess.run(["git", "-C", str(corpus), "ls-files", "--others", "--exclude-standard", "--", "pairs"],
                               capture_output=True, text=True, check=False).stdout
    paths = [line for line in (listed.stdout + untracked).splitlines() if line.endswith("/labels.toml")]
    return sorted({path.removeprefix("pairs/").removesuffix("/labels.toml") for path in paths})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--classes", action="store_true",
                        help="where the errors arise: diff (a), matching (b), topics (c)")
    parser.add_argument("--pairs", nargs="+", metavar="ID", help="only the pairs whose id starts with one of these")
    parser.add_argument("--since", metavar="REV", help="only the pairs added to the corpus since this git revision")
    args = parser.parse_args(argv)
    if not (args.corpus / "corpus.py").is_file():
        print(json.dumps({"error": f"no corpus at {args.corpus} (tests/terms/corpus is built by the corpus work)"}))
        return 0
    pairs = load_corpus(args.corpus)
    if args.pairs:
        pairs = [p for p in pairs if any(p.id == wanted or p.id.startswith(wanted.rstrip("/") + "/")
                                         for wanted in args.pairs)]
    if args.since:
        added = set(added_since(args.corpus, args.since))
        pairs = [p for p in pairs if p.id in added]
    splits = {"dev": [p for p in pairs if not p.heldout], "heldout": [p for p in pairs if p.heldout]}
    for name, chosen in splits.items():
        if args.split in (name, "both"):  # one JSON line per split, as the other benchmarks print
            figures = score(chosen, args.details, args.classes)
            print(json.dumps({"benchmark": "terms-accuracy", "split": name, **figures}, ensure_ascii=False), flush=True)
    if args.split in ("heldout", "both"):  # and one line per held-out set (A: by hash rule; B, C: gathered blind)
        sets = {p.id: getattr(p, "heldout_set", "A") for p in splits["heldout"]}  # an older corpus has only "A"
        for held_set in sorted(set(sets.values())):
            figures = score([p for p in splits["heldout"] if sets[p.id] == held_set], args.details, args.classes)
            print(json.dumps({"benchmark": "terms-accuracy", "split": f"heldout-{held_set}", **figures},
                             ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
