"""Keep the log-in entry in line with the ``general.autostart`` setting.

At start-up only a missing or stale entry is (re)written when the setting is on; an entry the
installer added (``install.sh --autostart``) while the setting is off is left alone. When the
user changes the setting, the entry follows it both ways.
"""

from __future__ import annotations

import logging

from guard.autostart import Autostart, AutostartError

log = logging.getLogger(__name__)


def sync_autostart(wanted: bool, backend: Autostart, command: list[str], *, changed: bool) -> str | None:
    """Apply the setting; returns a readable problem, or None when all went well."""
    try:
        if wanted:
            backend.enable(command)  # rewritten each time: the app may have moved since
            log.info("Autostart on: %s", backend.location)
        elif changed and backend.is_enabled():
            backend.disable()
            log.info("Autostart off: removed %s", backend.location)
    except AutostartError as error:
        log.warning("%s", error)
        return str(error)
    return None
