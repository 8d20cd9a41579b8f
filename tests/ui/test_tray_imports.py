"""What the tray app loads before the user asks for anything: not the settings window (it runs
in its own process), not the ledger's keyring and cryptography (not even when a decision is
saved: a helper process appends it, tests/ledger/test_append_helper.py), so the idle tray app
stays small (issue 18); and the welcome does not pull in the settings window's tabs. A fresh
interpreter, the real modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABS = ("ui.settings.window", "ui.settings.history", "ui.settings.terms", "ui.settings.overview")


def loaded(modules: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with ``prefixes`` that importing ``modules`` loads."""
    script = (f"import json, sys\nimport {modules}\n"
              f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_tray_and_the_consent_form_load_no_settings_tab_keyring_or_crypto():
    modules = "ui.app, ui.shell, ui.consent_flow, ui.dialogs.consent, ui.settings_remote, ui.tray.tray"
    assert loaded(modules, (*TABS, "cryptography", "keyring")) == []


def test_the_welcome_loads_no_settings_tab():
    assert loaded("ui.welcome", TABS) == []


# QtWidgets classes the consent form never uses: PySide builds a class's Python type (and its enums) on first
# use and keeps it for the process's life, so a form that made PySide build them all (as asking for a
# QScrollArea's own viewport does) left the tray app about 1.5 MB bigger after it closed.
UNUSED_WIDGETS = ("QWizard", "QFileDialog", "QCalendarWidget", "QMdiArea", "QGraphicsView", "QTreeWidget")

FORM_SCRIPT = """
import gc, json, os, sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from guard.paths import app_paths
from guard.presentation.actions import RecordConsent
from guard.presentation.consent_form import ConsentSubject
from guard.services import Services
from ui.dialogs.consent import ConsentDialog
dialog = ConsentDialog(Services(app_paths()), ConsentSubject(None, RecordConsent(provider_id="zoom")))
dialog.show()
for _ in range(20):
    app.processEvents()
shown = dialog.provider.currentData()
dialog.close()
dialog.deleteLater()
app.processEvents()
built = sorted({t.__name__ for t in gc.get_objects() if isinstance(t, type) and t.__module__ == "PySide6.QtWidgets"})
print(json.dumps({"shown": shown, "built": built}))
"""


def test_the_consent_form_builds_no_python_types_for_widgets_it_does_not_use(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", MEETING_GUARD_HOME=str(tmp_path),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    done = subprocess.run([sys.executable, "-c", FORM_SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["shown"] == "zoom"  # the form was built and showed Zoom, measuring its scroll area as it fits
    assert "QScrollArea" in result["built"] and "QComboBox" in result["built"]  # the check sees what was built
    assert [name for name in UNUSED_WIDGETS if name in result["built"]] == []


# The service box offers names in Chinese (DingTalk's 钉钉, Tencent Meeting's 腾讯会议). Sizing it by measuring
# every name shaped those too, and the fallback fonts that draw them (4.5 MB of CJK fonts on the CI machine)
# stayed mapped in the tray app after the form closed, though the form shows only the chosen name.
FONTS = ("sorted({line.split()[-1] for line in open('/proc/self/maps')"
         " if line.rstrip().endswith(('.ttf', '.otf', '.ttc'))})")

CJK_SCRIPT = f"""
import json
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
shown = []
for text in ("Zoom", "Tencent Meeting (腾讯会议)"):
    label = QLabel(text)
    label.show()
    for _ in range(5):
        app.processEvents()
    shown.append({FONTS})
print(json.dumps(sorted(set(shown[1]) - set(shown[0]))))
"""


def test_the_consent_form_maps_no_font_for_names_it_does_not_show(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", MEETING_GUARD_HOME=str(tmp_path),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    control = subprocess.run([sys.executable, "-c", CJK_SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert control.returncode == 0, control.stderr
    cjk_fonts = json.loads(control.stdout.strip().splitlines()[-1])
    if not cjk_fonts:
        pytest.skip("this machine draws Chinese with the same font as Latin text (no fallback font to map)")
    script = FORM_SCRIPT.replace('print(json.dumps({"shown": shown, "built": built}))',
                                 'names = [dialog.provider.itemText(i) for i in range(dialog.provider.count())]\n'
                                 f'print(json.dumps({{"shown": shown, "names": names, "fonts": {FONTS}}}))')
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["shown"] == "zoom" and result["fonts"]  # the form was drawn, with a font
    assert any("\u4e00" <= char <= "\u9fff" for name in result["names"] for char in name)  # CJK names offered
    assert [font for font in cjk_fonts if font in result["fonts"]] == []


LOOK_SCRIPT = """
import json, sys
from guard.paths import app_paths
from guard.services import Services
services = Services(app_paths())
stamp = services.terms_store_stamp()
mark, told = services.terms_stored_since(None)
mark, again = services.terms_stored_since(mark)
print(json.dumps({"stamp": list(stamp), "told": len(told) + len(again),
                  "loaded": sorted(m for m in sys.modules if m.startswith(("guard.terms.", "re2")))}))
"""


def test_the_trays_look_at_the_terms_store_loads_no_terms_analysis(tmp_path):
    """The tray app looks at the terms store every few seconds (for versions another program stored); while no
    version moved, that look loads neither the alignment nor the topic rules (about 2-4 MB the idle tray app
    carried for nothing)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), MEETING_GUARD_HOME=str(tmp_path),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    done = subprocess.run([sys.executable, "-c", LOOK_SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(result["stamp"]) == 4 and result["told"] == 0  # the look ran and found nothing moved
    heavy = ("guard.terms.analysis", "guard.terms.align", "guard.terms.classify", "guard.terms.diff",
             "guard.terms.rules")
    assert [module for module in heavy if module in result["loaded"]] == []
