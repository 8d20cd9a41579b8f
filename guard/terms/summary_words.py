"""A terms change's summary said in a language (pure): the templates, topic labels and scope
phrases go through the gettext catalogs (``resources/locale``); the provider's words are inserted
after translating, as written, inside the language's quotation marks.

English is the source language: ``say_summary(summary)`` is the sentence the terms tests and the
command line's JSON have always shown, byte for byte.

Translators: every language's scope phrases must fit the slots they fill. A use phrase's
``{data}`` takes one of the data phrases below (or "your data", or "it" for data already named),
so a language whose prepositions change a noun's form (German: dative after "von"/"mit") writes
the data phrases in the form its use phrases need. A summary's subject ("Section 10.4", "A new
paragraph in Section 3") starts a sentence; the sentences after it ("was removed: it ...") must
agree with it, so a language with grammatical gender writes every subject with the same gender.
"""

from __future__ import annotations

from collections.abc import Sequence

from guard.i18n import N_, Translation
from guard.terms.summary_model import ChangeSummary, MoveVerb, Phrase, ScopeMove, UseMention

# Contexts (written out in each call, where the extractor reads them): "terms change subject" for
# the subjects that start a summary's sentence, "data named before" for "it" in "a licence over it".

# The phrases of resources/terms/topics.toml (tests/terms/test_summary_words.py checks that every
# one of them is here): marked so the catalogs translate them; the labels are in
# guard.presentation.wording.TOPIC_LABELS.
USE_PHRASES = (
    N_("training AI on {data}"), N_("a licence over {data}"), N_("using {data} for any purpose"),
    N_("using {data} for product development"), N_("using {data} for marketing and advertising"),
    N_("sharing {data} with third parties"), N_("processing {data} on your behalf"), N_("accessing and using {data}"),
    N_("keeping {data}"), N_("deleting {data}"), N_("recording {data}"), N_("transcribing {data}"),
    N_("using biometric or voice data"), N_("collecting {data}"), N_("aggregating {data}"),
)
DATA_PHRASES = (
    N_("audio, video and chat"), N_("your content"), N_("service generated data"), N_("inputs and outputs"),
    N_("recordings and transcripts"), N_("personal data"), N_("aggregated or anonymised data"),
)
LIMIT_PHRASES = (
    N_("you consent"), N_("without your consent"), N_("with your consent"), N_("unless you opt out"),
    N_("only if you opt in"), N_("de-identified"), N_("only for the listed purposes"), N_("for any purpose"),
    N_("perpetual"), N_("without notice"), N_("for a set period"), N_("where the law requires it"),
)
DEFAULT_DATA = N_("your data")


class _Words:
    """The translation's three lookups (English when there is none)."""

    def __init__(self, translation: Translation | None) -> None:
        self._translation = translation

    def gettext(self, message: str) -> str:
        return self._translation.gettext(message) if self._translation is not None else message

    def pgettext(self, context: str, message: str) -> str:
        return self._translation.pgettext(context, message) if self._translation is not None else message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        if self._translation is not None:
            return self._translation.ngettext(singular, plural, count)
        return singular if count == 1 else plural


def say_summary(summary: ChangeSummary, translation: Translation | None = None) -> str:
    """The summary as one or two sentences in ``translation``'s language (None: English)."""
    w = _Words(translation)
    labels = ", ".join(w.gettext(topic.words) for topic in summary.topics) or w.gettext("Terms")
    moves = [_say_move(w, move) for move in summary.moves]
    said_before = _quoted(w, summary.before)
    said_now = _quoted(w, summary.now)
    section = summary.section or ""
    heading = _quoted(w, summary.heading) if summary.clauses > 1 else None
    if summary.kind == "added":
        if heading:
            subject = w.ngettext("A new section, {heading} ({count} clause on these topics),",
                                 "A new section, {heading} ({count} clauses on these topics),", summary.clauses)
        elif summary.whole_section and summary.section:
            subject = w.pgettext("terms change subject", "New Section {section}")
        elif summary.section:
            subject = w.pgettext("terms change subject", "A new paragraph in Section {section}")
        else:
            subject = w.pgettext("terms change subject", "A new clause")
        subject = subject.format(section=section, heading=heading, count=summary.clauses)
        head = (w.gettext("{subject} {moves}.").format(subject=subject, moves=_join(w, moves)) if moves
                else w.gettext("{subject} was added.").format(subject=subject))
        body = w.gettext("{head} It says: {quote}").format(head=head, quote=said_now) if said_now else head
    elif summary.kind == "removed":
        if heading:
            subject = w.ngettext("The section {heading} ({count} clause on these topics)",
                                 "The section {heading} ({count} clauses on these topics)", summary.clauses)
        elif summary.whole_section and summary.section:
            subject = w.pgettext("terms change subject", "Section {section}")
        elif summary.section:
            subject = w.pgettext("terms change subject", "A paragraph of Section {section}")
        else:
            subject = w.pgettext("terms change subject", "A clause")
        subject = subject.format(section=section, heading=heading, count=summary.clauses)
        head = (w.gettext("{subject} was removed: it {moves}.").format(subject=subject, moves=_join(w, moves))
                if moves else w.gettext("{subject} was removed.").format(subject=subject))
        body = w.gettext("{head} It said: {quote}").format(head=head, quote=said_before) if said_before else head
    else:
        where = (w.pgettext("terms change subject", "Section {section}") if summary.section
                 else w.pgettext("terms change subject", "A clause")).format(section=section)
        head = (w.gettext("{subject} {moves}.").format(subject=where, moves=_join(w, moves)) if moves
                else w.gettext("{subject} changed its wording.").format(subject=where))
        quotes = []
        if said_before:
            quotes.append(w.gettext("Before: {quote}").format(quote=said_before))
        if said_now:
            quotes.append(w.gettext("Now: {quote}").format(quote=said_now))
        body = " ".join([head, *quotes])
    return w.gettext("{label}: {value}").format(label=labels, value=body)


def _quoted(w: _Words, words: str | None) -> str | None:
    """The provider's words in the language's quotation marks, as written."""
    return w.gettext("“{quote}”").format(quote=words) if words else None


def _say_move(w: _Words, move: ScopeMove) -> str:
    if move.verb in (MoveVerb.SAYS, MoveVerb.NO_LONGER_SAYS):
        words = move.quoted or (w.gettext(move.limit.words) if move.limit is not None else "")
        template = w.gettext("now says “{words}”") if move.verb is MoveVerb.SAYS \
            else w.gettext("no longer says “{words}”")
        return template.format(words=words)
    if move.verb is MoveVerb.COVERS:
        return w.gettext("now covers {data}").format(data=_data(w, move.data))
    named = [_use(w, mention) for mention in move.uses]
    if move.more > 0:
        named.append(w.ngettext("{count} more use", "{count} more uses", move.more).format(count=move.more))
    uses = _join(w, named)
    if move.verb is MoveVerb.ALLOWS:
        return w.gettext("now allows {uses}").format(uses=uses)
    if move.verb is MoveVerb.RULES_OUT:
        return w.gettext("now rules out {uses}").format(uses=uses)
    if move.verb is MoveVerb.NO_LONGER_ALLOWS:
        return w.gettext("no longer allows {uses}").format(uses=uses)
    return w.gettext("no longer rules out {uses}").format(uses=uses)


def _use(w: _Words, mention: UseMention) -> str:
    """'training AI on your content'; a use named after another: 'a licence over it'."""
    data = w.pgettext("data named before", "it") if mention.again else _data(w, mention.data)
    return w.gettext(mention.use.words).replace("{data}", data)


def _data(w: _Words, data: Sequence[Phrase]) -> str:
    if not data:
        return w.gettext(DEFAULT_DATA)
    return _join(w, [w.gettext(item.words) for item in data])


def _join(w: _Words, items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c' (every item kept, repeats too)."""
    if len(items) <= 1:
        return "".join(items)
    return w.gettext("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])
