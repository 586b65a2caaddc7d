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

    @property
    def label(self) -> str:
        return _(_DOCUMENT_KIND_LABELS[self])

    @property
    def prefix(self) -> str:
        return _DOCUMENT_PREFIXES[self]


_DOCUMENT_KIND_LABELS = {DocumentKind.LISTE_PRESENTS: N_("Liste des présents")}
_DOCUMENT_PREFIXES = {DocumentKind.LISTE_PRESENTS: "LP"}


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
