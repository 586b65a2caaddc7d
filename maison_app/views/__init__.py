"""One package per screen, and the list of areas the main window shows."""

from __future__ import annotations

from maison_app.i18n import _
from maison_app.ui.main_window import Area


def built_areas() -> list[Area]:
    """The areas that exist, in navigation order. Later issues append theirs here; an
    area that is not built is not listed (no empty placeholder page)."""

    def reception(services, tasks):
        from maison_app.views.reception import (
            ReceptionScreen,  # imported when first shown
        )

        return ReceptionScreen(services, tasks)

    def members(services, tasks):
        from maison_app.views.members import MembersScreen

        return MembersScreen(services, tasks)

    def spaces(services, tasks):
        from maison_app.views.spaces import SpacesScreen

        return SpacesScreen(services, tasks)

    def hosting(services, tasks):
        from maison_app.views.hosting import HostingScreen

        return HostingScreen(services, tasks)

    def hosting_allowed(actor) -> bool:
        from maison_app.views.hosting.screen import hosting_allowed as allowed

        return allowed(actor)

    def bookings(services, tasks):
        from maison_app.views.bookings import BookingsScreen

        return BookingsScreen(services, tasks)

    def workshops(services, tasks):
        from maison_app.views.workshops import WorkshopsScreen

        return WorkshopsScreen(services, tasks)

    def catalogue(services, tasks):
        from maison_app.views.catalogue import CatalogueScreen

        return CatalogueScreen(services, tasks)

    def admin(services, tasks):
        from maison_app.views.admin import AdminScreen

        return AdminScreen(services, tasks)

    def admin_allowed(actor) -> bool:
        from maison_app.views.admin import admin_allowed as allowed

        return allowed(actor)

    return [
        Area("reception", lambda: _("Accueil"), reception, "Ctrl+1"),
        # every role reads people; the screen hides what the role may not do
        Area("members", lambda: _("Adhérents"), members, "Ctrl+2"),
        # every role reads the plan; allocating and editing it depend on the role
        Area("spaces", lambda: _("Bureaux & postes"), spaces, "Ctrl+3"),
        # projects for incubation and administration; agreements and mail for everyone
        Area("hosting", lambda: _("Hébergement"), hosting, "Ctrl+4", allowed=hosting_allowed),
        # every role books rooms
        Area("bookings", lambda: _("Réservations"), bookings, "Ctrl+5"),
        # every role registers people and takes attendance
        Area("workshops", lambda: _("Ateliers"), workshops, "Ctrl+6"),
        # every role keeps the catalogue and takes the grouped orders
        Area("catalogue", lambda: _("Circuits courts"), catalogue, "Ctrl+7"),
        Area("admin", lambda: _("Administration"), admin, "Ctrl+9", allowed=admin_allowed),
    ]
