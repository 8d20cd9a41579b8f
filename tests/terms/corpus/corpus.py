"""Read the hand-labelled corpus of real terms-of-service version pairs (see README.md here).

The accuracy benchmark and the format test both read the corpus through this module, so the
format is defined once. It checks the labels as it reads them and raises CorpusError naming the
file and field at fault.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
PAIRS_DIR = CORPUS_DIR / "pairs"

TOPICS = frozenset(
    {
        "ai-training",
        "content-licence",
        "service-generated-data",
        "content-definition",
        "third-party-sharing",
        "retention",
        "recording-transcription",
        "biometric-voice",
        "consent-opt-out",
    }
)
KINDS = frozenset({"changed", "added", "removed", "moved", "wording-only"})
SEVERITIES = frozenset({"material", "minor", "wording-only"})
LICENCES = frozenset({"ODC-BY-1.0"})
# Held-out sets: "A" was chosen by the hash rule before any labelling; "B" was gathered and labelled blind in
# December 2026, after "A" had been read by the benchmark several times; "C" is a third blind set gathered later
# in December 2026 from providers in no other pair; "D" is a fourth blind set gathered the same way, later still;
# "E" is a fifth, gathered the same way in the night of 1-2 December 2026; "F" is a time split, gathered blind in the
# night of 2 December 2026: newer versions of documents that already have pairs (README "Held-out sets"); "H" (not
# "G", which names a development batch) is a seventh, gathered blind on the morning of 2 December 2026: half a time
# split like "F", half documents with no pair before; "I" is an eighth, gathered the same way as "H" on 2 December 2026
# (session 11), its time-split pairs newer than every other pair of their documents, "H" included; "J" is a ninth,
# gathered the same way as "I" on 2 December 2026 (session 12), its time-split pairs newer than "I"'s; "K" is a tenth,
# gathered blind on 2 December 2026 (session 14) from providers in no other pair, like "C", "D" and "E".
HELDOUT_SETS = frozenset({"A", "B", "C", "D", "E", "F", "H", "I", "J", "K"})

PAIR_FIELDS = frozenset(
    {
        "provider",
        "service",
        "document",
        "catalog",
        "heldout",
        "heldout_set",
        "summary",
        "old_effective",
        "new_effective",
        "excerpt",
        "excerpt_note",
        "formatting_changes",
    }
)
PROVENANCE_FIELDS = frozenset(
    {
        "archive",
        "repository",
        "repository_url",
        "path",
        "licence",
        "licence_url",
        "attribution",
        "old_commit",
        "new_commit",
        "old_recorded",
        "new_recorded",
        "old_snapshot",
        "new_snapshot",
        "old_sha256",
        "new_sha256",
        "checked",
    }
)
CHANGE_FIELDS = frozenset({"kind", "section", "old", "new", "topics", "severity", "rationale", "partial"})

_COMMIT = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# the snapshot(s) a commit message names: "" or space-separated snapshot addresses, then perhaps a "(note)"
_SNAPSHOT = r"(?:(?:https://|mongo://)\S+|mongo-id:[0-9a-f]{24})"
_SNAPSHOTS = re.compile(rf"{_SNAPSHOT}(?: {_SNAPSHOT})*(?: \([^()]*\))?|")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_PAIR_DIR = re.compile(r"(\d{4}-\d{2}-\d{2})__(\d{4}-\d{2}-\d{2})(?:-\d+)?")
_WHITESPACE = re.compile(r"\s+")


class CorpusError(ValueError):
    """A pair's files or labels do not follow the corpus format; the message names file and field."""


def normalise(text: str) -> str:
    """Collapse every run of whitespace (spaces, newlines, tabs, no-break spaces) to one space."""
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Change:
    """One clause-level difference between the old and the new text, as a person labelled it."""

    kind: str
    section: str
    old: str
    new: str
    topics: tuple[str, ...]
    severity: str
    rationale: str
    partial: bool

    @property
    def reportable(self) -> bool:
        """A change a user should be told about: a real change to a clause on an AI/data topic."""
        return bool(self.topics) and self.severity in ("material", "minor")


@dataclass(frozen=True)
class Provenance:
    """Where both texts come from: an archive repository's file at two commits."""

    archive: str
    repository: str
    repository_url: str
    path: str
    licence: str
    licence_url: str
    attribution: str
    old_commit: str
    new_commit: str
    old_recorded: str
    new_recorded: str
    old_snapshot: str
    new_snapshot: str
    old_sha256: str
    new_sha256: str
    checked: str


@dataclass(frozen=True)
class Pair:
    """Two consecutive recorded versions of one document, with every labelled change."""

    id: str
    directory: Path
    provider: str
    service: str
    document: str
    catalog: tuple[str, ...]
    heldout: bool
    heldout_set: str  # "A" to "F", "H" to "K" for a held-out pair, "" for a development pair
    summary: str
    old_effective: str
    new_effective: str
    excerpt: bool
    excerpt_note: str
    formatting_changes: bool
    provenance: Provenance
    changes: tuple[Change, ...]

    @property
    def old_text(self) -> str:
        return (self.directory / "old.md").read_text(encoding="utf-8")

    @property
    def new_text(self) -> str:
        return (self.directory / "new.md").read_text(encoding="utf-8")

    @property
    def heldout_by_rule(self) -> bool:
        """The held-out split rule fixed before labelling: SHA-256 of the pair id, modulo 3, is 0."""
        return int(hashlib.sha256(self.id.encode("utf-8")).hexdigest(), 16) % 3 == 0

    @property
    def negative(self) -> bool:
        """No change in this pair should be reported (markup-only or unrelated edits)."""
        return not any(change.reportable for change in self.changes)


def _require(table: dict[str, object], key: str, kind: type, where: str) -> object:
    if key not in table:
        raise CorpusError(f"{where}: missing field {key!r}")
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CorpusError(f"{where}: field {key!r} must be {kind.__name__}, not {type(value).__name__}")
    return value


def _string(table: dict[str, object], key: str, where: str, pattern: re.Pattern[str] | None = None) -> str:
    value = _require(table, key, str, where)
    assert isinstance(value, str)
    if pattern is not None and not pattern.fullmatch(value):
        raise CorpusError(f"{where}: field {key!r} = {value!r} is not of the form {pattern.pattern}")
    return value


def _flag(table: dict[str, object], key: str, where: str, default: bool | None = None) -> bool:
    if key not in table and default is not None:
        return default
    value = _require(table, key, bool, where)
    assert isinstance(value, bool)
    return value


def _unknown(table: dict[str, object], allowed: frozenset[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise CorpusError(f"{where}: unknown field(s) {', '.join(extra)}")


def _table(data: dict[str, object], key: str, where: str) -> dict[str, object]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise CorpusError(f"{where}: missing table [{key}]")
    return value


def _provenance(table: dict[str, object], where: str) -> Provenance:
    _unknown(table, PROVENANCE_FIELDS, where)
    licence = _string(table, "licence", where)
    if licence not in LICENCES:
        raise CorpusError(f"{where}: licence {licence!r} is not one of {sorted(LICENCES)}")
    return Provenance(
        archive=_string(table, "archive", where),
        repository=_string(table, "repository", where, re.compile(r"[\w.-]+/[\w.-]+")),
        repository_url=_string(table, "repository_url", where, re.compile(r"https://github\.com/[\w.-]+/[\w.-]+")),
        path=_string(table, "path", where),
        licence=licence,
        licence_url=_string(table, "licence_url", where, re.compile(r"https://\S+")),
        attribution=_string(table, "attribution", where),
        old_commit=_string(table, "old_commit", where, _COMMIT),
        new_commit=_string(table, "new_commit", where, _COMMIT),
        old_recorded=_string(table, "old_recorded", where, _TIMESTAMP),
        new_recorded=_string(table, "new_recorded", where, _TIMESTAMP),
        old_snapshot=_string(table, "old_snapshot", where, _SNAPSHOTS),
        new_snapshot=_string(table, "new_snapshot", where, _SNAPSHOTS),
        old_sha256=_string(table, "old_sha256", where, _SHA256),
        new_sha256=_string(table, "new_sha256", where, _SHA256),
        checked=_string(table, "checked", where, _DATE),
    )


def _change(table: dict[str, object], where: str) -> Change:
    _unknown(table, CHANGE_FIELDS, where)
    kind = _string(table, "kind", where)
    if kind not in KINDS:
        raise CorpusError(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
    severity = _string(table, "severity", where)
    if severity not in SEVERITIES:
        raise CorpusError(f"{where}: severity {severity!r} is not one of {sorted(SEVERITIES)}")
    topics = _require(table, "topics", list, where)
    assert isinstance(topics, list)
    for topic in topics:
        if topic not in TOPICS:
            raise CorpusError(f"{where}: topic {topic!r} is not one of {sorted(TOPICS)}")
    if len(set(topics)) != len(topics):
        raise CorpusError(f"{where}: topics repeat")
    old, new = _string(table, "old", where), _string(table, "new", where)
    if kind == "added" and (old or not new):
        raise CorpusError(f"{where}: an added clause has new wording and no old wording")
    if kind == "removed" and (new or not old):
        raise CorpusError(f"{where}: a removed clause has old wording and no new wording")
    if kind in ("changed", "moved", "wording-only") and not (old and new):
        raise CorpusError(f"{where}: a {kind} clause quotes both wordings")
    if (kind == "wording-only") != (severity == "wording-only") and kind != "moved":
        raise CorpusError(f"{where}: kind wording-only goes with severity wording-only (a moved clause may be either)")
    if severity == "material" and not topics:
        raise CorpusError(f"{where}: a material change names its AI/data topics")
    rationale = _string(table, "rationale", where)
    if not rationale.strip():
        raise CorpusError(f"{where}: rationale is empty")
    return Change(
        kind=kind,
        section=_string(table, "section", where) if "section" in table else "",
        old=old,
        new=new,
        topics=tuple(topics),
        severity=severity,
        rationale=rationale,
        partial=_flag(table, "partial", where, default=False),
    )


def _heldout_set(table: dict[str, object], heldout: bool, where: str) -> str:
    """Which held-out set a held-out pair belongs to ("A" unless it says otherwise); "" for a dev pair."""
    if "heldout_set" not in table:
        return "A" if heldout else ""
    value = _string(table, "heldout_set", where)
    if not heldout:
        raise CorpusError(f"{where}: heldout_set is only meaningful with heldout = true")
    if value not in HELDOUT_SETS:
        raise CorpusError(f"{where}: heldout_set {value!r} is not one of {sorted(HELDOUT_SETS)}")
    return value


def load_pair(directory: Path) -> Pair:
    """Read and check one pair directory (old.md, new.md, labels.toml)."""
    labels = directory / "labels.toml"
    where = str(labels.relative_to(CORPUS_DIR)) if labels.is_relative_to(CORPUS_DIR) else str(labels)
    try:
        data = tomllib.loads(labels.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CorpusError(f"{where}: cannot read labels: {error}") from error
    if data.get("schema") != 1:
        raise CorpusError(f"{where}: schema must be 1")
    _unknown(data, frozenset({"schema", "pair", "provenance", "changes"}), where)
    pair = _table(data, "pair", where)
    _unknown(pair, PAIR_FIELDS, f"{where} [pair]")
    catalog = pair.get("catalog", [])
    if not isinstance(catalog, list) or not all(isinstance(c, str) and ":" in c for c in catalog):
        raise CorpusError(f"{where} [pair]: catalog must be a list of 'provider:document' ids")
    heldout = _flag(pair, "heldout", f"{where} [pair]")
    changes = data.get("changes", [])
    if not isinstance(changes, list):
        raise CorpusError(f"{where}: [[changes]] must be an array of tables")
    return Pair(
        id=directory.relative_to(PAIRS_DIR).as_posix() if directory.is_relative_to(PAIRS_DIR) else directory.name,
        directory=directory,
        provider=_string(pair, "provider", f"{where} [pair]", re.compile(r"[a-z0-9-]+")),
        service=_string(pair, "service", f"{where} [pair]"),
        document=_string(pair, "document", f"{where} [pair]"),
        catalog=tuple(catalog),
        heldout=heldout,
        heldout_set=_heldout_set(pair, heldout, f"{where} [pair]"),
        summary=_string(pair, "summary", f"{where} [pair]"),
        old_effective=_string(pair, "old_effective", f"{where} [pair]") if "old_effective" in pair else "",
        new_effective=_string(pair, "new_effective", f"{where} [pair]") if "new_effective" in pair else "",
        excerpt=_flag(pair, "excerpt", f"{where} [pair]", default=False),
        excerpt_note=_string(pair, "excerpt_note", f"{where} [pair]") if "excerpt_note" in pair else "",
        formatting_changes=_flag(pair, "formatting_changes", f"{where} [pair]", default=False),
        provenance=_provenance(_table(data, "provenance", where), f"{where} [provenance]"),
        changes=tuple(_change(c, f"{where} [[changes]] #{i + 1}") for i, c in enumerate(changes)),
    )


def pair_directories(root: Path = PAIRS_DIR) -> list[Path]:
    """Every pair directory (one holding labels.toml), in a stable order."""
    return sorted(path.parent for path in root.glob("*/*/*/labels.toml"))


def load_corpus(root: Path = PAIRS_DIR) -> list[Pair]:
    """Every pair in the corpus, checked."""
    return [load_pair(directory) for directory in pair_directories(root)]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


MAX_TEXT_BYTES = 200_000


def problems(pair: Pair) -> list[str]:
    """What is wrong with a pair beyond its label syntax: texts, provenance and quotes."""
    found: list[str] = []
    prov = pair.provenance
    for side, expected in (("old", prov.old_sha256), ("new", prov.new_sha256)):
        path = pair.directory / f"{side}.md"
        if not path.is_file():
            found.append(f"{pair.id}: {side}.md is missing")
            continue
        if sha256_of(path) != expected:
            found.append(f"{pair.id}: {side}.md does not have the SHA-256 recorded in [provenance] {side}_sha256")
        if path.stat().st_size > MAX_TEXT_BYTES and not pair.excerpt:
            found.append(f"{pair.id}: {side}.md is over {MAX_TEXT_BYTES} bytes; keep the relevant sections (excerpt)")
    if found:
        return found
    if pair.excerpt and not pair.excerpt_note:
        found.append(f"{pair.id}: an excerpt says in excerpt_note what was kept")
    try:
        old_date, new_date = dates_in_name(pair.directory)
    except CorpusError as error:
        found.append(f"{pair.id}: {error}")
    else:
        if (old_date, new_date) != (prov.old_recorded[:10], prov.new_recorded[:10]):
            found.append(f"{pair.id}: directory name does not match old_recorded/new_recorded")
    if not prov.old_recorded < prov.new_recorded:
        found.append(f"{pair.id}: old_recorded is not before new_recorded")
    if prov.old_commit == prov.new_commit or prov.old_sha256 == prov.new_sha256:
        found.append(f"{pair.id}: the two versions are the same")
    if pair.directory.parent.parent.name != pair.provider:
        found.append(f"{pair.id}: [pair] provider {pair.provider!r} is not the directory it is in")
    old_text, new_text = normalise(pair.old_text), normalise(pair.new_text)
    seen: set[tuple[str, str]] = set()
    for number, change in enumerate(pair.changes, start=1):
        where = f"{pair.id} change #{number}"
        old, new = normalise(change.old), normalise(change.new)
        if (old, new) in seen:
            found.append(f"{where}: the same change is labelled twice")
        seen.add((old, new))
        if old and old not in old_text:
            found.append(f"{where}: old wording does not occur in old.md: {old[:80]!r}")
        if new and new not in new_text:
            found.append(f"{where}: new wording does not occur in new.md: {new[:80]!r}")
        if change.kind == "added" and new in old_text:
            found.append(f"{where}: 'added' wording already occurs in old.md")
        if change.kind == "removed" and old in new_text:
            found.append(f"{where}: 'removed' wording still occurs in new.md")
        if change.kind in ("changed", "wording-only") and old == new:
            found.append(f"{where}: old and new wording are the same")
    return found


def dates_in_name(directory: Path) -> tuple[str, str]:
    """The two recorded dates a pair directory is named for ('<old>__<new>', maybe '-2' after)."""
    match = _PAIR_DIR.fullmatch(directory.name)
    if match is None:
        raise CorpusError(f"{directory.name}: a pair directory is named <old-date>__<new-date>")
    return match.group(1), match.group(2)
