"""British and American English dates, times and numbers are written without Babel's locale data
(about 6 MB the tray app would keep), and exactly as Babel writes them: checked here against
Babel itself over every month, hour and the numbers' edge cases. Other locales still use Babel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from guard.presentation import i18n

ROOT = Path(__file__).resolve().parents[2]
NUMBERS = (0, 7, 999, 1000, -1000, 1234, 10**9, 10**20, 0.5, 0.0005, 0.0015, 2.0005, 2.0015, -1234.5678,
           123456.789, 0.1 + 0.2, 1e-7, -1e-7, 1e20, 99999.9995, 1.0, -0.0, 12.25)


@pytest.fixture(params=["en_GB", "en_US"])
def english(request, monkeypatch):
    monkeypatch.setenv("LC_ALL", f"{request.param}.UTF-8")
    i18n.use_language("en")
    assert str(i18n.current_locale()) == request.param
    yield Locale.parse(request.param)
    monkeypatch.delenv("LC_ALL")
    i18n.use_language("en")


def moments():
    zone = datetime.now().astimezone().tzinfo or UTC
    for month in range(1, 13):
        for day, hour, minute, second in ((1, 0, 0, 0), (9, 1, 7, 5), (10, 11, 59, 59), (28, 12, 0, 30),
                                          (28, 13, 5, 0), (5, 23, 30, 9)):
            for year in (2026, 1999, 2001):
                yield datetime(year, month, day, hour, minute, second, tzinfo=zone)


def test_english_dates_and_times_are_babels(english):
    for moment in moments():
        local = moment.astimezone()
        assert i18n.format_time(moment) == format_time(local, "short", locale=english)
        assert i18n.format_time(moment, "medium") == format_time(local, "medium", locale=english)
        assert i18n.format_datetime(moment) == format_datetime(local, "short", locale=english, tzinfo=local.tzinfo)
        assert i18n.format_date(moment) == format_date(local.date(), "medium", locale=english)
        assert i18n.format_date(moment.date()) == format_date(moment.date(), "medium", locale=english)
        assert i18n.format_month(moment.year, moment.month) == format_date(date(moment.year, moment.month, 1),
                                                                           "MMM yyyy", locale=english)
    other = datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # another zone: shown in ours
    assert i18n.format_datetime(other) == format_datetime(other.astimezone(), "short", locale=english,
                                                          tzinfo=other.astimezone().tzinfo)
    assert i18n.format_date(other, "long") == format_date(other.astimezone().date(), "long", locale=english)


def test_english_numbers_are_babels(english):
    for number in NUMBERS:
        assert i18n.format_number(number) == format_decimal(number, locale=english), number


def test_english_needs_no_babel_data_at_all():
    script = (
        "import json, sys\n"
        "from datetime import datetime, UTC\n"
        "from guard.presentation import i18n\n"
        "i18n.use_language('en')\n"
        "now = datetime.now(UTC)\n"
        "i18n.format_time(now); i18n.format_datetime(now); i18n.format_date(now); i18n.format_number(1234.5)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('babel.dates', 'babel.numbers')))))\n"
    )
    for lang in ("C.UTF-8", "en_US.UTF-8", "en_GB.UTF-8"):
        env = dict(os.environ, PYTHONPATH=str(ROOT), LC_ALL=lang)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == [], lang
