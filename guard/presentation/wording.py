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

NO_TERMS_TRACKED = "no terms tracked yet"
"""What is shown for a provider whose catalog entry names no terms page (a detection-only entry)."""
EVIDENCE_CHARS = 300  # an evidence line in the tray and the consent form
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Order in which actors are named: the one a participant meets first comes first.
_ACTOR_ORDER = (Actor.HOST, Actor.ANY_PARTICIPANT, Actor.PARTICIPANT, Actor.ACCOUNT_ADMIN, Actor.PROVIDER)
_ACTOR_WORDS = {
    Actor.HOST: "the host",
    Actor.ANY_PARTICIPANT: "any participant",
    Actor.PARTICIPANT: "a participant",
    Actor.ACCOUNT_ADMIN: "an account admin",
}
_TRAINS_WORDS = {
    TrainsModels.YES: "content may be used to train AI models",
    TrainsModels.NO: "content is not used to train AI models",
    TrainsModels.OPT_OUT: "content may train AI models unless the account opts out",
    TrainsModels.OPT_IN: "content trains AI models only if the account opts in",
    TrainsModels.UNKNOWN: "not known whether content trains AI models",
}
_SIGNAL_WORDS = {
    Signal.PROCESS: "Process",
    Signal.MEETING_PROCESS: "Meeting process",
    Signal.COMMAND_LINE: "Command line",
    Signal.WINDOW_TITLE: "Window",
    Signal.MICROPHONE: "Microphone",
    Signal.CAMERA: "Camera",
    Signal.SOCKET: "Network",
    Signal.BROWSER_TAB: "Browser tab",
    Signal.AI_NOTICE: "Notice in the meeting",
    Signal.PARTICIPANT: "Participant",
}


def join_or(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def actors(feature: AiFeature, provider: Provider) -> list[str]:
    """Who can switch ``feature`` on, in the order a participant meets them."""
    ordered = [actor for actor in _ACTOR_ORDER if actor in feature.enabled_by]
    return [_ACTOR_WORDS.get(actor, provider.name) for actor in ordered]


def who_can_turn_on(feature: AiFeature, provider: Provider) -> str:
    """'the host or an account admin'."""
    return join_or(actors(feature, provider))


def _stopper(feature: AiFeature) -> str:
    return "the host" if Actor.HOST in feature.enabled_by else "whoever turned it on"


def what_you_can_do(feature: AiFeature) -> str:
    """'ask the host to stop it or leave the meeting' (or that participants cannot switch it off)."""
    phrases: list[str] = []
    for option in feature.participant_options:
        if option == ParticipantOption.CONSENT:
            phrases.append("give or refuse consent when asked")
        elif option == ParticipantOption.REQUEST_STOP:
            phrases.append(f"ask {_stopper(feature)} to stop it")
        elif option == ParticipantOption.OPT_OUT:
            phrases.append("opt out")
        elif option == ParticipantOption.LEAVE:
            phrases.append("leave the meeting")
    if not phrases:
        return "participants cannot switch it off"
    return "you can " + join_or(phrases)


def trains_models(feature: AiFeature) -> str:
    return _TRAINS_WORDS[feature.trains_models]


def short_name(name: str) -> str:
    """A feature name without its trailing parenthesis: 'Meeting summary with AI Companion'."""
    short = re.sub(r"\s*\([^()]*\)\s*$", "", name).strip()
    return short or name


def feature_sentence(feature: AiFeature, provider: Provider) -> str:
    """'The host or an account admin can turn on Meeting summary with AI Companion; you can ...'."""
    who = who_can_turn_on(feature, provider)
    return f"{capitalise(who)} can turn on {short_name(feature.name)}; {what_you_can_do(feature)}."


def verified_mark(verified: bool) -> str:
    return "" if verified else " (unverified)"


@lru_cache(maxsize=1)
def topic_labels() -> dict[str, str]:
    """Clause topic → label, from the terms classifier's shipped topic file (data, not code)."""
    try:
        data = tomllib.loads((resources_dir() / "terms" / "topics.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {str(item["id"]): str(item.get("label", item["id"])) for item in data.get("topic", [])}


def topic_label(topic: str) -> str:
    return topic_labels().get(str(topic), str(topic).replace("-", " ").capitalize())


def topics_phrase(topics: Iterable[str]) -> str:
    return join_or([topic_label(topic) for topic in topics])


def clause_label(clause: Clause) -> str:
    """'§10.2 AI training' (the section when known, then the topic)."""
    where = f"§{clause.section} " if clause.section else ""
    return f"{where}{topic_label(clause.topic)}"


def evidence_line(evidence: Evidence, limit: int = EVIDENCE_CHARS) -> str:
    """'Window: window 'Zoom Meeting' of zoom (pid 42)', on one line and at most ``limit`` characters."""
    return one_line(f"{_SIGNAL_WORDS.get(evidence.signal, capitalise(str(evidence.signal)))}: {evidence.detail}", limit)


def one_line(text: str, limit: int) -> str:
    """``text`` as one line of plain text: control characters and line breaks become spaces,
    runs of space one, and anything past ``limit`` characters is cut with "…". Titles and
    page texts are chosen by whoever hosts a meeting; this keeps them to what fits on screen."""
    flat = " ".join(_CONTROL.sub(" ", text[: limit * 4 + 16]).split())
    return flat if len(flat) <= limit else flat[: max(1, limit - 1)].rstrip() + "…"
