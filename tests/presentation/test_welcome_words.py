"""What the welcome says about the network is true for the shipped catalog and the settings:
which sites, and that Open Terms Archive's copies on GitHub are asked first when that is on."""

from __future__ import annotations

from guard.catalog import load_catalog
from guard.presentation.welcome import archived_documents, flat, terms_section
from guard.settings import Settings


def test_terms_checks_name_github_when_the_archive_is_read_first():
    catalog = load_catalog()
    assert archived_documents(catalog) > 0, "the shipped catalog names archived documents"
    said = flat([terms_section(Settings(), catalog)])
    assert "Terms checks are on: every 24 hours" in said and "microsoft.com" in said
    assert "Open Terms Archive" in said and "api.github.com, raw.githubusercontent.com" in said
    off = Settings().model_copy(update={"terms": Settings().terms.model_copy(update={"archive_enabled": False})})
    assert "github" not in flat([terms_section(off, catalog)]).lower()
