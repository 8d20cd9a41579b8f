"""A user's own catalog folder adds providers and overrides fields of shipped ones (merge by id)."""

from __future__ import annotations

from pathlib import Path

from guard.catalog import load_catalog
from guard.catalog.loader import shipped_catalog_dir

NEW_PROVIDER = '''
id = "inhouse-meet"
name = "In-house Meet"
vendor = "Example Corp IT"
kind = "browser-meeting"
homepage = "https://meet.intranet.example/"

[detect.web]
url_patterns = ['^https://meet\\.intranet\\.example/[a-z0-9-]+$']
'''

ZOOM_OVERRIDE = '''
id = "zoom"
name = "Zoom (company tenant)"

[[ai_features]]
id = "meeting-summary"
trains_models = "unknown"
note = "Our admins switched summaries off."

[[clauses]]
id = "company-dpa"
document = "terms"
topic = "ai-training"
quote = "Supplier shall not use Customer Content to train models."
effective_from = 2025-01-01
source = "https://intranet.example/contracts/zoom-dpa"
checked = 2026-11-01
verified = true
'''


def test_user_file_adds_a_provider(tmp_path: Path):
    (tmp_path / "inhouse.toml").write_text(NEW_PROVIDER, encoding="utf-8")
    shipped = load_catalog()
    catalog = load_catalog(user=tmp_path)
    assert catalog.problems == []
    assert len(catalog) == len(shipped) + 1
    assert catalog.get("inhouse-meet").vendor == "Example Corp IT"


def test_user_file_overrides_fields_and_merges_lists_by_id(tmp_path: Path):
    (tmp_path / "my-zoom.toml").write_text(ZOOM_OVERRIDE, encoding="utf-8")
    shipped_zoom = load_catalog().get("zoom")
    zoom = load_catalog(user=tmp_path).get("zoom")

    assert zoom.name == "Zoom (company tenant)"
    assert zoom.vendor == shipped_zoom.vendor, "fields the user file does not name are kept"
    summary = zoom.feature("meeting-summary")
    assert summary.trains_models.value == "unknown" and summary.note == "Our admins switched summaries off."
    assert summary.sources == shipped_zoom.feature("meeting-summary").sources, "the feature merged, not replaced"
    assert len(zoom.ai_features) == len(shipped_zoom.ai_features)
    assert [c.id for c in zoom.clauses] == [c.id for c in shipped_zoom.clauses] + ["company-dpa"]


def test_broken_user_file_keeps_the_shipped_provider(tmp_path: Path):
    (tmp_path / "zoom.toml").write_text('id = "zoom"\nkind = "spaceship"\n', encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    assert catalog.get("zoom").kind.value == "meeting-client"
    [problem] = catalog.problems
    assert problem.file == tmp_path / "zoom.toml" and problem.field == "kind"


def test_missing_user_folder_is_fine():
    catalog = load_catalog(user=Path("/nonexistent/catalog"))
    assert catalog.problems == [] and len(catalog) == len(list(shipped_catalog_dir().glob("*.toml")))
