"""What the welcome says (pure): what the app watches on this computer and what it never sends,
whether terms pages are fetched and from where, the browser integration per browser, and where
the ledger and its key live. The welcome window lays these sections out; the words are derived
from the settings, the catalog and what the door reports, never written per provider."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from guard import APP_NAME
from guard.catalog.loader import Catalog
from guard.ledger import ledger_path
from guard.ledger.key_status import KeyState, KeyStatus, KeyStorage
from guard.paths import AppPaths, resources_dir
from guard.presentation.browser_words import BrowserState, said_state
from guard.presentation.i18n import _, format_number, labelled, ngettext, say
from guard.settings import Settings

MAX_SITES = 8  # sites named in the terms section; the rest are counted


@dataclass(frozen=True)
class WelcomeSection:
    """A heading and its paragraphs (plain text; the window never reads them as markup)."""

    key: str
    title: str
    paragraphs: tuple[str, ...]


def site(host: str) -> str:
    """The site a host belongs to, as a person names it: ``support.google.com`` → ``google.com``
    (the last two labels; three under a two-letter country's second level, ``bbc.co.uk``)."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in ("co", "com", "org", "ac", "gov") else 2
    return ".".join(labels[-keep:])


def watched_sites(catalog: Catalog) -> tuple[int, list[str]]:
    """How many terms documents the catalog watches, and their sites, most documents first."""
    hosts: Counter[str] = Counter()
    documents = 0
    for provider in catalog:
        for document in provider.documents:
            documents += 1
            host = urlsplit(str(document.url)).hostname
            if host:
                hosts[site(host)] += 1
    return documents, [host for host, _count in sorted(hosts.items(), key=lambda item: (-item[1], item[0]))]


def watching_section(settings: Settings) -> WelcomeSection:
    detection = settings.detection
    looks = [_("which programs run, and the command lines of meeting clients and browsers")]
    if detection.window_probe:
        looks.append(_("the titles of meeting windows"))
    if detection.microphone_probe or detection.camera_probe:
        looks.append(_("which program uses the microphone or the camera (never what they hear or see)"))
    if detection.socket_probe:
        looks.append(_("whether a meeting client has media connections open (never their content)"))
    if detection.accessibility_probe:
        looks.append(_("the AI notices and participant lists native meeting clients show, read through the "
                       "accessibility interface while they show a meeting"))
    if detection.browser_probe:
        looks.append(_("meeting tabs, AI notices and note-taker bots, if you add the browser extension"))
    paragraphs = [
        _("To tell you when a meeting with AI features is on, {app} looks every {seconds} seconds at:").format(
            app=APP_NAME, seconds=format_number(detection.interval_seconds)),
        *(f"• {look}" for look in looks),
        _("What it never sends: nothing about your meetings, your decisions or this computer leaves it. There is "
          "no account, no telemetry, no analytics and no crash reporting. Your consent ledger stays here unless "
          "you export it."),
    ]
    if not detection.enabled:
        paragraphs.insert(0, _("Monitoring is switched off in the settings; nothing is looked at until you turn it "
                               "on."))
    return WelcomeSection("watching", _("What the app watches on this computer"), tuple(paragraphs))


def archived_documents(catalog: Catalog) -> int:
    """How many watched documents a public archive (Open Terms Archive) keeps versions of."""
    return sum(1 for provider in catalog for document in provider.documents if document.archive is not None)


ARCHIVE_HOSTS = "api.github.com, raw.githubusercontent.com"


def terms_section(settings: Settings, catalog: Catalog) -> WelcomeSection:
    documents, sites = watched_sites(catalog)
    named = ", ".join(sites[:MAX_SITES])
    more = len(sites) - MAX_SITES
    if more > 0:
        named += " " + ngettext("and {count} more site, all listed under Settings, Terms changes",
                                "and {count} more sites, all listed under Settings, Terms changes", more).format(
            count=format_number(more))
    hours = settings.terms.check_interval_hours
    what = ngettext("{count} public terms page", "{count} public terms pages", documents).format(
        count=format_number(documents))
    archived = archived_documents(catalog) if settings.terms.archive_enabled else 0
    if settings.terms.network_enabled:
        state = ngettext("Terms checks are on: every {hours} hour the app fetches {what} over HTTPS from the "
                         "sites that publish them ({sites}).",
                         "Terms checks are on: every {hours} hours the app fetches {what} over HTTPS from the "
                         "sites that publish them ({sites}).", round(hours))
    else:
        state = _("Terms checks are off: the app fetches nothing and shows the versions it ships with. When on, "
                  "it fetches {what} over HTTPS from the sites that publish them ({sites}).")
    paragraphs = [state.format(hours=format_number(hours), what=what, sites=named)]
    if archived:
        paragraphs.append(ngettext(
            "For {count} of them it first asks Open Terms Archive, a public archive of terms versions, for its copy "
            "on GitHub ({hosts}); the provider's site only when the archive cannot give it.",
            "For {count} of them it first asks Open Terms Archive, a public archive of terms versions, for its copy "
            "on GitHub ({hosts}); the provider's site only when the archive cannot give it.", archived).format(
            count=format_number(archived), hosts=ARCHIVE_HOSTS))
    paragraphs.append(_("Only the pages are asked for, with an honest User-Agent; nothing about you or your meetings "
                        "is sent. Terms checks, and a time stamp when you ask for one, are the app's only use of the "
                        "network. Every terms request is kept in the fetch log (Settings, Terms changes)."))
    return WelcomeSection("terms", _("Terms checks"), tuple(paragraphs))


def browsers_section(browsers: Sequence[BrowserState] | None, extension_folder: str | None = None) -> WelcomeSection:
    """``browsers`` None: not known yet (still being read). ``extension_folder``: where the
    extension to add is (default: the one this app ships, wherever it is installed)."""
    paragraphs = [_("Without the extension the app sees a web meeting only while its tab is in front. The "
                    "extension sees meeting tabs in the background, the notices a page shows when AI or recording "
                    "starts, and note-taker bots among the participants. It sends what it sees only to this app.")]
    if browsers is None:
        paragraphs.append(_("Looking for browsers…"))
    elif not browsers:
        paragraphs.append(_("No supported browser was found on this computer."))
    else:
        paragraphs += ["• " + labelled(item.browser, said_state(item)) for item in browsers]
    if browsers and not all(item.state == "extension connected" for item in browsers):
        folder = extension_folder or str(resources_dir() / "extension")  # a tarball's or a wheel's, not the repo's
        # Preferences first: a checkout's install puts meeting-guard in .venv/bin, not on PATH.
        paragraphs.append(_("To set it up, click Install under Preferences, Browser extension (or run “meeting-guard "
                            "browser install”), then add the extension from the folder {folder} (the README's "
                            "“Browser integration” says how).").format(folder=folder))
    return WelcomeSection("browsers", _("Browser integration"), tuple(paragraphs))


def key_words(status: KeyStatus | None) -> str:
    """Where the ledger's signing key is, for a person (the core's own message is for the log)."""
    if status is None:
        return _("Looking for the keyring…")
    if status.storage == KeyStorage.KEYRING:
        where = _("in your system keyring ({backend})").format(backend=status.backend or _("unknown"))
    elif status.storage == KeyStorage.FILE:
        where = _("in the file {path}, readable only by you (no keyring is available: {reason})").format(
            path=status.key_file or "ledger.key", reason=status.fallback_reason or _("none was found"))
    else:
        where = _("in your system keyring, or in a file readable only by you when there is no keyring")
    if status.state == KeyState.NONE:
        return _("The ledger's signing key does not exist yet: your first record creates it, {where}.").format(
            where=where)
    if status.state == KeyState.OK:
        return _("The ledger's signing key is kept {where}.").format(where=where)
    return _("The ledger's signing key cannot be used: {problem}").format(problem=say(status.text()))


def data_section(paths: AppPaths, settings_file: Path, key: KeyStatus | None) -> WelcomeSection:
    paragraphs = (
        _("Your consent ledger is {path}: every decision you record, signed so that a change to the file is "
          "noticed.").format(path=ledger_path(paths)),
        key_words(key),
        _("Settings: {path}. You can see this again from the tray menu (“Welcome and privacy…”).").format(
            path=settings_file),
    )
    return WelcomeSection("data", _("Where your data lives"), paragraphs)


def welcome_sections(settings: Settings, catalog: Catalog, paths: AppPaths, settings_file: Path,
                     browsers: Sequence[BrowserState] | None = None,
                     key: KeyStatus | None = None) -> list[WelcomeSection]:
    """The welcome, section by section."""
    return [watching_section(settings), terms_section(settings, catalog), browsers_section(browsers),
            data_section(paths, settings_file, key)]


def flat(sections: Iterable[WelcomeSection]) -> str:
    """All sections as one text (for tests and the log)."""
    return "\n\n".join("\n".join((section.title, *section.paragraphs)) for section in sections)
