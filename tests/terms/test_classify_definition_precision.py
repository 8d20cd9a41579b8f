"""What counts as the user's content or data (content-definition), read from every dev false alarm
of the topic (issue 15): "This includes ..." that goes on with an act, recipients, situations or
laws; defined terms for laws, contract clauses and countries; "X means that ..." explanations. A
sentence whose every pattern topic is ruled out is still read by its verb (the backoff), and data
disclosed as the law requires is sharing. Sentences are written from each rule; the shipped rules
are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
DEFINITION = "content-definition"


@pytest.mark.parametrize("sentence", [
    # an act, not kinds of data (DeepSeek 2026, Google's Meet policy 2025, Miro 2023, Zoom 2022)
    "This could include providing emergency services with personal data in urgent situations.",
    "This includes soliciting or collecting sensitive data such as passwords and card numbers.",
    "This includes the use of account data to support delivery of the services.",
    "This may also include using personal data for customer support, such as accessing files and messages.",
    # recipients, situations or laws (Automattic, Tumblr, Viber, Spotify)
    "This includes vendors that help us provide our services, such as payment providers that process card data.",
    "This includes third parties you provide with information about yourself.",
    "This may include situations where using your data is necessary to meet our legal obligations.",
    "These may include mandatory data retention laws or orders to preserve data.",
    # a law, contract clauses or a country defined (Perplexity's and Meta's DPAs)
    "“Privacy Laws” means any law which relates to data protection or the use of Personal Data.",
    "b. “Processor to Processor Clauses” means the standard contractual clauses for the transfer of personal data.",
    "“Third Country” means any country outside the EEA not approved as protecting Personal Data adequately.",
    "“Data Protection Requirements” means all Applicable Law related to the Processing of Personal Data.",
    # what follows from something, not a definition (Zoom 2022, Overleaf 2026)
    "End-to-end encryption means that we cannot access message content, including attachments.",
    "Whilst this means that there is no fixed limit on your use of the features, fair use applies to your data.",
])
def test_not_a_definition_of_the_users_data(sentence: str) -> None:
    assert DEFINITION not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # kinds of data after "This includes" (Booking 2026, Wire 2023, Viber 2026) stay definitions
    "This can include personal settings, travel preferences, uploaded photos and your reviews.",
    "This includes the files, images, audio, video, and location you decide to share in conversations.",
    "This may include information that could be considered sensitive, if you choose to provide it.",
    "This includes information we receive from third parties, such as your name and photo.",
    # a defined term for data, whatever it is called
    "“Customer Data” means all information you upload to the services.",
    "“Interaction Records” means the recordings and messages of your sessions.",
])
def test_still_a_definition(sentence: str) -> None:
    assert DEFINITION in sentence_topics(sentence, RULES)


def test_a_ruled_out_sentence_is_read_by_its_verb() -> None:
    # Miro 2023: not a definition, but it states that usage is analysed and monitored
    sentence = ("This includes the use of account data to support delivery of the services, including to analyze "
                "and monitor usage, trends and other activities.")
    assert sentence_topics(sentence, RULES) == ("service-generated-data",)


@pytest.mark.parametrize(("sentence", "expected"), [
    # Flickr 2025: the users' data handed over as the law requires
    ("This may include providing user information, content, and other data as required by law or regulation.", True),
    ("We may release your personal information to comply with a subpoena or court order.", True),
    ("We may produce member records in response to lawful requests by public authorities.", True),
    # a duty of the user, not a disclosure of users' data (Mistral 2026)
    ("You must disclose AI-generated content made with the audio product where required by applicable law.", False),
])
def test_a_disclosure_the_law_requires_is_sharing(sentence: str, expected: bool) -> None:
    assert ("third-party-sharing" in sentence_topics(sentence, RULES)) is expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # the cookies are only what the person declines or manages (Booking 2026, Zoom 2021-2023)
    ("Where required, we offer you the option to decline analytical and marketing cookies.", False),
    ("You can withdraw your consent at any time by visiting our cookie management tool.", False),
    ("Please review our Privacy Policy and Cookies Policy before you use the app.", False),
    # ...but a sentence that says what cookies collect or recognise is about generated data
    ("You can decline cookies, which we use to recognize your browser and record the pages you visit.", True),
    ("We use cookies to measure how people use the site.", True),
])
def test_a_cookie_choice_is_not_generated_data(sentence: str, expected: bool) -> None:
    assert ("service-generated-data" in sentence_topics(sentence, RULES)) is expected
