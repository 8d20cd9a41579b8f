"""The W3C Data Privacy Vocabulary terms the JSON export uses, and how the app's values map
onto them. Data, no I/O: the mapping is read here once, and the README and the tests name the
same terms.

Terms are those of DPV 2.3 (https://w3id.org/dpv/2.3) and its extensions ``eu-gdpr``,
``legal-eu``, ``loc`` and ``pd``, as published in github.com/w3c/dpv at commit
f01a55c3c0983e35cdfdf80593ece3353faba7b8 (2026-02-28); the record follows the DPVCG guide
"Consent Records and Receipts as per ISO/IEC TS 27560:2023 using DPV" (guides/consent-27560,
same commit, §8). What the app does not know is said in DPV's own words for that: a node with
``dpv:hasApplicability dpv:NotAvailable`` (the information applies but is not available) or
``dpv:UnknownApplicability`` (it is not known whether it applies), as in DPV example E0053;
never a placeholder string in a typed field.
"""

from __future__ import annotations

from typing import Any

DPV_VERSION_IRI = "https://w3id.org/dpv/2.3"
DPV_27560_GUIDE = "https://w3id.org/dpv/guides/consent-27560"
DPV_27560_RECORD = "https://w3id.org/dpv/schema/dpv-27560#record"  # guide §8.1.1: the schema version
DPV_SOURCE_COMMIT = "f01a55c3c0983e35cdfdf80593ece3353faba7b8"
APP_NS = "urn:meeting-privacy-guard:"
# Written as a full IRI: the @context declares no "pd" prefix (exports of earlier builds verify against it).
PD_COMMUNICATION = "https://w3id.org/dpv/pd#Communication"

# The @context of format 2 exports written before 2026-12-02 (commits a7854e1 up to fdd2e98). Kept so
# that verify-export still reads those exports: a reader takes every term's meaning from it.
CONTEXT_BEFORE_2026_12_02: dict[str, Any] = {
    "@version": 1.1,
    "dpv": "https://w3id.org/dpv#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "legal-eu": "https://w3id.org/dpv/legal/eu#",
    "loc": "https://w3id.org/dpv/loc#",
    "dpvVersion": DPV_VERSION_IRI,  # the DPV release these terms were taken from
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "mpg": APP_NS,
    "dct:created": {"@type": "xsd:dateTime"},
    "dpv:isIndicatedAtTime": {"@type": "xsd:dateTime"},
    "mpg:record": {"@type": "@json"},
    "mpg:verification": {"@type": "@json"},
    "mpg:coverage": {"@type": "@json"},
    "mpg:contactSources": {"@type": "@json"},
    "mpg:publicKeys": {"@type": "@json"},
    "mpg:head": {"@type": "@json"},
}

# The @context of format 2 exports written on 2026-12-02 before the record's language (session 10):
# the one above, plus the datatype of the dates that were plain strings (a notice's
# version date, the date a catalog source was checked: xsd:date) and the language of the app's own
# sentences saying how a decision was indicated (always English). Other texts carry no language tag:
# purposes are as the participant or host typed them, titles and names as the provider wrote them.
CONTEXT_BEFORE_2026_12_02_SESSION_10: dict[str, Any] = {
    **CONTEXT_BEFORE_2026_12_02,
    "dct:date": {"@type": "xsd:date"},
    "mpg:checked": {"@type": "xsd:date"},
    "dpv:hasIndicationMethod": {"@language": "en"},
}

# Today's: the one above, plus the datatype of a language a record names (xsd:language, a BCP 47
# tag: DCMI's recommended practice for dct:language). From this context on, every consent record's
# notices end with the app's own form (:data:`FORM_TYPE`), which says the language it was shown in.
CONTEXT: dict[str, Any] = {
    **CONTEXT_BEFORE_2026_12_02_SESSION_10,
    "dct:language": {"@type": "xsd:language"},
}
EARLIER_CONTEXTS: tuple[dict[str, Any], ...] = (CONTEXT_BEFORE_2026_12_02, CONTEXT_BEFORE_2026_12_02_SESSION_10)


def ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


NOT_AVAILABLE = ref("dpv:NotAvailable")  # applies, but the app does not know it
UNKNOWN_APPLICABILITY = ref("dpv:UnknownApplicability")  # not known whether it applies at all


def not_available(kind: str | None, why: str) -> dict[str, Any]:
    """A node (of type ``kind``) the app knows exists but knows nothing more about (E0053)."""
    node: dict[str, Any] = {"@type": kind} if kind else {}
    node.update({"dpv:hasApplicability": NOT_AVAILABLE, "dct:description": why})
    return node


# The app's decisions as DPV consent statuses (guide §8.5.2). Only ConsentGiven is valid for
# processing. "notice-only" (a notice was shown, the participant decided nothing) is
# ConsentRequestDeferred: "a request for consent has been deferred without a decision ... a
# notice being provided ... without making a decision, consent being neither given nor
# refused" (DPV 2.3). Leaving the meeting is how a participant refuses.
STATUS = {
    "given": "dpv:ConsentGiven",
    "refused": "dpv:ConsentRefused",
    "withdrawn": "dpv:ConsentWithdrawn",
    "left-meeting": "dpv:ConsentRefused",
    "notice-only": "dpv:ConsentRequestDeferred",
}

# How each decision was indicated (dpv:hasIndicationMethod, guide §8.5.6).
METHOD = {
    "given": "agreed when asked in the meeting; recorded by the participant in Meeting Privacy Guard",
    "refused": "refused when asked in the meeting; recorded by the participant in Meeting Privacy Guard",
    "withdrawn": "withdrawn by the participant; recorded in Meeting Privacy Guard",
    "left-meeting": "left the meeting rather than take part with the feature on; recorded by the participant",
    "notice-only": "a notice was shown in the meeting and no decision was asked for or made; recorded by the "
                   "participant",
}

# The consent type each record is about (guide §8.5.1, dpv:hasLegalBasis). A decision the
# participant expressed is about expressed consent; after a notice alone, the only consent the
# provider could claim is implied (continuing in the meeting), which the status then shows was
# never given.
CONSENT_TYPE = {
    "given": "dpv:ExpressedConsent", "refused": "dpv:ExpressedConsent", "withdrawn": "dpv:ExpressedConsent",
    "left-meeting": "dpv:ExpressedConsent", "notice-only": "dpv:ImpliedConsent",
}


def status_duration(decision: str) -> dict[str, Any]:
    """How long the status holds (guide §8.5.4, dpv:hasDuration)."""
    if decision == "given":
        return {"@type": "dpv:UntilEventDuration", "dct:description": "until the participant withdraws it"}
    if decision == "notice-only":
        return {"@type": "dpv:IndeterminateDuration",
                "dct:description": "no decision was made, so nothing says how long this state lasts"}
    return {"@type": "dpv:UntilEventDuration", "dct:description": "until the participant gives consent"}


# Countries whose skos:broader includes loc:EEA in DPV 2.3's loc.ttl (the EU's 27 and
# Iceland, Liechtenstein, Norway): where the GDPR's rights apply.
EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split())
SUPRANATIONAL = {"EU": "loc:EU", "EEA": "loc:EEA"}


def jurisdiction_iri(code: str | None) -> str | None:
    """``loc:`` IRI of a jurisdiction code (``EU``, ``EEA`` or an ISO 3166-1 alpha-2 country;
    ``EL`` is Greece as the EU writes it); None when the code is not one of those."""
    if not code:
        return None
    code = code.strip().upper()
    code = "GR" if code == "EL" else code
    if code in SUPRANATIONAL:
        return SUPRANATIONAL[code]
    if len(code) == 2 and code.isascii() and code.isalpha():
        return f"loc:{code}"
    return None


def gdpr_applies(code: str | None) -> bool:
    iri = jurisdiction_iri(code)
    return iri is not None and (iri in ("loc:EU", "loc:EEA") or iri[4:] in EEA)


# The GDPR rights a consent record names (guide §8.3.10), with their titles in DPV eu-gdpr.
GDPR_RIGHTS: tuple[tuple[str, str], ...] = (
    ("eu-gdpr:A7-3", "Right to Withdraw Consent"),
    ("eu-gdpr:A15", "Right of Access"),
    ("eu-gdpr:A16", "Right to Rectification"),
    ("eu-gdpr:A17", "Right to Erasure"),
    ("eu-gdpr:A18", "Right to Restrict Processing"),
    ("eu-gdpr:A20", "Right to Data Portability"),
    ("eu-gdpr:A21", "Right to object"),
)


# The app's own consent form or notification, on which the participant recorded the decision: the
# communication about consent whose language the record keeps (DPVCG guide §8.2.2, "Notice Language":
# "the language used in the communications regarding consent"). A dpv:Notice, not a
# dpv:ConsentNotice: the controller did not write it (its notices are the terms versions before it).
FORM_TYPE = "dpv:Notice"
FORM_TITLE = "The consent question of Meeting Privacy Guard"
FORM_DESCRIPTION = ("The form or notification of Meeting Privacy Guard, on the participant's computer, on which "
                    "the participant recorded this decision; dct:language is the language it was shown in.")
LANGUAGE_NOT_RECORDED = ("Not recorded: the decision was recorded before the app kept the language of its form, "
                         "or on the command line without --language.")
FORM_KEYS = frozenset({"@id", "@type", "dct:title", "dct:description", "dct:language"})


def form_problem(form: Any) -> str | None:
    """What in a node of the app's form (``mpg:forms``, or written in a record) is not what the app
    writes of it, or None. A reader takes its title and description for the form the participant
    answered, and the export does not sign them: so they must be the app's own words, word for
    word, and the node say nothing else; its language is checked against each signed record."""
    if not isinstance(form, dict) or form.get("@type") != FORM_TYPE:
        return "it is not the app's form (a dpv:Notice)"
    if form.get("dct:title") != FORM_TITLE:
        return "its title (dct:title) is not the one the app gives its form"
    if form.get("dct:description") != FORM_DESCRIPTION:
        return "its description (dct:description) is not the one the app gives its form"
    if not set(form) <= FORM_KEYS:
        return f"it says more than the app writes of its form ({', '.join(sorted(set(form) - FORM_KEYS))})"
    said = form.get("dct:language")
    if isinstance(said, dict) and said != not_available("dct:LinguisticSystem", LANGUAGE_NOT_RECORDED):
        return "its 'language not recorded' is not worded as the app words it"
    if not isinstance(said, (str, dict)):
        return "it states no language, nor that none was recorded"
    return None
