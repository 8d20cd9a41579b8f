"""Sharing and consent forms read from the dev misses of those topics (issue 15): a sentence that
names data and shares it is about sharing whatever else it is about (``backoff_beside``); the US
state-law "sales" or "sharing" and the signals that opt out of them; consent as a legal basis, a
parent's consent, consent given in so many words, consents a customer must have to provide data,
controls over how data is used, access taken back, and a pointer that says how to opt out.
Sentences are written from each rule unless a dev pair id is given; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import Rules, load_rules

RULES = load_rules()
SHARING = "third-party-sharing"
CONSENT = "consent-opt-out"


@pytest.mark.parametrize("sentence", [
    # tumblr/terms-of-service/2022-11-15__2022-12-16 (also generated data: geolocation)
    "Tumblr may have to share certain data with TMG, including your username and imprecise geolocation data.",
    "We pass some device identifiers and cookie data to other companies that help us sell.",
    # ...but making users' data public, or sharing it, still is
    "We may make your profile publicly available and share your posts with third parties.",
    # the-trade-desk/privacy-policy/2023-02-17__2023-04-08, reddit/privacy-policy/2025-09-23__2026-01-15
    "You may have the right to opt out of activities that constitute “sales” or “sharing” under state laws.",
    "We honour requests to limit the sharing or sale of personal information.",
    "If you visit our site with an opt-out preference signal enabled, we will treat that as an opt-out request.",
    # mozilla/firefox-privacy-policy/2025-12-18__2026-05-04, miro/privacy-policy/2023-02-22__2023-03-09
    "We use a proxy server operated on our behalf to provide the VPN feature.",
    "Some of these models sit within our product, and some are provided by a third party.",
])
def test_sharing(sentence: str) -> None:
    assert SHARING in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a sharing verb without data, or data without a sharing verb
    "Our geolocation features may be slower on older devices.",
    "Sales and marketing teams work in the same office.",
    "Users may share their screen with other participants.",
    # run by the provider itself, or on behalf of the user
    "The service is operated by our own staff in Dublin.",
    # data the provider gets from public sources (Anthropic 2026, Mistral 2025)
    "Our crawler collects content from web pages that are freely available to anyone browsing the internet.",
    "Our models are trained on data that is publicly available on the Internet by third parties.",
])
def test_not_sharing(sentence: str) -> None:
    assert SHARING not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # roblox/privacy-policy/2024-09-21__2024-11-07
    "The legal basis for the processing is Art. 6 sec. 1 sent. 1 lit. a GDPR (consent).",
    "Our lawful basis for sending product analytics to partners is your consent.",
    # booking/privacy-policy/2026-02-24__2026-03-26
    "If we learn that we processed data about minors without the valid consent of their parent or guardian,"
    " we will delete it.",
    "We will only generate these memories after you give your separate, explicit consent.",
    # amazon/alexa-terms-of-service/2024-10-30__2025-04-01: consent beside payment details
    "With your permission we may share your payment information with the provider to complete the order.",
    # linkedin/terms-of-service/2023-08-08__2025-09-04
    "The customer is responsible for ensuring it has all necessary consents to provide the candidate data to us.",
    # tumblr/privacy-policy/2024-12-24__2025-01-25
    "From this banner you have controls that allow you to customize the way Tumblr uses your data for ads.",
    # lyft/privacy-policy/2022-12-12__2023-12-13, spark-mail/privacy-policy/2026-04-28__2026-05-19
    "You may remove Lyft’s access to your accounts at any time in your account settings.",
    "Alternatively, you may choose to let the app analyze your email data to generate this context.",
    # evernote/privacy-policy/2024-10-21__2025-05-26, miro/privacy-policy/2023-02-22__2023-03-09
    "For more information about personalized ads, including how to opt-out, visit our Cookie Notice.",
    "How the assistant works and how to disable the AI feature is explained in our Help Center.",
])
def test_consent(sentence: str) -> None:
    assert CONSENT in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # card details and billing without consent stay payment terms
    "We charge your credit card on the first day of each billing period.",
    # a legal basis that is not consent
    "The legal basis for this processing is our legitimate interest in keeping the service secure.",
    # a pointer that does not say how to opt out
    "For more information about our products, visit our Help Center.",
    # controls over something that is not a use of data
    "The settings let you customize the way the toolbar looks.",
])
def test_not_consent(sentence: str) -> None:
    assert CONSENT not in sentence_topics(sentence, RULES)


def test_backoff_beside_is_read_only_where_set_and_must_be_a_flag() -> None:
    from pathlib import Path

    from guard.terms.rules import RulesError, parse_rules

    def rules(beside: object) -> Rules:
        return parse_rules({"topic": [
            {"id": "service-generated-data", "patterns": [r"\bcookie data\b"]},
            {"id": "third-party-sharing", "patterns": [r"\bsubprocessors\b"],
             "backoff_patterns": [r"\bpass\w* .{0,40}\bto\b"], "backoff_beside": beside}]}, Path("rules.toml"))

    sentence = "We pass cookie data to our partners."
    assert sentence_topics(sentence, rules(True)) == ("service-generated-data", "third-party-sharing")
    assert sentence_topics(sentence, rules(False)) == ("service-generated-data",)
    with pytest.raises(RulesError, match="backoff_beside"):
        rules("yes")
