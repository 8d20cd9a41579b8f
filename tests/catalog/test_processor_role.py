"""``[contacts] processor_for``: a provider's own terms saying it processes meeting content on
behalf of the organisation that hosted or recorded the meeting (GDPR Art. 28). The claim needs
quoted, dated sources; a broken entry is reported by file and field; no entry means no claim."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from guard.catalog import load_catalog
from guard.catalog.models import Contacts, ContactKind, ProcessorFor

CHECKED = date(2026, 12, 1)
SOURCE = {"url": "https://example.org/dpa", "checked": CHECKED, "quote": "We process Customer Data on behalf of "
          "the Customer.", "verified": True}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_the_role_needs_quoted_sources_and_sources_need_the_role():
    contacts = Contacts(controller="Acme Inc.", sources=({"url": "https://example.org/p", "checked": CHECKED},),
                        processor_for="meeting-host", processor_sources=(SOURCE,))
    assert contacts.processor_for == ProcessorFor.MEETING_HOST and contacts.processor_verified
    with pytest.raises(ValueError, match="needs at least one"):
        Contacts(processor_for="meeting-host")
    with pytest.raises(ValueError, match="processor_for is not"):
        Contacts(processor_sources=(SOURCE,))
    with pytest.raises(ValueError, match="quote"):
        Contacts(processor_for="meeting-host", processor_sources=({**SOURCE, "quote": ""},))
    with pytest.raises(ValueError, match="one line"):
        Contacts(processor_for="meeting-host", processor_sources=({**SOURCE, "quote": "a\nb c"},))
    with pytest.raises(ValueError, match="no-controller"):
        Contacts(kind="no-controller", write_to=("server-operator",),
                 sources=({"url": "https://example.org/", "checked": CHECKED},), processor_for="meeting-host",
                 processor_sources=(SOURCE,))
    with pytest.raises(ValueError):
        Contacts(processor_for="everyone", processor_sources=(SOURCE,))
    assert not Contacts(processor_for="meeting-host",
                        processor_sources=({**SOURCE, "verified": False},)).processor_verified


def test_a_broken_role_in_a_user_file_is_reported_by_file_and_field(tmp_path: Path):
    user = tmp_path / "catalog"
    user.mkdir()
    (user / "acme.toml").write_text(
        'id = "acme"\nname = "Acme Notes"\nvendor = "Acme"\nkind = "notetaker"\nhomepage = "https://acme.example/"\n'
        '[contacts]\nprocessor_for = "meeting-host"\n', encoding="utf-8")
    loaded = load_catalog(user=user)
    assert loaded.get("acme") is None
    problem = next(p for p in loaded.problems if p.file.name == "acme.toml")
    assert problem.field == "contacts.processor_sources" and "quote" in problem.reason


def test_the_shipped_roles_are_quoted_dated_and_pinned(catalog):
    with_role = {pid: p.contacts for pid, p in catalog.providers.items() if p.contacts.processor_for}
    # the big four meeting services, note-takers and business services whose terms were read
    read = {"zoom", "teams", "google-meet", "webex", "otter", "fireflies", "fathom", "slack", "ringcentral",
            "goto-meeting", "gong"}
    assert read <= set(with_role)
    for pid, contacts in with_role.items():
        assert contacts.kind != ContactKind.NO_CONTROLLER, pid
        for source in contacts.processor_sources:
            assert source.quote and source.checked <= CHECKED and source.title, pid
            url = str(source.url)
            if "github.com/OpenTermsArchive/" in url:  # an archive copy is cited by its commit
                commit = url.split("/blob/")[1].split("/")[0]
                assert len(commit) == 40 and all(ch in "0123456789abcdef" for ch in commit), pid
    assert {pid for pid, c in with_role.items() if c.processor_verified} >= {"zoom", "teams", "otter", "fireflies"}
    assert not with_role["webex"].processor_verified  # read only in a third-party copy: said so in letters


def test_an_archived_quote_is_in_the_archived_text(catalog):
    """Where the quote was read in an Open Terms Archive copy, the words are in that file at that
    commit (the mirror, when this machine has it; otherwise nothing to compare here)."""
    import subprocess

    mirror = Path("/work/.mirror/OpenTermsArchive+contrib-versions/repo")
    if not mirror.exists():
        pytest.skip("no local mirror of OpenTermsArchive/contrib-versions")
    checked = 0
    for provider in catalog.providers.values():
        for source in provider.contacts.processor_sources:
            url = str(source.url)
            if "github.com/OpenTermsArchive/contrib-versions/blob/" not in url:
                continue
            commit, path = url.split("/blob/")[1].split("/", 1)
            text = subprocess.run(["git", "--git-dir", str(mirror / ".git") if (mirror / ".git").exists()
                                   else str(mirror), "show", f"{commit}:{path.replace('%20', ' ')}"],
                                  capture_output=True, text=True, check=True).stdout
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text.replace("**", ""))  # Markdown links as their words
            assert _words(source.quote) <= _words(plain), (provider.id, source.quote)
            checked += 1
    assert checked >= 5


def _words(text: str) -> set[str]:
    return {word.strip(".,:;()“”\"'’").lower() for word in text.split()} - {""}
