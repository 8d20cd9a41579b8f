"""Look at the real X11 screen of the test desktop: the tray host's embedded icons, and
what a window shows (xwininfo and ImageMagick's import, the real programs)."""

from __future__ import annotations

import os
import re
import subprocess

from PySide6.QtGui import QColor, QImage

TRAY_ICON_NAME = "Meeting Privacy Guard"


def tree() -> str:
    return subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True, env=dict(os.environ),
                          timeout=10).stdout


def embedded_icon_windows(name: str | None = TRAY_ICON_NAME) -> list[tuple[str, int, int]]:
    """(window id, width, height) of every window called ``name`` (None: any named window) inside trayer's panel."""
    found, in_panel, panel_indent = [], False, 0
    for line in tree().splitlines():
        indent = len(line) - len(line.lstrip())
        if '("panel" "trayer")' in line:
            in_panel, panel_indent = True, indent
            continue
        if in_panel and indent <= panel_indent and line.strip():
            in_panel = False
        if in_panel and (f'"{name}"' in line if name else re.search(r'0x[0-9a-f]+ "', line)):
            match = re.search(r"(0x[0-9a-f]+) .*?(\d+)x(\d+)\+", line)
            if match:
                found.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return found


def grab(window_id: str) -> QImage:
    """What the X server shows for a window, as a QImage."""
    png = subprocess.run(["import", "-window", window_id, "png:-"], capture_output=True, env=dict(os.environ),
                         timeout=20).stdout
    image = QImage()
    image.loadFromData(png, "PNG")
    return image


def share_of_colour(image: QImage, colour: str, tolerance: int = 40) -> float:
    """The share of the image's pixels within ``tolerance`` (per channel) of ``colour``."""
    target = QColor(colour)
    hits = total = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            total += 1
            if all(abs(a - b) <= tolerance for a, b in ((pixel.red(), target.red()), (pixel.green(), target.green()),
                                                        (pixel.blue(), target.blue()))):
                hits += 1
    return hits / total if total else 0.0
