"""Fonts for PDFs, chosen so any script prints and stays extractable, and 100,000 records
still write fast.

Text is set in the built-in Helvetica (every PDF reader has it; Western European
characters, Windows-1252). Characters outside it are drawn, run by run, with TrueType fonts
found on the system and embedded as subsets with a ToUnicode map: a Unicode font (DejaVu
Sans, Liberation Sans, Noto Sans, Arial) and a CJK fallback (Droid Sans Fallback, Arial
Unicode). A character no font has is written as ``[U+XXXX]``, so nothing is silently
lost, and the export says so in its warnings.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

FONT_ENV = "MEETING_GUARD_PDF_FONT"  # a .ttf to try first for characters Helvetica lacks

# (regular, bold) file names, looked for in the folders fonts commonly live in on each OS.
CANDIDATES: tuple[tuple[str, str], ...] = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)
CJK_FALLBACKS: tuple[str, ...] = ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "Arial Unicode.ttf",
                                  "ARIALUNI.TTF")
FOLDERS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-sans", "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto", "/usr/share/fonts/truetype/droid", "/usr/share/fonts/google-droid-sans-fonts",
    "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
    "C:/Windows/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts", "~/Library/Fonts",
)
BASE_REGULAR, BASE_BOLD = "Helvetica", "Helvetica-Bold"


def _cp1252() -> frozenset[str]:
    chars = set()
    for code in range(32, 0x2200):
        try:
            chr(code).encode("cp1252")
        except UnicodeEncodeError:
            continue
        chars.add(chr(code))
    return frozenset(chars - {chr(127)})


BASE_CHARS = _cp1252()


@dataclass(frozen=True)
class ExtraFont:
    """A TrueType font for the characters Helvetica lacks (``bold`` may be the regular one)."""

    regular: str
    bold: str
    chars: frozenset[str]


@dataclass(frozen=True)
class PdfFonts:
    regular: str = BASE_REGULAR
    bold: str = BASE_BOLD
    extras: tuple[ExtraFont, ...] = ()

    @property
    def unicode(self) -> bool:
        """Whether characters beyond Western European ones can be drawn."""
        return bool(self.extras)

    def _font_for(self, ch: str, bold: bool) -> str | None:
        if ch in BASE_CHARS:
            return self.bold if bold else self.regular
        for extra in self.extras:
            if ch in extra.chars:
                return extra.bold if bold else extra.regular
        return None

    def fit(self, text: str) -> str:
        """``text`` with every character no font here can draw written as ``[U+XXXX]``."""
        if text.isascii():
            return text
        chars = set(text) - {"\n"}
        if chars <= BASE_CHARS or all(self._font_for(ch, False) for ch in chars):
            return text
        return "".join(ch if ch == "\n" or self._font_for(ch, False) else f"[U+{ord(ch):04X}]" for ch in text)

    def runs(self, text: str, bold: bool = False) -> list[tuple[str, str]]:
        """``(font, part)`` pieces of a fitted line, each in the first font that has its characters."""
        base = self.bold if bold else self.regular
        if text.isascii() or set(text) <= BASE_CHARS:
            return [(base, text)]
        pieces: list[tuple[str, str]] = []
        for ch in text:
            font = self._font_for(ch, bold) or base
            if pieces and pieces[-1][0] == font:
                pieces[-1] = (font, pieces[-1][1] + ch)
            else:
                pieces.append((font, ch))
        return pieces


def _find(name: str) -> Path | None:
    for folder in FOLDERS:
        path = Path(os.path.expanduser(folder)) / name
        if path.is_file():
            return path
    return None


def _register(alias: str, path: Path) -> frozenset[str] | None:
    """Register the font under ``alias``; the characters it has glyphs for (None: unusable)."""
    try:
        if alias not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(alias, str(path)))
        face = pdfmetrics.getFont(alias).face
    except (TTFError, OSError, ValueError, KeyError) as error:
        log.warning("Font %s cannot be used for PDFs: %s", path, error)
        return None
    return frozenset(chr(code) for code, glyph in face.charToGlyph.items() if glyph and code >= 32)


_chosen: PdfFonts | None = None


def pdf_fonts() -> PdfFonts:
    """The fonts for this process's PDFs (found once)."""
    global _chosen
    if _chosen is None:
        _chosen = _choose()
    return _chosen


def _choose() -> PdfFonts:
    extras: list[ExtraFont] = []
    pairs: list[tuple[Path | None, Path | None]] = []
    override = os.environ.get(FONT_ENV)
    if override:
        pairs.append((Path(override).expanduser(), None))
    pairs += [(_find(regular), _find(bold)) for regular, bold in CANDIDATES]
    for index, (regular, bold) in enumerate(pairs):
        if regular is None:
            continue
        chars = _register(f"MPG-Sans-{index}", regular)
        bold_name = f"MPG-Sans-Bold-{index}"
        if chars is not None and _register(bold_name, bold or regular) is not None:
            extras.append(ExtraFont(f"MPG-Sans-{index}", bold_name, chars))
            break
    for name in CJK_FALLBACKS:
        path = _find(name)
        chars = _register("MPG-CJK", path) if path else None
        if chars:
            extras.append(ExtraFont("MPG-CJK", "MPG-CJK", chars))
            break
    if not extras:
        log.warning("No Unicode TrueType font found for PDFs; Helvetica only (Western European characters)")
    return PdfFonts(extras=tuple(extras))


NO_UNICODE_FONT = ("No Unicode font (DejaVu Sans, Liberation Sans, Noto Sans or Arial) was found, so the PDF writes "
                   "characters outside Western European scripts as [U+XXXX]. The JSON, CSV and HTML exports keep "
                   f"every character; or install DejaVu Sans or set {FONT_ENV} to a .ttf file.")
MISSING_GLYPHS = ("Some characters have no glyph in the PDF's fonts and are written as [U+XXXX] (their Unicode code "
                  "point); the JSON, CSV and HTML exports show them as they are.")
