"""Lobby words in a catalog file (detect.web.lobby_texts): a broken entry is reported by file and field and its
provider skipped; the shipped ones reach the extension per language, normalised as it compares them."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.browser.generate import extension_data
from guard.catalog import load_catalog

FILE = """id = "lobbytest"
name = "Lobby Test"
vendor = "Example"
kind = "browser-meeting"
homepage = "https://lobby.example.org/"

[detect]
verified = false

[detect.web]
hosts = ["lobby.example.org"]
lobby_texts = {texts}
"""


@pytest.mark.parametrize(("texts", "says"), [
    ('{ English = ["Asking to be let in"] }', "primary language subtag"),
    ('{ en = [] }', "one to 8 phrases"),
    ('{ en = ["ok"] }', "3 to 80 characters"),
    ('{ en = ["' + "a" * 81 + '"] }', "3 to 80 characters"),
])
def test_a_broken_lobby_words_entry_is_reported_by_file_and_field(tmp_path: Path, texts: str, says: str) -> None:
    (tmp_path / "lobbytest.toml").write_text(FILE.format(texts=texts), encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    assert "lobbytest" not in [provider.id for provider in catalog]
    (problem,) = [p for p in catalog.problems if p.file.name == "lobbytest.toml"]
    assert "lobby_texts" in problem.field and says in problem.reason, problem


def test_meets_waiting_words_reach_the_extension_for_english_pages_only() -> None:
    (meet,) = [lobby for lobby in extension_data(load_catalog())["lobbies"] if lobby["provider"] == "google-meet"]
    assert meet["texts"] == {"en": ["asking to be let in"]}
