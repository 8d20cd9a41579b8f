"""Write the extension's manifest and data file from the provider catalog.

    python -m guard.browser.generate          rewrite resources/extension/{manifest.json,data.js}
                                              and resources/detect/link_hosts.json
    python -m guard.browser.generate --check  exit 1 if the shipped files are stale

The extension may look only at the catalog's meeting hosts, knows the catalog's notice words
and bot names, and cuts secrets from links by the app's own rules; all of that comes from here,
so the catalog stays the one place such knowledge is written. A test fails when the shipped
files differ from what this writes for the shipped catalog. The same reading of the link patterns'
hosts gives the app its prefilter (resources/detect/link_hosts.json, guard.detect.link_hosts): read
here once, so the app never parses a pattern at start-up.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from guard import __version__
from guard.browser import ids, limits
from guard.browser.hosts import HostPatternError, HostRule, host_rules, merge
from guard.browser.literals import LiteralError, required_literals, required_pieces
from guard.catalog.loader import Catalog, load_catalog
from guard.catalog.notices import all_notices, normalise
from guard.detect.redaction import personal_paths, secret_keys
from guard.paths import resources_dir

GENERATED_FILES = ("manifest.json", "data.js")
DESCRIPTION = ("Tells the Meeting Privacy Guard app on this computer of meeting tabs, AI notices and "
               "note-taker bots. Sends nothing anywhere else.")
MIN_CHROME = "121"  # the first Chrome that accepts background.scripts beside background.service_worker
MIN_FIREFOX = "128.0"  # ESR 128: MV3 with host permissions granted at install


class GenerateError(ValueError):
    """The catalog holds something the extension cannot be built from; the message says what."""


def extension_dir() -> Path:
    return resources_dir() / "extension"


def declared_hosts(hosts: tuple[str, ...]) -> list[HostRule]:
    """The catalog's ``[detect.web] hosts`` (``*.zoom.us`` for any subdomain) as host rules."""
    return [HostRule(host.removeprefix("*."), host.startswith("*."), "https") for host in hosts]


def derived_hosts(patterns: tuple[str, ...]) -> list[HostRule]:
    """The hosts the link patterns themselves can match (app links have none)."""
    return [rule for pattern in patterns for rule in host_rules(pattern)]


def link_only(rule: HostRule, link_only_hosts: list[HostRule]) -> bool:
    """Whether ``rule`` is one of the catalog's ``link_only_hosts`` (or below one given with ``*.``)."""
    return any(rule.host == only.host or (only.subdomains and rule.host.endswith("." + only.host))
               for only in link_only_hosts)


def meeting_hosts(catalog: Catalog) -> list[tuple[HostRule, list[str]]]:
    """Each host rule with the providers whose meeting links it covers: the catalog's declared
    ``hosts`` and every host its link patterns can match (a pattern that allows ``www.`` where the
    declared hosts do not still gets its tabs seen), except the provider's ``link_only_hosts`` (short
    links and redirectors: their links are found in text, and no meeting page is shown there)."""
    problems: list[str] = []
    rules: list[tuple[HostRule, str]] = []
    for provider in catalog:
        web = provider.detect.web
        if not web.url_patterns:
            continue
        only = declared_hosts(web.link_only_hosts)
        try:
            found = declared_hosts(web.hosts) + derived_hosts(web.url_patterns)
            rules += [(rule, provider.id) for rule in found if not link_only(rule, only)]
        except HostPatternError as error:
            problems.append(f"{provider.id}: {error}")
    if problems:
        raise GenerateError("Cannot tell which hosts these meeting-link patterns are on:\n  " + "\n  ".join(problems))
    merged = merge(rule for rule, _provider in rules)
    result: list[tuple[HostRule, list[str]]] = []
    for kept in merged:
        providers = sorted({provider for rule, provider in rules
                            if rule.host == kept.host or (kept.subdomains and rule.host.endswith("." + kept.host))})
        result.append((kept, providers))
    return result


def bot_names(catalog: Catalog) -> list[dict[str, Any]]:
    """Per note-taker, the words its bot's display name always contains (from ``participant_names``)."""
    bots: list[dict[str, Any]] = []
    problems: list[str] = []
    for provider in catalog:
        texts: list[str] = []
        for pattern in provider.detect.participant_names:
            try:
                texts += [normalise(text) for text in required_literals(pattern)]
            except LiteralError as error:
                problems.append(f"{provider.id}: {error}")
        if texts:
            bots.append({"provider": provider.id, "texts": sorted(set(texts))})
    if problems:
        raise GenerateError("Cannot turn these participant names into words to look for:\n  " + "\n  ".join(problems))
    return sorted(bots, key=lambda bot: bot["provider"])


def meeting_pages(catalog: Catalog) -> list[dict[str, Any]]:
    """Per provider with web meetings, the fixed pieces a meeting page's link (lowercase) or tab title
    (normalised) contains: the extension reports a tab only when every piece of one form is there, so
    the other pages of a meeting host (a Slack channel, a Discord server) never leave the browser.
    The app re-checks with the full patterns."""
    rules: list[dict[str, Any]] = []
    problems: list[str] = []
    any_host = any_host_pieces(catalog)
    for provider in catalog:
        web = provider.detect.web
        if not web.url_patterns:
            continue
        try:
            only = declared_hosts(web.link_only_hosts)
            shown = [pattern for pattern in web.url_patterns  # a link-only host's links never show in a tab
                     if not (only and (hosts := derived_hosts((pattern,))) and all(link_only(h, only) for h in hosts))]
            urls = [pieces for pattern in shown for pieces in required_pieces(pattern)
                    if not (pieces and re.match(r"[a-z][a-z0-9+.-]*:", pieces[0])
                            and not pieces[0].startswith(("http://", "https://")))]  # app links: no tab shows them
            # A title pattern with no fixed words (Meet's bare meeting code) would let every page of the
            # host through; such pages are known by their link, so the pattern serves window titles only.
            titles = [[normalise(piece) for piece in pieces]
                      for pattern in web.meeting_window_titles for pieces in required_pieces(pattern) if pieces]
        except (LiteralError, HostPatternError) as error:
            problems.append(f"{provider.id}: {error}")
            continue
        rule: dict[str, Any] = {"provider": provider.id, "url": urls, "title": titles}
        if any_host.get(provider.id):
            rule["anyHostUrl"] = any_host[provider.id]
        rules.append(rule)
    if problems:
        raise GenerateError("Cannot read the fixed words of these patterns:\n  " + "\n  ".join(problems))
    return rules


def self_hosted(catalog: Catalog) -> list[dict[str, Any]]:
    """The services a user may add a server of in the extension's options page: the catalog's self-hosted ones (run
    on servers of their operators' own: ``any_host_url_patterns`` or ``device_window_titles``) whose meeting page the
    extension can tell on any host, by its title (``meeting_window_titles``) or its link (``any_host_url_patterns``).
    A service known only by a call window's title any page could carry (Mattermost's "Call - <channel>") is not one:
    its tabs there would say nothing."""
    return [{"provider": provider.id, "name": provider.name} for provider in catalog
            if (provider.detect.web.any_host_url_patterns or provider.detect.web.device_window_titles)
            and (provider.detect.web.meeting_window_titles or provider.detect.web.any_host_url_patterns)
            and provider.detect.web.url_patterns]


def any_host_pieces(catalog: Catalog) -> dict[str, list[list[str]]]:
    """Per self-hosted service, the fixed pieces of its ``any_host_url_patterns``: on a server the user added for it, a
    tab whose link holds every piece of one form is reported (the app matches the full patterns). A form whose pieces
    name no path (:func:`names_a_page`: BigBlueButton's room at the root of a host named 'bbb', whose pieces are
    'https://' and 'bbb') is left out: on a server so named every page would hold them."""
    found: dict[str, list[list[str]]] = {}
    for provider in catalog:
        try:
            pieces = [form for pattern in provider.detect.web.any_host_url_patterns
                      for form in required_pieces(pattern) if names_a_page(form)]
        except LiteralError as error:
            raise GenerateError(f"{provider.id}: {error}") from None
        if pieces:
            found[provider.id] = pieces
    return found


def names_a_page(pieces: list[str]) -> bool:
    """Whether a form's fixed pieces say something of the page past its host: a piece of its path, query or fragment
    (not the scheme, nor a word of the host name, which every page of a server so named holds)."""
    return any(piece.startswith(("/", "?", "&", "#")) or "/" in piece.split("://", 1)[-1] for piece in pieces)


def extension_data(catalog: Catalog) -> dict[str, Any]:
    """What data.js holds: hosts and their providers, secret link parameters, paths that name a person, notices,
    bots, the self-hosted services a user may add a server of, lobby screens, limits."""
    return {
        "version": __version__,
        "hostName": ids.HOST_NAME,
        "hosts": [{"host": rule.host, "subdomains": rule.subdomains, "scheme": rule.scheme, "providers": providers}
                  for rule, providers in meeting_hosts(catalog)],
        "meetings": meeting_pages(catalog),
        "secretKeys": sorted(secret_keys()),
        "personalPaths": [dict(rule) for rule in personal_paths()],
        "notices": [{"provider": provider, "feature": feature, "text": normalise(notice.text)}
                    for provider, feature, notice in all_notices(catalog)],
        "bots": bot_names(catalog),
        "selfHosted": self_hosted(catalog),
        "lobbies": [{"provider": provider.id, "selectors": list(provider.detect.web.lobby_selectors),
                     "texts": {language: [normalise(phrase) for phrase in phrases]
                               for language, phrases in sorted(provider.detect.web.lobby_texts.items())}}
                    for provider in catalog if provider.detect.web.lobby_selectors or provider.detect.web.lobby_texts],
        "limits": limits.for_extension(),
    }


def manifest(catalog: Catalog) -> dict[str, Any]:
    """The extension's manifest.json (Manifest V3, loading in Chromium-based browsers and Firefox)."""
    matches = [rule.match_pattern() for rule, _providers in meeting_hosts(catalog)]
    return {
        "manifest_version": 3,
        "name": "Meeting Privacy Guard",
        "short_name": "Meeting Guard",
        "version": __version__,
        "description": DESCRIPTION,
        "key": ids.CHROMIUM_PUBLIC_KEY,
        "minimum_chrome_version": MIN_CHROME,
        # scripting and storage: the content script registered on a server the user added (and granted) in the
        # options page, and the list of those servers; any other host is asked for one at a time, on the user's click
        "permissions": ["nativeMessaging", "scripting", "storage"],
        "host_permissions": matches,
        "optional_host_permissions": ["https://*/*"],
        "incognito": "not_allowed",
        "background": {"service_worker": "service-worker.js", "scripts": ["data.js", "common.js", "background.js"]},
        "content_scripts": [{"matches": matches, "js": ["data.js", "common.js", "content.js"],
                             "run_at": "document_idle"}],
        "options_ui": {"page": "options.html", "open_in_tab": True},
        "icons": {str(size): f"icons/icon-{size}.png" for size in (16, 32, 48, 128)},
        "browser_specific_settings": {"gecko": {
            "id": ids.GECKO_ID,
            "strict_min_version": MIN_FIREFOX,
            "data_collection_permissions": {"required": ["none"]},
        }},
    }


def render(catalog: Catalog) -> dict[str, str]:
    """The generated files' text, by file name."""
    data = json.dumps(extension_data(catalog), indent=2, ensure_ascii=True, sort_keys=False)
    return {
        "manifest.json": json.dumps(manifest(catalog), indent=2, ensure_ascii=True) + "\n",
        "data.js": ("// Generated by `python -m guard.browser.generate` from the provider catalog: do not edit.\n"
                    '"use strict";\n'
                    f"globalThis.MPG_DATA = Object.freeze({data});\n"),
    }


def link_hosts(catalog: Catalog) -> str:
    """resources/detect/link_hosts.json: each shipped ``^https://`` link pattern with the hosts it can
    match (``*.`` for any subdomain), read as the extension's host permissions are."""
    gates: dict[str, list[str]] = {}
    for provider in catalog:
        for pattern in provider.detect.web.url_patterns:
            if pattern.startswith("^https://"):
                try:
                    rules = host_rules(pattern)
                except HostPatternError as error:
                    raise GenerateError(f"{provider.id}: {error}") from None
                gates[pattern] = sorted({("*." if rule.subdomains else "") + rule.host for rule in rules})
    about = ("Generated by `python -m guard.browser.generate` from the provider catalog: do not edit. The hosts each "
             "shipped link pattern can match, the prefilter in front of it (guard/detect/link_hosts.py).")
    return json.dumps({"_about": about, "patterns": gates}, indent=1, ensure_ascii=True, sort_keys=True) + "\n"


def link_hosts_file() -> Path:
    return resources_dir() / "detect" / "link_hosts.json"


def stale_files(catalog: Catalog, folder: Path | None = None) -> list[str]:
    """Generated files in ``folder`` (default: the shipped extension) that differ from the catalog's."""
    folder = folder or extension_dir()
    stale = []
    for name, text in render(catalog).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    if folder == extension_dir():
        gates = link_hosts_file()
        if not gates.is_file() or gates.read_text(encoding="utf-8") != link_hosts(catalog):
            stale.append("../detect/link_hosts.json")
    return stale


def write(catalog: Catalog, folder: Path | None = None) -> list[Path]:
    folder = folder or extension_dir()
    written = []
    for name, text in render(catalog).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if folder == extension_dir():
        link_hosts_file().write_text(link_hosts(catalog), encoding="utf-8")
        written.append(link_hosts_file())
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guard.browser.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the shipped files are stale (exit 1)")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    try:
        if args.check:
            stale = stale_files(catalog)
            for name in stale:
                print(f"resources/extension/{name} is stale; run: python -m guard.browser.generate")
            return 1 if stale else 0
        for path in write(catalog):
            print(f"wrote {path}")
    except GenerateError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
