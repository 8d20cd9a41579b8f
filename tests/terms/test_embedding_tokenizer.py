"""The embedding experiment's WordPiece tokenizer (tests/terms/wordpiece.py) splits text as BERT's
uncased tokenizer does, so the vectors it feeds the model are the model's own: checked here on a
small vocabulary; on the full one it gave the reference tokenizer's ids for every sentence tried."""

from __future__ import annotations

from pathlib import Path

from tests.terms.wordpiece import MAX_TOKENS, WordPiece, basic_words

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "we", "share", "your", "data", "with", "partner", "##s", ".", ",",
         "cafe", "un", "##aff", "##able", "(", ")", "e", "g", "東", "京", "!"]


def _tokenizer(tmp_path: Path) -> WordPiece:
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    return WordPiece.load(path)


def test_words_are_lower_cased_unaccented_and_split_at_punctuation() -> None:
    assert basic_words("We share, (e.g.) CAFÉ\u200b data!") == ["we", "share", ",", "(", "e", ".", "g", ".", ")",
                                                                "cafe", "data", "!"]
    assert basic_words("東京data") == ["東", "京", "data"]
    assert basic_words("a\tb\u00a0c\x00d") == ["a", "b", "cd"]


def test_pieces_are_longest_match_first_with_continuations(tmp_path: Path) -> None:
    tokens = _tokenizer(tmp_path)
    ids = {word: index for index, word in enumerate(VOCAB)}
    assert tokens.encode("We share your data with partners.") == [
        ids["[CLS]"], ids["we"], ids["share"], ids["your"], ids["data"], ids["with"], ids["partner"], ids["##s"],
        ids["."], ids["[SEP]"]]
    assert tokens.pieces("unaffable") == [ids["un"], ids["##aff"], ids["##able"]]
    assert tokens.pieces("unknownword") == [ids["[UNK]"]]
    assert tokens.pieces("data" * 30) == [ids["[UNK]"]]  # over 100 characters


def test_hostile_length_is_cut_to_the_models_window(tmp_path: Path) -> None:
    tokens = _tokenizer(tmp_path)
    encoded = tokens.encode("data " * 100_000)
    assert len(encoded) == MAX_TOKENS
    assert encoded[0] == VOCAB.index("[CLS]") and encoded[-1] == VOCAB.index("[SEP]")
