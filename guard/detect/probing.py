"""Probe bookkeeping for the detection pass (guard.detect.detector): each probe's call is
guarded, so a probe that cannot look says why, one that fails unexpectedly is logged once, and
either is retried only after a pause while detection goes on with the others; a probe switched
off in the settings, or with nothing to look at, says so. Every probe's state is reported in
the order of :data:`PROBES`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from guard.detect.observation import ProbeState, ProbeStatus, ProbeUnavailable
from guard.i18n import Text

log = logging.getLogger(__name__)

# (probe name, its switch in DetectionSettings), in the order the probes are reported
PROBES: tuple[tuple[str, str], ...] = (
    ("processes", "process_probe"), ("windows", "window_probe"), ("microphone", "microphone_probe"),
    ("camera", "camera_probe"), ("sockets", "socket_probe"), ("browser", "browser_probe"),
    ("accessibility", "accessibility_probe"),
)
SETTING = dict(PROBES)
IDLE_REASON = "no meeting client or browser is running"
T = TypeVar("T")


@dataclass
class ProbeGuard:
    """Remembers a probe's unavailability so it is retried only every ``retry_ticks`` ticks."""

    name: str
    backend: str
    reason: str = ""
    said: Text | None = None  # the reason as a sentence the window translates, where the probe gave one
    skip_ticks: int = 0
    logged: set[str] = field(default_factory=set)


def guarded(guard: ProbeGuard, enabled: bool, retry_ticks: int, statuses: dict[str, ProbeStatus],
            call: Callable[[], T]) -> T | None:
    """``call()``'s result, or None when the probe is off, waiting out a pause, unavailable or
    failing; its state goes into ``statuses`` either way."""
    name = guard.name
    if not enabled:
        statuses[name] = ProbeStatus(name, ProbeState.OFF, "switched off in the settings", guard.backend)
        return None
    if guard.skip_ticks > 0:
        guard.skip_ticks -= 1
        statuses[name] = ProbeStatus(name, ProbeState.UNAVAILABLE, guard.reason, guard.backend, guard.said)
        return None
    try:
        result = call()
    except ProbeUnavailable as error:
        _unavailable(guard, retry_ticks, statuses, str(error), logging.INFO, error.said)
        return None
    except Exception as error:
        reason = f"failed: {type(error).__name__}: {error}"
        if reason not in guard.logged:
            log.exception("The %s probe (%s) failed; detection goes on without it", name, guard.backend)
        _unavailable(guard, retry_ticks, statuses, reason, logging.DEBUG)
        return None
    guard.reason, guard.said = "", None
    statuses[name] = ProbeStatus(name, ProbeState.OK, backend=guard.backend)
    return result


def _unavailable(guard: ProbeGuard, retry_ticks: int, statuses: dict[str, ProbeStatus], reason: str,
                 level: int, said: Text | None = None) -> None:
    if reason not in guard.logged:
        guard.logged.add(reason)
        log.log(level, "The %s probe is unavailable: %s", guard.name, reason)
    guard.reason, guard.said = reason, said
    guard.skip_ticks = retry_ticks
    statuses[guard.name] = ProbeStatus(guard.name, ProbeState.UNAVAILABLE, reason, guard.backend, said)


def idle_or_off(guard: ProbeGuard, enabled: bool, reason: str = IDLE_REASON) -> ProbeStatus:
    """The state of a probe not run this pass: off, still unavailable, or idle for ``reason``."""
    if not enabled:
        return ProbeStatus(guard.name, ProbeState.OFF, "switched off in the settings", guard.backend)
    if guard.reason:
        return ProbeStatus(guard.name, ProbeState.UNAVAILABLE, guard.reason, guard.backend)
    return ProbeStatus(guard.name, ProbeState.IDLE, reason, guard.backend)


def ordered(statuses: Mapping[str, ProbeStatus]) -> tuple[ProbeStatus, ...]:
    return tuple(statuses[name] for name, _setting in PROBES if name in statuses)
