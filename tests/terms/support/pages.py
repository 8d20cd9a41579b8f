"""Turn the archive's Markdown fixtures into HTML pages, in two deliberately different markups.

``plain_page`` is simple semantic HTML; ``restyled_page`` wraps the same words in a different
structure (nested divs, classes, ids, spans, tracking links, extra whitespace and a cookie
banner), the kind of change a redesign makes without touching the terms.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def render(md: str) -> str:
    return markdown.markdown(md, output_format="html")


def plain_page(md: str, title: str = "Terms") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/pricing'>Pricing</a></nav>"
            f"<main>{render(md)}</main><footer>© Example footer</footer></body></html>")


def restyled_page(md: str, title: str = "Terms") -> str:
    body = render(md)
    body = re.sub(r"<p>", '<div class="para text-body  mb-4"><span class="t">\n  ', body)
    body = body.replace("</p>", "</span>\n</div>")
    body = re.sub(r"<(h[1-6])>", r'<\1 class="heading" id="h-x">  ', body)
    body = re.sub(r'href="([^"]*)"', r'href="\1?utm_source=redesign&amp;session=42" class="lnk"', body)
    body = body.replace("<li>", '<li class="item">\n').replace("<ul>", '<ul class="list list--terms">')
    return ("<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<title>{title} | New look</title>\n<style>.para{{margin:0}}</style>\n"
            "<script>window.dataLayer=[];</script>\n</head>\n<body class='theme-2024'>\n"
            "<header class='site-header'><nav><ul><li><a href='/'>Products</a></li><li>Solutions</li></ul></nav>"
            "</header>\n<div id='cookie-banner' hidden>We use cookies</div>\n"
            f"<div class='wrapper'><div class='container'><main id='main-content' class='legal'>\n{body}\n</main>"
            "</div></div>\n<footer><p>Copyright 2024</p></footer>\n<script>track()</script>\n</body>\n</html>\n")
