"""guard.net.pinning.system_addresses is the one resolver both HTTP users (the terms watcher and
the ledger's timestamping) look names up with: literal addresses are taken as they are, names
go to the system resolver once, in its order, without duplicates."""

from __future__ import annotations

import pytest

from guard.net import pinning
from guard.terms import fetch, urlpolicy


def test_the_terms_watcher_uses_the_one_resolver():
    assert urlpolicy.system_addresses is pinning.system_addresses
    assert fetch.system_addresses is pinning.system_addresses


@pytest.mark.parametrize(("host", "expected"), [("127.0.0.1", ["127.0.0.1"]), ("[::1]", ["::1"]),
                                               ("[2001:DB8::1]", ["2001:db8::1"])])
def test_a_literal_address_is_not_looked_up(host: str, expected: list[str]) -> None:
    assert pinning.system_addresses(host) == expected


def test_a_name_is_looked_up_by_the_system_resolver_without_duplicates():
    found = pinning.system_addresses("localhost")  # /etc/hosts: no network needed
    assert "127.0.0.1" in found or "::1" in found
    assert len(found) == len(set(found))
