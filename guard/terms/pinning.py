"""Connections only to checked addresses: moved to :mod:`guard.net.pinning`; its names stay
importable from here for the terms code."""

from guard.net.pinning import (
    PinnedHTTPConnection,
    PinnedHTTPSConnection,
    UnpinnedHostError,
    connect,
    connect_host,
    host_key,
    pinned,
    pinned_addresses,
    resolve_once,
)

__all__ = ["PinnedHTTPConnection", "PinnedHTTPSConnection", "UnpinnedHostError", "connect", "connect_host",
           "host_key", "pinned", "pinned_addresses", "resolve_once"]
