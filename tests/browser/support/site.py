"""Meeting pages under their real hostnames, served over HTTPS from 127.0.0.1.

Chromium reaches it through ``--host-resolver-rules``, Firefox through the CONNECT tunnel
(support/tunnel.py); either way the browser shows the real address (``https://meet.google.com/...``),
so the extension's host permissions and content script apply as they would on the real service.
Each page is titled as the service titles its tab (see :data:`TITLES`, with where that was seen),
and can play sound, show an AI-notice dialog after a while, or have a note-taker bot join its
participant list. Pages can post results back (``POST /mpg-test/result/<key>``), which the
redaction and benchmark pages use; ``/mpg-test/extension/<file>.js`` serves the extension's own
scripts to those pages.
"""

from __future__ import annotations

import html
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from guard.browser.generate import extension_dir
from tests.browser.support.certs import Certs, make_certs

# Tab titles as the services set them, and where that was seen (checked 2026-12-01).
TITLES: dict[str, tuple[str, str]] = {
    "google-meet": ("Meet – abc-defg-hij", ("issue 14 (observed in Chromium and Firefox: en dash, tab title "
                                            "'Meet – <meeting code>')")),
    "teams": ("Meet | Weekly sync | Microsoft Teams", "issue 14 (observed: Teams web meeting tab)"),
    "zoom": ("Zoom Meeting", "issue 14 (observed: the Zoom web client's tab while in a meeting)"),
    "jitsi-meet": ("TeamStandup | Jitsi Meet",
                   ("https://github.com/jitsi/jitsi-meet/blob/87d82e23dc06c962883d4ec2d09e4955609424fd/"
                   "react/features/conference/components/web/Conference.tsx (document.title = "
                   "`${roomName} | ${interfaceConfig.APP_NAME}`; APP_NAME is 'Jitsi Meet' in interface_config.js)")),
}
HOSTS = ["meet.google.com", "teams.microsoft.com", "zoom.us", "app.zoom.us", "us02web.zoom.us", "meet.jit.si",
         "whereby.com", "app.slack.com", "public.senfcall.de"]
# Servers a user adds in the extension's options page (a self-hosted Jitsi Meet and BigBlueButton), and one never added
ADDED_HOSTS = ["jitsi.example.test", "bbb.example.test", "other.example.test"]
HOSTS += ADDED_HOSTS
LOCAL = "127.0.0.1"  # a page on no meeting host (e.g. one that titles itself like a meeting)


@dataclass
class Page:
    """A meeting page: its title, and what it does after loading."""

    title: str
    sound: bool = False  # play a quiet tone (WebAudio), as a meeting with people talking does
    notice_after_ms: int | None = None  # show an AI-notice dialog this long after loading
    notice: str = ""
    notice_aside: str = ""  # more of the dialog's text, after the notice (e.g. who turned it on)
    bot_after_ms: int | None = None  # add a participant named ``bot`` to the list this long after loading
    bot: str = ""
    participants: tuple[str, ...] = ("Ada Lovelace", "Grace Hopper")
    body: str = ""  # extra markup (e.g. a benchmark's busy page)
    script: str = ""  # extra script, run after load


def render(page: Page) -> bytes:
    people = "".join(f"<li>{html.escape(name)}</li>" for name in page.participants)
    script = [
        "const PAGE = " + json.dumps({"sound": page.sound, "noticeAfter": page.notice_after_ms, "notice": page.notice,
                                      "aside": page.notice_aside, "botAfter": page.bot_after_ms,
                                      "bot": page.bot}) + ";",
        """
        if (PAGE.sound) {
          const ctx = new AudioContext();
          const tone = ctx.createOscillator(); const gain = ctx.createGain();
          gain.gain.value = 0.05; tone.connect(gain).connect(ctx.destination); tone.start();
          document.addEventListener('click', () => ctx.resume());
          setInterval(() => { if (ctx.state !== 'running') ctx.resume(); }, 200);
        }
        if (PAGE.noticeAfter !== null) setTimeout(() => {
          const dialog = document.createElement('div');
          dialog.setAttribute('role', 'dialog'); dialog.setAttribute('aria-modal', 'true');
          const heading = document.createElement('h2'); heading.textContent = 'Heads up';
          const text = document.createElement('p'); text.textContent = PAGE.notice;
          const aside = document.createElement('p'); aside.textContent = PAGE.aside;
          const button = document.createElement('button'); button.textContent = 'Got it';
          dialog.append(heading, text, aside, button); document.body.append(dialog);
        }, PAGE.noticeAfter);
        if (PAGE.botAfter !== null) setTimeout(() => {
          const item = document.createElement('li'); item.textContent = PAGE.bot;
          document.getElementById('participants').append(item);
        }, PAGE.botAfter);
        """,
        page.script,
    ]
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(page.title)}</title></head>"
            f"<body><main><h1>Meeting</h1><div id=stage></div>"
            f"<aside><h2>People</h2><ul id=participants aria-label=Participants>{people}</ul></aside>"
            f"<div id=live aria-live=polite></div>{page.body}</main>"
            f"<script>{''.join(script)}</script></body></html>").encode()


@dataclass
class MeetingSite:
    """``with MeetingSite(tmp) as site: site.pages[("meet.google.com", "/abc-defg-hij")] = Page(...)``."""

    folder: Path
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.certs: Certs = make_certs(self.folder, [*HOSTS, LOCAL])
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                path = self.path.split("?", 1)[0]
                owner.requests.append((host, self.path))
                if path.startswith("/mpg-test/extension/"):
                    name = path.rsplit("/", 1)[1]
                    file = extension_dir() / name
                    if name.endswith(".js") and file.is_file():
                        self._send(200, file.read_bytes(), "text/javascript; charset=utf-8")
                        return
                page = owner.pages.get((host, path))
                if page is None:
                    self._send(404, b"<!doctype html><title>Not here</title>")
                    return
                self._send(200, render(page))

            def do_POST(self) -> None:
                length = min(int(self.headers.get("Content-Length") or 0), 4 * 1024 * 1024)
                body = self.rfile.read(length)
                if self.path.startswith("/mpg-test/result/"):
                    owner.results[self.path.rsplit("/", 1)[1]] = json.loads(body or b"null")
                self._send(204, b"")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certs.cert_file, self.certs.key_file)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_result(self, key: str, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if key in self.results:
                return self.results.pop(key)
            time.sleep(0.05)
        raise AssertionError(f"the page never posted its '{key}' result")
