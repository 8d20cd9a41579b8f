"""Real Chromium and Firefox ESR under the test session's Xvfb, with the extension loaded.

Each runs with its own home folder (so ``meeting-guard browser install`` writes the host
manifests where that browser really looks for them) and is driven as a user would drive it:
a meeting link opened from the command line lands as a new tab in the running browser. Tabs
are switched and closed through the browser's own remote interface (Chromium's DevTools
HTTP endpoints, Firefox's Marionette), standing in for the user's clicks.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guard.browser import ids
from tests.browser.support.marionette import Marionette
from tests.browser.support.site import HOSTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox") or "/usr/bin/firefox-esr"


def wait_for(test: Any, timeout: float = 30.0, interval: float = 0.05, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = test()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what or test}: last {last!r}")


@dataclass
class Browser:
    """What the tests need from either browser."""

    home: Path
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    name: str = ""

    def open(self, url: str) -> None:
        """Open ``url`` as a new tab in the running browser, from the command line."""
        raise NotImplementedError

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


class Chromium(Browser):
    """Chromium with its default profile under ``home`` (so native messaging hosts are looked up there)."""

    def __init__(self, home: Path, env: dict[str, str], extension: Path | None, site_port: int) -> None:
        super().__init__(home, env, name="chromium")
        rules = ",".join(f"MAP {host} 127.0.0.1:{site_port}" for host in HOSTS)
        self.flags = [
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--password-store=basic",
            "--disable-features=MediaRouter,OptimizationHints,Translate", "--autoplay-policy=no-user-gesture-required",
            "--use-fake-ui-for-media-stream",
            f"--host-resolver-rules={rules}", "--ignore-certificate-errors", "--window-size=1100,700",
        ]
        if os.geteuid() == 0:
            self.flags.insert(0, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        first = [CHROMIUM, *self.flags, "--remote-debugging-port=0"]
        if extension is not None:
            first.append(f"--load-extension={extension}")
        self.profile = Path(env["XDG_CONFIG_HOME"]) / "chromium"
        (self.profile / "DevToolsActivePort").unlink(missing_ok=True)
        self.processes.append(subprocess.Popen([*first, "about:blank"], env=env, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL, start_new_session=True))
        port_file = self.profile / "DevToolsActivePort"
        wait_for(lambda: port_file.is_file() and port_file.read_text().split("\n")[0].isdigit(), 60,
                 what="Chromium's DevTools port")
        self.devtools = f"http://127.0.0.1:{port_file.read_text().split()[0]}"
        self.pid = self.processes[0].pid

    def _get(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(self.devtools + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        try:
            return json.loads(body)
        except ValueError:
            return body.decode()

    def targets(self, kind: str = "page") -> list[dict[str, Any]]:
        return [target for target in self._get("/json/list") if target.get("type") == kind]

    def open(self, url: str) -> None:
        subprocess.run([CHROMIUM, *self.flags, url], env=self.env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60, check=True)
        wait_for(lambda: self.tab(url), what=f"a tab showing {url}")

    def open_incognito(self, url: str) -> None:
        """Open ``url`` in a new incognito window of the running browser, from the command line (where the
        extension does not run: its manifest says "incognito": "not_allowed")."""
        subprocess.run([CHROMIUM, *self.flags, "--incognito", url], env=self.env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60, check=True)
        wait_for(lambda: self.tab(url), what=f"an incognito tab showing {url}")

    def tab(self, url: str) -> dict[str, Any] | None:
        return next((t for t in self.targets() if t["url"].split("#")[0] == url), None)

    def activate(self, url: str) -> None:
        target = self.tab(url)
        assert target is not None, url
        self._get(f"/json/activate/{target['id']}")

    def close(self, url: str) -> None:
        target = self.tab(url)
        assert target is not None, url
        self._get(f"/json/close/{target['id']}")
        wait_for(lambda: self.tab(url) is None, what=f"{url} closed")

    def new_blank_tab(self) -> None:
        """A new, empty foreground tab (the meeting tab goes to the background)."""
        self._get("/json/new?about:blank", method="PUT")


class Firefox(Browser):
    """Firefox ESR with a fresh profile: the extension (a folder, or a packed zip) installed unsigned (ESR allows
    it with a pref),
    the test CA trusted, HTTPS through the tunnel that maps the meeting hosts to the local site."""

    def __init__(self, home: Path, env: dict[str, str], extension: Path | None, tunnel_port: int,
                 ca_der_b64: str, prefs: dict[str, Any] | None = None) -> None:
        super().__init__(home, env, name="firefox")
        self.profile = home / "firefox-profile"
        (self.profile / "extensions").mkdir(parents=True, exist_ok=True)
        if extension is not None and extension.is_file():  # a packed add-on (the addons.mozilla.org zip)
            shutil.copyfile(extension, self.profile / "extensions" / f"{ids.GECKO_ID}.xpi")
        elif extension is not None:
            with zipfile.ZipFile(self.profile / "extensions" / f"{ids.GECKO_ID}.xpi", "w") as xpi:
                for file in sorted(extension.rglob("*")):
                    if file.is_file():
                        xpi.write(file, file.relative_to(extension).as_posix())
        prefs = {
            "xpinstall.signatures.required": False, "extensions.autoDisableScopes": 0,
            "extensions.enabledScopes": 15, "marionette.port": 0,
            "network.proxy.type": 1, "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": tunnel_port,
            "network.proxy.no_proxies_on": "", "network.proxy.allow_hijacking_localhost": True,
            "media.autoplay.default": 0, "media.autoplay.blocking_policy": 0,
            "media.navigator.permission.disabled": True,
            "browser.shell.checkDefaultBrowser": False, "browser.aboutwelcome.enabled": False,
            "browser.startup.homepage_override.mstone": "ignore", "datareporting.policy.dataSubmissionEnabled": False,
            "toolkit.telemetry.reportingpolicy.firstRun": False, "browser.tabs.warnOnClose": False,
            "app.update.disabledForTesting": True, "services.settings.server": "data:,",
            "browser.safebrowsing.update.enabled": False, "network.captive-portal-service.enabled": False,
            "network.connectivity-service.enabled": False, "extensions.update.enabled": False,
            "browser.newtabpage.enabled": False, "browser.startup.page": 0,
            **(prefs or {}),
        }
        (self.profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n"
                                                      for k, v in prefs.items()))
        (self.profile / "MarionetteActivePort").unlink(missing_ok=True)
        self.processes.append(subprocess.Popen(
            [FIREFOX, "--marionette", "-remote-allow-system-access", "--profile", str(self.profile), "about:blank"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        self.pid = self.processes[0].pid
        self.marionette = Marionette(Marionette.port_of(self.profile))
        self.marionette.start_session()
        self.marionette.chrome(
            'Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB)'
            '.addCertFromBase64(arguments[0], "C,,");', ca_der_b64)

    def tabs(self) -> list[dict[str, Any]]:
        return self.marionette.chrome(
            "return gBrowser.tabs.map(t => ({url: t.linkedBrowser.currentURI.spec, title: t.label, "
            "selected: t.selected, soundPlaying: t.soundPlaying}));")

    def open(self, url: str) -> None:
        subprocess.run([FIREFOX, "--profile", str(self.profile), url], env=self.env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60, check=True)
        wait_for(lambda: self.tab(url), what=f"a tab showing {url}")

    def tab(self, url: str) -> dict[str, Any] | None:
        return next((t for t in self.tabs() if t["url"].split("#")[0] == url), None)

    def activate(self, url: str) -> None:
        self.marionette.chrome(
            "const tab = gBrowser.tabs.find(t => t.linkedBrowser.currentURI.spec.split('#')[0] === arguments[0]);"
            "gBrowser.selectedTab = tab;", url)

    def close(self, url: str) -> None:
        self.marionette.chrome(
            "const tab = gBrowser.tabs.find(t => t.linkedBrowser.currentURI.spec.split('#')[0] === arguments[0]);"
            "gBrowser.removeTab(tab);", url)
        wait_for(lambda: self.tab(url) is None, what=f"{url} closed")

    def new_blank_tab(self) -> None:
        self.marionette.chrome("gBrowser.selectedTab = gBrowser.addTrustedTab('about:blank');")

    def stop(self) -> None:
        with contextlib.suppress(Exception):  # quitting closes the connection under our feet
            self.marionette.chrome("Services.startup.quit(Ci.nsIAppStartup.eForceQuit);")
        super().stop()
