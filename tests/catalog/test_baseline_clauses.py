"""A provider whose terms ship as a baseline shows clauses in force: the tray's meeting menu
said "Terms in force (0)" for Jitsi Meet although its terms ship in resources/terms/jitsi-meet
(the catalog had no [[clauses]] for it)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from guard.catalog.loader import load_catalog
from guard.events import MeetingSession
from guard.presentation.status import meeting_view
from guard.terms.baseline import load_baselines

TODAY = date(2026, 12, 1)
UNDATED = {"jami"}  # its baseline states no date and the archive's record date is not known: no date to cite


def test_every_provider_with_a_dated_baseline_lists_clauses_in_force() -> None:
    catalog = load_catalog()
    baselines, problems = load_baselines()
    assert not problems
    providers = {provider_id for provider_id, _ in baselines}
    assert "jitsi-meet" in providers
    for provider_id in sorted(providers - UNDATED):
        provider = catalog.get(provider_id)
        assert provider is not None
        in_force = provider.clauses_in_force(TODAY)
        assert in_force, f"{provider_id}: its terms ship as a baseline but no clause is in force"
        assert all(c.verified and c.source and c.checked for c in in_force)


def test_jitsi_meet_meeting_menu_lists_its_terms_in_force() -> None:
    catalog = load_catalog()
    meeting = MeetingSession(id="m1", provider_id="jitsi-meet", started_at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    view = meeting_view(meeting, catalog.get("jitsi-meet"), TODAY, catalog)
    quotes = " ".join(c.quote for c in view.clauses)
    assert len(view.clauses) >= 4
    assert "the recording of the meeting is temporarily stored until it is uploaded" in quotes
    assert "solely for the limited purpose of operating and enabling the Service" in quotes


def _texts(entry) -> list[str]:  # type: ignore[no-untyped-def]
    return [entry.text, *(text for child in entry.children for text in _texts(child))]


def test_a_provider_with_no_clause_in_force_says_why_instead_of_a_count_of_zero() -> None:
    """Audit round six: Jami's meeting menu said "Terms in force (0)" (and "No clauses listed"),
    which reads as checked and found empty. Its privacy policy ships as an archived baseline but
    states no date, so no clause of it is listed as in force: the menu says that, and a provider
    whose terms are not tracked at all says so instead."""
    from ui.tray.menu_model import meeting_entry

    catalog = load_catalog()
    started = datetime(2026, 12, 1, 9, tzinfo=UTC)
    jami = catalog.get("jami")
    assert jami is not None and not jami.clauses_in_force(TODAY)
    texts = " ".join(_texts(meeting_entry(meeting_view(MeetingSession(id="m1", provider_id="jami", started_at=started),
                                                      jami, TODAY, catalog))))
    assert "Terms in force (0)" not in texts
    assert "Its terms are watched, but none of their clauses is listed with the date it took effect" in texts
    untracked = next(p for p in catalog if not p.tracks_terms)
    texts = " ".join(_texts(meeting_entry(meeting_view(
        MeetingSession(id="m2", provider_id=untracked.id, started_at=started), untracked, TODAY, catalog))))
    assert "Terms in force (0)" not in texts and "No terms of this provider are tracked yet" in texts
