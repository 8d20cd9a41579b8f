"""A browser's extension state in words, one set for every surface that says it: the
welcome, the browser-extension settings, the Overview's "Browser tabs" and ``meeting-guard
browser status``."""

from __future__ import annotations

from typing import Protocol

from guard.presentation.i18n import N_, words_for


class BrowserState(Protocol):
    """One browser as the door reports it (:class:`guard.services.BrowserIntegration`)."""

    @property
    def browser(self) -> str: ...

    @property
    def state(self) -> str: ...


BROWSER_STATES = {  # guard.browser's states, as a person reads them
    "extension connected": N_("the extension is connected"),
    "host registered": N_("ready: add the extension to the browser"),
    "host not registered": N_("not set up"),
    "host registration broken": N_("set up, but broken: run the set-up again"),
    "not supported": N_("cannot be used (the browser runs sandboxed)"),
    "not installed": N_("not installed"),
}


def browser_state_words(state: str) -> str:
    return words_for(BROWSER_STATES, state)
