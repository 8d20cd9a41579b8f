"""Open Terms Archive declarations: read what is supported, report clearly what is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guard.terms.declarations import load_declaration, load_declarations_dir, parse_declaration
from guard.terms.errors import DeclarationError
from guard.terms.fetch import FetchPolicy
from guard.terms.models import RangeSelector, SelectMode
from guard.terms.store import TermsStore
from guard.terms.watcher import TermsWatcher
from tests.terms.support.pages import FIXTURES
from tests.terms.support.server import TermsServer, page


def test_the_archives_zoom_declaration_is_read() -> None:
    declaration = load_declaration(FIXTURES / "ota" / "Zoom.json")
    assert declaration.provider_id == "zoom"
    terms, privacy = declaration.documents
    assert (terms.document_id, terms.url, terms.select) == ("terms-of-service", "https://zoom.us/terms", ("main",))
    assert (privacy.document_id, privacy.select, privacy.remove) == (
        "privacy-policy", (".main-DefaultTemplate",), (".category",))
    assert terms.select_mode is SelectMode.ALL and terms.origin == "ota-declaration"
    assert any("JavaScript" in note for note in terms.notes)
    assert any("Terms of Service" in p and "scripts" in p for p in declaration.problems)


def test_strings_lists_and_ranges_are_supported() -> None:
    declaration = parse_declaration({"name": "Acme", "terms": {
        "Privacy Policy": {"fetch": "https://acme.example/privacy", "select": "#policy",
                           "remove": [".ads", {"startBefore": "#promo", "endAfter": "#promo-end"}]},
        "Terms of Service": {"fetch": "https://acme.example/terms",
                             "select": [{"startAfter": "h1", "endBefore": "footer"}, "#annex"]},
    }})
    privacy, terms = declaration.documents
    assert privacy.select == ("#policy",)
    assert privacy.remove == (".ads", RangeSelector(start_before="#promo", end_after="#promo-end"))
    assert terms.select == (RangeSelector(start_after="h1", end_before="footer"), "#annex")
    assert declaration.problems == []


def test_unsupported_parts_are_reported_not_ignored() -> None:
    declaration = parse_declaration({"name": "Acme", "documents": {
        "Terms of Service": {"fetch": "https://acme.example/terms", "select": "main", "filter": ["removeDates"]},
        "Community Guidelines": {"combine": [{"fetch": "https://acme.example/a"}, {"fetch": "https://acme.example/b"}]},
        "Cookie Policy": {"fetch": "https://acme.example/cookies", "select": {"startBefore": "a", "startAfter": "b",
                                                                              "endBefore": "c"}},
    }})
    assert [d.document_id for d in declaration.documents] == ["terms-of-service"]
    text = " ".join(declaration.problems)
    assert "removeDates" in text and "not applied" in text
    assert "Community Guidelines" in text and "combine" in text
    assert "Cookie Policy" in text and "exactly one of startBefore/startAfter" in text


def test_a_declaration_with_nothing_usable_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DeclarationError, match="'name'"):
        parse_declaration({"terms": {}})
    with pytest.raises(DeclarationError, match="no document can be watched"):
        parse_declaration({"name": "X", "terms": {"Terms": {"select": "main"}}})
    broken = tmp_path / "Broken.json"
    broken.write_text('{"name": "X",\n "terms": }', encoding="utf-8")
    with pytest.raises(DeclarationError, match=r"Broken.json is not valid JSON \(line 2"):
        load_declaration(broken)


def test_a_folder_of_declarations_skips_history_files_and_reports_broken_ones(tmp_path: Path) -> None:
    (tmp_path / "Zoom.json").write_text((FIXTURES / "ota" / "Zoom.json").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "Zoom.history.json").write_text("{}", encoding="utf-8")
    (tmp_path / "Bad.json").write_text("[]", encoding="utf-8")
    declarations, problems = load_declarations_dir(tmp_path)
    assert [d.name for d in declarations] == ["Zoom"]
    assert any("Bad.json" in p for p in problems)


def test_a_declared_document_is_watched_with_its_range_and_remove_selectors(tmp_path: Path) -> None:
    html = ("<html><body><nav>Menu</nav><h1>Acme terms</h1><p>Intro</p><div id='start'></div>"
            "<p>1. We may use your content to train AI models.</p><div class='ads'>Buy now</div>"
            "<p>2. You can opt out in settings.</p><footer>Contact</footer></body></html>")
    with TermsServer() as server:
        server.routes["/terms"] = page(html)
        spec = {"name": "Acme", "terms": {"Terms of Service": {
            "fetch": server.url("/terms"), "select": [{"startAfter": "#start", "endBefore": "footer"}],
            "remove": ".ads"}}}
        path = tmp_path / "Acme.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        declaration = load_declaration(path)
        store = TermsStore(tmp_path / "store", {}, [])
        watch = TermsWatcher(store, declaration.documents, network_enabled=True,
                             policy=FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0))
        watch.check_now()
        version = store.current("acme", "terms-of-service")
        assert store.get_text(version.sha256) == (
            "\\1. We may use your content to train AI models.\n\n\\2. You can opt out in settings.\n")
