"""German and French as a careful native reader checks them: the reader is always addressed
formally (Sie, vous), French puts a no-break space before its high punctuation and inside its
quotation marks, every plural form exists and the plural differs from the singular, and the
catalog's translated descriptions follow the same rules. Each check names the message it found."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator

import pytest

from guard.catalog.translations import translations_dir
from guard.presentation import i18n
from tests.i18n.catalogs import _texts, read

NO_BREAK = "\u00a0\u202f"  # no-break space, narrow no-break space
# Informal address. German: du and its forms (a capital Du/Dein too: the letters once used it).
# French: tu and its forms; "te" and "t'" only as the pronoun (a space or apostrophe follows).
INFORMAL = {
    "de": re.compile(r"\b(?:[Dd]u|[Dd]ich|[Dd]ir|[Dd]ein(?:e[mnrs]?)?|[Ee]uch|[Ee]uer|[Ee]ure[mnrs]?)\b"),
    "fr": re.compile(r"\b(?:[Tt]u|[Tt]oi|[Tt]on|[Tt]a|[Tt]es|[Tt]ien(?:ne)?s?)\b|\b[Tt]e\s|\b[Tt]['’](?=\w)"),
}
# Words that are not the informal pronoun although they look like one.
NOT_INFORMAL = {
    "de": (),
    "fr": ("ton de", ),  # "le ton de" (tone) has not appeared, but is French
}
HIGH_PUNCTUATION = re.compile(r"(.)([:;?!])(?=\s|$)")
QUOTE_MARKS = re.compile(r"«(.)|(.)»")
ENGLISH_QUOTE = re.compile(r"'[^']*'")  # the catalog quotes a provider's English words between single quotes


def catalog_texts(language: str) -> Iterator[tuple[str, str]]:
    """(English source, translated text) of every message of a language's gettext catalog."""
    for message in read(language):
        if message.id:
            yield from _texts(message.id, message.string)


def description_texts(language: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every translated catalog description, the provider's English quotes left out."""
    with (translations_dir() / f"{language}.toml").open("rb") as handle:
        entries = tomllib.load(handle)["text"]
    for entry in entries:
        yield f"{entry['provider']}/{entry['feature']}/{entry['field']}", ENGLISH_QUOTE.sub("'…'", entry["text"])


def all_texts(language: str) -> Iterator[tuple[str, str]]:
    yield from catalog_texts(language)
    yield from description_texts(language)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_reader_is_always_addressed_formally(language):
    found = []
    for source, text in all_texts(language):
        plain = text.replace("&", "")
        for match in INFORMAL[language].finditer(plain):
            context = plain[max(0, match.start() - 20):match.end() + 20]
            if not any(allowed in context for allowed in NOT_INFORMAL[language]):
                found.append(f"{match.group(0)!r} in {context!r} ({str(source)[:60]!r})")
    assert not found, f"{language}: informal address:\n" + "\n".join(found)


def test_the_informal_check_finds_du_and_tu():
    """The check itself: the forms a machine translation slips into are caught."""
    assert INFORMAL["de"].search("Wähle dein Meeting") and INFORMAL["de"].search("Hast du eingewilligt?")
    assert INFORMAL["fr"].search("As-tu consenti ?") and INFORMAL["fr"].search("Ton registre")
    assert INFORMAL["fr"].search("Cela te concerne") and INFORMAL["fr"].search("t’as vu")
    assert not INFORMAL["de"].search("Sie können Ihre Einwilligung widerrufen; dudelt")
    assert not INFORMAL["fr"].search("Vous pouvez retirer votre consentement ; tente, tentez")


def french_spacing_problems(text: str) -> list[str]:
    """Where French text lacks the no-break space before : ; ? ! or inside « », or has a plain
    space there (a line may then start with the mark)."""
    found = []
    for match in HIGH_PUNCTUATION.finditer(text):
        before = match.group(1)
        if before not in NO_BREAK:
            found.append(text[max(0, match.start() - 25):match.end() + 5])
    for match in QUOTE_MARKS.finditer(text):
        inside = match.group(1) if match.group(1) is not None else match.group(2)
        if inside not in NO_BREAK:
            found.append(text[max(0, match.start() - 15):match.end() + 15])
    return found


def test_french_puts_a_no_break_space_before_high_punctuation_and_inside_quotes():
    found = [f"{problem!r} ({str(source)[:50]!r})" for source, text in all_texts("fr")
             for problem in french_spacing_problems(text)]
    assert not found, "French typography (espace insécable):\n" + "\n".join(found)


def test_the_french_spacing_check_finds_a_missing_or_breaking_space():
    assert french_spacing_problems("Fournisseur: Zoom") and french_spacing_problems("Fournisseur : Zoom")
    assert french_spacing_problems("« Zoom»") and french_spacing_problems("«Zoom\u00a0»")
    assert not french_spacing_problems("Fournisseur\u00a0: Zoom\u00a0; «\u00a0Zoom\u00a0»\u00a0? sha256:abc https://x")


@pytest.mark.parametrize("language", ["de", "fr", "es", "it", "nl"])
def test_every_plural_message_has_each_form_of_the_language(language):
    catalog = read(language)
    wrong = [str(message.id) for message in catalog if message.id and message.pluralizable
             and (len(message.string) != catalog.num_plurals or not all(message.string))]
    # French, Spanish and Italian have three (CLDR's one, many (1 000 000) and other), the others two
    assert catalog.num_plurals == {"de": 2, "fr": 3, "es": 3, "it": 3, "nl": 2}[language] and not wrong, wrong


# Messages whose plural may read like the singular: a German noun that does not change
# ("1 Anbieter", "2 Anbieter"), an Italian loanword that does not ("1 file", "2 file"), or an
# English plural that does not change either.
SAME_IN_BOTH_NUMBERS = {"de": {("{count} provider", "{count} providers")}, "fr": set(), "es": set(),
                        "it": {("({count} file)", "({count} files)"), ("{count} byte", "{count} bytes")},
                        "nl": set()}


@pytest.mark.parametrize("language", ["de", "fr", "es", "it", "nl"])
def test_one_and_two_read_differently_where_english_does(language):
    """"1 Datensätze" or "2 entrée": the plural form was a copy of the singular or the other way round."""
    found = []
    try:
        i18n.use_language(language)
        for message in read(language):
            if not (message.id and message.pluralizable) or message.id[0] == message.id[1]:
                continue
            if tuple(message.id) in SAME_IN_BOTH_NUMBERS[language]:
                continue
            one, two = (i18n.ngettext(message.id[0], message.id[1], n) for n in (1, 2))
            if one == two:
                found.append(repr(one))
    finally:
        i18n.use_language("en")
    assert not found, f"{language}: singular and plural read the same:\n" + "\n".join(found)


def test_french_writes_the_first_of_the_month_as_1er():
    """"1 décembre 2026" is how CLDR writes it; French writes "1er décembre 2026" (letters, exports, app)."""
    from datetime import date

    from guard.i18n import translation

    letters = translation("fr")
    assert letters.format_date(date(2026, 12, 1)) == "1er décembre 2026"
    assert letters.format_date(date(2026, 12, 11)) == "11 décembre 2026"
    assert letters.format_date(date(2026, 12, 1), "short") == "01/12/2026"
    assert translation("de").format_date(date(2026, 12, 1)) == "1. Dezember 2026"
    try:
        i18n.use_language("fr")
        assert i18n.format_date(date(2026, 3, 1)) == "1er mars 2026"
        assert i18n.format_date(date(2026, 3, 21)) == "21 mars 2026"
    finally:
        i18n.use_language("en")


def test_a_wrapped_french_line_never_starts_with_a_closing_mark_or_ends_on_an_opening_one():
    """The tray menu wraps long lines; joining runs of white space turned the no-break spaces into
    plain ones, so "… intitulée «" ended one line and "Zoom Meeting »" began the next."""
    from guard.export.letters import one_line as letter_line
    from guard.presentation.wording import one_line
    from ui.tray.menu_model import wrapped

    try:
        i18n.use_language("fr")
        text = i18n._("{name} (pid {pid}) shows a meeting window titled '{title}'").format(
            name="zoom", pid="2196", title="Zoom Meeting")
        detail = i18n.labelled("Fenêtre", text)
        assert "\u00a0»" in one_line(detail, 300) and "\u00a0:" in letter_line("Zoom\u00a0: résumé")
        for width in range(20, 70):
            lines = [entry.text.strip() for entry in wrapped(detail, width=width)]
            assert not any(line.startswith(("»", ":", ";", "?", "!")) or line.endswith("«") for line in lines), lines
    finally:
        i18n.use_language("en")


def test_text_built_in_pieces_uses_the_language_s_colon():
    """The Overview's "Titres des fenêtres (✓ fonctionne): lus …" and "Zoom: Zoom Terms of Service"
    put the English colon between pieces the code joined; they now take it from the catalog."""
    from guard.presentation.desktop import Capability

    try:
        i18n.use_language("fr")
        assert i18n.colon() == "\u00a0: "
        assert i18n.listed(["Conditions d'utilisation", "Politique de confidentialité"]) == \
            "Conditions d'utilisation\u00a0; Politique de confidentialité"
        assert Capability("windows", "Titres des fenêtres", True, "lus sur le serveur X").line() == \
            "Titres des fenêtres\u00a0: lus sur le serveur X"
        i18n.use_language("de")
        assert i18n.colon() == ": "
        from guard.export.export_words import ExportWords

        assert ExportWords("fr").listed(["résumé", "transcription"]) == "résumé\u00a0; transcription"
        assert ExportWords("de").listed(["Zusammenfassung", "Transkript"]) == "Zusammenfassung; Transkript"
    finally:
        i18n.use_language("en")


def test_no_shown_text_glues_its_pieces_with_an_english_colon():
    """The class of the two mistakes above: an f-string in ui/ or guard/presentation/ that puts
    "{piece}: " (or "(…): ") between pieces of shown text writes the English colon in every
    language; labelled() or colon() take it from the catalog. Log lines, exceptions and a Python
    error's class name ("OSError: …") are English by design."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = []
    for folder in ("ui", "guard/presentation"):
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
            for node in ast.walk(tree):
                glued = isinstance(node, ast.JoinedStr) and _glues_with_a_colon(node)
                if glued and not _english_by_design(node, parents):
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not found, "\n".join(found)


def _glues_with_a_colon(node) -> bool:  # type: ignore[no-untyped-def]
    import ast

    return any(isinstance(part, ast.Constant) and index > 0 and re.match(r"\)?: ", str(part.value))
               and not (isinstance(node.values[index - 1], ast.FormattedValue)
                        and "__name__" in ast.unparse(node.values[index - 1]))
               for index, part in enumerate(node.values))


def _english_by_design(node, parents) -> bool:  # type: ignore[no-untyped-def]
    import ast

    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Raise) or (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute)
                                             and parent.func.attr in ("debug", "info", "warning", "error",
                                                                      "exception")):
            return True
        parent = parents.get(parent)
    return False
