"""The « Circuits courts » screen: tab « Catalogue » (the local products, their prices and
seasons), tab « Producteurs », tab « Commandes groupées » (the campaigns and the members'
orders). The tabs load again when the screen is shown (another desk may have changed them)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from maison_app.i18n import _
from maison_app.views.catalogue.catalogue_tab import CatalogueTab
from maison_app.views.catalogue.producers_tab import ProducersTab


def _campaigns_tab(services, tasks, parent):
    """C4's tab, when it is there."""
    try:
        from maison_app.views.catalogue.campaigns_tab import CampaignsTab
    except ImportError:
        return None
    return CampaignsTab(services, tasks, parent)


class CatalogueScreen(QWidget):
    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.setAccessibleName(_("Circuits courts"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Onglets des circuits courts"))
        self.catalogue = CatalogueTab(services, tasks, self)
        self.producers = ProducersTab(services, tasks, self)
        self.producers.on_changed = self.catalogue.reload
        self.tabs.addTab(self.catalogue, _("Catalogue"))
        self.tabs.addTab(self.producers, _("Producteurs"))
        self.campaigns = _campaigns_tab(services, tasks, self)
        if self.campaigns is not None:
            self.tabs.addTab(self.campaigns, _("Commandes groupées"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def reload(self) -> None:
        self.catalogue.reload()
        self.producers.load()
        if self.campaigns is not None and hasattr(self.campaigns, "reload"):
            self.campaigns.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.reload()
