"""Providers tab: every catalog entry, search, unverified marks, clause history, source links."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from guard.catalog import unverified_count
from tests.support.url_catcher import caught_urls


def test_every_catalog_provider_is_listed_with_its_unverified_count(open_window, services, qtbot):
    window = open_window(tab="providers")
    tab = window.providers
    assert sorted(tab.listed_ids()) == sorted(p.id for p in services.catalog)
    texts = {tab.list.item(i).text() for i in range(tab.list.count())}
    zoom = services.catalog.get("zoom")
    assert f"Zoom  ({unverified_count(zoom)} unverified)" in texts



def test_every_provider_name_shows_whole_in_the_list(open_window, services, qtbot):
    """In a window of the size it opens at, the list cut "Dialpad Meetings (formerly UberConfere",
    "Huawei Cloud Meeting (华为云会议) (1 un" and "8x8 Meet / 8x8 Video Meetings (1 unveri"; the
    tooltip named only the vendor and kind."""
    window = open_window(tab="providers")
    tab = window.providers
    qtbot.waitUntil(lambda: tab.list.viewport().width() > 0)
    room = tab.list.viewport().width()
    for row in range(tab.list.count()):
        item = tab.list.item(row)
        wanted = tab.list.visualItemRect(item).x() + tab.list.fontMetrics().horizontalAdvance(item.text())
        assert wanted <= room, f"{item.text()!r} needs {wanted} px, the list shows {room}"
        assert item.toolTip().startswith(item.text().split("  (")[0])

def test_search_filters_providers_by_feature_and_clause_wording(open_window, services, qtbot):
    window = open_window(tab="providers")
    tab = window.providers
    qtbot.keyClicks(tab.search, "perpetual licence")  # words of Zoom's 2023 clause summaries and quotes
    listed = tab.listed_ids()
    assert "zoom" in listed and len(listed) < len(services.catalog)
    for provider_id in listed:
        provider = services.catalog.get(provider_id)
        blob = provider.model_dump_json().lower()
        assert "perpetual" in blob and "licen" in blob
    assert tab.count.text() == f"{len(listed)} of {len(services.catalog)} providers"
    tab.show_provider("zoom")
    assert tab.page.toHtml().count("background-color:") > 1  # the hits are marked
    tab.search.clear()
    qtbot.keyClicks(tab.search, "no such words anywhere")
    assert tab.listed_ids() == []
    assert "No provider matches" in tab.page.toPlainText()


def test_unverified_statements_are_marked(open_window, services, qtbot):
    window = open_window(tab="providers")
    window.providers.show_provider("zoom")
    text = window.providers.page.toPlainText()
    zoom = services.catalog.get("zoom")
    unverified = next(f for f in zoom.ai_features if not f.verified)
    verified = next(f for f in zoom.ai_features if f.verified)
    assert f"{unverified.name} unverified" in " ".join(text.split())
    assert f"{verified.name} unverified" not in " ".join(text.split())
    assert f"{unverified_count(zoom)} unverified items" in text


def test_features_clauses_in_force_and_clause_history_are_shown(open_window, services, qtbot):
    window = open_window(tab="providers")
    window.providers.show_provider("zoom")
    text = " ".join(window.providers.page.toPlainText().split())
    assert "Switched on by an account admin, the host" in text
    assert "Participants can ask the host to stop it, leave the meeting" in text
    assert "Clauses in force today" in text and "Clause history" in text
    # Section 10.4's wordings, oldest first, each with its dates
    march = text.index("from 31 Mar 2023 to 11 Aug 2023")
    august = text.index("from 7 Aug 2023 to 11 Aug 2023")
    assert march < text.index("Zoom will not use audio, video or chat Customer Content") and august > 0
    assert "checked 23 Nov 2026" in text


def test_source_links_open_through_the_desktop(open_window, services, qtbot):
    with caught_urls("https") as catcher:  # instead of starting a browser here
        window = open_window(tab="providers")
        window.providers.show_provider("zoom")
        page = window.providers.page
        page.setFocus()
        qtbot.keyClick(page, Qt.Key.Key_Tab)  # the first link: the provider's homepage
        qtbot.keyClick(page, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: catcher.urls != [])
        assert catcher.urls[0].toString() == str(services.catalog.get("zoom").homepage)


def test_in_german_a_feature_is_described_in_german_marked_machine_made_and_found_by_german_words(
        open_window, services, qtbot):
    """Feature descriptions stayed English in a German window; the notices (quotes) stay English."""
    from ui.language import apply_language

    apply_language("de")
    try:
        window = open_window(tab="providers")
        tab = window.providers
        tab.show_provider("zoom")
        text = " ".join(tab.page.toPlainText().split())
        assert ("Erstellt aus dem Meeting-Transkript eine Zusammenfassung des Meetings mit nächsten Schritten; "
                "der Host erhält sie und kann sie mit den Teilnehmenden teilen.") in text
        assert "(maschinelle Übersetzung)" in text
        assert "Notiz (auf Englisch) Zoom's KB:" in text  # the catalog's working notes stay English, and say so
        assert "'This meeting is being transcribed.'" in text  # the provider's words, as shown
        clause = services.catalog.get("zoom").clauses_in_force(date.today())[0]
        assert f"„{' '.join(clause.quote.split())}“" in text  # a clause in German quotation marks
        qtbot.keyClicks(tab.search, "Zusammenfassung Transkript")
        assert "zoom" in tab.listed_ids()
    finally:
        apply_language("")


def test_in_french_one_unverified_item_is_singular(open_window, services, qtbot):
    """The list said "Pop  (1 non vérifiés)"."""
    from ui.language import apply_language

    apply_language("fr")
    try:
        window = open_window(tab="providers")
        tab = window.providers
        texts = [tab.list.item(i).text() for i in range(tab.list.count())]
        ones = [t for t in texts if "(1 " in t]
        assert ones and all(t.endswith("(1 non vérifié)") for t in ones), ones[:3]
        assert any(t.endswith(" non vérifiés)") for t in texts)
    finally:
        apply_language("")


def test_the_providers_tab_says_why_no_clause_is_in_force():
    """Audit round six: Jami's page said 'None recorded in the catalog.' under 'Clauses in force
    today', as if its terms had been read and held none; its archived policy states no date."""
    from guard.catalog.loader import load_catalog
    from ui.settings.provider_page import PageColours, ProviderPage

    page = ProviderPage(PageColours(mark="#ff0", badge="#eee"), "").render(load_catalog().get("jami"))
    assert "Its terms are watched, but none of their clauses is listed with the date it took effect." in page
