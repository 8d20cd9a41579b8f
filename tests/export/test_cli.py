"""``meeting-guard consent export`` and ``meeting-guard letter``: the real command line, end to end."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
from urllib.parse import unquote

import pytest

from tests.export.conftest import no_keyring_env


@pytest.fixture
def run(cli):
    def call(*args: str):
        return cli(*args, env=no_keyring_env())
    return call


def add(run, *args: str) -> dict:
    result = run("consent", "add", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["record"]


@pytest.fixture
def records(run) -> dict[str, dict]:
    return {
        "zoom": add(run, "--provider", "zoom", "--feature", "meeting-summary", "--decision", "given",
                    "--purpose", "meeting summary", "--meeting-title", "Board, \"Q2\"", "--organiser", "Ada",
                    "--occurred-at", "2026-03-02T09:15:00Z", "--requested-by", "host"),
        "teams": add(run, "--provider", "teams", "--decision", "refused", "--meeting-title", "Ünïcödé review",
                     "--occurred-at", "2026-04-10T14:00:00Z"),
    }


@pytest.mark.parametrize("fmt,name", [("json", "h.json"), ("csv", "h.csv"), ("html", "h.html"), ("pdf", "h.pdf"),
                                      ("receipts", "receipts")])
def test_export_every_format_end_to_end(run, records, tmp_path, fmt, name):
    out = tmp_path / name
    result = run("consent", "export", "--format", fmt, "-o", str(out), "--json", "--jurisdiction", "EU")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["records"] == 2 and summary["format"] == fmt and summary["path"] == str(out)
    assert out.exists()
    if fmt != "receipts":
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
        assert (summary["verify"] is not None) == (fmt in ("json", "html", "pdf"))
    if fmt == "pdf":
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert records["zoom"]["id"] in text and "Ünïcödé review" in text


def test_export_filters_and_human_output(run, records, tmp_path):
    result = run("consent", "export", "--format", "csv", "-o", str(tmp_path / "z.csv"), "--provider", "zoom",
                 "--from", "2026-03-01", "--to", "2026-03-02")
    assert result.returncode == 0, result.stderr
    assert "Exported 1 record (from 2026-03-01" in result.stdout and "provider zoom" in result.stdout
    with open(tmp_path / "z.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == [records["zoom"]["id"]] and rows[0]["meeting_title"] == 'Board, "Q2"'
    excel = run("consent", "export", "--format", "csv", "--excel", "-o", str(tmp_path / "x.csv"), "--to", "2026-03-01")
    assert excel.returncode == 0 and "Exported 0 records" in excel.stdout
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    html = run("consent", "export", "--format", "html", "-o", str(tmp_path / "h.html"))
    assert "Ledger check: intact: 2 records" in html.stdout


def test_bad_export_input_exits_2_with_a_clear_message(run, records, tmp_path):
    unknown = run("consent", "export", "--format", "docx", "-o", str(tmp_path / "x"))
    assert unknown.returncode == 2 and "invalid choice: 'docx'" in unknown.stderr
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    unwritable = run("consent", "export", "--format", "json", "-o", str(blocked / "h.json"))
    assert unwritable.returncode == 2
    assert f"Cannot write the export to {blocked / 'h.json'}" in unwritable.stderr and "-o" in unwritable.stderr
    folder = run("consent", "export", "--format", "json", "-o", str(tmp_path))
    assert folder.returncode == 2 and "it is a folder" in folder.stderr
    excel = run("consent", "export", "--format", "json", "--excel", "-o", str(tmp_path / "h.json"))
    assert excel.returncode == 2 and "CSV format only" in excel.stderr
    date = run("consent", "export", "--format", "csv", "--from", "yesterday", "-o", str(tmp_path / "h.csv"))
    assert date.returncode == 2 and "--from: 'yesterday' is not an ISO 8601 date" in date.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "mpg-home"]


def test_letter_prints_text_and_mailto(run, records):
    result = run("letter", "--kind", "withdrawal", "--record", records["zoom"]["id"], "--name", "Ada Lovelace")
    assert result.returncode == 0, result.stderr
    assert "Article 7(3)" in result.stdout and "Zoom Video Communications, Inc." in result.stdout
    assert "2026-03-02 09:15 UTC" in result.stdout
    mailto = next(line for line in result.stdout.splitlines() if line.startswith("Send by e-mail: "))
    assert mailto.startswith("Send by e-mail: mailto:privacy@zoom.us?subject=")
    assert "Article 7(3)" in unquote(mailto)
    assert f"meeting-guard consent withdraw {records['zoom']['id']}" in result.stdout


def test_a_withdrawal_letter_offers_consent_withdraw_only_for_a_consent_in_force(run, records):
    """A new user's first record was a refusal; the letter's last line told them to run `consent withdraw`
    on it, which refuses a record that is not a consent in force."""
    refused = records["teams"]["id"]
    result = run("letter", "--kind", "withdrawal", "--record", refused)
    assert result.returncode == 0, result.stderr
    assert "no consent recorded there is in force" in result.stderr
    assert "consent withdraw" not in result.stdout
    assert run("consent", "withdraw", refused).returncode != 0  # what the line offered would have failed
    withdrawn = run("consent", "withdraw", records["zoom"]["id"])
    assert withdrawn.returncode == 0, withdrawn.stderr
    again = run("letter", "--kind", "withdrawal", "--record", records["zoom"]["id"])
    assert again.returncode == 0 and "consent withdraw" not in again.stdout  # already withdrawn


def test_letter_json_and_pdf(run, records, tmp_path):
    result = run("letter", "--kind", "objection", "--provider", "teams", "--format", "pdf", "-o",
                 str(tmp_path / "objection.pdf"), "--json")
    assert result.returncode == 0, result.stderr
    letter = json.loads(result.stdout)
    assert letter["kind"] == "objection" and letter["article"] == "GDPR Art. 21"
    assert letter["records"] == [records["teams"]["id"]] and letter["mailto"].startswith("mailto:?subject=")
    assert letter["placeholders"] and letter["path"] == str(tmp_path / "objection.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "objection.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Article 21(1)" in text and "Ünïcödé review" in text
    written = run("letter", "--kind", "access", "--provider", "zoom", "-o", str(tmp_path / "access.txt"))
    assert written.returncode == 0 and "Article 15" in (tmp_path / "access.txt").read_text(encoding="utf-8")


def test_bad_letter_input_exits_2_with_a_clear_message(run, records, tmp_path):
    missing = run("letter", "--kind", "access", "--record", "00000000-0000-4000-8000-000000000000")
    assert missing.returncode == 2 and "No record with id 00000000-0000-4000-8000-000000000000" in missing.stderr
    garbage = run("letter", "--kind", "access", "--record", "not-an-id")
    assert garbage.returncode == 2 and "'not-an-id' is not a record id" in garbage.stderr
    pdf = run("letter", "--kind", "access", "--provider", "zoom", "--format", "pdf")
    assert pdf.returncode == 2 and "needs a file: add -o" in pdf.stderr
    both = run("letter", "--kind", "access")
    assert both.returncode == 2 and "one of the arguments --record --provider is required" in both.stderr
    kind = run("letter", "--kind", "complaint", "--provider", "zoom")
    assert kind.returncode == 2 and "invalid choice: 'complaint'" in kind.stderr
    unknown = run("letter", "--kind", "access", "--provider", "no-such-provider")
    assert unknown.returncode == 2 and "neither in the catalog nor in your consent ledger" in unknown.stderr


@pytest.mark.parametrize(("lang", "before", "send", "fill", "record", "wrote"), [
    ("fr", "Avant l’envoi\u00a0: ", "Envoyer par courriel\u00a0: mailto:", "À compléter avant l’envoi",
     "Consigner le retrait dans votre registre\u00a0: meeting-guard consent withdraw ",
     "Lettre (article 7, paragraphe 3, du RGPD) écrite dans "),
    ("de", "Vor dem Senden: ", "Per E-Mail senden: mailto:", "Vor dem Senden ausfüllen: ",
     "Den Widerruf in Ihrem Protokoll festhalten: meeting-guard consent withdraw ",
     "Der Brief (Art. 7 Abs. 3 DSGVO) wurde in "),
])
def test_letter_lines_around_a_french_or_german_letter_speak_its_language(cli_process, tmp_path, lang, before,
                                                                          send, fill, record, wrote):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return cli_process(*args, env=no_keyring_env())

    added = run("consent", "add", "--provider", "zoom", "--decision", "given", "--occurred-at",
                "2026-03-02T09:15:00Z", "--json")
    assert added.returncode == 0, added.stderr
    record_id = json.loads(added.stdout)["record"]["id"]
    result = run("letter", "--kind", "withdrawal", "--record", record_id, "--lang", lang)  # no --name: a [FILL IN]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(send) for line in lines)
    assert any(line.startswith(fill) for line in lines)
    assert record + record_id in lines
    for english in ("Send by e-mail", "Fill in before sending", "Record the withdrawal", "Before sending"):
        assert english not in result.stdout

    written = tmp_path / "letter.txt"
    to_file = run("letter", "--kind", "withdrawal", "--record", record_id, "--lang", lang, "-o", str(written))
    assert to_file.returncode == 0 and wrote + str(written) in to_file.stdout, to_file.stdout

    jami = run("letter", "--kind", "access", "--provider", "jami", "--lang", lang)  # no company: who to write to
    assert jami.returncode == 0, jami.stderr
    assert jami.stdout.startswith(before) and "Before sending" not in jami.stdout
