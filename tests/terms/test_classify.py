"""The classifier is a pure function: sentences in, topics, severity and a plain-words summary out.
Rules are data (resources/terms/topics.toml); these tests use the shipped rules with plain values."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.catalog.models import ClauseTopic
from guard.terms.analysis import analyse
from guard.terms.classify import Severity, classify, classify_text, sentence_topics
from guard.terms.rules import RulesError, load_rules

RULES = load_rules()


def change(old: str, new: str):  # type: ignore[no-untyped-def]
    (found,) = [c for c in analyse(old, new, RULES) if not c.diff.quiet] or [None]
    return found


@pytest.mark.parametrize(("sentence", "topic"), [
    ("We may use your content to train our artificial intelligence models.", "ai-training"),
    ("Inputs may be used to fine-tune large language models.", "ai-training"),
    ("Sites can use robots.txt to opt out of their content being used to train our generative AI models.",
     "ai-training"),
    ("You grant us a perpetual, worldwide licence to your content.", "content-licence"),
    ("Google won't claim ownership over that content.", "content-licence"),
    ("We collect telemetry and diagnostic data about how you use the app.", "service-generated-data"),
    ("Service Generated Data belongs to us.", "service-generated-data"),
    ("“Your Content” means any text, inputs that you submit in order to generate content, and files.",
     "content-definition"),
    ("We may share your personal data with third parties for advertising.", "third-party-sharing"),
    ("We use subprocessors to deliver the Services.", "third-party-sharing"),
    ("If you are a business, the US State Law Privacy Addendum applies to our processing on your behalf.",
     "third-party-sharing"),
    ("We keep recordings for as long as necessary.", "retention"),
    ("We retain recordings for 90 days, then delete them.", "retention"),
    ("By using the Services, you authorize Zoom to store recordings.", "recording-transcription"),
    ("The host can choose to record meetings and webinars.", "recording-transcription"),
    ("We create a voiceprint to recognise the speaker.", "biometric-voice"),
    ("You can opt out of this use of your data in your settings.", "consent-opt-out"),
    ("We will not do so without your consent.", "consent-opt-out"),
])
def test_each_topic_is_recognised(sentence: str, topic: str) -> None:
    assert topic in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    "You may opt out of arbitration by sending an email within 30 days.",  # arbitration opt-out
    "You may opt out of marketing emails at any time by clicking unsubscribe.",
    "AI services are not substitutes for professional advice.",
    "You may not use the AI services, or data from the AI services, to create, train or improve any AI technology.",
    "Zoom grants you a limited, revocable licence to use the Software.",
    "You may not share an account or host rights with any other individual.",
    "You agree not to disclose your password to any third party.",
    "Seeing AI describes the world around you.",  # a product name with "AI" in it
    "IN NO EVENT WILL ZOOM BE LIABLE FOR ANY LOSS OF DATA SHARED WITH THIRD PARTIES.",
    "Updates to Section 10 to clarify that Zoom does not use audio to train its artificial intelligence models.",
    "Payments are non-refundable.",
])
def test_negative_rules_keep_unrelated_sentences_quiet(sentence: str) -> None:
    assert sentence_topics(sentence, RULES) == ()


def test_keeping_ownership_of_content_is_about_the_licence_not_retention() -> None:
    assert sentence_topics("You retain all ownership rights in your Customer Content.", RULES) == ("content-licence",)


def test_items_of_a_list_the_user_must_not_do_inherit_the_prohibition() -> None:
    lead = "You agree that you will not use the AI services:"
    item = "To create facial recognition databases from biometric data."
    assert "biometric-voice" in sentence_topics(item, RULES)
    assert sentence_topics(item, RULES, lead=lead) == ()


def test_every_topic_of_the_catalog_has_rules_and_a_label() -> None:
    assert set(RULES.order) == {t.value for t in ClauseTopic} - {"other"}
    assert RULES.label("ai-training") == "AI training"


def test_classification_is_pure_and_grades_severity() -> None:
    gone = ("We use telemetry data to improve the Services.",)
    added = ("We use telemetry data to improve the Services and to train our machine learning models.",)
    first, second = classify(gone, added, RULES), classify(gone, added, RULES)
    assert first == second and first.severity is Severity.MATERIAL
    assert first.change.allows == ("train-ai",)
    same_scope = classify(("We collect telemetry data for analytics.",), ("We gather telemetry data for analytics.",),
                          RULES)
    assert same_scope.topics == ("service-generated-data",) and same_scope.severity is Severity.MINOR
    assert classify((), (), RULES, quiet=True, context=("We keep recordings for 30 days.",)).severity \
        is Severity.WORDING


def test_summary_says_what_grew_and_quotes_both_wordings() -> None:
    old = ("10.2 Service Generated Data. Zoom may use Service Generated Data for analytics.")
    new = ("10.2 Service Generated Data. Zoom may use Service Generated Data for analytics and for machine learning "
           "or artificial intelligence, including training of models.")
    found = change(old, new)
    assert found.severity is Severity.MATERIAL and found.topics[0] == "ai-training"
    assert "Section 10.2 now allows training AI on service generated data" in found.summary
    assert "Before: “10.2 Service Generated Data. Zoom may use Service Generated Data for analytics.”" in found.summary
    assert "Now: “10.2 Service Generated Data. Zoom may use Service Generated Data for analytics and for machine " \
           "learning" in found.summary


def test_summary_says_what_was_dropped() -> None:
    old = ("10.4 Content. Zoom will not use audio, video or chat Customer Content to train our models without your "
           "consent.")
    new = "10.4 Content. Zoom does not use audio, video or chat Customer Content to train our models."
    found = change(old, new)
    assert "no longer says “without your consent”" in found.summary
    assert found.severity is Severity.MATERIAL and "consent-opt-out" in found.topics


def test_a_typo_fix_next_to_a_licence_grant_is_not_a_licence_change() -> None:
    old = "10.4 Licence. You grant Zoom a perpetual license to Customer Content. Charges are payed monthly."
    new = "10.4 Licence. You grant Zoom a perpetual license to Customer Content. Charges are paid monthly."
    found = change(old, new)
    assert found.topics == () and found.summary is None and not found.relevant


@pytest.mark.parametrize(("old", "new"), [
    ("9.1 Retention. We'll keep recordings for 30 days.", "9.1 Retention. We will keep recordings for 30 days."),
    ("9.1 Use. Zoom may use data as described in Section 10.2.",
     "9.1 Use. Zoom may use data as described in Section 10.5."),
    ("9.1 Sharing. We may share your data with third parties, like advertisers.",
     "9.1 Sharing. We may share your data with third-parties, such as advertisers."),
    ("9.1 Data. You authorise each Merchant to share information about you with third parties.",
     "9.1 Data. You authorize each Merchant to share information about you with third parties."),
])
def test_contractions_cross_references_punctuation_and_spelling_are_wording_only(old: str, new: str) -> None:
    (found,) = analyse(old, new, RULES)
    assert found.severity is Severity.WORDING and not found.relevant and found.summary is None


def test_a_product_renamed_throughout_is_wording_only() -> None:
    old = ("Generated Content. You may use GrammarlyGO to submit inputs.\n\n"
           "When you use GrammarlyGO, the inputs and outputs are your User Data.\n\n"
           "GrammarlyGO may produce outputs that are similar for other users.")
    new = old.replace("GrammarlyGO", "generative AI features")
    assert [c for c in analyse(old, new, RULES) if c.relevant] == []


def test_a_new_retention_sentence_gets_a_topic() -> None:
    found = change("8. Recordings. Hosts may record meetings.",
                   "8. Recordings. Hosts may record meetings. We keep recordings for as long as necessary.")
    assert "retention" in found.topics and found.relevant
    assert "recording-transcription" in found.topics, "what is kept is the meeting recordings"
    kept = classify_text("We keep recordings for as long as necessary.", RULES)
    assert kept == ("retention", "recording-transcription")


def test_classify_text_reads_every_sentence() -> None:
    assert classify_text("We retain data for 30 days. You may opt out of arbitration.", RULES) == ("retention",)


def test_a_broken_rules_file_is_reported_by_name_and_rule(tmp_path: Path) -> None:
    bad = tmp_path / "topics.toml"
    bad.write_text('[[topic]]\nid = "ai-training"\npatterns = ["(?!lookahead)train"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match=r"topics.toml, topic\[0\].*lookahead"):
        load_rules(bad)
    bad.write_text('[[topic]]\nid = "ai-stuff"\npatterns = []\n', encoding="utf-8")
    with pytest.raises(RulesError, match="ai-stuff"):
        load_rules(bad)
    bad.write_text('[[exclude]]\nid = "x"\npatterns = ["a"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match="exclude"):
        load_rules(bad)


def test_earlier_topic_ids_still_load(tmp_path: Path) -> None:
    old = tmp_path / "topics.toml"
    old.write_text('[[topic]]\nid = "opt-out"\nlabel = "Opt-out"\npatterns = ["opt out"]\n', encoding="utf-8")
    assert load_rules(old).order == ("consent-opt-out",)


@pytest.mark.parametrize(("sentence", "topics"), [
    ("We may also provide information to analytics and measurement partners to measure ads.",
     {"third-party-sharing"}),
    ("We may also receive information about you from advertisers and third-party data providers.",
     {"third-party-sharing"}),
    ("We will not share any mobile data originating from you except with your consent.",
     {"third-party-sharing", "consent-opt-out"}),
    ("We integrate third-party APIs to provide search services, and we will share your input keywords.",
     {"third-party-sharing"}),
    ("We use third party vendors to provide necessary information to respond to your inquiries.",
     {"third-party-sharing"}),
    ("This could include providing law enforcement agencies with Personal Data in urgent situations.",
     {"third-party-sharing"}),
    ("We may also use cookie or similar tracking technologies to analyze trends and track user behavior.",
     {"service-generated-data"}),
    ("Search terms based on your chat may be sent to these search partners to provide a response.",
     {"third-party-sharing"}),
    ("We only transfer your data overseas in accordance with applicable law.", {"third-party-sharing"}),
    ("If the provider appoints a new subcontractor, it shall give the Customer ten business days' notice.",
     {"third-party-sharing"}),
    ("Information we receive from business partners and other companies that we partner with.",
     {"third-party-sharing"}),
    ("Customer has obtained all required consents to grant the rights granted to us in Section 3.2.",
     {"consent-opt-out"}),
    ("We may also make public data available to researchers to assess the safety of our Services.",
     {"third-party-sharing"}),
    ("Most messages sent in the app will be automatically deleted by default from our servers after they are "
     "opened.", {"retention"}),
    ("We also share data with our measurement companies to measure the effectiveness of ad campaigns.",
     {"third-party-sharing"}),
    ("We also get information about your activity outside the app from our affiliates and advertisers.",
     {"third-party-sharing"}),
    ("We may access, preserve, and disclose any information we store if the law requires it.",
     {"third-party-sharing"}),
    ("We will ask your permission before we collect your information from certain apps.", {"consent-opt-out"}),
    ("You can control tailored advertising in your account's privacy settings.", {"consent-opt-out"}),
    ("Personal Data will be retained in accordance with applicable statutory limitation periods.", {"retention"}),
    ("To provide the Platform, we need certain rights from you (called a licence).", {"content-licence"}),
    ("If you post content that you own, you remain the owner, but you allow us to use it to promote our Services.",
     {"content-licence"}),
    ("Laws may require you to obtain proper End User consents, which may be necessary to allow us to access, "
     "use, and share Customer Content.", {"consent-opt-out"}),
])
def test_sharing_tracking_deletion_and_consents_the_customer_must_obtain(sentence: str, topics: set[str]) -> None:
    assert topics <= set(classify_text(sentence, RULES))


def test_consent_to_a_change_of_the_terms_is_not_consent_to_a_use_of_data() -> None:
    text = "In some instances, we may request express confirmation of your consent to a Change."
    assert "consent-opt-out" not in classify_text(text, RULES)


def test_a_row_added_to_a_table_is_read_without_the_rows_around_it() -> None:
    """Archived tables come flattened into one paragraph, rows ending in '| | | |'."""
    old = ("To help us comply with export laws. | | | | | Your telephone number, if you choose to share it | "
           "To help prevent spam. | | | | | Your address | To bill you.")
    new = old.replace("| | | | | Your address", "| | | | | Your device model | To fix crashes. | | | | | Your address")
    assert [c for c in analyse(old, new, RULES) if "consent-opt-out" in c.topics] == [], \
        "the unchanged 'if you choose to share it' row is not part of the change"


def test_naming_the_product_in_a_sentence_is_wording_only() -> None:
    old = "3. Recordings. The host can choose to record Zoom meetings and Webinars."
    new = "3. Recordings. The host can choose to record Zoom meetings and Zoom Video Webinars."
    assert [c for c in analyse(old, new, RULES) if c.relevant] == []


def test_a_promise_in_quotes_is_read_and_is_the_providers_not_the_users() -> None:
    promise = "We do not “sell” or “share” (as defined under the CCPA) personal information."
    assert classify_text(promise, RULES) == ("third-party-sharing",)
    assert classify_text("(a) Do not upload personal data of others to the Services.", RULES) == ()
    found = change("9. Sales.\n\n" + promise, "9. Sales.\n\n" + promise.replace(" or “share”", ""))
    assert found is not None and found.relevant and "third-party-sharing" in found.topics


def test_a_note_about_what_an_update_changed_is_not_a_term() -> None:
    assert classify_text("We also clarified that we do not sell your personal data to advertisers.", RULES) == ()
    assert classify_text("We added more detail about cookies and your privacy choices.", RULES) == ()


@pytest.mark.parametrize("sentence", [
    "If you use our Agents API, we keep your Input and Output until you terminate your account.",
    "Leads identity and contact data: for 3 years from collection.",
    "Your contact data (used for marketing operations): only as long as you are subscribed to our newsletter.",
])
def test_how_long_data_is_kept_is_retention(sentence: str) -> None:
    assert "retention" in classify_text(sentence, RULES)
    assert classify_text("You may use the Services as long as you comply with these Terms.", RULES) == ()


def test_a_stated_purpose_for_using_data_is_about_the_licence_over_it() -> None:
    purpose = "We use this information where necessary to generate output and to personalize output for you."
    assert "content-licence" in classify_text(purpose, RULES)
    assert "content-licence" not in classify_text("For any requests about how we use your personal data, "
                                                  "contact our Data Protection Officer.", RULES)
    assert "service-generated-data" in classify_text("We also use the data to gather analytics.", RULES)
