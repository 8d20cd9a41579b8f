"""Realistic data for the settings window's tests, screenshots and benchmark, written through
the real APIs: consent records across the catalog's providers (``append_many``, then real
withdrawals), and real Zoom terms texts (tests/terms/fixtures) stored as fetched versions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from guard.catalog.loader import Catalog
from guard.events import Signal
from guard.ledger import Decision, EvidenceItem, Ledger, Meeting, Record, RecordDraft, RequestedBy
from guard.terms.models import FetchRecord, FetchResult, HttpMeta
from guard.terms.store import TermsStore
from guard.terms_in_force import terms_in_force
from tests.terms.support.baselines import canonical
from tests.terms.support.pages import fixture_text

TITLES = ("Weekly team sync", "Quarterly planning", "Customer onboarding call", "1:1 with Sam", "Design review",
          "All-hands", "Interview: backend engineer", "Board prep", "Sprint retrospective", "Vendor demo",
          "Support escalation", "Project kickoff", "Budget review", "Parents' evening", "Book club")
ORGANISERS = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", None, None)
NOTES = ("Host turned on the AI summary at the start.", "Asked the host to stop the recording.",
         "Banner said the meeting is transcribed.", "Note-taker bot joined uninvited.", None, None, None, None)
# Withdrawals are made with Ledger.withdraw (linked to the consent they withdraw), not drawn here.
DECISIONS = ((Decision.GIVEN, 45), (Decision.REFUSED, 20), (Decision.NOTICE_ONLY, 25), (Decision.LEFT_MEETING, 10))

MARCH_2023 = "zoom/tos-2023-03-section10.quoted.md"
AUG_07_2023 = "zoom/tos-2023-08-07-section10.quoted.md"
TOS_2020 = "zoom/tos-2020-08-20.ota.md"
TOS_2023 = "zoom/tos-2023-08-11.ota.md"


def sample_drafts(catalog: Catalog, count: int, *, seed: int = 7, end: datetime | None = None,
                  days: int = 420, terms: dict[str, tuple] | None = None) -> list[RecordDraft]:
    """``count`` plausible decisions over the ``days`` before ``end``, oldest first."""
    rng = random.Random(seed)
    end = end or datetime.now(UTC)
    providers = [p for p in catalog if p.ai_features]
    weights = [5 if p.id in ("zoom", "teams", "google-meet") else 1 for p in providers]
    decisions, decision_weights = zip(*DECISIONS, strict=True)
    moments = sorted(end - timedelta(minutes=rng.randrange(days * 24 * 60)) for _ in range(count))
    drafts = []
    for moment in moments:
        provider = rng.choices(providers, weights)[0]
        feature = rng.choice(provider.ai_features)
        title = rng.choice(TITLES)
        evidence = ()
        if rng.random() < 0.5:
            evidence = (EvidenceItem(str(Signal.WINDOW_TITLE), f"window '{provider.name} Meeting'", moment),)
        drafts.append(RecordDraft(
            provider_id=provider.id, decision=rng.choices(decisions, decision_weights)[0], occurred_at=moment,
            feature_id=feature.id,
            meeting=Meeting(title, f"https://{provider.id}.example/j/{rng.randrange(10**9, 10**10)}",
                            rng.choice(ORGANISERS)),
            purposes=(feature.name,), requested_by=rng.choice((RequestedBy.HOST, RequestedBy.HOST, RequestedBy.ADMIN)),
            terms=(terms or {}).get(provider.id, ()), evidence=evidence, note=rng.choice(NOTES),
        ))
    return drafts


def fill_ledger(ledger: Ledger, catalog: Catalog, store: TermsStore | None, count: int, *, seed: int = 7,
                withdrawals: int = 0, batch: int = 5000) -> list[Record]:
    """Append ``count`` records (in batches), then withdraw ``withdrawals`` of the consents given."""
    terms = {p.id: terms_in_force(catalog, store, p.id) for p in catalog} if store is not None else None
    drafts = sample_drafts(catalog, count, seed=seed, terms=terms)
    records: list[Record] = []
    for start in range(0, len(drafts), batch):
        records += ledger.append_many(drafts[start:start + batch])
    given = [r for r in records if r.decision == Decision.GIVEN]
    for record in random.Random(seed).sample(given, min(withdrawals, len(given))):
        records.append(ledger.withdraw(record.id, note="Changed my mind after reading the new terms.",
                                       occurred_at=record.occurred_at + timedelta(days=3)))
    return records


def store_zoom_versions(store: TermsStore, old: str = MARCH_2023, new: str = AUG_07_2023,
                        old_at: datetime = datetime(2023, 3, 31, 9, tzinfo=UTC),
                        new_at: datetime = datetime(2023, 8, 7, 9, tzinfo=UTC),
                        with_log: bool = False) -> tuple[str, str]:
    """Two real Zoom texts as fetched versions of zoom/terms; returns their SHA-256s."""
    shas = []
    for name, at in ((old, old_at), (new, new_at)):
        text = canonical(fixture_text(name))
        version, _ = store.record_version("zoom", "terms", text, "https://zoom.us/terms",
                                          HttpMeta(200, None, None, "text/html; charset=utf-8",
                                                   "https://www.zoom.com/en/trust/terms/"), at)
        shas.append(version.sha256)
        if with_log:
            store.log_fetch(FetchRecord(at, "zoom", "terms", "https://zoom.us/terms", FetchResult.NEW_VERSION, 200,
                                        len(text.encode()), "https://www.zoom.com/en/trust/terms/",
                                        sha256=version.sha256))
    return shas[0], shas[1]
