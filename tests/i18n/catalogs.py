"""The gettext catalogs under resources/locale: extract every message from the code (Babel), and
merge the template into each language's catalog, keeping what is translated.

    python -m tests.i18n.catalogs update   # after adding or changing a message; then translate
    python -m tests.i18n.catalogs check    # what tests/i18n/test_catalogs.py checks, as a list

Messages come from ``guard/export`` (the letters, in every language), from ``ui`` and
``guard/presentation`` (the app, in the languages of :data:`guard.presentation.i18n.UI_LANGUAGES`), and
from the core parts whose sentences the app shows (marked with ``N_`` as :class:`guard.i18n.Text`).
"""

from __future__ import annotations

import ast
import io
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from guard.i18n import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, locale_dir
from guard.presentation.i18n import UI_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
LETTER_SOURCES = ("guard/export",)
APP_SOURCES = ("guard/presentation", "ui", "guard/ledger", "guard/detect", "guard/storage_errors.py",
               "guard/terms/summary_words.py")
KEYWORDS = {**DEFAULT_KEYWORDS, "Nn_": (1, 2)}  # guard.i18n.Nn_: a core message with its plural
_PLACEHOLDER = re.compile(r"\{\w*\}")
_MNEMONIC = re.compile(r"&(?!&)(\w)")


def extract(folders: Iterable[str]) -> Catalog:
    """Every message marked in ``folders`` (``_``, ``N_``, ``ngettext``, ``pgettext``), with where it is."""
    catalog = Catalog(domain=DOMAIN, project="Meeting Privacy Guard", copyright_holder="Meeting Privacy Guard "
                      "contributors", charset="utf-8")
    for folder in folders:
        target = ROOT / folder
        if target.is_file():  # one module (guard/storage_errors.py)
            found = [(target.name, line, message, comments, context) for line, message, comments, context
                     in extract_from_file("python", target, keywords=KEYWORDS, strip_comment_tags=True)]
            base, modules = str(Path(folder).parent), [target]
        else:
            found = list(extract_from_dir(target, [("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True))
            base, modules = folder, sorted(target.rglob("*.py"))
        for filename, lineno, message, comments, context in found:
            catalog.add(message, None, [(f"{base}/{filename}", lineno)], auto_comments=comments,
                        context=context, flags=("python-brace-format",) if _has_fields(message) else ())
        for path in modules:
            for lineno, message in _in_fstrings(path):
                where = (str(path.relative_to(ROOT)), lineno)
                if message not in catalog:
                    catalog.add(message, None, [where], flags=("python-brace-format",) if _has_fields(message) else ())
    return catalog


def _in_fstrings(path: Path) -> Iterator[tuple[int, str | tuple[str, str]]]:
    """Messages of translation calls inside f-strings: Babel's Python extractor (before Python
    3.12's tokenizer) reads an f-string as one token and never sees them."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for call in ast.walk(node):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                continue
            texts = [arg.value for arg in call.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if call.func.id in ("_", "N_", "gettext") and len(texts) == 1:
                yield call.lineno, texts[0]
            elif call.func.id == "ngettext" and len(texts) == 2:
                yield call.lineno, (texts[0], texts[1])


def _has_fields(message: str | tuple[str, ...]) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    return any(_PLACEHOLDER.search(text) for text in texts)


def template() -> Catalog:
    return extract(LETTER_SOURCES + APP_SOURCES)


def letter_ids() -> set[str | tuple[str, ...]]:
    return {message.id for message in extract(LETTER_SOURCES) if message.id}


def read(language: str | None = None) -> Catalog:
    """A language's catalog (None: the committed template)."""
    path = pot_path() if language is None else po_path(language)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def pot_path() -> Path:
    return locale_dir() / f"{DOMAIN}.pot"


def po_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _written(catalog: Catalog, *, locations: bool) -> bytes:
    """The catalog as a file, without the time it was made: a creation date that changes at every
    update made two branches that each added a message conflict on that header line alone."""
    out = io.BytesIO()
    write_po(out, catalog, width=120, no_location=not locations, omit_header=False, sort_output=False,
             include_previous=False)
    return re.sub(rb'^"POT-Creation-Date: [^"]*"\n', b"", out.getvalue(), count=1, flags=re.MULTILINE)


def update() -> None:
    """Write the template and merge it into every language (translations kept, new ones empty)."""
    fresh = template()
    pot_path().write_bytes(_written(fresh, locations=True))
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        catalog = read(language)
        catalog.update(fresh, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po_path(language).write_bytes(_written(catalog, locations=False))


def required_ids(language: str) -> set[str | tuple[str, ...]]:
    """What a language must translate: letters always, the app when it is offered in it."""
    return {message.id for message in template() if message.id} if language in UI_LANGUAGES else letter_ids()


def _texts(message_id: str | tuple[str, ...], string: str | tuple[str, ...]) -> list[tuple[str, str]]:
    ids = message_id if isinstance(message_id, tuple) else (message_id,)
    strings = string if isinstance(string, tuple) else (string,)
    return [(ids[min(i, len(ids) - 1)], text) for i, text in enumerate(strings)]


def problems(language: str) -> list[str]:
    """What is missing or wrong in a language's catalog, one line each."""
    catalog = read(language)
    found: list[str] = []
    by_id: dict[str, list[Message]] = {}  # every context of a message id (pgettext) must be translated
    for entry in catalog:
        if entry.id:
            by_id.setdefault(entry.id[0] if isinstance(entry.id, tuple) else entry.id, []).append(entry)
    for message_id in sorted(required_ids(language), key=str):
        entries = by_id.get(message_id[0] if isinstance(message_id, tuple) else message_id, [])
        if not entries:
            found.append(f"{language}: not in the catalog (run python -m tests.i18n.catalogs update): {message_id!r}")
            continue
        for message in entries:
            found += _message_problems(language, message_id, message)
    return found


def _message_problems(language: str, message_id: str | tuple[str, ...], message: Message) -> list[str]:
    found: list[str] = []
    where = f" (context {message.context!r})" if message.context else ""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if not all(strings) or message.fuzzy:
        found.append(f"{language}: untranslated: {message_id!r}{where}")
    else:
        for source, text in _texts(message_id, message.string):
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
                found.append(f"{language}: placeholders differ: {source!r} -> {text!r}")
            if ("&" in source.replace("&&", "")) != ("&" in text.replace("&&", "")) and _MNEMONIC.search(source):
                found.append(f"{language}: keyboard shortcut (&) lost or added: {source!r} -> {text!r}")
    return found


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
        merged = ", ".join(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)
        print(f"Wrote {pot_path()} and merged it into {merged}")
    else:
        listed = [line for language in LANGUAGES if language != SOURCE_LANGUAGE for line in problems(language)]
        print("\n".join(listed) or "Every catalog is complete.")
        sys.exit(1 if listed else 0)
