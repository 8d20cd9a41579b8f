"""One export in progress: the formats' shared inputs (records, catalog facts, the ledger's
verification, who and when) and what they report back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from guard import APP_NAME, __version__
from guard.export.export_words import ExportWords
from guard.export.facts import CatalogFacts
from guard.export.progress import Progress
from guard.export.selection import Entry, ExportFilter, StatusIndex, iter_entries
from guard.export.terms_names import TermsNames
from guard.ledger import Ledger, Order, VerifyReport
from guard.ledger.background import BackgroundVerify
from guard.ledger.timeutil import format_utc
from guard.export_format import ExportFormat  # noqa: F401 - its home, light enough for the UI to name




@dataclass
class ExportJob:
    ledger: Ledger
    facts: CatalogFacts
    filter: ExportFilter
    statuses: StatusIndex
    progress: Progress
    generated_at: datetime
    verification: BackgroundVerify | None = None  # the ledger check, running alongside the export
    subject_name: str | None = None
    jurisdiction: str | None = None
    excel: bool = False
    warnings: list[str] = field(default_factory=list)
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict)  # lookups a format repeats per record
    terms_store: Any = None  # a guard.terms.store.TermsStore: names the terms versions' dates
    language: str = "en"  # the people-facing formats' (HTML, PDF): guard.i18n.LANGUAGES

    @property
    def words(self) -> ExportWords:
        """Labels, dates and counts in :attr:`language` (made once per export)."""
        words = self.memo.get(("words",))
        if words is None:
            words = self.memo[("words",)] = ExportWords(self.language)
        return words

    @property
    def terms_names(self) -> TermsNames:
        """Titles and version dates of the terms in force (looked up once per document)."""
        names = self.memo.get(("terms-names",))
        if names is None:
            names = self.memo[("terms-names",)] = TermsNames(self.facts, self.terms_store)
        return names

    @property
    def verify(self) -> VerifyReport | None:
        """The ledger's check (waits for it; formats ask as late as they can)."""
        return self.verification.result() if self.verification is not None else None

    @property
    def app(self) -> str:
        return f"{APP_NAME} {__version__}"

    @property
    def generated_text(self) -> str:
        return format_utc(self.generated_at)

    def entries(self, order: Order = Order.OLDEST, *, report: bool = True) -> Iterator[Entry]:
        """The selected records; ``report`` counts them towards the progress callback."""
        return iter_entries(self.ledger, self.filter, self.statuses, order, self.progress if report else None)


@dataclass(frozen=True)
class Written:
    """What a format wrote: records exported and files made (receipts make one per record)."""

    records: int
    files: int = 1
