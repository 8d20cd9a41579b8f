"""Screenshots of every settings tab for the README: ``python -m tests.ui.settings.screenshots``.

Runs under a private, real X server (the tests' desktop session: Xvfb, D-Bus, trayer, dunst,
gnome-keyring, plus openbox for window decorations) and grabs the window from the X server's
screen, not from an offscreen buffer. The data are realistic and made through the real APIs:
300 consent records across the catalog's providers with a few real withdrawals, the Zoom Terms
of Service of 20 August 2020 and 11 August 2023 (Open Terms Archive copies, see
tests/terms/fixtures/README.md) as if fetched on those days, and a real detection of a
process named ``zoom`` showing a window titled "Zoom Meeting". Writes
docs/screenshots/settings-<tab>.png (and settings-history-dark.png).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.support.desktop import DesktopSession

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    session = DesktopSession.start()
    tmp = Path(tempfile.mkdtemp(prefix="mpg-shots-"))
    try:
        os.environ.update(session.env)
        os.environ.update(QT_QPA_PLATFORM="xcb", MEETING_GUARD_HOME=str(tmp / "home"),
                          XDG_CONFIG_HOME=str(tmp / "xdg"), TZ="Europe/Berlin")
        if shutil.which("openbox"):
            session.processes.append(subprocess.Popen(["openbox"], env=session.child_env(),
                                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(1.0)
        return shoot(session, tmp)
    finally:
        session.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def shoot(session: DesktopSession, tmp: Path) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Meeting Privacy Guard")

    from guard.ledger import Decision
    from guard.monitor import Monitor
    from guard.paths import app_paths
    from guard.services import Services
    from guard.terms.baseline import load_baselines
    from guard.terms.store import TermsStore
    from tests.detect.world import Processes, client_copy, x11_window
    from tests.ui.settings.test_window import dark_palette
    from tests.ui.settings.world import TOS_2020, TOS_2023, fill_ledger, store_zoom_versions
    from ui.settings import SettingsWindow

    services = Services(app_paths())
    baselines, _ = load_baselines()
    baselines.pop(("zoom", "terms"))  # the two dated Zoom texts below stand for this document's history
    services._terms = TermsStore(services.paths.data_dir / "terms", baselines=baselines)
    store_zoom_versions(services.terms_store, TOS_2020, TOS_2023, datetime(2020, 8, 20, 9, tzinfo=UTC),
                        datetime(2023, 8, 11, 9, tzinfo=UTC), with_log=True)
    records = fill_ledger(services.ledger(), services.catalog, services.terms_store, 300, seed=11, withdrawals=8)

    processes = Processes()
    client = processes.start([str(client_copy(tmp / "bin", "zoom")), "600"])
    x11_window(processes, "Zoom Meeting", client.pid, env=session.child_env(), ready_file=tmp / "mapped")
    monitor = Monitor(services.catalog, services.settings)
    try:
        for _ in range(40):
            monitor.tick()
            if monitor.snapshot().meetings:
                break
            time.sleep(0.25)
        snapshot = monitor.snapshot()

        window = SettingsWindow(services)
        window.set_snapshot(snapshot)
        window.resize(1200, 720)
        window.move(30, 34)
        window.present("overview")

        def settle(seconds: float = 1.0) -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                window.tasks.wait(50)
                app.processEvents()

        def grab(name: str) -> None:
            settle()
            frame = window.frameGeometry()
            image = window.screen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
            path = OUT / f"settings-{name}.png"
            image.save(str(path))
            print(path)

        OUT.mkdir(parents=True, exist_ok=True)
        settle(3)
        grab("overview")
        window.show_tab("providers")
        window.providers.show_provider("zoom")
        grab("providers")
        withdrawn = next(r for r in reversed(records) if r.decision == Decision.WITHDRAWN and r.refers_to)
        window.show_record(withdrawn.refers_to)
        grab("history")
        window.show_terms_change("zoom", "terms")
        settle(4)
        window.terms.relevant_only.setChecked(True)
        model = window.terms.model
        row = next((r for r, c in enumerate(model.changes)
                    if c.diff.new_text and c.diff.new_text.startswith("Zoom does not use any of your audio")), 0)
        window.terms.changes.selectRow(row)
        grab("terms")
        window.show_tab("preferences")
        grab("preferences")

        app.setPalette(dark_palette())
        window.show_tab("history")
        settle()
        grab("history-dark")
        window.shutdown()
        window.close()
    finally:
        monitor.close()
        processes.stop_all()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
