"""The shipped extension: generated from the catalog, least privilege, pinned IDs, and no way to reach the network."""

import json
import re

import pytest

from guard.browser import generate, ids
from guard.browser.hosts import HostPatternError, HostRule, host_rules, merge
from guard.catalog.loader import load_catalog
from tests.detect.world import provider_toml, write_catalog

EXTENSION = generate.extension_dir()


@pytest.fixture(scope="module")
def shipped():
    return load_catalog()


def manifest():
    return json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))


def test_shipped_extension_files_match_the_catalog(shipped):
    stale = generate.stale_files(shipped)
    assert stale == [], (f"resources/extension/{', '.join(stale)} differ from what the catalog gives; "
                         "run: python -m guard.browser.generate")


def test_manifest_asks_only_for_native_messaging_and_the_catalogs_meeting_hosts(shipped):
    data = manifest()
    assert data["manifest_version"] == 3
    # scripting and storage serve the servers the user adds (options page): a host asked for one at a time
    assert data["permissions"] == ["nativeMessaging", "scripting", "storage"]
    assert data["optional_host_permissions"] == ["https://*/*"], "granted per host on the user's click, never whole"
    assert data["options_ui"] == {"page": "options.html", "open_in_tab": True}
    assert (EXTENSION / "options.html").is_file() and (EXTENSION / "options.js").is_file()
    hosts = data["host_permissions"]
    assert hosts == [rule.match_pattern() for rule, _providers in generate.meeting_hosts(shipped)]
    assert all(re.fullmatch(r"(https|\*)://(\*\.)?[a-z0-9.-]+\.[a-z]+/\*", host) for host in hosts), hosts
    (content,) = data["content_scripts"]
    assert content["matches"] == hosts and content["js"] == ["data.js", "common.js", "content.js"]
    assert data["incognito"] == "not_allowed"
    for loosening in ("optional_permissions", "externally_connectable",
                      "web_accessible_resources", "content_security_policy", "update_url"):
        assert loosening not in data, loosening


def test_every_provider_with_meeting_links_has_its_hosts_in_the_extension(shipped):
    covered = {provider for _rule, providers in generate.meeting_hosts(shipped) for provider in providers}
    # (a provider whose links are all on link-only hosts, Duo's short links, has no meeting page to see)
    with_links = {provider.id for provider in shipped if provider.detect.web.url_patterns
                  and not (provider.detect.web.link_only_hosts and not provider.detect.web.hosts)}
    assert with_links and with_links <= covered


def test_extension_ids_are_pinned():
    data = manifest()
    assert ids.chromium_id_from_key(data["key"]) == ids.CHROMIUM_EXTENSION_ID
    assert data["browser_specific_settings"]["gecko"]["id"] == ids.GECKO_ID
    assert data["browser_specific_settings"]["gecko"]["data_collection_permissions"] == {"required": ["none"]}
    assert "PRIVATE" not in (EXTENSION / "manifest.json").read_text() and not list(EXTENSION.rglob("*.pem"))


NETWORK_APIS = ("fetch", "XMLHttpRequest", "WebSocket", "sendBeacon", "EventSource", "RTCPeerConnection",
                "WebTransport", "navigator.connection", "eval", "Function(", "setTimeout(\"", "setInterval(\"",
                "import(", "createElement(\"script", "createElement('script", "innerHTML", "outerHTML",
                "insertAdjacentHTML", "document.write", "window.open", "location.href =", "chrome.tabs.create",
                "tabs.executeScript", "scripting.", "storage.sync", "http://", "https://", "ws://", "wss://")


@pytest.mark.parametrize("path", sorted(EXTENSION.glob("*.js")), ids=lambda p: p.name)
def test_extension_script_reaches_nothing_but_the_native_host(path):
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    # A server the user added is named by its host: "https://" + host, its permission's origin, and nothing fetched
    code = code.replace('"https://" + ', "")
    if path.name == "background.js":  # the content script registered on a granted server: our own files only
        assert set(re.findall(r"scripting\.(\w+)", code)) <= {"registerContentScripts", "getRegisteredContentScripts",
                                                              "unregisterContentScripts", "executeScript"}
        assert re.findall(r"files: (\w+)", code) == ["CONTENT_FILES"] and \
            'const CONTENT_FILES = ["data.js", "common.js", "content.js"];' in code
        code = re.sub(r"scripting\.(registerContentScripts|getRegisteredContentScripts|unregisterContentScripts|"
                      r"executeScript)\b", "", code)
    used = [api for api in NETWORK_APIS if api in code]
    assert used == [], f"{path.name} uses {used}"
    if path.name == "service-worker.js":
        assert re.findall(r"importScripts\(([^)]*)\)", code) == ['"data.js", "common.js", "background.js"']


def test_generated_data_carries_the_redaction_rules_and_the_host_name(shipped):
    data = generate.extension_data(shipped)
    assert data["hostName"] == ids.HOST_NAME
    assert {"pwd", "p", "token", "passcode"} <= set(data["secretKeys"])


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"^https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}(?:[/?#]|$)", ["https://meet.google.com/*"]),
    (r"^https://([a-z0-9-]+\.)?zoom\.us/wc/\d{9,11}(?:[/?#]|$)", ["https://*.zoom.us/*"]),
    (r"^https://(gov\.)?teams\.microsoft\.(com|us)/l/meetup-join/",
     ["https://gov.teams.microsoft.com/*", "https://gov.teams.microsoft.us/*", "https://teams.microsoft.com/*",
      "https://teams.microsoft.us/*"]),
    (r"^https?://(?:www\.)?whereby\.com/[a-z]", ["*://whereby.com/*", "*://www.whereby.com/*"]),
    (r"(?i)^https://[\w-]+\.webex\.com/(meet|join)/", ["https://*.webex.com/*"]),
    (r"meet\.jit\.si/[^/]+", ["*://meet.jit.si/*"]),
    (r"^zoommtg://zoom\.us/join\?", []),
])
def test_hosts_are_read_from_link_patterns(pattern, expected):
    assert [rule.match_pattern() for rule in merge(host_rules(pattern))] == expected


def test_subdomain_rules_absorb_their_hosts():
    rules = [HostRule("zoom.us", False, "https"), HostRule("us02web.zoom.us", False, "https"),
             HostRule("zoom.us", True, "https")]
    assert merge(rules) == [HostRule("zoom.us", True, "https")]


@pytest.mark.parametrize("pattern", [r"^https://.*/j/\d+", r"^https://[^.]+/room", r"\d+"])
def test_a_pattern_whose_host_cannot_be_read_is_named(pattern):
    with pytest.raises(HostPatternError, match=re.escape(repr(pattern))):
        host_rules(pattern)


def test_the_generator_refuses_a_catalog_it_cannot_build_hosts_from(tmp_path):
    catalog = write_catalog(tmp_path / "catalog", {
        "odd": provider_toml("odd", "Odd", "browser-meeting", url_patterns=[r"^https://.*/meeting/\d+"]),
    })
    with pytest.raises(generate.GenerateError, match="odd"):
        generate.render(catalog)


def test_the_extension_may_see_every_declared_host_and_every_host_a_link_pattern_can_match(shipped):
    """A link pattern on a host the extension may not read would leave that service's tabs unseen."""
    allowed = [rule for rule, _providers in generate.meeting_hosts(shipped)]
    missing = []
    for provider in shipped:
        web = provider.detect.web
        only = generate.declared_hosts(web.link_only_hosts)
        for rule in generate.declared_hosts(web.hosts) + generate.derived_hosts(web.url_patterns):
            if generate.link_only(rule, only):
                continue  # a short link: found in text, never a tab's page (test below)
            if not any(rule.host == a.host or (a.subdomains and rule.host.endswith("." + a.host)) for a in allowed):
                missing.append((provider.id, rule.host))
    assert missing == []


def test_no_link_only_host_is_in_the_extensions_permissions_scripts_or_data(shipped):
    """Short links (g.co/meet/<nickname>) lead on to the meeting page: asking for access to every g.co page
    would buy nothing but a wider permission prompt."""
    only = {host for provider in shipped for host in provider.detect.web.link_only_hosts}
    assert {"g.co", "duo.app.goo.gl", "lu.ma"} <= only
    data = manifest()
    granted = [*data["host_permissions"], *data["content_scripts"][0]["matches"]]
    extension = generate.extension_data(shipped)
    for host in only:
        bare = host.removeprefix("*.")
        assert not [p for p in granted if re.fullmatch(r"[a-z*]+://(\*\.)?" + re.escape(bare) + "/\\*", p)], host
        assert not [rule for rule in extension["hosts"] if rule["host"] == bare], host
        assert not [pieces for page in extension["meetings"] for pieces in page["url"]
                    if any(bare + "/" in piece for piece in pieces)], host


def test_a_link_only_host_keeps_its_own_providers_other_hosts(tmp_path):
    """Only the named host is left out: the provider's meeting pages stay visible to the extension."""
    catalog = write_catalog(tmp_path / "catalog", {"short": provider_toml(
        "short", "Short", "browser-meeting",
        url_patterns=[r"^https://meet\.short\.example/[a-z]{6}$", r"^https://sho\.rt/m/[a-z]{6}$"],
        extra='hosts = ["meet.short.example"]\nlink_only_hosts = ["sho.rt"]\n')})
    assert generate.manifest(catalog)["host_permissions"] == ["https://meet.short.example/*"]
    (page,) = generate.extension_data(catalog)["meetings"]
    assert page["url"] == [["https://meet.short.example/"]]


def test_a_host_both_shown_and_link_only_is_a_catalog_problem(tmp_path):
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "both.toml").write_text(provider_toml(
        "both", "Both", "browser-meeting", url_patterns=[r"^https://both\.example/[a-z]+$"],
        extra='hosts = ["both.example"]\nlink_only_hosts = ["both.example"]\n'), encoding="utf-8")
    problems = [problem.message() for problem in load_catalog(shipped=folder).problems]
    assert len(problems) == 1 and "both.example" in problems[0] and "link_only_hosts" in problems[0], problems


def test_link_detection_still_finds_link_only_links(shipped):
    """Left out of the extension, a short link is still a meeting link where links are read: a browser or mail
    client started with it, an invitation's text (wrapped in a Safe Link, an HTML calendar description)."""
    from guard.detect.links import match_links
    from guard.detect.matching import DetectionRules

    rules = DetectionRules.from_catalog(shipped, "linux")
    texts = {"https://g.co/meet/toddsplace": ("google-meet", "https://g.co/meet/toddsplace"),
             "Join: https://nam11.safelinks.protection.outlook.com/?url=https%3A%2F%2Fg.co%2Fmeet%2Fmaths-7b&data=05":
                 ("google-meet", "https://g.co/meet/maths-7b"),
             '<a href="https://duo.app.goo.gl/abcd1234">call me</a>': ("google-duo", "https://duo.app.goo.gl/abcd1234"),
             "Your join link: https://lu.ma/join/g-abc123": ("luma", "https://lu.ma/join/g-abc123")}
    for text, expected in texts.items():
        assert match_links(rules, ("--new-window", text), None) == (expected,), text
    assert match_links(rules, ("https://g.co/kgs/abc123",), None) == (), "another of Google's short links"


def _added_server_reports(url: str, title: str, provider_id: str) -> bool:
    """What the extension's ``MPG.meetingProviders(url, title, servers)`` (resources/extension/common.js) says of a
    tab on a server the user added for ``provider_id``: one form of its link or title pieces, or of its any-host link
    pieces, all in the tab's (lowercase) link or (normalised) title. Read from the shipped data.js."""
    from guard.catalog.notices import normalise

    text = (EXTENSION / "data.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("Object.freeze(") + len("Object.freeze("):text.rindex(");")])
    rule = next(rule for rule in data["meetings"] if rule["provider"] == provider_id)
    link, shown = url.lower(), normalise(title)
    return any(all(piece in link for piece in form) for form in rule["url"] + rule.get("anyHostUrl", [])) or any(
        all(piece in shown for piece in form) for form in rule["title"])


@pytest.mark.parametrize(("url", "title", "provider_id", "reported"), [
    # A server named for BigBlueButton: its home page, sign-in and recordings are no meeting (session 13: every page
    # of such a host reached the app); its client's join page and the client's three-part title are.
    ("https://bbb.example.org/", "Greenlight", "bigbluebutton", False),
    ("https://bbb.example.org/signin", "Sign in", "bigbluebutton", False),
    ("https://bbb.example.org/recordings", "Recordings", "bigbluebutton", False),
    ("https://bbb.example.org/html5client/join?sessionToken=abc", "", "bigbluebutton", True),
    ("https://bbb.example.org/html5client/", "BigBlueButton - Physics 101 - Default presentation view",
     "bigbluebutton", True),
    ("https://bbb.example.org/rooms/abc-def-ghi-jkl/join", "", "bigbluebutton", True),
    # a Skype for Business server named meet.<domain>: its pages are none either
    ("https://meet.example.org/about", "About", "skype-for-business", False),
])
def test_a_page_on_an_added_server_is_reported_only_when_it_is_a_meeting_page(url, title, provider_id, reported):
    assert _added_server_reports(url, title, provider_id) is reported
