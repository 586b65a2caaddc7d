"""Who may read and write what: the permission matrix of the roles, by area.

Each service method declares the area and the access it needs (services/permissions.py);
the matrix below is the single place that says which role has it. The README prints it.
"""

from __future__ import annotations

import enum

from maison_app.domain.enums import Role
from maison_app.i18n import N_, _


class Area(enum.StrEnum):
    RECEPTION = "reception"  # visits, check-in/out, evacuation list
    PEOPLE = "people"  # people and organisations
    DOCUMENTS = "documents"  # the archive of issued documents
    SETTINGS = "settings"  # the house's identity and rules
    USERS = "users"  # accounts and roles
    AUDIT = "audit"  # the audit trail
    BACKUPS = "backups"  # backups and restore
    PRIVACY = "privacy"  # data-protection requests: export and erasure of a person
    MEMBERSHIP = "membership"  # memberships, payments, receipts, merges, imports and exports
    SPACES = "spaces"  # the registry of rooms, offices and desks, the floor plan, the rates
    DESKS = "desks"  # allocation of offices and desks to hosted organisations
    PROJECTS = "projects"  # programmes, accompanied projects and their follow-up
    AGREEMENTS = "agreements"  # hosting agreements, attestations, the domiciliation list
    MAIL = "mail"  # the mail log of domiciled organisations
    BOOKINGS = "bookings"  # room bookings, their series, confirmations and calendars
    WORKSHOPS = "workshops"  # workshops, sessions, registrations, attendance and certificates
    CATALOGUE = "catalogue"  # local producers, their products, grouped orders and pickups

    @property
    def label(self) -> str:
        return _(_AREA_LABELS[self])


_AREA_LABELS = {
    Area.RECEPTION: N_("Accueil et passages"),
    Area.PEOPLE: N_("Personnes et structures"),
    Area.DOCUMENTS: N_("Archives des documents"),
    Area.SETTINGS: N_("Paramètres de la maison"),
    Area.USERS: N_("Comptes et rôles"),
    Area.AUDIT: N_("Journal des modifications"),
    Area.BACKUPS: N_("Sauvegardes"),
    Area.PRIVACY: N_("Protection des données"),
    Area.MEMBERSHIP: N_("Adhésions, cotisations, fusions et imports"),
    Area.SPACES: N_("Espaces, plan et tarifs"),
    Area.DESKS: N_("Attribution des bureaux et postes"),
    Area.PROJECTS: N_("Projets accompagnés et suivi"),
    Area.AGREEMENTS: N_("Conventions d'hébergement, attestations et domiciliations"),
    Area.MAIL: N_("Courrier des structures domiciliées"),
    Area.BOOKINGS: N_("Réservations de salles"),
    Area.WORKSHOPS: N_("Ateliers, inscriptions, émargements et attestations"),
    Area.CATALOGUE: N_("Circuits courts : producteurs, produits et commandes groupées"),
}


class Access(enum.IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2  # includes reading

    @property
    def label(self) -> str:
        return _({0: N_("—"), 1: N_("lecture"), 2: N_("lecture et écriture")}[int(self)])


R, W, N = Access.READ, Access.WRITE, Access.NONE

MATRIX: dict[Role, dict[Area, Access]] = {
    Role.ACCUEIL: {
        Area.RECEPTION: W, Area.PEOPLE: W, Area.DOCUMENTS: R, Area.SETTINGS: R,
        Area.USERS: N, Area.AUDIT: N, Area.BACKUPS: N, Area.PRIVACY: N,
        Area.MEMBERSHIP: R, Area.SPACES: R, Area.DESKS: R, Area.PROJECTS: N,
        Area.AGREEMENTS: R, Area.MAIL: W, Area.BOOKINGS: W,
        Area.WORKSHOPS: W, Area.CATALOGUE: W,
    },
    Role.INCUBATION: {
        Area.RECEPTION: W, Area.PEOPLE: W, Area.DOCUMENTS: W, Area.SETTINGS: R,
        Area.USERS: N, Area.AUDIT: N, Area.BACKUPS: N, Area.PRIVACY: N,
        Area.MEMBERSHIP: R, Area.SPACES: R, Area.DESKS: W, Area.PROJECTS: W,
        Area.AGREEMENTS: W, Area.MAIL: W, Area.BOOKINGS: W,
        Area.WORKSHOPS: W, Area.CATALOGUE: W,
    },
    Role.ADMINISTRATION: {
        Area.RECEPTION: W, Area.PEOPLE: W, Area.DOCUMENTS: W, Area.SETTINGS: W,
        Area.USERS: W, Area.AUDIT: R, Area.BACKUPS: W, Area.PRIVACY: W,
        Area.MEMBERSHIP: W, Area.SPACES: W, Area.DESKS: W, Area.PROJECTS: W,
        Area.AGREEMENTS: W, Area.MAIL: W, Area.BOOKINGS: W,
        Area.WORKSHOPS: W, Area.CATALOGUE: W,
    },
}


def allowed(role: Role | None, area: Area, access: Access) -> bool:
    """May `role` have `access` to `area`? `None` is the system itself (command line,
    start-up work), which may do anything."""
    if role is None:
        return True
    return MATRIX[role][area] >= access
