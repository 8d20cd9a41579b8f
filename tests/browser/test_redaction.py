"""Secrets leave meeting links before they are shown or sent: the app's side of the shared cases.

The same cases run inside real Chromium and Firefox against the extension's own code
(test_chromium.py, test_firefox.py), so both sides apply resources/detect/redaction.toml alike.
"""

import json
from pathlib import Path

import pytest

from guard.detect.matching import redact_url as detector_redact_url
from guard.detect.redaction import redact_url, secret_keys

CASES = json.loads((Path(__file__).parent / "redaction_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize(("link", "shown"), CASES)
def test_links_lose_their_secrets(link, shown):
    assert redact_url(link) == shown


def test_the_detector_uses_the_shared_rules():
    assert detector_redact_url is redact_url
    assert {"pwd", "p", "passcode", "token"} <= secret_keys()


def test_redaction_is_linear_in_a_hostile_link():
    link = "https://zoom.us/j/1?" + "&".join(f"pwd={i}" for i in range(20_000)) + "#" + "a" * 100_000
    shown = redact_url(link)
    assert "pwd=1&" not in shown and shown.count("pwd=…") == 20_000
