"""Meeting Privacy Guard: the participant's side of meeting AI features and terms.

The ``guard`` package is the headless core. It never imports Qt.
"""

__version__ = "0.1.0"
APP_NAME = "Meeting Privacy Guard"
APP_ID = "meeting-privacy-guard"
# Reverse-DNS id shared by the .desktop file, AppStream, Flatpak, macOS bundle and autostart entries.
APP_RDNS_ID = "io.github.meetingprivacyguard.MeetingPrivacyGuard"
