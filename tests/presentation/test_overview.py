"""What the overview says: AI features that could be on, and the latest terms changes."""

from dataclasses import replace
from datetime import date, datetime, UTC

from guard.catalog import load_catalog
from guard.events import Evidence, MeetingSession, RunningApp, Signal
from guard.monitor import Snapshot
from guard.presentation.overview import (DocumentVersions, features_that_could_be_on, latest_changes,
                                         version_label)
from guard.terms.models import Version

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)
CATALOG = load_catalog()


def session(provider_id: str) -> RunningApp:
    return RunningApp(f"s-{provider_id}", provider_id, AT, (Evidence(Signal.PROCESS, f"{provider_id} runs", AT),))


def meeting(provider_id: str) -> MeetingSession:
    return MeetingSession(f"m-{provider_id}", provider_id, AT, (Evidence(Signal.MICROPHONE, "mic", AT),))


def test_features_of_running_providers_meetings_first_each_once():
    snapshot = Snapshot(AT, True, None, apps=(session("otter"), session("zoom")), meetings=(meeting("zoom"),),
                        probes=())
    live = features_that_could_be_on(snapshot, CATALOG)
    providers = [item.provider.id for item in live]
    assert providers[: len(CATALOG.get("zoom").ai_features)] == ["zoom"] * len(CATALOG.get("zoom").ai_features)
    assert set(providers) == {"zoom", "otter"}
    assert all(item.in_meeting == (item.provider.id == "zoom") for item in live)
    assert len(live) == len(CATALOG.get("zoom").ai_features) + len(CATALOG.get("otter").ai_features)


def test_no_snapshot_or_unknown_providers_give_nothing():
    assert features_that_could_be_on(None, CATALOG) == []
    snapshot = Snapshot(AT, True, None, apps=(session("not-in-catalog"),), meetings=(), probes=())
    assert features_that_could_be_on(snapshot, CATALOG) == []


def version(sha: str, first_seen: datetime | None = None, baseline: date | None = None) -> Version:
    return Version("zoom", "terms", sha * 64, "baseline" if baseline else "fetched", "https://zoom.us/terms",
                   first_seen=first_seen, version_date=baseline)


def doc(document_id: str, *versions: Version) -> DocumentVersions:
    return DocumentVersions("zoom", "Zoom", document_id, document_id, versions)


def test_latest_changes_are_documents_with_two_versions_newest_first():
    old = doc("terms", version("a", baseline=date(2023, 8, 11)), version("b", datetime(2024, 5, 1, tzinfo=UTC)))
    new = doc("privacy", version("c", baseline=date(2022, 12, 30)), version("d", datetime(2025, 1, 1, tzinfo=UTC)))
    single = doc("ai", version("e", baseline=date(2024, 1, 1)))
    assert [d.document_id for d in latest_changes([old, single, new])] == ["privacy", "terms"]
    assert old.previous.sha256 == "a" * 64 and old.latest.sha256 == "b" * 64


def test_version_labels_say_date_origin_and_hash():
    assert version_label(version("a", baseline=date(2023, 8, 11))) == "11 Aug 2023 · shipped baseline · aaaaaaaa"


def test_version_labels_say_which_source_each_version_came_from():
    from guard.presentation.overview import version_source

    fetched = version("b")
    assert version_label(fetched).split(" · ")[1] == "provider page"
    archived = replace(fetched, origin="archive", archive_repository="OpenTermsArchive/contrib-versions",
                       archive_commit="c" * 40, also_seen=("the provider's page https://zoom.us/terms",))
    assert version_source(archived) == "archive (OpenTermsArchive/contrib-versions), also provider page"
