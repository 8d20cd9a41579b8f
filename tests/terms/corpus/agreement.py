"""Read the second, blind labelling of some dev pairs (agreement/README.md): how far two labellers agree.

Each ``agreement/<pair-id>/labels2.toml`` holds a ``labeller``, a ``labelled`` date and ``[[changes]]``
in the corpus schema (README.md here); the pair's metadata and texts are the corpus pair's. The
changes are checked exactly as the corpus's own (``_change``, then ``problems()`` on the pair with
these changes), and only development pairs (``heldout = false``) may be labelled again.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tests.terms.corpus.corpus import (
    CORPUS_DIR,
    PAIRS_DIR,
    Change,
    CorpusError,
    Pair,
    _change,
    _string,
    _unknown,
    load_pair,
    problems,
)

AGREEMENT_DIR = CORPUS_DIR / "agreement"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class SecondLabels:
    """A second labeller's changes for one corpus pair, with the pair as the corpus labels it."""

    pair: Pair
    labeller: str
    labelled: str
    changes: tuple[Change, ...]

    @property
    def as_pair(self) -> Pair:
        """The corpus pair with the second labeller's changes in place of the corpus labels."""
        return dataclasses.replace(self.pair, changes=self.changes)


def load_second_labels(path: Path, pairs_dir: Path = PAIRS_DIR) -> SecondLabels:
    """Read and check one ``labels2.toml`` (its directory under ``agreement/`` names the pair)."""
    where = str(path.relative_to(CORPUS_DIR)) if path.is_relative_to(CORPUS_DIR) else str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CorpusError(f"{where}: cannot read labels: {error}") from error
    _unknown(data, frozenset({"labeller", "labelled", "changes"}), where)
    labeller = _string(data, "labeller", where)
    labelled = _string(data, "labelled", where, _DATE)
    changes = data.get("changes", [])
    if not isinstance(changes, list):
        raise CorpusError(f"{where}: [[changes]] must be an array of tables")
    pair_id = path.parent.relative_to(path.parents[3]).as_posix()
    directory = pairs_dir / pair_id
    if not (directory / "labels.toml").is_file():
        raise CorpusError(f"{where}: no corpus pair {pair_id!r} (the directory must mirror pairs/<id>)")
    pair = load_pair(directory)
    if pair.heldout:
        raise CorpusError(f"{where}: {pair_id} is held out; only dev pairs may be labelled again")
    return SecondLabels(pair=pair, labeller=labeller, labelled=labelled,
                        changes=tuple(_change(c, f"{where} [[changes]] #{i + 1}") for i, c in enumerate(changes)))


def load_agreement(root: Path = AGREEMENT_DIR, pairs_dir: Path = PAIRS_DIR) -> list[SecondLabels]:
    """Every second labelling under ``root``, checked, in a stable order."""
    return [load_second_labels(path, pairs_dir) for path in sorted(root.glob("*/*/*/labels2.toml"))]


def second_label_problems(second: SecondLabels) -> list[str]:
    """Quotes that are not verbatim, duplicated or inconsistent with their kind (as ``problems()``)."""
    return [f"agreement/{message}" for message in problems(second.as_pair)]
