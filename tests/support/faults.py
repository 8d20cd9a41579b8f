"""Faults injected on top of real parts, for the failures tests cannot cause on demand."""

from __future__ import annotations

from typing import Any

from guard.services import Services


class FailsOnceAfterLanding(Services):
    """Real services whose next ``record_decision`` stores the record in the real ledger and then
    raises ``OSError`` once, as a disk error reported after the commit would: the case where a user
    is told "not saved" although the decision is already kept."""

    failures = 1

    def record_decision(self, draft: Any, record_id: Any = None, **options: Any) -> Any:
        record = super().record_decision(draft, record_id, **options)
        if self.failures:
            self.failures -= 1
            raise OSError(5, "Input/output error")
        return record
