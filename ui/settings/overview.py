"""The overview tab: what runs now (and why the app thinks so), AI features that could be on,
the latest terms changes, the ledger's state, and anything wrong with the catalog or settings."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from guard.errors import GuardError
from guard.events import MeetingSession, RunningApp
from guard.presentation.desktop import desktop_capabilities, desktop_summary
from guard.presentation.i18n import _, colon, format_number, format_time, labelled, ngettext, say, words_for
from guard.presentation.overview import DocumentVersions, features_that_could_be_on, version_label
from guard.presentation.problems import probe_advice, probe_problem
from guard.presentation.wording import (
    ACTOR_NAMES,
    OPTION_NAMES,
    TRAINS_SHORT,
    evidence_detail,
    one_line,
    quoted,
    signal_name,
)
from guard.presentation.terms_state import no_change_line
from guard.services import (BrowserIntegration, DesktopReport, LedgerCheck, Services, Snapshot, TermsLog, TermsOverview,
                            desktop_report)
from ui.jobs import JobRunner, Lane
from ui.settings.common import css_colour, esc, highlight_tint, muted_tint, named
from ui.tray.presence import tray_presence

if TYPE_CHECKING:
    from guard.services import TamperEvidence

log = logging.getLogger(__name__)

VERIFY_JOB = "verify"
TAMPER_JOB = "overview-tamper"

REDRAW_SECONDS = 10.0
TERMS_LOG_ROWS = 200  # enough fetch-log rows for the last check's state (one row per document and source)


class OverviewTab(QWidget):
    link_activated = Signal(str, str)  # kind ("tab", "terms", "provider", "record"), target

    def __init__(self, services: Services, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.snapshot: Snapshot | None = None
        self.ledger_state: LedgerCheck | None = None
        self.ledger_error: str | None = None
        self.tamper: TamperEvidence | None = None
        self.verifying = False
        self.changes: list[DocumentVersions] = []
        self.relevant: dict[tuple[str, str], int | str] = {}
        self.terms_state = "reading"
        self.terms_log: TermsLog | None = None
        self.desktop: DesktopReport | None = None
        self.browsers: tuple[BrowserIntegration, ...] | None = None  # None: not read yet
        self._stale = False
        self.browser = named(QTextBrowser(), _("Overview"))
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.verify_button = named(QPushButton(_("&Verify the ledger")), _("Verify the ledger"),
                                   _("Check every record's hash, link and signature now"))
        self.verify_button.clicked.connect(self.verify)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        tray_presence().changed.connect(self.render)  # the tray icon appeared: say so
        self.refresh_terms()
        self.verify()
        self.tasks.submit(desktop_report, self._desktop_read, lambda error: log.warning("Desktop not read: %s", error),
                          lane=Lane.IO, key="overview-desktop", owner=self)
        self.refresh_browsers()

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
        self.refresh_browsers()  # the extension may have been set up (Preferences) since
        super().showEvent(event)

    def refresh_browsers(self) -> None:
        """Read each browser's extension state ("Browser tabs" says it as Preferences does)."""
        self.tasks.submit(self.services.browser_integration, self._browsers_read,
                          lambda error: log.warning("Browsers not read: %s", error), lane=Lane.IO,
                          key="overview-browsers", owner=self)

    def _browsers_read(self, browsers: Sequence[BrowserIntegration]) -> None:
        if self.browsers is None or list(self.browsers) != list(browsers):
            self.browsers = tuple(browsers)
            self.render()

    def verify(self) -> None:
        """Verify the whole ledger on a worker thread (it may hold 100,000 records)."""
        self.verifying = True
        self.verify_button.setEnabled(False)
        self.render()
        stop = threading.Event()
        self.tasks.submit(lambda: self.services.verify(cancel=stop), self._verified, self._verify_failed,
                          lane=Lane.LONG, key=VERIFY_JOB, owner=self, cancel=stop)

    def _verified(self, state: LedgerCheck) -> None:
        self.verifying = False
        self.verify_button.setEnabled(True)
        self.ledger_state, self.ledger_error = state, None
        self.render()
        # What that verdict can and cannot vouch for depends on where the keys live (keyring or files).
        stop = threading.Event()
        self.tasks.submit(lambda: self.services.tamper_evidence(cancel=stop), self._tamper_read,
                          lambda error: log.warning("Tamper evidence not read: %s", error),
                          lane=Lane.IO, key=TAMPER_JOB, owner=self, cancel=stop)

    def stop_reading_keyring(self) -> None:
        """Nobody will see the verdict (the window closes, the app quits): stop waiting on the keyring."""
        for key in (VERIFY_JOB, TAMPER_JOB):
            self.tasks.cancel(key)

    def _tamper_read(self, evidence: TamperEvidence) -> None:
        self.tamper = evidence
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
        services = self.services
        self.tasks.submit(lambda: (services.latest_terms_changes(), services.terms_log(TERMS_LOG_ROWS)), self._counted,
                          self._terms_failed, lane=Lane.LONG, key="overview-terms", owner=self)
        self.render()

    def _desktop_read(self, report: DesktopReport) -> None:
        self.desktop = report
        self.render()

    def _counted(self, result: tuple[TermsOverview, TermsLog]) -> None:
        overview, self.terms_log = result
        self.changes, self.relevant = list(overview.changes), overview.relevant
        self.terms_state = "ready"
        self.render()

    def _terms_failed(self, error: BaseException) -> None:
        log.error("Terms store: %s", error)
        self.changes, self.relevant = [], {}
        self.terms_state = _("The terms store cannot be read: {error}").format(error=error)
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
        title = f" — {esc(quoted(one_line(session.title, 200)))}" if meeting and session.title else ""
        since = format_time(session.started_at)
        evidence = "".join(f"<li>{esc(labelled(signal_name(str(e.signal)), one_line(evidence_detail(e), 300)))}</li>"
                           for e in session.evidence)
        what = (_("meeting in progress since {time}") if meeting else _("running since {time}")).format(time=since)
        provider = self.services.catalog.get(session.provider_id)
        name = provider.name if provider else session.provider_id
        link = f'<a href="provider:{esc(session.provider_id)}">{esc(name)}</a>'
        return f"<p><b>{link}</b>{title} · {esc(what)}</p><ul>{evidence}</ul>"

    def _now(self) -> str:
        out = [f"<h3>{esc(_('Now on this computer'))}</h3>"]
        snap = self.snapshot
        if snap is None:
            out.append(f"<p>{esc(_('Detection has not reported yet.'))}</p>")
            return "".join(out)
        if not snap.enabled:
            out.append(f"<p>{esc(_('Monitoring is switched off (Preferences).'))}</p>")
        elif snap.paused_until is not None:
            paused = (_("Monitoring is paused until resumed.") if snap.paused_until.year >= 9999 else
                      _("Monitoring is paused until {time}.").format(time=format_time(snap.paused_until)))
            out.append(f"<p>{esc(paused)}</p>")
        in_meeting = {m.provider_id for m in snap.meetings}
        if snap.meetings:
            count = len(snap.meetings)
            heading = ngettext("{count} meeting in progress", "{count} meetings in progress", count).format(
                count=format_number(count))
            out.append(f'<p style="background:{self._tint}; padding:4px"><b>{esc(heading)}</b></p>')
            out += [self._session(m) for m in snap.meetings]
        apps = [a for a in snap.apps if a.provider_id not in in_meeting]
        if apps:
            out += [self._session(a) for a in apps]
        if not snap.meetings and not apps and snap.enabled:
            out.append(f"<p>{esc(_('No meeting client or AI note-taker is running.'))}</p>")
        if snap.unavailable:  # said here once, with what to do (the tray menu stays about meetings)
            items = "".join(f"<li><b>{esc(probe_problem(p.name, one_line(p.reason, 300), p.said))}</b><br>"
                            f"{esc(probe_advice(p.name))}</li>" for p in snap.unavailable)
            explained = _("These signals cannot be read here, so detection relies on the others:")
            out.append(f"<p>{esc(explained)}</p><ul>{items}</ul>")
        if snap.at is not None:
            last = labelled(_("Last look"), format_time(snap.at, "medium"))
            out.append(f"<p><small>{esc(last)}</small></p>")
        return "".join(out)

    def _desktop_section(self) -> str:
        """Per signal, whether it works on this desktop and what would enable it."""
        out = [f"<h3>{esc(_('What works on this desktop'))}</h3>"]
        if self.desktop is None:
            out.append(f"<p>{esc(_('Looking at the desktop…'))}</p>")
            return "".join(out)
        probes = self.snapshot.probes if self.snapshot is not None else ()
        out.append(f"<p>{esc(desktop_summary(self.desktop.facts))}</p><ul>")
        marks = {True: _("✓ works"), False: _("✗ not here"), None: _("not known")}  # said in words, not "?"
        # A probe that cannot read its signal is named once, above, with what to do (README: "names each once").
        said_above = {p.name for p in self.snapshot.unavailable} if self.snapshot is not None else set()
        for capability in desktop_capabilities(self.desktop, probes, tray_presence().state(), self.browsers):
            if capability.works is False and capability.signal in said_above:
                out.append(f"<li><b>{esc(capability.label)}</b> ({esc(marks[False])}){esc(colon())}"
                           f"{esc(_('unavailable (said above, with what to do)'))}</li>")
                continue
            enable = f"<br>{esc(labelled(_('To enable'), capability.enable))}" if capability.enable else ""
            mark = capability.mark or marks[capability.works]  # "not set up" where "not here" would mislead
            out.append(f"<li><b>{esc(capability.label)}</b> ({esc(mark)}){esc(colon())}"
                       f"{esc(capability.detail)}{enable}</li>")
        out.append("</ul>")
        return "".join(out)

    def _features(self) -> str:
        live = features_that_could_be_on(self.snapshot, self.services.catalog)
        out = [f"<h3>{esc(_('AI features that could be on'))}</h3>"]
        if not live:
            out.append(f"<p>{esc(_('None: no provider with AI features is running.'))}</p>")
            return "".join(out)
        headers = (_("Feature"), _("Switched on by"), _("You can"), _("May train AI models"))
        rows = ["<tr>" + "".join(f"<th align='left'>{esc(header)}</th>" for header in headers) + "</tr>"]
        shown: set[str] = set()
        for item in live:
            if item.provider.id not in shown:
                shown.add(item.provider.id)
                meeting = " — " + (_("in a meeting now") if item.in_meeting else _("running"))
                rows.append(f'<tr><td colspan="4"><b><a href="provider:{esc(item.provider.id)}">'
                            f"{esc(item.provider.name)}</a>{esc(meeting)}</b></td></tr>")
            badge = ("" if item.feature.verified else
                     f' <span style="background:{self._badge}">&nbsp;{esc(_("unverified"))}&nbsp;</span>')
            rows.append(
                f"<tr><td>{esc(item.feature.name)}{badge}</td>"
                f"<td>{esc(', '.join(words_for(ACTOR_NAMES, a) for a in item.feature.enabled_by))}</td>"
                f"<td>{esc(', '.join(words_for(OPTION_NAMES, o) for o in item.feature.participant_options))}</td>"
                f"<td>{esc(words_for(TRAINS_SHORT, item.feature.trains_models))}</td></tr>")
        out.append(f"<table cellspacing='4'>{''.join(rows)}</table>")
        return "".join(out)

    def _terms_section(self) -> str:
        out = [f"<h3>{esc(_('Latest terms changes'))}</h3>"]
        if self.terms_state == "reading":
            out.append(f"<p>{esc(_('Reading the terms store…'))}</p>")
        elif self.terms_state != "ready":
            out.append(f"<p>{esc(self.terms_state)}</p>")
        elif not self.changes:
            checks = self.terms_log
            said = no_change_line(checks.last_check if checks else None, checks.fetches if checks else (),
                                  network_enabled=self.services.settings.terms.network_enabled)
            out.append(f"<p>{esc(said)}</p>")
        for doc in self.changes:
            key = (doc.provider_id, doc.document_id)
            count = self.relevant.get(key)
            if count is None:
                said = esc(_("comparing…"))
            elif isinstance(count, str):
                said = esc(_("cannot be compared: {reason}").format(reason=count))
            elif count:
                changes = ngettext("{count} change to AI or data-use clauses", "{count} changes to AI or data-use "
                                   "clauses", count).format(count=format_number(count))
                said = f'<span style="background:{self._tint}">{esc(changes)}</span>'
            else:
                said = esc(_("no change to AI or data-use clauses"))
            previous = version_label(doc.previous) if doc.previous else "—"
            out.append(f'<p><a href="terms:{esc(doc.provider_id)}/{esc(doc.document_id)}">'
                       f"{esc(labelled(doc.provider_name, doc.title))}</a><br>{esc(previous)} → "
                       f"{esc(version_label(doc.latest))}{esc(colon())}{said}</p>")
        out.append(f'<p><a href="tab:terms">{esc(_("All documents and the fetch log"))}</a></p>')
        return "".join(out)

    def _ledger(self) -> str:
        out = [f"<h3>{esc(_('Consent ledger'))}</h3>"]
        if self.ledger_error:
            unreadable = _("The ledger cannot be read: {error}").format(error=self.ledger_error)
            out.append(f'<p style="background:{self._tint}; padding:4px">{esc(unreadable)}</p>')
        state = self.ledger_state
        if state is not None and state.report is not None:
            report = state.report
            verdict = (_("NOT verified") if not report.ok else  # "every record intact" of none read as a claim
                       _("verified: every record intact") if state.count else _("no records to verify yet"))
            records = ngettext("{count} record", "{count} records", state.count).format(
                count=format_number(state.count))
            style = "" if report.ok else f' style="background:{self._tint}; padding:4px"'
            out.append(f"<p{style}><b>{esc(records)} · {esc(verdict)}</b><br>{esc(say(report.summary_text()))}</p>")
            if state.key is not None and (report.count or not report.ok):  # an empty ledger's summary names it
                out.append(f"<p>{esc(labelled(_('Signing key'), say(state.key.text())))}</p>")
        if state is not None and state.waiting:
            kept = ngettext("{count} decision is kept on this computer, not yet in the ledger: the signing key "
                            "cannot be read now. It is added, with the time it was made, once the key can be read.",
                            "{count} decisions are kept on this computer, not yet in the ledger: the signing key "
                            "cannot be read now. They are added, with the times they were made, once the key can be "
                            "read.",
                            state.waiting).format(count=format_number(state.waiting))
            out.append(f'<p style="background:{self._tint}; padding:4px">{esc(kept)}</p>')
        if self.verifying:
            out.append(f"<p>{esc(_('Verifying…'))}</p>")
        if self.tamper is not None:
            out.append(self._tamper_limits(self.tamper))
        out.append(f'<p><a href="tab:history">{esc(_("Open the consent history"))}</a></p>')
        return "".join(out)

    def _tamper_limits(self, evidence: TamperEvidence) -> str:
        """What verification catches on this computer and what it cannot (the ledger's own sentences)."""
        if evidence.keyring is None:
            where = _("No keyring: the signing key, the trusted keys and the newest head are kept in files.")
        elif evidence.key_in_file:
            where = _("Keyring: {name} (the signing key itself is in the key file).").format(name=evidence.keyring)
        else:
            where = _("Keyring: {name}.").format(name=evidence.keyring)
        style = "" if evidence.full else f' style="background:{self._tint}; padding:4px"'
        out = [f"<p{style}>{esc(where)}</p>", f"<p>{esc(_('Verification catches:'))}</p><ul>"]
        out += [f"<li>{esc(_(line))}</li>" for line in evidence.detects]  # the ledger's sentences, marked there
        out.append(f"</ul><p>{esc(_('It cannot catch:'))}</p><ul>")
        out += [f"<li>{esc(_(line))}</li>" for line in evidence.cannot_detect]
        out.append("</ul>")
        return "".join(out)

    def _problems(self) -> str:
        problems = self.services.problems()
        out = [f"<h3>{esc(_('Problems'))}</h3>"]
        if not problems:
            out.append(f"<p>{esc(_('No problems with the catalog, settings or terms store.'))}</p>")
        else:
            out.append("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
        return "".join(out)

    def _link(self, url: QUrl) -> None:
        kind, _colon, target = url.toString().partition(":")
        self.link_activated.emit(kind, target)
