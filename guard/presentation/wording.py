"""Plain words for catalog data: who can switch a feature on, what a participant can do,
whether content trains models, clause labels. Every sentence is derived from the catalog,
never written per provider."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from functools import lru_cache

from guard.catalog.models import Actor, AiFeature, Clause, ParticipantOption, Provider, TrainsModels
from guard.events import Evidence, Signal
from guard.paths import resources_dir
from guard.presentation.i18n import N_, _, current_language, labelled, say, words_for
from guard.text_controls import UNSAFE, char_class, collapse_spaces

NO_TERMS_TRACKED = N_("no terms tracked yet")
"""What is shown for a provider whose catalog entry names no terms page (a detection-only entry)."""
EVIDENCE_CHARS = 300  # an evidence line in the tray and the consent form
_CONTROL = re.compile(char_class(UNSAFE))

# Order in which actors are named: the one a participant meets first comes first.
_ACTOR_ORDER = (Actor.HOST, Actor.ANY_PARTICIPANT, Actor.PARTICIPANT, Actor.ACCOUNT_ADMIN, Actor.PROVIDER)
_ACTOR_WORDS = {
    Actor.HOST: N_("the host"),
    Actor.ANY_PARTICIPANT: N_("any participant"),
    Actor.PARTICIPANT: N_("a participant"),
    Actor.ACCOUNT_ADMIN: N_("an account admin"),
}
_TRAINS_WORDS = {
    TrainsModels.YES: N_("content may be used to train AI models"),
    TrainsModels.NO: N_("content is not used to train AI models"),
    TrainsModels.OPT_OUT: N_("content may train AI models unless the account opts out"),
    TrainsModels.OPT_IN: N_("content trains AI models only if the account opts in"),
    TrainsModels.UNKNOWN: N_("not known whether content trains AI models"),
}
SIGNAL_WORDS = {
    Signal.PROCESS: N_("Process"),
    Signal.MEETING_PROCESS: N_("Meeting process"),
    Signal.COMMAND_LINE: N_("Command line"),
    Signal.WINDOW_TITLE: N_("Window"),
    Signal.MICROPHONE: N_("Microphone"),
    Signal.CAMERA: N_("Camera"),
    Signal.SOCKET: N_("Network"),
    Signal.BROWSER_TAB: N_("Browser tab"),
    Signal.AI_NOTICE: N_("Notice in the meeting"),
    Signal.PARTICIPANT: N_("Participant"),
}
# The terms classifier's topic labels (resources/terms/topics.toml), marked here so they are
# translated; tests/i18n checks every label of the file is listed.
TOPIC_LABELS = (
    N_("AI training"), N_("Use of your content or data"), N_("Service-generated and usage data"),
    N_("What counts as your content or data"), N_("Sharing with third parties and processors"),
    N_("Retention and deletion"), N_("Recording and transcription"), N_("Biometric and voice data"),
    N_("Opt-out and consent"),
)


# Catalog values as the settings window lists them (guard.catalog.models' enums).
ACTOR_NAMES = {"host": N_("the host"), "account-admin": N_("an account admin"), "participant": N_("a participant"),
               "any-participant": N_("any participant"), "provider": N_("the provider")}
OPTION_NAMES = {"consent": N_("consent"), "leave": N_("leave the meeting"),
                "request-stop": N_("ask the host to stop it"), "opt-out": N_("opt out"), "nothing": N_("nothing")}
TRAINS_SHORT = {"yes": N_("yes"), "no": N_("no"), "opt-out": N_("yes, unless you opt out"),
                "opt-in": N_("only if you opt in"), "unknown": N_("not known")}
KIND_NAMES = {"meeting-client": N_("meeting client"), "browser-meeting": N_("web meetings"),
              "notetaker": N_("AI note-taker"), "chat-with-calls": N_("chat with calls")}
DOCUMENT_TYPES = {"terms-of-service": N_("terms of service"), "privacy-statement": N_("privacy statement"),
                  "ai-terms": N_("AI terms"), "other": N_("other")}


def join_or(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


def join_and(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def actors(feature: AiFeature, provider: Provider) -> list[str]:
    """Who can switch ``feature`` on, in the order a participant meets them."""
    ordered = [actor for actor in _ACTOR_ORDER if actor in feature.enabled_by]
    return [words_for(_ACTOR_WORDS, actor, provider.name) for actor in ordered]


def who_can_turn_on(feature: AiFeature, provider: Provider) -> str:
    """'the host or an account admin'."""
    return join_or(actors(feature, provider))


def _options(feature: AiFeature) -> list[str]:
    """What a participant can do about ``feature``, as verb phrases."""
    phrases: list[str] = []
    for option in feature.participant_options:
        if option == ParticipantOption.CONSENT:
            phrases.append(_("give or refuse consent when asked"))
        elif option == ParticipantOption.REQUEST_STOP:
            phrases.append(_("ask the host to stop it") if Actor.HOST in feature.enabled_by
                           else _("ask whoever turned it on to stop it"))
        elif option == ParticipantOption.OPT_OUT:
            phrases.append(_("opt out"))
        elif option == ParticipantOption.LEAVE:
            phrases.append(_("leave the meeting"))
    return phrases


def what_you_can_do(feature: AiFeature) -> str:
    """'you can ask the host to stop it or leave the meeting' (or that participants cannot switch it off)."""
    phrases = _options(feature)
    if not phrases:
        return _("participants cannot switch it off")
    return _("you can {options}").format(options=join_or(phrases))


def what_others_can_do(feature: AiFeature) -> str:
    """The same for the other people in a meeting: 'they can ask the host to stop it or leave the meeting'."""
    phrases = _options(feature)
    if not phrases:
        return _("participants cannot switch it off")
    return _("they can {options}").format(options=join_or(phrases))


def trains_models(feature: AiFeature) -> str:
    return _(_TRAINS_WORDS[feature.trains_models])


def participant_notice(feature: AiFeature, provider_id: str = "") -> str:
    """What participants are shown, as the catalog says it: in the language in use where a
    translation of this very English exists (guard.catalog.translations; marked when a machine
    made it), else in English; the catalog's "Not checked." (nobody has looked yet) in the language
    in use."""
    notice = feature.participant_notice
    if notice.strip().rstrip(".").lower() == "not checked":
        return _("not checked")
    return catalog_text(provider_id, feature.id, "participant_notice", notice)


def feature_description(feature: AiFeature, provider_id: str = "") -> str:
    """What an AI feature does, in the language in use where the catalog's English is translated."""
    return catalog_text(provider_id, feature.id, "description", feature.description)


def catalog_text(provider_id: str, feature_id: str, field: str, english: str) -> str:
    """``english`` (a catalog text), or its translation into the language in use when one was
    made of this very English; a machine-made one says so."""
    language = current_language()
    if language == "en" or not provider_id:
        return english
    from guard.catalog.translations import catalog_translations

    found = catalog_translations(language).get(provider_id, feature_id, field, english)
    if found is None:
        return english
    return f"{found.text} {_('(machine translation)')}" if found.machine else found.text


def quoted(text: str) -> str:
    """``text`` between the quotation marks of the language in use (“…”, „…“, « … »)."""
    return _("“{text}”").format(text=text)


def short_name(name: str) -> str:
    """A feature name without its trailing parenthesis: 'Meeting summary with AI Companion'."""
    short = name.strip()
    if short.endswith(")"):  # string methods, not a pattern: a user catalog's name may be 500 kB of spaces
        opening = short.rfind("(", 0, len(short) - 1)
        if opening >= 0 and ")" not in short[opening + 1:-1]:
            short = short[:opening].strip()
    return short or name


def feature_sentence(feature: AiFeature, provider: Provider) -> str:
    """'The host or an account admin can turn on Meeting summary with AI Companion; you can ...'."""
    return _("{who} can turn on {feature}; {you_can}.").format(
        who=capitalise(who_can_turn_on(feature, provider)), feature=short_name(feature.name),
        you_can=what_you_can_do(feature))


def verified_mark(verified: bool) -> str:
    return "" if verified else " " + _("(unverified)")


@lru_cache(maxsize=1)
def topic_labels() -> dict[str, str]:
    """Clause topic → label, from the terms classifier's shipped topic file (data, not code)."""
    try:
        data = tomllib.loads((resources_dir() / "terms" / "topics.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {str(item["id"]): str(item.get("label", item["id"])) for item in data.get("topic", [])}


def topic_label(topic: str) -> str:
    label = topic_labels().get(str(topic))
    return _(label) if label else str(topic).replace("-", " ").capitalize()


def topics_phrase(topics: Iterable[str]) -> str:
    return join_or([topic_label(topic) for topic in topics])


def no_clauses_in_force(provider: Provider | None) -> str:
    """Why no clause is shown as in force for ``provider``: said for what it is, never as a count of
    zero that reads as checked (Jami's terms ship, but its archived policy states no date, so
    the catalog lists no clause of it as in force)."""
    if provider is None:
        return _("The provider is not in the catalog: nothing is known about its terms")
    if not provider.tracks_terms:
        return _("No terms of this provider are tracked yet")
    return _("Its terms are watched, but none of their clauses is listed with the date it took effect")


def clause_label(clause: Clause) -> str:
    """'§10.2 AI training' (the section number when known, then the topic); a section known by its
    heading follows the topic: 'AI training (Use of your content: AI)'."""
    topic = topic_label(clause.topic)
    if not clause.section:
        return topic
    if clause.section[:1].isdigit():
        return f"§{clause.section} {topic}"
    return f"{topic} ({clause.section})"


def signal_name(signal: str) -> str:
    """'Window', 'Microphone', ... for an evidence signal."""
    return words_for(SIGNAL_WORDS, signal, capitalise(str(signal)))


def evidence_line(evidence: Evidence, limit: int = EVIDENCE_CHARS) -> str:
    """'Window: window 'Zoom Meeting' of zoom (pid 42)', on one line and at most ``limit`` characters."""
    return one_line(labelled(signal_name(evidence.signal), evidence_detail(evidence)), limit)


def evidence_detail(evidence: Evidence) -> str:
    """What detection saw, in the language in use where the probe said it as a sentence (a
    detail recorded before, or from a probe that does not, stays as it was written)."""
    return say(evidence.said) if evidence.said is not None else evidence.detail


def without_controls(text: str) -> str:
    """``text`` with control characters, line breaks and bidirectional overrides as spaces, nothing
    else changed: a provider's quote shows the letters the classifier read, in the order it read them
    (an override could show "tnesnoc ruoy tuohtiw" as "without your consent")."""
    return _CONTROL.sub(" ", text)


def one_line(text: str, limit: int) -> str:
    """``text`` as one line of plain text: control characters and line breaks become spaces,
    runs of space one, and anything past ``limit`` characters is cut with "…". Titles and
    page texts are chosen by whoever hosts a meeting; this keeps them to what fits on screen."""
    flat = collapse_spaces(_CONTROL.sub(" ", text[: limit * 4 + 16]))
    return flat if len(flat) <= limit else flat[: max(1, limit - 1)].rstrip() + "…"
