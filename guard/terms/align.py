"""Pair the clauses of two versions of a document (pure: clauses in, clause changes out).

1. Clauses whose text is unchanged and in the same order are anchors (a longest common
   subsequence of their normalised texts); they are not changes.
2. An unchanged clause found elsewhere in the other version *moved*.
3. A clause whose wording differs only in what :func:`guard.terms.wording.substance` drops
   (markup, punctuation, contractions, cross-reference numbers) is a *wording-only* change.
4. The rest are paired by similarity: a score per candidate pair (word overlap, with a bonus
   for the same section number and for nearby positions), every pair above a threshold, then
   greedy assignment best-first. A paired clause is *changed*, shown side by side; clauses
   left over were *added* or *removed*.
5. A change whose only differences are a replacement made the same way in several clauses (a
   product or defined term renamed throughout) is wording only too.

Hostile or huge pages stay cheap (each step bounded, none silent):

- Step 1's longest common subsequence runs with every clause kept (as difflib does by default
  for short lists) unless the same clauses repeat so often that it would grow with the square
  of their number (``DUPLICATE_WORK``); then clauses repeated through more than 1 % of the page
  cannot start an anchor (difflib's ``autojunk``) and are found in step 2 instead.
- Step 4's candidates are found through an index of the less common words (words in more than
  ``POSTING_LIMIT`` changed clauses are not indexed), and only the ``CANDIDATES`` sharing the most
  of them are scored, so long documents with many changed clauses cost little more than short
  ones. Past ``MAX_PAIRED`` removed or added clauses, none are paired: they are returned as removed
  and added with ``unpaired`` set, and whoever shows them says so.
- Step 5 compares clauses word by word only within :data:`guard.terms.wording.WORD_WORK`.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from guard.terms.wording import consistent_renames, replacements, substance

PAIR_THRESHOLD = 0.42
DUPLICATE_WORK = 200_000  # pairs of equal clauses (old x new) beyond which step 1 lets repeats go
POSTING_LIMIT = 200  # a word in more changed clauses than this is no candidate's reason
CANDIDATES = 40  # candidates scored per old clause: those sharing the most indexed words
MAX_PAIRED = 5000  # removed or added clauses beyond which none are paired by similarity
STOPWORDS = frozenset((
    "a an and are as at be by for from has have if in into is it its of on or our such that the their them these this "
    "those to under we will with you your may any all other shall not no us which who than then also been being can "
    "do does each more most only own same so some there they was were what when where while").split())


@dataclass(frozen=True)
class Pairing:
    """One step of the alignment: indexes into the old and new clause lists."""

    old: int | None
    new: int | None
    kind: str  # "moved" | "wording" | "changed" | "added" | "removed"
    score: float = 1.0
    unpaired: bool = False  # added/removed only because too many clauses changed to pair them (MAX_PAIRED)


def _tokens(key: str) -> list[str]:
    return [word for word in key.split() if word not in STOPWORDS and not word.isdigit()]


def _score(a: Counter[str], b: Counter[str], len_a: int, len_b: int) -> float:
    if not len_a or not len_b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    common = sum(min(count, b[word]) for word, count in a.items() if word in b)
    dice = 2 * common / (len_a + len_b)
    shorter = min(len_a, len_b)
    containment = common / shorter if shorter >= 8 else 0.0
    return max(dice, 0.8 * containment if containment >= 0.75 else 0.0)


def anchors(old_keys: Sequence[str], new_keys: Sequence[str]) -> list[tuple[int, int, int]]:
    """Runs of unchanged clauses in the same order, as (old start, new start, length) (difflib's
    matching blocks, the last one empty). Repeats that would make this quadratic may stay out."""
    old_count = Counter(old_keys)
    new_count = Counter(new_keys)
    work = sum(count * new_count.get(key, 0) for key, count in old_count.items())
    matcher = SequenceMatcher(None, list(old_keys), list(new_keys), autojunk=work > DUPLICATE_WORK)
    return [(block.a, block.b, block.size) for block in matcher.get_matching_blocks()]


def align(old_keys: Sequence[str], new_keys: Sequence[str], old_sections: Sequence[str | None],
          new_sections: Sequence[str | None], old_heads: Sequence[bool], new_heads: Sequence[bool],
          blocks: Sequence[tuple[int, int, int]] | None = None) -> list[Pairing]:
    """The alignment of two clause lists given each clause's comparable text (``*_keys``), its
    section and whether it starts that section (``*_heads``). Anchors are not returned (``blocks``:
    :func:`anchors` of the keys, when the caller has them already)."""
    blocks = anchors(old_keys, new_keys) if blocks is None else blocks
    anchored_old = {a + k for a, _, size in blocks for k in range(size)}
    anchored_new = {b + k for _, b, size in blocks for k in range(size)}
    free_old = [i for i in range(len(old_keys)) if i not in anchored_old]
    free_new = [j for j in range(len(new_keys)) if j not in anchored_new]
    pairings: list[Pairing] = []
    # 2. moved unchanged
    by_key: dict[str, deque[int]] = defaultdict(deque)
    for j in free_new:
        by_key[new_keys[j]].append(j)
    remaining_old = []
    for i in free_old:
        hits = by_key.get(old_keys[i])
        if hits:
            pairings.append(Pairing(i, hits.popleft(), "moved"))
        else:
            remaining_old.append(i)
    used_new = {p.new for p in pairings}
    remaining_new = [j for j in free_new if j not in used_new]
    # 3. wording only
    substance_old = {i: substance(old_keys[i]) for i in remaining_old}
    substance_new = {j: substance(new_keys[j]) for j in remaining_new}
    by_substance: dict[str, deque[int]] = defaultdict(deque)
    for j in remaining_new:
        if substance_new[j]:
            by_substance[substance_new[j]].append(j)
    still_old = []
    for i in remaining_old:
        hits = by_substance.get(substance_old[i]) if substance_old[i] else None
        if hits:
            pairings.append(Pairing(i, hits.popleft(), "wording"))
        else:
            still_old.append(i)
    used_new = {p.new for p in pairings}
    still_new = [j for j in remaining_new if j not in used_new]
    # 4. similarity (none past MAX_PAIRED: said, not hidden)
    too_many = max(len(still_old), len(still_new)) > MAX_PAIRED
    if not too_many:
        pairings.extend(_pair_by_similarity(still_old, still_new, substance_old, substance_new, old_sections,
                                            new_sections, old_heads, new_heads, len(old_keys), len(new_keys)))
    paired_old = {p.old for p in pairings}
    paired_new = {p.new for p in pairings}
    unpaired = too_many and bool(still_old) and bool(still_new)
    pairings.extend(Pairing(i, None, "removed", unpaired=unpaired) for i in free_old if i not in paired_old)
    pairings.extend(Pairing(None, j, "added", unpaired=unpaired) for j in free_new if j not in paired_new)
    # 5. consistent renames make a change wording only
    changed = [p for p in pairings if p.kind == "changed"]
    found = [(p, replacements(old_keys[p.old], new_keys[p.new])) for p in changed
             if p.old is not None and p.new is not None]
    renames = consistent_renames(pair for _, pairs in found for pair in pairs)
    if renames:
        quiet = {id(p) for p, pairs in found if pairs and all(pair in renames for pair in pairs)}
        pairings = [replace(p, kind="wording") if id(p) in quiet else p for p in pairings]
    return pairings


def _pair_by_similarity(old: list[int], new: list[int], old_text: dict[int, str], new_text: dict[int, str],
                        old_sections: Sequence[str | None], new_sections: Sequence[str | None],
                        old_heads: Sequence[bool], new_heads: Sequence[bool], old_total: int,
                        new_total: int) -> list[Pairing]:
    if not old or not new:
        return []
    old_tokens = {i: Counter(_tokens(old_text[i])) for i in old}
    new_tokens = {j: Counter(_tokens(new_text[j])) for j in new}
    old_len = {i: sum(c.values()) for i, c in old_tokens.items()}
    new_len = {j: sum(c.values()) for j, c in new_tokens.items()}
    frequency: Counter[str] = Counter()
    for counter in (*old_tokens.values(), *new_tokens.values()):
        frequency.update(counter.keys())
    common_limit = max(6, (len(old) + len(new)) // 4)
    common_limit = min(common_limit, POSTING_LIMIT)
    index: dict[str, list[int]] = defaultdict(list)
    for j, counter in new_tokens.items():
        for word in counter:
            if frequency[word] <= common_limit:
                index[word].append(j)
    by_section: dict[str, list[int]] = defaultdict(list)
    for j in new:
        if new_sections[j] and new_heads[j]:
            by_section[str(new_sections[j])].append(j)
    scored: list[tuple[float, float, int, int]] = []
    for i in old:
        shared: Counter[int] = Counter()
        for word in old_tokens[i]:
            shared.update(index.get(word, ()))
        candidates = {j for j, _ in shared.most_common(CANDIDATES)} if len(shared) > CANDIDATES else set(shared)
        if old_sections[i] and old_heads[i]:
            candidates.update(by_section.get(str(old_sections[i]), ())[:CANDIDATES])
        for j in candidates:
            score = _score(old_tokens[i], new_tokens[j], old_len[i], new_len[j])
            if old_heads[i] and new_heads[j] and old_sections[i] and old_sections[i] == new_sections[j]:
                score += 0.15  # "10.4 ..." rewritten as "10.4 ..." is likely the same clause
            distance = abs(i / max(1, old_total) - j / max(1, new_total))
            score += 0.08 * max(0.0, 1.0 - 4 * distance)  # nearby in the document
            if score >= PAIR_THRESHOLD:
                scored.append((score, -distance, i, j))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2], item[3]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[Pairing] = []
    for score, _, i, j in scored:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append(Pairing(i, j, "changed", round(score, 3)))
    return pairs
