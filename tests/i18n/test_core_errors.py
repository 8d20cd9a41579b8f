"""An error the core raises as a sentence (guard.errors.GuardError.said) reaches the user in
their language, while its English message (command line, logs) is unchanged: a real full disk
(a 2 MB tmpfs) under a real ledger."""

from __future__ import annotations

import pytest

from guard.ledger import Decision, Ledger, LedgerFullError, RecordDraft
from guard.presentation import i18n
from guard.presentation.i18n import say_error
from tests.ledger.conftest import no_keyring  # noqa: F401 (fixture)
from tests.ledger.test_storage_faults import small_disk  # noqa: F401 (fixture)
from tests.support.disks import fill, needs_root


@needs_root
def test_a_full_disk_is_said_in_the_users_language(small_disk, no_keyring):  # noqa: F811
    path = small_disk / "data" / "ledger.sqlite3"
    path.parent.mkdir()
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
        fill(small_disk / "filler")
        with pytest.raises(LedgerFullError) as caught:
            ledger.append(RecordDraft(provider_id="zoom", decision=Decision.GIVEN, note="x" * 20_000))
    error = caught.value
    assert "is full" in str(error) and "The new record was NOT saved" in str(error)
    try:
        i18n.use_language("es")
        said = say_error(error)
        assert said.startswith(f"Error en el registro de consentimientos {path} al añadir una entrada (")
        assert f"el disco que contiene {path.parent} está lleno. La entrada nueva NO se ha guardado" in said
        i18n.use_language("nl")
        assert "de schijf met" in say_error(error) and "De nieuwe registratie is NIET opgeslagen" in say_error(error)
        assert say_error(ValueError("not ours")) == "not ours"
    finally:
        i18n.use_language("en")
