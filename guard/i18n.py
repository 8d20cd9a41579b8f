"""The one translation mechanism: gettext catalogs under ``resources/locale/<lang>/LC_MESSAGES``
(``meeting-guard.po``, compiled in memory with Babel when first used, so there is no build
step to forget), Babel for dates and numbers, and the language chosen once from an explicit
choice, the settings, or the system locale. Letters use it today; the settings window and the
tray will route their strings through the same :func:`translation` (Qt's own translations
for standard widgets stay Qt's).

Use::

    from guard.i18n import translation
    t = translation("de")
    t.gettext("Withdrawal of consent"), t.format_date(date(2026, 12, 1))   # -> "1. Dezember 2026"

Mark strings for extraction with :func:`N_` where they are defined and translate them where
they are shown; ``pybabel extract -k N_ -k gettext`` finds both.
"""

from __future__ import annotations

import gettext
import io
import locale
import logging
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Union

from guard.errors import GuardError
from guard.paths import resources_dir

if TYPE_CHECKING:  # Babel loads when something is formatted or a catalog compiled, not at import
    from babel import Locale

log = logging.getLogger(__name__)

DOMAIN = "meeting-guard"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "de", "fr", "es", "it", "nl")  # the languages the catalogs cover
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "it": "Italiano",
                  "nl": "Nederlands"}
_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order of precedence


class LanguageError(GuardError, ValueError):
    """A language the app has no catalog for; the message lists the ones it has."""


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark ``message`` for translation where it is defined; translate it where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 (named like N_)
    """Mark a message with a plural form (extracted like ``ngettext``), for ``Text.of(Nn_(...), count=n)``."""
    return singular, plural


def locale_dir() -> Path:
    return resources_dir() / "locale"


def _system_locale_names() -> list[str]:
    names: list[str] = []
    for variable in _ENV:
        value = os.environ.get(variable, "")
        names += [part for part in value.split(":") if part]  # LANGUAGE may list several
    try:
        # The category's setting as the C library has it: getlocale() would map "C.UTF-8" to en_US
        # (Python's alias table), so a Qt app, which sets the locale from LANG=C.UTF-8, would seem American.
        current = locale.setlocale(locale.LC_MESSAGES if hasattr(locale, "LC_MESSAGES") else locale.LC_CTYPE)
    except (ValueError, AttributeError, locale.Error):
        current = None
    if current:
        names.append(current)
    return names


def _parse(name: str) -> Locale | None:
    from babel import Locale, UnknownLocaleError

    name = name.split(".")[0].split("@")[0]
    if not name or name in ("C", "POSIX"):
        return None
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def system_language() -> str:
    """The first supported language the system locale names; English when none is."""
    for name in _system_locale_names():
        parsed = _parse(name)
        if parsed is not None and parsed.language in LANGUAGES:
            return parsed.language
    return SOURCE_LANGUAGE


def locale_region() -> str | None:
    """The region (ISO 3166-1 alpha-2) of the system locale, e.g. ``DE`` for ``de_DE.UTF-8``;
    None for the C locale or a locale without one."""
    for name in _system_locale_names():
        parsed = _parse(name)
        if parsed is not None and parsed.territory and len(parsed.territory) == 2:
            return parsed.territory
    return None


def check_language(code: str) -> str:
    """``code`` (``de``, ``de_DE``, ``de-AT``) as a supported language; raises LanguageError."""
    if code in LANGUAGES:  # the common case, answered without loading Babel's locale data
        return code
    parsed = _parse(code.strip())
    if parsed is None or parsed.language not in LANGUAGES:
        raise LanguageError(f"No translation for language {code!r}; use one of: {', '.join(LANGUAGES)}.")
    return parsed.language


def choose_language(explicit: str | None = None, setting: str | None = None) -> str:
    """The language to use: an explicit choice (``--lang``), else the settings' ``general.language``,
    else the system locale's. An explicit choice the app has no catalog for raises LanguageError;
    an unusable setting falls back to the system's (it was reported when the settings loaded)."""
    if explicit:
        return check_language(explicit)
    if setting:
        try:
            return check_language(setting)
        except LanguageError:
            log.warning("Setting general.language = %r has no translation; using the system's language", setting)
    return system_language()


TextValue = Union[str, int, "Text"]


@dataclass(frozen=True)
class Text:
    """A sentence the core says to a person, kept as its English template (marked with :func:`N_`
    where it is made) and its values, so that the place that shows it can say it in the user's
    language: ``str(text)`` is English (command line, JSON, logs), :meth:`render` translates.

    Values are inserted after translating, as plain text: a value is never read as a template
    (a hostile title with ``{braces}`` or markup stays as it is); a value that is itself a
    :class:`Text` is translated too. ``plural``/``count`` choose the form for a number.
    """

    template: str
    values: tuple[tuple[str, TextValue], ...] = ()
    plural: str | None = None
    count: int | None = None

    @classmethod
    def of(cls, template: str | tuple[str, str], /, *, count: int | None = None, **values: TextValue) -> Text:
        """``Text.of(N_("Saved."))``; ``Text.of(Nn_("{count} record", "{count} records"), count=n)`` fills in
        ``{count}`` too."""
        plural = None
        if isinstance(template, tuple):
            template, plural = template
        if count is not None:
            values.setdefault("count", count)
        return cls(template, tuple(values.items()), plural, count)

    def render(self, translation: Translation | None = None) -> str:
        """The sentence in ``translation``'s language (None: English, the source language)."""
        if self.plural is not None and self.count is not None:
            template = (translation.ngettext(self.template, self.plural, self.count) if translation is not None
                        else (self.template if self.count == 1 else self.plural))
        else:
            template = translation.gettext(self.template) if translation is not None else self.template
        values = {name: value.render(translation) if isinstance(value, Text) else value
                  for name, value in self.values}
        return template.format_map(values)

    def __str__(self) -> str:
        return self.render()


class Translation:
    """Translated strings and locale formatting for one language."""

    def __init__(self, language: str, catalog: gettext.NullTranslations) -> None:
        self.language = language
        self._catalog = catalog

    @cached_property
    def locale(self) -> Locale:
        """English letters go to EU addresses: day-month-year ("1 December 2026"), as en_GB writes it."""
        from babel import Locale

        return Locale.parse("en_GB" if self.language == "en" else self.language)

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._catalog.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    def format_date(self, day: date, form: str = "long") -> str:
        """``day`` as the language writes it (``1 December 2026``, ``1. Dezember 2026``, ``1er décembre 2026``)."""
        from babel.dates import format_date

        return first_of_month(format_date(day, format=form, locale=self.locale), day, self.locale.language)


_FIRST = re.compile(r"\b1 (?=[^\d\s])")  # "1 " before a month's name, not "01/12" or "11 "
# The first day of a month as an ordinal: French "1er décembre", Italian "1º dicembre" (the
# masculine ordinal indicator, as the Accademia della Crusca and Treccani write it). Spanish, German
# and Dutch write the cardinal ("1 de diciembre", "1. Dezember", "1 december"), as CLDR does.
_ORDINAL_FIRST = {"fr": "1er ", "it": "1\u00ba "}


def first_of_month(text: str, day: date, language: str) -> str:
    """French and Italian write the first day of a month as an ordinal, "1er décembre 2026" and
    "1º dicembre 2026", where CLDR's patterns (and Babel) give "1 décembre 2026" and "1 dicembre
    2026"; a numeric date ("01/12/2026") stays as it is."""
    first = _ORDINAL_FIRST.get(language)
    if first is None or day.day != 1:
        return text
    return _FIRST.sub(first, text, count=1)


@cache
def translation(language: str) -> Translation:
    """The catalog of ``language`` (compiled from its ``.po`` on first use); English is the
    source language and needs none. Raises LanguageError for a language with no catalog."""
    language = check_language(language)
    if language == SOURCE_LANGUAGE:
        return Translation(language, gettext.NullTranslations())
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translation(language, gettext.GNUTranslations(compiled))
