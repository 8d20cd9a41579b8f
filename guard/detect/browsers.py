"""Web browsers (resources/detect/browsers.toml): process names per OS and their window-title suffixes.

A browser window's title is the active tab's title plus what the browser adds (" - Google
Chrome", " — Mozilla Firefox"). :func:`page_titles` gives the titles a provider's tab-title
patterns are matched against: the normalised title itself, and the title with each of the
owning browser's suffixes cut off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache

from pydantic import BaseModel, ConfigDict, HttpUrl, ValidationError, field_validator

from guard.catalog.models import OsName
from guard.detect.observation import DetectError
from guard.paths import resources_dir
from guard.patterns import Pattern, check_patterns, compile_pattern, normalize_text

_MODEL = ConfigDict(extra="forbid", frozen=True)


class BrowserSource(BaseModel):
    model_config = _MODEL
    url: HttpUrl
    checked: date
    title: str | None = None


class Browser(BaseModel):
    """One browser family: how the OS names its processes and what it adds to window titles."""

    model_config = _MODEL
    id: str
    name: str
    linux: tuple[str, ...] = ()
    windows: tuple[str, ...] = ()
    macos: tuple[str, ...] = ()
    title_suffixes: tuple[str, ...] = ()
    sources: tuple[BrowserSource, ...] = ()
    verified: bool = False
    note: str | None = None

    _suffixes = field_validator("title_suffixes")(check_patterns)

    def processes(self, os_name: OsName) -> tuple[str, ...]:
        names: tuple[str, ...] = getattr(self, os_name)
        return names

    @property
    def suffix_patterns(self) -> tuple[Pattern, ...]:
        return tuple(compile_pattern(source) for source in self.title_suffixes)


@dataclass(frozen=True)
class BrowserTable:
    browsers: tuple[Browser, ...]

    def by_process(self, os_name: OsName) -> dict[str, tuple[Browser, ...]]:
        """Normalised process name (see :func:`guard.detect.matching.normalize_name`) → browsers."""
        table: dict[str, list[Browser]] = {}
        for browser in self.browsers:
            for name in browser.processes(os_name):
                key = name.strip().casefold().removesuffix(".exe")
                table.setdefault(key, []).append(browser)
        return {key: tuple(found) for key, found in table.items()}


@cache
def load_browsers() -> BrowserTable:
    """The shipped browser table; a broken file is an error (it ships with the app)."""
    path = resources_dir() / "detect" / "browsers.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        browsers = tuple(Browser.model_validate(item) for item in raw.get("browser", ()))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise DetectError(f"The browser table {path} cannot be used ({error}); reinstall the app.") from None
    return BrowserTable(browsers)


def page_titles(title: str, browsers: tuple[Browser, ...]) -> list[str]:
    """The normalised ``title``, then the title with each matching suffix of ``browsers`` cut off."""
    title = normalize_text(title)
    found = [title]
    for browser in browsers:
        for pattern in browser.suffix_patterns:
            suffix = pattern.find(title)
            if suffix and title.endswith(suffix) and len(suffix) < len(title):
                page = title[: len(title) - len(suffix)].strip()
                if page and page not in found:
                    found.append(page)
    return found
