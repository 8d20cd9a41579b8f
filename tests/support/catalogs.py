"""Catalog entries for UI and presentation tests: a meeting client with AI features and
clauses (one unverified), a note-taker, and a client with no AI features. Written as real
TOML files and loaded through the real loader."""

from __future__ import annotations

from pathlib import Path

from guard.catalog import Catalog, load_catalog
from tests.detect.world import provider_toml

MEET_AI = """
[[ai_features]]
id = "summary"
name = "Meeting summary with Helper AI (formerly Recap)"
description = "Summarises the meeting from its transcript for the host."
enabled_by = ["account-admin", "host"]
participant_notice = "A banner says the summary is on."
participant_options = ["request-stop", "leave"]
trains_models = "no"
verified = true
sources = [{ url = "https://example.org/summary", checked = 2026-01-10, title = "Summary help page" }]

[[ai_features]]
id = "recording"
name = "Cloud recording"
description = "Records the meeting to the cloud."
enabled_by = ["host"]
participant_notice = "A recording notice."
participant_options = ["consent", "leave"]
trains_models = "unknown"
sources = [{ url = "https://example.org/recording", checked = 2026-01-11 }]

[[documents]]
id = "terms"
type = "terms-of-service"
title = "TestMeet Terms of Service"
url = "https://example.org/terms"
checked = 2026-01-10

[[clauses]]
id = "no-training"
document = "terms"
section = "10.2"
topic = "ai-training"
quote = "We do not use your audio, video or chat to train AI models."
summary = "No AI training on what you say."
effective_from = 2023-08-11
source = "https://example.org/terms#10.2"
checked = 2026-01-10
verified = true

[[clauses]]
id = "licence"
document = "terms"
section = "10.4"
topic = "content-licence"
quote = "You grant us a licence to your content."
effective_from = 2023-08-11
source = "https://news.example.org/licence"
checked = 2026-01-12
verified = false

[[clauses]]
id = "old"
document = "terms"
section = "10.4"
topic = "content-licence"
quote = "Old wording no longer in force."
effective_from = 2020-01-01
effective_to = 2023-08-11
source = "https://example.org/old"
checked = 2026-01-10
"""

NOTETAKER_AI = """
[[ai_features]]
id = "bot"
name = "Scribe Notetaker"
description = "Joins meetings and writes notes from a recording."
enabled_by = ["participant"]
participant_notice = "The bot appears in the participant list."
participant_options = ["request-stop", "leave"]
trains_models = "opt-out"
sources = [{ url = "https://example.org/scribe", checked = 2026-01-10 }]
"""

MEETING_TITLE = "TestMeet Meeting"


def provider_files(client: str = "testmeet-bin", notetaker: str = "scribe-bin",
                        plain: str = "plaincall-bin") -> dict[str, str]:
    """Provider TOML texts: ``testmeet`` (AI features), ``scribe`` (note-taker), ``plaincall`` (no AI)."""
    return {
        "testmeet": provider_toml("testmeet", "TestMeet", processes=[client],
                                  meeting_window_titles=[f"^{MEETING_TITLE}$"], extra=MEET_AI),
        "scribe": provider_toml("scribe", "Scribe", kind="notetaker", processes=[notetaker], extra=NOTETAKER_AI),
        "plaincall": provider_toml("plaincall", "PlainCall", processes=[plain]),
    }


def write_catalog_for_tests(folder: Path, **names: str) -> Catalog:
    """Write the test providers into ``folder`` and load them (only them) through the real loader."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in provider_files(**names).items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    catalog = load_catalog(shipped=folder)
    assert not catalog.problems, [p.message() for p in catalog.problems]
    return catalog
