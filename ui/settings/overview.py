"""The overview tab: what runs now (and why the app thinks so), AI features that could be on,
the latest terms changes, the ledger's state, and anything wrong with the catalog or settings."""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from guard.errors import GuardError
from guard.events import MeetingSession, RunningApp
from guard.presentation.desktop import desktop_capabilities, desktop_summary
from guard.presentation.overview import DocumentVersions, features_that_could_be_on, version_label
from guard.presentation.wording import one_line
from guard.services import DesktopReport, LedgerCheck, Services, Snapshot, TermsOverview, desktop_report
from ui.jobs import JobRunner, Lane
from ui.settings.common import css_colour, esc, highlight_tint, muted_tint, named
from ui.settings.provider_page import ACTORS, OPTIONS, TRAINS

log = logging.getLogger(__name__)

REDRAW_SECONDS = 10.0


SIGNALS = {"process": "Process", "meeting-process": "Meeting-only process", "command-line": "Command line",
           "window-title": "Window title", "microphone": "Microphone", "camera": "Camera", "socket": "Media socket",
           "browser-tab": "Browser tab", "ai-notice": "Notice in the meeting", "participant": "Participant"}


class OverviewTab(QWidget):
    link_activated = Signal(str, str)  # kind ("tab", "terms", "provider", "record"), target

    def __init__(self, services: Services, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.snapshot: Snapshot | None = None
        self.ledger_state: LedgerCheck | None = None
        self.ledger_error: str | None = None
        self.verifying = False
        self.changes: list[DocumentVersions] = []
        self.relevant: dict[tuple[str, str], int | str] = {}
        self.terms_state = "reading"
        self.desktop: DesktopReport | None = None
        self._stale = False
        self.browser = named(QTextBrowser(), "Overview")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.verify_button = named(QPushButton("&Verify the ledger"), "Verify the ledger",
                                   "Check every record's hash, link and signature now")
        self.verify_button.clicked.connect(self.verify)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.refresh_terms()
        self.verify()
        self.tasks.submit(desktop_report, self._desktop_read, lambda error: log.warning("Desktop not read: %s", error),
                          lane=Lane.IO, key="overview-desktop", owner=self)

    # -- inputs ------------------------------------------------------------------------------
    def set_snapshot(self, snapshot: Snapshot | None) -> None:
        """The monitor's latest snapshot. Drawn again only when what it shows changed (or its
        "last look" time is 10 s old) and the tab is on screen: a pass comes every few seconds."""
        before, self.snapshot = self.snapshot, snapshot
        if not self.isVisible():
            self._stale = True
            return
        if before is not None and snapshot is not None and before.at is not None and snapshot.at is not None \
                and replace(before, at=None) == replace(snapshot, at=None) \
                and (snapshot.at - before.at).total_seconds() < REDRAW_SECONDS and not self._stale:
            self.snapshot = before  # keep the time last drawn, so the 10 s count from there
            return
        self._stale = False
        self.render()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.render()
        super().showEvent(event)

    def verify(self) -> None:
        """Verify the whole ledger on a worker thread (it may hold 100,000 records)."""
        self.verifying = True
        self.verify_button.setEnabled(False)
        self.render()
        self.tasks.submit(self.services.verify, self._verified, self._verify_failed, lane=Lane.LONG, key="verify",
                          owner=self)

    def _verified(self, state: LedgerCheck) -> None:
        self.verifying = False
        self.verify_button.setEnabled(True)
        self.ledger_state, self.ledger_error = state, None
        self.render()

    def _verify_failed(self, error: BaseException) -> None:
        self.verifying = False
        self.verify_button.setEnabled(True)
        self.ledger_error = str(error) if isinstance(error, GuardError) else f"{type(error).__name__}: {error}"
        self.render()

    def refresh_terms(self) -> None:
        """The latest changed documents and how many of their changes touch AI or data use
        (read and compared on a worker thread)."""
        self.terms_state = "reading"
        self.tasks.submit(self.services.latest_terms_changes, self._counted, self._terms_failed, lane=Lane.LONG,
                          key="overview-terms", owner=self)
        self.render()

    def _desktop_read(self, report: DesktopReport) -> None:
        self.desktop = report
        self.render()

    def _counted(self, result: TermsOverview) -> None:
        self.changes, self.relevant = list(result.changes), result.relevant
        self.terms_state = "ready"
        self.render()

    def _terms_failed(self, error: BaseException) -> None:
        log.error("Terms store: %s", error)
        self.changes, self.relevant = [], {}
        self.terms_state = f"The terms store cannot be read: {error}"
        self.render()

    # -- output ------------------------------------------------------------------------------
    def render(self) -> None:
        pal = self.browser.palette()
        self._tint = css_colour(highlight_tint(pal))
        self._badge = css_colour(muted_tint(pal, 0.22))
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml("".join((self._now(), self._desktop_section(), self._features(), self._terms_section(),
                                      self._ledger(), self._problems())))
        self.browser.verticalScrollBar().setValue(scroll)

    def _session(self, session: MeetingSession | RunningApp) -> str:
        meeting = isinstance(session, MeetingSession)
        title = f" — “{esc(one_line(session.title, 200))}”" if meeting and session.title else ""
        since = session.started_at.astimezone().strftime("%H:%M")
        evidence = "".join(f"<li>{esc(SIGNALS.get(str(e.signal), str(e.signal)))}: {esc(one_line(e.detail, 300))}</li>"
                           for e in session.evidence)
        what = "meeting in progress" if meeting else "running"
        provider = self.services.catalog.get(session.provider_id)
        name = provider.name if provider else session.provider_id
        link = f'<a href="provider:{esc(session.provider_id)}">{esc(name)}</a>'
        return f"<p><b>{link}</b>{title} · {what} since {since}</p><ul>{evidence}</ul>"

    def _now(self) -> str:
        out = ["<h3>Now on this computer</h3>"]
        snap = self.snapshot
        if snap is None:
            out.append("<p>Detection has not reported yet.</p>")
            return "".join(out)
        if not snap.enabled:
            out.append("<p>Detection is switched off (Preferences).</p>")
        elif snap.paused_until is not None:
            until = "until resumed" if snap.paused_until.year >= 9999 else \
                f"until {snap.paused_until.astimezone().strftime('%H:%M')}"
            out.append(f"<p>Detection is paused {until}.</p>")
        in_meeting = {m.provider_id for m in snap.meetings}
        if snap.meetings:
            out.append(f'<p style="background:{self._tint}; padding:4px"><b>{len(snap.meetings)} meeting'
                       f"{'s' if len(snap.meetings) != 1 else ''} in progress</b></p>")
            out += [self._session(m) for m in snap.meetings]
        apps = [a for a in snap.apps if a.provider_id not in in_meeting]
        if apps:
            out += [self._session(a) for a in apps]
        if not snap.meetings and not apps and snap.enabled:
            out.append("<p>No meeting client or AI note-taker is running.</p>")
        if snap.unavailable:
            items = "".join(f"<li>{esc(p.name.capitalize())}: {esc(p.reason)}</li>" for p in snap.unavailable)
            out.append(f"<p>These signals cannot be read here, so detection relies on the others:</p><ul>{items}</ul>")
        if snap.at is not None:
            out.append(f"<p><small>Last look: {snap.at.astimezone().strftime('%H:%M:%S')}</small></p>")
        return "".join(out)

    def _desktop_section(self) -> str:
        """Per signal, whether it works on this desktop and what would enable it."""
        out = ["<h3>What works on this desktop</h3>"]
        if self.desktop is None:
            out.append("<p>Looking at the desktop…</p>")
            return "".join(out)
        probes = self.snapshot.probes if self.snapshot is not None else ()
        out.append(f"<p>{esc(desktop_summary(self.desktop.facts))}</p><ul>")
        for capability in desktop_capabilities(self.desktop, probes):
            mark = {True: "✓ works", False: "✗ not here", None: "?"}[capability.works]
            enable = f"<br>To enable: {esc(capability.enable)}" if capability.enable else ""
            out.append(f"<li><b>{esc(capability.label)}</b> ({mark}): {esc(capability.detail)}{enable}</li>")
        out.append("</ul>")
        return "".join(out)

    def _features(self) -> str:
        live = features_that_could_be_on(self.snapshot, self.services.catalog)
        out = ["<h3>AI features that could be on</h3>"]
        if not live:
            out.append("<p>None: no provider with AI features is running.</p>")
            return "".join(out)
        rows = ["<tr><th align='left'>Feature</th><th align='left'>Switched on by</th>"
                "<th align='left'>You can</th><th align='left'>May train AI models</th></tr>"]
        shown: set[str] = set()
        for item in live:
            if item.provider.id not in shown:
                shown.add(item.provider.id)
                meeting = " — in a meeting now" if item.in_meeting else " — running"
                rows.append(f'<tr><td colspan="4"><b><a href="provider:{esc(item.provider.id)}">'
                            f"{esc(item.provider.name)}</a>{meeting}</b></td></tr>")
            badge = ("" if item.feature.verified else
                     f' <span style="background:{self._badge}">&nbsp;unverified&nbsp;</span>')
            rows.append(
                f"<tr><td>{esc(item.feature.name)}{badge}</td>"
                f"<td>{esc(', '.join(ACTORS.get(str(a), str(a)) for a in item.feature.enabled_by))}</td>"
                f"<td>{esc(', '.join(OPTIONS.get(str(o), str(o)) for o in item.feature.participant_options))}</td>"
                f"<td>{esc(TRAINS.get(str(item.feature.trains_models), str(item.feature.trains_models)))}</td></tr>")
        out.append(f"<table cellspacing='4'>{''.join(rows)}</table>")
        return "".join(out)

    def _terms_section(self) -> str:
        out = ["<h3>Latest terms changes</h3>"]
        if self.terms_state == "reading":
            out.append("<p>Reading the terms store…</p>")
        elif self.terms_state != "ready":
            out.append(f"<p>{esc(self.terms_state)}</p>")
        elif not self.changes:
            out.append("<p>No watched document has changed since the versions shipped with the app.</p>")
        for doc in self.changes:
            key = (doc.provider_id, doc.document_id)
            count = self.relevant.get(key)
            if count is None:
                said = "comparing…"
            elif isinstance(count, str):
                said = f"cannot be compared: {esc(count)}"
            elif count:
                plural = "s" if count != 1 else ""
                said = f'<span style="background:{self._tint}">{count} change{plural} to AI or data-use clauses</span>'
            else:
                said = "no change to AI or data-use clauses"
            previous = version_label(doc.previous) if doc.previous else "—"
            out.append(f'<p><a href="terms:{esc(doc.provider_id)}/{esc(doc.document_id)}">{esc(doc.provider_name)}: '
                       f"{esc(doc.title)}</a><br>{esc(previous)} → {esc(version_label(doc.latest))}: {said}</p>")
        out.append('<p><a href="tab:terms">All documents and the fetch log</a></p>')
        return "".join(out)

    def _ledger(self) -> str:
        out = ["<h3>Consent ledger</h3>"]
        if self.ledger_error:
            out.append(f'<p style="background:{self._tint}; padding:4px">The ledger cannot be read: '
                       f"{esc(self.ledger_error)}</p>")
        state = self.ledger_state
        if state is not None and state.report is not None:
            report = state.report
            verdict = "verified: every record intact" if report.ok else "NOT verified"
            style = "" if report.ok else f' style="background:{self._tint}; padding:4px"'
            out.append(f"<p{style}><b>{state.count:,} records · {verdict}</b><br>{esc(report.summary())}</p>")
            if state.key is not None:
                out.append(f"<p>Signing key: {esc(state.key.message())}</p>")
        if self.verifying:
            out.append("<p>Verifying…</p>")
        out.append('<p><a href="tab:history">Open the consent history</a></p>')
        return "".join(out)

    def _problems(self) -> str:
        problems = self.services.problems()
        out = ["<h3>Problems</h3>"]
        if not problems:
            out.append("<p>No problems with the catalog, settings or terms store.</p>")
        else:
            out.append("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
        return "".join(out)

    def _link(self, url: QUrl) -> None:
        kind, _, target = url.toString().partition(":")
        self.link_activated.emit(kind, target)
