"""BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 uses it (experiment; see minilm.py).

Clean and lower-case the text, strip accents, split on whitespace and punctuation (each CJK
character a word of its own), then match each word longest piece first against the vocabulary,
continuations prefixed ``##``; a word with a part the vocabulary lacks, or over 100 characters, is
one ``[UNK]``. The output is ``[CLS] pieces [SEP]``, cut to 256 tokens (the model's
``max_seq_length``). Pure Python; checked to give the same ids as the reference tokenizer.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length, [CLS] and [SEP] included
MAX_WORD_CHARS = 100  # a longer word is [UNK], as BERT's WordPiece does
MAX_CHARS = 4000  # hostile input: a "sentence" is cut before tokenising (256 tokens are read at most anyway)


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F or 0x2B820 <= code <= 0x2CEAF
            or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)


def basic_words(text: str) -> list[str]:
    """BERT's uncased basic split: control characters dropped, lower case, accents stripped,
    whitespace and punctuation split off, each CJK character a word."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD:
            continue
        category = unicodedata.category(char)
        if char in "\t\n\r" or char == " " or category == "Zs":
            out.append(" ")
        elif category in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    words: list[str] = []
    for token in "".join(out).split():
        token = "".join(c for c in unicodedata.normalize("NFD", token.lower()) if unicodedata.category(c) != "Mn")
        current: list[str] = []
        for char in token:
            if _is_punctuation(char):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(char)
            else:
                current.append(char)
        if current:
            words.append("".join(current))
    return words


@dataclass(frozen=True, eq=False)
class WordPiece:
    vocab: dict[str, int]

    @classmethod
    def load(cls, path: Path) -> WordPiece:
        lines = path.read_text(encoding="utf-8").split("\n")
        return cls({line.rstrip("\r"): index for index, line in enumerate(lines) if line.rstrip("\r")})

    def pieces(self, word: str) -> list[int]:
        """Longest match first; a word with a part the vocabulary lacks is one [UNK]."""
        if len(word) > MAX_WORD_CHARS:
            return [self.vocab["[UNK]"]]
        found: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            piece = None
            while start < end:
                candidate = word[start:end] if start == 0 else "##" + word[start:end]
                if candidate in self.vocab:
                    piece = self.vocab[candidate]
                    break
                end -= 1
            if piece is None:
                return [self.vocab["[UNK]"]]
            found.append(piece)
            start = end
        return found

    def encode(self, text: str) -> list[int]:
        """[CLS] pieces [SEP], cut to MAX_TOKENS."""
        ids: list[int] = []
        for word in basic_words(text[:MAX_CHARS]):
            ids.extend(self.pieces(word))
            if len(ids) >= MAX_TOKENS - 2:
                break
        return [self.vocab["[CLS]"], *ids[:MAX_TOKENS - 2], self.vocab["[SEP]"]]
