"""The browser companion: the extension's generated data, its native messaging host, and installing it.

The extension (resources/extension/, Manifest V3, Chromium-based browsers and Firefox) reports
meeting tabs, in-meeting AI notices and note-taker bots to ``meeting-guard browser-host``, which
the browser starts over native messaging. The host validates every message, keeps the browser's
meeting-tab state in a small file in the runtime folder (read by guard/detect/browser_tabs.py)
and tells the running app to look now. Nothing goes anywhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guard.browser.install import BrowserStatus
    from guard.paths import AppPaths


def integration_status(paths: AppPaths) -> list[BrowserStatus]:
    """Per browser found (or registered, or unsupported but present): the host's registration and
    the extension's connection. Reads a few small files; for guard.services.Services.browser_integration."""
    from guard.browser.integration import BrowserIntegration
    from guard.detect.platform import current_os

    return [status for status in BrowserIntegration(paths, current_os()).status()
            if status.installed or status.registered or status.connected or status.problem]
