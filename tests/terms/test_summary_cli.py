"""``meeting-guard terms diff`` says each change's summary in the language the rest of the app
uses (``--lang``, else ``general.language``, else the system's, as ``letter`` does); the JSON keeps
the English sentence and adds the summary's parts. Real Zoom texts of 7 and 11 August 2023."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guard.paths import app_paths
from tests.ui.settings.world import AUG_07_2023, store_zoom_versions

PROMISE = "Zoom does not use any of your audio, video, chat, screen sharing"


@pytest.fixture
def zoom_august(app_home: Path) -> Path:
    from guard.terms.store import TermsStore

    store = TermsStore.open(app_paths())
    store_zoom_versions(store, AUG_07_2023, "zoom/tos-2023-08-11-section10.ota.md",
                        datetime(2023, 8, 7, 9, tzinfo=UTC), datetime(2023, 8, 11, 9, tzinfo=UTC))
    return app_home


def _summary_line(stdout: str) -> str:
    """The summary of the change to Zoom's promise (the line under its heading, above both wordings)."""
    lines = stdout.splitlines()
    return next(line for line in lines if PROMISE in line and not line.startswith(("  before:", "  after:")))


def test_diff_says_summaries_in_the_language_asked_with_zooms_words_as_written(cli, zoom_august) -> None:  # type: ignore[no-untyped-def]
    english = cli("terms", "diff", "zoom", "terms")
    assert english.returncode == 0, english.stderr
    assert "no longer says “without your consent”" in _summary_line(english.stdout)
    german = cli("terms", "diff", "zoom", "terms", "--lang", "de")
    assert german.returncode == 0, german.stderr
    line = _summary_line(german.stdout)
    assert line.startswith("  KI-Training, Opt-out und Einwilligung: Abschnitt 10.2 ")
    assert "sagt nicht mehr „without your consent“" in line and "Jetzt: „" in line and PROMISE in line
    assert "no longer says" not in german.stdout


def test_diff_follows_the_apps_language_setting_and_json_stays_english(cli, zoom_august) -> None:  # type: ignore[no-untyped-def]
    config = zoom_august / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text('[general]\nlanguage = "fr"\n', encoding="utf-8")
    french = cli("terms", "diff", "zoom", "terms")
    assert french.returncode == 0, french.stderr
    assert "ne dit plus «\u00a0without your consent\u00a0»" in _summary_line(french.stdout)
    data = json.loads(cli("terms", "diff", "zoom", "terms", "--json").stdout)
    promise = next(c for c in data["changes"] if c["new"] and PROMISE in c["new"])
    assert "no longer says “without your consent”" in promise["summary"]
    parts = promise["summary_parts"]
    assert parts["kind"] == "changed" and parts["section"] == "10.2"
    assert {"verb": "no-longer-says", "quoted": "without your consent"}.items() <= parts["moves"][0].items()


def test_an_unknown_language_is_refused_with_the_ones_there_are(cli, zoom_august) -> None:  # type: ignore[no-untyped-def]
    refused = cli("terms", "diff", "zoom", "terms", "--lang", "xx")
    assert refused.returncode != 0 and "en, de, fr, es, it, nl" in refused.stderr


def test_diff_follows_the_systems_language_without_a_setting(cli, zoom_august, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LANG", "it_IT.UTF-8")
    italian = cli("terms", "diff", "zoom", "terms")
    assert italian.returncode == 0, italian.stderr
    assert "La sezione 10.2 non dice più «without your consent»" in _summary_line(italian.stdout)
