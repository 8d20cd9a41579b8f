"""The catalog snapshot behind ``providers`` and ``scan``: always as current as the files, never trusted blindly."""

import json
import logging
import os
import subprocess
import sys

from guard.catalog.snapshot import FILE_NAME, fingerprint, load_snapshot
from guard.detect.matching import DetectionRules, ProviderDetection
from guard.paths import app_paths, resources_dir
from tests.detect.world import client_copy, provider_toml, unique, write_catalog
from tests.support.catalogs import write_catalog_for_tests

MINE = 'id = "mine"\nname = "{name}"\nvendor = "Me"\nkind = "meeting-client"\nhomepage = "https://mine.example/"\n'


def listed(cli) -> dict[str, dict]:
    result = cli("providers", "--json")
    assert result.returncode == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)["providers"]}


def test_a_changed_user_file_shows_at_once(cli, app_home):
    folder = app_home / "config" / "catalog"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(MINE.format(name="Mine"), encoding="utf-8")
    assert listed(cli)["mine"]["name"] == "Mine"
    assert (app_home / "cache" / FILE_NAME).is_file(), "the first run keeps a snapshot"
    stat = (folder / "mine.toml").stat()
    (folder / "mine.toml").write_text(MINE.format(name="Mina"), encoding="utf-8")  # same size
    os.utime(folder / "mine.toml", ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    assert listed(cli)["mine"]["name"] == "Mina", "the fingerprint sees the change time, which no tool sets back"
    (folder / "mine.toml").unlink()
    assert "mine" not in listed(cli)


def test_a_broken_or_forged_snapshot_is_rebuilt(cli, app_home):
    expected = listed(cli)
    snapshot = app_home / "cache" / FILE_NAME
    for text in ("not json", json.dumps({"format": 1, "fingerprint": "x", "providers": [], "problems": []}),
                 json.dumps({"format": 1, "fingerprint": fingerprint(resources_dir() / "catalog",
                                                                       app_paths().user_catalog_dir),
                             "providers": [{"summary": {"id": 1}, "detect": {}}], "problems": []})):
        snapshot.write_text(text)
        assert listed(cli) == expected
    assert json.loads(snapshot.read_text())["providers"], "rewritten"


def test_a_read_only_cache_costs_only_speed(cli, app_home):
    (app_home / "cache").mkdir(parents=True)
    (app_home / "cache").chmod(0o500)
    try:
        assert "zoom" in listed(cli)
    finally:
        (app_home / "cache").chmod(0o700)


def test_snapshot_matches_a_full_load(tmp_path):
    snapshot, loaded = load_snapshot(tmp_path)
    assert loaded is not None and [e.id for e in snapshot.providers] == [p.id for p in loaded]
    again, reloaded = load_snapshot(tmp_path)
    assert reloaded is None, "read back"
    assert [e.summary for e in again.providers] == [e.summary for e in snapshot.providers]
    from_snapshot = DetectionRules.from_data(again.detection(), "linux")
    from_models = DetectionRules.from_catalog(loaded, "linux")
    assert from_snapshot.processes == from_models.processes and from_snapshot.notetakers == from_models.notetakers
    assert from_snapshot.media_gated == from_models.media_gated == frozenset({"discord"})
    def sources(rules: DetectionRules) -> list[tuple[str, str]]:
        return [(provider, pattern.source) for provider, pattern in rules.url_patterns]

    assert sources(from_snapshot) == sources(from_models)
    assert {k: [x.source for x in v] for k, v in from_snapshot.url_excludes.items()} == \
        {k: [x.source for x in v] for k, v in from_models.url_excludes.items()}
    assert [(k, p.source) for k, p in from_snapshot.participants] == \
        [(k, p.source) for k, p in from_models.participants]
    assert from_snapshot.notices == from_models.notices


SCAN_IMPORTS = """
import sys
from guard.cli.main import main
code = main(["scan", "--json", "--catalog", sys.argv[1]])
heavy = sys.argv[2].split()
print(code, " ".join(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
"""
# What a scan that finds no meeting client must not load (issue 18: a scan starts at once): the
# validating catalog (pydantic, its models, the loader, a TOML parser: no settings file here),
# the GUI, the stores and their crypto, the terms watcher and its network, exports and their
# formats. (D-Bus, jeepney, is loaded on a desktop: the scan reports the desktop's services.)
# Nor the fixed start-up costs a pass without events does not need: the event classes
# (guard.event_kinds, re-exported by guard.events on first use) and the accessibility reader
# (off by default, made on first use: guard.detect.platform.DeferredReader). A scan that finds a
# client running defines a running app's events (guard.event_kinds) but not a meeting's
# (guard.event_kinds_meeting) or the terms watcher's (guard.event_kinds_terms).
HEAVY = ("pydantic", "pydantic_core", "PySide6", "cryptography", "keyring", "requests", "urllib3",
         "orjson", "babel", "rdflib", "pikepdf", "joserfc", "tomllib", "guard.catalog.models", "guard.catalog.loader",
         "guard.terms", "guard.ledger", "guard.export", "guard.services", "ui", "guard.event_kinds",
         "guard.event_kinds_meeting", "guard.event_kinds_terms", "guard.detect.accessibility")


def test_scan_from_the_snapshot_imports_nothing_heavy(tmp_path, app_home):
    folder = tmp_path / "catalog"
    write_catalog(folder, {"zoom": provider_toml("zoom", "Zoom Workplace", processes=[unique("zoom")])})
    runs = [subprocess.run([sys.executable, "-c", SCAN_IMPORTS, str(folder), " ".join(HEAVY)], capture_output=True,
                           text=True, timeout=60, check=False) for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    first, second = (run.stdout.splitlines()[-1].split() for run in runs)
    assert first[0] == "0" and "pydantic" in first, "the first scan validates the catalog and keeps a snapshot"
    assert second == ["0"], f"second scan, from the snapshot, imported {second[1:]}"


def test_a_scan_that_finds_a_client_prints_its_event_from_the_snapshot(tmp_path, app_home):
    """Issue 18: the scan an evaluator runs while Zoom is open. Its event names the provider, its
    AI features and the clauses in force: from the snapshot, without the catalog's models."""
    folder, name = tmp_path / "catalog", unique("testmeet")
    write_catalog_for_tests(folder, client=name)
    client = subprocess.Popen([str(client_copy(tmp_path / "bin", name)), "600"])
    try:
        runs = [subprocess.run([sys.executable, "-c", SCAN_IMPORTS, str(folder), " ".join(HEAVY)],
                               capture_output=True, text=True, timeout=60, check=False) for _ in range(2)]
    finally:
        client.kill()
        client.wait()
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    (first, first_imports), (second, second_imports) = (
        (json.loads(run.stdout.splitlines()[-2]), run.stdout.splitlines()[-1].split()) for run in runs)
    assert "pydantic" in first_imports, "the first scan validates the catalog and keeps a snapshot"
    assert second_imports == ["0", "guard.event_kinds"], f"second scan imported {second_imports[1:]}"

    def told(report: dict) -> list[tuple]:
        return [(e["event"], e["provider"], [f["id"] for f in e["ai_features"]], e["clauses_in_force"])
                for e in report["events"]]

    assert [e[:3] for e in told(second)] == [("app-started", {"id": "testmeet", "name": "TestMeet",
                                                              "vendor": "Test vendor", "kind": "meeting-client"},
                                              ["summary", "recording"])]
    assert [c["id"] for c in second["events"][0]["clauses_in_force"]] == ["no-training", "licence"], \
        "the clause that ended in 2023 is not in force"
    assert told(second) == told(first), "the same from the snapshot as from the models"



def test_a_scan_that_finds_a_meeting_loads_no_accessibility_reader_while_that_probe_is_off(tmp_path, app_home):
    """A client in a meeting (its meeting process running): the scan prints the meeting with a
    meeting's event classes, and says the accessibility probe is off (its default) without
    loading the reader's modules for clients it will not read."""
    folder, client, meeting = tmp_path / "catalog", unique("zoom"), unique("zoommeet")
    write_catalog(folder, {"zoom": provider_toml("zoom", "Zoom Workplace", processes=[client],
                                                 meeting_processes=[meeting])})
    started = [subprocess.Popen([str(client_copy(tmp_path / "bin", name)), "600"]) for name in (client, meeting)]
    try:
        runs = [subprocess.run([sys.executable, "-c", SCAN_IMPORTS, str(folder), " ".join(HEAVY)],
                               capture_output=True, text=True, timeout=60, check=False) for _ in range(2)]
    finally:
        for process in started:
            process.kill()
            process.wait()
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    report, imported = json.loads(runs[1].stdout.splitlines()[-2]), runs[1].stdout.splitlines()[-1].split()
    assert [m["provider_id"] for m in report["meetings"]] == ["zoom"]
    assert {e["event"] for e in report["events"]} == {"app-started", "meeting-started"}
    (probe,) = [p for p in report["probes"] if p["name"] == "accessibility"]
    assert probe["state"] == "off"
    assert imported == ["0", "guard.event_kinds", "guard.event_kinds_meeting"], f"imported {imported[1:]}"

def test_the_browser_table_is_read_back_from_the_snapshot(tmp_path):
    from guard.detect.browsers import load_browsers

    load_snapshot(tmp_path)
    again, loaded = load_snapshot(tmp_path)
    assert loaded is None and again.browsers is not None
    assert again.browser_table() == load_browsers(), "ids, process names, suffixes, sources with their dates"
    rules = DetectionRules.from_data(again.detection(), "linux", table=again.browser_table())
    assert rules.match_browser_window("Meet - abc-defg-hij - Google Chrome", "chrome")


def test_a_damaged_browser_table_in_the_snapshot_falls_back_to_the_file(tmp_path):
    from guard.detect.browsers import load_browsers

    load_snapshot(tmp_path)
    path = tmp_path / FILE_NAME
    data = json.loads(path.read_text())
    data["browsers"] = {"browser": [{"id": "x"}]}  # no name: the table's own checks refuse it
    path.write_text(json.dumps(data))
    again, loaded = load_snapshot(tmp_path)
    assert loaded is None and again.browser_table() == load_browsers()


def test_a_pattern_damaged_in_the_snapshot_is_left_out_not_fatal(caplog):
    good = ProviderDetection("good", "meeting-client", {"web": {"url_patterns": [r"^https://good\.example/j/"]}})
    bad = ProviderDetection("bad", "meeting-client", {"web": {"url_patterns": ["(?=lookahead)", "h" * 5000]}})
    rules = DetectionRules.from_data([bad, good], "linux")  # as read back: compiled on first use
    with caplog.at_level(logging.WARNING, logger="guard.patterns"):
        found = rules.match_urls(("--url=https://good.example/j/123",))
    assert found == [("good", "https://good.example/j/123")]
    assert "(?=lookahead)" in caplog.text and "5000 characters long" in caplog.text
    assert caplog.text.count("left out") == 2, "each once, with the same checks as the catalog's"


def test_a_provider_for_an_event_is_validated_alone_from_the_snapshot(tmp_path, monkeypatch):
    from guard.catalog import loader
    from guard.catalog.models import Provider
    from guard.catalog.snapshot import LazyCatalog

    snapshot, full = load_snapshot(tmp_path)
    assert full is not None
    for provider in full:  # every provider survives the round trip through JSON unchanged
        assert Provider.model_validate(provider.model_dump(mode="json")) == provider, provider.id

    def no_full_load(**_kwargs):
        raise AssertionError("the whole catalog was loaded")

    monkeypatch.setattr(loader, "load_catalog", no_full_load)
    current, _ = load_snapshot(tmp_path)
    lazy = LazyCatalog(None, None, None, current, tmp_path)
    assert lazy.get("zoom") == full.get("zoom")
    assert lazy.get("zoom") is lazy.get("zoom"), "validated once"


def test_events_from_the_snapshot_say_what_the_models_say(tmp_path, monkeypatch):
    """Every shipped provider's event, on days before, between and after its clauses' dates, is
    the same JSON from the snapshot's facts as :class:`MonitorEvent` makes from the models."""
    from datetime import UTC, date, datetime

    from guard.catalog.snapshot import LazyCatalog
    from guard.events import AppStarted, RunningApp
    from guard.monitor import MonitorEvent, event_json

    snapshot, full = load_snapshot(tmp_path)
    assert full is not None
    current, loaded = load_snapshot(tmp_path)
    assert loaded is None

    def no_models(*_args, **_kwargs):
        raise AssertionError("an event's facts came from the catalog's models")

    lazy = LazyCatalog(None, None, None, current, tmp_path)
    monkeypatch.setattr(LazyCatalog, "get", no_models)
    days = {date(2026, 12, 1), date(2000, 1, 1)}
    for clause in (c for p in full for c in p.clauses):
        days |= {clause.effective_from, *([clause.effective_to] if clause.effective_to else [])}
    assert len(days) > 10
    for provider in full:
        facts = lazy.event_facts(provider.id)
        assert facts is not None, provider.id
        for day in days:
            at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            event = AppStarted(provider_id=provider.id, at=at, app=RunningApp("a1", provider.id, at, ()))
            day = at.astimezone().date()
            expected = MonitorEvent(event, provider, tuple(provider.ai_features),
                                    tuple(provider.clauses_in_force(day))).to_dict()
            assert event_json(event, facts.provider, facts.ai_features, facts.clauses_in_force(day)) == expected
    monkeypatch.undo()
    assert lazy.event_facts("no-such-provider") is None


def read_events(path) -> tuple[dict, dict]:
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads(header), {json.loads(key): json.loads(facts) for key, facts in
                                (line.split("\t") for line in lines)}


def write_events(path, header: dict, providers: dict) -> None:
    lines = [json.dumps(header), *(f"{json.dumps(key)}\t{json.dumps(facts)}" for key, facts in providers.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_damaged_or_stale_event_facts_fall_back_to_the_models(tmp_path):
    from guard.catalog.snapshot import EVENTS_FILE_NAME, EventFacts, LazyCatalog

    snapshot, full = load_snapshot(tmp_path)
    expected = EventFacts.of(full.get("zoom")).to_json()
    path = tmp_path / EVENTS_FILE_NAME
    header, good = read_events(path)
    assert good["zoom"] == expected and list(good) == [p.id for p in full]

    def told() -> dict:
        return LazyCatalog(None, None, None, snapshot, tmp_path).event_facts("zoom").to_json()

    for damage in ({"clauses": [{"effective_from": "yesterday", "effective_to": None}]}, {"provider": None},
                   {"ai_features": "none"}):
        write_events(path, header, {**good, "zoom": {**good["zoom"], **damage}})
        assert told() == expected, damage
    forged = {**good, "zoom": {**good["zoom"], "provider": {**expected["provider"], "name": "Forged"}}}
    write_events(path, {**header, "fingerprint": "old"}, forged)
    assert told() == expected, "written for other files"
    write_events(path, header, forged)
    assert told()["provider"]["name"] == "Forged", "a current file is used"
    path.write_text(path.read_text().replace('"zoom"\t{', '"zoom"\t{not json'))
    assert told() == expected
    path.write_text("{not json")
    assert told() == expected


def test_a_stale_full_snapshot_is_not_used(tmp_path):
    from guard.catalog.snapshot import FULL_FILE_NAME, LazyCatalog

    snapshot, full = load_snapshot(tmp_path)
    path = tmp_path / FULL_FILE_NAME
    data = json.loads(path.read_text())
    data["providers"]["zoom"]["name"] = "Forged"
    data["fingerprint"] = "old"
    path.write_text(json.dumps(data))
    assert LazyCatalog(None, None, None, snapshot, tmp_path).get("zoom").name == full.get("zoom").name


def test_a_snapshot_another_user_planted_is_not_read(tmp_path):
    """Audit 13: a cache folder in a shared place. Another user's snapshot with the right fingerprint (made
    from what anyone can stat) was taken as the catalog: it could drop a provider's AI features, so nothing
    was told of them, or detection's patterns. Like their catalog files, it is not read: the files decide."""
    import pytest

    if os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    for foreign in ("file", "folder"):
        cache = tmp_path / foreign
        snapshot, _loaded = load_snapshot(cache)
        path = cache / FILE_NAME
        forged = json.loads(path.read_text(encoding="utf-8"))
        for entry in forged["providers"]:
            if entry["summary"]["id"] == "zoom":
                entry["summary"]["name"] = "Not Zoom"
        path.write_text(json.dumps(forged), encoding="utf-8")
        assert load_snapshot(cache)[0].name_of("zoom") == "Not Zoom", "read back while it is this user's"
        os.chown(path if foreign == "file" else cache, 65534, 65534)
        again, loaded = load_snapshot(cache)
        assert loaded is not None and again.name_of("zoom") == "Zoom", f"another user's snapshot read ({foreign})"
