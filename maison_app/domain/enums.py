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
    CONVENTION = "convention_hebergement"  # numbered with its agreement: CH-2026-0007
    ATTESTATION_HEBERGEMENT = "attestation_hebergement"
    ATTESTATION_DOMICILIATION = "attestation_domiciliation"
    LISTE_DOMICILIATIONS = "liste_domiciliations"  # half-yearly, for the tax office and URSSAF
    CONFIRMATION_RESERVATION = "confirmation_reservation"  # a room booking: RS-2026-0042
    FEUILLE_EMARGEMENT = "feuille_emargement"  # a workshop session's sign-in sheet: FE-2026-…
    ATTESTATION_PRESENCE = "attestation_presence"  # certificates of a session's participants
    BON_COMMANDE = "bon_commande"  # a grouped order's purchase order to one producer: BC-2026-…
    LISTE_RETRAIT = "liste_retrait"  # a grouped order's pickup sign-off sheet: LR-2026-…
    RECU_COMMANDE = "recu_commande"  # a member's receipt for a grouped order: RA-2026-…

    @property
    def label(self) -> str:
        return _(_DOCUMENT_KIND_LABELS[self])

    @property
    def prefix(self) -> str:
        return _DOCUMENT_PREFIXES[self]


_DOCUMENT_KIND_LABELS = {
    DocumentKind.LISTE_PRESENTS: N_("Liste des présents"),
    DocumentKind.RECU_COTISATION: N_("Reçu de cotisation"),
    DocumentKind.CONVENTION: N_("Convention d'hébergement"),
    DocumentKind.ATTESTATION_HEBERGEMENT: N_("Attestation d'hébergement"),
    DocumentKind.ATTESTATION_DOMICILIATION: N_("Attestation de domiciliation"),
    DocumentKind.LISTE_DOMICILIATIONS: N_("Liste semestrielle des domiciliations"),
    DocumentKind.CONFIRMATION_RESERVATION: N_("Confirmation de réservation"),
    DocumentKind.FEUILLE_EMARGEMENT: N_("Feuille d'émargement"),
    DocumentKind.ATTESTATION_PRESENCE: N_("Attestation de présence"),
    DocumentKind.BON_COMMANDE: N_("Bon de commande producteur"),
    DocumentKind.LISTE_RETRAIT: N_("Liste de retrait"),
    DocumentKind.RECU_COMMANDE: N_("Reçu de commande groupée"),
}
_DOCUMENT_PREFIXES = {DocumentKind.LISTE_PRESENTS: "LP", DocumentKind.RECU_COTISATION: "RC",
                      DocumentKind.CONVENTION: "CH", DocumentKind.ATTESTATION_HEBERGEMENT: "AH",
                      DocumentKind.ATTESTATION_DOMICILIATION: "AD",
                      DocumentKind.LISTE_DOMICILIATIONS: "LD",
                      DocumentKind.CONFIRMATION_RESERVATION: "RS",
                      DocumentKind.FEUILLE_EMARGEMENT: "FE",
                      DocumentKind.ATTESTATION_PRESENCE: "AP",
                      DocumentKind.BON_COMMANDE: "BC", DocumentKind.LISTE_RETRAIT: "LR",
                      DocumentKind.RECU_COMMANDE: "RA"}


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


# --- incubation and hosting (issue #6) ------------------------------------------------------


class ProjectStage(enum.StrEnum):
    """Where an accompanied project stands."""

    IDEE = "idee"
    AMORCAGE = "amorcage"
    CREATION = "creation"
    DEVELOPPEMENT = "developpement"
    SORTIE = "sortie"

    @property
    def label(self) -> str:
        return _(_PROJECT_STAGE_LABELS[self])


_PROJECT_STAGE_LABELS = {
    ProjectStage.IDEE: N_("Idée"),
    ProjectStage.AMORCAGE: N_("Amorçage"),
    ProjectStage.CREATION: N_("Création"),
    ProjectStage.DEVELOPPEMENT: N_("Développement"),
    ProjectStage.SORTIE: N_("Sortie"),
}


class ProjectOutcome(enum.StrEnum):
    """How an accompanied project left the programme."""

    COMPANY_CREATED = "entreprise_creee"
    CONTINUED_ELSEWHERE = "poursuite_ailleurs"
    STOPPED = "arret"

    @property
    def label(self) -> str:
        return _(_PROJECT_OUTCOME_LABELS[self])


_PROJECT_OUTCOME_LABELS = {
    ProjectOutcome.COMPANY_CREATED: N_("Entreprise créée"),
    ProjectOutcome.CONTINUED_ELSEWHERE: N_("Poursuite ailleurs"),
    ProjectOutcome.STOPPED: N_("Arrêt du projet"),
}


class AgreementStatus(enum.StrEnum):
    """What is stored: a draft, a signed agreement, or one terminated early. Whether a signed
    agreement is to come, running or over follows from its dates (AgreementState)."""

    DRAFT = "brouillon"
    SIGNED = "signee"
    TERMINATED = "resiliee"


class AgreementState(enum.StrEnum):
    """What the screens show: the stored status read against the dates."""

    DRAFT = "brouillon"
    SIGNED = "signee"  # signed, starts later
    ACTIVE = "en_cours"
    ENDED = "echue"
    TERMINATED = "resiliee"
    REPLACED = "remplacee"  # an amendment took over from a date

    @property
    def label(self) -> str:
        return _(_AGREEMENT_STATE_LABELS[self])


_AGREEMENT_STATE_LABELS = {
    AgreementState.DRAFT: N_("Brouillon"),
    AgreementState.SIGNED: N_("Signée, à venir"),
    AgreementState.ACTIVE: N_("En cours"),
    AgreementState.ENDED: N_("Échue"),
    AgreementState.TERMINATED: N_("Résiliée"),
    AgreementState.REPLACED: N_("Remplacée par un avenant"),
}


class AgreementLink(enum.StrEnum):
    """How an agreement follows a previous one."""

    RENEWAL = "renouvellement"  # a new period after the previous one
    AMENDMENT = "avenant"  # changes the previous one from its start date

    @property
    def label(self) -> str:
        return _(_AGREEMENT_LINK_LABELS[self])


_AGREEMENT_LINK_LABELS = {
    AgreementLink.RENEWAL: N_("Renouvellement"),
    AgreementLink.AMENDMENT: N_("Avenant"),
}


class HostingService(enum.StrEnum):
    """What an agreement includes besides the premises."""

    DOMICILIATION = "domiciliation"
    MAIL = "courrier"
    INTERNET = "internet"
    PRINTING = "impressions"

    @property
    def label(self) -> str:
        return _(_HOSTING_SERVICE_LABELS[self])


_HOSTING_SERVICE_LABELS = {
    HostingService.DOMICILIATION: N_("Domiciliation du siège"),
    HostingService.MAIL: N_("Réception et gestion du courrier"),
    HostingService.INTERNET: N_("Accès internet"),
    HostingService.PRINTING: N_("Impressions et photocopies"),
}


class MailKind(enum.StrEnum):
    LETTER = "lettre"
    REGISTERED = "recommande"
    PARCEL = "colis"

    @property
    def label(self) -> str:
        return _(_MAIL_KIND_LABELS[self])


_MAIL_KIND_LABELS = {
    MailKind.LETTER: N_("Lettre"),
    MailKind.REGISTERED: N_("Recommandé"),
    MailKind.PARCEL: N_("Colis"),
}


class BookingStatus(enum.StrEnum):
    """A room booking: an option holds the room until its expiry date; a confirmed booking
    holds it for good; a cancelled one is kept for the record and holds nothing."""

    OPTION = "option"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _(_BOOKING_STATUS_LABELS[self])


_BOOKING_STATUS_LABELS = {
    BookingStatus.OPTION: N_("Option"),
    BookingStatus.CONFIRMED: N_("Confirmée"),
    BookingStatus.CANCELLED: N_("Annulée"),
}


class PriceBasis(enum.StrEnum):
    """Which rate a booking's price comes from."""

    HOUR = "hour"
    HALF_DAY = "half_day"
    DAY = "day"
    FREE = "free"  # the room has no rate for this audience
    MANUAL = "manual"  # a price entered by hand, with a reason

    @property
    def label(self) -> str:
        return _(_PRICE_BASIS_LABELS[self])


_PRICE_BASIS_LABELS = {
    PriceBasis.HOUR: N_("Tarif horaire"),
    PriceBasis.HALF_DAY: N_("Tarif demi-journée"),
    PriceBasis.DAY: N_("Tarif journée"),
    PriceBasis.FREE: N_("Gratuit (pas de tarif)"),
    PriceBasis.MANUAL: N_("Prix saisi à la main"),
}


class SeriesScope(enum.StrEnum):
    """What an edit or a cancellation of a booking of a recurring series applies to."""

    ONE = "one"  # this occurrence only
    FOLLOWING = "following"  # this occurrence and the later ones

    @property
    def label(self) -> str:
        return _(_SERIES_SCOPE_LABELS[self])


_SERIES_SCOPE_LABELS = {
    SeriesScope.ONE: N_("Cette réservation seulement"),
    SeriesScope.FOLLOWING: N_("Cette réservation et les suivantes de la série"),
}


class OccurrenceState(enum.StrEnum):
    """An occurrence of a recurring series being planned."""

    FREE = "free"  # can be booked
    CLOSED = "closed"  # the house is closed that day (closure or public holiday): skipped
    CONFLICT = "conflict"  # another booking holds the room

    @property
    def label(self) -> str:
        return _(_OCCURRENCE_STATE_LABELS[self])


_OCCURRENCE_STATE_LABELS = {
    OccurrenceState.FREE: N_("Libre"),
    OccurrenceState.CLOSED: N_("Maison fermée"),
    OccurrenceState.CONFLICT: N_("Salle déjà réservée"),
}


class WorkshopAxis(enum.StrEnum):
    """The four axes of the PTCE's action (the founding description)."""

    COOPERATION = "cooperation"
    CREATION = "creation"
    TRAINING = "formation"
    LIVING_ECONOMY = "economie_vivante"

    @property
    def label(self) -> str:
        return _(_WORKSHOP_AXIS_LABELS[self])


_WORKSHOP_AXIS_LABELS = {
    WorkshopAxis.COOPERATION: N_("Coopération entre les acteurs"),
    WorkshopAxis.CREATION: N_("Création d'activités et d'emplois"),
    WorkshopAxis.TRAINING: N_("Formation"),
    WorkshopAxis.LIVING_ECONOMY: N_("Économie vivante et durable"),
}


class HalfDayPart(enum.StrEnum):
    MORNING = "matin"
    AFTERNOON = "apres_midi"

    @property
    def label(self) -> str:
        return _(_HALF_DAY_PART_LABELS[self])


_HALF_DAY_PART_LABELS = {
    HalfDayPart.MORNING: N_("Matin"),
    HalfDayPart.AFTERNOON: N_("Après-midi"),
}


class RegistrationStatus(enum.StrEnum):
    """A registration to a workshop session."""

    REGISTERED = "inscrit"  # holds a place
    WAITING = "attente"  # on the waiting list, promoted in order when a place frees
    CANCELLED = "annule"

    @property
    def label(self) -> str:
        return _(_REGISTRATION_STATUS_LABELS[self])


_REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.REGISTERED: N_("Inscrit·e"),
    RegistrationStatus.WAITING: N_("Liste d'attente"),
    RegistrationStatus.CANCELLED: N_("Annulé·e"),
}


class ProductUnit(enum.StrEnum):
    """How a product of the catalogue is sold."""

    KG = "kg"
    PIECE = "piece"
    LITRE = "litre"
    BUNCH = "botte"
    BASKET = "panier"
    DOZEN = "douzaine"
    JAR = "pot"
    BOTTLE = "bouteille"

    @property
    def label(self) -> str:
        return _(_PRODUCT_UNIT_LABELS[self])

    @property
    def divisible(self) -> bool:
        """Ordered by weight or volume (1,5 kg), not by whole units."""
        return self in (ProductUnit.KG, ProductUnit.LITRE)


_PRODUCT_UNIT_LABELS = {
    ProductUnit.KG: N_("kg"),
    ProductUnit.PIECE: N_("pièce"),
    ProductUnit.LITRE: N_("litre"),
    ProductUnit.BUNCH: N_("botte"),
    ProductUnit.BASKET: N_("panier"),
    ProductUnit.DOZEN: N_("douzaine"),
    ProductUnit.JAR: N_("pot"),
    ProductUnit.BOTTLE: N_("bouteille"),
}


class ProducerLabel(enum.StrEnum):
    """Quality and farming labels a producer may hold."""

    AB = "ab"
    HVE = "hve"
    NATURE_PROGRES = "nature_progres"
    DEMETER = "demeter"
    BLEU_BLANC_COEUR = "bleu_blanc_coeur"
    ACCUEIL_PAYSAN = "accueil_paysan"

    @property
    def label(self) -> str:
        return _(_PRODUCER_LABEL_LABELS[self])


_PRODUCER_LABEL_LABELS = {
    ProducerLabel.AB: N_("AB (agriculture biologique)"),
    ProducerLabel.HVE: N_("HVE (haute valeur environnementale)"),
    ProducerLabel.NATURE_PROGRES: N_("Nature & Progrès"),
    ProducerLabel.DEMETER: N_("Demeter"),
    ProducerLabel.BLEU_BLANC_COEUR: N_("Bleu-Blanc-Cœur"),
    ProducerLabel.ACCUEIL_PAYSAN: N_("Accueil Paysan"),
}
