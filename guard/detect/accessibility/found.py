"""What one accessible node's text means: an in-meeting AI notice of the client's provider, a
note-taker bot in its participant list, or (almost always) nothing, which is forgotten at once.

Pure: values in, observations out. The matching is the catalog's own (guard.catalog.notices'
normalised substring test for notices, the note-takers' RE2 ``participant_names``), so a client
read through accessibility and a page read by the browser extension agree.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import TYPE_CHECKING

from guard.detect.accessibility import ClientInMeeting
from guard.detect.observation import Observation
from guard.events import Signal
from guard.i18n import N_, Text
from guard.patterns import bounded, normalize_text

if TYPE_CHECKING:
    from guard.detect.matching import DetectionRules

# Roles (AT-SPI role names) whose text can be a participant's display name when they sit inside a
# list, table or tree: Qt names list items; Chromium leaves items unnamed and names their text children.
NAME_ROLES = frozenset({"list item", "table cell", "tree item", "label", "static", "text", "section"})
LIST_ROLES = frozenset({"list", "list box", "table", "tree", "tree table"})
SHOWN = 300  # characters of a matched text kept as the notice shown (a catalog notice is at most 300)
NAME = 200  # characters of a matched display name kept
CACHE = 4096  # answers remembered, by a digest of the text (the same texts come back every pass)


class Matcher:
    """Matches texts against the rules, remembering recent answers by the text's digest: what a
    client shows is never kept, only whether it matched (docs/accessibility.md, rule 4)."""

    def __init__(self) -> None:
        self._rules: DetectionRules | None = None
        self._notices: OrderedDict[tuple[str, bytes], tuple[str, ...]] = OrderedDict()
        self._bots: OrderedDict[bytes, tuple[str, ...]] = OrderedDict()
        self.matched = 0  # texts that matched something, over the matcher's life

    def using(self, rules: DetectionRules) -> Matcher:
        if rules is not self._rules:
            self._rules = rules
            self._notices.clear()
            self._bots.clear()
        return self

    def observations(self, client: ClientInMeeting, text: str, in_list: bool, role: str,
                     at: datetime) -> list[Observation]:
        """The observations ``text`` (already capped) gives rise to, for ``client``."""
        text = normalize_text(text, len(text))
        if not text.strip():
            return []
        found: list[Observation] = []
        for provider_id in client.provider_ids:
            for feature_id in self._features(provider_id, text):
                shown = bounded(text, SHOWN)
                said = Text.of(N_("{name} (pid {pid}) showed: '{notice}'"), name=client.name, pid=str(client.pid),
                               notice=shown)
                found.append(Observation(provider_id, Signal.AI_NOTICE, client.pid, str(said), at, said=said,
                                         window=client.window, feature_id=feature_id, notice=shown))
        if in_list and role in NAME_ROLES:
            for bot_provider in self._bot_providers(text):
                name = bounded(text, NAME)
                said = Text.of(N_("'{name}' is among the participants in {client} (pid {pid})"), name=name,
                               client=client.name, pid=str(client.pid))
                found.append(Observation(bot_provider, Signal.PARTICIPANT, client.pid, str(said), at, said=said,
                                         window=client.window, participant=name))
        if found:
            self.matched += 1
        return found

    def _features(self, provider_id: str, text: str) -> tuple[str, ...]:
        key = (provider_id, _digest(text))
        known = self._notices.get(key)
        if known is None:
            assert self._rules is not None
            known = self._notices[key] = tuple(self._rules.notice_features(provider_id, text))
            if len(self._notices) > CACHE:
                self._notices.popitem(last=False)
        return known

    def _bot_providers(self, text: str) -> tuple[str, ...]:
        key = _digest(text)
        known = self._bots.get(key)
        if known is None:
            assert self._rules is not None
            known = self._bots[key] = tuple(self._rules.participant_providers(text))
            if len(self._bots) > CACHE:
                self._bots.popitem(last=False)
        return known


def _digest(text: str) -> bytes:
    import hashlib  # here: `scan` builds this reader and should not pay for hashlib unless it reads

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
