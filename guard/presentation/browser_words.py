"""A browser's extension state in words, one set for every surface that says it: the
welcome, the browser-extension settings, the Overview's "Browser tabs" and ``meeting-guard
browser status``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from guard.browser.browsers import by_id
from guard.paths import resources_dir
from guard.presentation.i18n import N_, _, words_for


class BrowserState(Protocol):
    """One browser as the door reports it (:class:`guard.services.BrowserIntegration`)."""

    @property
    def browser(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def last_seen(self) -> datetime | None: ...  # when its extension last connected, if ever


BROWSER_STATES = {  # guard.browser's states, as a person reads them
    "extension connected": N_("the extension is connected"),
    "host registered": N_("ready: add the extension to the browser"),
    "host not registered": N_("not set up"),
    "host registration broken": N_("set up, but broken: run the set-up again"),
    "not supported": N_("cannot be used (the browser runs sandboxed)"),
    "not installed": N_("not installed"),
}


# A registered host whose extension has connected before: the extension is there, the browser is closed (or the
# extension was switched off); "ready: add the extension" would send the user to add it again.
CONNECTED_BEFORE = N_("set up; the extension is not connected now")


def browser_state_words(state: str, connected_before: bool = False) -> str:
    """``connected_before``: the extension has connected at some time (a last-seen time is known)."""
    if state == "host registered" and connected_before:
        return _(CONNECTED_BEFORE)
    return words_for(BROWSER_STATES, state)


def said_state(item: BrowserState) -> str:
    """One browser's state as every surface says it (a registered host whose extension has connected before is
    not told to add the extension again)."""
    return browser_state_words(item.state, connected_before=item.last_seen is not None)


def add_extension_steps(browser_id: str, folder: str | None = None) -> str:
    """What to do in the browser once its host is registered: where to click and which folder to choose
    (the README's "Browser integration", step 2), so "add the extension" leaves nothing to guess."""
    folder = folder or str(resources_dir() / "extension")  # a tarball's or a wheel's, not the repo's
    browser = by_id(browser_id)
    if browser is not None and browser.family == "firefox":
        return _("Next, in {browser}: open about:debugging, This Firefox, Load Temporary Add-on, and choose "
                 "{manifest}. It stays until {browser} closes.").format(
                     browser=browser.name, manifest=Path(folder) / "manifest.json")
    name = browser.name if browser is not None else browser_id
    return _("Next, in {browser}: open chrome://extensions, turn on Developer mode, click Load unpacked, and "
             "choose the folder {folder}.").format(browser=name, folder=folder)
