"""The app's language on the Qt side: our own strings through :mod:`guard.presentation.i18n`
(gettext, resources/locale), Qt's own (the standard buttons "Cancel", "OK", the colour and file
dialogs, context menus of text fields) through Qt's ``qtbase_<lang>.qm`` shipped with PySide6,
and QLocale for what Qt formats itself (spin boxes, date edits)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from guard.presentation.i18n import current_locale, ui_language, use_language

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def apply_language(setting: str | None = None) -> str:
    """Show the app in the language ``setting`` asks for (``general.language``; None or "" follows
    the system's), falling back to English where the app has no translation. Returns it."""
    language = use_language(ui_language(setting))
    locale = current_locale()
    QLocale.setDefault(QLocale(f"{locale.language}_{locale.territory}" if locale.territory else locale.language))
    app = QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    if language != "en" and app is not None:
        translator = QTranslator(app)
        if translator.load(f"qtbase_{language}", qt_translations_dir()):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("Qt's own translation qtbase_%s.qm was not found in %s; standard buttons stay English",
                        language, qt_translations_dir())
    return language
