"""Names every installer shares, kept in one place so the platforms agree.

The display name and version come from ``guard`` itself; the files under packaging/ repeat
some of these strings (a .desktop file cannot import Python), and tests/packaging checks that
they all agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard import APP_ID as DATA_DIR_NAME, APP_NAME, APP_RDNS_ID, __version__ as VERSION  # noqa: E402

# Reverse-DNS id: AppStream component id, .desktop file name, icon name, Flatpak app id, macOS
# CFBundleIdentifier. Letters, digits and dots only, which all four accept.
RDNS_ID = APP_RDNS_ID
# The PyInstaller onedir folder and the command (console executable) inside it.
BUNDLE_NAME = "meeting-guard"
EXE_NAME = "meeting-guard"
# Windows only: the same app without a console window, for the Start menu and autostart.
WINDOWED_EXE_NAME = "meeting-privacy-guard"
# Names of the source icon and of the PNG sizes rendered for the hicolor theme.
SOURCE_ICON = ROOT / "resources" / "icons" / "meeting-privacy-guard.svg"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

__all__ = ["APP_NAME", "BUNDLE_NAME", "DATA_DIR_NAME", "EXE_NAME", "HICOLOR_SIZES", "RDNS_ID",
           "ROOT", "SOURCE_ICON", "VERSION", "WINDOWED_EXE_NAME"]
