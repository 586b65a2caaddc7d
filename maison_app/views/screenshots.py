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


def _spaces(services, window, out: Path) -> list[Path]:
    """The floor plan of each floor (coloured for today), the assignment dialog of an
    occupied desk, and the history of an office."""
    from maison_app.views.spaces.assignment_dialog import AssignmentDialog
    from maison_app.views.spaces.history_dialog import HistoryDialog

    paths = []
    window.show_area("spaces")
    screen = window.screens["spaces"]
    _settle(window, window.tasks)
    for index, slug in enumerate(("rdc", "etage-1")[: screen.floor_tabs.count()]):
        screen.floor_tabs.setCurrentIndex(index)
        _settle(window, window.tasks)
        time.sleep(0.2)
        _settle(window, window.tasks)
        paths.append(_save(window, out / f"bureaux-postes-{slug}.png"))
    if screen.can_edit_plan:
        screen.set_editing(True)
        _settle(window, window.tasks)
        paths.append(_save(window, out / "bureaux-postes-modification.png"))
        screen.set_editing(False)
    held = [a for a in services.spaces.assignments() if a.end is not None] or list(
        services.spaces.assignments())
    if held:
        dialog = AssignmentDialog(services, window.tasks, space_id=held[0].space_id,
                                  assignment_id=held[0].id, parent=window)
        dialog.show()
        _settle(dialog, window.tasks)
        paths.append(_save(dialog, out / "bureaux-postes-attribution.png"))
        dialog.done(0)
        history = HistoryDialog(services, space_id=held[0].space_id, parent=window)
        history.show()
        _settle(history, window.tasks)
        paths.append(_save(history, out / "bureaux-postes-historique.png"))
        history.done(0)
    window.show_area("reception")
    return paths


def _hosting(services, window, out: Path) -> list[Path]:
    """The three tabs of « Hébergement », a signed agreement and the convention's preview."""
    from maison_app.ui.pdf_preview import PdfPreviewDialog
    from maison_app.views.hosting.agreement_dialog import AgreementDialog

    paths = []
    window.show_area("hosting")
    screen = window.screens["hosting"]
    slugs = {"projects": "projets", "agreements": "conventions", "mail": "courrier"}
    for attr, slug in slugs.items():
        tab = getattr(screen, attr, None)
        if tab is None:
            continue
        screen.tabs.setCurrentWidget(tab)
        _settle(window, window.tasks)
        time.sleep(0.2)
        _settle(window, window.tasks)
        paths.append(_save(window, out / f"hebergement-{slug}.png"))
    signed = [a for a in services.agreements.agreements() if a.document_id is not None]
    if signed:
        dialog = AgreementDialog(services, window.tasks, agreement_id=signed[0].id,
                                 parent=window)
        dialog.show()
        _settle(dialog, window.tasks)
        paths.append(_save(dialog, out / "hebergement-convention-signee.png"))
        dialog.done(0)
        filename, content = services.agreements.pdf(agreement_id=signed[0].id)
        preview = PdfPreviewDialog(content, title=signed[0].number, suggested_filename=filename,
                                   parent=window)
        preview.resize(900, 800)
        preview.show()
        _settle(preview, seconds=2)
        time.sleep(0.3)
        _settle(preview, seconds=1)
        paths.append(_save(preview, out / "hebergement-convention-pdf.png"))
        preview.close()
    drafts = [a for a in services.agreements.agreements() if a.document_id is None]
    if drafts:
        dialog = AgreementDialog(services, window.tasks, agreement_id=drafts[0].id,
                                 parent=window)
        dialog.show()
        _settle(dialog, window.tasks)
        paths.append(_save(dialog, out / "hebergement-convention-brouillon.png"))
        dialog.done(0)
    window.show_area("reception")
    return paths


def _bookings(services, window, out: Path) -> list[Path]:
    """The rooms' day (a booking selected) and week, and a new booking typed in, its price
    shown."""
    import datetime as dt

    from maison_app.i18n import PARIS, to_paris
    from maison_app.views.bookings.booking_dialog import BookingDialog

    paths = []
    window.show_area("bookings")
    screen = window.screens["bookings"]
    _settle(window, window.tasks)
    time.sleep(0.2)
    _settle(window, window.tasks)
    shown = sorted(screen.shown.values(), key=lambda b: (b.status.value != "option", b.start))
    if shown:  # an option shows the most in the details
        screen.calendar.select_booking(shown[0].id)
        _settle(window, window.tasks)
    paths.append(_save(window, out / "reservations-jour.png"))
    screen.set_mode("week")
    _settle(window, window.tasks)
    time.sleep(0.2)
    _settle(window, window.tasks)
    paths.append(_save(window, out / "reservations-semaine.png"))
    screen.set_mode("day")
    _settle(window, window.tasks)

    rooms = services.bookings.rooms()
    if rooms:
        day = to_paris(services.ctx.now()).date() + dt.timedelta(days=7)
        start = dt.datetime.combine(day, dt.time(14, 0), tzinfo=PARIS)
        dialog = BookingDialog(services, window.tasks, space_id=rooms[0].id, start=start,
                               end=start + dt.timedelta(hours=3), parent=window)
        dialog.title.setText("Atelier Circuits courts")
        found = services.members.find_organisations(query="", limit=1)
        if found:
            dialog.organisation_picker.choose(*found[0])
        dialog.attendees.setValue(min(8, rooms[0].capacity))
        dialog.show()
        _settle(dialog, window.tasks)
        dialog.refresh_quote()
        _settle(dialog, window.tasks)
        time.sleep(0.2)
        _settle(dialog, window.tasks)
        paths.append(_save(dialog, out / "reservations-nouvelle.png"))
        dialog.done(0)
    window.show_area("reception")
    return paths


def _workshops(services, window, out: Path) -> list[Path]:
    """The workshops (a session whose attendance is not taken yet flagged on top), the
    attendance of a past session (the one with the most half-days: some absences), and the
    figures of the year."""
    from maison_app.views.workshops.attendance_dialog import AttendanceDialog

    paths = []
    window.show_area("workshops")
    screen = window.screens["workshops"]
    _settle(window, window.tasks)
    time.sleep(0.2)
    _settle(window, window.tasks)
    paths.append(_save(window, out / "ateliers.png"))
    sessions = services.workshops.sessions()
    recorded = [s for s in sessions if s.attendance_recorded] or [
        s for s in sessions if s.registered]
    if recorded:
        chosen = max(recorded, key=lambda s: (len(s.half_days), s.registered))
        dialog = AttendanceDialog(services, chosen.id, window, tasks=window.tasks)
        dialog.show()
        _settle(dialog, window.tasks)
        time.sleep(0.1)
        _settle(dialog, window.tasks)
        paths.append(_save(dialog, out / "ateliers-emargement.png"))
        dialog.done(0)
    figures = getattr(screen, "figures", None)
    if figures is not None:
        screen.tabs.setCurrentWidget(figures)
        _settle(window, window.tasks)
        time.sleep(0.2)
        _settle(window, window.tasks)
        paths.append(_save(window, out / "ateliers-chiffres.png"))
        screen.tabs.setCurrentIndex(0)
    window.show_area("reception")
    return paths


def _catalogue(services, window, out: Path) -> list[Path]:
    """The catalogue of local products, and the grouped orders: the open campaign, its
    orders and totals (a producer below its minimum order, the share within 100 km)."""
    paths = []
    window.show_area("catalogue")
    screen = window.screens["catalogue"]
    _settle(window, window.tasks)
    time.sleep(0.2)
    _settle(window, window.tasks)
    paths.append(_save(window, out / "circuits-courts.png"))
    campaigns = getattr(screen, "campaigns", None)
    if campaigns is not None:
        screen.tabs.setCurrentWidget(campaigns)
        _settle(window, window.tasks)
        time.sleep(0.2)
        _settle(window, window.tasks)
        paths.append(_save(window, out / "circuits-courts-commandes.png"))
        screen.tabs.setCurrentIndex(0)
    window.show_area("reception")
    return paths


def _space_dialog(services, tab, out: Path) -> list[Path]:
    """The registry's form, on a meeting room with its rates."""
    from maison_app.domain.enums import SpaceKind
    from maison_app.views.admin.spaces import SpaceDialog

    spaces = services.spaces.spaces()
    rooms = [sp for sp in spaces if sp.kind is SpaceKind.MEETING_ROOM] or list(spaces)
    if not rooms:
        return []
    dialog = SpaceDialog(services, spaces=spaces, space=rooms[0], parent=tab)
    dialog.show()
    _settle(dialog)
    path = _save(dialog, out / "administration-espace-fiche.png")
    dialog.done(0)
    return [path]


def render_all(services, directory: str | Path) -> list[Path]:
    from maison_app.services.local_config import LocalConfig
    from maison_app.ui.application import make_qapplication
    from maison_app.ui.main_window import MainWindow
    from maison_app.ui.pdf_preview import PdfPreviewDialog
    from maison_app.ui.settings_dialog import SettingsDialog
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

    if "spaces" in window.screens:
        paths.extend(_spaces(services, window, out))

    if "hosting" in window.screens:
        paths.extend(_hosting(services, window, out))

    if "bookings" in window.screens:
        paths.extend(_bookings(services, window, out))

    if "workshops" in window.screens:
        paths.extend(_workshops(services, window, out))

    if "catalogue" in window.screens:
        paths.extend(_catalogue(services, window, out))

    if "admin" in window.screens:
        window.show_area("admin")
        admin = window.screens["admin"]
        from maison_app.domain.permissions import Area

        slugs = {Area.USERS: "comptes", Area.SPACES: "espaces", Area.AUDIT: "journal",
                 Area.BACKUPS: "sauvegardes", Area.PRIVACY: "protection-des-donnees"}
        for area, page in admin.pages.items():
            slug = slugs[area]
            admin.tabs.setCurrentWidget(page)
            _settle(window, window.tasks)
            paths.append(_save(window, out / f"administration-{slug}.png"))
            if area is Area.SPACES:
                paths.extend(_space_dialog(services, page, out))
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
                              memberships=services.memberships, hosting=services.hosting_texts,
                              projects=services.projects, bookings=services.bookings)
    settings.show()
    _settle(settings)
    paths.append(_save(settings, out / "parametres.png"))
    if getattr(settings, "colleges_tab", None) is not None:
        settings.tabs.setCurrentWidget(settings.colleges_tab)
        _settle(settings)
        paths.append(_save(settings, out / "parametres-adhesions.png"))
    if getattr(settings, "hosting_tab", None) is not None:
        settings.tabs.setCurrentWidget(settings.hosting_tab)
        _settle(settings)
        paths.append(_save(settings, out / "parametres-hebergement.png"))
    if getattr(settings, "bookings_tab", None) is not None:
        settings.tabs.setCurrentWidget(settings.bookings_tab)
        _settle(settings)
        paths.append(_save(settings, out / "parametres-reservations.png"))
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
