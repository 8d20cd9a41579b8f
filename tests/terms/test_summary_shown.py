"""Where a terms change's summary is shown, it is said in the language in use: the catalogs
translate every template and rules phrase (msgfmt agrees), the classifier hands the summary over
as values, and the tray's notice says it in German with Zoom's English words."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guard.events import TermsChanged
from guard.i18n import LANGUAGES, SOURCE_LANGUAGE
from guard.presentation import i18n
from guard.presentation.notices import terms_notice
from guard.presentation.terms_summary import change_words
from guard.terms.analysis import analyse
from guard.terms.rules import load_rules
from guard.terms.summary_words import DATA_PHRASES, LIMIT_PHRASES, USE_PHRASES
from tests.i18n.catalogs import extract, po_path, read
from tests.support.catalogs import write_catalog_for_tests

PAIR = Path(__file__).parent / "corpus" / "pairs" / "zoom" / "terms-of-service" / "2023-02-01__2023-04-01"
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
# Templates a language may write as English does (the same words or signs).
SAME_AS_ENGLISH = {"{subject} {moves}.", "{label}: {value}"}


@pytest.fixture(scope="module")
def zoom_march_2023():  # type: ignore[no-untyped-def]
    return analyse((PAIR / "old.md").read_text(encoding="utf-8"), (PAIR / "new.md").read_text(encoding="utf-8"),
                   load_rules())


@pytest.fixture
def german():  # type: ignore[no-untyped-def]
    i18n.use_language("de")
    yield
    i18n.use_language("en")


def test_every_phrase_of_the_rules_is_marked_for_translation() -> None:
    """A [[use]], [[data]] or [[limit]] added to resources/terms/topics.toml needs its phrase in
    guard/terms/summary_words.py (and the catalogs: python -m tests.i18n.catalogs update)."""
    rules = load_rules()
    assert {rule.phrase for rule in rules.uses} <= set(USE_PHRASES)
    assert {rule.phrase for rule in rules.data} <= set(DATA_PHRASES)
    assert {rule.phrase for rule in rules.limits} <= set(LIMIT_PHRASES)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", TRANSLATED)
def test_msgfmt_checks_each_catalog_and_no_summary_template_is_left_in_english(language: str) -> None:
    checked = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_path(language))],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "untranslated" not in checked.stderr and "fuzzy" not in checked.stderr, checked.stderr
    catalog = read(language)
    summary_messages = [m for m in extract(("guard/terms/summary_words.py",)) if m.id]
    assert len(summary_messages) > 50
    left = []
    for message in summary_messages:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        found = catalog.get(key, context=message.context)
        strings = found.string if found is not None and isinstance(found.string, tuple) else (
            (found.string,) if found is not None else ("",))
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        if not all(strings) or (key not in SAME_AS_ENGLISH and set(strings) & set(english)):
            left.append((message.context, key, strings))
    assert not left, left


def test_the_classifier_hands_the_summary_over_as_values(zoom_march_2023) -> None:  # type: ignore[no-untyped-def]
    summarised = [change for change in zoom_march_2023 if change.summary]
    assert len(summarised) >= 5
    for change in summarised:
        assert change.said is not None and change.to_clause_change().said == change.said
        assert change.to_dict()["summary_parts"]["kind"] == str(change.diff.kind)
    assert all(change.said is None for change in zoom_march_2023 if not change.summary)


def test_the_tray_notice_says_a_terms_change_in_german_with_zooms_words(zoom_march_2023, german,  # type: ignore[no-untyped-def]
                                                                       tmp_path: Path) -> None:
    removed = next(c for c in zoom_march_2023 if c.summary and c.diff.kind == "removed" and c.material)
    event = TermsChanged(provider_id="zoom", at=datetime(2026, 12, 1, tzinfo=UTC), document_id="terms",
                         new_sha256="ab" * 32, changes=(removed.to_clause_change(),))
    notice = terms_notice(event, write_catalog_for_tests(tmp_path))
    assert "wurde entfernt" in notice.body and "nicht mehr" in notice.body
    assert removed.said is not None and removed.said.before is not None
    assert "„" + removed.said.before[:60] in notice.body  # Zoom's English, in German quotation marks
    assert "was removed" not in notice.body


def test_a_change_without_values_shows_its_english_text(zoom_march_2023, german) -> None:  # type: ignore[no-untyped-def]
    """A change made by an older version of the app (or another producer) keeps its words."""
    from dataclasses import replace

    change = next(c for c in zoom_march_2023 if c.summary).to_clause_change()
    assert change_words(replace(change, said=None)) == change.summary
    assert change_words(change) != change.summary  # the same change, said in German
