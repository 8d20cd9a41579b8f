"""The browsers the companion works with: where each looks for native messaging host manifests, per OS.

Written against the browsers' own documentation where it exists (checked 2026-12-01):

* Chrome and Chromium: https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging
  ("Native messaging host location": per-user ~/.config/google-chrome/NativeMessagingHosts and
  ~/.config/chromium/NativeMessagingHosts on Linux; ~/Library/Application Support/Google/Chrome/
  NativeMessagingHosts and .../Chromium/NativeMessagingHosts on macOS; the registry key
  HKEY_CURRENT_USER\\SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\<name> on Windows, whose default
  value is the manifest's path).
* Firefox: https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_manifests
  (~/.mozilla/native-messaging-hosts/<name>.json on Linux, ~/Library/Application Support/Mozilla/
  NativeMessagingHosts/<name>.json on macOS, HKEY_CURRENT_USER\\SOFTWARE\\Mozilla\\NativeMessagingHosts\\<name>
  on Windows). The Firefox snap reads the same Linux folder through the WebExtensions portal
  (https://github.com/keepassxreboot/keepassxc/pull/8756, 2022-11-06).
* Microsoft Edge: https://learn.microsoft.com/en-us/microsoft-edge/extensions-chromium/developer-guide/native-messaging
  (the registry key HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\<name> and
  ~/Library/Application Support/Microsoft Edge/NativeMessagingHosts). The page covers Windows and macOS
  only; the Linux folder ~/.config/microsoft-edge/NativeMessagingHosts is KeePassXC's (below).
* Brave, Vivaldi, LibreWolf publish no such page; their folders are those KeePassXC's installer
  writes (src/browser/NativeMessageInstaller.cpp at commit 00cd6e97bf94ca0e897e5b075def3a32dfb99f3e of
  https://github.com/keepassxreboot/keepassxc), marked ``verified=False``. On Windows both Brave and
  Vivaldi read Google Chrome's registry key (same source).
* Opera's extension docs give Google Chrome's locations on Windows and macOS
  (https://github.com/operasoftware/devopera/blob/085182f1a34b0188b55655c325577d4b5693f433/src/_extensions/message-passing.md);
  on Linux it is said to read Google Chrome's folder too (unverified).
* Snap Chromium and Flatpak browsers cannot start a host outside their sandbox
  (https://github.com/keepassxreboot/keepassxc/issues/12741, 2025-11-26: "Snap'd Chromium does not
  support native messaging"; https://github.com/keepassxreboot/keepassxc-browser/issues/1267 for Flatpak):
  they are listed so ``status`` can say so instead of writing a manifest that cannot work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from guard.catalog.models import OsName

Family = Literal["chromium", "firefox"]
CHROME_DOCS = "https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging"
MDN_DOCS = "https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_manifests"
EDGE_DOCS = "https://learn.microsoft.com/en-us/microsoft-edge/extensions-chromium/developer-guide/native-messaging"
KEEPASSXC = ("https://github.com/keepassxreboot/keepassxc/blob/00cd6e97bf94ca0e897e5b075def3a32dfb99f3e/"
             "src/browser/NativeMessageInstaller.cpp")
OPERA_DOCS = ("https://github.com/operasoftware/devopera/blob/085182f1a34b0188b55655c325577d4b5693f433/"
              "src/_extensions/message-passing.md")
CHECKED = "2026-12-01"


@dataclass(frozen=True)
class Browser:
    """One browser (or one packaging of it) and where it reads host manifests.

    Paths are relative: ``linux`` to the home folder (``~/.config`` is ``$XDG_CONFIG_HOME``, written
    ``config:``), ``macos`` to ``~/Library/Application Support``; ``windows`` is a registry key under
    HKEY_CURRENT_USER. ``markers`` are paths (same bases) whose presence says the browser is installed;
    ``programs`` are executables looked up on PATH. ``unsupported`` says why a host cannot work there.
    """

    id: str
    name: str
    family: Family
    linux: str | None = None
    macos: str | None = None
    windows: str | None = None
    linux_markers: tuple[str, ...] = ()
    macos_markers: tuple[str, ...] = ()
    windows_markers: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()  # process names of the browser that starts the host
    source: str = CHROME_DOCS
    verified: bool = True
    unsupported: str | None = None

    def location(self, os_name: OsName) -> str | None:
        return {"linux": self.linux, "macos": self.macos, "windows": self.windows}[os_name]

    def markers(self, os_name: OsName) -> tuple[str, ...]:
        return {"linux": self.linux_markers, "macos": self.macos_markers, "windows": self.windows_markers}[os_name]


_CHROME_KEY = r"Software\Google\Chrome\NativeMessagingHosts"
_LOCAL = "localappdata:"

BROWSERS: tuple[Browser, ...] = (
    Browser("chromium", "Chromium", "chromium",
            linux="config:chromium/NativeMessagingHosts", macos="Chromium/NativeMessagingHosts",
            windows=r"Software\Chromium\NativeMessagingHosts",
            linux_markers=("config:chromium",), macos_markers=("Chromium",),
            windows_markers=(_LOCAL + r"Chromium\User Data",),
            programs=("chromium", "chromium-browser"), processes=("chromium", "chromium-browser", "chromium.exe")),
    Browser("chrome", "Google Chrome", "chromium",
            linux="config:google-chrome/NativeMessagingHosts", macos="Google/Chrome/NativeMessagingHosts",
            windows=_CHROME_KEY,
            linux_markers=("config:google-chrome",), macos_markers=("Google/Chrome",),
            windows_markers=(_LOCAL + r"Google\Chrome\User Data",),
            programs=("google-chrome", "google-chrome-stable"),
            processes=("chrome", "google-chrome", "chrome.exe", "Google Chrome")),
    Browser("edge", "Microsoft Edge", "chromium",
            linux="config:microsoft-edge/NativeMessagingHosts", macos="Microsoft Edge/NativeMessagingHosts",
            windows=r"Software\Microsoft\Edge\NativeMessagingHosts",
            linux_markers=("config:microsoft-edge",), macos_markers=("Microsoft Edge",),
            windows_markers=(_LOCAL + r"Microsoft\Edge\User Data",),
            programs=("microsoft-edge", "microsoft-edge-stable"),
            processes=("msedge", "microsoft-edge", "msedge.exe", "Microsoft Edge"), source=EDGE_DOCS, verified=False),
    Browser("brave", "Brave", "chromium",
            linux="config:BraveSoftware/Brave-Browser/NativeMessagingHosts",
            macos="BraveSoftware/Brave-Browser/NativeMessagingHosts", windows=_CHROME_KEY,
            linux_markers=("config:BraveSoftware/Brave-Browser",), macos_markers=("BraveSoftware/Brave-Browser",),
            windows_markers=(_LOCAL + r"BraveSoftware\Brave-Browser\User Data",),
            programs=("brave", "brave-browser"), processes=("brave", "brave.exe", "Brave Browser"),
            source=KEEPASSXC, verified=False),
    Browser("vivaldi", "Vivaldi", "chromium",
            linux="config:vivaldi/NativeMessagingHosts", macos="Vivaldi/NativeMessagingHosts", windows=_CHROME_KEY,
            linux_markers=("config:vivaldi",), macos_markers=("Vivaldi",),
            windows_markers=(_LOCAL + r"Vivaldi\User Data",),
            programs=("vivaldi", "vivaldi-stable"), processes=("vivaldi-bin", "vivaldi.exe", "Vivaldi"),
            source=KEEPASSXC, verified=False),
    Browser("opera", "Opera", "chromium",
            linux="config:google-chrome/NativeMessagingHosts", macos="Google/Chrome/NativeMessagingHosts",
            windows=_CHROME_KEY,
            linux_markers=("config:opera",), macos_markers=("com.operasoftware.Opera",),
            windows_markers=(r"appdata:Opera Software\Opera Stable",),
            programs=("opera",), processes=("opera", "opera.exe", "Opera"), source=OPERA_DOCS, verified=False),
    Browser("firefox", "Firefox", "firefox",
            linux="home:.mozilla/native-messaging-hosts", macos="Mozilla/NativeMessagingHosts",
            windows=r"Software\Mozilla\NativeMessagingHosts",
            linux_markers=("home:.mozilla/firefox", "home:snap/firefox"), macos_markers=("Firefox",),
            windows_markers=(r"appdata:Mozilla\Firefox",),
            programs=("firefox", "firefox-esr"), processes=("firefox", "firefox-esr", "firefox-bin", "firefox.exe"),
            source=MDN_DOCS),
    Browser("librewolf", "LibreWolf", "firefox",
            linux="home:.librewolf/native-messaging-hosts", macos="LibreWolf/NativeMessagingHosts",
            windows=r"Software\Mozilla\NativeMessagingHosts",
            linux_markers=("home:.librewolf",), macos_markers=("LibreWolf",), windows_markers=(r"appdata:LibreWolf",),
            programs=("librewolf",), processes=("librewolf", "librewolf.exe"), source=KEEPASSXC, verified=False),
    Browser("chromium-snap", "Chromium (snap)", "chromium", linux_markers=("home:snap/chromium",),
            source="https://github.com/keepassxreboot/keepassxc/issues/12741", verified=False,
            unsupported="the Chromium snap cannot start programs outside its sandbox (no native messaging)"),
    Browser("flatpak", "Browsers installed with Flatpak", "chromium",
            linux_markers=("home:.var/app/org.chromium.Chromium", "home:.var/app/com.google.Chrome",
                           "home:.var/app/org.mozilla.firefox", "home:.var/app/com.brave.Browser",
                           "home:.var/app/com.microsoft.Edge"),
            source="https://github.com/keepassxreboot/keepassxc-browser/issues/1267", verified=False,
            unsupported="a Flatpak browser cannot start programs outside its sandbox without extra permissions"),
)


def by_id(browser_id: str) -> Browser | None:
    return next((browser for browser in BROWSERS if browser.id == browser_id), None)


def for_process(name: str, family: Family | None = None) -> Browser | None:
    """The browser a process name belongs to (the host's parent), within ``family`` when given."""
    key = name.strip().casefold()
    for browser in BROWSERS:
        usable = browser.unsupported is None and (family is None or browser.family == family)
        if usable and key in (process.casefold() for process in browser.processes):
            return browser
    return None
