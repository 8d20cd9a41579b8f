"""The user's answer to Chromium's permission dialog ("... has requested additional permissions"): a mouse click on
its Allow button, as the user gives it.

The dialog is Chromium's own (views), not part of any page, so DevTools cannot press it. It opens with Deny focused
and Allow disabled (greyed) for a moment, against clicks meant for what was there before. So: look at the screen
(ImageMagick's ``import``, as tests/ui/screenshots.py does) until Allow is shown enabled, in Chromium 156's light-blue
tonal button colour, then click its middle with xdotool (XTEST: real input). Only the browser window's area below
its toolbar is looked at, where the page is dimmed while the dialog shows; the frame's own light blue is above it.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from tests.browser.support.browsers import wait_for

# the enabled tonal button, and the same under the mouse pointer (Deny, the default, is dark blue; disabled Allow grey)
ALLOW = ((211, 227, 253), (200, 215, 240))
SLACK = 10
TOOLBAR = 110  # pixels from the window's top to below its toolbar (tab strip and address bar)
MIN_PIXELS = 400  # a button, not a stray pixel of that colour


def _screen(env: dict[str, str]) -> object:
    from PIL import Image

    png = subprocess.run(["import", "-window", "root", "png:-"], env=env, capture_output=True, check=True,
                         timeout=30).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def _allow_button(env: dict[str, str], area: tuple[int, int, int, int]) -> tuple[int, int] | None:
    """The middle of the enabled Allow button within ``area`` (x, y, width, height), or None while it is not shown."""
    image = _screen(env)
    x0, y0, width, height = area
    xs: list[int] = []
    ys: list[int] = []
    pixels = image.load()  # type: ignore[attr-defined]
    for y in range(y0 + TOOLBAR, min(y0 + height, image.height)):  # type: ignore[attr-defined]
        for x in range(x0, min(x0 + width, image.width), 2):  # type: ignore[attr-defined]
            red, green, blue = pixels[x, y]
            if any(abs(red - r) <= SLACK and abs(green - g) <= SLACK and abs(blue - b) <= SLACK for r, g, b in ALLOW):
                xs.append(x)
                ys.append(y)
    if len(xs) < MIN_PIXELS // 2:
        return None
    # the button holds most such pixels (an icon's or a focus ring's edge may have a few): its middle is the median
    return sorted(xs)[len(xs) // 2], sorted(ys)[len(ys) // 2]


def window_area(env: dict[str, str], title_part: str) -> tuple[int, int, int, int]:
    """The screen area (x, y, width, height) of the visible Chromium window whose title holds ``title_part``."""
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title_part], env=env, capture_output=True,
                           text=True, check=False, timeout=30).stdout.split()
    assert found, f"no window titled {title_part!r}"
    shape = subprocess.run(["xdotool", "getwindowgeometry", "--shell", found[0]], env=env, capture_output=True,
                           text=True, check=True, timeout=30).stdout
    values = dict(line.split("=", 1) for line in shape.split() if "=" in line)
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def allow(env: dict[str, str], title_part: str, timeout: float = 60.0) -> None:
    """Click Allow in the permission dialog over the window titled ``title_part`` once it is enabled."""
    area = window_area(env, title_part)
    try:
        x, y = wait_for(lambda: _allow_button(env, area), timeout, 0.2, "the permission dialog's Allow button, enabled")
    except AssertionError:
        shot = Path(tempfile.mkdtemp(prefix="mpg-prompt-")) / "screen.png"
        _screen(env).save(shot)  # type: ignore[attr-defined]
        raise AssertionError(f"no enabled Allow button in {area}; the screen is in {shot}") from None
    # the pointer goes back where it was: later tests (focus, hover colours) find the screen as they would have
    where = subprocess.run(["xdotool", "getmouselocation", "--shell"], env=env, capture_output=True, text=True,
                           check=True, timeout=30).stdout
    before = dict(line.split("=", 1) for line in where.split() if "=" in line)
    subprocess.run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1", "mousemove", before["X"],
                    before["Y"]], env=env, check=True, timeout=30)
