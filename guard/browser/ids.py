"""The fixed identities that pin the extension and its native messaging host to each other.

Chromium derives an extension's ID from the public key in its manifest (``key``): the first 128
bits of the key's SHA-256, written with the letters a-p. Only the public key is in this
repository; :func:`chromium_id_from_key` recomputes the ID from it, and a test checks that the
shipped manifest and :data:`CHROMIUM_EXTENSION_ID` agree. Firefox takes the ID from
``browser_specific_settings.gecko.id``. A store listing gets its own ID from the store; that ID is
added to :data:`CHROMIUM_EXTENSION_IDS` once known (the host accepts only listed IDs).
"""

from __future__ import annotations

import base64
import hashlib

HOST_NAME = "io.github.meetingprivacyguard.browser_host"
"""The native messaging host's name: lowercase letters, digits, dots and underscores (Chrome's rule)."""

GECKO_ID = "browser@meetingprivacyguard.github.io"
CHROMIUM_PUBLIC_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp9bhzYzhK8z3NIVpOYjT3a+2XaxHQkXbh0Pldtksvx69eOnIRdmZxpumgiN0"
    "bcyCOy9h08BNRuCF+VJaDcQt/+oiBewivvvSpPLu4XjnZLhqYeSAwW4P11BLUghwBiLcFiQHauSPw+xOrN2jhtyWdbBPCE6EhgMJ/Dgd"
    "TGaOJHLZdpIXUOHZZJBnr2M4oc9N25iTttXjjLrFEWMCHWrsfjys7nFJeShdPl4S9C7lc8q7VwT9FOh+t37pWNseSCXRoTUAEQdsdPNv"
    "8lzvbQQnLBMttSt9CMhag/O1XG+LN4r9PS74uxKzfWubNwZy4nuRVYdnFqqSrHWKOgDPQ6joSwIDAQAB"
)
CHROMIUM_EXTENSION_ID = "gkndbbpmimcbnpgcbalnmmgangglhmaf"
CHROMIUM_EXTENSION_IDS: tuple[str, ...] = (CHROMIUM_EXTENSION_ID,)
GECKO_IDS: tuple[str, ...] = (GECKO_ID,)


def chromium_id_from_key(public_key_b64: str) -> str:
    """The extension ID Chromium derives from a manifest ``key`` (base64 DER SubjectPublicKeyInfo)."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(char, 16)) for char in digest)


def chromium_origins() -> list[str]:
    """``allowed_origins`` for a Chromium-family host manifest."""
    return [f"chrome-extension://{extension_id}/" for extension_id in CHROMIUM_EXTENSION_IDS]
