"""The app's language for everything it shows: the one gettext mechanism of :mod:`guard.i18n`
(``resources/locale``, shared with the letters), seen from the UI's side.

``ui/`` may not import :mod:`guard.i18n` (import-linter), so windows and the presentation rules
translate through this module::

    from guard.presentation.i18n import N_, _, ngettext
    label = _("Record my decision…")
    DECISIONS = ((Decision.GIVEN, N_("I &consented")), ...)   # marked here, translated where shown
    _(label) ...

Messages use ``{name}`` placeholders filled with :meth:`str.format` after translating (an
f-string cannot be translated). Dates, times and numbers go through :func:`format_date`,
:func:`format_time` and :func:`format_number` (Babel, for the locale in use).

The app shows one language at a time, chosen at start (and again when Preferences change it)
with :func:`use_language`; the letters keep choosing their own (``letter --lang``).
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from guard.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    SOURCE_LANGUAGE,
    LanguageError,
    Text,
    Translation,
    check_language,
    first_of_month,
    system_language,
    translation,
)

if TYPE_CHECKING:  # Babel loads on the first date or number formatted (``scan`` formats none)
    from babel import Locale

log = logging.getLogger(__name__)

__all__ = ["N_", "UI_LANGUAGES", "Text", "_", "current_language", "format_date", "format_datetime", "format_month",
           "format_number", "format_time", "labelled", "language_choices", "ngettext", "pgettext", "say", "say_error",
           "ui_language", "use_language", "words_for"]

UI_LANGUAGES: tuple[str, ...] = LANGUAGES
"""Languages whose catalogs cover the whole app and the letters (tests/i18n checks they are complete):
every language there is a catalog for."""

_state: dict[str, object] = {}


def ui_language(setting: str | None = None) -> str:
    """The language the app shows: the setting (``general.language``) when the app is translated
    into it, else the system locale's when it is, else English."""
    if setting:
        try:
            language = check_language(setting)
        except LanguageError:
            log.warning("general.language = %r has no translation; the app follows the system's language", setting)
        else:
            if language in UI_LANGUAGES:
                return language
    language = system_language()
    return language if language in UI_LANGUAGES else SOURCE_LANGUAGE


@cache
def _format_locale(language: str, region: str | None) -> Locale:
    """The locale dates and numbers are written in: the system's region when it speaks
    ``language`` (``de_AT``, ``en_US``), else the language's own (English: day month year)."""
    from babel import Locale, UnknownLocaleError

    if region:
        try:
            return Locale.parse(f"{language}_{region}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse("en_GB" if language == SOURCE_LANGUAGE else language)


def _time_region(language: str) -> str | None:
    """The region of the locale that formats dates here (POSIX: ``LC_ALL``, else ``LC_TIME``, else
    ``LANG``), when that locale speaks ``language``; None for C/POSIX (the app's own default)."""
    for variable in ("LC_ALL", "LC_TIME", "LANG"):
        value = os.environ.get(variable, "")
        if not value:
            continue
        name = value.split(".")[0].split("@")[0]
        if name in ("C", "POSIX"):
            return None
        from babel import Locale, UnknownLocaleError

        try:
            parsed = Locale.parse(name.replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            return None
        return parsed.territory if parsed.language == language else None
    return None


def use_language(language: str) -> str:
    """Show ``language`` from now on (an unknown one: English); returns the language used."""
    if language not in UI_LANGUAGES:
        language = SOURCE_LANGUAGE
    _state["translation"] = translation(language)
    _state.pop("locale", None)  # made when first needed (current_locale)
    log.info("Language: %s", language)
    return language


def _translation() -> Translation:
    found = _state.get("translation")
    if not isinstance(found, Translation):
        use_language(SOURCE_LANGUAGE)
        return _translation()
    return found


def current_language() -> str:
    return _translation().language


def current_locale() -> Locale:
    """The locale dates and numbers are written in (Babel loads here, the first time)."""
    from babel import Locale

    language = current_language()
    found = _state.get("locale")
    if not isinstance(found, Locale):
        found = _state["locale"] = _format_locale(language, _time_region(language))
    return found


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _translation().gettext(message)


def words_for(table: Mapping[Any, str], key: object, fallback: str | None = None) -> str:
    """A value (a state, a kind, a decision) as a person reads it, in the language in use: ``table``
    holds the words marked with :data:`N_` (keyed by strings or string enums); a value the table
    lacks is shown as it is (its ``str``), or as ``fallback``."""
    text = str(key)
    if text in table:
        return _(table[text])
    return text if fallback is None else fallback


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular``/``plural`` the language uses for ``count`` (fill ``{count}`` after)."""
    return _translation().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` translated in ``context`` (for short words that read differently in two places)."""
    return _translation().pgettext(context, message)


def say(text: Text | str) -> str:
    """A sentence the core made (:class:`~guard.i18n.Text`) in the language in use; its values stay
    plain text. A plain string (a detail the core does not translate) is shown as it is."""
    return text.render(_translation()) if isinstance(text, Text) else text


def say_error(error: BaseException | str) -> str:
    """An error's message in the language in use where the core said it as a sentence
    (:attr:`guard.errors.GuardError.said`); any other error as it was written."""
    said = getattr(error, "said", None)
    return say(said) if isinstance(said, Text) else str(error)


def labelled(label: str, value: str) -> str:
    """'Label: value' as the language writes it (French puts a space before the colon)."""
    return _("{label}: {value}").format(label=label, value=value)


def listed(items: Iterable[str]) -> str:
    """Items one after the other, separated as the language separates list items with a semicolon
    ("a; b", in French "a\u00a0; b")."""
    separator = _("{first}; {second}").format(first="", second="")  # guard.export.export_words.LISTED
    return separator.join(items)


def colon() -> str:
    """What 'Label: value' puts between its parts, for text built in pieces (HTML): ": ", in
    French "\u00a0: "."""
    return labelled("", "")


def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own language) for the Preferences' language box, the app's languages first."""
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in UI_LANGUAGES]


def letter_language_note(language: str) -> str:
    """Above a letter: the language it is written in, and how to get it in another (letters follow the app's
    language; a user writing to a provider abroad had no hint that the Preferences choose it)."""
    return _("Written in {language}, the app's language. For another language, choose it under Preferences, "
             "Display language, and write the letter again.").format(language=LANGUAGE_NAMES.get(language, language))


# -- dates, times, numbers ----------------------------------------------------------------------
#
# British and American English, the app's own language, are written here without Babel's locale
# data: loading it (and Babel's global data) costs the tray app about 6 MB it keeps for good, the
# biggest part of what the consent form adds (issue 18). The forms below are exactly Babel's (CLDR)
# for en_GB and en_US, which tests/presentation/test_english_formats.py checks against Babel
# itself; every other locale or form goes to Babel.

_US_MONTHS = tuple("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())  # i18n-ok: CLDR's en_US, not translated
_MONTHS = {"en_GB": (*_US_MONTHS[:8], "Sept", *_US_MONTHS[9:]), "en_US": _US_MONTHS}  # i18n-ok: CLDR's en_GB


def _english() -> str | None:
    """``en_GB`` or ``en_US`` when dates and numbers are written in one of them, else None."""
    if current_language() != SOURCE_LANGUAGE:
        return None
    name = str(current_locale())
    return name if name in _MONTHS else None


def _clock(moment: datetime, locale: str, seconds: bool) -> str:
    tail = f":{moment.second:02d}" if seconds else ""
    if locale == "en_US":  # h:mm a (a narrow no-break space before AM/PM)
        return f"{moment.hour % 12 or 12}:{moment.minute:02d}{tail}\u202f{'AM' if moment.hour < 12 else 'PM'}"
    return f"{moment.hour:02d}:{moment.minute:02d}{tail}"  # HH:mm


def format_date(day: date | datetime, form: str = "medium") -> str:
    """``10 Jan 2026``, ``10.01.2026``, ``10 janv. 2026`` (a datetime: its local date)."""
    if isinstance(day, datetime):
        day = day.astimezone().date()
    english = _english()
    if english is not None and form == "medium":
        month = _MONTHS[english][day.month - 1]
        return f"{month} {day.day}, {day.year}" if english == "en_US" else f"{day.day} {month} {day.year}"
    from babel.dates import format_date as babel_date

    locale = current_locale()
    return first_of_month(babel_date(day, format=form, locale=locale), day, locale.language)


def format_time(moment: datetime, form: str = "short") -> str:
    """``14:05`` (``2:05 PM`` in the US), in this computer's time zone."""
    english = _english()
    if english is not None and form in ("short", "medium"):
        return _clock(moment.astimezone(), english, seconds=form == "medium")
    from babel.dates import format_time as babel_time

    return babel_time(moment.astimezone(), format=form, locale=current_locale())


def format_datetime(moment: datetime, form: str = "short") -> str:
    """Date and time in this computer's time zone: ``10/01/2026, 14:05``."""
    local = moment.astimezone()
    english = _english()
    if english is not None and form == "short":
        if english == "en_US":  # M/d/yy, h:mm a
            return f"{local.month}/{local.day}/{local.year % 100:02d}, {_clock(local, english, seconds=False)}"
        return f"{local.day:02d}/{local.month:02d}/{local.year}, {_clock(local, english, seconds=False)}"
    from babel.dates import format_datetime as babel_datetime

    return babel_datetime(local, format=form, locale=current_locale(), tzinfo=local.tzinfo)


def format_month(year: int, month: int, form: str = "MMM yyyy") -> str:
    """A month as the chart's axis shows it: ``Mar 2026``, ``März 2026``."""
    english = _english()
    if english is not None and form == "MMM yyyy" and 1 <= month <= 12:
        return f"{_MONTHS[english][month - 1]} {year:04d}"
    from babel.dates import format_date as babel_date

    return babel_date(date(year, month, 1), format=form, locale=current_locale())


def format_number(number: float) -> str:
    """``1,234`` / ``1.234`` / ``1 234``."""
    if type(number) in (int, float) and _english() is not None and math.isfinite(number) and abs(number) < 1e21:
        # #,##0.### : grouped by three, at most three decimals rounded half to even, no trailing zeros
        from decimal import ROUND_HALF_EVEN, Decimal  # here: ``scan`` imports this module and never formats a number

        rounded = Decimal(str(number)).quantize(Decimal("0.001"), ROUND_HALF_EVEN)
        if rounded:  # a value that rounds to zero keeps Babel's own way of writing its sign
            return f"{rounded:,f}".rstrip("0").rstrip(".")
    from babel.numbers import format_decimal

    return format_decimal(number, locale=current_locale())
