"""What the app shows, in plain words, worked out without Qt: values in, values out.

Pure functions from core values (catalog entries, monitor snapshots, events, ledger records)
to display values: tray state, tooltip, notices, consent-form defaults, and what the settings
window lists (providers matching a search, decisions per month, how a record reads, what
changed lately). ui/ only lays these out; the logic is tested here with plain values.
"""
