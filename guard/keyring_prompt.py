"""A bound on how long a keyring call waits for its unlock prompt's answer.

The ``keyring`` library's Secret Service backend unlocks a locked collection or item through
secretstorage without a timeout, and secretstorage then waits for the prompt's ``Completed``
signal for ever. A gnome-keyring that dies while its prompt is open never sends it: the call's
worker thread (guard.keyring_call) waited for as long as the process ran, one more with each
such outage. :class:`PromptBoundSecretService` is that backend with the wait bounded
(:func:`prompt_timeout_s`, five minutes by default: long enough to type a password into a
prompt, after the caller has stopped waiting): the unanswered prompt then ends the call with
an error and its thread returns. Every other keyring is used as it is.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Any

import keyring.core
from keyring.backend import KeyringBackend
from keyring.backends import SecretService
from keyring.errors import InitError, KeyringLocked

log = logging.getLogger(__name__)

PROMPT_TIMEOUT_ENV = "MEETING_GUARD_KEYRING_PROMPT_TIMEOUT"
DEFAULT_PROMPT_TIMEOUT_S = 300.0
_BOUNDS_S = (1.0, 3600.0)


def prompt_timeout_s() -> float:
    """Seconds an unlock prompt is waited for: ``$MEETING_GUARD_KEYRING_PROMPT_TIMEOUT`` when it
    is a number (kept within 1 s-1 h), else five minutes."""
    text = os.environ.get(PROMPT_TIMEOUT_ENV, "").strip()
    try:
        value = float(text) if text else DEFAULT_PROMPT_TIMEOUT_S
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        log.warning("%s=%r is not a number of seconds; using %g s", PROMPT_TIMEOUT_ENV, text[:40],
                    DEFAULT_PROMPT_TIMEOUT_S)
        return DEFAULT_PROMPT_TIMEOUT_S
    return min(max(value, _BOUNDS_S[0]), _BOUNDS_S[1])


class PromptBoundSecretService(SecretService.Keyring):
    """keyring's Secret Service backend, whose unlock prompts are waited for at most
    :func:`prompt_timeout_s` (a prompt not answered by then raises TimeoutError)."""

    # keyring registers every backend class it sees; this one is only ever made here, from the
    # backend keyring chose (counted as a second Secret Service, it made keyring chain the two).
    viable = False

    def get_preferred_collection(self) -> Any:
        import secretstorage
        from secretstorage.exceptions import SecretStorageException

        bus = secretstorage.dbus_init()
        try:
            path = getattr(self, "preferred_collection", None)
            collection = (secretstorage.Collection(bus, path) if path
                          else secretstorage.get_default_collection(bus))
            if collection.is_locked():
                collection.unlock(timeout=prompt_timeout_s())
                if collection.is_locked():  # the prompt was dismissed
                    raise KeyringLocked("Failed to unlock the collection!")
        except SecretStorageException as error:
            bus.close()
            raise InitError(f"Failed to create the collection: {error}.") from error
        except BaseException:
            bus.close()
            raise
        return collection

    def unlock(self, item: Any) -> None:
        if hasattr(item, "unlock"):
            item.unlock(timeout=prompt_timeout_s())
        if item.is_locked():  # the prompt was dismissed
            raise KeyringLocked("Failed to unlock the item!")


def with_bounded_prompts(backend: KeyringBackend) -> KeyringBackend:
    """``backend``, or for keyring's own Secret Service backend the same with bounded prompts
    (made keyring's backend for this process, so later ``keyring.get_keyring()`` returns it)."""
    if type(backend) is not SecretService.Keyring:
        return backend
    bounded = PromptBoundSecretService()  # type: ignore[no-untyped-call]  # keyring's __init__ has no annotations
    for name in ("scheme", "preferred_collection"):  # what keyring's configuration may have set on it
        if hasattr(backend, name):
            setattr(bounded, name, getattr(backend, name))
    keyring.core.set_keyring(bounded)
    return bounded
