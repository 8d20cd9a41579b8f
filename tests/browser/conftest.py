"""One real browser per test module, with the extension loaded and the host registered as a user would.

The browser, its home folder, the meeting site and the app home its host writes to live for the
whole module (starting a browser is the expensive part); tests open and close their own tabs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from guard.browser.generate import extension_dir
from guard.browser.paths import state_dir
from guard.catalog.loader import load_catalog
from guard.catalog.notices import normalise
from guard.detect.browser_tabs import BrowserTabs
from guard.detect.matching import DetectionRules
from guard.detect.observation import Observation
from guard.detect.redaction import redact_url
from guard.events import Signal
from guard.patterns import normalize_text
from tests.browser.support.browsers import Browser, Chromium, Firefox, wait_for
from tests.browser.support.pulse import pulse_server
from tests.browser.support.site import HOSTS, LOCAL, MeetingSite, Page
from tests.browser.support.tunnel import Tunnel
from tests.support.cli import run_main

# Texts and links both sides must treat alike: dashes, no-break and zero-width spaces, bidi and tag
# characters, control characters; links with secrets to redact.
REDACTION_TEXTS = ["Meet – abc‑defg—hij", "  Recording\u00a0has\tstarted\n", "Gemini is taking notes…",
                   "\u201cAI\u201d Companion \u2018on\u2019", "zero\u200bwidth\u2066bidi\u2069",
                   "Straße TAKING NOTES", "tag\U000e0041s", "ctrl\x07chars\x1b", "\u2043bullet\u2212minus",
                   "Ot\U000e0100ter\u180f.ai no\U0001d173tes\ufff0 re\U0001bca0cording"]  # audit16: all ignorables
# Dialogs a meeting page may show, and exactly what the content script may send of each: the
# sentence(s) holding the catalog's words and the phrase ids, never the rest of the dialog.
EXCERPT_CASES = [
    ('<div role=dialog><h2>Heads up</h2><p>Gemini is taking notes. Notes will be shared with the meeting '
     'organiser after the call.</p><p>Turned on by Katherine Johnson</p><button>Got it</button></div>',
     [{"kind": "notice", "text": "Gemini is taking notes.", "phrases": [("google-meet", "gemini is taking notes")]}]),
    ('<div role=alert><p>Heads up, Dorothy Vaughan: <b>Gemini</b> is taking <em>notes</em>! Ask '
     'Mary Jackson.</p></div>',
     [{"kind": "notice", "text": "Heads up, Dorothy Vaughan: Gemini is taking notes !",
       "phrases": [("google-meet", "gemini is taking notes")]}]),
    ('<div role=status><span>Annie Easley says hi.</span><p>Meeting summary is enabled. A temporary '
     'transcript is being generated for this feature.</p><p>Ask Christine Darden to turn it off.</p></div>',
     [{"kind": "notice", "text": "Meeting summary is enabled. A temporary transcript is being generated for "
       "this feature.", "phrases": [("zoom", "meeting summary is enabled. a temporary transcript is being "
                                              "generated for this feature.")]}]),
    ('<div role=dialog><p>Gemini is taking notes and ' + 'Katherine Johnson and ' * 40 + 'more</p></div>',
     [{"kind": "notice", "text": "gemini is taking notes", "phrases": [("google-meet", "gemini is taking notes")]}]),
]


def phrase_id(provider_id: str, words: str) -> str:
    """The extension's id of the catalog notice ``words`` of ``provider_id``: "<provider>/<feature>/<n>",
    the n-th notice of that feature in catalog order."""
    for provider in load_catalog().providers.values():
        if provider.id == provider_id:
            for feature in provider.ai_features:
                for index, notice in enumerate(feature.notices):
                    if normalise(notice.text) == words:
                        return f"{provider.id}/{feature.id}/{index}"
    raise AssertionError(f"no notice {words!r} of {provider_id} in the catalog")
@dataclass(frozen=True)
class Lobby:
    """A meeting page at ``url`` (titled ``title``) that shows the lobby markup ``body`` until the participant is let
    in: then the page runs ``leave`` (the lobby element goes, or hides) and the same tab is the meeting."""

    provider_id: str
    url: str
    title: str
    body: str
    leave: str  # script run once let in
    microphone: bool = False  # the lobby's preview holds the microphone (Firefox tells the extension)


_REDACTION = json.loads((Path(__file__).parent / "redaction_cases.json").read_text(encoding="utf-8"))
REDACTION_CASES, REDACTION_KEY = _REDACTION["cases"], _REDACTION["link_key"]


@dataclass
class World:
    """A running browser with the extension, the site it visits, and the folders its host writes."""

    browser: Browser
    site: MeetingSite
    env: dict[str, str]
    home: Path

    @property
    def state_folder(self) -> Path:
        return state_dir(self.env)

    def redaction_in_the_page(self, host: str) -> None:
        """The extension's own redaction and text normalising, run in a page on ``host``, give exactly
        what the app's do for the shared cases (tests/browser/redaction_cases.json and REDACTION_TEXTS)."""
        key = f"redaction-{host}"
        runner = ("const cases = " + json.dumps(REDACTION_CASES) + ";"
                  "MPG.setLinkKey(" + json.dumps(REDACTION_KEY) + ");"
                  f"fetch('/mpg-test/result/{key}', {{method: 'POST', body: JSON.stringify("
                  "{links: cases.map(([link]) => MPG.redactUrl(link)), "
                  "texts: " + json.dumps(REDACTION_TEXTS) + ".map((text) => MPG.normalise(text))})});")
        self.site.pages[(host, "/mpg-redaction")] = Page(
            "Redaction cases", body='<script src="/mpg-test/extension/data.js"></script>'
                                    '<script src="/mpg-test/extension/common.js"></script>', script=runner)
        self.browser.open(f"https://{host}/mpg-redaction")
        shown = self.site.wait_result(key)
        assert shown["links"] == [expected for _link, expected in REDACTION_CASES]
        assert shown["texts"] == [normalise(text) for text in REDACTION_TEXTS], \
            "the page-side matching sees text as the app does"
        self.browser.close(f"https://{host}/mpg-redaction")

    def notice_excerpts_in_the_page(self, host: str) -> None:
        """The content script itself (as a page script in bench mode, the shipped catalog's notices)
        sends, of each dialog in EXCERPT_CASES, exactly the expected message and nothing else."""
        key = f"excerpts-{host}"
        dialogs = "".join(markup for markup, _sent in EXCERPT_CASES)
        self.site.pages[(host, "/mpg-excerpts")] = Page("Notice excerpts", body=(
            "<script>globalThis.MPG_BENCH = {providers: ['google-meet', 'zoom'], sent: [], batches: []};</script>"
            + dialogs + '<script src="/mpg-test/extension/data.js"></script>'
            '<script src="/mpg-test/extension/common.js"></script>'
            '<script src="/mpg-test/extension/content.js"></script>'),
            script=f"fetch('/mpg-test/result/{key}', {{method: 'POST', body: JSON.stringify(MPG_BENCH.sent)}});")
        self.browser.open(f"https://{host}/mpg-excerpts")
        sent = self.site.wait_result(key)
        self.browser.close(f"https://{host}/mpg-excerpts")
        lobby = [message for message in sent if message.get("kind") == "lobby"]
        assert lobby == [{"kind": "lobby", "lobby": False}], "Meet's page says once that it shows no green room"
        sent = [message for message in sent if message.get("kind") != "lobby"]
        assert sent == [dict(message, phrases=[phrase_id(*phrase) for phrase in message["phrases"]])
                        for _markup, expected in EXCERPT_CASES for message in expected]
        for name in ("Katherine Johnson", "Mary Jackson", "Annie Easley", "Christine Darden", "Got it"):
            assert name not in json.dumps(sent), f"{name!r} is not part of any notice and must stay in the page"

    def chat_lines_are_no_notice(self, url: str, title: str, chat: str, line: str, notice: str) -> None:
        """Participants type the notice's words in the chat: ``chat`` (the service's chat markup, shown in live and
        status regions as meeting pages do) at load, and ``line`` (one chat message's markup) posted into the page's
        live region a moment later; then the service shows its own notice. Only that notice reaches the app: a chat
        line never raises one (it did: any text in a live or status region read as the service's notice)."""
        host, path = url.removeprefix("https://").split("/", 1)
        post = ("setTimeout(() => { const live = document.getElementById('live'); live.insertAdjacentHTML('beforeend', "
                + json.dumps(line) + "); }, 500);")
        self.site.pages[(host, "/" + path)] = Page(title, body=chat, script=post, notice_after_ms=3000, notice=notice)
        self.browser.open(url)
        try:
            entry = self.wait_tab(url, lambda e: any(n["text"] == notice for n in e["notices"]))
            assert [n["text"] for n in entry["notices"]] == [notice], "no chat line is a notice"
            noticed = [o.notice for o in observe(BrowserTabs(self.state_folder)) if o.signal == Signal.AI_NOTICE]
            assert len(noticed) == 1 and notice in (noticed[0] or ""), noticed
        finally:
            self.browser.close(url)

    def meeting_seen_by_title_alone(self, host: str, path: str, title: str, provider_id: str) -> dict[str, Any]:
        """Open a meeting page titled ``title`` in the foreground with the browser probe switched off (as
        without the extension) and return the meeting ``scan --json`` reports from the window title alone."""
        self.site.pages[(host, path)] = Page(title)
        url = f"https://{host}{path}"
        self.browser.open(url)
        self.browser.activate(url)
        try:
            meeting = self.meeting_by_title(provider_id, title, probe=False)
            assert {e["signal"] for e in meeting["evidence"]} >= {"window-title"}
            assert not any(e["signal"] == "browser-tab" for e in meeting["evidence"])
            return meeting
        finally:
            self.browser.close(url)

    def spoofed_title_is_no_meeting(self, url: str, title: str, provider_id: str) -> None:
        """Open a page on no meeting host (``url``, on 127.0.0.1) titled like ``provider_id``'s meeting, in
        the foreground. Without the extension's reports (the browser probe off) its window title alone is
        a meeting, marked unconfirmed; with the extension connected it is neither a meeting nor the app
        running, and the window's evidence says why."""
        path = url.split("/", 3)[3]
        self.site.pages[(LOCAL, "/" + path)] = Page(title)
        self.browser.open(url)
        self.browser.activate(url)
        try:
            alone = self.meeting_by_title(provider_id, title, probe=False)
            (seen,) = [e for e in alone["evidence"] if e["signal"] == "window-title"]
            assert seen["confirmed"] is False and "(unconfirmed: no browser extension connected)" in seen["detail"]
            wait_for(lambda: any(state.get("synced") for state in self.states()), what="the extension's tab list")
            report = json.loads(self.cli("scan", "--json").stdout)
            assert [m for m in report["meetings"] if m["provider_id"] == provider_id] == [], report["meetings"]
            # An app seen only by its own process (another program on this machine, not this browser)
            # is not the title's doing; anything else the title made would be.
            from_title = [
                a for a in report["apps"]
                if a["provider_id"] == provider_id and any(e["signal"] != "process" for e in a["evidence"])
            ]
            assert from_title == [], report["apps"]
            (aside,) = [e for e in report["not_counted"] if normalize_text(title) in e["detail"]]
            assert aside["signal"] == "window-title" and aside["confirmed"] is False
            assert aside["detail"].endswith("no meeting, title not confirmed by the browser extension"), aside
            said = self.cli("scan").stdout
            assert "Seen and not counted:\n  - window-title: " in said and "title not confirmed" in said, said
        finally:
            self.browser.close(url)

    def meeting_by_title(self, provider_id: str, title: str, probe: bool = True) -> dict[str, Any]:
        """The meeting of ``provider_id`` ``scan --json`` reports with a window-title evidence naming ``title``
        (``probe``: whether the app reads the extension's reports)."""
        settings = Path(self.env["MEETING_GUARD_HOME"]) / "config" / "settings.toml"
        if not probe:
            settings.parent.mkdir(parents=True, exist_ok=True)
            settings.write_text("[detection]\nbrowser_probe = false\n")
        reports: list[dict[str, Any]] = []

        def found() -> list[dict[str, Any]]:
            reports.append(json.loads(self.cli("scan", "--json").stdout))
            return [m for m in reports[-1]["meetings"] if m["provider_id"] == provider_id
                    and any(e["signal"] == "window-title" and normalize_text(title) in e["detail"]
                            for e in m["evidence"])]
        try:
            (meeting,) = wait_for(found, timeout=60, interval=0.5, what=f"scan to see the window titled {title!r}")
        except AssertionError:
            raise AssertionError(json.dumps(reports[-1])[:3000] if reports else "no scan") from None
        finally:
            settings.unlink(missing_ok=True)
        return meeting

    def lobby_until_admitted(self, lobby: Lobby) -> None:
        """The packed extension says the tab is in the lobby, and the app counts no meeting of its provider (neither
        from the tab nor from anything else, the microphone a preview holds included); once the page is let in (it
        polls the site's ``<path>-admitted`` page, served from then on) the same tab is the meeting."""
        sent = redact_url(lobby.url)
        host, path = lobby.url.removeprefix("https://").split("?")[0].split("/", 1)
        admitted = f"/{path}-admitted"
        preview = ("navigator.mediaDevices.getUserMedia({audio: true}).then(s => { window.stream = s; });"
                   if lobby.microphone else "")
        self.site.pages[(host, "/" + path)] = Page(lobby.title, body=lobby.body, script=preview + (
            f"const poll = setInterval(async () => {{ const answer = await fetch({json.dumps(admitted)});"
            f" if (answer.ok) {{ clearInterval(poll); {lobby.leave} }} }}, 300);"))
        self.browser.open(lobby.url)
        try:
            self.wait_tab(sent, lambda e: e["tab"].get("lobby") is True
                          and (e["tab"].get("microphone") is True or not lobby.microphone))
            (tab,) = [o for o in observe(BrowserTabs(self.state_folder)) if o.provider_id == lobby.provider_id]
            assert (tab.signal, tab.meeting, tab.closed) == (Signal.BROWSER_TAB, False, False)
            assert "in the lobby, not yet in the meeting" in tab.detail, tab.detail
            scan = json.loads(self.cli("scan", "--json").stdout)
            assert [m for m in scan["meetings"] if m["provider_id"] == lobby.provider_id] == [], \
                "a lobby is no meeting, nor is the microphone its preview holds"

            self.site.pages[(host, admitted)] = Page("admitted")
            self.wait_tab(sent, lambda e: e["tab"].get("lobby") is False)
            (meeting,) = self.scan_meetings(lobby.provider_id)
            assert (meeting["tab"], meeting["title"]) == (tab.tab, lobby.title)
        finally:
            self.browser.close(lobby.url)
        wait_for(lambda: self.tab_state(sent) is None, what="the closed tab to leave the state")

    def background_restart_keeps_the_tab(self, provider_id: str, url: str, title: str,
                                         stop_background: Callable[[], None]) -> None:
        """``stop_background`` stops the extension's background (as the browser stops an idle one): the host exits
        with the pipe and removes its file, the tab still open. The app holds the tab until the restarted
        background's host lists it again: no close, so the meeting does not end and start again (it did, audit 13).
        Closed for real, the tab is closed at once."""
        host, path = url.removeprefix("https://").split("/", 1)
        self.site.pages[(host, "/" + path)] = Page(title)
        probe = BrowserTabs(self.state_folder)
        self.browser.open(url)
        self.wait_tab(url, lambda e: e["tab"].get("lobby") is False)
        (tab,) = [o for o in observe(probe) if o.provider_id == provider_id and o.signal == Signal.BROWSER_TAB]
        (state,) = self.states()
        stop_background()
        wait_for(lambda: self.states() == [], what="the host to exit with the extension's background")
        held = [o for o in observe(probe) if o.signal == Signal.BROWSER_TAB]
        assert [(o.tab, o.meeting, o.closed) for o in held] == [(tab.tab, True, False)], held

        self.browser.new_blank_tab()  # a tab event wakes the background, which connects a new host
        wait_for(lambda: [s["host_pid"] for s in self.states()] not in ([], [state["host_pid"]])
                 and self.tab_state(url) is not None, what="a new host listing the tab")
        # read as if a second after the hold began: what is tested does not depend on how long a loaded machine takes
        soon = held[0].seen_at + timedelta(seconds=1)
        again = [o for o in observe(probe, soon) if o.signal == Signal.BROWSER_TAB and o.provider_id == provider_id]
        assert [(o.tab, o.closed) for o in again] == [(tab.tab, False)], again
        self.browser.close(url)
        wait_for(lambda: self.tab_state(url) is None, what="the closed tab to leave the state")
        (closed,) = [o for o in observe(probe) if o.provider_id == provider_id]
        assert closed.closed and closed.tab == tab.tab

    def states(self) -> list[dict[str, Any]]:
        found = []
        for path in sorted(self.state_folder.glob("*.json")) if self.state_folder.is_dir() else []:
            try:
                found.append(json.loads(path.read_text()))
            except (OSError, ValueError):
                continue
        return found

    def tab_state(self, url: str) -> dict[str, Any] | None:
        for state in self.states():
            for entry in state["tabs"]:
                if entry["tab"]["url"] == url:
                    return entry
        return None

    def wait_tab(self, url: str, test: Any = lambda entry: True, timeout: float = 30.0) -> dict[str, Any]:
        return wait_for(lambda: (entry := self.tab_state(url)) is not None and test(entry) and entry,
                        timeout, what=f"the host's state for {url}")

    def cli(self, *args: str) -> Any:
        return run_main(*args, env=self.env)

    def scan_meetings(self, provider_id: str) -> list[dict[str, Any]]:
        """``meeting-guard scan --json``: the meetings of ``provider_id`` it reports from browser tabs."""
        result = self.cli("scan", "--json")
        assert result.returncode == 0, result.stderr
        return [meeting for meeting in json.loads(result.stdout)["meetings"]
                if meeting["provider_id"] == provider_id
                and any(e["signal"] == "browser-tab" for e in meeting["evidence"])]


    def scan_events(self, kind: str) -> list[dict[str, Any]]:
        """The events of ``kind`` (e.g. "ai-feature-noticed") in ``meeting-guard scan --json``."""
        result = self.cli("scan", "--json")
        assert result.returncode == 0, result.stderr
        return [event for event in json.loads(result.stdout)["events"] if event["event"] == kind]


_rules: DetectionRules | None = None


def shipped_rules() -> DetectionRules:
    global _rules
    if _rules is None:
        _rules = DetectionRules.from_catalog(load_catalog(), "linux")
    return _rules


def observe(probe: BrowserTabs, at: datetime | None = None) -> list[Observation]:
    return probe.observations(shipped_rules(), at if at is not None else datetime.now(UTC))


def browser_env(desktop: Any, root: Path, pulse: str) -> dict[str, str]:
    home = root / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = desktop.child_env(dict(os.environ))
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_DATA_HOME=str(home / ".local/share"), MEETING_GUARD_HOME=str(root / "mpg"), PULSE_SERVER=pulse)
    return env


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pulse_server(tmp_path_factory.mktemp("pulse")) as address:
        yield address


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeetingSite]:
    with MeetingSite(tmp_path_factory.mktemp("site")) as running:
        yield running


def install_host(env: dict[str, str], browser: str) -> None:
    result = run_main("browser", "install", "--browser", browser, env=env)
    assert result.returncode == 0, result.stderr


EXTENSION = extension_dir()
STORE_SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "extension" / "build_extension.py"


def build_store_zips(out: Path) -> dict[str, Path]:
    """The store zips, made by packaging/extension/build_extension.py as a release would make them."""
    from guard import __version__

    result = subprocess.run([sys.executable, str(STORE_SCRIPT), str(out)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return {store: out / f"meeting-privacy-guard-{__version__}-{store}.zip" for store in ("chrome", "firefox")}


@contextmanager
def chromium_world(root: Path, desktop: Any, site: MeetingSite, pulse: str) -> Iterator[World]:
    """Real Chromium with the unpacked extension and its host installed under ``root``, stopped afterwards."""
    env = browser_env(desktop, root, pulse)
    install_host(env, "chromium")
    browser = Chromium(root / "home", env, EXTENSION, site.port)
    try:
        yield World(browser, site, env, root / "home")
    finally:
        browser.stop()


@contextmanager
def firefox_world(root: Path, desktop: Any, site: MeetingSite, pulse: str,
                  prefs: dict[str, Any] | None = None) -> Iterator[World]:
    """Real Firefox ESR with the addons.mozilla.org zip (as a release makes it) and its host installed under
    ``root``, reaching the site's hosts through the test tunnel; ``prefs`` set in its profile."""
    env = browser_env(desktop, root, pulse)
    install_host(env, "firefox")
    packed = build_store_zips(root / "store")["firefox"]
    with Tunnel([*HOSTS, LOCAL], site.port) as tunnel:
        browser = Firefox(root / "home", env, packed, tunnel.port, site.certs.ca_der_b64, prefs=prefs)
        try:
            yield World(browser, site, env, root / "home")
        finally:
            browser.stop()
