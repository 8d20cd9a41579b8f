"""guard.net.pinning.route_once: where one request connects, with that name's addresses looked
up once, within the time allowed, so the HTTP library never looks the name up again."""

from __future__ import annotations

import threading

import pytest

from guard.net.pinning import pinned, pinned_addresses, route_once


def test_the_urls_host_is_looked_up_once_and_pinned():
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        return ["192.168.1.20"]  # a TSA on the user's own network is theirs to choose: not judged here

    routes = route_once("https://tsa.example.lan:8443/stamp", {}, 5.0, resolve)
    assert routes == {"tsa.example.lan": ("192.168.1.20",)} and asked == ["tsa.example.lan"]
    with pinned(routes):
        assert pinned_addresses("TSA.example.lan.") == ("192.168.1.20",)


def test_through_a_proxy_the_proxy_is_looked_up_not_the_url():
    routes = route_once("http://tsa.example/stamp", {"http": "proxy.example:3128"}, 5.0,
                        lambda host: ["10.0.0.8"] if host == "proxy.example" else [])
    assert routes == {"proxy.example": ("10.0.0.8",)}


def test_a_name_server_that_never_answers_costs_only_the_wait():
    never = threading.Event()

    def silent(host: str) -> list[str]:
        never.wait(60)
        return []

    try:
        with pytest.raises(TimeoutError, match="no answer from the name server within 0.2 s"):
            route_once("http://tsa.example/stamp", {}, 0.2, silent)
    finally:
        never.set()


def test_the_system_resolver_is_used_by_default():
    routes = route_once("http://localhost:9/", {}, 10.0)
    assert set(routes) == {"localhost"} and {"127.0.0.1", "::1"} & set(routes["localhost"])
