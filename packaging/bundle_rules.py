"""What the frozen app keeps from Qt, and what it leaves out (used by meeting-guard.spec).

PyInstaller's Qt hooks collect every plugin of every type that an imported Qt module can use
(all platforms, all image formats, TLS, SQL drivers, ...), and then every library those
plugins link to. This module decides, by plain rules on file names, which plugins the app
needs, and drops the rest together with the libraries that only the dropped plugins needed.
Pure functions over PyInstaller's (dest, src, typecode) entries; the spec does the I/O.

This folder has no ``__init__.py`` on purpose: ``packaging`` is also the name of a PyPI
library that PyInstaller itself imports, and a regular package here would shadow it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import PurePath

TocEntry = tuple[str, str, str]  # (dest name in the bundle, source path, PyInstaller typecode)

# Qt plugins the app needs, by plugin type (the folder under Qt's plugins/) and name (the file
# name without "lib" and extension). "*" keeps every plugin of that type. Names that do not
# exist on a platform simply match nothing there, so one table serves Linux, Windows and macOS.
KEEP_PLUGINS: dict[str, frozenset[str]] = {
    # Linux: X11 and Wayland; Windows; macOS; offscreen for headless runs and tests.
    "platforms": frozenset({"qxcb", "qwayland", "qwayland-generic", "qwayland-egl",
                            "qwindows", "qcocoa", "qoffscreen"}),
    "platforms/darwin": frozenset({"*"}),
    "xcbglintegrations": frozenset({"*"}),
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": frozenset({"*"}),
    "wayland-graphics-integration-client": frozenset({"qt-plugin-wayland-egl"}),
    # The app's icons are SVG; ICO for Windows tray and shortcut icons.
    "imageformats": frozenset({"qsvg", "qico"}),
    "iconengines": frozenset({"qsvgicon"}),
    # Native file dialogs through the XDG desktop portal (D-Bus only). The GTK 3 theme plugin is
    # left out: it would pull the whole GTK stack into the bundle.
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    # Dead keys / compose sequences and IBus input methods in text fields.
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}),
    # Native widget styles on Windows (modernwindows) and macOS (mac).
    "styles": frozenset({"*"}),
}

# Python modules the app never imports; listed so no hook or optional import drags them in.
EXCLUDED_MODULES: tuple[str, ...] = (
    "tkinter", "_tkinter", "turtle", "idlelib", "pydoc_data", "lib2to3",
    "pytest", "_pytest", "pytestqt",
    *(f"PySide6.{name}" for name in (
        "QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest", "QtQuick3D",
        "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
        "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets",
        "QtWebView", "QtMultimedia", "QtMultimediaWidgets", "QtSpatialAudio", "QtTextToSpeech",
        "QtCharts", "QtDataVisualization", "QtGraphs", "QtGraphsWidgets", "QtPdf", "QtPdfWidgets",
        "QtDesigner", "QtUiTools", "QtHelp", "QtSql", "QtTest", "QtBluetooth", "QtNfc",
        "QtPositioning", "QtLocation", "QtSensors", "QtSerialPort", "QtSerialBus",
        "QtRemoteObjects", "QtScxml", "QtStateMachine", "QtHttpServer", "QtAxContainer",
    )),
)

# Qt libraries that must never end up in the bundle; the packaging test checks for them.
UNWANTED_QT_LIBRARIES: tuple[str, ...] = (
    "Quick", "Qml", "WebEngine", "3DCore", "Multimedia", "VirtualKeyboard", "Pdf",
    "WaylandCompositor", "Designer", "Sql",
)

_LIB_NAME = re.compile(r"^(?:lib)?(?P<name>.+?)(?:\.so(?:\.\d+)*|\.dll|\.dylib)$", re.IGNORECASE)


def plugin_of(dest: str) -> tuple[str, str] | None:
    """(plugin type, plugin name) when ``dest`` is a Qt plugin inside PySide6, else None.

    Linux and macOS wheels keep plugins in ``PySide6/Qt/plugins/``, Windows ones in ``PySide6/plugins/``.
    """
    parts = PurePath(dest.replace("\\", "/")).parts
    if not parts or parts[0] != "PySide6" or "plugins" not in parts:
        return None
    start = parts.index("plugins") + 1
    if len(parts) - start < 2:
        return None
    plugin_type = "/".join(parts[start:-1])
    match = _LIB_NAME.match(parts[-1])
    return (plugin_type, match.group("name").lower()) if match else None


def wanted_plugin(plugin_type: str, name: str) -> bool:
    keep = KEEP_PLUGINS.get(plugin_type, frozenset())
    return "*" in keep or name in keep


# Qt's own translations the app loads (ui/language.py: qtbase_<lang>.qm, for the standard buttons and
# dialogs) in each language of the app but English (guard.i18n.LANGUAGES; a test keeps the two equal).
KEEP_QT_TRANSLATIONS = frozenset(f"qtbase_{language}.qm" for language in ("de", "fr", "es", "it", "nl"))


def is_qt_translation(dest: str) -> bool:
    """One of Qt's own translations (.qm) shipped with PySide6."""
    parts = PurePath(dest.replace("\\", "/")).parts
    return bool(parts) and parts[0] == "PySide6" and "translations" in parts


def drops_qt_translation(dest: str) -> bool:
    """A Qt translation the app never loads (another module's, another language's): left out."""
    return is_qt_translation(dest) and PurePath(dest.replace("\\", "/")).name not in KEEP_QT_TRANSLATIONS


def _posix(dest: str) -> str:
    return posixpath.normpath(dest.replace("\\", "/"))


def _link_target(entry: TocEntry) -> str:
    """Where a SYMLINK entry (dest, target relative to dest's folder, "SYMLINK") points in the bundle."""
    dest, target, _ = entry
    return _posix(posixpath.join(posixpath.dirname(_posix(dest)), target.replace("\\", "/")))


def _key(name: str) -> str:
    return PurePath(name.replace("\\", "/")).name.lower()


def trim_binaries(
    binaries: Iterable[TocEntry], imports_of: Callable[[TocEntry], Iterable[str]],
) -> tuple[list[TocEntry], list[TocEntry]]:
    """Split ``binaries`` into (kept, dropped).

    Dropped: the unwanted Qt plugins, and every library reached only through them (for example
    QtQuick, pulled in by the virtual keyboard input plugin). A library that something kept
    also links to stays. ``imports_of(entry)`` names the libraries an entry links to.
    """
    entries = list(binaries)
    # Dependencies resolve to the real files; PyInstaller's top-level symlinks share their names.
    by_key = {_key(entry[0]): entry for entry in entries if entry[2] != "SYMLINK"}

    def deps(entry: TocEntry) -> list[TocEntry]:
        return [by_key[_key(name)] for name in imports_of(entry) if _key(name) in by_key]

    def closure(start: Iterable[TocEntry]) -> set[TocEntry]:
        seen: set[TocEntry] = set()
        stack = list(start)
        while stack:
            entry = stack.pop()
            if entry in seen:
                continue
            seen.add(entry)
            stack.extend(deps(entry))
        return seen

    unwanted_plugins = {e for e in entries if (p := plugin_of(e[0])) is not None and not wanted_plugin(*p)}
    only_maybe_theirs = closure(unwanted_plugins) - unwanted_plugins
    roots = [e for e in entries if e not in unwanted_plugins and e not in only_maybe_theirs]
    needed = closure(roots)
    dropped = unwanted_plugins | (only_maybe_theirs - needed)
    return [e for e in entries if e not in dropped], [e for e in entries if e in dropped]


def trim_datas(datas: Iterable[TocEntry], dropped_binaries: Iterable[TocEntry]) -> list[TocEntry]:
    """``datas`` without the Qt translations the app does not load and without what belonged to the dropped binaries.

    PyInstaller lists its symlinks among the data (e.g. ``libQt6Quick.so.6`` at the top of the
    bundle pointing into PySide6/Qt/lib/), and on macOS a Qt framework's Info.plist and links;
    left behind they would dangle or make a half framework that codesign rejects.
    """
    dropped = {_posix(e[0]) for e in dropped_binaries}
    frameworks = tuple(d[: d.index(".framework/") + len(".framework/")] for d in dropped if ".framework/" in d)

    def unwanted(entry: TocEntry) -> bool:
        dest = _posix(entry[0])
        return (
            drops_qt_translation(dest)
            or (entry[2] == "SYMLINK" and _link_target(entry) in dropped)
            or (bool(frameworks) and (dest + "/").startswith(frameworks))
        )

    return [e for e in datas if not unwanted(e)]
