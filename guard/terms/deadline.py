"""One deadline for a whole request: moved to :mod:`guard.net.deadline` (the ledger's time stamp
uses it too); its names stay importable from here for the terms code."""

from guard.net.deadline import Deadline, DeadlineAdapter, deadline

__all__ = ["Deadline", "DeadlineAdapter", "deadline"]
