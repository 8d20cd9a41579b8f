"""A small text layout on top of reportlab's canvas: headings, wrapped paragraphs and pages
with a footer, written top to bottom. Fast enough for 100,000 records (one text object per
page, word widths cached); used by the PDF export and the letters.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from guard.export.pdf_fonts import PdfFonts, pdf_fonts

MARGIN = 48.0
WIDEST_GLYPH_EM = 1.05  # no glyph in the fonts used is wider: text shorter than this never wraps


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
        self._text = None
        self._y = 0.0
        self._font: tuple[str, float] | None = None
        self._widths: dict[tuple[str, float, str], float] = {}
        self.missing_glyphs = False  # some character was written as [U+XXXX]
        self._new_page()

    # --- pages ---------------------------------------------------------------------------

    def _new_page(self) -> None:
        if self._text is not None:
            self.canvas.drawText(self._text)
            self._draw_footer()
            self.canvas.showPage()
        self.page += 1
        self._y = self.height - MARGIN
        self._text = self.canvas.beginText(MARGIN, self._y)
        self._font = None

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

    def _width(self, text: str, font: str, size: float) -> float:
        key = (font, size, text)
        width = self._widths.get(key)
        if width is None:
            width = stringWidth(text, font, size)
            if len(self._widths) < 200_000:
                self._widths[key] = width
        return width

    def wrap(self, text: str, size: float, *, bold: bool = False, indent: float = 0.0) -> list[str]:
        """``text`` broken into lines that fit the text width (words longer than a line are cut)."""
        font = self.fonts.bold if bold else self.fonts.regular
        avail = self.text_width - indent
        lines: list[str] = []
        fitted = self.fonts.fit(text)
        if fitted is not text and "[U+" in fitted and fitted != text:
            self.missing_glyphs = True
        for paragraph in fitted.split("\n"):
            if len(paragraph) * size * WIDEST_GLYPH_EM <= avail or stringWidth(paragraph, font, size) <= avail:
                lines.append(paragraph)
                continue
            space = self._width(" ", font, size)
            line, used = "", 0.0
            for word in paragraph.split(" "):
                width = self._width(word, font, size)
                while width > avail:  # a very long word (a URL, a hash): cut it
                    cut = max(1, int(len(word) * avail / width) - 1)
                    if line:
                        lines.append(line)
                        line, used = "", 0.0
                    lines.append(word[:cut])
                    word = word[cut:]
                    width = self._width(word, font, size)
                if line and used + space + width > avail:
                    lines.append(line)
                    line, used = word, width
                else:
                    line, used = (f"{line} {word}", used + space + width) if line else (word, width)
            lines.append(line)
        return lines

    def lines(self, lines: list[str], size: float = 9.0, *, bold: bool = False, indent: float = 0.0,
              leading: float | None = None, keep_together: bool = False) -> None:
        """Write already wrapped lines (see :meth:`wrap`)."""
        leading = leading or size * 1.3
        if keep_together:
            self.ensure(leading * len(lines))
        font = (self.fonts.bold if bold else self.fonts.regular, size)
        for line in lines:
            if self._y - leading < MARGIN:
                self._new_page()
            self._y -= leading
            self._text.setTextOrigin(MARGIN + indent, self._y)
            for name, part in self.fonts.runs(line, font[0]):
                if self._font != (name, size):
                    self._font = (name, size)
                    self._text.setFont(name, size)
                self._text.textOut(part)

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
