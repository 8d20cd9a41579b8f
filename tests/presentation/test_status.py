"""Which tray state wins, and what the tooltip and meeting views say (plain values)."""

from datetime import datetime, timedelta, UTC

from guard import APP_NAME
from guard.events import ClauseChange, TermsChanged
from guard.presentation.status import TrayState, change_summary, terms_change_view, tray_status
from tests.presentation.conftest import AT, TODAY, app, process, session, snapshot, window


def meeting(provider_id="testmeet", session_id="m1", title="TestMeet Meeting"):
    return session(provider_id, session_id, window(), title=title)


def change(catalog, sha="b" * 64, summaries=("AI training: Section 10.2 now says: “We train on it.”",)):
    event = TermsChanged(provider_id="testmeet", at=AT, document_id="terms", url="https://example.org/terms",
                         old_sha256="a" * 64, new_sha256=sha,
                         changes=tuple(ClauseChange(("ai-training",), "old", "new", "10.2", s) for s in summaries))
    return terms_change_view(event, catalog)


def test_nothing_running_is_idle(catalog):
    status = tray_status(snapshot(), catalog, today=TODAY)
    assert status.state == TrayState.IDLE
    assert status.tooltip == f"{APP_NAME}: no meeting client detected"


def test_before_the_first_snapshot_the_tray_says_it_is_starting(catalog):
    assert tray_status(None, catalog, today=TODAY).tooltip == f"{APP_NAME}: starting"


def test_a_running_client_is_client_open(catalog):
    status = tray_status(snapshot(apps=[app("testmeet", "a1", process())]), catalog, today=TODAY)
    assert status.state == TrayState.CLIENT_OPEN
    assert status.tooltip == f"{APP_NAME}: TestMeet is open — no meeting detected"


def test_a_meeting_of_a_provider_with_ai_features_says_who_can_turn_them_on(catalog):
    status = tray_status(snapshot(meetings=[meeting()]), catalog, today=TODAY)
    assert status.state == TrayState.AI_MEETING
    assert status.tooltip == (f"{APP_NAME}: TestMeet meeting in progress — Meeting summary with Helper AI can be "
                              "turned on by the host or an account admin")


def test_a_meeting_without_ai_features_is_a_plain_meeting(catalog):
    status = tray_status(snapshot(meetings=[meeting("plaincall", title=None)]), catalog, today=TODAY)
    assert status.state == TrayState.MEETING
    assert "PlainCall meeting in progress — no AI features listed for it" in status.tooltip


def test_a_notetaker_running_during_a_plain_meeting_makes_it_an_ai_meeting(catalog):
    status = tray_status(snapshot(apps=[app("scribe", "n1", process("scribe-bin"))],
                                  meetings=[meeting("plaincall")]), catalog, today=TODAY)
    assert status.state == TrayState.AI_MEETING
    assert "AI note-taker running: Scribe" in status.tooltip


def test_meeting_view_lists_evidence_features_and_clauses_in_force_that_day(catalog):
    (view,) = tray_status(snapshot(meetings=[meeting()]), catalog, today=TODAY).meetings
    assert view.evidence == ("Window: window 'TestMeet Meeting' of testmeet-bin (pid 42)",)
    summary, recording = view.features
    assert summary.who_can_turn_on == "the host or an account admin"
    assert summary.you_can == "you can ask the host to stop it or leave the meeting"
    assert summary.verified and not recording.verified
    assert recording.you_can == "you can give or refuse consent when asked or leave the meeting"
    assert summary.sources[0].checked == "10 Jan 2026" and summary.sources[0].url == "https://example.org/summary"
    assert [(c.id, c.label, c.verified, c.checked) for c in view.clauses] == [
        ("no-training", "§10.2 AI training", True, "10 Jan 2026"),
        ("licence", "§10.4 Use of your content or data", False, "12 Jan 2026"),
    ]


def test_an_unseen_terms_change_outranks_an_open_client_but_not_a_meeting(catalog):
    changes = (change(catalog),)
    running = app("testmeet", "a1", process())
    status = tray_status(snapshot(apps=[running]), catalog, changes, today=TODAY)
    assert status.state == TrayState.TERMS_CHANGED
    assert status.tooltip.startswith(f"{APP_NAME}: terms changed: TestMeet Terms of Service")
    status = tray_status(snapshot(apps=[running], meetings=[meeting()]), catalog, changes, today=TODAY)
    assert status.state == TrayState.AI_MEETING
    assert status.tooltip.endswith("\nTerms changed: TestMeet Terms of Service")


def test_paused_hides_what_was_seen_and_says_until_when(catalog):
    until = AT + timedelta(hours=1)
    status = tray_status(snapshot(meetings=[meeting()], paused_until=until), catalog, today=TODAY)
    assert status.state == TrayState.PAUSED and status.meetings == ()
    assert status.tooltip == f"{APP_NAME}: monitoring paused until {until.astimezone().strftime('%H:%M')}"
    forever = datetime.max.replace(tzinfo=UTC)
    assert tray_status(snapshot(paused_until=forever), catalog, today=TODAY).tooltip.endswith("until you resume")


def test_switched_off_in_the_settings_is_said_plainly(catalog):
    status = tray_status(snapshot(enabled=False), catalog, today=TODAY)
    assert status.state == TrayState.PAUSED
    assert "monitoring is switched off — turn it on in the settings" in status.tooltip


def test_change_summary_quotes_the_first_change_and_counts_the_rest():
    changes = tuple(ClauseChange(("ai-training",), "a", "b", None, f"Summary {i}.") for i in range(3))
    assert change_summary(changes) == "Summary 0. (and 2 more changes)"
    assert change_summary((ClauseChange(("ai-training", "consent-opt-out"), "a", None),)) == \
        "A clause changed: AI training or Opt-out and consent."


def test_a_collection_statement_is_not_called_a_licence():
    """Since corpus guideline 16 the content-licence topic also holds what a provider collects and
    why ("we collect your IP address"): users read the use of their content or data, not a licence."""
    said = change_summary((ClauseChange(("content-licence",), None, "We collect your IP address."),))
    assert said == "A clause changed: Use of your content or data."
    assert "licence" not in said.casefold()


def test_a_clause_known_by_its_heading_is_labelled_topic_first_without_a_section_sign():
    """Walking the first hour, Google Meet's clauses read '§Permission to use your content: Licence
    Use of your content or data' in the tray menu."""
    from guard.catalog import load_catalog
    from guard.presentation.wording import clause_label

    labels = [clause_label(clause) for clause in load_catalog().get("google-meet").clauses
              if clause.section and not clause.section[:1].isdigit()]
    assert "Use of your content or data (Permission to use your content: Licence)" in labels, labels
    assert not any(label.startswith("§") or "Licence Licence" in label for label in labels), labels


def test_a_bot_known_by_its_display_name_alone_is_listed_as_unconfirmed(catalog):
    """The meeting's line for a participant named like a note-taker: 'joined' only when more than the name says so."""
    from guard.events import SeenInMeeting, Signal
    from guard.presentation.status import switched_on_line

    def line(confirmed: bool | None) -> str:
        seen = SeenInMeeting(Signal.PARTICIPANT, "scribe", "Scribe Notetaker", AT, confirmed=confirmed)
        return switched_on_line(seen, catalog.get("testmeet"), catalog)
    assert line(False).startswith("Scribe Notetaker (Scribe), named like an AI note-taker, is among the participants "
                                  "(unconfirmed, seen ")
    assert line(True).startswith("AI note-taker Scribe Notetaker (Scribe) joined this meeting (seen ")
    assert line(None).startswith("AI note-taker Scribe Notetaker (Scribe) joined this meeting"), "as before"
