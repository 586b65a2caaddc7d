"""The "Hébergement" screen: one tab per part, each shown to the roles that may read it —
« Projets » (incubation, administration), « Conventions » (everyone reads; incubation and
administration write), « Courrier » (everyone: the reception records the mail of the
domiciled organisations).

Ctrl+PgDown / Ctrl+PgUp go from tab to tab; each tab refreshes when it is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from maison_app.domain.permissions import Access, Area, allowed
from maison_app.i18n import _


def hosting_allowed(actor) -> bool:
    role = getattr(actor, "role", None)
    return any(allowed(role, area, Access.READ)
               for area in (Area.PROJECTS, Area.AGREEMENTS, Area.MAIL))


class HostingScreen(QWidget):
    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from maison_app.views.hosting.agreements_tab import AgreementsTab
        from maison_app.views.hosting.mail_tab import MailTab
        from maison_app.views.hosting.projects_tab import ProjectsTab

        self.services = services
        self.tasks = tasks
        self.setAccessibleName(_("Hébergement"))
        heading = QLabel(_("Hébergement"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Parties de l'hébergement"))
        self.tabs.setDocumentMode(True)
        role = services.ctx.actor.role
        self.projects = self.agreements = self.mail = None
        if allowed(role, Area.PROJECTS, Access.READ):
            self.projects = ProjectsTab(services, tasks)
            self.tabs.addTab(self.projects, _("Projets accompagnés"))
        if allowed(role, Area.AGREEMENTS, Access.READ):
            self.agreements = AgreementsTab(services, tasks)
            self.tabs.addTab(self.agreements, _("Conventions"))
        if allowed(role, Area.MAIL, Access.READ):
            self.mail = MailTab(services, tasks)
            self.tabs.addTab(self.mail, _("Courrier"))
        if self.projects is not None and self.agreements is not None:
            self.projects.new_agreement_requested.connect(self._agreement_for_project)
        self.tabs.currentChanged.connect(self._shown)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    def _shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if tab is not None and hasattr(tab, "refresh"):
            tab.refresh()

    def _agreement_for_project(self, project_id: int) -> None:
        self.tabs.setCurrentWidget(self.agreements)
        self.agreements.new_agreement(project_id=project_id)

    def refresh(self) -> None:
        self._shown(self.tabs.currentIndex())
