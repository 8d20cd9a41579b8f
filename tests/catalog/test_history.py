"""Clause history is a pure function of a provider's clauses."""

from __future__ import annotations

from datetime import date

from guard.catalog import Provider, clause_history, unverified_count


def _provider(clauses: list[dict], **extra) -> Provider:
    base = {
        "id": "p", "name": "P", "vendor": "V", "kind": "meeting-client", "homepage": "https://p.example/",
        "documents": [{"id": "terms", "type": "terms-of-service", "title": "T", "url": "https://p.example/t",
                       "checked": "2026-11-23"}],
    }
    return Provider.model_validate({**base, **extra, "clauses": clauses})


def _clause(cid: str, section: str | None, topic: str, start: str, end: str | None = None, verified=True) -> dict:
    return {"id": cid, "document": "terms", "section": section, "topic": topic, "quote": cid,
            "effective_from": start, "effective_to": end, "source": "https://p.example/t",
            "checked": "2026-11-23", "verified": verified}


def test_wordings_of_one_section_form_one_thread_oldest_first():
    provider = _provider([
        _clause("new", "4", "ai-training", "2024-06-01"),
        _clause("other", None, "retention", "2020-01-01"),
        _clause("old", "4", "content-licence", "2023-01-01", "2024-06-01"),
    ])
    threads = clause_history(provider)
    assert [(t.section, t.topic) for t in threads] == [("4", None), (None, "retention")]
    assert [c.id for c in threads[0].clauses] == ["old", "new"]
    assert [c.id for c in threads[0].in_force(date(2024, 6, 1))] == ["new"]
    assert [c.id for c in threads[0].in_force(date(2024, 5, 31))] == ["old"]
    assert threads[1].label == "terms topic retention"


def test_unverified_count_includes_unverified_detection_claims():
    clauses = [_clause("a", "1", "other", "2020-01-01", verified=False)]
    assert unverified_count(_provider(clauses)) == 1
    with_detection = _provider(clauses, detect={"windows": {"processes": ["x.exe"]}, "verified": False})
    assert unverified_count(with_detection) == 2
    source = {"url": "https://src.example/", "checked": "2026-11-23"}
    verified_detection = _provider(clauses, detect={"windows": {"processes": ["x.exe"]}, "verified": True,
                                                    "sources": [source]})
    assert unverified_count(verified_detection) == 1
