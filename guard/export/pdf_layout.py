"""A small text layout on top of reportlab's canvas: headings, wrapped paragraphs and pages
with a footer, written top to bottom. Fast enough for 100,000 records: one text object per
page, lines emitted with the ``T*`` operator (no per-line positioning or width work in
reportlab), and text widths measured by counting characters per width class in C
(``sum(map(widths.__getitem__, text))``) instead of a Python loop per character.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from guard.export.pdf_fonts import PdfFonts, pdf_fonts

MARGIN = 48.0

rl_config.useA85 = 0  # binary (zlib) streams: ASCII85 encoding in pure Python costs seconds per export


class _Widths(dict):
    """Character widths (1/1000 em) for one style (regular or bold), each in the font that
    draws it, looked up on first use; ``map(widths.__getitem__, text)`` then measures text
    without a Python loop."""

    def __init__(self, fonts: PdfFonts, bold: bool) -> None:
        super().__init__()
        self.fonts = fonts
        self.bold = bold

    def __missing__(self, ch: str) -> float:
        font = self.fonts.runs(ch, self.bold)[0][0]
        width = self[ch] = pdfmetrics.stringWidth(ch, font, 1000)
        return width


class PdfLayout:
    def __init__(self, out: BinaryIO | str, *, title: str, author: str | None = None, subject: str | None = None,
                 footer: str = "", fonts: PdfFonts | None = None) -> None:
        self.fonts = fonts or pdf_fonts()
        self.canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=0)
        self.canvas.setTitle(self.fonts.fit(title))
        self.canvas.setCreator(footer or title)
        if author:
            self.canvas.setAuthor(self.fonts.fit(author))
        if subject:
            self.canvas.setSubject(self.fonts.fit(subject))
        self.width, self.height = A4
        self.text_width = self.width - 2 * MARGIN
        self.footer = self.fonts.fit(footer)
        self.page = 0
        self.missing_glyphs = False  # some character was written as [U+XXXX]
        self._widths = {False: _Widths(self.fonts, False), True: _Widths(self.fonts, True)}
        self._text = None
        self._new_page()

    # --- pages ---------------------------------------------------------------------------

    def _new_page(self) -> None:
        if self._text is not None:
            self.canvas.drawText(self._text)
            self._draw_footer()
            self.canvas.showPage()
        self.page += 1
        self._y = self.height - MARGIN  # baseline of the last line written
        self._text = self.canvas.beginText(MARGIN, self._y)
        self._cursor: tuple[float, float] | None = None  # where the next T* line would go
        self._font: tuple[str, float] | None = None
        self._leading: float | None = None

    def _draw_footer(self) -> None:
        self.canvas.setFont(self.fonts.regular, 7.5)
        self.canvas.setFillGray(0.35)
        self.canvas.drawString(MARGIN, MARGIN / 2, self.footer)
        self.canvas.drawRightString(self.width - MARGIN, MARGIN / 2, f"page {self.page}")
        self.canvas.setFillGray(0)

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit on this one."""
        if self._y - height < MARGIN:
            self._new_page()

    def space(self, points: float) -> None:
        self._y -= points
        if self._y < MARGIN:
            self._new_page()

    # --- text ----------------------------------------------------------------------------

    def wrap(self, text: str, size: float, *, bold: bool = False, indent: float = 0.0) -> list[str]:
        """``text`` broken into lines that fit the text width, at spaces where possible (a
        word longer than a line is cut). Widths are summed in C: cumulative character widths
        and a binary search per line, not a loop per word."""
        avail = (self.text_width - indent) * 1000 / size  # in 1/1000 em
        fitted = self.fonts.fit(text)
        if fitted is not text and "[U+" in fitted:
            self.missing_glyphs = True
        widths = self._widths[bold]
        lines: list[str] = []
        for paragraph in fitted.split("\n"):
            cumulative = list(accumulate(map(widths.__getitem__, paragraph)))
            if not cumulative or cumulative[-1] <= avail:
                lines.append(paragraph)
                continue
            start, offset, end = 0, 0.0, len(paragraph)
            while start < end:
                stop = bisect_right(cumulative, offset + avail, start)  # paragraph[start:stop] fits
                if stop >= end:
                    lines.append(paragraph[start:])
                    break
                space = paragraph.rfind(" ", start, stop + 1)
                if space > start:
                    lines.append(paragraph[start:space])
                    start = space + 1
                else:  # no space to break at: cut the word
                    stop = max(stop, start + 1)
                    lines.append(paragraph[start:stop])
                    start = stop
                offset = cumulative[start - 1]
        return lines

    def lines(self, lines: list[str], size: float = 9.0, *, bold: bool = False, indent: float = 0.0,
              leading: float | None = None, keep_together: bool = False) -> None:
        """Write already wrapped lines (see :meth:`wrap`)."""
        leading = leading or size * 1.3
        if keep_together:
            self.ensure(leading * len(lines))
        x = MARGIN + indent
        for line in lines:
            if self._y - leading < MARGIN:
                self._new_page()
            text = self._text
            y = self._y - leading
            if self._cursor != (x, y):
                text.setTextOrigin(x, y)
            if self._leading != leading:
                text.setLeading(leading)
                self._leading = leading
            runs = self.fonts.runs(line, bold)
            for index, (name, part) in enumerate(runs):
                if self._font != (name, size):
                    self._font = (name, size)
                    text.setFont(name, size, leading)
                if index == len(runs) - 1:
                    text.textLine(part)  # T*: the next line starts one leading lower
                else:
                    text.textOut(part)
            self._y = y
            self._cursor = (x, y - leading)

    def paragraph(self, text: str, size: float = 9.0, *, bold: bool = False, indent: float = 0.0,
                  after: float = 0.0, keep_together: bool = False) -> None:
        self.lines(self.wrap(text, size, bold=bold, indent=indent), size, bold=bold, indent=indent,
                   keep_together=keep_together)
        if after:
            self.space(after)

    def heading(self, text: str, size: float = 14.0) -> None:
        self.ensure(size * 4)
        self.space(size * 0.6)
        self.paragraph(text, size, bold=True, after=size * 0.3)

    def save(self) -> None:
        self.canvas.drawText(self._text)
        self._draw_footer()
        self.canvas.showPage()
        self.canvas.save()
