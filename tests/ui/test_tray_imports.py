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
