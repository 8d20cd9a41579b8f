"""What every catalog model shares: frozen, with no unknown fields (:data:`MODEL`); a check's
error names the field at fault (:class:`FieldError`); and :class:`Source`, where a statement
comes from and when that was checked."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

MODEL = ConfigDict(extra="forbid", frozen=True)
# A user catalog file may hold anything, and these texts are shown whole (the consent form, the
# provider's page, letters): bounded well above the longest shipped ones, a longer one is a
# problem naming the file and field. Shipped: descriptions, notices, summaries, quotes and
# titles under 1,000 characters; notes under 2,600.
MAX_TEXT = 2_000
MAX_NOTE = 5_000


class FieldError(ValueError):
    """A model-level check that knows which field is at fault (``loc`` relative to the model)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class Source(BaseModel):
    """Where a statement comes from and when that was checked."""

    model_config = MODEL
    url: HttpUrl
    checked: date
    title: str | None = Field(None, max_length=MAX_TEXT)
