"""Meeting links against hostile look-alikes, with the shipped catalog (RE2, linear time).

A link counts for the host the browser goes to: after any ``user@`` (RFC 3986's userinfo ends at the
authority's last ``@``), never for a host that only starts or ends like a provider's, a provider's name
in the path, query or fragment, a homograph or its punycode, or a percent-encoded host. A wrapper
(Safe Links, Google's redirect, URL Defense) lends nothing: what it leads to is judged the same way.
"""

from __future__ import annotations

import pytest

from guard.catalog import load_catalog
from guard.detect.link_forms import canonical
from guard.detect.matching import DetectionRules
from tests.catalog.test_meetingbar import _extension_providers

RULES = DetectionRules.from_catalog(load_catalog(), "linux")

LOOK_ALIKES = [
    "https://zoom.us@evil.example/j/5551234567",
    "https://zoom.us:443@evil.example/j/5551234567",
    "https://teams.microsoft.com@evil.example/l/meetup-join/19%3ameeting_x%40thread.v2/0",
    "https://meet.jit.si@evil.example/Room",
    "https://meet.google.com.evil.example/abc-defg-hij",
    "https://teams.microsoft.com.evil.example/l/meetup-join/19%3ameeting_x%40thread.v2/0",
    "https://evilzoom.us/j/5551234567",
    "https://evil.example/meet.google.com/abc-defg-hij",
    "https://evil.example/?next=https://zoom.us/j/5551234567",
    "https://evil.example/#https://zoom.us/j/5551234567",
    "https://zoom%2Eus/j/5551234567",
    "https://zoom.us%2Fj%2F5551234567.evil.example/",
    "https://zoom.us%40evil.example/j/5551234567",
    "https://zоom.us/j/5551234567",  # a Cyrillic о
    "https://xn--zm-ikba.us/j/5551234567",  # punycode of a homograph
    "https://meet.gооgle.com/abc-defg-hij",
    "https://zoom.us:80/j/5551234567",  # https to port 80 is no page
    "https://nam11.safelinks.protection.outlook.com.evil.example/?url=https%3A%2F%2Fzoom.us%2Fj%2F5551234567",
    "https://evil.example/?url=https%3A%2F%2Fzoom.us%2Fj%2F5551234567&x=.safelinks.protection.outlook.com",
    "https://www.google.com.evil.example/url?q=https://zoom.us/j/5551234567",
    "https://nam11.safelinks.protection.outlook.com/?url=https%3A%2F%2Fzoom.us%40evil.example%2Fj%2F5551234567",
    "https://www.google.com/url?q=https://zoom.us%40evil.example/j/5551234567",
    "https://www.google.com/url?q=https://zoom.us@evil.example/j/5551234567",
    "https://urldefense.com/v3/__https://zoom.us@evil.example/j/1__;!!x",
    # mail gateways' link protection (kachi's forms): only their own hosts unwrap, and what they carry is judged
    "https://linkprotect.cudasvc.com.evil.example/url?a=https%3A%2F%2Fzoom.us%2Fj%2F5551234567",
    "https://evil.example/url?a=https%3A%2F%2Fzoom.us%2Fj%2F5551234567&c=linkprotect.cudasvc.com",
    "https://protect2.fireeye.com.evil.example/v1/url?u=https%3A%2F%2Fzoom.us%2Fj%2F5551234567",
    "https://imsva91-ctp.trendmicro.com.evil.example/wis/clicktime/v1/query?url=https%3A%2F%2Fzoom.us%2Fj%2F5551234567",
    "https://eu-central-1.protection.sophos.com/?u=aHR0cHM6Ly96b29tLnVzQGV2aWwuZXhhbXBsZS9qLzU1NTEyMzQ1Njc=",
    "https://x.r.us-east-1.awstrack.me/L0/https:%2F%2Fzoom.us%40evil.example%2Fj%2F5551234567/1/0",
    "https://l.wl.co/l?u=https%3A%2F%2Fmeet.google.com.evil.example%2Fabc-defg-hij",
    # a word glued before the scheme lends nothing either
    "Meetinghttps://zoom.us@evil.example/j/5551234567",
    "zoomhttps://evil.example/zoom.us/j/5551234567",
]


@pytest.mark.parametrize("url", LOOK_ALIKES)
def test_a_look_alike_of_a_meeting_link_is_no_meeting(url):
    assert RULES.match_urls((url,)) == []
    assert RULES.match_urls((f"--app={url}",)) == []


@pytest.mark.parametrize(("url", "provider", "reported"), [
    ("https://evil.example@zoom.us/j/5551234567", "zoom", "https://zoom.us/j/5551234567"),
    ("https://ada:secret@meet.google.com/abc-defg-hij", "google-meet", "https://meet.google.com/abc-defg-hij"),
    ("https://zoom.us./j/5551234567", "zoom", "https://zoom.us/j/5551234567"),
    ("https://zoom.us:443/j/5551234567", "zoom", "https://zoom.us/j/5551234567"),
    ("http://meet.google.com:80/abc-defg-hij", "google-meet", "https://meet.google.com/abc-defg-hij"),
])
def test_a_link_counts_for_the_host_the_browser_goes_to_and_is_reported_without_a_user_name(url, provider, reported):
    """Browsers go to the host after the last ``@`` (Firefox asks first, then goes): that is the meeting; the user
    name and password before it are not reported."""
    assert RULES.match_urls((url,)) == [(provider, reported)]


def test_the_extension_sees_the_host_after_the_user_name_too():
    assert _extension_providers("https://zoom.us@evil.example/j/5551234567") == []
    assert _extension_providers("https://meet.google.com.evil.example/abc-defg-hij") == []


def test_canonical_form_drops_only_what_the_browser_drops():
    assert canonical("https://a@b@Zoom.US:443/j/1?pwd=AbC") == "https://zoom.us/j/1?pwd=AbC"
    assert canonical("https://zoom.us:8443/j/1") == "https://zoom.us:8443/j/1"
    assert canonical("https://zoom.us/j/1?next=a@b") == "https://zoom.us/j/1?next=a@b"  # an @ after the host stays


def test_hostile_lengths_end_and_report_a_bounded_link():
    long_id = "https://zoom.us/j/" + "9" * 100_000
    found = RULES.match_urls((long_id,))
    assert [provider for provider, _ in found] == ["zoom"] and len(found[0][1]) < 10_000
    many = " ".join(f"https://evil{i}.example@zoom.us.evil.example/j/1" for i in range(5_000))
    assert RULES.match_urls((many,)) == []
    flood = ("https://nam11.safelinks.protection.outlook.com/?url=" + "https%253A%252F%252F" * 5_000,) * 64
    assert RULES.match_urls(flood) == []
    base64_flood = ("https://eu-central-1.protection.sophos.com/?u=" + "QUFB" * 20_000,) * 64
    assert RULES.match_urls(base64_flood) == []
    paren_flood = ("https://zoom.us/j/5551234567" + "(" * 50_000,)
    assert RULES.match_urls(paren_flood) == [("zoom", "https://zoom.us/j/5551234567")]


@pytest.mark.parametrize(("arg", "provider", "reported"), [
    ("zoom.us/j/1491234567", "zoom", "https://zoom.us/j/1491234567"),
    ("meetings.ringcentral.com/join?mid=1491234567", "ringcentral", "https://meetings.ringcentral.com/join?mid=1491234567"),
    ("Meet.Google.com/abc-defg-hij", "google-meet", "https://meet.google.com/abc-defg-hij"),
])
def test_a_browser_given_a_link_without_its_scheme_loads_it_as_https(arg, provider, reported):
    """``chromium zoom.us/j/1`` and ``firefox zoom.us/j/1`` open https://zoom.us/j/1 (RingCentral's widgets
    and Vexa take such links as meeting links too)."""
    assert RULES.match_urls((arg,)) == [(provider, reported)]


@pytest.mark.parametrize("arg", [
    "--user-data-dir=/tmp/zoom.us/j/1491234567", "/home/ada/zoom.us/j/1491234567", "./zoom.us/j/1491234567",
    "docs/zoom.us/j/1491234567", "~/zoom.us/j/1491234567", "zoom.us.evil.example/j/1491234567",
    "evil.example/zoom.us/j/1491234567", "zoom.us/j/1491234567 and more", "zoom.us\\@evil.example/j/1491234567",
])
def test_a_path_an_option_or_a_look_alike_without_a_scheme_is_no_link(arg):
    assert RULES.match_urls((arg,)) == []


def test_trailing_punctuation_is_cut_in_linear_time_hostile():
    """A run of a sentence's punctuation or closing brackets after a link (typed into the consent form, which
    has no command line's bound) is cut at once: cut a character at a time it took seconds for 400,000."""
    from guard.detect.link_forms import link_forms, trimmed

    for tail in ("." * 1_000_000, ")" * 1_000_000, ".)]}!?" * 150_000):
        assert trimmed("https://zoom.us/j/1" + tail) == "https://zoom.us/j/1"
        assert link_forms("https://zoom.us/j/1?pwd=x" + tail)[-1] == "https://zoom.us/j/1?pwd=x"
    assert trimmed("https://en.wikipedia.org/wiki/Foo_(bar))).") == "https://en.wikipedia.org/wiki/Foo_(bar)"
