"""The leave-one-provider-out comparison reads the accuracy benchmark's --details lines with or
without their error-class prefix (--classes): both count the same errors per provider."""

from __future__ import annotations

from tests.bench.bench_terms_rule_lopo import errors_by_provider

PLAIN = {
    "missed": ["acme/privacy-policy/2025-01-01__2025-02-01 [changed material ['retention']] got [] 2: We keep ..."],
    "false_positives": ["acme/privacy-policy/2025-01-01__2025-02-01 [changed minor ['retention']] 3: We may ..."],
    "extra_topics": [],
}
CLASSED = {
    "missed": ["(c-no-topic) " + PLAIN["missed"][0]],
    "false_positives": ["(c-label-without-topic-or-wording) " + PLAIN["false_positives"][0]],
    "extra_topics": [],
}


def test_errors_are_counted_with_or_without_the_class_prefix() -> None:
    assert errors_by_provider(PLAIN) == {"acme": 2}
    assert errors_by_provider(CLASSED) == {"acme": 2}
