"""Web browsers (resources/detect/browsers.toml): process names per OS and their window-title suffixes.

A browser window's title is the active tab's title plus what the browser adds (" - Google
Chrome", " — Mozilla Firefox"). :func:`page_titles` gives the titles a provider's tab-title
patterns are matched against: the normalised title itself, and the title with each of the
owning browser's suffixes cut off.

Read with plain ``tomllib`` and checked by hand (no pydantic): the command line's fast paths
load this file. ``scan`` reads it back from the catalog snapshot instead (see
:mod:`guard.catalog.snapshot`), where it is kept as data, so it starts without a TOML parser.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from guard.detect.observation import DetectError
from guard.paths import resources_dir
from guard.patterns import Pattern, PatternError, checked_pattern, compile_pattern, normalize_text

if TYPE_CHECKING:
    from guard.catalog.models import OsName

_OS_NAMES = ("linux", "windows", "macos")
_FIELDS = frozenset({"id", "name", *_OS_NAMES, "title_suffixes", "private_title_suffixes", "sources", "verified",
                     "note"})


# A NamedTuple, not a frozen dataclass: defined on every scan's start-up, where a frozen dataclass
# costs several times as much (issue 18); never replaced or serialised.
class Browser(NamedTuple):
    """One browser family: how the OS names its processes and what it adds to window titles."""

    id: str
    name: str
    processes_by_os: dict[str, tuple[str, ...]]
    suffix_patterns: tuple[Pattern, ...]
    sources: tuple[dict[str, Any], ...]
    verified: bool
    note: str | None
    # What the browser writes after a page's title in a private window, which the browser extension never
    # sees (it does not run there): a meeting title there stays unconfirmed, never refuted by it.
    private_patterns: tuple[Pattern, ...] = ()

    @property
    def title_suffixes(self) -> tuple[str, ...]:
        return tuple(pattern.source for pattern in self.suffix_patterns)

    def processes(self, os_name: OsName) -> tuple[str, ...]:
        return self.processes_by_os.get(os_name, ())


class BrowserTable(NamedTuple):
    browsers: tuple[Browser, ...]

    def by_process(self, os_name: OsName) -> dict[str, tuple[Browser, ...]]:
        """Normalised process name (see :func:`guard.detect.matching.normalize_name`) → browsers."""
        table: dict[str, list[Browser]] = {}
        for browser in self.browsers:
            for name in browser.processes(os_name):
                key = name.strip().casefold().removesuffix(".exe")
                table.setdefault(key, []).append(browser)
        return {key: tuple(found) for key, found in table.items()}


def _strings(item: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key, ())
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise DetectError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def parse_browser(item: Any, where: str, *, checked: bool = False) -> Browser:
    """One ``[[browser]]`` table, checked: known fields, string lists, RE2 suffixes, sources.

    ``checked``: the table was read back from a cache made after these checks passed, so its
    suffixes are compiled on their first match (see :func:`guard.patterns.checked_pattern`)."""
    if not isinstance(item, dict):
        raise DetectError(f"{where}: each [[browser]] must be a table")
    unknown = set(item) - _FIELDS
    if unknown:
        raise DetectError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if not isinstance(item.get("id"), str) or not isinstance(item.get("name"), str):
        raise DetectError(f"{where}: 'id' and 'name' are required strings")
    where = f"{where} ({item['id']})"
    make = checked_pattern if checked else compile_pattern
    try:
        suffixes = tuple(make(source) for source in _strings(item, "title_suffixes", where))
        private = tuple(make(source) for source in _strings(item, "private_title_suffixes", where))
    except PatternError as error:
        raise DetectError(f"{where}: title_suffixes: {error}") from None
    sources = item.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, dict) and "url" in s and "checked" in s
                                                for s in sources):
        raise DetectError(f"{where}: each source needs 'url' and 'checked'")
    verified = item.get("verified", False)
    if not isinstance(verified, bool) or (verified and not sources):
        raise DetectError(f"{where}: 'verified' must be true or false, and true only with a source")
    return Browser(id=item["id"], name=item["name"],
                   processes_by_os={os_name: _strings(item, os_name, where) for os_name in _OS_NAMES},
                   suffix_patterns=suffixes, sources=tuple(sources), verified=verified, note=item.get("note"),
                   private_patterns=private)


def browsers_path() -> Path:
    return resources_dir() / "detect" / "browsers.toml"


def read_browser_data() -> dict[str, Any]:
    """browsers.toml as TOML data; a file that cannot be read is an error (it ships with the app)."""
    import tomllib

    path = browsers_path()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DetectError(f"The browser table {path} cannot be read ({error}); reinstall the app.") from None


def browser_table(raw: dict[str, Any], *, checked: bool = False) -> BrowserTable:
    """The table from browsers.toml's data (``checked``: see :func:`parse_browser`)."""
    path = browsers_path()
    items = raw.get("browser", []) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise DetectError(f"{path}: [[browser]] tables expected")
    return BrowserTable(tuple(parse_browser(item, f"{path} [[browser]] #{index + 1}", checked=checked)
                              for index, item in enumerate(items)))


@cache
def load_browsers() -> BrowserTable:
    """The shipped browser table; a broken file is an error (it ships with the app)."""
    return browser_table(read_browser_data())


def page_titles(title: str, browsers: tuple[Browser, ...]) -> list[str]:
    """The normalised ``title`` with each matching suffix of ``browsers`` cut off or, when none
    matches (an app window, a macOS window), the title as it stands. A title that carries a browser's
    suffix is never matched whole: Chrome's "Meet - Google Chrome" is Meet's page after a call, whose
    page title "Meet" is no meeting, not a page titled "Meet - <meeting>"."""
    title = normalize_text(title)
    found = [title]
    for browser in browsers:
        for pattern in browser.suffix_patterns:
            suffix = pattern.find(title)
            if suffix and title.endswith(suffix) and len(suffix) < len(title):
                page = title[: len(title) - len(suffix)].strip()
                if page and page not in found:
                    found.append(page)
    return found[1:] or found


def private_window(title: str, browsers: tuple[Browser, ...]) -> bool:
    """Whether the normalised ``title`` ends with one of ``browsers``' private-window suffixes."""
    title = normalize_text(title)
    for browser in browsers:
        for pattern in browser.private_patterns:
            suffix = pattern.find(title)
            if suffix and title.endswith(suffix):
                return True
    return False


def tab_window(title: str, browsers: tuple[Browser, ...]) -> bool:
    """Whether the normalised ``title`` ends with one of ``browsers``' title suffixes: a window showing a tab
    (a picture-in-picture or other window of the browser without the suffix is not one)."""
    title = normalize_text(title)
    for browser in browsers:
        for pattern in browser.suffix_patterns:
            suffix = pattern.find(title)
            if suffix and title.endswith(suffix) and len(suffix) < len(title):
                return True
    return False
