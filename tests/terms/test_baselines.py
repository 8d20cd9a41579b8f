"""Every baseline shipped in resources/terms is a real archived text in the app's own form, names
a document of the shipped catalog, and says where it came from and which date it carries."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from guard.catalog.loader import load_catalog
from guard.terms.analysis import analyse, relevant_changes
from guard.terms.baseline import load_baselines, sha256_text, shipped_baselines_dir
from tests.terms.support.baselines import archive_fixture, canonical, github_url

SHIPPED = sorted(shipped_baselines_dir().glob("*/*.md"))
IDS = [f"{path.parent.name}/{path.stem}" for path in SHIPPED]
MAIN_DOCUMENTS = {"terms", "privacy", "ai-terms"}
_QUOTED = re.compile(r"(?:^|\s)'([^']+)'(?:\W|$)")  # 'quoted', not the apostrophe in "text's"
_DATE = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}")


def meta_of(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def stated_date(quoted: str) -> date:
    """The date in a quoted line such as 'Effective: **30 September 2024**' or 'Last updated: May 1, 2024'."""
    found = _DATE.search(quoted.replace("*", ""))
    assert found, f"no date in {quoted!r}"
    text = found.group(0).replace(",", "")
    for pattern in ("%d %B %Y", "%B %d %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise AssertionError(f"cannot read the date {text!r}")


def test_every_shipped_baseline_loads_without_problems() -> None:
    baselines, problems = load_baselines()
    assert problems == []
    assert {f"{p}/{d}" for p, d in baselines} == set(IDS)
    assert len(SHIPPED) >= 9  # a test that finds no baselines must not pass


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_baseline_names_a_main_document_of_the_shipped_catalog(path: Path) -> None:
    meta = meta_of(path)
    provider = load_catalog().get(path.parent.name)
    assert provider is not None, f"{path}: no provider '{path.parent.name}' in the shipped catalog"
    document = next((d for d in provider.documents if d.id == path.stem), None)
    assert document is not None, f"{path}: provider {provider.id} has no document '{path.stem}'"
    assert document.id in MAIN_DOCUMENTS
    assert (meta["provider_id"], meta["document_id"]) == (provider.id, document.id)
    # the catalog still points at the document the baseline was matched with
    assert meta["catalog_url"] == str(document.url)
    if meta["url"] != str(document.url):
        assert str(document.url) in meta["url_basis"], "a provider URL other than the catalog's must be explained"


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_baseline_metadata_is_complete(path: Path) -> None:
    meta = meta_of(path)
    assert meta["status"] == "shipped baseline"
    assert meta["url"].startswith("https://") and meta["url_basis"].strip()
    archive = meta["archive"]
    assert re.fullmatch(r"[0-9a-f]{40}", archive["commit"])
    assert archive["url"] == github_url(archive)
    assert archive["repository"] in meta["obtained_from"] and archive["commit"] in meta["obtained_from"]
    assert archive["path"] in meta["obtained_from"]
    if meta["version_date"] == "unknown":
        assert meta["version_date_note"].strip(), "an unknown date needs a note saying why"
        assert "version_date_basis" not in meta
    else:
        date.fromisoformat(meta["version_date"])
        assert _QUOTED.search(meta["version_date_basis"]), "the basis quotes the text's own dated line"


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_baseline_is_exactly_the_archived_text_in_the_apps_form(path: Path) -> None:
    meta = meta_of(path)
    archived = archive_fixture(meta["archive"]).read_text(encoding="utf-8")
    assert len(archived) == meta["archive"]["characters"], "the fixture is not the whole archived file"
    text = path.read_text(encoding="utf-8")
    assert text.strip()
    assert text == canonical(archived)
    assert meta["sha256"] == sha256_text(text)


@pytest.mark.parametrize("path", [p for p in SHIPPED if meta_of(p)["version_date"] != "unknown"],
                         ids=[i for p, i in zip(SHIPPED, IDS, strict=True) if meta_of(p)["version_date"] != "unknown"])
def test_baseline_date_is_the_one_the_archived_text_states(path: Path) -> None:
    meta = meta_of(path)
    quoted = _QUOTED.search(meta["version_date_basis"]).group(1)  # type: ignore[union-attr]
    assert quoted in archive_fixture(meta["archive"]).read_text(encoding="utf-8")
    assert stated_date(quoted).isoformat() == meta["version_date"]


def test_unknown_version_date_loads_as_none(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "terms.md").write_text("Some terms.\n", encoding="utf-8")
    (folder / "terms.json").write_text(json.dumps({
        "url": "https://acme.example/terms", "version_date": "unknown", "obtained_from": "a test"}), encoding="utf-8")
    baselines, problems = load_baselines(tmp_path)
    assert problems == []
    assert baselines[("acme", "terms")].version_date is None


WHOLE_PAGES = [p for p in SHIPPED if "archive_scope" in meta_of(p)]


@pytest.mark.parametrize("path", WHOLE_PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in WHOLE_PAGES])
def test_page_chrome_kept_from_the_archive_changes_no_clause_about_ai_or_data(path: Path) -> None:
    """A baseline archived with the page's navigation and footer: when the first live check reads
    the policy alone, no AI or data-use clause may appear to have changed."""
    meta = meta_of(path)
    archived = archive_fixture(meta["archive"]).read_text(encoding="utf-8")
    start, end = meta["policy_span"]
    policy = canonical(archived[archived.index(start):archived.index(end)])
    baseline = path.read_text(encoding="utf-8")
    assert policy.strip() and policy != baseline
    assert not relevant_changes(analyse(baseline, policy))
