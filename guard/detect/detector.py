"""One detection pass: read the OS through the probes and say what was seen, as observations.

Cheapest first: the process table every tick; command lines only for candidates (meeting
clients and browsers); window titles, microphone and camera only while a candidate runs;
UDP sockets and the accessibility tree (off by default) only for a client that already shows a
meeting. A probe that cannot look says
why and is retried after a pause; a probe that fails unexpectedly is logged and treated the
same way, so detection always goes on with the others (guard.detect.probing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from guard.detect.candidates import Candidate, Unread, classify, instance_root
from guard.detect.device_titles import corroborated
from guard.detect.links import CommandLineLinks, Link, match_links
from guard.detect.matching import DetectionRules
from guard.detect.media import MediaUse
from guard.detect.observation import Observation, ProbeState, ProbeStatus
from guard.detect.platform import Backends
from guard.detect.probing import IDLE_REASON as IDLE_REASON  # importable from here, as before
from guard.detect.probing import PROBES as PROBES
from guard.detect.probing import SETTING, ProbeGuard, guarded, idle_or_off, ordered
from guard.detect.process_table import ProcessEntry, ProcessTable
from guard.detect.sessions import corroborates_meeting
from guard.events import Signal
from guard.detect.window_titles import NEW_TITLES_PER_TICK as NEW_TITLES_PER_TICK  # importable from here
from guard.detect.window_titles import SHOWN_TITLE as SHOWN_TITLE
from guard.detect.window_titles import WindowTitles
from guard.i18n import N_, Text
from guard.settings import DetectionSettings

if TYPE_CHECKING:  # the accessibility reader's modules load only when a client shows a meeting
    from guard.detect.accessibility import ClientInMeeting

T = TypeVar("T")


class DetectionPass(NamedTuple):
    at: datetime
    observations: tuple[Observation, ...]
    probes: tuple[ProbeStatus, ...]
    candidates: Mapping[int, Candidate]


class Detector:
    def __init__(self, rules: DetectionRules, backends: Backends, settings: DetectionSettings,
                 table: ProcessTable | None = None, retry_ticks: int = 15) -> None:
        self.rules = rules
        self.backends = backends
        self.settings = settings
        self.table = table or ProcessTable()
        self.retry_ticks = retry_ticks
        self._classified: dict[int, tuple[float, str, Candidate | None]] = {}
        self.links = CommandLineLinks()
        self.titles = WindowTitles(rules)
        # Browser instances that held the microphone or camera for a web meeting last tick, and for
        # which: while an instance goes on holding them, they stay that meeting's (its tab may have
        # gone to the background, hiding its title). (root pid, create time, provider ids).
        self._held_before: tuple[tuple[int, float, frozenset[str]], ...] = ()
        self._guards = {
            "windows": ProbeGuard("windows", backends.windows.name),
            "microphone": ProbeGuard("microphone", backends.microphone.name),
            "camera": ProbeGuard("camera", backends.camera.name),
            "sockets": ProbeGuard("sockets", backends.sockets.name),
            "browser": ProbeGuard("browser", backends.browser_tabs.name),
            "accessibility": ProbeGuard("accessibility", backends.accessibility.name),
        }

    # -- the pass -----------------------------------------------------------------------------
    def run(self, at: datetime) -> DetectionPass:
        entries = self.table.refresh()
        candidates = self._candidates(entries)
        statuses: dict[str, ProbeStatus] = {}
        observations: list[Observation] = []

        links: list[Link] = []
        if self.settings.process_probe:
            observations += self._process_observations(candidates, at)
            links = self._pending_links(candidates)
            statuses["processes"] = ProbeStatus("processes", ProbeState.OK, backend="psutil")
        else:
            statuses["processes"] = ProbeStatus("processes", ProbeState.OFF, "switched off in the settings", "psutil")

        # The extension's tabs are read every tick (one folder listing when nothing changed), so a
        # closed tab is reported even when its browser has just quit.
        tabs = self._probe("browser", statuses, partial(self.backends.browser_tabs.observations, self.rules, at))
        observations += tabs or []
        if not candidates:
            for name, _setting in PROBES[1:]:
                if name not in statuses:
                    statuses[name] = self._idle_or_off(name)
            return DetectionPass(at, tuple(observations), self._ordered(statuses), candidates)

        shown: set[tuple[int, str]] = set()
        web_by_root: dict[int, set[str]] = {}
        for link in links:
            if candidates[link.pid].browser:
                web_by_root.setdefault(link.root, set()).add(link.provider_id)
        lobbies: dict[int, set[str]] = {}  # browser instance -> providers whose lobby a tab of it shows
        for obs in tabs or []:  # a meeting tab: its browser's microphone and camera are that meeting's
            if obs.signal == Signal.BROWSER_TAB and not obs.closed and obs.pid in candidates:
                root = self._instance_root(obs.pid, candidates)
                if not obs.meeting:  # a lobby: its camera preview explains the devices, and starts no meeting
                    lobbies.setdefault(root, set()).add(obs.provider_id)
                    continue
                shown.add((root, obs.provider_id))
                web_by_root.setdefault(root, set()).add(obs.provider_id)
        windows = self._probe("windows", statuses, self.backends.windows.windows)
        if windows:
            # What the extension says each browser shows in front; None when its reports were not read
            # (switched off, or the probe failed): then a browser's meeting title is unconfirmed.
            fronts = self.backends.browser_tabs.fronts if tabs is not None else None
            window_obs = self.titles.observations(windows, candidates, at, fronts,
                                                  partial(self._instance_root, candidates=candidates))
            observations += window_obs
            for obs in window_obs:
                if obs.meeting and obs.pid in candidates:
                    root = self._instance_root(obs.pid, candidates)
                    shown.add((root, obs.provider_id))
                    if candidates[obs.pid].browser:
                        web_by_root.setdefault(root, set()).add(obs.provider_id)
        names = {pid: candidate.name for pid, candidate in candidates.items()}
        held: set[tuple[int, str]] = set()
        for root, create_time, providers in self._held_before:  # still the same browser instance?
            if root in candidates and candidates[root].create_time == create_time:
                web_by_root.setdefault(root, set()).update(providers)
        device_uses: list[tuple[Signal, list[MediaUse]]] = []
        for probe, signal in (("microphone", Signal.MICROPHONE), ("camera", Signal.CAMERA)):
            backend = self.backends.microphone if probe == "microphone" else self.backends.camera
            device_uses.append((signal, self._probe(probe, statuses, partial(backend.users, names)) or []))
        if windows and self.titles.device_windows:  # a self-hosted call window counts while its browser holds a device
            counted = {(obs.provider_id, obs.window) for obs in window_obs if obs.meeting}
            explained = {root: web_by_root.get(root, set()) | lobbies.get(root, set())
                         for root in set(web_by_root) | set(lobbies)}
            calls = corroborated(self.titles.device_windows, self._browsers_holding(device_uses, candidates),
                                 explained, at, counted, lobbies)
            # the extension's silence refuted such a window's title (a server it does not see): it counts now
            instead = {(obs.provider_id, obs.window) for obs in calls}
            observations = [obs for obs in observations if not (
                obs.signal == Signal.WINDOW_TITLE and not obs.meeting and (obs.provider_id, obs.window) in instead)]
            observations += calls
            for obs in calls:
                root = self._instance_root(obs.pid, candidates) if obs.pid is not None else -1
                shown.add((root, obs.provider_id))
                web_by_root.setdefault(root, set()).add(obs.provider_id)
        for signal, held_by in device_uses:
            observations += self._media_observations(held_by, signal, candidates, web_by_root, at, held)
        observations += self.links.observations(links, at, shown, held)
        self._remember_held(held, candidates)

        meeting_clients = {obs.provider_id for obs in observations if corroborates_meeting(obs)}
        clients = {pid: c.name for pid, c in candidates.items()
                   if not c.browser and meeting_clients.intersection(c.provider_ids)}
        if clients:
            uses = self._probe("sockets", statuses, lambda: self.backends.sockets.users(clients))
            for use in uses or []:
                candidate = candidates.get(use.pid or -1)
                for provider_id in candidate.provider_ids if candidate else ():
                    if provider_id in meeting_clients:
                        observations.append(Observation(provider_id, Signal.SOCKET, use.pid, use.detail, at,
                                                        said=use.said))
        elif "sockets" not in statuses:
            statuses["sockets"] = self._idle_or_off("sockets", "no client shows a meeting")
        # Off by default: then no client's meeting is looked at, nor the reader's modules loaded.
        in_meeting = (self._clients_in_meeting(candidates, meeting_clients, observations)
                      if self._enabled("accessibility") else ())
        if in_meeting:
            found = self._probe("accessibility", statuses,
                                partial(self.backends.accessibility.observations, in_meeting, self.rules, at))
            observations += found or []
        elif "accessibility" not in statuses:
            statuses["accessibility"] = self._idle_or_off("accessibility", "no client shows a meeting")
        return DetectionPass(at, tuple(observations), self._ordered(statuses), candidates)

    @staticmethod
    def _clients_in_meeting(candidates: Mapping[int, Candidate], meeting_clients: set[str],
                            observations: list[Observation]) -> tuple[ClientInMeeting, ...]:
        """The client processes whose provider shows a meeting, with the meeting window each shows."""
        windows = {obs.pid: obs.window for obs in observations
                   if obs.signal == Signal.WINDOW_TITLE and obs.meeting and obs.window and obs.pid is not None}
        found = []
        for pid, candidate in sorted(candidates.items()):
            providers = tuple(p for p in candidate.provider_ids if p in meeting_clients)
            if providers and not candidate.browser:
                from guard.detect.accessibility import ClientInMeeting

                found.append(ClientInMeeting(pid, candidate.name, providers, windows.get(pid)))
        return tuple(found)

    # -- candidates and process evidence -----------------------------------------------------
    def _candidates(self, entries: Mapping[int, ProcessEntry]) -> dict[int, Candidate]:
        classified = self._classified
        for pid in [pid for pid in classified if pid not in entries]:
            del classified[pid]
        self.links.forget_gone(entries)
        candidates: dict[int, Candidate] = {}
        for pid, entry in entries.items():
            known = classified.get(pid)
            if known is None or known[0] != entry.create_time or known[1] != entry.name:
                candidate = classify(entry, self.rules, self.table)
                if isinstance(candidate, Unread):  # mid-exec: no command line yet, classified again next tick
                    continue
                known = (entry.create_time, entry.name, candidate)
                classified[pid] = known
            if known[2] is not None:
                candidates[pid] = known[2]
        return candidates

    def _process_observations(self, candidates: Mapping[int, Candidate], at: datetime) -> list[Observation]:
        oldest: dict[tuple[str, bool, str], Candidate] = {}
        for candidate in candidates.values():
            for match in candidate.matches:
                key = (match.provider_id, match.meeting_only, candidate.name)
                known = oldest.get(key)
                if known is None or (candidate.create_time, candidate.pid) < (known.create_time, known.pid):
                    oldest[key] = candidate
        observations = []
        for (provider_id, meeting_only, name), candidate in sorted(oldest.items()):
            if meeting_only:
                said = Text.of(N_("{name} (pid {pid}) runs only during meetings"), name=name, pid=candidate.pid)
                observations.append(Observation(provider_id, Signal.MEETING_PROCESS, candidate.pid, str(said), at,
                                                said=said))
            else:
                said = Text.of(N_("{name} is running (pid {pid})"), name=name, pid=candidate.pid)
                observations.append(Observation(provider_id, Signal.PROCESS, candidate.pid, str(said), at, said=said))
        return observations

    def _pending_links(self, candidates: Mapping[int, Candidate]) -> list[Link]:
        """The meeting links on candidates' command lines that may still count (see guard.detect.links)."""
        found = []
        for candidate in candidates.values():
            pairs = self.links.found(candidate.pid, candidate.create_time, partial(self._read_links, candidate))
            if pairs:
                root = self._instance_root(candidate.pid, candidates)
                found.append((candidate.pid, candidate.create_time, root, candidates[root].name, pairs))
        return self.links.pending(found)

    def _read_links(self, candidate: Candidate) -> tuple[tuple[str, str], ...] | None:
        """The links on a candidate's command line; None while it has none to read (mid-``exec``)."""
        entry = self.table.entries.get(candidate.pid)
        if entry is None:
            return ()
        cmdline = self.table.detail(entry).cmdline
        if not cmdline:
            return None
        allowed = None if candidate.browser else frozenset(candidate.provider_ids)
        return match_links(self.rules, cmdline[1:], allowed)

    @property
    def title_matches(self) -> int:
        """Window titles matched in the last pass (for tests and benchmarks)."""
        return self.titles.title_matches

    # -- microphone, camera -----------------------------------------------------------------
    def _remember_held(self, held: set[tuple[int, str]], candidates: Mapping[int, Candidate]) -> None:
        """Keep, for the next tick, which web meetings each browser instance's devices belong to."""
        by_root: dict[int, set[str]] = {}
        for root, provider_id in held:
            if root in candidates and candidates[root].browser:
                by_root.setdefault(root, set()).add(provider_id)
        self._held_before = tuple((root, candidates[root].create_time, frozenset(providers))
                                  for root, providers in by_root.items())

    def _instance_root(self, pid: int, candidates: Mapping[int, Candidate]) -> int:
        return instance_root(pid, candidates, self.table)

    def _owner(self, use: MediaUse, candidates: Mapping[int, Candidate]) -> Candidate | None:
        """The candidate behind a device user: itself, an ancestor (helper processes), or by name."""
        pid = use.pid
        for _ in range(6):
            if pid is None:
                break
            if pid in candidates:
                return candidates[pid]
            entry = self.table.entries.get(pid)
            pid = self.table.detail(entry).ppid if entry is not None else None
        if use.pid is None and use.app:
            matches = self.rules.match_app_name(use.app)
            if matches or self.rules.is_browser(use.app):
                return Candidate(-1, use.app, tuple(matches), not matches, 0.0)
        return None

    def _browsers_holding(self, device_uses: list[tuple[Signal, list[MediaUse]]],
                          candidates: Mapping[int, Candidate]) -> set[int]:
        """The browser instances (root pids) that hold the microphone or camera."""
        roots: set[int] = set()
        for _signal, uses in device_uses:
            for use in uses:
                owner = self._owner(use, candidates)
                if owner is not None and owner.browser and owner.pid >= 0:
                    roots.add(self._instance_root(owner.pid, candidates))
        return roots

    def _media_observations(self, uses: list[MediaUse], signal: Signal, candidates: Mapping[int, Candidate],
                            web_by_root: Mapping[int, set[str]], at: datetime,
                            held: set[tuple[int, str]]) -> list[Observation]:
        """Device users attributed to providers; ``held`` collects (instance, provider) pairs."""
        observations: list[Observation] = []
        for use in uses:
            owner = self._owner(use, candidates)
            if owner is None:
                continue
            root = self._instance_root(owner.pid, candidates) if owner.pid >= 0 else -1
            if owner.matches:
                providers: set[str] | tuple[str, ...] = owner.provider_ids
            elif owner.pid < 0:  # a browser named by the OS without a pid: any web meeting seen
                providers = set().union(*web_by_root.values()) if web_by_root else set()
            else:
                providers = web_by_root.get(root, set())
            for provider_id in sorted(providers):
                held.add((root, provider_id))
                observations.append(Observation(provider_id, signal, use.pid, use.detail, at, said=use.said))
        return observations

    # -- probe bookkeeping (guard.detect.probing) -------------------------------------------
    def _probe(self, name: str, statuses: dict[str, ProbeStatus], call: Callable[[], T]) -> T | None:
        return guarded(self._guards[name], self._enabled(name), self.retry_ticks, statuses, call)

    def _idle_or_off(self, name: str, reason: str = IDLE_REASON) -> ProbeStatus:
        return idle_or_off(self._guards[name], self._enabled(name), reason)

    def _enabled(self, name: str) -> bool:
        return bool(getattr(self.settings, SETTING[name]))  # read each time: the monitor may replace the settings

    _ordered = staticmethod(ordered)
