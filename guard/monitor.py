"""The monitor: detection passes on demand, turned into events enriched from the catalog.

It owns no thread and no timer: the UI calls :meth:`Monitor.tick` from a worker ``QThread``
on a timer of :attr:`Monitor.interval_seconds`, the command line from a plain loop. Each
event comes with its provider, the provider's AI features and the clauses in force that day.
Besides the OS probes, observation sources (the browser extension's) are asked each tick.
"""

from __future__ import annotations

import logging
import sys
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from guard.detect.detector import PROBES, DetectionPass, Detector
from guard.detect.matching import DetectionRules
from guard.detect.observation import Observation, ProbeState, ProbeStatus
from guard.detect.platform import Backends, current_os, default_backends
from guard.detect.process_table import ProcessTable
from guard.detect.sessions import SessionRules, SessionState, advance, set_aside
from guard.events import Evidence, MeetingSession, RunningApp
from guard.jsonable import to_json_data
from guard.settings import Settings

if TYPE_CHECKING:  # the catalog's pydantic models: ``scan`` starts without them (see CatalogSource)
    from guard.catalog.models import AiFeature, Clause, OsName, Provider
    from guard.events import DetectionEvent  # the event classes load with the first event

log = logging.getLogger(__name__)


class CatalogSource(Protocol):
    """What the monitor asks of the catalog: a provider by id. A :class:`~guard.catalog.loader.Catalog`,
    or a stand-in that loads the full catalog only when a provider is first asked for
    (:class:`~guard.catalog.snapshot.LazyCatalog`)."""

    def get(self, provider_id: str) -> Provider | None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


MAX_ENDED = 20  # recently ended meetings kept in the snapshot (the consent form may be about one)


class ObservationSource(Protocol):
    """Observations from outside the OS probes (the browser extension's tabs, notices and
    participants), asked for once per tick. Must be quick and thread-safe: the monitor calls it
    from its own thread while the source is fed from another."""

    def observations(self, at: datetime) -> Sequence[Observation]: ...


def event_json(event: DetectionEvent, provider: dict[str, Any], ai_features: list[Any],
               clauses_in_force: list[Any]) -> dict[str, Any]:
    """One event as ``watch --json`` and ``scan --json`` print it, from its provider's facts as JSON
    values: :class:`MonitorEvent` and ``scan`` (which has them without the catalog's models) both use it."""
    return {**event.to_dict(), "provider": provider, "ai_features": ai_features, "clauses_in_force": clauses_in_force}


@dataclass(frozen=True)
class MonitorEvent:
    """A detection event with what the user needs to judge it: who, which AI features, which clauses."""

    event: DetectionEvent
    provider: Provider
    ai_features: tuple[AiFeature, ...]
    clauses: tuple[Clause, ...]

    def __json__(self) -> dict[str, Any]:
        """The event's own JSON, then ``provider`` (id, name, vendor, kind), ``ai_features`` and
        ``clauses_in_force``: one flat object per event for ``watch --json`` and ``scan --json``."""
        provider = self.provider
        return event_json(self.event, {"id": provider.id, "name": provider.name, "vendor": provider.vendor,
                                       "kind": str(provider.kind)},
                          to_json_data(self.ai_features), to_json_data(self.clauses))

    def to_dict(self) -> dict[str, Any]:
        return self.__json__()


@dataclass(frozen=True)
class Snapshot:
    """What the monitor knows now: apps running, meetings in progress, meetings that ended
    lately (newest last, so the consent form can be about one), and how each probe fares.
    ``not_counted``: what the last pass saw and set aside, with why (a browser window titled like
    a meeting that the browser extension did not confirm)."""

    at: datetime | None
    enabled: bool
    paused_until: datetime | None
    apps: tuple[RunningApp, ...]
    meetings: tuple[MeetingSession, ...]
    probes: tuple[ProbeStatus, ...]
    ended: tuple[MeetingSession, ...] = ()
    not_counted: tuple[Evidence, ...] = ()

    @property
    def unavailable(self) -> tuple[ProbeStatus, ...]:
        return tuple(p for p in self.probes if p.state == ProbeState.UNAVAILABLE)

    @property
    def watching(self) -> bool:
        """Detection is on and not paused: what it shows is current."""
        return self.enabled and self.paused_until is None

    def meeting(self, meeting_id: str) -> MeetingSession | None:
        """A meeting in progress or lately ended, by id."""
        return next((m for m in (*self.meetings, *reversed(self.ended)) if m.id == meeting_id), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json_data(self)
        return data


class Monitor:
    """Detection for the UI and the command line. Not thread-safe: call it from one thread."""

    def __init__(self, catalog: CatalogSource, settings: Settings, probes: Backends | None = None,
                 clock: Callable[[], datetime] | None = None, *, os_name: OsName | None = None,
                 rules: SessionRules | None = None, table: ProcessTable | None = None,
                 sources: Sequence[ObservationSource] = (), detection_rules: DetectionRules | None = None) -> None:
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
        self._ended: deque[MeetingSession] = deque(maxlen=MAX_ENDED)
        self._sources: list[ObservationSource] = list(sources)
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

    def add_source(self, source: ObservationSource) -> None:
        """Also ask ``source`` for observations on every tick (e.g. the browser extension's tabs)."""
        self._sources.append(source)

    def _rules_for(self, catalog: CatalogSource) -> DetectionRules:
        from guard.catalog.loader import Catalog

        if not isinstance(catalog, Catalog):
            raise TypeError("Monitor needs a whole Catalog to compile its detection rules, or detection_rules")
        return self._session_rules_for(DetectionRules.from_catalog(catalog, self._os))

    def _session_rules_for(self, rules: DetectionRules) -> DetectionRules:
        base = self._session_rules or SessionRules()
        self._session_rules = SessionRules(notetakers=rules.notetakers, app_end_ticks=base.app_end_ticks,
                                           meeting_start_ticks=base.meeting_start_ticks,
                                           meeting_end_ticks=base.meeting_end_ticks, media_gated=rules.media_gated)
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
        self._paused_until = until if until is not None else datetime.max.replace(tzinfo=UTC)
        log.info("Detection paused until %s", "resumed" if until is None else until.isoformat())

    def resume(self) -> None:
        self._paused_until = None
        log.info("Detection resumed")

    # -- the work -----------------------------------------------------------------------------
    def tick(self) -> list[MonitorEvent]:
        """One detection pass; the events it produced. Does nothing while disabled or paused."""
        return [enriched for event in self.tick_events() if (enriched := self._enrich(event)) is not None]

    def tick_events(self) -> list[DetectionEvent]:
        """One detection pass; its events as detected, not yet enriched from the catalog: for a
        caller that has its providers' facts without the catalog's models (``scan``)."""
        if not self.enabled or self.paused_until is not None:
            return []
        at = self._clock()
        detection = self._detector.run(at)
        self._last = detection
        observations = list(detection.observations)
        for source in self._sources:
            try:
                observations += source.observations(at)
            except Exception:  # noqa: BLE001 - a broken source must never stop detection
                log.exception("Observation source %r failed; detection goes on without it", source)
        self._state, events = advance(self._state, observations, at, self._session_rules or SessionRules())
        # A meeting's event classes load with its first event (guard.events): until then none has ended.
        meeting_kinds = sys.modules.get("guard.event_kinds_meeting")
        if events and meeting_kinds is not None:
            ended = meeting_kinds.MeetingEnded
            self._ended.extend(event.meeting for event in events if isinstance(event, ended))
        return events

    def _enrich(self, event: DetectionEvent) -> MonitorEvent | None:
        provider = self._catalog.get(event.provider_id)
        if provider is None:
            log.warning("Detected provider '%s' is no longer in the catalog; event dropped", event.provider_id)
            return None
        day: date = event.at.astimezone().date()
        return MonitorEvent(event=event, provider=provider, ai_features=tuple(provider.ai_features),
                            clauses=tuple(provider.clauses_in_force(day)))

    def snapshot(self) -> Snapshot:
        """Apps running, meetings in progress (with evidence), meetings lately ended and each
        probe's state, as of the last tick."""
        if self._last is not None:
            probes = self._last.probes
        else:
            probes = tuple(ProbeStatus(name, ProbeState.IDLE, "not run yet") for name, _setting in PROBES)
        return Snapshot(
            at=self._last.at if self._last else None,
            enabled=self.enabled,
            paused_until=self.paused_until,
            apps=self._state.running_apps,
            meetings=self._state.meetings_in_progress,
            probes=probes,
            ended=tuple(self._ended),
            not_counted=tuple(obs.evidence() for obs in self._last.observations if set_aside(obs))
            if self._last is not None else (),
        )

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release what the backends hold open (the X display connection, the ``pactl subscribe`` child)."""
        for backend in (self._backends.windows, self._backends.microphone, self._backends.camera,
                        self._backends.sockets, self._backends.accessibility):
            close = getattr(backend, "close", None)
            if callable(close):
                close()
