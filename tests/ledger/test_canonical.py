"""The canonical form and the hashes over it: pure functions, plain values."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from guard.ledger.canonical import (
    MacKey,
    canonical_json,
    head_mac,
    key_check,
    record_hash,
    record_mac,
)


def test_canonical_json_sorts_keys_at_every_level_and_has_no_spaces():
    assert canonical_json({"b": 1, "a": {"d": None, "c": ["x", "y"]}}) == '{"a":{"c":["x","y"],"d":null},"b":1}'


def test_canonical_json_keeps_unicode_as_utf8_not_escapes():
    text = canonical_json({"title": "Ünïcode “quotes” \n tab\t \\ \""})
    assert text == '{"title":"Ünïcode “quotes” \\n tab\\t \\\\ \\""}'
    assert text.encode("utf-8").decode("utf-8") == text


@pytest.mark.parametrize("value", [1.5, {"a": [0.1]}, {"a": {"b": float("nan")}}])
def test_floats_are_refused(value):
    with pytest.raises(TypeError, match="floats"):
        canonical_json(value)


def test_record_hash_is_sha256_over_prev_hash_then_content():
    prev = "ab" * 32
    body = canonical_json({"note": "é"})
    assert record_hash(prev, body) == hashlib.sha256(prev.encode("ascii") + body.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("secret", [b"k" * 32, b"", b"x" * 64, b"long" * 40])
def test_mac_key_is_standard_hmac_sha256(secret):
    digest = "cd" * 32
    expected = hmac.new(secret, digest.encode("ascii"), hashlib.sha256).hexdigest()
    assert record_mac(secret, digest) == expected
    assert MacKey(secret).hexdigest(digest.encode("ascii")) == expected


def test_head_mac_and_key_check_depend_on_the_key():
    assert head_mac(b"a" * 32, 3, "00" * 32) != head_mac(b"b" * 32, 3, "00" * 32)
    assert head_mac(b"a" * 32, 3, "00" * 32) != head_mac(b"a" * 32, 4, "00" * 32)
    assert key_check(b"a" * 32, "k1") != key_check(b"b" * 32, "k1")
