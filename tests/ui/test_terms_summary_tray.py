"""The tray says a terms change in the app's language: the notification and the unseen change
the tray keeps, said again when the language setting changes. Real tray (trayer), real dunst."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from guard.events import ClauseChange, TermsChanged
from guard.terms.summary_model import ChangeSummary, MoveVerb, Phrase, ScopeMove
from guard.terms.summary_words import say_summary
from tests.ui.test_shell import ready_shell

pytestmark = pytest.mark.desktop

# Zoom's Section 10.2, 7 → 11 August 2023 (tests/terms/fixtures/README.md), as the classifier said it.
BEFORE = ("Notwithstanding the above, Zoom will not use audio, video or chat Customer Content to train our "
          "artificial intelligence models without your consent.")
SAID = ChangeSummary(kind="changed", section="10.2",
                     topics=(Phrase("ai-training", "AI training"), Phrase("consent-opt-out", "Opt-out and consent")),
                     moves=(ScopeMove(MoveVerb.NO_LONGER_SAYS, limit=Phrase("without-consent", "without your consent"),
                                      quoted="without your consent"),),
                     before=BEFORE, now="Zoom does not use any of your audio, video, chat, screen sharing, attachments "
                                        "or other communications-like Customer Content to train Zoom or third-party "
                                        "artificial intelligence models.")


def event() -> TermsChanged:
    change = ClauseChange(("ai-training", "consent-opt-out"), BEFORE, SAID.now, "10.2", say_summary(SAID),
                          "material", "changed", said=SAID)
    return TermsChanged(provider_id="testmeet", at=datetime.now(UTC), document_id="terms",
                        url="https://example.org/terms", old_sha256="a" * 64, new_sha256="b" * 64, changes=(change,))


def use_language(shell, language: str) -> None:  # type: ignore[no-untyped-def]
    settings = shell.services.settings
    shell.apply_settings(settings.model_copy(update={"general": settings.general.model_copy(
        update={"language": language})}))


def test_the_notice_and_the_unseen_change_follow_the_language(qtbot, shells, world):  # type: ignore[no-untyped-def]
    shell = ready_shell(shells, world)
    try:
        use_language(shell, "de")
        shell.on_terms_changed([event()])
        (notice,) = [n for n in shell.notices.values() if n.key.startswith("terms:")]
        assert "Abschnitt 10.2 sagt nicht mehr „without your consent“" in notice.body
        assert f"Vorher: „{BEFORE}“" in notice.body  # Zoom's words, as written
        use_language(shell, "fr")
        (change,) = shell.status.terms_changes
        assert "La section 10.2 ne dit plus «\u00a0without your consent\u00a0»" in change.summary
    finally:
        use_language(shell, "")
