"""guard.ledger.waiting: a decision kept until the signing key can be read is a private file that
survives as it was written; anything else found in its folder is left alone, never read as a decision."""

from __future__ import annotations

import json
import os
import stat
import uuid
from datetime import UTC, datetime

from guard.ledger import RecordDraft
from guard.ledger.waiting import KEPT, MAX_FILE_BYTES, WaitingDecisions


def test_a_kept_decision_comes_back_as_it_was_made_and_goes_once_done(tmp_path):
    waiting = WaitingDecisions(tmp_path)
    assert waiting.listed() == [] and waiting.count() == 0
    record_id = str(uuid.uuid4())
    before = datetime.now(UTC)
    draft = RecordDraft(provider_id="zoom", decision="refused", note="no")
    waiting.keep(record_id, draft, "the keyring did not answer")
    (kept,) = waiting.listed()
    assert kept.record_id == record_id and kept.why == "the keyring did not answer"
    assert kept.draft.decision == "refused" and kept.draft.note == "no"
    assert kept.draft.occurred_at is not None and kept.draft.occurred_at >= before  # the time it was made, fixed
    assert stat.S_IMODE(os.stat(waiting.folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(waiting.folder / f"{record_id}.json").st_mode) == 0o600
    waiting.done(record_id)
    assert waiting.listed() == [] and waiting.count() == 0


def test_files_that_are_not_kept_decisions_are_left_alone(tmp_path):
    waiting = WaitingDecisions(tmp_path)
    good = str(uuid.uuid4())
    waiting.keep(good, RecordDraft(provider_id="zoom", decision="given"), "locked")
    bad = {name: str(uuid.uuid4()) for name in ("garbage", "other-id", "bad-draft", "huge", "link")}
    (waiting.folder / f"{bad['garbage']}.json").write_text("{not json")
    (waiting.folder / f"{bad['other-id']}.json").write_text(
        (waiting.folder / f"{good}.json").read_text())  # a copy under another name is not that decision
    (waiting.folder / f"{bad['bad-draft']}.json").write_text(json.dumps(
        {"format": 1, "record_id": bad["bad-draft"], "kept_at": "x", "why": "y", "draft": {"decision": "maybe"}}))
    (waiting.folder / f"{bad['huge']}.json").write_text(" " * (MAX_FILE_BYTES + 1))
    (waiting.folder / f"{bad['link']}.json").symlink_to(waiting.folder / f"{good}.json")
    (waiting.folder / "notes.txt").write_text("not one of ours")
    assert [kept.record_id for kept in waiting.listed()] == [good]
    assert all((waiting.folder / f"{record_id}.json").exists() or (waiting.folder / f"{record_id}.json").is_symlink()
               for record_id in bad.values()), "nothing is deleted: it may be all that is left of a decision"


def test_a_title_with_a_lone_surrogate_is_recorded_not_refused(app_home):
    """Audit round six: a window or tab title may hold a lone surrogate (a broken title), which
    the ledger replaces when it records. Keeping the decision on disk while it is signed (and while
    the key cannot be read) wrote it as UTF-8, which cannot hold one: the decision was refused.
    It is kept, and recorded with the surrogate replaced."""
    from guard.ledger import Meeting
    from guard.paths import app_paths
    from guard.services import Services

    services = Services(app_paths())
    try:
        record = services.record_decision(RecordDraft("zoom", "given", meeting=Meeting("Stand\ud800up\udfff")))
        assert record.meeting.title == "Stand\ufffdup\ufffd" and services.waiting_count() == 0
    finally:
        services.close()
    kept = WaitingDecisions(app_paths().data_dir)
    kept.keep(str(uuid.uuid4()), RecordDraft("zoom", "refused", meeting=Meeting("a\ud800")), "the key is away")
    assert [k.draft.meeting.title for k in kept.listed()] == ["a\ud800"]


def test_a_kept_decision_written_by_someone_else_is_signed_marked_as_kept(app_home, no_keyring, cli):
    """Audit 7: kept decisions are unsigned files, so anyone able to write to the data folder could
    put a consent there, and it was signed into the ledger at the next start as if the user had just
    given it. Its record now says it was kept unsigned, since when (as the file says) and why, in the
    signed content, the record's details and 'consent list'."""
    from guard.ledger import Ledger, ledger_path
    from guard.paths import app_paths
    from guard.presentation.records import record_fields
    from guard.services import Services

    record_id = str(uuid.uuid4())
    forged = RecordDraft("zoom", "given", occurred_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC), purposes=["training"])
    folder = app_paths().data_dir / "decisions-waiting"
    folder.mkdir(parents=True, mode=0o700)
    (folder / f"{record_id}.json").write_text(json.dumps({
        "format": 1, "record_id": record_id, "kept_at": "2026-11-30T09:00:01Z",
        "why": "Cannot sign a new record in the consent ledger /home/alice/.local/share/x/ledger.sqlite3: locked",
        "draft": forged.model_dump(mode="json")}))
    services = Services(app_paths())
    try:
        (record,) = services.sign_waiting()
    finally:
        services.close()
    assert record.id == record_id and record.kept is not None
    assert record.kept.kept_at == datetime(2026, 11, 30, 9, 0, 1, tzinfo=UTC)
    assert record.kept.why == KEPT, "general words: the file's text may name this computer's folders"
    assert record.to_dict()["kept"] == {"kept_at": "2026-11-30T09:00:01.000000Z", "why": KEPT}
    shown = {field.label: field.value for field in record_fields(record)}
    assert "Kept unsigned on this computer from" in shown["Kept before signing"]
    assert "if you do not remember this decision, withdraw it" in shown["Kept before signing"]
    listed = cli("consent", "list")
    assert "(kept unsigned on this computer before it was signed)" in listed.stdout
    with Ledger.open(ledger_path(app_paths())) as ledger:
        assert ledger.verify().ok and ledger.get(record_id).kept == record.kept


def test_a_held_decision_that_had_landed_before_its_file_was_removed_is_not_added_again(app_home, no_keyring):
    """The app stopped after the decision was in the ledger but before its kept copy was removed: at
    the next start it is found under its id (stored without the mark), not added a second time."""
    from guard.ledger import Ledger, ledger_path
    from guard.paths import app_paths
    from guard.services import Services

    record_id = str(uuid.uuid4())
    waiting = WaitingDecisions(app_paths().data_dir)
    draft = waiting.hold(record_id, RecordDraft("zoom", "refused", note="no")).draft
    with Ledger.open(ledger_path(app_paths())) as ledger:
        landed = ledger.append(draft, record_id=record_id)
    services = Services(app_paths())
    try:
        (again,) = services.sign_waiting()
        assert again == landed and again.kept is None and services.waiting_count() == 0
    finally:
        services.close()
    with Ledger.open(ledger_path(app_paths())) as ledger:
        assert ledger.count() == 1


def test_a_kept_decision_of_another_user_or_a_named_pipe_is_never_read(tmp_path):
    """Audit 7: a kept decision is read only from a regular file of this user's: another user's file (in a
    data folder they can write to) was read as this user's decision. A named pipe stays refused, and is
    opened without blocking should it replace a file between the look and the read."""
    waiting = WaitingDecisions(tmp_path)
    good = str(uuid.uuid4())
    waiting.keep(good, RecordDraft(provider_id="zoom", decision="refused"), "locked")
    pipe = str(uuid.uuid4())
    os.mkfifo(waiting.folder / f"{pipe}.json")
    theirs = str(uuid.uuid4())
    (waiting.folder / f"{theirs}.json").write_text(
        (waiting.folder / f"{good}.json").read_text().replace(good, theirs).replace("refused", "given"))
    if os.geteuid() == 0:
        os.chown(waiting.folder / f"{theirs}.json", 65534, 65534)
        assert [kept.record_id for kept in waiting.listed()] == [good]
    else:
        assert sorted(kept.record_id for kept in waiting.listed()) == sorted([good, theirs])


def test_a_held_decision_signed_from_its_file_elsewhere_is_the_same_decision(app_home, no_keyring):
    """A decision this process still holds can be signed from its file by another process's round (the
    settings window's, a command's), marked as kept; this process's own append of it then finds it
    under its id (it failed as 'another decision' once the mark existed: the quick-succession test)."""
    from guard.ledger import Ledger, ledger_path
    from guard.paths import app_paths

    record_id = str(uuid.uuid4())
    waiting = WaitingDecisions(app_paths().data_dir)
    held = waiting.hold(record_id, RecordDraft("zoom", "given", note="mine"))
    with Ledger.open(ledger_path(app_paths())) as ledger:
        elsewhere = ledger.append(waiting.listed()[0].marked(), record_id=record_id)
        mine = ledger.append(held.draft, record_id=record_id)
        assert mine == elsewhere and mine.kept is not None and ledger.count() == 1


def test_why_a_decision_was_kept_is_said_in_the_apps_language(app_home, no_keyring):
    """The record keeps the reason in general English words; the details and exports say it translated."""
    from guard.ledger import Ledger, ledger_path
    from guard.ledger.models import KeptMark
    from guard.paths import app_paths
    from guard.presentation.i18n import use_language
    from guard.presentation.records import record_fields

    with Ledger.open(ledger_path(app_paths())) as ledger:
        record = ledger.append(RecordDraft("zoom", "given", kept=KeptMark(kept_at=datetime.now(UTC), why=KEPT)))
    use_language("de")
    try:
        shown = [field.value for field in record_fields(record) if field.key == "kept"]
    finally:
        use_language("en")
    assert shown and "das Protokoll konnte sie damals nicht signieren" in shown[0]


def test_a_kept_decision_made_after_now_is_left_not_signed(app_home, no_keyring):
    """Audit 7: a kept file is unsigned, and one saying the decision was made (or kept) in the future is
    not one this computer kept: it was signed as given, dated ahead of its own signature."""
    from datetime import timedelta

    from guard.paths import app_paths
    from guard.services import Services

    waiting = WaitingDecisions(app_paths().data_dir)
    ahead = datetime.now(UTC) + timedelta(days=30)
    record_id = str(uuid.uuid4())
    waiting.keep(record_id, RecordDraft("zoom", "given", occurred_at=ahead), "locked")
    services = Services(app_paths())
    try:
        assert services.sign_waiting() == []
        assert services.waiting_count() == 1, "left where it is, for the user to see"
    finally:
        services.close()


def test_erasing_never_follows_a_linked_folder(tmp_path):
    """Audit 7: erasing the ledger empties decisions-waiting of every file in it, and through a link to
    another folder (one of the user's own, say) it deleted that folder's files. The link goes, not them."""
    elsewhere = tmp_path / "Documents"
    elsewhere.mkdir()
    (elsewhere / "thesis.odt").write_text("years of work")
    (elsewhere / f"{uuid.uuid4()}.json").write_text("{}")
    home = tmp_path / "linked"
    home.mkdir()
    (home / "decisions-waiting").symlink_to(elsewhere)
    gone, problems = WaitingDecisions(home).erase()
    assert gone == [home / "decisions-waiting"] and problems == []
    assert len(list(elsewhere.iterdir())) == 2, "nothing in the linked folder was touched"


def test_only_files_that_would_be_read_are_counted_as_waiting_and_the_rest_are_named(app_home, cli, caplog):
    """Audit 8: a named pipe, a link, an oversized file or another user's file named like a kept decision
    is never read, yet it was counted, so the Overview and 'consent verify' said a decision was waiting
    for ever. Only what would be read is counted; the rest is said, with why, in the log and the check."""
    from guard.paths import app_paths

    waiting = WaitingDecisions(app_paths().data_dir)
    good = str(uuid.uuid4())
    waiting.keep(good, RecordDraft(provider_id="zoom", decision="refused"), "locked")
    pipe, link, huge, theirs = (str(uuid.uuid4()) for _ in range(4))
    os.mkfifo(waiting.folder / f"{pipe}.json")
    (waiting.folder / f"{link}.json").symlink_to(waiting.folder / f"{good}.json")
    (waiting.folder / f"{huge}.json").write_text(" " * (MAX_FILE_BYTES + 1))
    (waiting.folder / f"{theirs}.json").write_text((waiting.folder / f"{good}.json").read_text().replace(good, theirs))
    unread = {pipe, link, huge}
    if os.geteuid() == 0:
        os.chown(waiting.folder / f"{theirs}.json", 65534, 65534)
        unread.add(theirs)
    read = {good, theirs} - unread
    assert waiting.count() == len(read) == len(waiting.listed())
    ignored = dict(waiting.ignored())
    assert set(ignored) == {f"{name}.json" for name in unread}
    assert "named pipe" in ignored[f"{pipe}.json"] and "larger than" in ignored[f"{huge}.json"]
    if theirs in unread:
        assert ignored[f"{theirs}.json"] == "owned by another user"
    assert all(name in caplog.text for name in ignored), "each ignored file is said in the log"
    said = cli("consent", "verify").stdout
    assert f"Waiting: {len(read)} decision" in said
    assert all(f"{name} (" in said for name in ignored) and "never read" in said
