"""Fonts for PDFs: TrueType fonts with broad Unicode coverage, so names and titles in any
script print and stay extractable (the PDF gets a ToUnicode map).

The main font is the first pair found among well-known system fonts (DejaVu Sans,
Liberation Sans, Noto Sans, Arial); a fallback font with CJK coverage (Droid Sans
Fallback, Arial Unicode) draws the characters the main font lacks. A character neither
font has is written as ``[U+XXXX]``, so nothing is silently lost; with no TrueType font at
all, the built-in Helvetica is used (Western European characters only) and the export
says so in its warnings.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

FONT_ENV = "MEETING_GUARD_PDF_FONT"  # a .ttf to use as the main font instead

# (regular, bold) file names, looked for in the folders fonts commonly live in on each OS.
CANDIDATES: tuple[tuple[str, str], ...] = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)
FALLBACKS: tuple[str, ...] = ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "Arial Unicode.ttf",
                              "ARIALUNI.TTF")
FOLDERS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-sans", "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto", "/usr/share/fonts/truetype/droid", "/usr/share/fonts/google-droid-sans-fonts",
    "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
    "C:/Windows/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts", "~/Library/Fonts",
)


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str
    unicode: bool  # False: the built-in Helvetica (Latin-1 only)
    fallback: str | None = None  # draws what the main font lacks
    covered: frozenset[int] = field(default=frozenset(), repr=False)
    fallback_covered: frozenset[int] = field(default=frozenset(), repr=False)

    def _has(self, ch: str) -> bool:
        if not self.unicode:
            try:
                ch.encode("cp1252")
            except UnicodeEncodeError:
                return False
            return True
        return ord(ch) in self.covered or ord(ch) in self.fallback_covered or ch in "\n\t"

    def fit(self, text: str) -> str:
        """``text`` with every character no font here can draw written as ``[U+XXXX]``."""
        if text.isascii() or all(self._has(ch) for ch in text):
            return text
        return "".join(ch if self._has(ch) else f"[U+{ord(ch):04X}]" for ch in text)

    def runs(self, text: str, font: str) -> list[tuple[str, str]]:
        """``(font, part)`` pieces of a fitted line: the fallback font where the main one lacks a glyph."""
        if self.fallback is None or text.isascii():
            return [(font, text)]
        pieces: list[tuple[str, str]] = []
        for ch in text:
            use = font if ord(ch) in self.covered or ord(ch) not in self.fallback_covered else self.fallback
            if pieces and pieces[-1][0] == use:
                pieces[-1] = (use, pieces[-1][1] + ch)
            else:
                pieces.append((use, ch))
        return pieces


def _find(name: str) -> Path | None:
    for folder in FOLDERS:
        path = Path(os.path.expanduser(folder)) / name
        if path.is_file():
            return path
    return None


def _register(alias: str, path: Path) -> frozenset[int] | None:
    """Register the font under ``alias``; the code points it has glyphs for (None: unusable)."""
    try:
        if alias not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(alias, str(path)))
        face = pdfmetrics.getFont(alias).face
    except (TTFError, OSError, ValueError, KeyError) as error:
        log.warning("Font %s cannot be used for PDFs: %s", path, error)
        return None
    return frozenset(code for code, glyph in face.charToGlyph.items() if glyph)


_chosen: PdfFonts | None = None


def pdf_fonts() -> PdfFonts:
    """The fonts for this process's PDFs (found once)."""
    global _chosen
    if _chosen is None:
        _chosen = _choose()
    return _chosen


def _choose() -> PdfFonts:
    pairs: list[tuple[Path | None, Path | None]] = []
    override = os.environ.get(FONT_ENV)
    if override:
        pairs.append((Path(override).expanduser(), None))
    pairs += [(_find(regular), _find(bold)) for regular, bold in CANDIDATES]
    for index, (regular, bold) in enumerate(pairs):
        if regular is None:
            continue
        names = (f"MPG-Sans-{index}", f"MPG-Sans-Bold-{index}")
        covered = _register(names[0], regular)
        if covered is None or _register(names[1], bold or regular) is None:
            continue
        fallback, fallback_covered = None, frozenset()
        for name in FALLBACKS:
            path = _find(name)
            found = _register("MPG-Fallback", path) if path else None
            if found:
                fallback, fallback_covered = "MPG-Fallback", found
                break
        log.debug("PDF fonts: %s, bold %s, fallback %s", regular, bold, fallback)
        return PdfFonts(names[0], names[1], True, fallback, covered, fallback_covered)
    log.warning("No Unicode TrueType font found for PDFs; using Helvetica (Western European characters only)")
    return PdfFonts("Helvetica", "Helvetica-Bold", unicode=False)


NO_UNICODE_FONT = ("No Unicode font (DejaVu Sans, Liberation Sans, Noto Sans or Arial) was found, so the PDF uses "
                   "Helvetica and writes characters outside Western European scripts as [U+XXXX]. The JSON, CSV and "
                   f"HTML exports keep every character; or install DejaVu Sans or set {FONT_ENV} to a .ttf file.")
MISSING_GLYPHS = ("Some characters have no glyph in the PDF's fonts and are written as [U+XXXX] (their Unicode code "
                  "point); the JSON, CSV and HTML exports show them as they are.")
