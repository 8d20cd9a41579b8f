"""What the app shows, in plain words: pure functions from core values (catalog entries,
monitor snapshots, events) to display values (tray state, tooltip, notices, consent-form
defaults). No Qt and no I/O beyond reading shipped data files; ui/ only lays these out.
"""
