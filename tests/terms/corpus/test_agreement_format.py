"""The second, blind labelling (agreement/) is what bench_terms_agreement scores against the corpus, so
it must be as exact as the corpus: quotes verbatim in the pair's texts, the corpus schema, dev pairs only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.terms.corpus.agreement import (
    AGREEMENT_DIR,
    SecondLabels,
    load_agreement,
    load_second_labels,
    second_label_problems,
)
from tests.terms.corpus.corpus import CorpusError

SECOND = load_agreement()


@pytest.mark.parametrize("second", SECOND, ids=[second.pair.id for second in SECOND])
def test_second_labels_quote_the_texts_verbatim_and_follow_the_schema(second: SecondLabels) -> None:
    assert second_label_problems(second) == []
    assert second.labeller.strip()


def test_twenty_dev_pairs_with_a_spread_are_labelled_again() -> None:
    assert len(SECOND) == 20
    assert not any(second.pair.heldout for second in SECOND)
    assert len({second.pair.provider for second in SECOND}) >= 15
    assert any(second.pair.id.startswith("zoom/terms-of-service/2023-") for second in SECOND)
    assert sum(1 for second in SECOND if second.pair.negative) >= 2
    assert {path.name for path in AGREEMENT_DIR.glob("*/*/*/*")} == {"labels2.toml"}


def _copy(tmp_path: Path, pair_id: str) -> Path:
    target = tmp_path / "agreement" / pair_id / "labels2.toml"
    target.parent.mkdir(parents=True)
    shutil.copy(AGREEMENT_DIR / pair_id / "labels2.toml", target)
    return target


def test_a_quote_that_is_not_in_the_text_is_named(tmp_path: Path) -> None:
    pair_id = "telegram/privacy-policy/2024-07-15__2024-09-23"
    path = _copy(tmp_path, pair_id)
    path.write_text(path.read_text(encoding="utf-8").replace("quarterly transparency", "monthly transparency"),
                    encoding="utf-8")
    found = second_label_problems(load_second_labels(path))
    assert len(found) == 1 and "change #2: new wording does not occur in new.md" in found[0]


@pytest.mark.parametrize(("before", "after", "message"), [
    ('labelled = "2026-12-01"', 'labelled = "1 December"', "labelled"),
    ('severity = "material"', 'severity = "huge"', "severity 'huge'"),
    ('labeller = ', 'summary = "x"\nlabeller = ', "unknown"),
])
def test_schema_errors_name_the_file_and_field(tmp_path: Path, before: str, after: str, message: str) -> None:
    path = _copy(tmp_path, "telegram/privacy-policy/2024-07-15__2024-09-23")
    path.write_text(path.read_text(encoding="utf-8").replace(before, after, 1), encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as error:
        load_second_labels(path)
    assert "labels2.toml" in str(error.value)


def test_held_out_or_unknown_pairs_cannot_be_labelled_again(tmp_path: Path) -> None:
    source = AGREEMENT_DIR / "telegram/privacy-policy/2024-07-15__2024-09-23/labels2.toml"
    for pair_id, message in (("zoom/terms-of-service/2022-02-02__2022-02-23", "held out"),
                             ("nobody/terms/2020-01-01__2020-02-01", "no corpus pair")):
        target = tmp_path / "agreement" / pair_id / "labels2.toml"
        target.parent.mkdir(parents=True)
        target.write_text(source.read_text(encoding="utf-8").split("[[changes]]")[0], encoding="utf-8")
        with pytest.raises(CorpusError, match=message):
            load_second_labels(target)
