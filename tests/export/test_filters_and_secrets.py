"""Filters apply to every format; no export ever contains the ledger's secret key."""

from __future__ import annotations

import base64
import csv
import json
import subprocess
import zipfile

import keyring
import pytest

from guard.export import ExportError, ExportFilter, export_history, make_letter
from guard.ledger import Ledger, ledger_path
from guard.ledger.keys import SERVICE
from guard.paths import app_paths
from tests.export.conftest import fill, utc

FORMATS = {"json": "h.json", "csv": "h.csv", "html": "h.html", "pdf": "h.pdf", "receipts": "receipts.zip"}


def exported_ids(fmt: str, path) -> set[str]:
    if fmt == "json":
        return {r["dct:identifier"] for r in json.loads(path.read_text())["mpg:records"]}
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as handle:
            return {row["id"] for row in csv.DictReader(handle)}
    if fmt == "receipts":  # a receipt per consent given, the other decisions in not-consent.json
        with zipfile.ZipFile(path) as archive:
            found = {json.loads(archive.read(name))["consentReceiptID"] for name in archive.namelist()
                     if name.startswith("receipt-") and name.endswith(".json")}
            return found | {entry["record"] for entry in json.loads(archive.read("not-consent.json"))["records"]}
    text = (path.read_text(encoding="utf-8") if fmt == "html" else
            subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    return {token for token in text.replace("<", " ").replace(">", " ").split() if token.count("-") == 4
            and len(token) == 36}


def assert_exports_hold(ledger, catalog, sample, fmt, tmp_path, cases) -> None:
    """Each (filter, record ids) case exported in ``fmt``: the file holds exactly those records."""
    for index, (export_filter, expected) in enumerate(cases):
        path = tmp_path / f"{index}-{FORMATS[fmt]}"
        result = export_history(ledger, catalog, fmt, path, export_filter, jurisdiction="EU")
        assert result.records == len(expected), export_filter
        found = exported_ids(fmt, path)
        if fmt in ("html", "pdf"):  # these also mention the ids of the records a record changes
            found &= {r.id for r in sample.all}
            found -= {sample.given.id, sample.refused.id} - expected
        assert found == expected, export_filter


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_date_and_provider_filters_apply_to_every_format(ledger, sample, catalog, tmp_path, fmt):
    cases = [
        (ExportFilter(), {r.id for r in sample.all}),
        (ExportFilter(provider_id="zoom"), {sample.given.id, sample.tricky.id, sample.withdrawal.id}),
        (ExportFilter(occurred_from=utc(2026, 3, 10), occurred_to=utc(2026, 5, 6)),
         {sample.refused.id, sample.tricky.id, sample.notice.id, sample.left.id}),
        (ExportFilter(occurred_from=utc(2026, 5, 6), provider_id="zoom"), {sample.withdrawal.id}),
        (ExportFilter(provider_id="nobody"), set()),
    ]
    assert_exports_hold(ledger, catalog, sample, fmt, tmp_path, cases)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_decision_and_search_filters_apply_to_every_format(ledger, sample, catalog, tmp_path, fmt):
    """The consent history exports what its table shows: narrowed by decision or search, the file
    must hold no other meeting (it may be shared)."""
    cases = [
        (ExportFilter(decision="given"), {sample.given.id, sample.tricky.id, sample.whereby.id, sample.correction.id}),
        (ExportFilter(text="budget"), {sample.tricky.id}),  # the title says "Budget": A-Z match a-z
        (ExportFilter(text="MIND"), {sample.withdrawal.id}),  # in the note
        (ExportFilter(text="会議"), {sample.refused.id}),
        (ExportFilter(provider_id="zoom", decision="given", text="quarterly"), {sample.given.id}),
        (ExportFilter(decision="refused", text="budget"), set()),
    ]
    assert_exports_hold(ledger, catalog, sample, fmt, tmp_path, cases)


def test_an_export_says_the_decision_and_search_it_holds(ledger, sample, catalog, tmp_path):
    export_filter = ExportFilter(decision="given", text="Quarterly")
    export_history(ledger, catalog, "json", tmp_path / "h.json", export_filter)
    coverage = json.loads((tmp_path / "h.json").read_text())["mpg:coverage"]
    assert coverage["filter"] == {"from": None, "to": None, "provider": None, "decision": "given",
                                  "search": "Quarterly"}
    assert coverage["description"] == 'decision given, with "Quarterly" in the meeting title or note'
    export_history(ledger, catalog, "html", tmp_path / "h.html", export_filter, language="de")
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "Entscheidung: erteilt" in page and "mit „Quarterly“ im Meeting-Titel oder in der Notiz" in page
    export_history(ledger, catalog, "json", tmp_path / "all.json")
    assert set(json.loads((tmp_path / "all.json").read_text())["mpg:coverage"]["filter"]) == {"from", "to", "provider"}


def test_consent_export_takes_the_filters_of_consent_list(ledger, sample, tmp_path, cli):
    from tests.export.conftest import no_keyring_env

    target = tmp_path / "given.csv"
    run = cli("consent", "export", "--format", "csv", "-o", str(target), "--decision", "given", "--search", "budget",
              env=no_keyring_env())
    assert run.returncode == 0, run.stderr
    assert 'Exported 1 record (decision given, with "budget" in the meeting title or note)' in run.stdout
    assert exported_ids("csv", target) == {sample.tricky.id}
    listed = cli("consent", "list", "--decision", "given", "--search", "budget", "--json", env=no_keyring_env())
    assert [r["id"] for r in json.loads(listed.stdout)["records"]] == [sample.tricky.id]
    assert cli("consent", "export", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--decision", "maybe",
               env=no_keyring_env()).returncode == 2


def test_an_empty_period_is_refused(ledger, catalog, tmp_path):
    with pytest.raises(ExportError, match="period is empty"):
        export_history(ledger, catalog, "csv", tmp_path / "x.csv", ExportFilter(utc(2026, 5, 1), utc(2026, 4, 1)))


def outputs_of(ledger, catalog, tmp_path, sample) -> list[bytes]:
    """Every export and letter, as bytes (the PDFs also as their extracted text)."""
    blobs = []
    for fmt, name in FORMATS.items():
        path = tmp_path / name
        export_history(ledger, catalog, fmt, path, jurisdiction="EU")
        blobs.append(path.read_bytes())
        if fmt == "pdf":
            blobs.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout)
        if fmt == "receipts":
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(n) for n in archive.namelist()]
    export_history(ledger, catalog, "csv", tmp_path / "excel.csv", excel=True)
    blobs.append((tmp_path / "excel.csv").read_bytes())
    for kind in ("withdrawal", "objection", "access"):
        letter = make_letter(kind, ledger, catalog, provider_id="zoom")
        blobs += [letter.text.encode(), letter.mailto.encode(), json.dumps(letter.to_dict()).encode(),
                  letter.to_pdf(tmp_path / f"{kind}.pdf").read_bytes()]
    return blobs


def secret_forms(text: str) -> list[bytes]:
    secret = base64.b64decode(text.removeprefix("ed25519:"))  # Ed25519 keys are stored as "ed25519:<base64>"
    return [text.encode(), secret, secret.hex().encode(), secret.hex().upper().encode(),
            base64.urlsafe_b64encode(secret).rstrip(b"=")]


def test_exports_never_contain_the_key_from_the_key_file(ledger, sample, catalog, tmp_path):
    keys = json.loads(ledger.key_file.read_text())["keys"]
    assert keys
    blobs = outputs_of(ledger, catalog, tmp_path, sample)
    for text in keys.values():
        for form in secret_forms(text):
            assert not any(form in blob for blob in blobs)


@pytest.mark.desktop
def test_exports_never_contain_the_key_from_the_keyring(app_home, desktop, catalog, tmp_path):
    with Ledger.open(ledger_path(app_paths())) as ledger:
        sample = fill(ledger)
        status = ledger.key_status()
        assert status.storage == "keyring", status.message()
        text = keyring.get_password(SERVICE, status.username)
        assert text
        blobs = outputs_of(ledger, catalog, tmp_path, sample)
    for form in secret_forms(text):
        assert not any(form in blob for blob in blobs)


def test_no_export_names_local_paths_user_names_or_keyring_entries(ledger, sample, catalog, tmp_path):
    """Exports go to providers and regulators: nothing in any format or letter says where the
    ledger or its key live on this computer, or under which name the keyring keeps the key."""
    import getpass

    status = ledger.key_status()
    private = {str(ledger.path), str(ledger.path.parent), str(ledger.key_file), "ledger.key", "ledger.sqlite3",
               "consent-ledger-"}
    if status.username:
        private.add(status.username)
    user = getpass.getuser()
    private |= {f"/home/{user}", f"/Users/{user}", f"\\Users\\{user}"}
    blobs = outputs_of(ledger, catalog, tmp_path, sample)
    for blob in blobs:
        for text in private:
            assert text.encode() not in blob, text
