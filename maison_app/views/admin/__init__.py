"""The Administration screen: accounts, the audit trail, backups. Each tab shows only for
the roles the permission matrix allows (the services refuse the others anyway)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _
from maison_app.services.permissions import can

ADMIN_AREAS = (Area.USERS, Area.AUDIT, Area.BACKUPS, Area.PRIVACY)


def admin_allowed(actor) -> bool:
    """Whether the Administration entry appears in the navigation for this actor."""
    return any(can(actor, area, Access.READ) for area in ADMIN_AREAS)


class AdminScreen(QWidget):
    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from maison_app.views.admin.audit import AuditTab
        from maison_app.views.admin.backups import BackupsTab
        from maison_app.views.admin.privacy import PrivacyTab
        from maison_app.views.admin.users import UsersTab

        self.setAccessibleName(_("Administration"))
        heading = QLabel(_("Administration"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Rubriques de l'administration"))
        actor = services.ctx.actor
        self.pages: dict[Area, QWidget] = {}
        for area, label, factory in (
            (Area.USERS, _("Comptes"), UsersTab),
            (Area.AUDIT, _("Journal des modifications"), AuditTab),
            (Area.BACKUPS, _("Sauvegardes"), BackupsTab),
            (Area.PRIVACY, _("Protection des données"), PrivacyTab),
        ):
            if can(actor, area, Access.READ):
                page = factory(services, tasks)
                self.pages[area] = page
                self.tabs.addTab(page, label)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
