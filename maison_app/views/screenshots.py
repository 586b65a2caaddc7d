"""`maison-app screenshots DIR`: every screen that exists, rendered offscreen to PNG."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QWidget

SIZE = (1366, 800)


def _settle(window, tasks=None, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if tasks is None or tasks.idle:
            QCoreApplication.processEvents()
            if tasks is None or tasks.idle:
                break
        time.sleep(0.01)


def _save(widget: QWidget, path: Path) -> Path:
    widget.grab().save(str(path))
    return path


def _members(services, window, out: Path) -> list[Path]:
    """The members list, and the record of a paid-up member with its memberships."""
    from maison_app.domain.enums import MembershipStatus
    from maison_app.domain.members import MemberFilter
    from maison_app.views.members.person_dialog import PersonDialog

    paths = []
    window.show_area("members")
    _settle(window, window.tasks)
    time.sleep(0.2)
    _settle(window, window.tasks)
    paths.append(_save(window, out / "adherents.png"))
    # a member who still owes part of the fee shows the most; else any member, anyone
    rows = (services.members.page(filter=MemberFilter(status=MembershipStatus.PARTIEL), limit=1)
            or services.members.page(filter=MemberFilter(members_only=True), limit=1)
            or services.members.page(filter=MemberFilter(), limit=1))
    if rows:
        dialog = PersonDialog(services, window.tasks, person_id=rows[0].id, parent=window)
        dialog.show()
        _settle(dialog, window.tasks)
        paths.append(_save(dialog, out / "adherent-fiche.png"))
        dialog.tabs.setCurrentIndex(2)
        _settle(dialog, window.tasks)
        time.sleep(0.2)
        _settle(dialog, window.tasks)
        paths.append(_save(dialog, out / "adherent-adhesions.png"))
        dialog.done(0)
    window.show_area("reception")
    return paths


def render_all(services, directory: str | Path) -> list[Path]:
    from maison_app.ui.application import make_qapplication
    from maison_app.ui.main_window import MainWindow
    from maison_app.ui.pdf_preview import PdfPreviewDialog
    from maison_app.ui.settings_dialog import SettingsDialog
    from maison_app.services.local_config import LocalConfig
    from maison_app.views import built_areas
    from maison_app.views.reception.visitor_dialog import VisitorDialog

    make_qapplication()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []

    window = MainWindow(built_areas(), LocalConfig.load(), services=services)
    window.resize(*SIZE)
    window.show()
    _settle(window, window.tasks)
    reception = window.screens["reception"]
    # A search as typed at the desk, so the picture shows the list of matches.
    hits = services.people.search(query="ma")
    if hits.hits:
        reception.search.setText("ma")
        _settle(window, window.tasks)
        time.sleep(0.2)
        _settle(window, window.tasks)
    paths.append(_save(window, out / "accueil.png"))

    if "members" in window.screens:
        paths.extend(_members(services, window, out))

    if "admin" in window.screens:
        window.show_area("admin")
        admin = window.screens["admin"]
        for index, slug in enumerate(("comptes", "journal", "sauvegardes", "protection-des-donnees")[: admin.tabs.count()]):
            admin.tabs.setCurrentIndex(index)
            _settle(window, window.tasks)
            paths.append(_save(window, out / f"administration-{slug}.png"))
        window.show_area("reception")

    from maison_app.ui.login_dialog import LoginDialog

    login = LoginDialog(services.accounts, window, login="accueil")
    login.show()
    _settle(login)
    paths.append(_save(login, out / "connexion.png"))
    login.reject()

    dialog = VisitorDialog(services.reception, window)
    dialog.show()
    _settle(dialog)
    paths.append(_save(dialog, out / "accueil-nouveau-visiteur.png"))
    dialog.reject()

    settings = SettingsDialog(services.settings, LocalConfig.load(), window,
                              memberships=services.memberships)
    settings.show()
    _settle(settings)
    paths.append(_save(settings, out / "parametres.png"))
    if getattr(settings, "colleges_tab", None) is not None:
        settings.tabs.setCurrentWidget(settings.colleges_tab)
        _settle(settings)
        paths.append(_save(settings, out / "parametres-adhesions.png"))
    settings.reject()

    record, content = services.reception.presence_list()
    preview = PdfPreviewDialog(content, title=record.number, suggested_filename=record.filename,
                               parent=window)
    preview.resize(900, 800)
    preview.show()
    _settle(preview, seconds=2)
    time.sleep(0.3)
    _settle(preview, seconds=1)
    paths.append(_save(preview, out / "liste-des-presents.png"))
    preview.close()
    window.close()
    return paths
