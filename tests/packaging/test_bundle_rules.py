"""Which Qt plugins and libraries the frozen app keeps (packaging/bundle_rules.py, a pure core)."""

from __future__ import annotations

import bundle_rules as rules


def entry(dest: str) -> rules.TocEntry:
    return (dest, f"/src/{dest}", "BINARY")


def test_plugins_are_recognised_in_every_wheel_layout():
    assert rules.plugin_of("PySide6/Qt/plugins/platforms/libqxcb.so") == ("platforms", "qxcb")
    assert rules.plugin_of("PySide6\\plugins\\platforms\\qwindows.dll") == ("platforms", "qwindows")
    assert rules.plugin_of("PySide6/Qt/plugins/platforms/libqcocoa.dylib") == ("platforms", "qcocoa")
    assert rules.plugin_of("PySide6/Qt/lib/libQt6Core.so.6") is None
    assert rules.plugin_of("PySide6/QtCore.abi3.so") is None


def test_only_the_plugins_the_app_needs_are_wanted():
    for kept in (("platforms", "qxcb"), ("platforms", "qwayland"), ("platforms", "qoffscreen"),
                 ("platforms", "qwindows"), ("platforms", "qcocoa"), ("imageformats", "qsvg"),
                 ("iconengines", "qsvgicon"), ("styles", "qmodernwindowsstyle")):
        assert rules.wanted_plugin(*kept), kept
    for dropped in (("platforms", "qeglfs"), ("platforms", "qvnc"), ("platformthemes", "qgtk3"),
                    ("imageformats", "qjpeg"), ("tls", "qopensslbackend"), ("sqldrivers", "qsqlite"),
                    ("platforminputcontexts", "qtvirtualkeyboardplugin"), ("qmltooling", "qmldbg_tcp")):
        assert not rules.wanted_plugin(*dropped), dropped


def test_libraries_only_dropped_plugins_use_are_dropped_too():
    gui, quick, qml = entry("PySide6/Qt/lib/libQt6Gui.so.6"), entry("PySide6/Qt/lib/libQt6Quick.so.6"), \
        entry("PySide6/Qt/lib/libQt6Qml.so.6")
    xcbqpa = entry("PySide6/Qt/lib/libQt6XcbQpa.so.6")
    keyboard = entry("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so")
    xcb = entry("PySide6/Qt/plugins/platforms/libqxcb.so")
    module = ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION")
    links = {
        keyboard: ["libQt6Quick.so.6", "libQt6Gui.so.6"],
        quick: ["libQt6Qml.so.6", "libQt6Gui.so.6"],
        xcb: ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        xcbqpa: ["libQt6Gui.so.6"],
        module: ["libQt6Gui.so.6", "libc.so.6"],
    }
    kept, dropped = rules.trim_binaries([gui, quick, qml, xcbqpa, keyboard, xcb, module],
                                        lambda e: links.get(e, []))
    assert set(dropped) == {keyboard, quick, qml}
    assert set(kept) == {gui, xcbqpa, xcb, module}


def test_a_library_something_kept_links_to_stays():
    shared = entry("libdbus-1.so.3")
    portal = entry("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so")
    gtk = entry("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    links = {portal: ["libdbus-1.so.3"], gtk: ["libdbus-1.so.3", "libgtk-3.so.0"]}
    kept, dropped = rules.trim_binaries([shared, portal, gtk], lambda e: links.get(e, []))
    assert dropped == [gtk]
    assert set(kept) == {shared, portal}


def test_qt_translations_the_app_loads_are_kept_and_the_others_left_out():
    # ui/language.py loads qtbase_<lang>.qm so Qt's own buttons ("Cancel", "OK") speak the app's language
    assert not rules.drops_qt_translation("PySide6/Qt/translations/qtbase_de.qm")
    assert not rules.drops_qt_translation("PySide6\\translations\\qtbase_nl.qm")
    assert rules.drops_qt_translation("PySide6\\translations\\qt_fr.qm")
    assert rules.drops_qt_translation("PySide6/Qt/translations/qtdeclarative_de.qm")
    assert rules.drops_qt_translation("PySide6/Qt/translations/qtbase_ja.qm")
    assert not rules.drops_qt_translation("resources/terms/zoom/terms.md")
    assert not rules.drops_qt_translation("resources/translations/de.qm")


def test_the_kept_qt_translations_are_the_apps_languages():
    from guard.i18n import LANGUAGES

    assert rules.KEEP_QT_TRANSLATIONS == {f"qtbase_{language}.qm" for language in LANGUAGES if language != "en"}


def test_symlinks_to_dropped_libraries_go_with_them():
    kms = entry("PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6")
    eglfs = entry("PySide6/Qt/plugins/platforms/libqeglfs.so")
    core = entry("PySide6/Qt/lib/libQt6Core.so.6")
    module = ("PySide6/QtCore.abi3.so", "/src/QtCore.abi3.so", "EXTENSION")
    links = {eglfs: ["libQt6EglFsKmsSupport.so.6", "libQt6Core.so.6"], module: ["libQt6Core.so.6"]}
    kept, dropped = rules.trim_binaries([kms, eglfs, core, module], lambda e: links.get(e, []))
    assert set(dropped) == {kms, eglfs}

    kms_link = ("libQt6EglFsKmsSupport.so.6", "PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", "SYMLINK")
    nested_link = ("PySide6/Qt/libQt6EglFsKmsSupport.so.6", "lib/libQt6EglFsKmsSupport.so.6", "SYMLINK")
    core_link = ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK")
    catalog = ("resources/catalog/zoom.toml", "/src/resources/catalog/zoom.toml", "DATA")
    translation = ("PySide6/Qt/translations/qtquick_de.qm", "/src/qtquick_de.qm", "DATA")
    loaded = ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA")
    datas = [kms_link, nested_link, core_link, catalog, translation, loaded]
    assert rules.trim_datas(datas, dropped) == [core_link, catalog, loaded]


def test_a_dropped_macos_framework_leaves_nothing_behind():
    quick = entry("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick")
    datas = [
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/Resources/Info.plist", "/src/Info.plist", "DATA"),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/Current", "A", "SYMLINK"),
        ("PySide6/Qt/lib/QtQuick.framework/QtQuick", "Versions/Current/QtQuick", "SYMLINK"),
        ("PySide6/Qt/lib/QtGui.framework/Versions/A/Resources/Info.plist", "/src/Gui.plist", "DATA"),
    ]
    assert rules.trim_datas(datas, [quick]) == datas[3:]
