"""How one clause change reads side by side: each wording split into sentences, the changed
ones marked. Pure: the terms tab lays the parts out."""

from __future__ import annotations

from collections.abc import Sequence

from guard.presentation.i18n import N_, words_for
from guard.presentation.wording import without_controls
from guard.terms.analysis import AnalysedChange
from guard.terms.diff import changed_sentences, sentences

Marked = list[tuple[str, bool]]  # (sentence, changed)

CHANGE_KINDS = {  # guard.terms.diff.ChangeKind, as the terms tab names them
    "added": N_("added"),
    "removed": N_("removed"),
    "changed": N_("changed"),
    "moved": N_("moved"),
    "wording-only": N_("wording only"),
}


def kind_words(kind: str) -> str:
    return words_for(CHANGE_KINDS, kind)


def marked_wordings(change: AnalysedChange) -> tuple[Marked | None, Marked | None]:
    """The old and the new wording as sentences, those that differ marked; None where the
    clause was added (no old wording) or removed (no new one)."""
    gone, added = changed_sentences(change.diff)

    def mark(text: str | None, changed: list[str]) -> Marked | None:
        if text is None:
            return None
        keys = set(changed)  # shown without controls or overrides: the letters as the classifier read them
        return [(without_controls(sentence), sentence in keys) for sentence in sentences(text)]

    return mark(change.diff.old_text, gone), mark(change.diff.new_text, added)


def clause_counts(changes: Sequence[AnalysedChange]) -> tuple[int, int]:
    """(clause changes, those touching AI or data use) in ``changes``: a section added or removed
    whole, shown as one change, counts each of its clauses."""
    total = sum(change.clause_count for change in changes)
    relevant = sum(sum(1 for part in change.parts if part.relevant) if change.parts else 1
                   for change in changes if change.relevant)
    return total, relevant


def topic_names(change: AnalysedChange) -> str:
    """'AI training, Use of your content or data' (the topics' labels from the shipped topic file)."""
    from guard.presentation.wording import topic_label

    return ", ".join(topic_label(topic) for topic in change.topics)
