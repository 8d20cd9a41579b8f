"""Reading a settings file that may be damaged, keeping everything that can still be read.

A TOML syntax error on one line must not cost the user every other setting (and must not turn
the network back on). :func:`read_lenient` parses the whole file; when that fails it parses
table by table, and inside a broken table line by line, and reports each line it could not
read with its number. A table whose header appears twice, or that keys above its header made
already (TOML forbids both), is read from neither place: which one the writer meant cannot be
known, so its settings take their defaults, or their private values. A line inside a multi-line
string (three double or single quotes) is text, never a setting or a header, even when read line by line (fail
closed: a note quoting "network_enabled = true" turns nothing on). :func:`key_lines` finds the
line of each ``section.key`` so that a bad value is reported where the user can find it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

# A table header line: [name] or [name.sub], with an optional comment. Linear-time pattern.
_HEADER = re.compile(r"\s*\[\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*\]\s*(?:#.*)?")
_KEY = re.compile(r"\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_LINE_IN_MESSAGE = re.compile(r"\((?:at line \d+, column \d+|at end of document)\)")


@dataclass(frozen=True)
class LineProblem:
    """A line (1-based) of the file that could not be read, and why."""

    line: int
    reason: str


def _tomllib_reason(error: tomllib.TOMLDecodeError) -> str:
    return _LINE_IN_MESSAGE.sub("", str(error)).strip()


@dataclass
class Recovered:
    """What could be read from a damaged file."""

    data: dict[str, Any]
    problems: list[LineProblem]
    conflicts: set[str]  # ``section.key`` set twice to different values: neither is trusted


def _merge(into: Recovered, table: str | None, values: dict[str, Any]) -> None:
    target = into.data if table is None else into.data.setdefault(table, {})
    if not isinstance(target, dict):
        return
    for key, value in values.items():
        dotted = f"{table}.{key}" if table else key
        if dotted in into.conflicts:
            continue
        if key in target and target[key] != value:
            del target[key]
            into.conflicts.add(dotted)
        else:
            target[key] = value


def toml_lines(text: str) -> list[str]:
    """``text``'s lines as TOML counts them: broken at a line feed (CRLF or LF) only. ``str.splitlines``
    also breaks at U+2028, U+2029, NEL and form feeds, which TOML allows in a comment or a string, so a
    comment saying "...<U+2028>network_enabled = true" was read as a setting once a syntax error elsewhere
    made the reader go line by line (and line numbers in messages were off after one)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def read_lenient(text: str) -> Recovered:
    """The TOML data that can be read from ``text``, the lines that could not, and keys set twice."""
    try:
        return Recovered(tomllib.loads(text), [], set())
    except (tomllib.TOMLDecodeError, RecursionError):  # tomllib recurses once per nested array or table
        pass
    recovered = Recovered({}, [], set())
    problems = recovered.problems
    lines = toml_lines(text)
    inside = _inside_strings(lines)
    blocks = _blocks(lines, inside)
    repeated = _repeated_tables(blocks)
    for table, first_line, lines in blocks:
        if table is _BROKEN:
            problems.append(LineProblem(first_line, "this table header is not valid TOML; "
                                        "the settings under it were not read."))
            continue
        if isinstance(table, str) and table in repeated:
            first = repeated[table]
            if first_line - 1 != first:
                problems.append(LineProblem(first_line - 1, f"the table [{table}] was already started at line "
                                            f"{first} (TOML allows each table once); neither was read: put its "
                                            "settings under one header."))
            continue
        if isinstance(table, str) and table in recovered.data:  # made above its header, by 'terms.x =' or '{...}'
            del recovered.data[table]
            problems.append(LineProblem(first_line - 1, f"the table [{table}] was already made above its header "
                                        f"(by '{table}.name = ...' or '{table} = {{...}}'; TOML allows each table "
                                        "once); neither was read: put its settings under one header."))
            continue
        name = table if isinstance(table, str) else None
        try:
            _merge(recovered, name, tomllib.loads("\n".join(lines)))
            continue
        except (tomllib.TOMLDecodeError, RecursionError):
            pass
        for offset, line in enumerate(lines):
            if not line.strip() or line.lstrip().startswith("#") or first_line + offset in inside:
                continue
            try:
                _merge(recovered, name, tomllib.loads(line))
            except tomllib.TOMLDecodeError as error:
                reason = f"not valid TOML ({_tomllib_reason(error)}); the line was skipped."
                problems.append(LineProblem(first_line + offset, reason))
            except RecursionError:
                problems.append(LineProblem(first_line + offset, "nested too deeply to read (arrays or tables "
                                            "inside each other thousands of times); the line was skipped."))
    return recovered


_BROKEN = object()  # a block under a header that does not parse


def _closing(line: str, start: int, quote: str) -> int:
    """Where the string that ``quote`` opened ends in ``line`` (the index after its closing quote), looking
    from ``start``; -1 if it does not end on this line. Basic (double-quoted) strings have backslash escapes."""
    escapes = quote[0] == '"'
    index = start
    while index < len(line):
        if escapes and line[index] == "\\":
            index += 2
            continue
        if line.startswith(quote, index):
            end = index + len(quote)
            if len(quote) == 3:  # up to two more quotes belong to the string
                extra = 0
                while extra < 2 and end < len(line) and line[end] == quote[0]:
                    end += 1
                    extra += 1
            return end
        index += 1
    return -1


def _inside_strings(lines: list[str]) -> set[int]:
    """The numbers (1-based) of the lines that start inside a multi-line string: text, not settings.
    One pass; quotes in comments and in one-line strings open nothing."""
    inside: set[int] = set()
    open_quote: str | None = None
    for number, line in enumerate(lines, start=1):
        if open_quote is not None:
            inside.add(number)
        index = 0
        while index < len(line):
            if open_quote is not None:
                end = _closing(line, index, open_quote)
                if end < 0:
                    break
                index, open_quote = end, None
                continue
            char = line[index]
            if char == "#":
                break
            if char in "\"'":
                if line.startswith(char * 3, index):
                    open_quote = char * 3
                    index += 3
                    continue
                end = _closing(line, index + 1, char)
                if end < 0:
                    break  # a one-line string that does not end: the line is broken, the next is not inside
                index = end
                continue
            index += 1
    return inside


def _blocks(lines: list[str], inside: set[int]) -> list[tuple[object, int, list[str]]]:
    """(table name, None for the top, or _BROKEN; first body line number; body lines) per block. A line
    inside a multi-line string (``inside``) starts no table."""
    blocks: list[tuple[object, int, list[str]]] = [(None, 1, [])]
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if stripped.startswith("[") and number not in inside:
            match = _HEADER.fullmatch(line)
            name = re.sub(r"\s+", "", match.group(1)) if match else None
            if name is None or "." in name:  # this file has no nested tables
                blocks.append((_BROKEN, number, []))
            else:
                blocks.append((name, number + 1, []))
            continue
        blocks[-1][2].append(line)
    return blocks


def _repeated_tables(blocks: list[tuple[object, int, list[str]]]) -> dict[str, int]:
    """Table name → the line of its first header, for each table whose header appears more than once
    (TOML forbids it; merging the two would guess which one the writer meant)."""
    first: dict[str, int] = {}
    repeated: dict[str, int] = {}
    for table, first_line, _lines in blocks:
        if isinstance(table, str):
            if table in first:
                repeated[table] = first[table]
            else:
                first[table] = first_line - 1
    return repeated


def key_lines(text: str) -> dict[str, int]:
    """``section.key`` → the (first) line that sets it, for messages."""
    found: dict[str, int] = {}
    table: str | None = None
    lines = toml_lines(text)
    inside = _inside_strings(lines)
    for number, line in enumerate(lines, start=1):
        if number in inside:
            continue
        header = _HEADER.fullmatch(line)
        if header:
            table = re.sub(r"\s+", "", header.group(1))
            found.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            name = re.sub(r"\s+", "", key.group(1))
            found.setdefault(f"{table}.{name}" if table else name, number)
    return found
