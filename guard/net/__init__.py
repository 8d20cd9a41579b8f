"""HTTP plumbing shared by the parts that reach the network: one deadline for a whole
exchange, from connect to the last byte, headers included (:mod:`guard.net.deadline`), and
connections opened only to addresses that were checked (:mod:`guard.net.pinning`).

The terms watcher (guard.terms.fetch) uses both; the ledger's time stamp (guard.ledger.timestamp)
uses the deadline only, since the time-stamping authority is one the user chose and may be on
their own network. Nothing here knows about terms or the ledger.
"""
