"""verify-export in bounded memory: a JSON export's records read one at a time from the file's
bytes, never all parsed at once. Parsed whole, a 279 MB export of 100,000 decisions took 1.7 GB
(6.4 times the file; tests/bench/bench_verify_export.py): every record's nodes held together.

:func:`read_export` splits the file: the document around ``mpg:records`` is parsed as usual and
each record is kept as its span of the file's bytes, parsed (by the same parser) whenever the
check walks the records; the check itself keeps only the few fields it compares later
(``guard.export.verify_export``). A file laid out otherwise (a record that is not an object, a
key written with escapes, ``mpg:records`` twice, nesting deeper than any export, a format other
than 2) is parsed whole, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, SupportsIndex, overload

import orjson

# A JSON string or a bracket. Possessive, and a string left open runs to the end of the file as
# one token: a scan that failed at each quote of '"\"\"\"…' would start again at the next one,
# and take time growing with the square of the file's size.
_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\Z)|[\[\]{}]', re.DOTALL)
_SPACE = b" \t\r\n"
_RECORDS_KEY = b'"mpg:records"'
# Deeper than this anywhere, the file is parsed whole: a record parsed alone sits two levels
# shallower than in the file, so one nested to just under the parser's limit (orjson: 1024) would
# parse alone although the file does not. The app nests a dozen levels.
_MAX_DEPTH = 256


class LazyRecords(list):  # type: ignore[type-arg]  # a list to every check that asks; holds no items itself
    """The records of an export, each parsed from the file's bytes each time it is reached."""

    def __init__(self, data: bytes, spans: list[tuple[int, int]]) -> None:
        super().__init__()
        self._data = memoryview(data)
        self._spans = spans

    def __len__(self) -> int:
        return len(self._spans)

    def __bool__(self) -> bool:
        return bool(self._spans)

    def __iter__(self) -> Iterator[Any]:
        for start, end in self._spans:
            yield orjson.loads(self._data[start:end])

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        if isinstance(index, slice):
            return [orjson.loads(self._data[start:end]) for start, end in self._spans[index]]
        start, end = self._spans[index]
        return orjson.loads(self._data[start:end])


def read_export(data: bytes) -> Any:
    """The export in ``data``, its records read lazily where the file allows (else parsed whole).
    Raises ``orjson.JSONDecodeError`` for a file that is not JSON, as parsing it whole does."""
    split = _split(data)
    if split is None:
        return orjson.loads(data)
    start, end, spans = split
    document = orjson.loads(b"".join((data[:start], b"[]", data[end:])))
    if not isinstance(document, dict) or type(document.get("mpg:formatVersion")) is not int \
            or document.get("mpg:formatVersion") != 2:
        return orjson.loads(data)  # format 1, or not an export at all: the checks that read it whole
    view = memoryview(data)
    for first, last in spans:  # each record is JSON: a damaged one is "not JSON", as when parsed whole
        orjson.loads(view[first:last])
    document["mpg:records"] = LazyRecords(data, spans)
    return document


def _split(data: bytes) -> tuple[int, int, list[tuple[int, int]]] | None:
    """Where the ``mpg:records`` array starts and ends, and each record's span; None when the file
    is not laid out as this app writes it (then it is parsed whole)."""
    depth = 0
    array: int | None = None  # where the records' array opened
    found: tuple[int, int, list[tuple[int, int]]] | None = None
    spans: list[tuple[int, int]] = []
    element: int | None = None  # where the record being read opened
    after = 0  # where the text between two records began
    for token in _TOKEN.finditer(data):
        kind = data[token.start()]
        if kind == 0x22:  # a string
            if len(token.group()) < 2 or not token.group().endswith(b'"') or _escaped_end(token.group()):
                return None  # left open to the end of the file: not JSON, which parsing it whole says
            if depth == 1 and array is None and _is_key(data, token.end()):
                if b"\\" in token.group():
                    return None  # a key written with escapes could spell mpg:records
                if token.group() == _RECORDS_KEY:
                    if found is not None:
                        return None  # written twice
                    colon = _skip_space(data, token.end())
                    opened = _skip_space(data, colon + 1)
                    if opened >= len(data) or data[opened] != 0x5B:
                        return None  # not an array: the check says so, reading it whole
                    array = opened
                    after = opened + 1
            elif depth == 2 and array is not None:
                return None  # a string among the records: not a record
            continue
        if kind in (0x7B, 0x5B):  # { [
            if array is not None and depth == 1 and token.start() == array:
                depth = 2
                continue
            if array is not None and depth == 2:
                if kind != 0x7B or not _only_separator(data, after, token.start(), first=not spans):
                    return None
                element = token.start()
            depth += 1
            if depth > _MAX_DEPTH:
                return None  # parsed whole, which says whether the parser reads it at all
        else:  # } ]
            depth -= 1
            if depth < 0:
                return None
            if array is not None and depth == 2 and element is not None:
                spans.append((element, token.end()))
                element, after = None, token.end()
            elif array is not None and depth == 1:
                if kind != 0x5D or data[after:token.start()].strip(_SPACE):
                    return None  # text after the last record, or a bracket that does not close the array
                found = (array, token.end(), spans)
                array, spans = None, []
    return found if depth == 0 else None


def _escaped_end(string: bytes) -> bool:
    """Whether the closing quote is itself escaped (an odd run of backslashes before it)."""
    run = len(string) - 1 - len(string[:-1].rstrip(b"\\"))
    return run % 2 == 1


def _is_key(data: bytes, end: int) -> bool:
    at = _skip_space(data, end)
    return at < len(data) and data[at] == 0x3A  # ':'


def _skip_space(data: bytes, at: int) -> int:
    while at < len(data) and data[at] in _SPACE:
        at += 1
    return at


def _only_separator(data: bytes, start: int, end: int, *, first: bool) -> bool:
    """Between two records only spaces and one comma; before the first, only spaces."""
    between = data[start:end].strip(_SPACE)
    return between == b"" if first else between == b","
