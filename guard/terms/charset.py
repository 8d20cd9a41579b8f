"""Reading a fetched page's bytes as a browser would: which charset, and whether it is HTML at all."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)


def looks_like_html(body: bytes) -> bool:
    """Whether an answer that did not say what it is starts like a web page."""
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset=["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)

# The encodings a browser reads a page in (WHATWG Encoding Standard, https://encoding.spec.whatwg.org/,
# checked 2026-12-01), by their common labels, as Python codecs. A page's declared charset is only
# ever one of these: Python's other codecs would decode what no browser shows ('unicode_escape'
# turns "\u202e" into a bidi override, 'utf-7' rewrites "+AG4-"), or raise instead of decoding
# ('rot13', 'zlib', 'base64' are not text encodings), and the page would go unwatched.
_BROWSER_ENCODINGS: dict[str, str] = {
    **dict.fromkeys(("utf-8", "utf8", "unicode-1-1-utf-8"), "utf-8"),
    **dict.fromkeys(("windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "latin1", "l1", "ascii",
                     "us-ascii", "iso_8859-1"), "cp1252"),
    **{f"windows-125{n}": f"cp125{n}" for n in (0, 1, 3, 4, 5, 6, 7, 8)},
    **{f"cp125{n}": f"cp125{n}" for n in (0, 1, 3, 4, 5, 6, 7, 8)},
    **{f"iso-8859-{n}": f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    **{f"iso8859-{n}": f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    "latin2": "iso8859-2", "iso-8859-9": "cp1254", "latin5": "cp1254", "windows-874": "cp874",
    "ibm866": "cp866", "koi8-r": "koi8-r", "koi8-u": "koi8-u", "macintosh": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    **dict.fromkeys(("gbk", "gb2312", "x-gbk", "chinese"), "gbk"), "gb18030": "gb18030",
    **dict.fromkeys(("big5", "big5-hkscs", "x-x-big5", "cn-big5"), "big5hkscs"),
    **dict.fromkeys(("euc-jp", "x-euc-jp"), "euc-jp"), "iso-2022-jp": "iso2022-jp",
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "korean", "windows-949"), "cp949"),
    **dict.fromkeys(("utf-16", "utf-16le", "unicode", "ucs-2"), "utf-16-le"), "utf-16be": "utf-16-be",
}


def decode_page(body: bytes, content_type: str | None) -> str:
    """Decode as a browser would: the declared charset, else a ``<meta charset>``, else UTF-8;
    only encodings browsers know are used (never fails)."""
    candidates: list[str] = []
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        candidates.append(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for label in candidates:
        codec = _BROWSER_ENCODINGS.get(label.strip().lower())
        if codec is not None:
            return body.decode(codec, errors="replace")
        log.info("Ignored the charset %r (not an encoding browsers read pages in)", label[:40])
    return body.decode("utf-8", errors="replace")
