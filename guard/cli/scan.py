"""``meeting-guard scan`` (one detection pass) and ``meeting-guard watch`` (events as they happen).

Both run even when background detection is switched off in the settings (they are explicit
requests); the per-probe switches still apply. ``watch`` prints one line per event until it
gets SIGINT or SIGTERM, then exits 0. Neither imports Qt.
"""

from __future__ import annotations

import argparse
import logging
import signal
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from guard.catalog.snapshot import CatalogSnapshot, LazyCatalog, load_snapshot
from guard.cli.context import CliContext
from guard.cli.status import ExitStatus
from guard.errors import GuardError
from guard.events import MeetingSession, RunningApp
from guard.monitor import Monitor, MonitorEvent, Snapshot, event_json

if TYPE_CHECKING:
    from guard.events import DetectionEvent

log = logging.getLogger(__name__)

CATALOG_HELP = "use the provider files in DIR instead of the shipped catalog (your own catalog still applies)"


class DetectUsageError(GuardError):
    """A bad option to scan or watch."""


def configure_scan(scan: argparse.ArgumentParser) -> None:
    scan.add_argument("--json", action="store_true", help="print JSON")
    scan.add_argument("--catalog", type=Path, metavar="DIR", help=CATALOG_HELP)
    scan.set_defaults(func=run_scan)


def configure_watch(watch: argparse.ArgumentParser) -> None:
    watch.add_argument("--json", action="store_true", help="print one JSON object per line")
    watch.add_argument("--interval", type=float, metavar="S", help="seconds between passes (default: the settings')")
    watch.add_argument("--catalog", type=Path, metavar="DIR", help=CATALOG_HELP)
    watch.set_defaults(func=run_watch)


def _monitor(args: argparse.Namespace, ctx: CliContext, *, one_pass: bool = False,
             ) -> tuple[Monitor, CatalogSnapshot, LazyCatalog]:
    """A monitor on the catalog snapshot: the full catalog (pydantic) loads only if an event needs it.
    ``one_pass`` (``scan``): backends that start no helper meant for many ticks."""
    from guard.detect.matching import DetectionRules
    from guard.detect.platform import current_os, default_backends

    if args.catalog is not None and not args.catalog.is_dir():
        raise DetectUsageError(f"--catalog {args.catalog}: no such folder")
    user = ctx.base_paths.user_catalog_dir
    snapshot, loaded = load_snapshot(ctx.base_paths.cache_dir, shipped=args.catalog, user=user)
    detection = ctx.settings.detection.model_copy(update={"enabled": True})
    settings = ctx.settings.model_copy(update={"detection": detection})
    os_name = current_os()
    rules = DetectionRules.from_data(snapshot.detection(), os_name, table=snapshot.browser_table())
    catalog = LazyCatalog(args.catalog, user, loaded, snapshot, ctx.base_paths.cache_dir)
    backends = default_backends(os_name, one_pass=one_pass)
    return Monitor(catalog, settings, backends, os_name=os_name, detection_rules=rules), snapshot, catalog


def run_scan(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    monitor, catalog, providers = _monitor(args, ctx, one_pass=True)
    try:
        events = monitor.tick_events()
        snapshot = monitor.snapshot()
    finally:
        monitor.close()
    problems = list(catalog.problems)
    desktop = _desktop(ctx, snapshot)
    if args.json:
        ctx.print_json({**snapshot.to_dict(), "events": _events_json(events, providers),
                        "catalog_problems": problems, "desktop": desktop})
    else:
        _print_snapshot(ctx, snapshot, catalog)
        ctx.print(f"This desktop: {desktop['summary']}")
        for capability in desktop["capabilities"]:
            enable = f" ({capability['enable']})" if capability["enable"] else ""
            ctx.print(f"  {capability['label']}: {capability['detail']}{enable}")
        for problem in problems:
            ctx.print(f"Catalog problem: {problem}")
    return ExitStatus.OK


def _events_json(events: list[DetectionEvent], providers: LazyCatalog) -> list[dict[str, Any]]:
    """The events as ``watch --json`` prints them (:class:`MonitorEvent`), from the providers' facts
    kept in the catalog snapshot: a scan that finds a client running needs no catalog models."""
    found = []
    for event in events:
        facts = providers.event_facts(event.provider_id)
        if facts is None:  # as Monitor.tick says it
            log.warning("Detected provider '%s' is no longer in the catalog; event dropped", event.provider_id)
            continue
        found.append(event_json(event, facts.provider, facts.ai_features,
                                facts.clauses_in_force(event.at.astimezone().date())))
    return found


def _desktop(ctx: CliContext, snapshot: Snapshot) -> dict[str, Any]:
    """The desktop, what its session offers, and what each signal can do here (with this scan's probes)."""
    from guard.desktop import look_around
    from guard.jsonable import to_json_data
    from guard.presentation.desktop import desktop_capabilities, desktop_summary

    report = look_around(ctx.env.environ)
    capabilities = desktop_capabilities(report, snapshot.probes)
    return {**to_json_data(report), "summary": desktop_summary(report.facts),
            "capabilities": to_json_data(capabilities)}


def _print_snapshot(ctx: CliContext, snapshot: Snapshot, catalog: CatalogSnapshot) -> None:
    def sessions(heading: str, items: tuple[RunningApp, ...] | tuple[MeetingSession, ...], none: str) -> None:
        ctx.print(heading)
        if not items:
            ctx.print(f"  {none}")
        for item in items:
            values = (item.title, item.url) if isinstance(item, MeetingSession) else ()
            extra = "".join(f" {value!r}" for value in values if value)
            ctx.print(f"  {catalog.name_of(item.provider_id)}{extra}, "
                      f"since {item.started_at.astimezone():%H:%M:%S}")
            for evidence in item.evidence:
                ctx.print(f"    - {evidence.signal}: {evidence.detail}")

    sessions("Meeting clients running:", snapshot.apps, "none")
    sessions("Meetings in progress:", snapshot.meetings, "none")
    if snapshot.not_counted:
        ctx.print("Seen and not counted:")
        for evidence in snapshot.not_counted:
            ctx.print(f"  - {evidence.signal}: {evidence.detail}")
    ctx.print("Probes:")
    for probe in snapshot.probes:
        reason = f": {probe.reason}" if probe.reason else ""
        backend = f" [{probe.backend}]" if probe.backend else ""
        ctx.print(f"  {probe.name}{backend} {probe.state}{reason}")


def run_watch(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    if args.interval is not None and not 0.1 <= args.interval <= 3600:
        raise DetectUsageError(f"--interval {args.interval}: give seconds between 0.1 and 3600")

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Both signals end the watch, even when SIGINT came in ignored (a job started in the
    # background by a script or a CI runner inherits SIG_IGN, and Python then leaves it so).
    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    monitor = None
    try:
        monitor, _catalog, _providers = _monitor(args, ctx)
        interval = args.interval if args.interval is not None else monitor.interval_seconds
        ctx.err.write(f"meeting-guard: watching every {interval:g} s; Ctrl-C to stop\n")
        ctx.err.flush()
        next_at = time.monotonic()
        while True:
            for event in monitor.tick():
                _print_event(ctx, event, args.json)
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:  # fell behind (e.g. the machine slept): start again from now
                next_at = time.monotonic()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the normal end of a watch
        return ExitStatus.OK
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if monitor is not None:
            monitor.close()


def _print_event(ctx: CliContext, event: MonitorEvent, as_json: bool) -> None:
    if as_json:
        ctx.print_json(event.to_dict())
        return
    item: Any = event.event
    what = getattr(item, "meeting_title", None) or getattr(item, "meeting_url", None) or ""
    evidence = "; ".join(e.detail for e in item.evidence)
    ctx.print(f"{item.at.astimezone():%H:%M:%S} {item.kind} {event.provider.name}"
              f"{f' {what!r}' if what else ''}: {evidence}")
    ctx.out.flush()
