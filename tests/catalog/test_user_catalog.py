"""A user's own catalog folder adds providers and overrides fields of shipped ones (merge by id)."""

from __future__ import annotations

from pathlib import Path

from guard.catalog import load_catalog
from guard.catalog.loader import shipped_catalog_dir

NEW_PROVIDER = '''
id = "inhouse-meet"
name = "In-house Meet"
vendor = "Example Corp IT"
kind = "browser-meeting"
homepage = "https://meet.intranet.example/"

[detect.web]
url_patterns = ['^https://meet\\.intranet\\.example/[a-z0-9-]+$']
'''

ZOOM_OVERRIDE = '''
id = "zoom"
name = "Zoom (company tenant)"

[[ai_features]]
id = "meeting-summary"
trains_models = "unknown"
note = "Our admins switched summaries off."

[[ai_features.sources]]
url = "https://intranet.example/it/zoom-settings"
checked = 2026-11-01

[[clauses]]
id = "company-dpa"
document = "terms"
topic = "ai-training"
quote = "Supplier shall not use Customer Content to train models."
effective_from = 2025-01-01
source = "https://intranet.example/contracts/zoom-dpa"
checked = 2026-11-01
verified = true
'''


def test_user_file_adds_a_provider(tmp_path: Path):
    (tmp_path / "inhouse.toml").write_text(NEW_PROVIDER, encoding="utf-8")
    shipped = load_catalog()
    catalog = load_catalog(user=tmp_path)
    assert catalog.problems == []
    assert len(catalog) == len(shipped) + 1
    assert catalog.get("inhouse-meet").vendor == "Example Corp IT"


def test_user_file_overrides_fields_and_merges_lists_by_id(tmp_path: Path):
    (tmp_path / "my-zoom.toml").write_text(ZOOM_OVERRIDE, encoding="utf-8")
    shipped_zoom = load_catalog().get("zoom")
    zoom = load_catalog(user=tmp_path).get("zoom")

    assert zoom.name == "Zoom (company tenant)"
    assert zoom.vendor == shipped_zoom.vendor, "fields the user file does not name are kept"
    summary = zoom.feature("meeting-summary")
    assert summary.trains_models.value == "unknown" and summary.note == "Our admins switched summaries off."
    assert summary.name == shipped_zoom.feature("meeting-summary").name, "the feature merged, not replaced"
    assert [str(s.url) for s in summary.sources] == ["https://intranet.example/it/zoom-settings"]
    assert not summary.verified, "the user's statement is not verified by the shipped sources"
    assert len(zoom.ai_features) == len(shipped_zoom.ai_features)
    assert [c.id for c in zoom.clauses] == [c.id for c in shipped_zoom.clauses] + ["company-dpa"]


def test_broken_user_file_keeps_the_shipped_provider(tmp_path: Path):
    (tmp_path / "zoom.toml").write_text('id = "zoom"\nkind = "spaceship"\n', encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    assert catalog.get("zoom").kind.value == "meeting-client"
    [problem] = catalog.problems
    assert problem.file == tmp_path / "zoom.toml" and problem.field == "kind"


def test_missing_user_folder_is_fine():
    catalog = load_catalog(user=Path("/nonexistent/catalog"))
    assert catalog.problems == [] and len(catalog) == len(list(shipped_catalog_dir().glob("*.toml")))


CONTACT_SWAP = '''
id = "zoom"
[contacts]
privacy_email = "privacy@zoom-legal-requests.example"
'''


def test_user_file_cannot_pass_its_contact_off_as_the_shipped_verified_one(tmp_path: Path):
    """Audit round two: a user-folder file naming only a new privacy e-mail for Zoom was merged
    into Zoom's contacts, kept 'verified = true' and Zoom's Open Terms Archive sources, and
    letters went to that address citing them. Now the changed table keeps no shipped source."""
    (tmp_path / "zoom.toml").write_text(CONTACT_SWAP, encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    assert catalog.get("zoom").contacts.privacy_email == "privacy@zoom.us"
    [problem] = catalog.problems
    assert problem.field == "contacts.sources" and "need at least one source" in problem.reason

    sourced = CONTACT_SWAP + '[[contacts.sources]]\nurl = "https://intranet.example/zoom"\nchecked = 2026-11-01\n'
    (tmp_path / "zoom.toml").write_text(sourced, encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    contacts = catalog.get("zoom").contacts
    assert contacts.privacy_email == "privacy@zoom-legal-requests.example"
    assert not contacts.verified and [str(s.url) for s in contacts.sources] == ["https://intranet.example/zoom"]
    assert catalog.user_files == {"zoom": tmp_path / "zoom.toml"}


def test_providers_shows_a_provider_changed_by_a_user_file(cli, app_home: Path):
    from guard.paths import app_paths

    folder = app_paths().user_catalog_dir
    folder.mkdir(parents=True)
    sourced = CONTACT_SWAP + '[[contacts.sources]]\nurl = "https://intranet.example/zoom"\nchecked = 2026-11-01\n'
    (folder / "zoom.toml").write_text(sourced, encoding="utf-8")
    result = cli("providers", "zoom")
    assert result.returncode == 0, result.stderr
    assert f"From your own catalog file {folder / 'zoom.toml'}" in result.stdout
    [contact] = [line for line in result.stdout.splitlines() if line.startswith("Privacy contact:")]
    assert "privacy@zoom-legal-requests.example" in contact and contact.endswith("(unverified)")
    assert cli("providers", "teams").stdout.count("From your own catalog file") == 0


def test_look_alike_id_of_a_shipped_provider_is_refused(tmp_path: Path):
    """Audit round two: 'z\u043e\u043em' (Cyrillic o's) passed the id check (str.islower() is Unicode)
    and loaded as a second 'Zoom' beside the shipped one, with the user file's facts."""
    (tmp_path / "zoom2.toml").write_text(NEW_PROVIDER.replace('"inhouse-meet"', '"z\u043e\u043em"')
                                         .replace('"In-house Meet"', '"Zoom"'), encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    assert [p.id for p in catalog if p.name == "Zoom"] == ["zoom"]
    [problem] = catalog.problems
    assert problem.field == "id" and "\\u043e" in problem.reason and "ASCII" in problem.reason


def test_a_privacy_email_cannot_carry_mailto_fields(tmp_path: Path):
    """Audit round six: a user file's privacy e-mail 'dpo@x.example?attach=...ledger.key' passed
    the plain-address check, and the providers tab and the exports' withdrawal link made it
    'mailto:dpo@x.example?attach=...': a mail program that takes RFC 6068 fields (attach, cc, bcc,
    body) would open a message with them, e.g. the ledger's key file attached. Such an address is
    refused with the file and field named, and the shipped provider stays."""
    hostile = ('id = "zoom"\n[contacts]\nprivacy_email = "dpo@x.example?attach=/home/u/.local/share/'
               'meeting-privacy-guard/ledger.key&bcc=them@x.example"\n'
               '[[contacts.sources]]\nurl = "https://intranet.example/zoom"\nchecked = 2026-11-01\n')
    (tmp_path / "zoom.toml").write_text(hostile, encoding="utf-8")
    catalog = load_catalog(user=tmp_path)
    assert catalog.get("zoom").contacts.privacy_email == "privacy@zoom.us"
    [problem] = catalog.problems
    assert problem.field == "contacts.privacy_email" and "not a plain e-mail address" in problem.reason
    for address in ("a@b.example#x", "a@b.example%3Fattach=x", "a,b@c.example", "a@b.example;x", "a/b@c.example"):
        (tmp_path / "zoom.toml").write_text(hostile.replace(hostile.split('"')[3], address), encoding="utf-8")
        assert load_catalog(user=tmp_path).get("zoom").contacts.privacy_email == "privacy@zoom.us", address
