"""Finds user-visible text in ``ui/`` and ``guard/presentation/`` that does not go through the
translation functions: an AST scan, so it needs no window open and names file and line.

A string literal (or f-string) counts as *prose* when, with markup, placeholders and URLs taken
out, it still has words: two or more letters next to a space, or a capitalised word ("Overview").
Prose must be the message of ``_``/``N_``/``ngettext``/``pgettext``, unless it is not shown to the
user: a docstring, a log message, an exception for programmers, a dict key, a comparison, an
argument of the calls in :data:`NOT_SHOWN`, or a line marked ``# i18n-ok: why``.

Run ``python -m tests.i18n.scan`` to list what it finds.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("ui", "guard/presentation")
TRANSLATORS = {"_", "N_", "Nn_", "ngettext", "pgettext", "gettext"}
# Calls whose string arguments are never shown to the user (or are not prose in any language).
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}  # called on a logger
NOT_SHOWN = {
    "setStyleSheet", "setObjectName", "setProperty", "property", "QKeySequence", "fromTheme", "setFamily",
    "startswith", "endswith", "replace", "split", "rsplit", "partition", "rpartition", "strip", "rstrip", "lstrip",
    "join", "encode", "decode", "getattr", "hasattr", "setattr", "isinstance", "cast", "compile", "match", "search",
    "sub", "fullmatch", "findall", "QUrl", "fromLocalFile", "Path", "open", "findChild", "findChildren",
    "Signal", "Slot", "TypeVar", "submit", "strftime", "strptime", "fromisoformat", "get", "pop", "setdefault",
    "index", "count", "find", "removeprefix", "removesuffix", "__getattr__", "import_module", "environ",
    "QColor", "QFont", "name", "field", "setData", "data", "QRegularExpression", "mimeData", "setText_for_tests",
}
# Words that read the same in every language the app ships (names of formats, standards, the app).
TECHNICAL = {"JSON", "CSV", "HTML", "PDF", "SHA-256", "UTC", "GDPR", "DPV", "ISO", "Kantara", "TOML", "HTTPS", "URL",
             "Ctrl", "Meeting Privacy Guard", "PulseAudio", "PipeWire", "Zoom", "Ed25519", "JWS"}
_TAGS = re.compile(r"<[^>]*>|<\w+|&[a-z]+;|&#\d+;|\b[\w-]+=(\"[^\"]*\"?|'[^']*'?|\S*)")  # markup, attributes
_FIELDS = re.compile(r"\{[^{}]*\}|%[-#0-9.]*[a-zA-Z]")
_URL = re.compile(r"\b[a-z]+:[^\s]*")
_CODE = re.compile(r"\S*[a-z][A-Z]\S*|\S+\.\w\S*|\S*/\S*[A-Za-z]\S*")  # CamelCase, dotted names, paths
_PROSE = re.compile(r"[^\W\d_]{2,}[ \u00a0][^\W\d_]|\b[A-Z][a-z]{2,}")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


_WORD = re.compile(r"(?<![\w-])[^\W\d_]{3,}(?![\w-])")  # a word, not part of a slug such as "answer-"


def is_prose(text: str, *, formatted: bool = False) -> bool:
    """Words a person reads. ``formatted``: the literal parts of an f-string, where one word next
    to a value ("{provider} meeting") is already a phrase."""
    text = _CODE.sub(" ", _URL.sub(" ", _FIELDS.sub(" ", _TAGS.sub(" ", text).replace("&", ""))))
    for word in TECHNICAL:
        text = text.replace(word, " ")
    return bool(_PROSE.search(text) or (formatted and _WORD.search(text)))


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.findings: list[Finding] = []
        self._exempt: set[int] = set()  # ids of nodes whose strings are not shown

    def _exempt_tree(self, node: ast.AST | None) -> None:
        if node is not None:
            for child in ast.walk(node):
                self._exempt.add(id(child))

    def visit_Module(self, node: ast.Module) -> None:
        self._docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._docstring(node)
        for decorator in node.decorator_list:
            self._exempt_tree(decorator)
        self._exempt_tree(node.returns)
        self._exempt_tree(node.args)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._docstring(node)
        self.generic_visit(node)

    def _docstring(self, node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self._exempt.add(id(body[0].value))
        for statement in body:  # attribute docstrings: a string right after an assignment
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                self._exempt.add(id(statement.value))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        logged = (name in LOGGING and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                  and node.func.value.id in ("log", "logger", "logging"))
        if name in TRANSLATORS or name in NOT_SHOWN or logged:
            self._exempt_tree(node)
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        self._exempt_tree(node)  # exceptions raised here are for programmers (users get GuardError messages)
        self.generic_visit(node)

    def visit_Assert(self, node: ast.Assert) -> None:
        self._exempt_tree(node)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key in node.keys:
            self._exempt_tree(key)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        self._exempt_tree(node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._exempt_tree(node.slice)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets):
            self._exempt_tree(node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._exempt_tree(node.annotation)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self._exempt and is_prose(node.value):
            self._report(node, node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if id(node) in self._exempt:
            return
        literal = "".join(part.value for part in node.values if isinstance(part, ast.Constant)
                          and isinstance(part.value, str))
        if is_prose(literal, formatted=True):
            self._report(node, literal)
            return
        self.generic_visit(node)

    def _report(self, node: ast.expr, text: str) -> None:
        end = getattr(node, "end_lineno", node.lineno) or node.lineno
        if any("# i18n-ok" in self.lines[number - 1] for number in range(node.lineno, end + 1)):
            return
        self.findings.append(Finding(self.path, node.lineno, text))


def untranslated(root: Path = ROOT) -> Iterator[Finding]:
    """Prose in the scanned folders that is not wrapped in a translation function."""
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            scanner = _Scanner(str(path.relative_to(root)), source.splitlines())
            scanner.visit(ast.parse(source, str(path)))
            yield from scanner.findings


if __name__ == "__main__":
    found = list(untranslated())
    for finding in found:
        print(finding)
    print(f"{len(found)} untranslated", file=sys.stderr)
