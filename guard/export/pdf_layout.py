"""A small text layout on top of reportlab's canvas: headings, wrapped paragraphs, tables, link
annotations and pages with a footer, written top to bottom, every piece tagged for the PDF's
structure tree (see :mod:`guard.export.pdf_tags`). Fast enough for 100,000 records: one text
object per page, lines emitted with the ``T*`` operator, and text widths measured by counting
characters per width class in C (``sum(map(widths.__getitem__, text))``).

Tagging: each block of text (a heading, a paragraph, a table cell, a timeline record) is one
marked-content sequence (``/P <</MCID n>> BDC ... EMC``) inside the page's text object, recorded
here as a :class:`Node` of the structure tree with its page and MCID; the footer is an
``/Artifact``. A block that runs onto the next page is closed and reopened there under the same
node. Links are annotations over the URL's place on the line (a URL cut over two lines gets one
per line), each recorded as a ``Link`` node; :mod:`guard.export.pdf_tags` writes the tree.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from guard.export.pdf_fonts import PdfFonts, has_rtl, pdf_fonts, visual

MARGIN = 48.0
URL_BREAKS = "/?&=#"  # a URL longer than a line is cut after one of these, never at a hyphen

rl_config.useA85 = 0  # binary (zlib) streams: ASCII85 encoding in pure Python costs seconds per export


@dataclass
class Node:
    """A structure element: its role, children, and where its content is (page, MCID) or, for a
    Link, which annotations it stands for (page, index among the page's links) and its URL."""

    role: str
    children: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)
    alt: str | None = None


class _Widths(dict[str, float]):
    """Character widths (1/1000 em) for one style (regular or bold), each in the font that
    draws it, looked up on first use; ``map(widths.__getitem__, text)`` then measures text
    without a Python loop."""

    def __init__(self, fonts: PdfFonts, bold: bool) -> None:
        super().__init__()
        self.fonts = fonts
        self.bold = bold

    def __missing__(self, ch: str) -> float:
        font = self.fonts.runs(ch, self.bold)[0][0]
        width: float = pdfmetrics.stringWidth(ch, font, 1000)
        self[ch] = width
        return width


def _pdf_text(text: str) -> str:
    """``text`` as a PDF text string (UTF-16BE hex) for /ActualText."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class PdfLayout:
    def __init__(self, out: BinaryIO | str, *, title: str, author: str | None = None, subject: str | None = None,
                 footer: str = "", fonts: PdfFonts | None = None, language: str = "en",
                 page_label: str = "page {page}") -> None:
        self.fonts = fonts or pdf_fonts()
        self.canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=0, initialFontName=self.fonts.regular,
                             initialFontSize=9)
        self.title = self.fonts.fit(title)
        self.language = language
        self.canvas.setTitle(self.title)
        self.canvas.setCreator(footer or title)
        if author:
            self.canvas.setAuthor(self.fonts.fit(author))
        if subject:
            self.canvas.setSubject(self.fonts.fit(subject))
        self.width, self.height = A4
        self.text_width = self.width - 2 * MARGIN
        self.footer = self.fonts.fit(footer)
        self.page_label = page_label  # the footer's page number, in the document's language
        self.page = 0
        self.missing_glyphs = False  # some character was written as [U+XXXX]
        self.root = Node("Document")
        self._stack: list[Node] = [self.root]
        self._open: Node | None = None  # the block whose marked content is open on this page
        self._mcid = 0
        self._links_on_page = 0
        self._widths = {False: _Widths(self.fonts, False), True: _Widths(self.fonts, True)}
        self._text: Any = None
        self._new_page()

    # --- pages ---------------------------------------------------------------------------

    def _new_page(self) -> None:
        reopen = self._open
        if self._text is not None:
            if reopen is not None:
                self._text._code.append("EMC")
            self.canvas.drawText(self._text)
            self._draw_footer()
            self.canvas.showPage()
        self.page += 1
        self._mcid = 0
        self._links_on_page = 0
        self._linked: set[str] = set()  # URLs already linked on this page
        self._y = self.height - MARGIN  # baseline of the last line written
        self._text = self.canvas.beginText(MARGIN, self._y)
        self._cursor: tuple[float, float] | None = None  # where the next T* line would go
        self._font: tuple[str, float] | None = None
        self._leading: float | None = None
        if reopen is not None:
            self._begin_content(reopen)

    def _draw_footer(self) -> None:
        code = self.canvas._code
        code.append("/Artifact <</Type /Pagination>> BDC")
        self.canvas.setFont(self.fonts.regular, 7.5)
        self.canvas.setFillGray(0.35)
        self.canvas.drawString(MARGIN, MARGIN / 2, self.footer)
        number = self.page_label.replace("{page}", str(self.page))
        self.canvas.drawRightString(self.width - MARGIN, MARGIN / 2, self.fonts.fit(number))
        self.canvas.setFillGray(0)
        code.append("EMC")

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit on this one."""
        if self._y - height < MARGIN:
            self._new_page()

    def space(self, points: float) -> None:
        self._y -= points
        if self._y < MARGIN:
            self._new_page()

    # --- structure -----------------------------------------------------------------------

    def _begin_content(self, node: Node) -> None:
        node.content.append((self.page - 1, self._mcid))
        self._text._code.append(f"/{node.role} <</MCID {self._mcid}>> BDC")
        self._mcid += 1
        self._open = node

    @contextlib.contextmanager
    def group(self, role: str) -> Iterator[Node]:
        """A structure element that holds others (Table, TR, L, LI)."""
        node = Node(role)
        self._stack[-1].children.append(node)
        self._stack.append(node)
        try:
            yield node
        finally:
            self._stack.pop()

    @contextlib.contextmanager
    def block(self, role: str = "P") -> Iterator[Node]:
        """A structure element whose text is written inside the block (P, H1, H2, TD, LBody)."""
        node = Node(role)
        self._stack[-1].children.append(node)
        self._stack.append(node)
        self._begin_content(node)
        try:
            yield node
        finally:
            self._text._code.append("EMC")
            self._open = None
            self._stack.pop()

    # --- text ----------------------------------------------------------------------------

    def _spans(self, text: str, size: float, bold: bool, indent: float) -> list[tuple[int, int]]:
        """``(start, end)`` of each line ``text`` is broken into to fit the text width: at spaces
        where possible; a word longer than a line is cut, a URL after '/', '?', '&', '=' or '#'
        and never right after a hyphen (a reader would take it for a hyphenated word). Widths
        are summed in C: cumulative character widths and a binary search per line."""
        avail = (self.text_width - indent) * 1000 / size  # in 1/1000 em
        widths = self._widths[bold]
        spans: list[tuple[int, int]] = []
        cumulative = list(accumulate(map(widths.__getitem__, text)))
        if not cumulative or cumulative[-1] <= avail:
            return [(0, len(text))]
        start, offset, end = 0, 0.0, len(text)
        while start < end:
            stop = bisect_right(cumulative, offset + avail, start)  # text[start:stop] fits
            if stop >= end:
                spans.append((start, end))
                break
            space = text.rfind(" ", start, stop + 1)
            if space > start:
                spans.append((start, space))
                start = space + 1
            else:  # no space to break at: cut the word
                stop = max(stop, start + 1)
                for cut in range(stop, max(start + 1, stop - 40), -1):
                    if text[cut - 1] in URL_BREAKS:
                        stop = cut
                        break
                while stop > start + 1 and text[stop - 1] == "-":
                    stop -= 1
                spans.append((start, stop))
                start = stop
            offset = cumulative[start - 1]
        return spans

    def _fitted(self, text: str) -> str:
        fitted = self.fonts.fit(text)
        if fitted is not text and "[U+" in fitted:
            self.missing_glyphs = True
        return fitted

    def wrap(self, text: str, size: float, *, bold: bool = False, indent: float = 0.0) -> list[str]:
        """``text`` broken into lines that fit the text width (see :meth:`_spans`)."""
        lines: list[str] = []
        for paragraph in self._fitted(text).split("\n"):
            lines += [paragraph[a:b] for a, b in self._spans(paragraph, size, bold, indent)]
        return lines

    def lines(self, lines: list[str], size: float = 9.0, *, bold: bool = False, indent: float = 0.0,
              leading: float | None = None, keep_together: bool = False,
              links: Iterable[tuple[int, int, int, str]] = ()) -> None:
        """Write already wrapped lines (see :meth:`wrap`); ``links`` are ``(line, start, end,
        url)``: a link annotation over ``lines[line][start:end]``."""
        leading = leading or size * 1.3
        if keep_together:
            self.ensure(leading * len(lines))
        by_line: dict[int, list[tuple[int, int, str]]] = {}
        for index, start, end, url in links:
            by_line.setdefault(index, []).append((start, end, url))
        x = MARGIN + indent
        for number, line in enumerate(lines):
            if self._y - leading < MARGIN:
                self._new_page()
            text = self._text
            y = self._y - leading
            if self._cursor != (x, y):
                text.setTextOrigin(x, y)
            if self._leading != leading:
                text.setLeading(leading)
                self._leading = leading
            rtl = has_rtl(line)
            if rtl:
                text._code.append(f"/Span <</ActualText {_pdf_text(line)}>> BDC")
            drawn = visual(line) if rtl else line
            runs = self.fonts.runs(drawn, bold)
            for index, (name, part) in enumerate(runs):
                if self._font != (name, size):
                    self._font = (name, size)
                    text.setFont(name, size, leading)
                if index == len(runs) - 1:
                    text.textLine(part)  # T*: the next line starts one leading lower
                else:
                    text.textOut(part)
            if rtl:
                text._code.append("EMC")
            for start, end, url in by_line.get(number, ()):
                if not rtl:
                    self._link(url, x, y, line, start, end, size, bold)
            self._y = y
            self._cursor = (x, y - leading)

    def _link(self, url: str, x: float, y: float, line: str, start: int, end: int, size: float, bold: bool) -> None:
        """A link annotation over ``line[start:end]``: the first time ``url`` shows on this page,
        and each piece of it when it wraps (a timeline repeats the same terms address record
        after record; one link per page keeps a 100,000-record export fast)."""
        more = url.endswith("\0")  # not the URL's last piece: it goes on on the next line
        url = url.rstrip("\0")
        if url in self._linked:
            return
        if not more:
            self._linked.add(url)
        widths = self._widths[bold]
        x0 = x + sum(map(widths.__getitem__, line[:start])) * size / 1000
        x1 = x0 + sum(map(widths.__getitem__, line[start:end])) * size / 1000
        self.canvas.linkURL(url, (x0, y - 0.25 * size, x1, y + 0.85 * size), relative=0, thickness=0)
        link = Node("Link", alt=url)
        link.links.append((self.page - 1, self._links_on_page))
        self._links_on_page += 1
        (self._open or self._stack[-1]).children.append(link)

    def record(self, head: list[str], body: list[str], links: list[tuple[int, int, int, str]], head_size: float,
               body_size: float, leading: float) -> None:
        """One timeline record: a paragraph of its heading and body lines (the hot path of a
        100,000-record export: no context managers)."""
        node = Node("P")
        self._stack[-1].children.append(node)
        self._stack.append(node)
        self._begin_content(node)
        self.lines(head, head_size, bold=True, leading=leading)
        self.lines(body, body_size, leading=leading, links=links)
        self._text._code.append("EMC")
        self._open = None
        self._stack.pop()

    def paragraph(self, text: str, size: float = 9.0, *, bold: bool = False, indent: float = 0.0,
                  after: float = 0.0, keep_together: bool = False, role: str = "P",
                  urls: Iterable[str] = ()) -> None:
        """A wrapped paragraph in its own block; each of ``urls`` found in it becomes a link."""
        lines, links = self.wrap_links(text, size, bold=bold, indent=indent, urls=urls)
        if keep_together:
            self.ensure(size * 1.3 * len(lines))
        with self.block(role):
            self.lines(lines, size, bold=bold, indent=indent, links=links)
        if after:
            self.space(after)

    def wrap_links(self, text: str, size: float, *, bold: bool = False, indent: float = 0.0,
                   urls: Iterable[str] = ()) -> tuple[list[str], list[tuple[int, int, int, str]]]:
        """:meth:`wrap`, and where each of ``urls`` lands: ``(line, start, end, url)`` pieces."""
        wanted = [url for url in dict.fromkeys(urls) if url.startswith(("https://", "http://", "mailto:"))]
        lines: list[str] = []
        links: list[tuple[int, int, int, str]] = []
        for paragraph in self._fitted(text).split("\n"):
            spans = self._spans(paragraph, size, bold, indent)
            found = [(at, at + len(url), url) for url in wanted for at in _find_all(paragraph, url)]
            for start, end in spans:
                for url_start, url_end, url in found:
                    a, b = max(start, url_start), min(end, url_end)
                    if a < b:  # a piece of the URL; its last piece marks it linked on this page
                        links.append((len(lines), a - start, b - start, url if url_end <= end else url + "\0"))
                lines.append(paragraph[start:end])
        return lines, links

    def heading(self, text: str, size: float = 14.0, role: str = "H2") -> None:
        self.ensure(size * 4)
        self.space(size * 0.6)
        self.paragraph(text, size, bold=True, after=size * 0.3, role=role)

    def table(self, header: list[str], rows: list[list[str]], columns: list[float], size: float = 9.0) -> None:
        """A simple table: one line per row, cells at the ``columns`` offsets (points from the
        margin), each cell its own TH or TD; cells are cut to their column, never wrapped."""
        leading = size * 1.35
        with self.group("Table"):
            for number, cells in enumerate([header, *rows]):
                if self._y - leading < MARGIN:
                    self._new_page()
                y = self._y - leading
                with self.group("TR"):
                    for column, cell in enumerate(cells):
                        width = (columns[column + 1] if column + 1 < len(columns) else self.text_width) - \
                            columns[column] - 4
                        text = self.wrap(cell, size, bold=number == 0)[0] if cell else ""
                        while text and sum(map(self._widths[number == 0].__getitem__, text)) * size / 1000 > width:
                            text = text[:-1]
                        with self.block("TH" if number == 0 else "TD"):
                            self._text.setTextOrigin(MARGIN + columns[column], y)
                            self._cursor = None
                            for name, part in self.fonts.runs(visual(text), number == 0):
                                if self._font != (name, size):
                                    self._font = (name, size)
                                    self._text.setFont(name, size, leading)
                                self._text.textOut(part)
                self._y = y
        self.space(size * 0.5)

    def save(self) -> None:
        self.canvas.drawText(self._text)
        self._draw_footer()
        self.canvas.showPage()
        self.canvas.save()


def _find_all(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))
