"""Enumerations of the domain. Values are stable identifiers stored in the database;
labels are French (translated through i18n at display time)."""

from __future__ import annotations

import enum

from maison_app.i18n import N_, _


class VisitPurpose(enum.StrEnum):
    RENDEZ_VOUS = "rendez_vous"
    ATELIER = "atelier"
    COWORKING = "coworking"
    REUNION = "reunion"
    LIVRAISON = "livraison"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return _(_VISIT_PURPOSE_LABELS[self])


# The French text is the msgid; `label` translates it at display time.
_VISIT_PURPOSE_LABELS = {
    VisitPurpose.RENDEZ_VOUS: N_("Rendez-vous"),
    VisitPurpose.ATELIER: N_("Atelier"),
    VisitPurpose.COWORKING: N_("Coworking"),
    VisitPurpose.REUNION: N_("Réunion"),
    VisitPurpose.LIVRAISON: N_("Livraison / courrier"),
    VisitPurpose.AUTRE: N_("Autre"),
}


class LegalForm(enum.StrEnum):
    ASSOCIATION = "association"
    SCOP = "scop"
    SCIC = "scic"
    COOPERATIVE = "cooperative"
    ESUS = "esus"  # SAS/SARL agréée ESUS
    EI = "ei"
    COLLECTIVITE = "collectivite"
    RESEAU = "reseau"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return _(_LEGAL_FORM_LABELS[self])


_LEGAL_FORM_LABELS = {
    LegalForm.ASSOCIATION: N_("Association"),
    LegalForm.SCOP: N_("SCOP"),
    LegalForm.SCIC: N_("SCIC"),
    LegalForm.COOPERATIVE: N_("Coopérative"),
    LegalForm.ESUS: N_("SAS/SARL ESUS"),
    LegalForm.EI: N_("Entreprise individuelle"),
    LegalForm.COLLECTIVITE: N_("Collectivité"),
    LegalForm.RESEAU: N_("Réseau"),
    LegalForm.AUTRE: N_("Autre"),
}


class AffiliationRole(enum.StrEnum):
    SALARIE = "salarie"
    DIRIGEANT = "dirigeant"
    BENEVOLE = "benevole"
    PORTEUR = "porteur"

    @property
    def label(self) -> str:
        return _(_AFFILIATION_LABELS[self])


_AFFILIATION_LABELS = {
    AffiliationRole.SALARIE: N_("Salarié·e"),
    AffiliationRole.DIRIGEANT: N_("Dirigeant·e"),
    AffiliationRole.BENEVOLE: N_("Bénévole"),
    AffiliationRole.PORTEUR: N_("Porteur·se de projet"),
}


class DocumentKind(enum.StrEnum):
    LISTE_PRESENTS = "liste_presents"
    RECU_COTISATION = "recu_cotisation"

    @property
    def label(self) -> str:
        return _(_DOCUMENT_KIND_LABELS[self])

    @property
    def prefix(self) -> str:
        return _DOCUMENT_PREFIXES[self]


_DOCUMENT_KIND_LABELS = {
    DocumentKind.LISTE_PRESENTS: N_("Liste des présents"),
    DocumentKind.RECU_COTISATION: N_("Reçu de cotisation"),
}
_DOCUMENT_PREFIXES = {DocumentKind.LISTE_PRESENTS: "LP", DocumentKind.RECU_COTISATION: "RC"}


class Role(enum.StrEnum):
    """The three roles of the house (DESIGN.md §1)."""

    ACCUEIL = "accueil"
    INCUBATION = "incubation"
    ADMINISTRATION = "administration"

    @property
    def label(self) -> str:
        return _(_ROLE_LABELS[self])


_ROLE_LABELS = {
    Role.ACCUEIL: N_("Accueil"),
    Role.INCUBATION: N_("Chargé·e d'incubation"),
    Role.ADMINISTRATION: N_("Administration"),
}


class MemberKind(enum.StrEnum):
    """A member is a person or an organisation."""

    PERSON = "person"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return _(_MEMBER_KIND_LABELS[self])


_MEMBER_KIND_LABELS = {MemberKind.PERSON: N_("Personnes"), MemberKind.ORGANISATION: N_("Structures")}


class PaymentMethod(enum.StrEnum):
    CHEQUE = "cheque"
    VIREMENT = "virement"
    ESPECES = "especes"
    CARTE = "carte"
    PRELEVEMENT = "prelevement"
    PLATEFORME = "plateforme"

    @property
    def label(self) -> str:
        return _(_PAYMENT_METHOD_LABELS[self])


_PAYMENT_METHOD_LABELS = {
    PaymentMethod.CHEQUE: N_("Chèque"),
    PaymentMethod.VIREMENT: N_("Virement"),
    PaymentMethod.ESPECES: N_("Espèces"),
    PaymentMethod.CARTE: N_("Carte bancaire"),
    PaymentMethod.PRELEVEMENT: N_("Prélèvement"),
    PaymentMethod.PLATEFORME: N_("Plateforme en ligne"),
}


class MembershipStatus(enum.StrEnum):
    """Where a member stands for one year (see domain.members.membership_status)."""

    A_JOUR = "a_jour"
    PARTIEL = "partiel"
    A_RELANCER = "a_relancer"
    NON_RENOUVELE = "non_renouvele"

    @property
    def label(self) -> str:
        return _(_MEMBERSHIP_STATUS_LABELS[self])


_MEMBERSHIP_STATUS_LABELS = {
    MembershipStatus.A_JOUR: N_("À jour"),
    MembershipStatus.PARTIEL: N_("Partiellement payé"),
    MembershipStatus.A_RELANCER: N_("À relancer"),
    MembershipStatus.NON_RENOUVELE: N_("Non renouvelé"),
}


class SpaceKind(enum.StrEnum):
    """What a space of the house is."""

    MEETING_ROOM = "meeting_room"
    WORKSHOP_ROOM = "workshop_room"
    OFFICE = "office"  # a private office: holds up to its capacity
    OPEN_SPACE = "open_space"  # holds desks
    DESK = "desk"  # one holder at a time
    OTHER = "other"  # reception, kitchen, corridor: drawn, never allocated

    @property
    def label(self) -> str:
        return _(_SPACE_KIND_LABELS[self])

    @property
    def allocatable(self) -> bool:
        """Offices and desks are allocated to hosted organisations; rooms are booked."""
        return self in (SpaceKind.OFFICE, SpaceKind.DESK)

    @property
    def bookable(self) -> bool:
        return self in (SpaceKind.MEETING_ROOM, SpaceKind.WORKSHOP_ROOM)


_SPACE_KIND_LABELS = {
    SpaceKind.MEETING_ROOM: N_("Salle de réunion"),
    SpaceKind.WORKSHOP_ROOM: N_("Salle d'atelier"),
    SpaceKind.OFFICE: N_("Bureau"),
    SpaceKind.OPEN_SPACE: N_("Espace partagé"),
    SpaceKind.DESK: N_("Poste de travail"),
    SpaceKind.OTHER: N_("Autre (accueil, cuisine…)"),
}


class Occupancy(enum.StrEnum):
    """The state of a desk or an office on a given day, as the floor plan colours it."""

    FREE = "free"
    OCCUPIED = "occupied"
    ENDING = "ending"  # occupied, and the assignment ends within 30 days
    RESERVED = "reserved"  # free that day, held from a later date
    FULL = "full"  # an office holding as many people as its capacity

    @property
    def label(self) -> str:
        return _(_OCCUPANCY_LABELS[self])


_OCCUPANCY_LABELS = {
    Occupancy.FREE: N_("Libre"),
    Occupancy.OCCUPIED: N_("Occupé"),
    Occupancy.ENDING: N_("Se libère dans les 30 jours"),
    Occupancy.RESERVED: N_("Réservé à partir d'une date future"),
    Occupancy.FULL: N_("Complet"),
}
