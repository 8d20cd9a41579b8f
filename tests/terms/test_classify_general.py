"""Topic and severity rules written from the general pattern of a clause (what it does about
users' data), not from any one provider's wording: each case is a plain sentence of its class.
Rules are data (resources/terms/topics.toml); these tests use the shipped rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import Severity, sentence_topics
from guard.terms.rules import RulesError, load_rules, parse_rules

RULES = load_rules()


def relevant(old: str, new: str):  # type: ignore[no-untyped-def]
    return [c for c in analyse(old, new, RULES) if c.relevant]


# --- what the clause does, not which words it uses ---------------------------------------

@pytest.mark.parametrize(("sentence", "topic"), [
    # using content *to train* is the training topic, not a licence over the content
    ("We will not use your files to train machine learning models.", "content-licence"),
    # the user's own access to content or the service
    ("We may suspend your access to your content if a payment fails.", "content-licence"),
    ("You can view and download files that other members post.", "content-licence"),
    ("Paid plans include more storage space for your content.", "content-licence"),
    # a feature that lets the user keep things is not the provider keeping data
    ("The app lets you save notes and photos on your phone.", "retention"),
    ("You must keep your password secure and up to date.", "retention"),
    ("You agree to hold the company harmless from any claim.", "retention"),
    # links to, and services of, third parties are not the provider sharing data with them
    ("Our site may contain links to third-party websites that we do not control.", "third-party-sharing"),
    ("Some features depend on third-party services.", "third-party-sharing"),
    # the provider reserving a right is not the user's right to object or limit
    ("We reserve the right to limit or cancel any order.", "consent-opt-out"),
    # turning on a feature is not consent to a use of data
    ("If you choose to use the filters feature, your picture is edited on your device.", "consent-opt-out"),
    ("Content moderation decisions you make, and the servers you join, are listed below.", "consent-opt-out"),
])
def test_a_clause_that_only_looks_like_a_topic_is_not_about_it(sentence: str, topic: str) -> None:
    assert topic not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize(("sentence", "topic"), [
    # the negative rules above stand aside when the clause does grant or state the use
    ("You grant us a licence to use your files to train our models.", "content-licence"),
    ("You grant us a licence to use your files to train our models.", "ai-training"),
    ("If you exceed your storage space, we may access your content to move it.", "content-licence"),
    ("The app lets you save notes, and we keep them for 30 days after you delete them.", "retention"),
    ("Third-party services you connect may access your data.", "third-party-sharing"),
    ("We may share your information with third-party websites you link to your account.", "third-party-sharing"),
    # rights and choices over a use of data, however they are worded
    ("You have the right to object to our processing of your personal data.", "consent-opt-out"),
    ("You can withdraw your consent at any time.", "consent-opt-out"),
    ("Visit Your Privacy Choices to stop the sale of your data.", "consent-opt-out"),
    ("You can disable personalised recommendations in your account settings.", "consent-opt-out"),
    ("You can choose whether we use your messages to improve the service.", "consent-opt-out"),
    ("By using the Services, you agree to the collection of usage information.", "consent-opt-out"),
    # data the service records about its own use
    ("We automatically collect your IP address and device identifiers.", "service-generated-data"),
    ("The app sends crash reports and log files to us.", "service-generated-data"),
    ("We draw inferences about you from the pages you visit.", "service-generated-data"),
    # disclosures in business transfers and legal process
    ("If we are involved in a merger or acquisition, your information may be transferred to the buyer.",
     "third-party-sharing"),
    ("We may provide data in response to a subpoena or court order.", "third-party-sharing"),
])
def test_a_clause_that_states_the_use_keeps_its_topic(sentence: str, topic: str) -> None:
    assert topic in sentence_topics(sentence, RULES)


# --- negative rules with exceptions, as data ----------------------------------------------

def test_a_negative_rule_stands_aside_when_its_unless_pattern_matches() -> None:
    rules = parse_rules({
        "topic": [{"id": "retention", "patterns": [r"\bkeep\b"]}],
        "exclude": [{"id": "duty", "topics": ["retention"], "patterns": [r"\bpassword\b"],
                     "unless": [r"\bdays\b"]}],
    }, Path("rules.toml"))
    assert sentence_topics("Keep your password safe.", rules) == ()
    assert sentence_topics("We keep your password hash for 30 days.", rules) == ("retention",)


def test_a_broken_unless_pattern_is_reported_by_rule() -> None:
    with pytest.raises(RulesError, match=r"exclude\[0\] \(duty\) unless"):
        parse_rules({"topic": [{"id": "retention", "patterns": [r"\bkeep\b"]}],
                     "exclude": [{"id": "duty", "topics": ["retention"], "patterns": ["x"], "unless": ["(?<=a)b"]}]},
                    Path("rules.toml"))


def test_every_shipped_negative_rule_says_what_it_stops() -> None:
    assert all(rule.why.strip() for rule in RULES.excludes)


# --- wording and severity -----------------------------------------------------------------

def test_renaming_only_the_defined_term_is_wording_only() -> None:
    old = "“Your Data” means the billing details you give us to run the Agreement."
    new = "“Account Data” means the billing details you give us to run this Agreement."
    assert relevant(old, new) == []


def test_changing_what_a_definition_covers_is_material() -> None:
    old = "“Your Data” means the billing details you give us."
    new = "“Your Data” means the billing details and the messages you give us."
    (found,) = relevant(old, new)
    assert "content-definition" in found.topics and found.severity is Severity.MATERIAL


def test_a_new_clause_that_starts_collecting_data_is_material() -> None:
    (found,) = relevant("We run the service.",
                        "We run the service.\n\nWe collect usage data about the features you use.")
    assert "service-generated-data" in found.topics and found.severity is Severity.MATERIAL


def test_a_new_clause_that_provides_data_to_partners_is_material() -> None:
    (found,) = relevant("We run the service.",
                        "We run the service.\n\nWe provide information about your visits to our measurement partners.")
    assert "third-party-sharing" in found.topics and found.severity is Severity.MATERIAL


# --- list items read with what introduces them -------------------------------------------

def test_an_item_of_a_list_of_purposes_is_a_stated_use_of_data() -> None:
    old = ("We use your personal data for the following purposes.\n\n- To send you receipts.\n\n"
           "- To answer your questions.")
    new = ("We use your personal data for the following purposes.\n\n- To send you receipts.\n\n"
           "- To answer your questions and to send you offers from our partners.")
    (found,) = relevant(old, new)
    assert "content-licence" in found.topics


def test_an_item_of_a_list_of_recipients_is_about_sharing() -> None:
    lead = "We may share your information with the following recipients."
    assert "third-party-sharing" in sentence_topics("Payment and delivery companies.", RULES, lead)
    assert sentence_topics("Payment and delivery companies.", RULES) == ()


def test_an_item_under_an_unrelated_paragraph_gets_no_topic_from_it() -> None:
    old = "Our offices are open on weekdays.\n\n- Monday to Friday.\n\n- Nine to five."
    new = "Our offices are open on weekdays.\n\n- Monday to Friday.\n\n- Nine to six."
    assert relevant(old, new) == []


@pytest.mark.parametrize("lead, item", [
    ("4.6. Except as explicitly authorized by us, you agree not to:",
     "(viii) use the service for the fine-tuning or training of any machine learning model."),
    ("You may not use any automated system, including any scraper, for:",
     "2.  Developing, building or training any generative AI or machine learning model."),
    ("#### 3. Without prior written consent from us, you also aren't allowed to:",
     "- Use any content in the Services to develop or train artificial intelligence models."),
])
def test_a_ban_on_users_training_ai_is_not_training_even_when_items_sit_beside_their_lead(lead: str,
                                                                                          item: str) -> None:
    # Netflix 4.6, Stack Exchange's acceptable use policy and Coursera's terms (2023-2025) add such items
    old = f"{lead}\n\n(i) copy the service; or\n\nNext paragraph."
    new = f"{lead}\n\n(i) copy the service; or\n\n{item}\n\nNext paragraph."
    assert relevant(old, new) == []


def test_the_paragraph_before_a_list_is_its_lead_and_a_heading_is_not() -> None:
    from guard.terms.diff import split_clauses

    clauses = split_clauses("## How we use data\n\n- To run the service.\n\nWe use data as follows.\n\n- To bill you.")
    assert [c.lead for c in clauses] == [None, None, None, "We use data as follows."]


# --- periods, parts of long sentences, stated purposes -----------------------------------

def test_a_changed_period_is_not_a_date_and_is_material() -> None:
    from guard.terms.wording import is_date_only

    old = "If you do not sign in for 6 months, we delete your account and your messages."
    new = "If you do not sign in for 24 months, we delete your account and your messages."
    assert not is_date_only(old, new)
    assert is_date_only("Effective 3 March 2024.", "Effective 9 April 2025.")
    (found,) = relevant(old, new)
    assert "retention" in found.topics and found.severity is Severity.MATERIAL


@pytest.mark.parametrize(("old", "new"), [
    # a number with no unit is an amount, not a day of the month
    ("We may share your meeting recordings with up to 3 partners.",
     "We may share your meeting recordings with up to 300 partners."),
    # a date the clause sets (how long, from when) is part of what it allows
    ("We retain transcripts until 31 December 2024.", "We retain transcripts until 31 December 2099."),
    ("We use content collected before 2024 to train our AI models.",
     "We use content collected before 2020 to train our AI models."),
    # an exception that now points at five sections is wider, not renumbered
    ("We do not use your content to train AI models, except as set out in Section 4.",
     "We do not use your content to train AI models, except as set out in Sections 4, 5, 6, 7 and 8."),
])
def test_a_changed_amount_date_or_exception_the_clause_sets_is_told(old: str, new: str) -> None:
    from guard.terms.wording import is_date_only

    assert not is_date_only(old, new)
    (found,) = relevant(old, new)
    assert found.severity is not Severity.WORDING


@pytest.mark.parametrize(("old", "new"), [
    ("Effective Date: March 31, 2023", "Effective Date: August 11, 2023"),
    ("Last updated on 1 May 2024. We do not use your content to train AI models.",
     "Last updated on 9 June 2025. We do not use your content to train AI models."),
    ("31 March 2023", "11 August 2023"),
])
def test_the_documents_own_date_is_date_only(old: str, new: str) -> None:
    from guard.terms.wording import is_date_only

    assert is_date_only(old, new)
    assert relevant(old, new) == []


def test_a_renumbered_list_of_sections_is_wording_only() -> None:
    old = "We do not use your content to train AI models, except as set out in Sections 4 and 5."
    new = "We do not use your content to train AI models, except as set out in Sections 6 and 7."
    assert relevant(old, new) == []


def test_an_enumerated_part_of_a_sentence_is_read_with_its_start() -> None:
    old = ("We may disclose your personal information to third parties when it is necessary to (1) comply with "
           "the law; (2) protect our users.")
    new = ("We may disclose your personal information to third parties when it is necessary to (1) comply with "
           "the law; (2) protect our users and the users of our partners.")
    (found,) = relevant(old, new)
    assert "third-party-sharing" in found.topics


@pytest.mark.parametrize(("sentence", "topic"), [
    ("We do not use the contents of your private messages to show you ads.", "content-licence"),
    ("Acme will use Workspace Data to provide and improve the Services.", "content-licence"),
    ("We may combine information across the services you use.", "content-licence"),
    ("Other features that use your data include team insights.", "content-licence"),
    ("This includes the photos, audio and files you share in conversations.", "content-definition"),
    # a collection statement, read by what it collects (corpus guideline 16), not a definition
    ("Categories of personal data we collect: identifiers and usage data.", "service-generated-data"),
    ("We get data when you visit sites that show our ads.", "service-generated-data"),
    ("Your messages are temporarily stored on our servers until delivered.", "retention"),
    ("We may preserve your posts and account data to comply with the law.", "retention"),
    ("We ask you to undergo a facial scan that runs on your device.", "biometric-voice"),
    ("We have not sold or shared personal information in the past year.", "third-party-sharing"),
    ("A payment service provider may separately collect information about you.", "third-party-sharing"),
    ("We give you choices about who can see when you viewed a page.", "consent-opt-out"),
])
def test_general_forms_of_data_use_get_their_topic(sentence: str, topic: str) -> None:
    assert topic in sentence_topics(sentence, RULES)


@pytest.mark.parametrize(("sentence", "topic"), [
    ("We process personal data pursuant to our Privacy Statement.", "content-licence"),
    ("Updates to How We Use Personal Data to clarify the wording.", "content-licence"),
    ("We may receive information about your engagement with our ads.", "content-definition"),
])
def test_stated_uses_need_a_purpose_and_notes_are_not_terms(sentence: str, topic: str) -> None:
    assert topic not in sentence_topics(sentence, RULES)


def test_a_sentence_with_no_topic_of_its_own_is_read_as_its_sections() -> None:
    old = "## How we use your information\n\n- To answer support requests.\n\n## Contact\n\n- Write to us."
    new = ("## How we use your information\n\n- To answer support requests and to send you offers.\n\n"
           "## Contact\n\n- Write to us by post.")
    changes = relevant(old, new)
    assert [c.topics for c in changes] == [("content-licence",)]


def test_a_heading_does_not_pass_on_a_negative_rule() -> None:
    sentence = "We share your personal data with advertising partners."
    assert "third-party-sharing" in sentence_topics(sentence, RULES, heading="Do not sell or share my data")


def test_a_pointer_to_the_privacy_policy_states_no_use_itself() -> None:
    pointer = "To learn more about how the company collects, uses and shares personal data, see its Privacy Policy."
    assert sentence_topics(pointer, RULES) == ()
    stated = "We share your personal data with advertising partners, as described in our Privacy Policy."
    assert "third-party-sharing" in sentence_topics(stated, RULES)


def test_third_parties_far_from_any_use_of_data_are_not_sharing() -> None:
    sentence = ("Our models learn from text published online by third parties, and like them we apply filters "
                "before anything reaches the data sets.")
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)


def test_dropping_a_parenthetical_example_is_wording_only_but_rewording_one_is_not() -> None:
    old = "“Your Content” means your prompts and files, but not content we own (like our stock photos, for example)."
    new = "“Your Content” means your prompts and files, but not content we own."
    assert relevant(old, new) == []
    old = "We process your content to provide the services (for example, spelling suggestions)."
    new = "We process your content to provide the services (for example, spelling suggestions and AI training)."
    assert relevant(old, new)


def test_a_pointer_whose_relative_clause_names_a_use_is_still_a_pointer() -> None:
    sentence = "For more information on your rights over the data we use to train our models, please read our FAQs."
    assert sentence_topics(sentence, RULES) == ()


def test_a_use_of_generated_data_is_not_a_licence_over_content() -> None:
    sentence = "We may use location information and data about the ads you interact with to improve our ads."
    topics = sentence_topics(sentence, RULES)
    assert "service-generated-data" in topics and "content-licence" not in topics
    assert "content-licence" in sentence_topics("We may use the contents of your messages to improve our ads.", RULES)


def test_analysing_how_a_service_is_used_is_usage_data() -> None:
    assert "service-generated-data" in sentence_topics(
        "We process partner data to analyze how our business services are used.", RULES)


def test_a_table_of_what_data_is_used_for_is_read_as_stated_uses() -> None:
    assert "content-licence" in sentence_topics("To enhance your notes.", RULES,
                                                heading="What we use your information for")


@pytest.mark.parametrize(("sentence", "topic"), [
    ("Each party will preserve as confidential the other party's business plans.", "retention"),
    ("You retain the ability to choose whether to give us your phone number.", "retention"),
    ("You are not authorized to use the voice tools to clone voices without explicit consent.", "consent-opt-out"),
    ("You can turn off voice purchasing in your account settings.", "consent-opt-out"),
])
def test_duties_rights_and_purchases_that_only_look_like_a_topic(sentence: str, topic: str) -> None:
    assert topic not in sentence_topics(sentence, RULES)


def test_choosing_whether_to_provide_data_is_consent_not_retention() -> None:
    topics = sentence_topics("You retain the ability to choose whether or not to provide your location to us.", RULES)
    assert "consent-opt-out" in topics and "retention" not in topics
