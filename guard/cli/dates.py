"""Dates and times from the command line, with errors that name the forms accepted."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta

from guard.errors import GuardError
from guard.text_controls import quoted

DAY_FORMS = "YYYY-MM-DD, e.g. 2026-05-01"
MOMENT_FORMS = ("a date (2026-05-01) or a date and time (2026-05-01T14:30, local time), optionally with "
                "seconds and a zone (2026-05-01T14:30:00+02:00 or 2026-05-01T12:30Z)")
SHOWN_INPUT = 40  # characters of a bad date quoted in its error: a date or time is far shorter
# Clocks drift: a decision stamped a few minutes ahead (another device's clock) is not "in the future".
FUTURE_TOLERANCE = timedelta(minutes=5)


class DateInputError(GuardError):
    """A date or time on the command line that cannot be used."""


def day(text: str) -> date:
    """An argparse ``type=`` for a calendar day."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{quoted(text, SHOWN_INPUT)}' is not a date: give {DAY_FORMS}") from None


def parse_moment(text: str, option: str, *, end_of_day: bool = False) -> datetime:
    """An ISO 8601 date or date-time from the command line; no zone means local time.

    With ``end_of_day`` a bare date means the end of that day (for an inclusive ``--to``).
    """
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text) + timedelta(days=1 if end_of_day else 0), time())
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        shown = quoted(text, SHOWN_INPUT)
        raise DateInputError(f"{option}: '{shown}' is not an ISO 8601 date or time; give {MOMENT_FORMS}.") from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def not_in_future(moment: datetime, option: str, now: datetime) -> datetime:
    """``moment``, unless it lies ahead of ``now``: a decision cannot have happened yet."""
    if moment - now > FUTURE_TOLERANCE:
        raise DateInputError(f"{option}: {moment.astimezone():%Y-%m-%d %H:%M} is in the future (it is now "
                             f"{now.astimezone():%Y-%m-%d %H:%M}); give when it happened.")
    return moment
