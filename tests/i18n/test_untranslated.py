"""No user-visible string in ui/ or guard/presentation/ bypasses gettext (an AST scan), and the
scan really finds one that does."""

from __future__ import annotations

import ast

from tests.i18n.scan import _Scanner, untranslated


def findings(source: str) -> list[str]:
    scanner = _Scanner("example.py", source.splitlines())
    scanner.visit(ast.parse(source))
    return [finding.text for finding in scanner.findings]


def test_every_visible_string_goes_through_gettext():
    found = list(untranslated())
    assert not found, "Wrap these in _() (or mark # i18n-ok: why):\n" + "\n".join(map(str, found[:40]))


def test_the_scan_finds_literals_passed_to_widgets_and_keeps_quiet_about_the_rest():
    source = '''
from guard.presentation.i18n import _
log = None

def build(label, menu, name):
    """A docstring is not shown."""
    label.setText("Choose your decision first")
    menu.addAction("Open settings")
    label.setToolTip(f"{name} is running now")
    label.setText(_("Already translated"))
    log.info("Logged, not shown: %s", name)
    label.setObjectName("Not shown")
    label.setText("JSON")
'''
    assert findings(source) == ["Choose your decision first", "Open settings", " is running now"]
