"""A booking page is not a meeting; the conferencing link of the event booked through it is.

Scheduling services (Calendly, Cal.com, Google Calendar's appointment schedules) hand out a page where a time is
picked, and then an invitation whose location is the meeting's own link, next to links that cancel or move the
booking. Only that meeting link is a meeting. Forms, each checked 2026-12-02:

- Calendly: an event type's ``scheduling_url`` is "the link for booking the event type" (developer.calendly.com, API
  docs, examples, "Send Scheduling Link"), https://calendly.com/<user> or https://calendly.com/<user>/<event type> in
  the users' own code and handbooks that publish theirs; a single-use link's ``booking_url``
  https://calendly.com/d/<code>/<event type> (xanojustin/xs-generator calendly-create-event/README.md); an invitee's
  ``cancel_url`` https://calendly.com/cancellations/<uuid> and ``reschedule_url`` https://calendly.com/reschedulings/
  <uuid> (developer.calendly.com release notes, 2020-12-08: "The Invitee resource now includes cancel_url and
  reschedule_url"; the forms as the Invitee resource's example and webhook payloads in public code write them).
- Cal.com: a booking page https://cal.com/<user>/<event type>, and the booked event's Cal Video room
  https://app.cal.com/video/<uid> (MeetingBar 26eef52 MeetingBarLogicTests/MeetingLinkDetectionTests.swift, the
  catalog's cal-video.toml).
- Google Calendar's appointment schedule booking page https://calendar.app.google/q4iYKU3ejmSLyafP6 (EarthSource/es-site
  pages/book-meeting.js, a site's "book a meeting" redirect).
"""

from __future__ import annotations

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules

RULES = DetectionRules.from_catalog(load_catalog(), "linux")

BOOKING_PAGES = [
    "https://calendly.com/acmesales",
    "https://calendly.com/acmesales/30min",
    "https://calendly.com/d/ck7-m3p-9xz/30-minute-meeting",
    "https://calendly.com/cancellations/AAAAAAAAAAAAAAAA",
    "https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA",
    "https://cal.com/bailey/30min",
    "https://calendar.app.google/q4iYKU3ejmSLyafP6",
]


@pytest.mark.parametrize("url", BOOKING_PAGES)
def test_a_booking_page_is_no_meeting(url):
    assert RULES.match_urls((url,)) == []


@pytest.mark.parametrize(("location", "provider"), [
    ("https://us02web.zoom.us/j/81234567890?pwd=AbCdEf", "zoom"),
    ("https://meet.google.com/abc-defg-hij", "google-meet"),
    ("https://teams.microsoft.com/meet/33749853217630?p=em7xplMpIFquiFGvn8", "teams"),
    ("https://app.cal.com/video/1de4BmdXEb983kIUHomUnA", "cal-video"),
])
def test_the_booked_events_conferencing_link_beside_the_booking_links_is_the_meeting(location, provider):
    """An invitation made by a booking: the event's location is its meeting link, the rest manage the booking."""
    invitation = (f"Event Name\n30 Minute Meeting\n\nLocation: {location}\n\nNeed to make changes to this event?\n"
                  "Cancel: https://calendly.com/cancellations/AAAAAAAAAAAAAAAA\n"
                  "Reschedule: https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA\n"
                  "Book another time: https://cal.com/bailey/30min\n")
    assert RULES.match_urls((invitation,)) == [(provider, location)]
