"""The Administration screen: accounts, the audit trail, backups, data protection, the
registry of spaces. Each tab shows only for the roles the permission matrix allows (the
services refuse the others anyway)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _
from maison_app.services.permissions import can

ADMIN_AREAS = (Area.USERS, Area.AUDIT, Area.BACKUPS, Area.PRIVACY)
# Areas every role may read elsewhere (the plan shows the spaces to all), whose tab here is
# for those who may change them; they do not open the Administration entry by themselves.
ADMIN_WRITE_AREAS = (Area.SPACES,)


def admin_allowed(actor) -> bool:
    """Whether the Administration entry appears in the navigation for this actor."""
    return (any(can(actor, area, Access.READ) for area in ADMIN_AREAS)
            or any(can(actor, area, Access.WRITE) for area in ADMIN_WRITE_AREAS))


class AdminScreen(QWidget):
    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from maison_app.views.admin.audit import AuditTab
        from maison_app.views.admin.backups import BackupsTab
        from maison_app.views.admin.privacy import PrivacyTab
        from maison_app.views.admin.spaces import SpacesTab
        from maison_app.views.admin.users import UsersTab

        self.setAccessibleName(_("Administration"))
        heading = QLabel(_("Administration"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Rubriques de l'administration"))
        actor = services.ctx.actor
        self.pages: dict[Area, QWidget] = {}
        for area, access, label, factory in (
            (Area.USERS, Access.READ, _("Comptes"), UsersTab),
            (Area.SPACES, Access.WRITE, _("Espaces"), SpacesTab),
            (Area.AUDIT, Access.READ, _("Journal des modifications"), AuditTab),
            (Area.BACKUPS, Access.READ, _("Sauvegardes"), BackupsTab),
            (Area.PRIVACY, Access.READ, _("Protection des données"), PrivacyTab),
        ):
            if can(actor, area, access):
                page = factory(services, tasks)
                self.pages[area] = page
                self.tabs.addTab(page, label)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
