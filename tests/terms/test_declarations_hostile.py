"""Declaration files in the user's folder (``config/declarations/*.json``) are the user's, or any of
their programs': one nested thousands of levels deep (json raises RecursionError, not a ValueError)
ended every terms check; it is a broken file like any other, named and skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.terms.declarations import load_declaration, load_declarations_dir
from guard.terms.errors import DeclarationError
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
