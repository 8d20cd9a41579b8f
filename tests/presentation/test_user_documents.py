"""Issue 19: a document from the user's own terms file showed as raw ids ("acme-meet
terms-of-service") in the tray, the notification and the window; it shows its title."""

from __future__ import annotations

from guard.events import ClauseChange, TermsChanged
from guard.presentation.notices import terms_notice
from guard.presentation.status import terms_change_view, tray_status
from tests.presentation.conftest import AT, TODAY, snapshot
from ui.tray.menu_model import menu_entries


def user_change(title: str = "Acme Meet Terms of Service") -> TermsChanged:
    return TermsChanged(provider_id="acme-meet", at=AT, document_id="terms-of-service", title=title,
                        url="https://acme.example/terms", old_sha256="a" * 64, new_sha256="b" * 64,
                        changes=(ClauseChange(("ai-training",), "old", "new", "4",
                                              "AI training: Section 4 now says: “We train.”"),))


def test_a_user_document_is_named_by_its_title_in_notification_tray_and_menu(catalog):
    event = user_change()
    assert catalog.get("acme-meet") is None, "a provider the catalog does not know"
    notice = terms_notice(event, catalog)
    assert notice.title == "Acme Meet Terms of Service changed"
    view = terms_change_view(event, catalog)
    assert view.display_title == "Acme Meet Terms of Service"
    status = tray_status(snapshot(), catalog, (view,), today=TODAY)
    assert "Acme Meet Terms of Service" in status.tooltip and "terms-of-service" not in status.tooltip
    lines = [entry.text for entry in menu_entries(status)]
    assert "Acme Meet Terms of Service changed — show the change…" in lines


def test_a_catalog_document_keeps_the_catalogs_provider_and_title(catalog):
    event = TermsChanged(provider_id="testmeet", at=AT, document_id="terms", title="testmeet terms",
                         url="https://example.org/terms", old_sha256="a" * 64, new_sha256="b" * 64, changes=())
    assert terms_change_view(event, catalog).display_title == "TestMeet Terms of Service"
