"""The words of the letters, in the user's language: every sentence is a gettext message
(English is the source; translations in ``resources/locale/<lang>/LC_MESSAGES/meeting-guard.po``)
and the GDPR is cited as each language's official text names it (``resources/export/gdpr.toml``).
Pure: a language in, text out."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache
from typing import Any

from guard.i18n import N_, Nn_, Translation, translation
from guard.export.summary import when_text
from guard.paths import resources_dir

KINDS = ("withdrawal", "objection", "access")
ARTICLE = {"withdrawal": (7, 3), "objection": (21, 1), "access": (15, None)}  # (article, paragraph)

SUBJECT = {
    "withdrawal": N_("Withdrawal of consent ({reference}): {service}"),
    "objection": N_("Objection to the processing of my personal data for AI training ({reference}): {service}"),
    "access": N_("Access request: use of my personal data to train or tune AI models ({reference}): {service}"),
}
LEGAL_BASIS = N_("Legal basis: {reference}, Regulation (EU) 2016/679 ({regulation}), Article {article} “{title}”")

BODY = {
    "withdrawal": N_(
        "Dear Sir or Madam,\n\n"
        "I hereby withdraw my consent to the processing of my personal data by {service}, under Article 7(3) of "
        "the General Data Protection Regulation (GDPR). This concerns the decision(s) below, as recorded in my own "
        "consent ledger:\n\n"
        "{records}\n\n"
        "From now on, please stop all processing of my personal data that relies on this consent, including the "
        "recording, transcription, summarising or analysis of my voice, image and words in meetings, and any use "
        "of them to train, fine-tune or evaluate AI models. Where consent was the only legal basis, please erase "
        "the personal data concerned without undue delay (Article 17(1)(b) GDPR).\n\n"
        "Please confirm in writing, without undue delay and in any event within one month of receiving this letter "
        "(Article 12(3) GDPR), that my consent has been withdrawn and what has been done with the data."),
    "objection": N_(
        "Dear Sir or Madam,\n\n"
        "Under Article 21(1) of the General Data Protection Regulation (GDPR), I object to the processing of my "
        "personal data by {service} for training, fine-tuning, evaluating or otherwise developing "
        "artificial-intelligence or machine-learning models. This includes recordings, transcripts, summaries, "
        "chat messages and any other content or data from meetings in which I took part, such as those below, as "
        "recorded in my own consent ledger:\n\n"
        "{records}\n\n"
        "As far as this processing relies on your legitimate interests or on a task carried out in the public "
        "interest (Article 6(1)(f) or (e) GDPR), you may no longer process my personal data for these purposes "
        "unless you demonstrate compelling legitimate grounds that override my interests, rights and freedoms "
        "(Article 21(1) GDPR). Where the processing relies on my consent, please treat this letter also as the "
        "withdrawal of that consent (Article 7(3) GDPR).\n\n"
        "Please confirm, without undue delay and in any event within one month of receiving this letter (Article "
        "12(3) GDPR), that my personal data is no longer used for these purposes, and tell me whether any model "
        "has already been trained or tuned with it."),
    "access": N_(
        "Dear Sir or Madam,\n\n"
        "Under Article 15 of the General Data Protection Regulation (GDPR), I request access to the personal data "
        "about me that {service} processes, and in particular the following information about its use for "
        "artificial intelligence:\n\n"
        "1. whether you process personal data about me from meetings, such as those below (audio, video, "
        "transcripts, chat messages, summaries, metadata), and a copy of that data (Article 15(1) and 15(3) GDPR);\n"
        "2. whether any of this data was used to train, fine-tune, evaluate or otherwise improve AI or "
        "machine-learning models; if so, which models or features, which data, and when;\n"
        "3. the purposes of that processing (Article 15(1)(a) GDPR);\n"
        "4. the recipients or categories of recipients of the data, including providers of AI models and other "
        "processors (Article 15(1)(c) GDPR);\n"
        "5. how long the data, and anything derived from it, will be kept (Article 15(1)(d) GDPR);\n"
        "6. where the data came from, where it was not collected from me (Article 15(1)(g) GDPR);\n"
        "7. whether automated decision-making, including profiling, is involved, and if so meaningful information "
        "about the logic involved (Article 15(1)(h) GDPR).\n\n"
        "The meetings and decisions I have recorded in my own consent ledger:\n\n"
        "{records}\n\n"
        "Please answer without undue delay and in any event within one month of receiving this request (Article "
        "12(3) GDPR)."),
}

DECISION = {"given": N_("consent given"), "refused": N_("consent refused"), "withdrawn": N_("consent withdrawn"),
            "left-meeting": N_("left the meeting"), "notice-only": N_("only saw a notice")}
WORDS = {
    "record_line": N_("- {decision} on {when} (record {id})"),
    "status_now": N_("  Status now: {status}"),
    "then_withdrawn": N_("then withdrawn"),
    "corrected_to": N_("corrected to: {decision}"),
    "meeting": N_("  Meeting: {meeting}"),
    "quoted": N_("“{text}”"),  # a meeting's title, in the language's quotation marks („…“, « … »)
    "service_feature": N_("{label}: {value}"),  # "Zoom: Meeting summary" (French: "Zoom : …")
    "organised_by": N_("organised by {organiser}"),
    "feature": N_("  Feature: {feature}"),
    "purposes": N_("  Purposes: {purposes}"),
    "terms": N_("  Terms in force: {terms}"),
    "terms_none": N_("  Terms in force: not recorded"),
    "terms_version": N_("{document}, version sha256:{sha256}"),
    "terms_inferred": N_("(not recorded with the decision: the newest version this app knew of by then, first seen "
                         "or dated {seen})"),
    "none": N_("- (no decision about {provider} is recorded in my ledger; this letter concerns all processing "
               "described above)"),
    "contact": N_("Privacy / data protection contact"),
    "email": N_("E-mail: {email}"),
    "form": N_("Web form: {url}"),
    "dpo": N_("Data protection officer: {dpo}"),
    "account": N_("Account or e-mail address I use with {provider}: {account}"),
    "subject": N_("Subject: {subject}"),
    "closing": N_("Yours faithfully,"),
    "fill_in": N_("[FILL IN: {what}]"),
    "fill_name": N_("your full name"),
    "fill_address": N_("your postal or e-mail address"),
    "fill_account": N_("the e-mail address or account name you use with {provider} (so they can find your data)"),
    "fill_signature": N_("your name and signature"),
    "fill_controller": N_("the controller's legal name, not in the catalog; {look_up}"),
    "fill_postal": N_("postal address, not in the catalog; {look_up}"),
    "fill_email": N_("privacy e-mail address, not in the catalog; {look_up}"),
    "look_up": N_("see the privacy statement"),
    "look_up_at": N_("see the privacy statement at {url}"),
    "no_controller": N_("{provider} is software that its users run themselves (on their own server, on their "
                        "computers or peer to peer): no company holds your meeting data for it, so this letter cannot "
                        "go to \"the provider\". Send it to {who}."),
    "who_server-operator": N_("the operator of the {provider} server you used (your organisation, or whoever runs "
                              "it)"),
    "who_account-provider": N_("the provider of the account you used in {provider} (your SIP or XMPP service, or "
                               "your organisation)"),
    # Said on stderr by `meeting-guard letter` beside the letter, in its language (as the lines around it).
    "warn_not_in_force": N_("Record {id} is “{status}”: no consent recorded there is in force to withdraw."),
    "warn_none_in_force": N_("No consent to {provider} is in force in your ledger; the letter withdraws any consent "
                             "in general terms."),
    "warn_not_in_catalog": N_("Provider “{provider}” is not in the catalog: its privacy contact must be filled in by "
                              "hand."),
    "who_meeting-host": N_("the organisation or person that hosted the meeting"),
    "who_participant": N_("the participant who recorded or transcribed the meeting"),
    "who_or": N_(" or "),
    "fill_who": N_("{who}: name and postal address"),
    "fill_who_email": N_("their privacy or data-protection e-mail address"),
    "fill_host_postal": N_("the organisation's postal address"),
    "unconfirmed": N_("The recipient's details come from a source the catalog could not confirm as {provider}'s own "
                      "privacy policy: check them there before you send the letter."),
    "processor_notice": N_("{provider}'s own terms say that it processes meeting content on behalf of the "
                           "organisations that use it (for example an employer's business account, or a note-taker "
                           "that a meeting's host invited). For such a meeting, {provider} may be only that "
                           "organisation's processor and may answer that you should ask the organisation, which is "
                           "the controller. This letter asks {provider} to forward it and to name the organisation; "
                           "you can also write a second letter to the organisation itself."),
    "processor_unconfirmed": N_("The catalog read this only in a copy it could not confirm as {provider}'s own "
                                "text."),
    "processor_forward": N_("If you process this personal data on behalf of the organisation that hosted or recorded "
                            "the meeting (as its processor, Article 28 GDPR), please forward this letter to that "
                            "organisation without delay and tell me its name and contact details: you must assist it "
                            "in answering requests like this one (Article 28(3)(e) GDPR)."),
    "host_controller": N_("I am writing to you because you hosted or recorded the meetings listed above using "
                          "{provider}. As the organisation that decides why and how personal data from these meetings "
                          "is processed, you are its controller (Article 4(7) GDPR); where {provider} processes it for "
                          "you, it does so as your processor (Article 28 GDPR)."),
    "host_processors": N_("Please also tell me the name and contact details of every processor that processes this "
                          "personal data for you, including {provider} and any service that recorded, transcribed or "
                          "summarised the meetings (Article 15(1)(c) GDPR), and pass this request on to them where "
                          "it concerns data they hold for you."),
    "ended": N_("{provider} ended on {date}."),
    "ended_successor": N_("Its users were moved to {successor}."),
    "ended_contact": N_("The letter is addressed to {controller}, which the catalog's sources name as answering "
                        "for the service's data now."),
    "ended_unknown": N_("The catalog knows no privacy contact that answers for it now: fill in the recipient from "
                        "the privacy statement of the company that ran it or took it over."),
}
OLDER = Nn_("- and {count} earlier record of my decisions about {provider}",
            "- and {count} earlier records of my decisions about {provider}")  # the language's plural forms


@cache
def gdpr() -> dict[str, Any]:
    """How each language cites the GDPR (resources/export/gdpr.toml)."""
    with (resources_dir() / "export" / "gdpr.toml").open("rb") as handle:
        return tomllib.load(handle)


class Wording:
    """The letter's words in one language."""

    def __init__(self, language: str) -> None:
        self.t: Translation = translation(language)
        self.language = self.t.language
        self.gdpr = gdpr()[self.language]

    def _(self, message: str, **values: str) -> str:
        text = self.t.gettext(message)
        if not values:
            return text
        # One pass, not str.format nor one replace per value: values are user text and may hold
        # braces, even another placeholder's name ("{records}" in a meeting's title).
        fields = re.compile("|".join(re.escape("{" + key + "}") for key in values))
        return fields.sub(lambda found: values[found.group(0)[1:-1]], text)

    def reference(self, kind: str) -> str:
        """The article a letter rests on, as this language cites it (``Art. 7 Abs. 3 DSGVO``)."""
        article, paragraph = ARTICLE[kind]
        form: str = self.gdpr["reference"] if paragraph else self.gdpr["reference_article"]
        return form.replace("{article}", str(article)).replace("{paragraph}", str(paragraph or ""))

    def subject(self, kind: str, service: str) -> str:
        return self._(SUBJECT[kind], reference=self.reference(kind), service=service)

    def legal_basis(self, kind: str) -> str:
        article = ARTICLE[kind][0]
        return self._(LEGAL_BASIS, reference=self.reference(kind), regulation=self.gdpr["regulation"],
                      article=str(article), title=self.gdpr["titles"][str(article)])

    def body(self, kind: str, service: str, records: str) -> str:
        return self._(BODY[kind], service=service, records=records)

    def decision(self, decision: str) -> str:
        return self._(DECISION[decision]) if decision in DECISION else decision

    def status(self, label: str) -> str:
        """A status label (``given, then withdrawn``, ``refused, corrected to given``) in words."""
        parts = label.split(", ")
        words = [self.decision(parts[0])]
        for part in parts[1:]:
            if part == "then withdrawn":
                words.append(self._(WORDS["then_withdrawn"]))
            elif part.startswith("corrected to "):
                words.append(self._(WORDS["corrected_to"], decision=self.decision(part[len("corrected to "):])))
            else:
                words.append(part)
        return ", ".join(words)

    def older(self, count: int, provider: str) -> str:
        """The line counting the records a letter leaves out, in this language's plural form."""
        text = self.t.ngettext(*OLDER, count)
        return text.replace("{count}", str(count)).replace("{provider}", provider)

    def word(self, key: str, **values: str) -> str:
        return self._(WORDS[key], **values)

    def date(self, day: date) -> str:
        return self.t.format_date(day)

    def moment(self, utc: str) -> str:
        """When a record was made, ``2026-05-01T12:30:00Z``: as stored in English
        (``2026-05-01 12:30 UTC``), else with the day as the language writes it (``1. Mai 2026 12:30 UTC``)."""
        if self.language == "en":
            return when_text(utc)
        try:
            day = date.fromisoformat(utc[:10])
        except ValueError:  # a tampered record's date: shown as stored
            return when_text(utc)
        return f"{self.date(day)} {utc[11:16]} UTC"
