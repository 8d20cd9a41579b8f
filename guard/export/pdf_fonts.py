"""Fonts for PDFs: every character in an embedded, subset TrueType font, so any script prints,
the text stays extractable (ToUnicode maps) and the file can be PDF/A.

Text is set in DejaVu Sans (regular and bold; Latin, Greek, Cyrillic, Hebrew, Arabic, and
more; Debian ``fonts-dejavu-core``), with fallbacks for what it lacks: Droid Sans Fallback for
Chinese and Japanese (``fonts-droid-fallback``) and NanumGothic for Korean (``fonts-nanum``).
They are found on the system (the folders fonts live in on Linux, Windows and macOS; Arial
Unicode on Windows and macOS) or named by :data:`FONT_ENV`; nothing is shipped. reportlab embeds
the subset of glyphs used. Without any of them the PDF falls back to Helvetica, which is
not embedded (so not PDF/A) and draws Western European characters only; the export says so.

Right-to-left text (Hebrew, Arabic) is laid out with python-bidi (the Unicode Bidirectional
Algorithm, for visual order) and arabic-reshaper (Arabic letters joined into their
presentation forms, lam-alef ligatures included); a ``/ActualText`` span keeps the logical text
for copying and search. Marks (harakat) are not positioned and no other ligatures are formed.
A character no font has is written as ``[U+XXXX]``, so nothing is silently lost.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from guard.text_controls import shown_text

log = logging.getLogger(__name__)

FONT_ENV = "MEETING_GUARD_PDF_FONT"  # a .ttf to use as the main font instead of DejaVu Sans

# (regular, bold) file names, looked for in the folders fonts commonly live in on each OS.
CANDIDATES: tuple[tuple[str, str], ...] = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)
# Fallbacks, each for what the ones before lack: Chinese and Japanese (Droid Sans Fallback),
# Korean Hangul (NanumGothic, Debian fonts-nanum; Droid has none), or one font for all.
# TrueType outlines only: reportlab cannot embed CFF fonts such as Noto Sans CJK.
FALLBACKS: tuple[tuple[str, ...], ...] = (
    ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf"),
    ("NanumGothic.ttf",),
    ("Arial Unicode.ttf", "ARIALUNI.TTF"),
)
FOLDERS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto", "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-sans", "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/google-droid-sans-fonts", "/usr/share/fonts/truetype/nanum", "/usr/share/fonts/nanum",
    "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
    "C:/Windows/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts", "~/Library/Fonts",
)
HELVETICA, HELVETICA_BOLD = "Helvetica", "Helvetica-Bold"

# Scripts written right to left: Hebrew, Arabic (and its supplements and presentation forms).
_RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))
RTL_CHARS = frozenset(chr(code) for low, high in _RTL_RANGES for code in range(low, high + 1))


def _cp1252() -> frozenset[str]:
    chars = set()
    for code in range(32, 0x2200):
        try:
            chr(code).encode("cp1252")
        except UnicodeEncodeError:
            continue
        chars.add(chr(code))
    return frozenset(chars - {chr(127)})


HELVETICA_CHARS = _cp1252()


@dataclass(frozen=True)
class FontFace:
    """A font (``bold`` may be the regular one) and the characters it has glyphs for."""

    regular: str
    bold: str
    chars: frozenset[str]
    embedded: bool = True


@dataclass(frozen=True)
class PdfFonts:
    """The main face and the fallbacks, tried in order for each character."""

    base: FontFace = FontFace(HELVETICA, HELVETICA_BOLD, HELVETICA_CHARS, embedded=False)
    extras: tuple[FontFace, ...] = ()

    @property
    def regular(self) -> str:
        return self.base.regular

    @property
    def bold(self) -> str:
        return self.base.bold

    @property
    def unicode(self) -> bool:
        """Whether characters beyond Western European ones can be drawn."""
        return self.base.embedded or bool(self.extras)

    @property
    def embedded(self) -> bool:
        """Whether every font is embedded (what PDF/A needs)."""
        return self.base.embedded and all(extra.embedded for extra in self.extras)

    def _font_for(self, ch: str, bold: bool) -> str | None:
        if ch in self.base.chars:
            return self.base.bold if bold else self.base.regular
        for extra in self.extras:
            if ch in extra.chars:
                return extra.bold if bold else extra.regular
        return None

    def fit(self, text: str) -> str:
        """``text`` with every character no font here can draw written as ``[U+XXXX]``, control
        characters and bidi overrides as spaces (``guard.text_controls``; line feeds kept)."""
        text = shown_text(text)
        if text.isascii():
            return text
        chars = set(text) - {"\n"}
        if chars <= self.base.chars or all(self._font_for(ch, False) for ch in chars):
            return text
        return "".join(ch if ch == "\n" or self._font_for(ch, False) else f"[U+{ord(ch):04X}]" for ch in text)

    def runs(self, text: str, bold: bool = False) -> list[tuple[str, str]]:
        """``(font, part)`` pieces of a fitted line, each in the first font that has its characters."""
        base = self.base.bold if bold else self.base.regular
        if text.isascii() or set(text) <= self.base.chars:
            return [(base, text)]
        pieces: list[tuple[str, str]] = []
        for ch in text:
            font = self._font_for(ch, bold) or base
            if pieces and pieces[-1][0] == font:
                pieces[-1] = (font, pieces[-1][1] + ch)
            else:
                pieces.append((font, ch))
        return pieces


def has_rtl(text: str) -> bool:
    return not text.isascii() and not RTL_CHARS.isdisjoint(text)


def visual(line: str) -> str:
    """A line in the order it is drawn: Arabic joined (presentation forms), right-to-left runs
    reversed by the Unicode Bidirectional Algorithm. Lines without RTL text are unchanged."""
    if not has_rtl(line):
        return line
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(line)))


class _TTFont(TTFont):  # type: ignore[misc]
    """reportlab's TrueType font with a fast path for the commonest line: printable ASCII, which
    reportlab keeps at its own codes in the first subset (``asciiReadable``), so splitting it
    needs no loop per character. 100,000 records write in a fraction of the time."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        glyphs = self.face.charToGlyph
        self._ascii_codes = bool(self._asciiReadable) and all(code in glyphs for code in range(32, 127))

    def splitString(self, text: str, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:  # noqa: N802
        if self._ascii_codes and text.isascii() and text.isprintable() and doc in self.state:
            return [(0, text.encode("ascii"))] if text else []
        parts: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)  # sets up the document's subsets
        return parts


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
            pdfmetrics.registerFont(_TTFont(alias, str(path)))
        face = pdfmetrics.getFont(alias).face
    except (TTFError, OSError, ValueError, KeyError) as error:
        log.warning("Font %s cannot be used for PDFs: %s", path, error)
        return None
    return frozenset(chr(code) for code, glyph in face.charToGlyph.items() if glyph and code >= 32)


@lru_cache(maxsize=1)
def pdf_fonts() -> PdfFonts:
    """The fonts for this process's PDFs (found once)."""
    pairs: list[tuple[Path | None, Path | None]] = []
    override = os.environ.get(FONT_ENV)
    if override:
        pairs.append((Path(override).expanduser(), None))
    pairs += [(_find(regular), _find(bold)) for regular, bold in CANDIDATES]
    base: FontFace | None = None
    for index, (regular, bold) in enumerate(pairs):
        if regular is None:
            continue
        chars = _register(f"MPG-Sans-{index}", regular)
        if chars is not None and _register(f"MPG-Sans-Bold-{index}", bold or regular) is not None:
            base = FontFace(f"MPG-Sans-{index}", f"MPG-Sans-Bold-{index}", chars)
            break
    extras: list[FontFace] = []
    for index, names in enumerate(FALLBACKS):
        for name in names:
            path = _find(name)
            chars = _register(f"MPG-Fallback-{index}", path) if path else None
            if chars:
                extras.append(FontFace(f"MPG-Fallback-{index}", f"MPG-Fallback-{index}", chars))
                break
    if base is None:
        log.warning("No Unicode TrueType font found for PDFs; Helvetica only (Western European characters, "
                    "not embedded)")
        return PdfFonts(extras=tuple(extras))
    return PdfFonts(base, tuple(extras))


NO_UNICODE_FONT = ("No Unicode font (DejaVu Sans, Noto Sans, Liberation Sans or Arial) was found, so the PDF uses "
                   "Helvetica, which it does not embed, and writes characters outside Western European scripts as "
                   "[U+XXXX]. The JSON, CSV and HTML exports keep every character; or install DejaVu Sans "
                   f"(fonts-dejavu-core) or set {FONT_ENV} to a .ttf file.")
MISSING_GLYPHS = ("Some characters have no glyph in the PDF's fonts and are written as [U+XXXX] (their Unicode code "
                  "point); the JSON, CSV and HTML exports show them as they are.")
