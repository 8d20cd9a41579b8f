"""The monitor: detection passes on demand, turned into events enriched from the catalog.

It owns no thread and no timer: the UI calls :meth:`Monitor.tick` from a worker ``QThread``
on a timer of :attr:`Monitor.interval_seconds`, the command line from a plain loop. Each
event comes with its provider, the provider's AI features and the clauses in force that day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol

from guard.detect.detector import PROBES, DetectionPass, Detector
from guard.detect.matching import DetectionRules
from guard.detect.observation import ProbeState, ProbeStatus
from guard.detect.platform import Backends, current_os, default_backends
from guard.detect.process_table import ProcessTable
from guard.detect.sessions import Session, SessionRules, SessionState, advance
from guard.events import DetectionEvent, Evidence, event_to_dict
from guard.settings import Settings

if TYPE_CHECKING:  # the catalog's pydantic models: ``scan`` starts without them (see CatalogSource)
    from guard.catalog.models import AiFeature, Clause, OsName, Provider

log = logging.getLogger(__name__)


class CatalogSource(Protocol):
    """What the monitor asks of the catalog: a provider by id. A :class:`~guard.catalog.loader.Catalog`,
    or a stand-in that loads the full catalog only when a provider is first asked for."""

    def get(self, provider_id: str) -> Provider | None: ...


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _provider_summary(provider: Provider) -> dict[str, Any]:
    return {"id": provider.id, "name": provider.name, "vendor": provider.vendor, "kind": str(provider.kind)}


@dataclass(frozen=True)
class MonitorEvent:
    """A detection event with what the user needs to judge it: who, which AI features, which clauses."""

    event: DetectionEvent
    provider: Provider
    ai_features: tuple[AiFeature, ...]
    clauses: tuple[Clause, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the event's fields, then ``provider``, ``ai_features`` and ``clauses_in_force``."""
        return {
            **event_to_dict(self.event),
            "provider": _provider_summary(self.provider),
            "ai_features": [feature.model_dump(mode="json") for feature in self.ai_features],
            "clauses_in_force": [clause.model_dump(mode="json") for clause in self.clauses],
        }


@dataclass(frozen=True)
class ActiveSession:
    """An app running or a meeting in progress, as the last tick saw it."""

    provider_id: str
    provider_name: str
    session_id: str
    started_at: datetime
    evidence: tuple[Evidence, ...]
    title: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id, "provider_name": self.provider_name, "session_id": self.session_id,
            "started_at": self.started_at.isoformat(), "title": self.title, "url": self.url,
            "evidence": [{"signal": str(e.signal), "detail": e.detail, "pid": e.pid, "seen_at": e.seen_at.isoformat()}
                         for e in self.evidence],
        }


@dataclass(frozen=True)
class Snapshot:
    """What the monitor knows now: apps running, meetings in progress, and how each probe fares."""

    at: datetime | None
    enabled: bool
    paused_until: datetime | None
    apps: tuple[ActiveSession, ...]
    meetings: tuple[ActiveSession, ...]
    probes: tuple[ProbeStatus, ...]

    @property
    def unavailable(self) -> tuple[ProbeStatus, ...]:
        return tuple(p for p in self.probes if p.state == ProbeState.UNAVAILABLE)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat() if self.at else None,
            "enabled": self.enabled,
            "paused_until": self.paused_until.isoformat() if self.paused_until else None,
            "apps": [app.to_dict() for app in self.apps],
            "meetings": [meeting.to_dict() for meeting in self.meetings],
            "probes": [{"name": p.name, "state": str(p.state), "reason": p.reason, "backend": p.backend}
                       for p in self.probes],
        }


class Monitor:
    """Detection for the UI and the command line. Not thread-safe: call it from one thread."""

    def __init__(self, catalog: CatalogSource, settings: Settings, probes: Backends | None = None,
                 clock: Callable[[], datetime] | None = None, *, os_name: OsName | None = None,
                 rules: SessionRules | None = None, table: ProcessTable | None = None,
                 detection_rules: DetectionRules | None = None) -> None:
        """``detection_rules``: rules already compiled (e.g. from a catalog snapshot); by default
        they are compiled from ``catalog``, which must then be a whole Catalog."""
        self._clock = clock or utc_now
        self._os = os_name or current_os()
        self._settings = settings
        self._catalog = catalog
        self._session_rules = rules
        self._backends = probes if probes is not None else default_backends(self._os)
        compiled = self._session_rules_for(detection_rules) if detection_rules else self._rules_for(catalog)
        self._detector = Detector(compiled, self._backends, settings.detection, table=table)
        self._state = SessionState()
        self._paused_until: datetime | None = None
        self._last: DetectionPass | None = None

    # -- configuration ------------------------------------------------------------------------
    @property
    def interval_seconds(self) -> float:
        return self._settings.detection.interval_seconds

    @property
    def enabled(self) -> bool:
        return self._settings.detection.enabled

    def update_settings(self, settings: Settings) -> None:
        """Apply new settings (interval, on/off, per-probe switches) from the next tick on."""
        self._settings = settings
        self._detector.settings = settings.detection

    def update_catalog(self, catalog: CatalogSource) -> None:
        """Match against a reloaded catalog from the next tick on; running sessions carry over."""
        self._catalog = catalog
        self._detector.rules = self._rules_for(catalog)

    def _rules_for(self, catalog: CatalogSource) -> DetectionRules:
        from guard.catalog.loader import Catalog

        if not isinstance(catalog, Catalog):
            raise TypeError("Monitor needs a whole Catalog to compile its detection rules, or detection_rules")
        return self._session_rules_for(DetectionRules.from_catalog(catalog, self._os))

    def _session_rules_for(self, rules: DetectionRules) -> DetectionRules:
        base = self._session_rules or SessionRules()
        self._session_rules = SessionRules(notetakers=rules.notetakers, app_end_ticks=base.app_end_ticks,
                                           meeting_start_ticks=base.meeting_start_ticks,
                                           meeting_end_ticks=base.meeting_end_ticks)
        return rules

    # -- pausing ------------------------------------------------------------------------------
    @property
    def paused_until(self) -> datetime | None:
        """When a pause ends (``datetime.max`` in UTC for "until resumed"), or None when not paused."""
        if self._paused_until is not None and self._clock() >= self._paused_until:
            self._paused_until = None
        return self._paused_until

    def pause(self, until: datetime | None = None) -> None:
        """Stop looking until ``until`` (aware datetime), or until :meth:`resume` when None."""
        self._paused_until = until if until is not None else datetime.max.replace(tzinfo=timezone.utc)
        log.info("Detection paused until %s", "resumed" if until is None else until.isoformat())

    def resume(self) -> None:
        self._paused_until = None
        log.info("Detection resumed")

    # -- the work -----------------------------------------------------------------------------
    def tick(self) -> list[MonitorEvent]:
        """One detection pass; the events it produced. Does nothing while disabled or paused."""
        if not self.enabled or self.paused_until is not None:
            return []
        at = self._clock()
        detection = self._detector.run(at)
        self._last = detection
        self._state, events = advance(self._state, detection.observations, at, self._session_rules or SessionRules())
        return [enriched for event in events if (enriched := self._enrich(event)) is not None]

    def _enrich(self, event: DetectionEvent) -> MonitorEvent | None:
        provider = self._catalog.get(event.provider_id)
        if provider is None:
            log.warning("Detected provider '%s' is no longer in the catalog; event dropped", event.provider_id)
            return None
        day: date = event.at.astimezone().date()
        return MonitorEvent(event=event, provider=provider, ai_features=tuple(provider.ai_features),
                            clauses=tuple(provider.clauses_in_force(day)))

    def snapshot(self) -> Snapshot:
        """Apps running and meetings in progress (with evidence) and each probe's state, as of the last tick."""
        if self._last is not None:
            probes = self._last.probes
        else:
            probes = tuple(ProbeStatus(name, ProbeState.IDLE, "not run yet") for name, _setting in PROBES)
        return Snapshot(
            at=self._last.at if self._last else None,
            enabled=self.enabled,
            paused_until=self.paused_until,
            apps=tuple(self._active(session) for session in self._state.apps.values()),
            meetings=tuple(self._active(session) for session in self._state.meetings.values()),
            probes=probes,
        )

    def _active(self, session: Session) -> ActiveSession:
        provider = self._catalog.get(session.provider_id)
        return ActiveSession(provider_id=session.provider_id,
                             provider_name=provider.name if provider else session.provider_id,
                             session_id=session.session_id, started_at=session.started_at,
                             evidence=session.evidence, title=session.title, url=session.url)

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release what the backends hold open (the X display connection, the ``pactl subscribe`` child)."""
        for backend in (self._backends.windows, self._backends.microphone, self._backends.camera,
                        self._backends.sockets):
            close = getattr(backend, "close", None)
            if callable(close):
                close()
