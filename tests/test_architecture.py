"""The house's walls: the core never imports the UI or Qt; the UI reaches the core only
through the door (guard.services), the presentation rules and the event types; every door
method that blocks says so and is checked. Run with the real import-linter."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from guard.services import Services, is_blocking

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_FOR_UI = {"guard.services", "guard.presentation", "guard.events", "guard.errors"}


def contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff_finds_nothing():
    """The house style (pyproject.toml [tool.ruff]) holds in the core, the UI and the tests."""
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "--output-format", "concise", "guard", "ui", "tests"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    """The core type-checks under mypy --strict (pyproject.toml [tool.mypy]): 0 errors."""
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout


def test_every_part_of_the_core_is_either_open_or_closed_to_the_ui():
    parts = {f"guard.{path.stem if path.is_file() else path.name}" for path in (ROOT / "guard").iterdir()
             if (path.suffix == ".py" and path.stem not in ("__init__", "__main__"))
             or (path.is_dir() and (path / "__init__.py").exists())}
    (door,) = [c for c in contracts() if c["source_modules"] == ["ui"]]
    unclassified = parts - ALLOWED_FOR_UI - set(door["forbidden_modules"])
    assert not unclassified, (f"add {sorted(unclassified)} to the ui contract's forbidden_modules in pyproject.toml "
                              "(the UI reaches them through guard.services)")


class _Reach(ast.NodeVisitor):
    """Attribute uses in ui/ that would hand the UI the ledger or the terms store itself."""

    FORBIDDEN = {"ledger", "terms_store", "_open_ledger", "_reader", "_terms", "_monitor", "_monitor_for_lane"}

    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in self.FORBIDDEN:
            self.found.append(f"line {node.lineno}: .{node.attr}")
        self.generic_visit(node)


def test_the_ui_never_holds_the_ledger_or_the_terms_store():
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        reach = _Reach()
        reach.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += [f"{path.relative_to(ROOT)} {where}" for where in reach.found]
    assert not found, "the UI must use the door's methods (run on the job runner): " + "; ".join(found)


def test_every_door_method_that_blocks_says_so_and_is_checked():
    parts = [part for part in Services.__mro__ if part.__module__.startswith("guard.services")]
    assert len(parts) > 1, "the door's parts (ledger, terms) are mixed into Services"
    for part in parts:
        for name, member in vars(part).items():
            if not callable(member) or name.startswith("_") and name != "__init__":
                continue
            says = (member.__doc__ or "").lstrip().startswith("Blocks")
            assert says == is_blocking(member), f"{part.__name__}.{name}: docstring 'Blocks' and @blocking must agree"
