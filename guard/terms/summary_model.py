"""A terms change's summary as values, not as an English sentence: the topics, where the change
is, how the scope moved (verb + ids of the rules' uses, data and limits) and the provider's own
words. :mod:`guard.terms.summary_words` says it in any language the app speaks, at display time,
so a change found while the app ran in English reads in German once the user switches.

Each rules phrase is kept with its English words (``resources/terms/topics.toml``'s ``label`` or
``phrase``): they are the message ids the catalogs translate, so a summary made before the rules
changed still reads as it did. The quotes are the provider's words and are never translated.
Only the standard library here: :mod:`guard.event_kinds_terms` names these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class MoveVerb(StrEnum):
    """How the scope moved: 'now allows', 'no longer says “…”', 'now covers'..."""

    ALLOWS = "allows"
    RULES_OUT = "rules-out"
    NO_LONGER_ALLOWS = "no-longer-allows"
    NO_LONGER_RULES_OUT = "no-longer-rules-out"
    SAYS = "says"
    NO_LONGER_SAYS = "no-longer-says"
    COVERS = "covers"


@dataclass(frozen=True)
class Phrase:
    """A phrase of the rules: its id and its English words (the message id translated)."""

    id: str
    words: str


@dataclass(frozen=True)
class UseMention:
    """One use named in a move, with the kinds of data it applies to (none: "your data");
    ``again``: named after another use, its data is "it"."""

    use: Phrase  # words with a ``{data}`` slot
    data: tuple[Phrase, ...] = ()
    again: bool = False


@dataclass(frozen=True)
class ScopeMove:
    """One move of the scope: uses allowed or ruled out (``more`` not named), a limit stated or
    dropped (``quoted``: the provider's words stating it), or the data now covered."""

    verb: MoveVerb
    uses: tuple[UseMention, ...] = ()
    more: int = 0
    limit: Phrase | None = None
    quoted: str | None = None
    data: tuple[Phrase, ...] = ()


@dataclass(frozen=True)
class ChangeSummary:
    """What :func:`guard.terms.summary.summarise` found, ready to be said in any language.

    ``kind`` is the clause change's kind (``added``, ``removed``; any other reads as changed); ``whole_section``
    says an added or removed clause starts its section (a new section, not a new paragraph);
    ``before``/``now`` are the provider's sentences, cut at word ends, without quotation marks.
    ``clauses`` above 1: a section added or removed whole, told as one change (``heading``: its
    heading as written; ``clauses``: how many of its clauses touch the ``topics``).
    """

    kind: str
    section: str | None
    topics: tuple[Phrase, ...]
    moves: tuple[ScopeMove, ...] = ()
    before: str | None = None
    now: str | None = None
    whole_section: bool = False
    heading: str | None = None
    clauses: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeSummary:
        """The summary from its JSON form (``guard.jsonable.to_json_data``); raises ValueError."""
        try:
            return cls(kind=str(data["kind"]), section=_opt(data.get("section")),
                       topics=tuple(_phrase(item) for item in data.get("topics", ())),
                       moves=tuple(_move(item) for item in data.get("moves", ())),
                       before=_opt(data.get("before")), now=_opt(data.get("now")),
                       whole_section=bool(data.get("whole_section", False)),
                       heading=_opt(data.get("heading")), clauses=int(data.get("clauses", 1)))
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise ValueError(f"Not a change summary: {error!r}") from error


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _phrase(data: dict[str, Any]) -> Phrase:
    return Phrase(str(data["id"]), str(data["words"]))


def _move(data: dict[str, Any]) -> ScopeMove:
    uses = tuple(UseMention(_phrase(u["use"]), tuple(_phrase(d) for d in u.get("data", ())), bool(u.get("again")))
                 for u in data.get("uses", ()))
    limit = data.get("limit")
    return ScopeMove(MoveVerb(data["verb"]), uses, int(data.get("more", 0)), _phrase(limit) if limit else None,
                     _opt(data.get("quoted")), tuple(_phrase(d) for d in data.get("data", ())))
