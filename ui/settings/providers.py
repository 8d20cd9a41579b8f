"""The providers tab: every catalog entry, searchable, with its AI features, clauses in force,
clause history, sources (links open in the browser) and unverified items marked."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from guard.presentation.i18n import _, format_number, labelled, ngettext, words_for
from guard.presentation.provider_search import search_providers
from guard.presentation.wording import KIND_NAMES
from guard.services import Services, unverified_count
from ui.settings.common import css_colour, esc, highlight_tint, muted_tint, named
from ui.settings.provider_page import PageColours, ProviderPage
from ui.widgets import plain_tooltip

PROVIDER_ROLE = Qt.ItemDataRole.UserRole + 1


LIST_MAX_WIDTH = 480  # px: the details page keeps the rest


class ProvidersTab(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.search = named(QLineEdit(), _("Search providers"), _("Filter providers, AI features and clauses"))
        self.search.setPlaceholderText(_("e.g. train, recording, Zoom"))
        self.search.setClearButtonEnabled(True)
        label = QLabel(_("&Search:"))
        label.setBuddy(self.search)
        self.list = named(QListWidget(), _("Providers"))
        self.page = named(QTextBrowser(), _("Provider details"))
        self.page.setOpenLinks(False)
        self.page.anchorClicked.connect(self.open_link)
        self.count = QLabel()
        self.opened: list[QUrl] = []

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.search)
        left_layout.addLayout(row)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.count)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.page)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.search.textChanged.connect(self.refilter)
        self.list.currentItemChanged.connect(lambda *_: self.render())
        self.refilter()

    def refilter(self) -> None:
        """List the providers matching the search (all when empty); keep the choice if still listed."""
        chosen = self.current_id()
        matches = search_providers(self.services.catalog, self.search.text())
        self.list.blockSignals(True)
        self.list.clear()
        for match in matches:
            provider = match.provider
            unverified = unverified_count(provider)
            text = provider.name + ("  " + ngettext("({count} unverified)", "({count} unverified)", unverified).format(
                count=format_number(unverified))
                                    if unverified else "")
            item = QListWidgetItem(text)
            item.setData(PROVIDER_ROLE, provider.id)
            tip = f"{provider.name}\n{provider.vendor} · {words_for(KIND_NAMES, provider.kind)}"
            if match.matched:
                tip += "\n" + labelled(_("Matches"), ", ".join(match.matched))
            item.setToolTip(plain_tooltip(tip))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._fit_list()
        ids = [m.provider.id for m in matches]
        self.list.setCurrentRow(ids.index(chosen) if chosen in ids else (0 if ids else -1))
        total = len(self.services.catalog)
        self.count.setText(ngettext("{shown} of {count} provider", "{shown} of {count} providers", total).format(
            shown=format_number(len(matches)), count=format_number(total)) if self.search.text().strip() else
            ngettext("{count} provider", "{count} providers", total).format(count=format_number(total)))
        self.render()

    def _fit_list(self) -> None:
        """Keep the list wide enough for the longest name to show whole (up to LIST_MAX_WIDTH); a
        name longer still is cut, whole in its tooltip."""
        metrics = self.list.fontMetrics()
        texts = [self.list.item(row).text() for row in range(self.list.count())]
        widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
        scrollbar = self.list.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        wanted = widest + scrollbar + 2 * self.list.frameWidth() + 2 * self.list.spacing() + 12
        self.list.setMinimumWidth(min(max(wanted, self.list.minimumWidth()), LIST_MAX_WIDTH))

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(PROVIDER_ROLE) if item is not None else None

    def listed_ids(self) -> list[str]:
        return [self.list.item(i).data(PROVIDER_ROLE) for i in range(self.list.count())]

    def show_provider(self, provider_id: str) -> None:
        ids = self.listed_ids()
        if provider_id not in ids:
            self.search.clear()
            ids = self.listed_ids()
        if provider_id in ids:
            self.list.setCurrentRow(ids.index(provider_id))

    def render(self) -> None:
        provider = self.services.catalog.get(self.current_id() or "")
        if provider is None:
            self.page.setHtml(f"<p>{esc(_('No provider matches the search.'))}</p>")
            return
        pal = self.page.palette()
        colours = PageColours(mark=css_colour(highlight_tint(pal, 0.45)), badge=css_colour(muted_tint(pal, 0.22)))
        self.page.setHtml(ProviderPage(colours, self.search.text()).render(provider))

    def open_link(self, url: QUrl) -> None:
        """Sources open in the user's browser (or mail program for privacy emails)."""
        self.opened.append(url)
        QDesktopServices.openUrl(url)
