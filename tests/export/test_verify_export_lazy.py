"""verify-export reads a JSON export's records one at a time from the file (bounded memory:
guard.export.lazy_records); what it says is exactly what reading the file whole says, intact,
changed or laid out otherwise (then it is read whole). The memory figure is a benchmark's
(tests/bench/bench_verify_export.py), not asserted here."""

from __future__ import annotations

import json

import orjson
import pytest

from guard.export.lazy_records import LazyRecords, read_export
from guard.export.verify_export import verify_export
from tests.export.test_verify_export import changed, exported  # noqa: F401 (fixtures)


def both(path) -> tuple[dict, dict, object]:
    data = path.read_bytes()
    lazy = read_export(data)
    return verify_export(lazy, raw=data).to_dict(), verify_export(orjson.loads(data), raw=data).to_dict(), lazy


def test_an_export_the_app_wrote_is_read_a_record_at_a_time_and_said_the_same(exported):  # noqa: F811
    lazy_says, whole_says, document = both(exported)
    assert isinstance(document["mpg:records"], LazyRecords), "the app's own export was parsed whole"
    assert lazy_says == whole_says and lazy_says["ok"] is True


def _changed_note(document):
    document["mpg:records"][2]["mpg:record"]["note"] = "never said"


def _status_dropped(document):
    first = next(n for n in document["mpg:records"] if len(n.get("dpv:hasConsentStatus") or []) > 1)
    first["dpv:hasConsentStatus"].pop()


def _keyword_added(document):
    document["mpg:records"][1]["@reverse"] = {"x": 1}


@pytest.mark.parametrize("edit", [_changed_note, _status_dropped, _keyword_added])
def test_a_changed_record_is_said_changed_exactly_as_when_read_whole_hostile(exported, edit):  # noqa: F811
    lazy_says, whole_says, document = both(changed(exported, edit))
    assert isinstance(document["mpg:records"], LazyRecords)
    assert lazy_says == whole_says and lazy_says["ok"] is False


@pytest.mark.parametrize("layout", ["a number among the records", "the key written with escapes",
                                    "the records twice", "a string among the records"])
def test_a_file_laid_out_otherwise_is_read_whole_and_said_the_same_hostile(exported, tmp_path, layout):  # noqa: F811
    text = exported.read_text(encoding="utf-8")
    if layout == "a number among the records":
        text = text.replace('"mpg:records": [', '"mpg:records": [7, ', 1)
    elif layout == "the key written with escapes":
        text = text.replace('"mpg:records"', '"mpg:record\\u0073"', 1)
    elif layout == "the records twice":
        document = json.loads(text)
        text = json.dumps(document)[:-1] + ', "mpg:records": []}'
    else:
        text = text.replace('"mpg:records": [', '"mpg:records": ["x", ', 1)
    assert text != exported.read_text(encoding="utf-8")
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    lazy_says, whole_says, document = both(path)
    assert not isinstance(document["mpg:records"], LazyRecords)
    assert lazy_says == whole_says


def test_a_damaged_record_is_not_json_as_when_read_whole_hostile(exported, tmp_path):  # noqa: F811
    text = exported.read_text(encoding="utf-8")
    path = tmp_path / "broken.json"
    path.write_text(text.replace('"mpg:seq"', '"mpg:seq" "', 1), encoding="utf-8")
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(path.read_bytes())
    with pytest.raises(orjson.JSONDecodeError):
        read_export(path.read_bytes())


def test_a_file_of_quotes_left_open_is_scanned_once_not_again_from_each_quote_hostile():
    """'"\\"\\"\\"…' never closes: a scan that failed at each quote would start again at the next
    one, time growing with the square of the file (hours for a few MB). It is one token, then
    not JSON, as parsing it whole says."""
    from guard.export.lazy_records import _TOKEN

    hostile = b'{"mpg:formatVersion": 2, "mpg:records": [{"a": "' + b'\\"' * 200_000
    tokens = list(_TOKEN.finditer(hostile))
    assert tokens[-1].end() == len(hostile), "the open string was not read as one token to the end"
    assert len(tokens) == 7  # { "mpg:formatVersion" "mpg:records" [ { "a" and the open string
    with pytest.raises(orjson.JSONDecodeError):
        read_export(hostile)


def test_a_record_nested_past_the_parsers_depth_is_not_json_as_when_read_whole_hostile(exported, tmp_path):  # noqa: F811
    """A record read on its own sits two levels shallower than in the file: nested to just under
    the parser's limit it would parse alone although the file as a whole does not, and the check
    would go on with a file that is not JSON."""
    text = exported.read_text(encoding="utf-8")
    deep = "[" * 1022 + "]" * 1022
    path = tmp_path / "deep.json"
    path.write_text(text.replace('"mpg:seq"', f'"mpg:deep": {deep}, "mpg:seq"', 1), encoding="utf-8")
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(path.read_bytes())
    with pytest.raises(orjson.JSONDecodeError):
        read_export(path.read_bytes())
