"""Export test fixtures: a real ledger in the test's own data folder (key in the key file,
through keyring's ``fail`` backend), filled through the real Ledger API with records that
exercise every field, and the real shipped catalog."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from guard.catalog import load_catalog
from guard.ledger import EvidenceItem, Ledger, Meeting, Record, RecordDraft, TermsRef, ledger_path
from guard.ledger.models import KeptMark
from guard.paths import app_paths

SCHEMAS = Path(__file__).resolve().parents[2] / "resources" / "export"
ZOOM_TERMS_SHA = "5" * 64


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@dataclass
class Sample:
    """The records of the sample ledger, by role."""

    given: Record  # zoom, later withdrawn; recorded on a German form
    refused: Record  # teams, unicode and markup in the title
    tricky: Record  # zoom: commas, quotes, newlines, pipes, a formula, evidence
    notice: Record  # an id the catalog does not know; an Arabic title
    left: Record  # google-meet, left the meeting; a Hebrew title
    whereby: Record  # a provider whose catalog entry has a full privacy contact; kept before it was signed
    withdrawal: Record  # withdraws ``given``
    correction: Record  # corrects ``refused`` to given

    @property
    def all(self) -> list[Record]:
        return sorted([self.given, self.refused, self.tricky, self.notice, self.left, self.whereby,
                       self.withdrawal, self.correction], key=lambda r: r.seq)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def ledger(app_home: Path, no_keyring) -> Iterator[Ledger]:
    with Ledger.open(ledger_path(app_paths())) as opened:
        yield opened


def fill(ledger: Ledger) -> Sample:
    terms = (TermsRef("zoom", "terms", ZOOM_TERMS_SHA, "https://explore.zoom.us/en/terms/"),)
    given = ledger.append(RecordDraft(
        "zoom", "given", occurred_at=utc(2026, 3, 2, 9, 15), feature_id="meeting-summary",
        meeting=Meeting("Quarterly planning", "https://zoom.us/j/123456", "Ada Lovelace"),
        purposes=("meeting summary", "action items"), requested_by="host", terms=terms, language="de"))
    refused = ledger.append(RecordDraft(
        "teams", "refused", occurred_at=utc(2026, 3, 10, 14, 0), feature_id="copilot",
        meeting=Meeting("Ünïcödé 会議 <script>alert(1)</script>", None, "Grace & Co"), requested_by="admin"))
    tricky = ledger.append(RecordDraft(
        "zoom", "given", occurred_at=utc(2026, 4, 1, 8, 0), feature_id="smart-recording",
        meeting=Meeting('Budget, "final"\nsecond line', "meet; id=5", None),
        purposes=("a | b", "back\\slash", "=SUM(A1:A9)"), requested_by="provider", terms=terms,
        evidence=(EvidenceItem("process", "zoom (pid 42)", utc(2026, 4, 1, 7, 59)),
                  EvidenceItem("window-title", "", utc(2026, 4, 1, 7, 59, 30))),
        note="-10 points; +1 @someone", language="pt-BR"))
    notice = ledger.append(RecordDraft("acme-notes", "notice-only", occurred_at=utc(2026, 4, 20, 16, 45),
                                       meeting=Meeting("اجتماع المورد – Vendor call")))
    left = ledger.append(RecordDraft("google-meet", "left-meeting", occurred_at=utc(2026, 5, 5, 11, 0),
                                     feature_id="take-notes-for-me", meeting=Meeting("ישיבת צוות Standup")))
    whereby = ledger.append(RecordDraft("whereby", "given", occurred_at=utc(2026, 11, 23, 8, 0),
                                        feature_id="recording-transcription", meeting=Meeting("Design review"),
                                        purposes=("transcript",), requested_by="host", language="en",
                                        kept=KeptMark(kept_at=utc(2026, 11, 23, 8, 0, 5),
                                                      why="the keyring did not answer")))
    withdrawal = ledger.withdraw(given.id, occurred_at=utc(2026, 5, 6, 10, 0), note="changed my mind")
    correction = ledger.correct(refused.id, RecordDraft("teams", "given", occurred_at=utc(2026, 5, 7, 12, 0),
                                                        feature_id="copilot", purposes=("recap",)))
    return Sample(given, refused, tricky, notice, left, whereby, withdrawal, correction)


@pytest.fixture
def sample(ledger: Ledger) -> Sample:
    return fill(ledger)


@pytest.fixture(scope="session")
def catalog():
    loaded = load_catalog()
    assert len(loaded) > 0 and not loaded.problems
    return loaded


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def no_keyring_env(**extra: str) -> dict[str, str]:
    return dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **extra)
