"""Screenshots of every window and tray state, in each language, light and dark, at 1× and 2×:

    python -m tests.ui.gallery OUT                       # the whole matrix (en/de/fr × light/dark × 1×/2×)
    python -m tests.ui.gallery OUT --lang en de --theme light --scale 1 --readme
                                                        # also copies the README's pictures to docs/screenshots

Each combination runs in its own process (Qt reads QT_SCALE_FACTOR once) on a private, real X
server (the tests' desktop session: Xvfb, D-Bus, trayer, dunst, gnome-keyring). The app is the
real one with the shipped catalog: a fake Zoom client (a copy of ``sleep`` named ``zoom``) shows a
window titled "Zoom Meeting" and the real monitor detects it; the ledger holds records made
through the real API. Widgets are rendered by Qt itself (``QWidget.grab``), so a 2× picture has
twice the pixels. Writes OUT/<lang>-<theme>-<scale>x/<name>.png:

welcome, tray-idle, tray-meeting (the menu and the meeting's submenu), tray-paused, consent-dialog,
settings-overview, settings-providers, settings-history, settings-terms, settings-preferences,
no-tray (the window shown when the desktop has no tray).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

README_SHOTS = ("welcome", "tray-meeting", "consent-dialog", "settings-overview", "settings-providers",
                "settings-history", "settings-terms", "settings-preferences")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", nargs="+", default=["en", "de", "fr"])
    parser.add_argument("--theme", nargs="+", default=["light", "dark"], choices=["light", "dark"])
    parser.add_argument("--scale", nargs="+", type=int, default=[1, 2], choices=[1, 2])
    parser.add_argument("--readme", action="store_true",
                        help="copy the light 1x pictures to docs/screenshots/<lang>-<name>.png")
    parser.add_argument("--one", nargs=3, metavar=("LANG", "THEME", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if args.one:
        language, theme, scale = args.one
        return shoot(out / f"{language}-{theme}-{scale}x", language, theme)
    failed = 0
    for language in args.lang:
        for theme in args.theme:
            for scale in args.scale:
                env = dict(os.environ, QT_SCALE_FACTOR=str(scale), PYTHONPATH=str(ROOT))
                code = subprocess.run([sys.executable, "-m", "tests.ui.gallery", str(out), "--one", language, theme,
                                       str(scale)], env=env, cwd=ROOT).returncode
                failed += code != 0
    if args.readme:
        docs = ROOT / "docs" / "screenshots"
        for language in args.lang:
            for name in README_SHOTS:
                source = out / f"{language}-light-1x" / f"{name}.png"
                if source.exists():
                    shutil.copy2(source, docs / f"{language}-{name}.png")
    return 1 if failed else 0


def shoot(out: Path, language: str, theme: str) -> int:
    from tests.support.desktop import DesktopSession

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mpg-gallery-"))
    session = DesktopSession.start()
    try:
        os.environ.update(session.env)
        os.environ.update(QT_QPA_PLATFORM="xcb", MEETING_GUARD_HOME=str(work / "home"),
                          XDG_CONFIG_HOME=str(work / "xdg"), TZ="Europe/Berlin", LANG="C.UTF-8")
        time.tzset()  # this process's clock too: the tray menu said 11:22 where the window said 12:22
        for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            os.environ.pop(variable, None)
        (work / "home" / "config").mkdir(parents=True)
        (work / "home" / "config" / "settings.toml").write_text(
            f'[general]\nlanguage = "{language}"\n\n[detection]\ninterval_seconds = 0.5\n\n'
            "[terms]\nnetwork_enabled = true\n", encoding="utf-8")
        return _shoot(session, work, out, theme)
    finally:
        session.stop()
        shutil.rmtree(work, ignore_errors=True)


def _shoot(session, work: Path, out: Path, theme: str) -> int:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(["meeting-guard"])
    app.setApplicationName("Meeting Privacy Guard")

    from guard.events import MeetingSession
    from guard.ledger import Decision
    from guard.monitor import Monitor, Snapshot
    from guard.paths import app_paths
    from guard.presentation.actions import RecordConsent
    from guard.presentation.consent_form import ConsentSubject
    from guard.presentation.status import tray_status
    from guard.services import Services
    from guard.services.threads import allowed
    from guard.terms.baseline import load_baselines
    from guard.terms.store import TermsStore
    from tests.detect.world import Processes, client_copy, x11_window
    from tests.ui.settings.test_window import dark_palette
    from tests.ui.settings.world import TOS_2020, TOS_2023, fill_ledger, store_zoom_versions
    from ui.dialogs.consent import ConsentDialog
    from ui.dialogs.no_tray import NoTrayWindow
    from ui.shell import Shell
    from ui.tray.menu_model import MenuFlags, menu_entries

    if theme == "dark":
        app.setPalette(dark_palette())
    allowed().__enter__()  # this script prepares data on the GUI thread; the app's own calls still go to the runner

    def settle(seconds: float = 0.8) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    services = Services(app_paths().ensure())
    baselines, _problems = load_baselines()
    baselines.pop(("zoom", "terms"))
    services._terms = TermsStore(services.paths.data_dir / "terms", baselines=baselines)
    store_zoom_versions(services.terms_store, TOS_2020, TOS_2023, datetime(2020, 8, 20, 9, tzinfo=UTC),
                        datetime(2023, 8, 11, 9, tzinfo=UTC), with_log=True)

    processes = Processes()
    client = processes.start([str(client_copy(work / "bin", "zoom")), "600"])
    x11_window(processes, "Zoom Meeting", client.pid, env=session.child_env(), ready_file=work / "mapped")
    monitor = Monitor(services.catalog, services.settings)
    shell = Shell(services.paths)
    try:
        for _ in range(60):
            monitor.tick()
            if monitor.snapshot().meetings:
                break
            time.sleep(0.25)
        snapshot = monitor.snapshot()
        idle = Snapshot(at=snapshot.at, enabled=True, paused_until=None, apps=(), meetings=(), probes=snapshot.probes)

        # The first start: the welcome (the shell shows it because general.welcome_shown is unset).
        shell.show_ui()
        shell.use_services(services)
        shell.detection.stop()
        shell.terms.stop()
        deadline = time.monotonic() + 20
        while shell.welcome is None or shell.welcome.browsers is None or shell.welcome.key is None:
            settle(0.1)
            if time.monotonic() > deadline:
                break
        if shell.welcome is not None:
            grab(shell.welcome, "welcome")
            shell.welcome.reject()
        settle(1.0)

        # The tray menu: idle, in a meeting (with the meeting's submenu), paused.
        def menu_shot(shot: Snapshot, name: str, submenu: bool = False) -> None:
            shell.on_snapshot(shot)
            menu = shell.tray.menu if shell.tray is not None else None
            if menu is None:
                return
            menu.popup(QPoint(20, 20))
            settle(0.4)
            if submenu:
                meeting_action = next((a for a in menu.actions() if a.menu() is not None), None)
                if meeting_action is not None:
                    menu.setActiveAction(meeting_action)
                    child = meeting_action.menu()
                    child.popup(QPoint(menu.x() + menu.width(), menu.y() + menu.actionGeometry(meeting_action).y()))
                    settle(0.4)
                    grab(child, f"{name}-submenu")
                    child.hide()
            grab(menu, name)
            menu.hide()

        menu_shot(idle, "tray-idle")
        menu_shot(snapshot, "tray-meeting", submenu=True)
        menu_shot(Snapshot(at=snapshot.at, enabled=True, paused_until=snapshot.at + timedelta(hours=1), apps=(),
                           meetings=(), probes=snapshot.probes), "tray-paused")

        # The consent dialog for the detected meeting.
        meeting = snapshot.meetings[0] if snapshot.meetings else MeetingSession("s1", "zoom", datetime.now(UTC), ())
        dialog = ConsentDialog(services, ConsentSubject(meeting, RecordConsent(meeting_id=meeting.id)))
        dialog.show()
        settle(1.5)
        dialog.decision_buttons[str(Decision.REFUSED)].click()
        grab(dialog, "consent-dialog")
        dialog.reject()

        # Records for the history, made through the real API (their signing key in the real keyring).
        fill_ledger(services.ledger(), services.catalog, services.terms_store, 120, seed=11, withdrawals=4)

        # Every settings tab.
        shell.show_settings("overview")
        while shell.settings_host.window is None:
            settle(0.1)
        window = shell.settings_host.window
        window.set_snapshot(snapshot)
        window.resize(1200, 760)
        window.ledger_updated()
        settle(3.0)
        grab(window, "settings-overview")
        window.show_tab("providers")
        window.providers.show_provider("zoom")
        grab(window, "settings-providers")
        window.show_tab("history")
        settle(1.5)
        grab(window, "settings-history")
        window.show_terms_change("zoom", "terms")
        settle(3.0)
        window.terms.relevant_only.setChecked(True)
        window.terms.changes.selectRow(0)
        grab(window, "settings-terms")
        window.show_tab("preferences")
        settle(1.5)
        grab(window, "settings-preferences")
        window.close()

        # The window shown instead of the tray when the desktop has none.
        no_tray = NoTrayWindow()
        status = tray_status(snapshot, services.catalog)
        no_tray.set_status(status, menu_entries(status, MenuFlags(ready=True)))
        no_tray.show()
        grab(no_tray, "no-tray")
        no_tray.close()
    finally:
        assert shell.shutdown()
        monitor.close()
        processes.stop_all()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
