"""What a link found in text stands for (guard.detect.link_forms), with plain values and hostile input."""

from __future__ import annotations

from base64 import b64encode
from urllib.parse import quote

from guard.detect.link_forms import MOST_WRAPPERS, canonical, link_forms, trimmed, unwrapped


def test_a_sentence_s_punctuation_and_an_unmatched_bracket_are_not_part_of_the_link():
    assert trimmed("https://zoom.us/j/123).") == "https://zoom.us/j/123"
    assert trimmed("https://meet.jit.si/Room,") == "https://meet.jit.si/Room"
    assert trimmed("https://en.wikipedia.org/wiki/Foo_(bar)") == "https://en.wikipedia.org/wiki/Foo_(bar)"


def test_html_escapes_are_decoded_but_a_query_s_own_names_are_kept():
    assert trimmed("https://zoom.us/j/1?pwd=a&amp;from=addon") == "https://zoom.us/j/1?pwd=a&from=addon"
    assert trimmed("https://zoom.us/j/1&gt;") == "https://zoom.us/j/1"
    # a lenient HTML decoder reads "&reg" and "&not" without their semicolon: "®ion", "¬e"
    assert trimmed("https://x.zoom.us/j/1?a=1&region=us&note=2") == "https://x.zoom.us/j/1?a=1&region=us&note=2"


def test_redirects_are_unwrapped_and_other_links_are_left_alone():
    target = "https://us02web.zoom.us/j/12345?pwd=abc"
    assert unwrapped(f"https://nam11.safelinks.protection.outlook.com/?url={quote(target, safe='')}&data=05") == target
    assert unwrapped(f"https://www.google.com/url?q={target}&sa=D") == target  # Calendar leaves it unencoded
    assert unwrapped(f"https://www.google.com/url?q={quote(target, safe='')}&sa=D") == target
    assert unwrapped("https://www.google.com/search?q=https://zoom.us/j/1") is None  # a search, not the redirect
    assert unwrapped("https://evil.example/?url=https://zoom.us/j/1") is None  # only known redirect hosts
    assert unwrapped("https://safelinks.protection.outlook.com.evil.example/?url=https://zoom.us/j/1") is None


def test_wrappers_inside_wrappers_unwrap_to_a_bounded_depth():
    link = "https://zoom.us/j/1"
    for _ in range(MOST_WRAPPERS):
        link = f"https://eur01.safelinks.protection.outlook.com/?url={quote(link, safe='')}"
    assert link_forms(link)[-1] == "https://zoom.us/j/1"
    deeper = f"https://eur01.safelinks.protection.outlook.com/?url={quote(link, safe='')}"
    assert len(link_forms(deeper)) <= MOST_WRAPPERS + 2


def test_hostile_links_end_quickly():
    assert trimmed("https://x.example/" + ")" * 50_000) == "https://x.example/"
    assert link_forms("https://nam11.safelinks.protection.outlook.com/?url=%" + "%" * 10_000)[0].startswith("https://")


def test_proofpoint_url_defense_is_unwrapped_where_the_link_is_whole():
    v2 = "https://urldefense.proofpoint.com/v2/url?u=https-3A__zoom.us_j_123-3Fpwd-3Dab&d=DwMFaQ&e="
    assert unwrapped(v2) == "https://zoom.us/j/123?pwd=ab"
    assert unwrapped("https://urldefense.com/v3/__https://meet.jit.si/Room__;!!sig$") == "https://meet.jit.si/Room"
    assert unwrapped("https://urldefense.com/v3/__https://zoom.us/j/1*3F__;JQ!!sig$") == "https://zoom.us/j/1%3F"
    assert unwrapped("https://urldefense.com/v3/__no-link__;!!sig$") is None
    assert unwrapped("https://urldefense.com.evil.example/v3/__https://zoom.us/j/1__;!!") is None


def test_a_link_written_as_its_own_markdown_link_text_ends_at_its_bracket():
    """KubeStellar's meeting template writes [<Webex link>](<Webex link>): found as one run of text, it
    must still stand for the Webex link alone (tests/catalog/peers/links.toml has the whole line)."""
    link = "https://ibm.webex.com/ibm/j.php?MTID=mc9015c89e56fb75fc0956a1bdb93f931"
    assert trimmed(f"{link}]({link})") == link
    assert link_forms(f"{link}]({link})")[1] == link
    assert trimmed("https://example.org/a[1]") == "https://example.org/a[1]"


def test_teams_own_safe_links_are_unwrapped():
    """A link clicked in a Teams chat opens through Teams' Safe Links page (linkquisition's test has the form)."""
    wrapped = ("https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html"
               "?url=https%3A%2F%2Fzoom.us%2Fj%2F92221936273&locale=en-gb")
    assert unwrapped(wrapped) == "https://zoom.us/j/92221936273"
    other_page = "https://statics.teams.cdn.office.net/evergreen-assets/atp-safelinks.txt?url=https%3A%2F%2Fzoom.us"
    assert unwrapped(other_page) is None


def test_the_host_s_case_and_plain_http_are_read_as_the_browser_loads_them():
    """The IETF wiki has https://Dell.zoom.us/j/... and http://meet.google.com/...: both load as the lower-case
    https link, and only the scheme and host change (a passcode's case is the passcode)."""
    assert canonical("https://Dell.zoom.us/j/91506535175?pwd=MTJZ") == "https://dell.zoom.us/j/91506535175?pwd=MTJZ"
    assert canonical("http://meet.google.com/eiz-ypew-kdu") == "https://meet.google.com/eiz-ypew-kdu"
    assert canonical("HTTP://Example.ORG") == "https://example.org"
    assert canonical("msteams:/l/meetup-join/Abc") == "msteams:/l/meetup-join/Abc"
    assert canonical("zoommtg://Zoom.us/join?confno=1&pwd=AbC") == "zoommtg://zoom.us/join?confno=1&pwd=AbC"
    assert canonical(link_forms("http://Meet.Google.com/abc-defg-hij).")[-1]) == "https://meet.google.com/abc-defg-hij"


def test_a_table_cell_s_bar_and_an_icalendar_escape_end_a_link():
    """RFC 3986 allows neither "|" nor a backslash: the IETF wiki's side-meeting tables put "|" right after
    a room's link, and iCalendar descriptions write line breaks as a literal backslash-n."""
    assert trimmed("https://ietf.webex.com/meet/sidemeetingietf1|TBD|") == "https://ietf.webex.com/meet/sidemeetingietf1"
    assert trimmed("https://ietf.webex.com/meet/ietfsidemeeting2\\n\\nSee") == "https://ietf.webex.com/meet/ietfsidemeeting2"
    assert trimmed("https://ietf.webex.com/meet/ietfsidemeeting2.|TBD") == "https://ietf.webex.com/meet/ietfsidemeeting2"



def test_a_word_glued_before_the_scheme_is_not_part_of_the_link():
    """A plain-text copy of an invitation that lost a line break, or a stray letter pasted before the link
    (Meeting-BaaS/meet-teams-bot src/urlParser/meetUrlParser.test.ts#L78 parses 'jhttps://meet.google.com/...')."""
    assert link_forms("jhttps://meet.google.com/wbn-xkcu-dfa")[-1] == "https://meet.google.com/wbn-xkcu-dfa"
    assert "https://us02web.zoom.us/j/81234567890" in link_forms("Meetinghttps://us02web.zoom.us/j/81234567890")
    assert link_forms("zoommtg://zoom.us/join?confno=1") == ["zoommtg://zoom.us/join?confno=1"]  # a scheme stays
    assert link_forms("webcal://example.org/a.ics") == ["webcal://example.org/a.ics"]


def test_a_parenthesis_the_link_opens_and_never_closes_is_not_part_of_it():
    """meet-teams-bot's zoomUrlParser.test.ts#L51: 'https://us06web.zoom.us/j/<id>(Passcode: <digits>)'."""
    assert trimmed("https://us06web.zoom.us/j/86231457790(Passcode:") == "https://us06web.zoom.us/j/86231457790"
    assert trimmed("https://en.wikipedia.org/wiki/Foo_(bar)") == "https://en.wikipedia.org/wiki/Foo_(bar)"
    assert trimmed("https://x.example/a_(b)(c") == "https://x.example/a_(b)"
    assert trimmed("https://x.example/" + "(" * 50_000) == "https://x.example/"


def test_mail_gateways_link_protection_is_unwrapped():
    """The forms of ninoseki/kachi's rules (3d0cfcf src/kachi/rules/*.yml), around a meeting link."""
    link = "https://us06web.zoom.us/j/83456120987?pwd=aGVsbG8"
    encoded = quote(link, safe="")
    wrapped = [
        f"https://linkprotect.cudasvc.com/url?a={encoded}&c=E,1,Xy",
        f"https://imsva91-ctp.trendmicro.com/wis/clicktime/v1/query?url={encoded}&umid=1&auth=2",
        f"https://protect2.fireeye.com/v1/url?k=abc&u={encoded}",
        f"https://urlsand.esvalabs.com/?u={encoded}&e=1",
        f"https://emails.azure.microsoft.com/redirect/?destination={encoded}",
        f"https://a1b2.safelink.emails.azure.net/redirect/?destination={encoded}",
        f"https://l.wl.co/l?u={encoded}",
        f"https://urldefense.proofpoint.com/v1/url?u={encoded}&k=foo",
        f"https://urldefense.us/v3/__{link}__;!abc$",
        f"https://x3k9.r.eu-west-1.awstrack.me/L0/{encoded}/1/0102018f-000000/Zm9v=371",
        f"https://eu-central-1.protection.sophos.com/?d=zoom.us&u={b64encode(link.encode()).decode()}&i=Nj",
    ]
    for url in wrapped:
        assert unwrapped(url) == link, url


def test_only_the_gateways_own_hosts_and_whole_links_are_unwrapped():
    assert unwrapped("https://cudasvc.com.evil.example/url?a=https%3A%2F%2Fzoom.us%2Fj%2F1") is None
    assert unwrapped("https://protect2.fireeye.com/v2/other?u=https%3A%2F%2Fzoom.us%2Fj%2F1") is None  # not /v1/url
    assert unwrapped("https://eu-central-1.protection.sophos.com/?u=%%%not-base64") is None
    assert unwrapped("https://eu-central-1.protection.sophos.com/?u=" + b64encode(b"no link here").decode()) is None
    assert unwrapped("https://x.r.eu-west-1.awstrack.me/L0/no-link/1/0") is None
    hostile = "https://eu-central-1.protection.sophos.com/?u=" + "A" * 4000
    assert unwrapped(hostile) is None


def test_outgoing_link_redirects_of_sites_are_unwrapped():
    """The redirects ClearURLs/Rules 9317c06 data.min.json lists for these sites, around a meeting link."""
    link = "https://meet.google.com/qwe-rtyu-iop"
    encoded = quote(link, safe="")
    for url in (f"https://www.google.de/url?q={encoded}&sa=D", f"https://google.co.uk/url?q={link}",
                f"https://www.google.com.br/url?url={encoded}", f"https://www.youtube.com/redirect?event=video&q={encoded}",
                f"https://m.youtube.com/redirect?q={encoded}", f"https://vk.com/away.php?to={encoded}&cc_key=",
                f"https://duckduckgo.com/l/?uddg={encoded}&rut=abc", f"https://out.reddit.com/t3_x?url={encoded}&token=y",
                f"https://l.instagram.com/?u={encoded}&e=AT0"):
        assert unwrapped(url) == link, url
    for url in (f"https://google.evil.example/url?q={encoded}", f"https://www.google.com.evil.example/url?q={encoded}",
                f"https://googl.e.de/url?q={encoded}", f"https://google.evl.com/url?q={encoded}",
                f"https://google.com.xyz/url?q={encoded}", f"https://www.youtube.com/watch?q={encoded}",
                f"https://vk.com.evil.example/away.php?to={encoded}"):
        assert unwrapped(url) is None, url


def test_url_defense_v3_puts_back_the_characters_it_moved_out():
    """URL Defense v3 moves some characters of the link (a fragment's '#') into a base64 tail and marks each
    with '*' (a run with '**' and a length letter): put back, a Teams web link wrapped so is its meeting."""
    man7 = ("https://urldefense.com/v3/__https://man7.org/linux/man-pages/man2/copy_file_range.2.html*RETURN_VALUE"
            "__;Iw!!GqivPVa7Brio!N8XGLyK9dUTWOYWmb3NCuq-9kL-tX8OGcq-sV7M53ub5KMgr7e93a2B8eUryKw$")  # in a kernel mail
    assert unwrapped(man7) == "https://man7.org/linux/man-pages/man2/copy_file_range.2.html#RETURN_VALUE"
    teams = "https://urldefense.com/v3/__https://teams.microsoft.com/v2/?meetingjoin=true*/meet/2349876501234__;Iw!!x$"
    assert link_forms(teams)[-1] == "https://teams.microsoft.com/v2/?meetingjoin=true#/meet/2349876501234"
    assert unwrapped("https://urldefense.com/v3/__https://x.example/a**Bb__;JiYm!!x$") == "https://x.example/a&&&b"
    for short in ("https://urldefense.com/v3/__https://x.example/a*b*c__;Iw!!x$",  # two marks, one byte
                  "https://urldefense.com/v3/__https://x.example/a**!b__;Iw!!x$",  # no run length
                  "https://urldefense.com/v3/__https://x.example/a*b__;@@@!!x$"):  # no base64
        assert unwrapped(short) is None, short
    bomb = "https://urldefense.com/v3/__https://x.example/" + "x*" * 120_000 + "__;" + "QUFB" * 40_000 + "!!x$"
    assert unwrapped(bomb) == "https://x.example/" + "xA" * 120_000
