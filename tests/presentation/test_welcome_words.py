"""What the welcome says about the network is true for the shipped catalog and the settings:
which sites, and that Open Terms Archive's copies on GitHub are asked first when that is on."""

from __future__ import annotations

from guard.catalog import load_catalog
from guard.presentation.welcome import archived_documents, flat, terms_section
from guard.settings import Settings


def test_terms_checks_name_github_when_the_archive_is_read_first():
    catalog = load_catalog()
    assert archived_documents(catalog) > 0, "the shipped catalog names archived documents"
    said = flat([terms_section(Settings(), catalog)])
    assert "Terms checks are on: every 24 hours" in said and "microsoft.com" in said
    assert "Open Terms Archive" in said and "api.github.com, raw.githubusercontent.com" in said
    off = Settings().model_copy(update={"terms": Settings().terms.model_copy(update={"archive_enabled": False})})
    assert "github" not in flat([terms_section(off, catalog)]).lower()


def test_the_sites_named_are_not_all_called_the_providers_own():
    """Six open-source clients' licences are fetched from debian.org, and some help centres from
    intercom.help: the welcome said "from the providers' own sites (microsoft.com, debian.org, ...)"."""
    from urllib.parse import urlsplit

    from guard.presentation.welcome import site, watched_sites

    catalog = load_catalog()
    _documents, sites = watched_sites(catalog)
    homepages = {site(urlsplit(str(provider.homepage)).hostname or "") for provider in catalog if provider.homepage}
    foreign = [name for name in sites if name not in homepages]
    assert "debian.org" in foreign, "the test needs a watched site that is no provider's own"
    for network in (True, False):
        settings = Settings().model_copy(update={"terms": Settings().terms.model_copy(
            update={"network_enabled": network})})
        said = flat([terms_section(settings, catalog)])
        assert "debian.org" in said and "own site" not in said, said
        assert "from the sites that publish them (" in said


def test_the_welcome_names_every_use_of_the_network():
    """`consent timestamp` asks a time-stamp authority when the user runs it (under the same network
    switch): the welcome said terms checks were the app's only use of the network."""
    said = flat([terms_section(Settings(), load_catalog())])
    assert "Terms checks are the app's only use of the network" not in said
    assert "a time stamp when you ask for one" in said and "only use of the network" in said
