"""One set of bidi and control characters, stripped or spelt out on every path that shows or
writes what outsiders wrote: a title, notice or summary carrying U+061C (ARABIC LETTER MARK),
LRM/RLM, an embedding, an override or an isolate never reaches a label, a letter, the terminal
or a matched pattern as it was."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from guard.browser.text import neutral_text
from guard.cli import output
from guard.export import letters
from guard.patterns import normalize_text
from guard.presentation import wording
from guard.text_controls import shown_text

# Listed here by hand, not read from guard.text_controls: the set the code uses must hold them all.
BIDI = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
STRIPPERS: dict[str, Callable[[str], str]] = {
    "presentation.without_controls": wording.without_controls,
    "presentation.one_line": lambda text: wording.one_line(text, 300),
    "browser.neutral_text": lambda text: neutral_text(text, 300),
    "letters.one_line": letters.one_line,
    "patterns.normalize_text": normalize_text,
    "text_controls.shown_text (HTML and PDF exports)": shown_text,
}


@pytest.mark.parametrize("name", sorted(STRIPPERS))
@pytest.mark.parametrize("code", BIDI, ids=[f"U+{code:04X}" for code in BIDI])
def test_every_bidi_control_is_removed_from_shown_text(name: str, code: int) -> None:
    title = f"Weekly sync{chr(code)} gnirocer ton era uoy"
    shown = STRIPPERS[name](title)
    assert chr(code) not in shown and "Weekly sync" in shown and "gnirocer ton era uoy" in shown


@pytest.mark.parametrize("code", BIDI, ids=[f"U+{code:04X}" for code in BIDI])
def test_the_terminal_and_json_spell_every_bidi_control_out(code: int) -> None:
    title = f"Weekly sync{chr(code)}"
    escaped = f"\\u{code:04x}"
    assert output.terminal_safe(title) == "Weekly sync" + escaped
    assert output.one_line(title) == "Weekly sync" + escaped
    document = output.json_safe(json.dumps({"title": title}, ensure_ascii=False))
    assert chr(code) not in document and json.loads(document) == {"title": title}


def test_control_characters_and_line_separators_still_go() -> None:
    for name, strip in STRIPPERS.items():
        shown = strip("a\x1b[2Jb\x85c\u2028d\u2029e\x00f")
        assert not any(ch in shown for ch in "\x1b\x85\u2028\u2029\x00"), name
