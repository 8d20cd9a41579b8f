"""Declaration files in the user's folder (``config/declarations/*.json``) are the user's, or any of
their programs': one nested thousands of levels deep (json raises RecursionError, not a ValueError)
ended every terms check; it is a broken file like any other, named and skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.terms.declarations import load_declaration, load_declarations_dir
from guard.terms.errors import DeclarationError
from tests.support.bounded import bounded
from tests.terms.support.pages import FIXTURES


def test_a_declaration_nested_deep_is_named_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "Zoom.json").write_text((FIXTURES / "ota" / "Zoom.json").read_text(encoding="utf-8"), encoding="utf-8")
    nested = tmp_path / "Deep.json"
    nested.write_text('{"name": "X", "terms": ' + "[" * 100_000, encoding="utf-8")
    with pytest.raises(DeclarationError, match="Deep.json"):
        load_declaration(nested)
    declarations, problems = load_declarations_dir(tmp_path)
    assert [d.name for d in declarations] == ["Zoom"], "the good file is still watched"
    assert any("Deep.json" in problem and "nested" in problem for problem in problems)


@pytest.mark.parametrize("kind", ["named pipe", "link to /dev/zero"])
def test_a_declaration_that_is_not_a_file_is_named_and_skipped_not_waited_on(tmp_path: Path, kind: str) -> None:
    """A named pipe among the declarations made every terms check wait for ever for a writer; a link
    to /dev/zero made it read for ever."""
    import os

    (tmp_path / "Zoom.json").write_text((FIXTURES / "ota" / "Zoom.json").read_text(encoding="utf-8"), encoding="utf-8")
    odd = tmp_path / "Odd.json"
    if kind == "named pipe":
        os.mkfifo(odd)
    else:
        odd.symlink_to("/dev/zero")
    found = bounded(lambda: load_declarations_dir(tmp_path), hang=f"waited on a {kind}")
    assert not isinstance(found, BaseException), found
    declarations, problems = found
    assert [d.name for d in declarations] == ["Zoom"]
    assert any("Odd.json" in problem for problem in problems), problems


def test_huge_names_and_values_are_quoted_short_and_ids_stay_ids(tmp_path: Path) -> None:
    """Audit round four: a declaration's name, document type and selectors were quoted whole in
    its problems (listed in Overview and by 'terms check') and made the provider id: a 300 kB
    name was a 300 kB id and title."""
    import json

    (tmp_path / "Huge.json").write_text(json.dumps({"name": "Acme " + "N" * 300_000, "terms": {
        "Terms of Service " + "T" * 100_000: {"fetch": "https://acme.example/terms", "select": "main",
                                              "filter": ["f" * 200_000], "x" * 100_000: 1},
        "Privacy\nPolicy": {"fetch": "https://acme.example/privacy", "select": [list(range(40_000))]}}}),
        encoding="utf-8")
    declarations, problems = load_declarations_dir(tmp_path)
    (declaration,) = declarations
    (document,) = declaration.documents
    assert document.provider_id.startswith("acme-nnn") and len(document.provider_id) <= 100
    assert len(document.document_id) <= 100 and len(document.title) < 300
    assert len(problems) == 3  # the filters and the unknown field of one document, the other document's selector
    for problem in problems:
        assert "Huge.json" in problem and len(problem) < 2000 and "\n" not in problem, len(problem)


@pytest.mark.parametrize("foreign", ["file", "folder"])
def test_a_declaration_of_another_user_is_named_and_skipped(tmp_path: Path, foreign: str) -> None:
    """Audit 13: a config folder in a shared place. Another user's declaration (or one in a folder of theirs)
    was watched like the user's own: it chose pages the app fetched (telling that host when this user's app
    runs, from where) and terms changes the tray announced under a provider's name. Settings and user catalog
    files of another user were already refused; now declarations are too."""
    import os

    if os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    folder = tmp_path / "declarations"
    folder.mkdir()
    planted = folder / "Zoom.json"
    planted.write_text((FIXTURES / "ota" / "Zoom.json").read_text(encoding="utf-8"), encoding="utf-8")
    os.chown(planted if foreign == "file" else folder, 65534, 65534)
    declarations, problems = load_declarations_dir(folder)
    assert declarations == [], "another user's declaration is watched"
    (problem,) = problems
    assert str(planted) in problem and "belongs to another user (uid 65534)" in problem
    assert [d.name for d in [load_declaration(planted)]] == ["Zoom"], "a file given by name is the user's choice"
