"""Demonstration data: the PTCE's actors, fictional people and hosted start-ups, and the
comings and goings of the last weeks, for trying the app, screenshots and benchmarks.

`fill()` writes straight to the tables in one unit of work, with bulk inserts in batches
(organisations through SQLAlchemy Core; people, affiliations and visits as tuples through
the driver's executemany, see `_Bulk`), so that `maison-app demo --people 100000` takes
about 20 s on SQLite. It only fills an empty database: a second run is refused with a
French message (Conflict). The Maison's identity is stored unless one is already set.

Size of the visits: by default about `VISITS_PER_PERSON` visits per person over the period
(spread over its working days, capped at `MAX_DEFAULT_VISITS`), so the number follows
`people`: `--people 400000` gives about a million visits. `visits_per_day` (Python API, used
by benchmarks/run.py) sets the number of visits of each past working day instead:
`fill(ctx, people=100_000, visit_days=60, visits_per_day=24_000)` gives about a million.
Today (the Paris day of `ctx.now()`) gets the arrivals so far of an ordinary day, at most
`MAX_VISITS_TODAY`: some people are still in, some have left.

Everything drawn at random comes from `random.Random(seed)`: the same seed gives the same
people and organisations; the visits are the same for the same seed *and* the same day
(their dates are relative to `ctx.now()`).

Nothing here identifies a real person: names are drawn from common French first and last
names, e-mails use example domains, phone numbers use the 06 39 98 xx xx block that the
French numbering plan sets aside for fiction. The PTCE's organisations are real, so they get
no SIRET (we do not invent real-looking identifiers of real companies).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text

from maison_app.db import audit, search_index
from maison_app.db.members import (
    College,
    CollegeFee,
    Membership,
    Payment,
    ShareSubscription,
)
from maison_app.db.models import (
    Affiliation,
    Organisation,
    Person,
    Setting,
    User,
    Visit,
    city_key,
)
from maison_app.db.spaces import DeskAssignment, Space
from maison_app.domain.enums import (
    AffiliationRole,
    HostingService,
    LegalForm,
    MailKind,
    PaymentMethod,
    ProjectOutcome,
    ProjectStage,
    Role,
    SpaceKind,
    VisitPurpose,
)
from maison_app.domain.errors import Conflict, ValidationError
from maison_app.domain.hosting import add_months
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.text import full_name, search_key
from maison_app.i18n import PARIS, _, format_number, ngettext
from maison_app.services.context import ServiceContext
from maison_app.services.passwords import hash_password
from maison_app.services.people import person_keys
from maison_app.services.settings import SettingsService

VISITS_PER_PERSON = 2.5  # over the whole period, by default
MAX_DEFAULT_VISITS = 1_000_000
MIN_VISITS_PER_DAY = 25
MIN_VISITS_TODAY = 12
# However big the fill, today looks like a busy day of a real house (the reception and
# the evacuation list stay readable); the volume is in the past days.
MAX_VISITS_TODAY = 250
WALK_IN_SHARE = 0.3  # share of visits by walk-in visitors (not in the people table)
MAX_PEOPLE = 2_000_000
MAX_VISIT_DAYS = 3660

PERSON_BATCH = 5_000
VISIT_BATCH = 20_000
BULK_CACHE_KIB = 256 * 1024  # SQLite page cache while filling (an upper bound)

OPENING = dt.time(8, 0)  # Paris wall-clock time
LAST_ARRIVAL = dt.time(17, 45)
CLOSING = dt.time(19, 0)

# One account per role, so that the quick start and the screenshots work at once. The
# README gives these passwords: change them (or disable the accounts) on a real database.
DEMO_ACCOUNTS = (
    ("admin", "Claire Administration", Role.ADMINISTRATION, "admin-demo"),
    ("accueil", "Lina Accueil", Role.ACCUEIL, "accueil-demo"),
    ("incubation", "Yanis Incubation", Role.INCUBATION, "incubation-demo"),
)

IDENTITY = MaisonIdentity(
    name="Maison de l'ESS",
    organisation="Pôle Territorial de Coopération Économique Niortais",
    address="12 rue des Coopérateurs",  # fictional
    postcode="79000",
    city="Niort",
    siret="",
    phone="05 36 49 12 34",
    email="contact@maison-ess-niort.example",
)


# --- organisations ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Org:
    name: str
    legal_form: LegalForm
    city: str
    postcode: str
    mail_slug: str  # the part before .exemple.fr in its people's e-mails
    weight: int  # how likely a person is to work there
    hosted: bool = False  # a start-up hosted by the Maison (fictional)


_NIORT = ("Niort", "79000")
_POITIERS = ("Poitiers", "86000")

# The actors of the PTCE Niortais (seed/ptce-niortais.md). Real organisations: no SIRET.
PTCE_ACTORS: tuple[_Org, ...] = (
    # collectivités
    _Org("Communauté d'Agglomération du Niortais (CAN)",
         LegalForm.COLLECTIVITE, *_NIORT, "agglo-niort", 2),
    _Org("Ville de Niort", LegalForm.COLLECTIVITE, *_NIORT, "ville-niort", 2),
    _Org("Conseil départemental des Deux-Sèvres",
         LegalForm.COLLECTIVITE, *_NIORT, "deux-sevres", 1),
    _Org("Région Nouvelle-Aquitaine", LegalForm.COLLECTIVITE, *_POITIERS, "region", 1),
    # réseaux
    _Org("CRES – Chambre régionale de l'économie sociale et solidaire",
         LegalForm.RESEAU, *_POITIERS, "cres", 2),
    _Org("Collectif des SIAE", LegalForm.RESEAU, *_NIORT, "siae", 1),
    _Org("OCCE des Deux-Sèvres", LegalForm.RESEAU, *_NIORT, "occe", 1),
    _Org("URSCOP", LegalForm.RESEAU, *_POITIERS, "urscop", 2),
    _Org("Niort Associations", LegalForm.RESEAU, *_NIORT, "niort-associations", 2),
    _Org("CBE Niortais – Comité de bassin d'emploi", LegalForm.RESEAU, *_NIORT, "cbe", 1),
    _Org("UNIFORMAT", LegalForm.RESEAU, *_NIORT, "uniformat", 1),
    # entreprises
    _Org("ACEASCOP", LegalForm.SCOP, *_NIORT, "aceascop", 3),
    _Org("AMAP des Paniers de la Sèvre", LegalForm.ASSOCIATION, *_NIORT, "amap-sevre", 3),
    _Org("BGE", LegalForm.ASSOCIATION, *_NIORT, "bge", 3),
    _Org("Crédit Coopératif", LegalForm.COOPERATIVE, *_NIORT, "credit-cooperatif", 2),
    _Org("EKITOUR", LegalForm.ASSOCIATION, *_NIORT, "ekitour", 2),
    _Org("Elan Coopératif Niortais", LegalForm.ASSOCIATION, *_NIORT, "elan-cooperatif", 3),
    _Org("IPSO2", LegalForm.ESUS, *_NIORT, "ipso2", 2),
    _Org("La Coop Niortaise", LegalForm.COOPERATIVE, *_NIORT, "coop-niortaise", 3),
    _Org("La Ruche Oxalis", LegalForm.SCOP, *_NIORT, "ruche-oxalis", 3),
    _Org("Les Cigales", LegalForm.ASSOCIATION, *_NIORT, "cigales", 2),
    _Org("SCOP Matapeste", LegalForm.SCOP, *_NIORT, "matapeste", 2),
    _Org("SCOP Martin et Co", LegalForm.SCOP, *_NIORT, "martin-et-co", 2),
    _Org("SCIC Réseau", LegalForm.SCIC, *_NIORT, "scic-reseau", 2),
    _Org("MAIF", LegalForm.AUTRE, *_NIORT, "maif", 3),
)

# Fictional start-ups and projects hosted at the Maison.
HOSTED_STARTUPS: tuple[_Org, ...] = (
    _Org("Atelier Vélo Solidaire du Marais",
         LegalForm.ASSOCIATION, *_NIORT, "velo-marais", 2, True),
    _Org("Graines de Cœur", LegalForm.EI, "Chauray", "79180", "graines-de-coeur", 2, True),
    _Org("Brûlerie Équitable des Halles", LegalForm.SCOP, *_NIORT, "bruleriedeshalles", 2, True),
    _Org("Récup'Sèvre Ressourcerie", LegalForm.ASSOCIATION, *_NIORT, "recup-sevre", 2, True),
    _Org("Les Maraîchères de Coulon", LegalForm.SCIC, "Coulon", "79510", "maraicheres", 2, True),
    _Org("Numérique & Partage", LegalForm.ESUS, *_NIORT, "numerique-partage", 2, True),
    _Org("Ébène Traduction", LegalForm.EI, "Aiffres", "79230", "ebene", 1, True),
    _Org("Habitat Partagé 79", LegalForm.ASSOCIATION, *_NIORT, "habitat-partage", 2, True),
    _Org("La Fabrique du Pilori", LegalForm.SCIC, *_NIORT, "fabrique-pilori", 2, True),
    _Org("Compost'Âge", LegalForm.EI, "Échiré", "79410", "compostage", 1, True),
)

# For big fills, more fictional organisations: "Atelier du Marais", "Fabrique de Souché"…
_GEN_KINDS = (
    ("Atelier", LegalForm.ASSOCIATION), ("Coopérative", LegalForm.COOPERATIVE),
    ("Collectif", LegalForm.ASSOCIATION), ("Les Jardins", LegalForm.ASSOCIATION),
    ("Fabrique", LegalForm.SCIC), ("Ressourcerie", LegalForm.ASSOCIATION),
    ("Épicerie solidaire", LegalForm.ASSOCIATION), ("Studio", LegalForm.ESUS),
    ("Compagnie", LegalForm.SCOP), ("Conciergerie", LegalForm.ESUS),
)
_GEN_PLACES = (
    "du Marais", "de la Sèvre", "des Halles", "du Pilori", "de Sainte-Pezenne", "de Souché",
    "du Clou-Bouchet", "de la Brèche", "de la Tour Chabot", "de Saint-Florent", "du Port Boinot",
    "de Surimeau", "de Goise", "des Brizeaux",
)

# --- people -----------------------------------------------------------------------------

# The Maison's own team: fixed names, hosts of appointments.
STAFF = (
    ("Hélène", "Lefèvre", AffiliationRole.DIRIGEANT),
    ("Gaëlle", "Ménard", AffiliationRole.SALARIE),
    ("François", "Bézier", AffiliationRole.SALARIE),
    ("Éloïse", "Cœur", AffiliationRole.SALARIE),
)
_STAFF_ORG = "Elan Coopératif Niortais"

FIRST_NAMES = (
    "Hélène", "Éloïse", "François", "Gaëlle", "Noël", "Zoé", "Chloé", "Léa", "Anaïs", "Maëlle",
    "Inès", "Jérôme", "Amélie", "Mathéo", "Loïc", "Joël", "Raphaël", "Léon", "Agnès", "Cécile",
    "Béatrice", "Hervé", "Stéphane", "Frédéric", "Valérie", "Sébastien", "Nathalie", "Océane",
    "Clémence", "Timothée", "Aurélien", "Émilie", "Théo", "Maïwenn", "Gwenaëlle", "Aïcha",
    "Noémie", "Jérémy", "Solène", "Mélanie", "Andrée", "Josée", "Renée", "Maël", "Ophélie",
    "Benoît", "Célia", "Léna", "Lucie", "Margaux", "Manon", "Camille", "Julie", "Sarah",
    "Pauline", "Claire", "Marie", "Anne", "Sophie", "Isabelle", "Sylvie", "Catherine",
    "Christine", "Laurence", "Martine", "Nicole", "Monique", "Juliette", "Louise", "Alice",
    "Jeanne", "Rose", "Capucine", "Garance", "Yasmine", "Leïla", "Soraya", "Fatoumata",
    "Aminata", "Mariam", "Thomas", "Nicolas", "Julien", "Pierre", "Paul", "Louis", "Hugo",
    "Lucas", "Antoine", "Alexandre", "Maxime", "Guillaume", "Vincent", "Olivier", "Philippe",
    "Patrick", "Michel", "Alain", "Bernard", "Christophe", "David", "Éric", "Laurent",
    "Thierry", "Yannick", "Gaëtan", "Adrien", "Bastien", "Romain", "Arthur", "Jules", "Gabriel",
    "Nathan", "Karim", "Mehdi", "Ibrahim", "Mamadou", "Samir", "Youssef", "Tiphaine", "Armelle",
)
COMPOUND_FIRST_NAMES = (
    "Jean-François", "Marie-Hélène", "Anne-Sophie", "Jean-Noël", "Marie-Claude", "Pierre-Yves",
    "Anne-Laure", "Jean-Michel", "Marie-Thérèse", "Jean-Loïc", "Louise-Amélie", "Paul-Émile",
)
LAST_NAMES = (
    "Lefèvre", "Ménard", "Bézier", "Cœur", "Lecœur", "Giraud", "Rousseau", "Boucher", "Guérin",
    "Chevalier", "Fournier", "Bérard", "Mérieau", "Texier", "Brunet", "Gaborit", "Bonnin",
    "Guillon", "Proust", "Auger", "Pineau", "Chauvet", "Marchand", "Bernard", "Moreau",
    "Girard", "Rivière", "Thébault", "Sénéchal", "Pétillon", "Hérault", "Allègre", "Beaulieu",
    "Dupré", "Prévost", "Lemaître", "Léger", "Benoît", "Régnier", "Fréchet", "Rabaud",
    "Baudouin", "Mercier", "Fontaine", "Noël", "Hamon", "Ollivier", "Caillaud", "Babin",
    "Bouchet", "Gauthier", "Rouillé", "D'Almeida", "N'Diaye", "Nguyen", "Ben Saïd", "Haddad",
    "Diallo", "Traoré", "Da Silva", "Pereira", "Kowalski", "Le Gall", "Le Goff", "Le Bihan",
    "Barré", "Charrier", "Charpentier", "Martin", "Petit", "Durand", "Leroy", "Roux", "Morel",
    "Simon", "Laurent", "Michel", "Garcia", "David", "Bertrand", "Vincent", "Lambert",
    "Bonnet", "François", "Faure", "André", "Blanc", "Guérineau", "Boutin", "Pouvreau",
    "Chaigneau", "Raffin", "Sauzeau", "Jaulin", "Bouffard", "Naudin", "Robin", "Clément",
    "Gérard", "Aubry", "Perrin", "Masson", "Deschamps", "Lemoine", "Colin", "Vidal", "Joly",
    "Gaillard", "Renaud", "Arnaud", "Roy", "Brun", "Marié", "Héraud", "Lévêque", "Crépeau",
    "Fèvre", "Ményé", "Écotière", "Œillet", "Delaunay", "Courtois", "Maréchal", "Tessier",
    "Baptiste", "Carré", "Rémond", "Grégoire", "Besnard", "Méchin", "Vézien", "Poupard",
)
CITIES = (
    ("Niort", "79000"), ("Niort", "79000"), ("Niort", "79000"), ("Chauray", "79180"),
    ("Aiffres", "79230"), ("Bessines", "79000"), ("Échiré", "79410"), ("Magné", "79460"),
    ("Coulon", "79510"), ("Prahecq", "79230"), ("Vouillé", "79230"), ("La Crèche", "79260"),
    ("Saint-Maixent-l'École", "79400"), ("Mauzé-sur-le-Mignon", "79210"),
    ("Frontenay-Rohan-Rohan", "79270"), ("Saint-Gelais", "79410"),
)
STREETS = (
    "rue Ricard", "rue Victor-Hugo", "avenue de Paris", "rue de la Gare", "rue des Lilas",
    "chemin du Lavoir", "rue du Moulin", "place de la Brèche", "rue de l'Église",
    "impasse des Peupliers", "route de Coulon", "rue Sainte-Marthe", "allée des Tilleuls",
)
PERSONAL_DOMAINS = ("exemple.fr", "exemple.org", "exemple.net", "courriel.example")
DELIVERY_ORGS = ("Les Coursiers de la Sèvre", "Vélo-Fret Niortais", "Transports du Marais")
VISITOR_ORGS = (
    None, None, "Particulier", "Lycée du Haut-Val-de-Sèvre", "Pôle emploi – France Travail",
    "Cabinet d'expertise comptable", "Banque des territoires", "Journal local",
    "Université de Poitiers", "IUT de Niort",
)

_KNOWN_PURPOSES = (
    (VisitPurpose.COWORKING, 55), (VisitPurpose.REUNION, 20), (VisitPurpose.ATELIER, 12),
    (VisitPurpose.RENDEZ_VOUS, 10), (VisitPurpose.AUTRE, 3),
)
_WALK_IN_PURPOSES = (
    (VisitPurpose.RENDEZ_VOUS, 45), (VisitPurpose.REUNION, 15), (VisitPurpose.ATELIER, 15),
    (VisitPurpose.LIVRAISON, 15), (VisitPurpose.AUTRE, 10),
)
# how long a visit lasts, in minutes (min, max)
_DURATIONS = {
    VisitPurpose.COWORKING: (90, 540),
    VisitPurpose.REUNION: (45, 180),
    VisitPurpose.ATELIER: (90, 210),
    VisitPurpose.RENDEZ_VOUS: (20, 90),
    VisitPurpose.LIVRAISON: (3, 15),
    VisitPurpose.AUTRE: (10, 60),
}
_WITH_HOST = {VisitPurpose.RENDEZ_VOUS, VisitPurpose.LIVRAISON, VisitPurpose.REUNION}


# --- entry point ------------------------------------------------------------------------


def fill(
    ctx: ServiceContext,
    *,
    people: int = 300,
    visit_days: int = 60,
    seed: int = 2026,
    visits_per_day: int | None = None,
) -> str:
    """Fill an empty database with demonstration data; returns a short French summary
    ("300 personnes, 35 structures, 1 234 passages"). Refused (Conflict) when the
    database already holds people, organisations or visits."""
    if not 0 <= people <= MAX_PEOPLE:
        raise ValidationError(
            _("Le nombre de personnes doit être compris entre 0 et {n}.").format(
                n=format_number(MAX_PEOPLE)), field="people")
    if not 0 <= visit_days <= MAX_VISIT_DAYS:
        raise ValidationError(
            _("Le nombre de jours de passages doit être compris entre 0 et {n}.").format(
                n=format_number(MAX_VISIT_DAYS)), field="visit_days")
    if visits_per_day is not None and visits_per_day < 0:
        raise ValidationError(_("Le nombre de passages par jour ne peut pas être négatif."),
                              field="visits_per_day")

    now = ctx.now()
    rng = random.Random(seed)
    orgs = _organisations(people)
    with ctx.writing() as s:
        existing = {
            "people": s.scalar(select(func.count()).select_from(Person)) or 0,
            "orgs": s.scalar(select(func.count()).select_from(Organisation)) or 0,
            "visits": s.scalar(select(func.count()).select_from(Visit)) or 0,
        }
        if any(existing.values()):
            raise Conflict(_(
                "La base contient déjà des données ({people} personnes, {orgs} structures, "
                "{visits} passages) : la démonstration ne remplit qu'une base vide. "
                "Choisissez un autre fichier avec --database."
            ).format(**{k: format_number(v) for k, v in existing.items()}))
        identity_missing = s.get(Setting, "identity.name") is None
        if not s.scalar(select(func.count()).select_from(User)):
            for login, name, role, password in DEMO_ACCOUNTS:
                s.add(User(login=login, display_name=name, role=role,
                           password_hash=hash_password(password)))

        org_ids = _insert_organisations(s, orgs, now)
        bulk = _Bulk(s)
        with bulk.big_cache():
            person_ids = range(1, people + 1)
            with bulk.search_index_off():
                staff = _insert_people(bulk, rng, people, orgs, org_ids, now)
            visit_rng = random.Random(f"{seed}-visits-{now.astimezone(PARIS).date().isoformat()}")
            n_visits = _insert_visits(
                bulk, visit_rng, now=now, person_ids=person_ids, staff=staff,
                visit_days=visit_days, visits_per_day=visits_per_day, orgs=orgs,
            )
            _insert_spaces(s, today=now.astimezone(PARIS).date(), orgs=orgs, org_ids=org_ids)
            n_members = _insert_memberships(
                s, bulk, random.Random(f"{seed}-members"), now=now, people=people, orgs=orgs,
                org_ids=org_ids)
        summary = ", ".join((
            ngettext("{n} personne", "{n} personnes", people).format(n=format_number(people)),
            ngettext("{n} structure", "{n} structures", len(orgs)).format(
                n=format_number(len(orgs))),
            ngettext("{n} passage", "{n} passages", n_visits).format(n=format_number(n_visits)),
            ngettext("{n} adhésion", "{n} adhésions", n_members).format(
                n=format_number(n_members)),
        ))
        audit.record(s, action="bulk_create", entity="demo", summary=summary)
        if s.get_bind().dialect.name == "postgresql":
            for table in ("person", "organisation", "membership", "space"):
                s.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                ))
    if identity_missing:
        SettingsService(ctx).save_identity(IDENTITY)
    org_by_name = {o.name: oid for o, oid in zip(orgs, org_ids, strict=True)}
    _insert_hosting(ctx, org_by_name=org_by_name, people=people)
    _insert_bookings(ctx, org_by_name=org_by_name, people=people)
    _insert_workshops(ctx, org_by_name=org_by_name, people=people)
    _insert_catalogue(ctx, org_by_name=org_by_name, people=people)
    if ctx.db.engine.dialect.name == "postgresql":
        # the planner's statistics now, not when autovacuum gets to them: until then the
        # reception search plans 100,000 people as an empty table (p95 72 ms → 50 ms)
        with ctx.db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return summary


# --- organisations ----------------------------------------------------------------------


def _organisations(people: int) -> list[_Org]:
    """The PTCE's actors, the hosted start-ups and, for big fills, one more fictional
    organisation per thousand people."""
    orgs = list(PTCE_ACTORS) + list(HOSTED_STARTUPS)
    combos = [(kind, form, place) for place in _GEN_PLACES for kind, form in _GEN_KINDS]
    for i in range(people // 1000):
        kind, form, place = combos[i % len(combos)]
        name = f"{kind} {place}"
        if i >= len(combos):
            name = f"{name} {i // len(combos) + 1}"
        city, postcode = CITIES[i % len(CITIES)]
        orgs.append(_Org(name, form, city, postcode, _slug(name), 1, True))
    return orgs


def _insert_organisations(s, orgs: list[_Org], now: dt.datetime) -> list[int]:
    rows = [
        {
            "id": i, "name": o.name, "legal_form": o.legal_form, "siret": None,
            "city": o.city, "city_key": city_key(o.city), "postcode": o.postcode,
            "esus_agrement": o.legal_form == LegalForm.ESUS,
            "search_key": search_key(o.name), "created_at": now, "updated_at": now,
        }
        for i, o in enumerate(orgs, start=1)
    ]
    if rows:
        s.execute(insert(Organisation.__table__), rows)
    return [r["id"] for r in rows]


class _Bulk:
    """Bulk inserts of rows given as tuples in the driver's own format, sent with one
    executemany per batch. SQLAlchemy's per-row parameter processing would double the
    time of a 100,000-person fill; the few conversions it does (UTC datetimes, dates,
    enums) are done here, the same way (see db.base.UTCDateTime)."""

    def __init__(self, s) -> None:
        self.conn = s.connection()
        dialect = self.conn.dialect
        self.sqlite = dialect.name == "sqlite"
        self.mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.quote = dialect.identifier_preparer.quote

    @contextmanager
    def big_cache(self) -> Iterator[None]:
        """SQLite: a bigger page cache while filling (the foreign-key and index look-ups
        of 100,000 people no longer fit SQLite's default 2 MB), restored afterwards."""
        if not self.sqlite:
            yield
            return
        previous = self.conn.exec_driver_sql("PRAGMA cache_size").scalar()
        self.conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            self.conn.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")

    @contextmanager
    def search_index_off(self) -> Iterator[None]:
        """The reception search's index built once after the people are in, rather than
        row by row (db.search_index)."""
        dialect = self.conn.dialect.name
        for statement in search_index.before_bulk_insert(dialect):
            self.conn.exec_driver_sql(statement)
        yield
        for statement in search_index.after_bulk_insert(dialect):
            self.conn.exec_driver_sql(statement)

    def when(self, value: dt.datetime | None):
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        if self.sqlite:  # SQLAlchemy's SQLite DATETIME text, naive UTC
            return value.replace(tzinfo=None).isoformat(" ", "microseconds")
        return value

    def day(self, value: dt.date | None):
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def insert(self, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        unknown = [c for c in columns if c not in table.c]
        if unknown:  # a model changed: this module must follow
            raise RuntimeError(f"unknown columns in {table.name}: {unknown}")
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            self.quote(table.name), ", ".join(self.quote(c) for c in columns),
            ", ".join([self.mark] * len(columns)),
        )
        self.conn.exec_driver_sql(sql, rows)


PERSON_COLUMNS = (
    "id", "first_name", "last_name", "email", "phone", "address", "postcode", "city",
    "city_key", "notes", "consent_date", "anonymised", "search_key", "sort_key", "created_at",
    "updated_at",
)
AFFILIATION_COLUMNS = ("person_id", "organisation_id", "role", "since", "until")
VISIT_COLUMNS = (
    "person_id", "visitor_name", "visitor_organisation", "purpose", "host_person_id",
    "host_name", "arrived_at", "left_at", "checked_in_by",
)


@functools.lru_cache(maxsize=4096)
def _slug(text_: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", search_key(text_)).strip("-")


def _role_for(org: _Org, rng: random.Random) -> AffiliationRole:
    r = rng.random()
    if org.hosted:
        return (AffiliationRole.PORTEUR if r < 0.5 else
                AffiliationRole.DIRIGEANT if r < 0.7 else AffiliationRole.SALARIE)
    if org.legal_form == LegalForm.ASSOCIATION:
        return (AffiliationRole.BENEVOLE if r < 0.5 else
                AffiliationRole.SALARIE if r < 0.9 else AffiliationRole.DIRIGEANT)
    return AffiliationRole.SALARIE if r < 0.85 else AffiliationRole.DIRIGEANT


@dataclass(frozen=True, slots=True)
class _Staff:
    id: int
    name: str


def _insert_people(bulk: _Bulk, rng: random.Random, people: int, orgs: list[_Org],
                   org_ids: list[int], now: dt.datetime) -> list[_Staff]:
    """Insert the people and their affiliations in batches; returns the Maison's team."""
    cum_weights = list(itertools.accumulate(o.weight for o in orgs))
    total_weight = cum_weights[-1]
    staff_org = next(i for i, o in enumerate(orgs) if o.name == _STAFF_ORG)
    emails_seen: dict[str, int] = {}
    staff: list[_Staff] = []
    today = now.astimezone(PARIS).date()
    when, day = bulk.when, bulk.day
    random_ = rng.random
    choice = rng.choice
    randrange = rng.randrange

    person_rows: list[tuple] = []
    affiliation_rows: list[tuple] = []

    def flush() -> None:
        bulk.insert(Person.__table__, PERSON_COLUMNS, person_rows)
        bulk.insert(Affiliation.__table__, AFFILIATION_COLUMNS, affiliation_rows)
        person_rows.clear()
        affiliation_rows.clear()

    for pid in range(1, people + 1):
        member_of: list[tuple[int, AffiliationRole]] = []
        if pid <= len(STAFF):
            first, last, role = STAFF[pid - 1]
            member_of.append((staff_org, role))
            staff.append(_Staff(pid, full_name(first, last)))
        else:
            first = choice(COMPOUND_FIRST_NAMES) if random_() < 0.07 else choice(FIRST_NAMES)
            if random_() < 0.04:
                last = f"{choice(LAST_NAMES)}-{choice(LAST_NAMES)}"
            else:
                last = choice(LAST_NAMES)
            if random_() < 0.75:
                first_org = bisect.bisect(cum_weights, random_() * total_weight)
                member_of.append((first_org, _role_for(orgs[first_org], rng)))
                if random_() < 0.12:
                    second = bisect.bisect(cum_weights, random_() * total_weight)
                    if second != first_org:
                        member_of.append((second, _role_for(orgs[second], rng)))

        # e-mail derived from the name (ASCII), on the organisation's or a personal domain
        if random_() < 0.9:
            local = f"{_slug(first)}.{_slug(last)}"
            n = emails_seen.get(local, 0) + 1
            emails_seen[local] = n
            if n > 1:
                local = f"{local}{n}"
            if member_of and random_() < 0.6:
                domain = f"{orgs[member_of[0][0]].mail_slug}.exemple.fr"
            else:
                domain = choice(PERSONAL_DOMAINS)
            email = f"{local}@{domain}"
        else:
            email = None
        phone = f"06 39 98 {randrange(100):02d} {randrange(100):02d}" if random_() < 0.8 else None
        if random_() < 0.4:
            city, postcode = choice(CITIES)
            address = f"{randrange(1, 120)} {choice(STREETS)}"
        else:
            city = postcode = address = None
        consent = today - dt.timedelta(days=randrange(1, 1500)) if random_() < 0.7 else None
        created = when(now - dt.timedelta(days=randrange(0, 1500), seconds=randrange(86400)))

        key, sort = person_keys(first, last, email, [orgs[o].name for o, _role in member_of])
        person_rows.append((
            pid, first, last, email, phone, address, postcode, city, city_key(city), None,
            day(consent), False, key, sort, created, created,
        ))
        for org_index, role in member_of:
            affiliation_rows.append((pid, org_ids[org_index], role.value, None, None))
        if len(person_rows) >= PERSON_BATCH:
            flush()
    flush()
    return staff


# --- spaces and desks ---------------------------------------------------------------------

# The plan of the Maison (metres): the ground floor with the reception, the meeting rooms, a
# workshop room and an open space of eight desks; the first floor with private offices.
# (name, kind, floor, capacity, x, y, width, height, equipment, day rate member/public €)
_R, _W, _O, _S, _D, _X = (SpaceKind.MEETING_ROOM, SpaceKind.WORKSHOP_ROOM, SpaceKind.OFFICE,
                          SpaceKind.OPEN_SPACE, SpaceKind.DESK, SpaceKind.OTHER)
DEMO_PLAN = (
    ("Accueil", _X, 0, 4, 0, 0, 6, 5, "Banque d'accueil, boîtes aux lettres", None),
    ("Salle Sèvre", _R, 0, 14, 6, 0, 7, 5, "Écran, visioconférence, paperboard", (90, 150)),
    ("Salle Marais", _R, 0, 6, 13, 0, 5, 5, "Écran, tableau blanc", (50, 80)),
    ("Atelier du Pilori", _W, 0, 24, 18, 0, 9, 7, "Vidéoprojecteur, 24 chaises, évier",
     (120, 200)),
    ("Espace partagé", _S, 0, 8, 0, 6, 14, 8, "Imprimante, casiers", None),
    ("Cuisine", _X, 0, 10, 14, 7, 4, 7, "", None),
    ("Sanitaires (rez-de-chaussée)", _X, 0, 2, 18, 7, 3, 7, "Accessibles PMR", None),
    ("Archives et reprographie", _X, 0, 2, 21, 7, 6, 7, "Photocopieur, massicot", None),
    ("Salle du conseil", _R, 1, 10, 0, 0, 7, 5, "Écran, visioconférence", (70, 120)),
    ("Bureau 101", _O, 1, 2, 7, 0, 4, 5, "2 bureaux, armoire", None),
    ("Bureau 102", _O, 1, 2, 11, 0, 4, 5, "2 bureaux, armoire", None),
    ("Bureau 103", _O, 1, 3, 15, 0, 5, 5, "3 bureaux", None),
    ("Bureau 104", _O, 1, 4, 0, 7, 6, 6, "4 bureaux, table de réunion", None),
    ("Bureau 105", _O, 1, 2, 6, 7, 4, 6, "2 bureaux", None),
    ("Bureau 106", _O, 1, 1, 10, 7, 3, 6, "1 bureau", None),
    ("Bureau 107", _O, 1, 2, 13, 7, 4, 6, "2 bureaux, lavabo", None),
    ("Sanitaires (étage)", _X, 1, 2, 17, 7, 3, 6, "", None),
)
_DESKS = tuple((f"Poste {row}{col}", 1 + (col - 1) * 3.2, 7 if row == "A" else 11)
               for row in "AB" for col in range(1, 5))
# Which hosted start-up holds what, relative to today: (space, months ago it started,
# days left, None: no end; or days until a start in the future).
_DEMO_HOLDERS = (
    ("Atelier Vélo Solidaire du Marais", "Bureau 104", 14, None, 3),
    ("Brûlerie Équitable des Halles", "Bureau 101", 9, 200, 2),
    ("Récup'Sèvre Ressourcerie", "Bureau 103", 20, 18, 3),
    ("Les Maraîchères de Coulon", "Bureau 105", 5, None, 1),
    ("Numérique & Partage", "Bureau 102", 3, 330, 2),
    ("Habitat Partagé 79", "Bureau 107", -1, None, 2),  # arrives next month
    ("La Fabrique du Pilori", "Poste A1", 7, None, 1),
    ("Graines de Cœur", "Poste A2", 11, 25, 1),
    ("Ébène Traduction", "Poste A3", 2, 120, 1),
    ("Compost'Âge", "Poste B1", 6, None, 1),
)


def _insert_spaces(s, *, today: dt.date, orgs: list[_Org], org_ids: list[int]) -> None:
    """The Maison's spaces, its plan, and the hosted start-ups in their offices and desks."""
    if s.scalar(select(func.count()).select_from(Space)):
        return
    ids: dict[str, Space] = {}
    for name, kind, floor, cap, x, y, w, h, equipment, day_rate in DEMO_PLAN:
        sp = Space(kind=kind, name=name, floor=floor, capacity=cap, x=x, y=y, width=w, height=h,
                   equipment=equipment, active=True)
        if day_rate:
            member, public = day_rate
            sp.rate_day_member, sp.rate_day_public = member * 100, public * 100
            sp.rate_half_day_member = sp.rate_day_member * 6 // 10
            sp.rate_half_day_public = sp.rate_day_public * 6 // 10
            sp.rate_hour_member = sp.rate_day_member // 5
            sp.rate_hour_public = sp.rate_day_public // 5
        s.add(sp)
        ids[name] = sp
    s.flush()
    for name, x, y in _DESKS:
        sp = Space(kind=SpaceKind.DESK, name=name, floor=0, capacity=1, x=x, y=y, width=2.4,
                   height=1.6, equipment="Bureau, écran, caisson", active=True,
                   parent_id=ids["Espace partagé"].id)
        s.add(sp)
        ids[name] = sp
    s.flush()
    org_by_name = {o.name: oid for o, oid in zip(orgs, org_ids, strict=True)}
    for holder, space, months_ago, days_left, seats in _DEMO_HOLDERS:
        if holder not in org_by_name:
            continue
        if months_ago >= 0:
            start = (today.replace(day=1) - dt.timedelta(days=30 * months_ago)).replace(day=1)
        else:
            start = (today.replace(day=1) + dt.timedelta(days=32 * -months_ago)).replace(day=1)
        end = today + dt.timedelta(days=days_left) if days_left is not None else None
        s.add(DeskAssignment(space_id=ids[space].id, organisation_id=org_by_name[holder],
                             seats=seats, start=start, end=end))
    # a former holder, for the history and the occupancy of past months
    if "Graines de Cœur" in org_by_name:
        s.add(DeskAssignment(space_id=ids["Bureau 106"].id,
                             organisation_id=org_by_name["Graines de Cœur"], seats=1,
                             start=today - dt.timedelta(days=400),
                             end=today - dt.timedelta(days=60)))


# --- incubation and hosting ------------------------------------------------------------

# (project, programme, organisation (None: not created yet), months since entry, stage,
#  days since the last follow-up (None: never), the referent)
_DEMO_PROJECTS = (
    ("Atelier Vélo Solidaire", "Pépinière", "Atelier Vélo Solidaire du Marais", 22,
     ProjectStage.DEVELOPPEMENT, 20, "Gaëlle Ménard"),
    ("Brûlerie Équitable", "Pépinière", "Brûlerie Équitable des Halles", 9,
     ProjectStage.DEVELOPPEMENT, 35, "Gaëlle Ménard"),
    ("Numérique & Partage", "Pépinière", "Numérique & Partage", 3, ProjectStage.CREATION, 12,
     "François Bézier"),
    ("Ressourcerie de la Sèvre", "Hôtel d'entreprises", "Récup'Sèvre Ressourcerie", 20,
     ProjectStage.DEVELOPPEMENT, 75, "François Bézier"),
    ("Habitat Partagé", "Pépinière", "Habitat Partagé 79", 1, ProjectStage.CREATION, 5,
     "Gaëlle Ménard"),
    ("Graines de Cœur", "Incubation", "Graines de Cœur", 11, ProjectStage.AMORCAGE, 70,
     "Éloïse Cœur"),
    ("Tiers-lieu nourricier de Souché", "Incubation", None, 2, ProjectStage.IDEE, None,
     "Éloïse Cœur"),
    ("Conciergerie solidaire du Clou-Bouchet", "Incubation", None, 5, ProjectStage.AMORCAGE, 8,
     "Gaëlle Ménard"),
)
_FOLLOW_UP_TOPICS = (
    ("Point d'étape", "Chiffre d'affaires conforme au prévisionnel.",
     "Préparer le dossier de prêt d'honneur."),
    ("Modèle économique", "Revue des prix et des charges.", "Rencontrer l'expert-comptable."),
    ("Statuts et gouvernance", "Choix entre SCOP et SCIC discuté.",
     "Atelier « Fabrique d'entrepreneurs coopératifs »."),
    ("Recrutement", "Premier emploi aidé envisagé.", "Contacter France Travail."),
)
# (organisation, months of the agreement, monthly fee excl. VAT in euros, services, signed)
_DEMO_AGREEMENTS = (
    ("Brûlerie Équitable des Halles", 12, 380, (HostingService.INTERNET,
                                              HostingService.PRINTING), True),
    ("Numérique & Partage", 12, 360, (HostingService.DOMICILIATION, HostingService.MAIL,
                                      HostingService.INTERNET), True),
    ("Atelier Vélo Solidaire du Marais", 24, 520, (HostingService.INTERNET,), True),
    ("Récup'Sèvre Ressourcerie", 12, 540, (HostingService.DOMICILIATION, HostingService.MAIL),
     True),
    ("Habitat Partagé 79", 12, 340, (HostingService.DOMICILIATION,), True),
    ("Les Maraîchères de Coulon", 12, 190, (HostingService.INTERNET,), False),
)


def _insert_hosting(ctx: ServiceContext, *, org_by_name: dict[str, int], people: int) -> None:
    """Accompanied projects and their follow-up, the hosting agreements of the start-ups in
    their offices (signed through the service, so their conventions are archived), and the
    mail of the domiciled ones."""
    from maison_app.domain.hosting import (
        FollowUpRecord,
        Holder,
        MailRecord,
        ProjectRecord,
    )
    from maison_app.services.agreements import AgreementsService
    from maison_app.services.mail import MailService
    from maison_app.services.projects import ProjectsService

    projects, agreements = ProjectsService(ctx), AgreementsService(ctx)
    today = ctx.now().astimezone(PARIS).date()
    programmes = {p.name: p.id for p in projects.programmes()}
    holder_ids = iter(range(40, people + 1, 7))
    project_of: dict[str, int] = {}
    with ctx.reading() as s:
        names = {pid: full_name(f, l) for pid, f, l in s.execute(
            select(Person.id, Person.first_name, Person.last_name).where(
                Person.id.in_(range(40, people + 1, 7))))}
    for i, (name, programme, org, months, stage, last_seen, referent) in enumerate(
            _DEMO_PROJECTS):
        if programme not in programmes or (org is not None and org not in org_by_name):
            continue
        person = next(holder_ids, None)
        holders = (Holder(person_id=person, name=names.get(person, "")),) if person else ()
        entry = add_months(today.replace(day=1), -months)
        project_id = projects.save_project(ProjectRecord(
            id=None, name=name, programme_id=programmes[programme], stage=stage,
            referent=referent, entry_date=entry,
            organisation_id=org_by_name.get(org) if org else None, holders=holders,
            description=_("Projet accompagné par la Maison de l'ESS.")))
        project_of[org or name] = project_id
        if last_seen is not None:
            for k, day in enumerate((today - dt.timedelta(days=last_seen + 60),
                                     today - dt.timedelta(days=last_seen))):
                if day < entry:
                    continue
                topic, notes, steps = _FOLLOW_UP_TOPICS[(i + k) % len(_FOLLOW_UP_TOPICS)]
                projects.save_follow_up(FollowUpRecord(id=None, project_id=project_id,
                                                       date=day, topic=topic, notes=notes,
                                                       next_steps=steps))
    if people >= 10:  # a project that went well, for the exit figures
        person = next(holder_ids, None)
        if person is not None:
            entry = add_months(today.replace(day=1), -26)
            projects.save_project(ProjectRecord(
                id=None, name="Imprimerie coopérative du Port Boinot",
                programme_id=programmes.get("Pépinière", next(iter(programmes.values()))),
                stage=ProjectStage.SORTIE, referent="François Bézier", entry_date=entry,
                exit_date=add_months(entry, 23) - dt.timedelta(days=1),
                outcome=ProjectOutcome.COMPANY_CREATED, jobs_fte_hundredths=250,
                holders=(Holder(person_id=person, name=names.get(person, "")),)))

    signatory = "Hélène Lefèvre, présidente"
    for org, months, fee, services, signed in _DEMO_AGREEMENTS:
        if org not in org_by_name:
            continue
        draft = agreements.new_draft(organisation_id=org_by_name[org],
                                     project_id=project_of.get(org))
        start = min((a.start for a in _current_assignments(ctx, org_by_name[org], today)),
                    default=draft.start)
        end = add_months(start, months) - dt.timedelta(days=1)
        if end < today + dt.timedelta(days=10):  # the Ressourcerie's ends in a few weeks
            end = today + dt.timedelta(days=18)
        draft = dataclasses.replace(
            draft, start=start, end=end, monthly_fee_cents=fee * 100, deposit_cents=fee * 200,
            services=frozenset(services), representative=draft.representative or org,
            representative_title=draft.representative_title or _("représentant·e légal·e"),
            host_signatory=signatory)
        agreement_id = agreements.save_draft(draft)
        if signed:
            agreements.sign(agreement_id=agreement_id,
                            signed_on=min(today, start - dt.timedelta(days=12)),
                            host_signatory=signatory, occupant_signatory="")

    mail = MailService(ctx)
    recipients = mail.recipients(day=today)
    senders = ("URSSAF Poitou-Charentes", "Centre des impôts de Niort", "Crédit Coopératif",
               "Greffe du tribunal de commerce de Niort", "MAIF", "La Poste")
    for i, (org_id, person_id, name) in enumerate(recipients):
        for k, days_ago in enumerate((130, 40, 6, 1)[: 2 + i % 3]):
            received = today - dt.timedelta(days=days_ago)
            mail_id = mail.receive(MailRecord(
                id=None, organisation_id=org_id, person_id=person_id, recipient=name,
                received_on=received, kind=(MailKind.REGISTERED if k == 1 else MailKind.LETTER),
                sender=senders[(i + k) % len(senders)]))
            if days_ago <= 40:
                mail.notify(mail_ids=[mail_id], on=received)
            if days_ago == 40:
                mail.collect(mail_ids=[mail_id], on=received + dt.timedelta(days=3))


def _current_assignments(ctx: ServiceContext, organisation_id: int, today: dt.date):
    with ctx.reading() as s:
        return list(s.scalars(select(DeskAssignment).where(
            DeskAssignment.organisation_id == organisation_id,
            (DeskAssignment.end.is_(None)) | (DeskAssignment.end >= today))))


# --- memberships ------------------------------------------------------------------------

# The fee schedule of the demonstration (euros, this year; last year 5 % less, rounded).
DEMO_FEES = {
    "Entreprises adhérentes": 60, "Réseaux de l'ESS": 120, "Collectivités": 250,
    "Partenaires": 80, "Bénévoles": 10, "Salarié·es": 15,
}
_COLLEGE_OF_FORM = {
    LegalForm.COLLECTIVITE: "Collectivités", LegalForm.RESEAU: "Réseaux de l'ESS",
    LegalForm.AUTRE: "Partenaires", LegalForm.COOPERATIVE: "Partenaires",
}
_PAYMENT_METHODS = (
    (PaymentMethod.VIREMENT, 40), (PaymentMethod.CHEQUE, 30), (PaymentMethod.CARTE, 10),
    (PaymentMethod.ESPECES, 8), (PaymentMethod.PLATEFORME, 8), (PaymentMethod.PRELEVEMENT, 4),
)
MEMBERSHIP_COLUMNS = ("id", "person_id", "organisation_id", "year", "college_id", "fee_cents",
                      "paid_cents", "notes", "created_at")
PAYMENT_COLUMNS = ("membership_id", "amount_cents", "paid_on", "method", "reference",
                   "created_at")
SHARE_COLUMNS = ("person_id", "organisation_id", "count", "nominal_cents", "subscribed_on",
                 "notes")


def _insert_memberships(s, bulk: _Bulk, rng: random.Random, *, now: dt.datetime, people: int,
                        orgs: list[_Org], org_ids: list[int]) -> int:
    """Last year's and this year's memberships: every organisation of the PTCE and about a
    third of the people; most renew, most pay in full, some in part, some not yet; a few
    sociétaires hold parts sociales. Returns the number of memberships."""
    colleges = {c.name: c.id for c in s.scalars(select(College))}
    today = now.astimezone(PARIS).date()
    year = today.year
    fees: dict[tuple[int, int], int] = {}
    for name, euros in DEMO_FEES.items():
        if name not in colleges:  # renamed in the settings: no fee for it
            continue
        for y, cents in ((year - 1, round(euros * 95) // 100 * 100), (year, euros * 100)):
            fees[(colleges[name], y)] = cents
            s.add(CollegeFee(college_id=colleges[name], year=y, fee_cents=cents))
    if not fees:
        return 0
    methods, weights = zip(*_PAYMENT_METHODS, strict=True)
    membership_rows: list[tuple] = []
    payment_rows: list[tuple] = []
    share_rows: list[tuple] = []
    when, day = bulk.when, bulk.day
    next_id = itertools.count(1)

    def join(person_id, org_id, college_name, renew: float) -> None:
        college = colleges.get(college_name)
        if college is None:
            return
        for y in (year - 1, year):
            if y == year and rng.random() > renew:
                continue
            fee = fees.get((college, y))
            if fee is None:
                continue
            end = today if y == year else dt.date(y, 12, 31)
            start = dt.date(y, 1, 5)
            r = rng.random()
            paid = fee if (r < 0.72 or y < year) else fee // 2 if r < 0.84 else 0
            mid = next(next_id)
            membership_rows.append((mid, person_id, org_id, y, college, fee, paid, None,
                                    when(now - dt.timedelta(days=(today - start).days))))
            remaining = paid
            parts = 2 if paid == fee and fee >= 4000 and rng.random() < 0.2 else 1
            for i in range(parts):
                amount = remaining if i == parts - 1 else remaining // 2
                remaining -= amount
                if amount <= 0:
                    continue
                paid_on = start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))
                method = rng.choices(methods, weights)[0]
                ref = f"n° {rng.randrange(1_000_000, 9_999_999)}" if method is PaymentMethod.CHEQUE else None
                payment_rows.append((mid, amount, day(paid_on), method.value, ref, when(now)))
        if rng.random() < (0.35 if org_id else 0.04):
            share_rows.append((person_id, org_id, rng.choice((1, 1, 2, 4, 10)), 5000,
                               day(dt.date(year - rng.randrange(1, 6), rng.randrange(1, 13), 15)),
                               None))

    for org, org_id in zip(orgs, org_ids, strict=True):
        if org.weight > 1 or org.hosted:
            college = _COLLEGE_OF_FORM.get(org.legal_form, "Entreprises adhérentes")
            join(None, org_id, college, renew=0.9)
    staff = len(STAFF)
    for pid in range(1, people + 1):
        if pid <= staff:
            join(pid, None, "Salarié·es", renew=1.0)
        elif rng.random() < 0.3:
            join(pid, None, rng.choice(("Bénévoles", "Bénévoles", "Partenaires",
                                        "Entreprises adhérentes")), renew=0.8)
        if len(membership_rows) >= PERSON_BATCH:
            bulk.insert(Membership.__table__, MEMBERSHIP_COLUMNS, membership_rows)
            bulk.insert(Payment.__table__, PAYMENT_COLUMNS, payment_rows)
            membership_rows.clear()
            payment_rows.clear()
    s.flush()
    bulk.insert(Membership.__table__, MEMBERSHIP_COLUMNS, membership_rows)
    bulk.insert(Payment.__table__, PAYMENT_COLUMNS, payment_rows)
    bulk.insert(ShareSubscription.__table__, SHARE_COLUMNS, share_rows)
    return next(next_id) - 1


# --- visits -----------------------------------------------------------------------------

_FR_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, French public holidays excepted."""
    if day.weekday() >= 5 or (day.month, day.day) in _FR_FIXED_HOLIDAYS:
        return False
    easter = _easter(day.year)
    return day not in {easter + dt.timedelta(days=n) for n in (1, 39, 50)}


def _paris(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=PARIS).astimezone(dt.UTC)


def _weighted(pairs):
    values = [v for v, _w in pairs]
    return values, list(itertools.accumulate(w for _v, w in pairs))


def _insert_visits(bulk: _Bulk, rng: random.Random, *, now: dt.datetime, person_ids: range,
                   staff: list[_Staff], visit_days: int, visits_per_day: int | None,
                   orgs: list[_Org]) -> int:
    today = now.astimezone(PARIS).date()
    days = [today - dt.timedelta(days=n) for n in range(visit_days, 0, -1)]
    days = [d for d in days if is_working_day(d)]
    n_people = len(person_ids)
    if visits_per_day is None:
        total = min(round(VISITS_PER_PERSON * n_people), MAX_DEFAULT_VISITS)
        visits_per_day = max(MIN_VISITS_PER_DAY, round(total / max(1, len(days))))
    # People who come often (coworkers, hosted start-ups): half the known visits.
    regulars = max(1, n_people // 10)
    gen = _VisitGenerator(rng, bulk, person_ids, regulars, staff, orgs)

    table = Visit.__table__
    rows: list[tuple] = []
    count = 0
    for day in days:
        n = max(0, round(visits_per_day * rng.uniform(0.75, 1.25)))
        rows.extend(gen.past_day(day, n))
        if len(rows) >= VISIT_BATCH:
            bulk.insert(table, VISIT_COLUMNS, rows)
            count += len(rows)
            rows = []
    rows.extend(gen.today(now, visits_per_day))
    bulk.insert(table, VISIT_COLUMNS, rows)
    return count + len(rows)


class _VisitGenerator:
    def __init__(self, rng: random.Random, bulk: _Bulk, person_ids: range, regulars: int,
                 staff: list[_Staff], orgs: list[_Org]) -> None:
        self.rng = rng
        self.when = bulk.when
        self.person_ids = person_ids
        self.regulars = regulars
        self.staff = staff or [_Staff(0, "Accueil")]
        self.org_names = [o.name for o in orgs]
        self.known_purposes = _weighted(_KNOWN_PURPOSES)
        self.walk_in_purposes = _weighted(_WALK_IN_PURPOSES)

    def _purpose(self, table) -> VisitPurpose:
        values, cum = table
        return values[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def _arrival_seconds(self, span: int) -> int:
        """Seconds after opening: morning and early-afternoon peaks, bounded by span."""
        r = self.rng.random()
        if r < 0.5:
            x = self.rng.gauss(3600 * 1.2, 2400)  # around 9:10
        elif r < 0.8:
            x = self.rng.gauss(3600 * 6, 2400)  # around 14:00
        else:
            x = self.rng.random() * span
        return int(min(max(x, 0), span))

    def _row(self, person_id: int | None, arrived: dt.datetime, left: dt.datetime | None,
             purpose: VisitPurpose) -> tuple:
        rng = self.rng
        host_id = host_name = None
        visitor_name = visitor_org = None
        if purpose in _WITH_HOST or (person_id is None and rng.random() < 0.5):
            host = rng.choice(self.staff)
            host_id, host_name = (host.id or None), host.name
        if person_id is None:
            visitor_name = full_name(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
            if purpose == VisitPurpose.LIVRAISON:
                visitor_org = rng.choice(DELIVERY_ORGS)
            elif rng.random() < 0.4:
                visitor_org = rng.choice(self.org_names)
            else:
                visitor_org = rng.choice(VISITOR_ORGS)
        return (
            person_id, visitor_name, visitor_org, purpose.value, host_id, host_name,
            self.when(arrived), self.when(left), "accueil",
        )

    def _known_person(self) -> int | None:
        if not self.person_ids:
            return None
        if self.rng.random() < 0.5:
            return self.person_ids[self.rng.randrange(self.regulars)]
        return self.person_ids[self.rng.randrange(len(self.person_ids))]

    def past_day(self, day: dt.date, n: int) -> Iterator[tuple]:
        """`n` visits of a past working day, all closed, in order of arrival."""
        rng = self.rng
        opening, closing = _paris(day, OPENING), _paris(day, CLOSING)
        span = int((_paris(day, LAST_ARRIVAL) - opening).total_seconds())
        arrivals = sorted(self._arrival_seconds(span) for _ in range(n))
        for seconds in arrivals:
            arrived = opening + dt.timedelta(seconds=seconds)
            person_id = self._known_person() if rng.random() >= WALK_IN_SHARE else None
            purpose = self._purpose(self.known_purposes if person_id else self.walk_in_purposes)
            low, high = _DURATIONS[purpose]
            left = min(arrived + dt.timedelta(seconds=rng.randrange(low * 60, high * 60)), closing)
            yield self._row(person_id, arrived, left, purpose)

    def today(self, now: dt.datetime, per_day: int) -> list[tuple]:
        """Today's visits (Paris day of `now`) so far: arrivals up to now, those whose
        visit is not over are still in the building (one open visit per person)."""
        rng = self.rng
        day = now.astimezone(PARIS).date()
        opening = _paris(day, OPENING)
        if now - opening < dt.timedelta(minutes=30):  # before opening: the last hour
            opening = max(now - dt.timedelta(hours=1),
                          dt.datetime.combine(day, dt.time(0), tzinfo=PARIS).astimezone(dt.UTC))
        span = max(0, int((now - opening).total_seconds()))
        open_day = max(1, int((_paris(day, CLOSING) - _paris(day, OPENING)).total_seconds()))
        n = min(per_day, MAX_VISITS_TODAY,
                max(MIN_VISITS_TODAY, round(per_day * min(1.0, span / open_day))))
        walk_ins = round(n * WALK_IN_SHARE)
        known = rng.sample(self.person_ids, min(n - walk_ins, len(self.person_ids)))
        who: list[int | None] = list(known) + [None] * (n - len(known))
        rng.shuffle(who)
        visits = []
        for i, person_id in enumerate(who):
            # The first arrival of the day has already left (a delivery); the others
            # are spread from opening to now.
            seconds = 0 if i == 0 else rng.randrange(span + 1)
            arrived = opening + dt.timedelta(seconds=seconds)
            if i == 0:
                person_id, purpose = None, VisitPurpose.LIVRAISON
            else:
                purpose = self._purpose(self.known_purposes if person_id else self.walk_in_purposes)
            low, high = _DURATIONS[purpose]
            left = arrived + dt.timedelta(seconds=rng.randrange(low * 60, high * 60))
            if i == 0:
                left = min(left, now)
            visits.append((arrived, person_id, left if left <= now else None, purpose))
        visits.sort(key=lambda v: v[0])
        return [self._row(p, a, left, purpose) for a, p, left, purpose in visits]


# --- room bookings ------------------------------------------------------------------------

# Who books the meeting rooms over the current and the next week, relative to today's week:
# (week 0 or 1, weekday (Monday 0), start, end, room, title, booker (an organisation of the
# demo, or "person:<id>" for one of the Maison's team), attendees, extra: "option",
# "option-soon", "solidaire" (a manual price) or "cancelled").
_T = dt.time
_DEMO_BOOKINGS = (
    (0, 0, _T(9), _T(12), "Salle Sèvre", "Réunion Fabrique à initiatives",
     "Elan Coopératif Niortais", 8, ""),
    (0, 1, _T(9), _T(17), "Atelier du Pilori", "Formation comptabilité associative",
     "Niort Associations", 18, ""),
    (0, 2, _T(9), _T(10, 30), "Salle Marais", "Rendez-vous création d'entreprise",
     "person:2", 2, ""),
    (0, 2, _T(14), _T(16), "Salle Marais", "Point d'étape Brûlerie Équitable",
     "Brûlerie Équitable des Halles", 3, ""),
    (0, 3, _T(10), _T(12), "Salle Sèvre", "Atelier Circuits courts",
     "AMAP des Paniers de la Sèvre", 12, ""),
    (0, 3, _T(14), _T(16, 30), "Salle du conseil", "Comité de suivi du PTCE",
     "Communauté d'Agglomération du Niortais (CAN)", 8, ""),
    (0, 4, _T(9, 30), _T(11, 30), "Salle Marais", "Entretiens de recrutement",
     "Numérique & Partage", 3, ""),
    (0, 4, _T(14), _T(17), "Atelier du Pilori", "Assemblée générale des Cigales",
     "Les Cigales", 22, ""),
    (1, 0, _T(9, 30), _T(11), "Salle du conseil", "Réunion des sociétaires",
     "Crédit Coopératif", 6, "cancelled"),
    (1, 0, _T(14), _T(16), "Salle Sèvre", "Réunion mensuelle des bénévoles",
     "outside:Association Vélo Niort", 11, ""),
    (1, 1, _T(9), _T(12), "Salle du conseil", "Conseil d'administration SCIC",
     "Elan Coopératif Niortais", 9, ""),
    (1, 2, _T(9), _T(17), "Atelier du Pilori", "Journée Fabrique d'entrepreneurs coopératifs",
     "URSCOP", 20, ""),
    (1, 2, _T(10), _T(12), "Salle Sèvre", "Comité de pilotage du tiers-lieu nourricier",
     "Ville de Niort", 7, ""),
    (1, 3, _T(9), _T(12), "Salle Marais", "Groupe de parole des porteurs de projet",
     "Graines de Cœur", 5, "solidaire"),
    (1, 3, _T(14), _T(17), "Salle Sèvre", "Rencontre des habitats partagés",
     "Habitat Partagé 79", 12, "option-soon"),
    (1, 4, _T(9), _T(12, 30), "Atelier du Pilori", "Forum de l'emploi solidaire",
     "CBE Niortais – Comité de bassin d'emploi", 24, "option"),
    (1, 4, _T(14), _T(16), "Salle Marais", "Point comptable de la Ressourcerie",
     "Récup'Sèvre Ressourcerie", 4, ""),
    (1, 4, _T(16, 30), _T(18, 30), "Salle du conseil", "Bureau de La Coop Niortaise",
     "La Coop Niortaise", 6, ""),
)
# A weekly series: Tuesday afternoons, for 8 weeks from this week (closed days skipped).
_DEMO_SERIES = ("Salle Marais", 1, _T(14), _T(17), "Permanence juridique", "BGE", 3, 8)
DEMO_OUTSIDE_CONTACT = ("Association Vélo Niort", "contact@velo-niort.example",
                        "06 39 98 27 41")
DEMO_SOLIDARITY = (2000, "Tarif solidaire accordé par le bureau")


def demo_closures(year: int) -> tuple[tuple[dt.date, dt.date, str], ...]:
    """The summer break (from the first Monday of August, three weeks) and the year-end
    closure (24 December to 1 January) of `year`."""
    august = dt.date(year, 8, 1)
    summer = august + dt.timedelta(days=(7 - august.weekday()) % 7)
    return ((summer, summer + dt.timedelta(days=18), "Fermeture estivale"),
            (dt.date(year, 12, 24), dt.date(year + 1, 1, 1), "Fermeture de fin d'année"))


def _insert_bookings(ctx: ServiceContext, *, org_by_name: dict[str, int], people: int) -> None:
    """The booking settings (the house's opening hours, the default conditions), the
    closures of the year, and about 25 bookings of the meeting rooms over this week and the
    next — through the service, so every rule is checked: a day the house is closed moves
    the booking to the next open day, a booking that would then clash is left out."""
    from maison_app.domain.bookings import (
        Booker,
        BookingDraft,
        Closure,
        Recurrence,
        week_start,
    )
    from maison_app.domain.enums import BookingStatus
    from maison_app.services.bookings import BookingsService

    bookings = BookingsService(ctx)
    today = ctx.now().astimezone(PARIS).date()
    settings = bookings.save_settings(dataclasses.replace(
        bookings.settings(), opens=OPENING, closes=CLOSING, weekdays=(0, 1, 2, 3, 4)))
    known = {(c.start, c.end) for c in bookings.closures()}
    for start, end, label in demo_closures(today.year):
        if (start, end) not in known:
            bookings.save_closure(Closure(id=None, start=start, end=end, label=label))

    rooms = {r.name: r.id for r in bookings.rooms()}
    monday = week_start(today)
    closed = bookings.closed_days(start=monday, end=monday + dt.timedelta(days=21))

    def open_day(day: dt.date) -> dt.date | None:
        """`day`, or the next day the house opens within a week."""
        for _n in range(7):
            if day.weekday() in settings.weekdays and day not in closed:
                return day
            day += dt.timedelta(days=1)
        return None

    def booker(who: str) -> Booker | None:
        if who.startswith("person:"):
            person_id = int(who.split(":")[1])
            return Booker(person_id=person_id) if person_id <= people else None
        if who.startswith("outside:"):
            name, email, phone = DEMO_OUTSIDE_CONTACT
            return Booker(contact_name=name, contact_email=email, contact_phone=phone)
        org_id = org_by_name.get(who)
        return Booker(organisation_id=org_id) if org_id is not None else None

    def at(day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=PARIS)

    for week, weekday, start, end, room, title, who, attendees, extra in _DEMO_BOOKINGS:
        day = open_day(monday + dt.timedelta(weeks=week, days=weekday))
        by = booker(who)
        if day is None or by is None or room not in rooms:
            continue
        draft = BookingDraft(space_id=rooms[room], start=at(day, start), end=at(day, end),
                             title=title, booker=by, attendees=attendees)
        if extra in ("option", "option-soon"):
            if day <= today:
                continue  # an option is for days to come
            until = (max(today, min(today + dt.timedelta(days=2), day - dt.timedelta(days=1)))
                     if extra == "option-soon" else None)
            draft = dataclasses.replace(draft, status=BookingStatus.OPTION, option_until=until,
                                        notes=_("En attente du vote du bureau."))
        elif extra == "solidaire":
            cents, reason = DEMO_SOLIDARITY
            draft = dataclasses.replace(draft, price_override_cents=cents,
                                        override_reason=reason)
        elif who.startswith("outside:"):
            draft = dataclasses.replace(draft, notes=_("Vidéoprojecteur demandé."))
        try:
            booking_id = bookings.create(draft)
        except Conflict:  # moved onto a day where the room is already taken
            continue
        if extra == "cancelled":
            bookings.cancel(booking_id=booking_id, reason=_("Réunion reportée en janvier."))

    room, weekday, start, end, title, who, attendees, count = _DEMO_SERIES
    by = booker(who)
    first = monday + dt.timedelta(days=weekday)
    if room in rooms and by is not None:
        draft = BookingDraft(space_id=rooms[room], start=at(first, start),
                             end=at(first, end), title=title, booker=by, attendees=attendees,
                             notes=_("Conseils juridiques gratuits pour les porteurs de "
                                     "projet, sur rendez-vous."))
        try:
            bookings.create_series(draft, Recurrence(count=count), skip_conflicts=True)
        except (Conflict, ValidationError):  # nothing free (a closed month): no series
            pass


# --- workshops ----------------------------------------------------------------------------

# The PTCE's workshops (the founding description's examples), on its four axes: (key, title,
# axis, facilitator (an organisation of the demo, "person:<id>" or an outside trainer's
# name), places, price in euros, nature ("" for the service's default), description).
_DEMO_WORKSHOPS = (
    ("ecole", "École de l'entrepreneur collectif", "formation", "BGE", 16, 0, "",
     ("Six modules pour porter un projet d'entreprise à plusieurs : gouvernance, modèle "
      "économique, statuts de l'ESS.")),
    ("fabrique", "Fabrique d'entrepreneurs coopératifs", "formation", "URSCOP", 12, 30, "",
     ("Deux jours et demi pour passer de l'idée au projet coopératif (SCOP, SCIC), avec "
      "Alter'Incub.")),
    ("circuits", "Circuits courts", "economie_vivante", "AMAP des Paniers de la Sèvre", 12, 0,
     "Atelier collectif", ("Vendre et s'approvisionner localement : AMAP, marchés, "
                           "plateformes de producteurs du Niortais.")),
    ("achats", "Achats responsables", "cooperation", "La Coop Niortaise", 6, 0,
     "Atelier collectif", ("Grouper les achats des structures du PTCE : fournitures, "
                           "énergie, alimentation (vers une coopérative d'achats).")),
    ("financement", "Financement des entreprises de l'ESS", "creation", "Crédit Coopératif",
     10, 0, "", ("Finances solidaires, financement participatif, dispositifs de l'État et "
                 "de la Région, Cigales : qui finance quoi.")),
    ("monnaie", "Monnaie complémentaire", "economie_vivante", "person:3", 12, 0,
     "Atelier collectif", ("Une monnaie locale pour le Niortais : volet particuliers et "
                           "volet entre entreprises.")),
)
# The sessions, relative to today: (workshop key, days from today (moved to an open day,
# backwards in the past), half-days: for each (day offset, "matin" | "apres_midi"), the
# rooms to try in order, registrations, what happens: "recorded" (attendance taken, some
# absences), "unrecorded" (over, attendance not taken: the screen flags it), "today", "future".
_M, _A = "matin", "apres_midi"
_DEMO_SESSIONS = (
    ("ecole", -42, ((0, _M), (0, _A)), ("Atelier du Pilori", "Salle Sèvre"), 11, "recorded"),
    ("fabrique", -35, ((0, _M), (0, _A), (1, _M)), ("Salle Sèvre", "Atelier du Pilori"), 9,
     "recorded"),
    ("circuits", -21, ((0, _A),), ("Salle Sèvre", "Atelier du Pilori"), 12, "recorded"),
    ("financement", -14, ((0, _M),), ("Salle du conseil", "Atelier du Pilori"), 7, "recorded"),
    ("achats", -7, ((0, _M),), ("Salle Marais", "Salle du conseil"), 5, "unrecorded"),
    ("ecole", 0, ((0, _M),), ("Atelier du Pilori", "Salle Sèvre"), 10, "today"),
    ("monnaie", 6, ((0, _A),), ("Salle Sèvre", "Atelier du Pilori"), 6, "future"),
    ("achats", 9, ((0, _M),), ("Salle Marais", "Salle du conseil"), 8, "future"),
    ("fabrique", 20, ((0, _M), (0, _A), (1, _M)), ("Atelier du Pilori", "Salle Sèvre"), 4,
     "future"),
)
# Outsiders who register with a name and an e-mail (fictional, example.org).
DEMO_OUTSIDERS = (
    ("Camille Robin", "camille.robin@example.org"),
    ("Yanis Bouchard", "yanis.bouchard@example.org"),
    ("Léa Fontaine", "lea.fontaine@example.org"),
    ("Noé Girard", "noe.girard@example.org"),
)
DEMO_WALK_IN = ("Inès Marchand", "ines.marchand@example.org")


def _insert_workshops(ctx: ServiceContext, *, org_by_name: dict[str, int], people: int) -> None:
    """Six workshops on the four axes, and their sessions over the past six weeks (attendance
    taken, some people absent for a half-day or the whole session, a walk-in; the last one
    not taken yet, so the screen flags it), today (for the reception) and in the coming
    weeks (one full, with a waiting list) — through the service: each session books its
    room; a slot taken by a booking is skipped for the next room or the next open day."""
    from maison_app.domain.enums import HalfDayPart, WorkshopAxis
    from maison_app.domain.workshops import (
        DEFAULT_TIMES,
        Facilitator,
        HalfDay,
        RegistrationRecord,
        SessionRecord,
        WorkshopRecord,
    )
    from maison_app.services.bookings import BookingsService
    from maison_app.services.workshops import WorkshopsService

    workshops = WorkshopsService(ctx)
    bookings = BookingsService(ctx)
    now = ctx.now()
    today = now.astimezone(PARIS).date()
    rng = random.Random(f"workshops-{today.isoformat()}")
    settings = bookings.settings()
    closed = set(bookings.closed_days(start=today - dt.timedelta(days=70),
                                      end=today + dt.timedelta(days=40)))

    def is_open(day: dt.date) -> bool:
        return day.weekday() in settings.weekdays and day not in closed

    def open_day(day: dt.date, step: int) -> dt.date | None:
        for _n in range(10):
            if is_open(day):
                return day
            day += dt.timedelta(days=step)
        return None

    def facilitator(who: str) -> Facilitator:
        if who.startswith("person:"):
            person_id = int(who.split(":")[1])
            if person_id <= people:
                return Facilitator(person_id=person_id)
            return Facilitator(name="Gaëlle Ménard")
        if who in org_by_name:
            return Facilitator(organisation_id=org_by_name[who])
        return Facilitator(name=who)

    ids = {}
    for key, title, axis, who, places, euros, nature, description in _DEMO_WORKSHOPS:
        ids[key] = workshops.save_workshop(WorkshopRecord(
            id=None, title=title, axis=WorkshopAxis(axis), description=description,
            facilitator=facilitator(who), capacity=places, price_cents=euros * 100,
            nature=nature))
    rooms = {r.name: r for r in bookings.rooms()}
    pool = list(range(len(STAFF) + 1, people + 1))

    def schedule(key: str, first: dt.date, halves, candidates, *, planned: ServiceContext
                 ) -> SessionRecord | None:
        """The session on `first` (or the next open days) in the first free room."""
        service = WorkshopsService(planned)
        for shift in range(5):
            day = open_day(first + dt.timedelta(days=shift), 1)
            if day is None:
                return None
            days = [day]
            for _n in range(max(offset for offset, _part in halves)):
                following = open_day(days[-1] + dt.timedelta(days=1), 1)
                if following is None:
                    return None
                days.append(following)
            half_days = tuple(
                HalfDay(id=None, day=days[offset], part=HalfDayPart(part),
                        start=DEFAULT_TIMES[HalfDayPart(part)][0],
                        end=DEFAULT_TIMES[HalfDayPart(part)][1])
                for offset, part in halves)
            for name in candidates:
                room = rooms.get(name)
                if room is None:
                    continue
                try:
                    session_id = service.save_session(SessionRecord(
                        id=None, workshop_id=ids[key], space_id=room.id,
                        half_days=half_days))
                except (Conflict, ValidationError):
                    continue  # the room is taken (or too small): the next one
                return workshops.session(session_id=session_id)
        return None

    for key, offset, halves, candidates, count, fate in _DEMO_SESSIONS:
        first = open_day(today + dt.timedelta(days=offset), -1 if offset < 0 else 1)
        if first is None or (offset == 0 and first != today):
            continue
        # planned and registered for three weeks before it (in the past: as it was then)
        planned_at = min(now, dt.datetime.combine(first - dt.timedelta(days=21), dt.time(10),
                                                  tzinfo=PARIS))
        planned = dataclasses.replace(ctx, clock=lambda moment=planned_at: moment)
        session = schedule(key, first, halves, candidates, planned=planned)
        if session is None:
            continue
        register = WorkshopsService(planned).register
        people_in = rng.sample(pool, min(len(pool), max(0, count - 2)))
        outsiders = DEMO_OUTSIDERS[: count - len(people_in)]
        for person_id in people_in:
            try:
                register(RegistrationRecord(id=None, session_id=session.id,
                                            person_id=person_id))
            except (Conflict, ValidationError):
                continue
        for name, email in outsiders:
            try:
                register(RegistrationRecord(id=None, session_id=session.id, name=name,
                                            email=email))
            except (Conflict, ValidationError):
                continue
        if fate != "recorded":
            continue
        if key == "circuits":  # someone who came without registering
            name, email = DEMO_WALK_IN
            workshops.add_walk_in(session_id=session.id, name=name, email=email)
        sheet = workshops.attendance(session_id=session.id)
        present = {}
        for n, r in enumerate(sheet.participants):
            for k, h in enumerate(sheet.session.half_days):
                # the third participant missed the session; every fifth left after the first
                # half-day
                present[(r.id, h.id)] = not (n == 2 or (n % 5 == 4 and k > 0))
        workshops.record_attendance(session_id=session.id, present=present)


# --- short circuits (« Circuits courts ») ----------------------------------------------------

ALL_YEAR = tuple(range(1, 13))
# key, name, town, km by road to the Maison, labels, contact, minimum order (euros)
_DEMO_PRODUCERS = (
    ("sevre", "GAEC des Prés de la Sèvre", "Échiré", 10, ("ab",), "Mathieu Giraud", 40),
    ("marais", "Ferme du Marais Poitevin", "Coulon", 11, ("hve",), "Sandrine Proust", 0),
    ("gatine", "Chèvrerie de la Gâtine", "Mazières-en-Gâtine", 22, ("ab", "accueil_paysan"),
     "Élodie Bonnin", 30),
    ("fournil", "Le Fournil de Saint-Maixent", "Saint-Maixent-l'École", 24, ("nature_progres",),
     "Karim Haddad", 0),
    ("chize", "Rucher de Chizé", "Chizé", 25, ("ab",), "Annie Texier", 0),
    ("melle", "Les Vergers du Mellois", "Melle", 29, ("hve",), "Olivier Rambaud", 0),
    ("bocage", "Élevage du Bocage", "Bressuire", 65, ("bleu_blanc_coeur",), "Thierry Rousseau",
     80),
    ("kerne", "Cidrerie de Kerné", "Pouldreuzic", 390, ("ab",), "Gwenaël Le Bihan", 60),
)
_AUTUMN_WINTER = (1, 2, 3, 4, 9, 10, 11, 12)
# producer, category, name, unit, price (cents, incl. VAT), VAT (bp), packaging, months
_DEMO_PRODUCTS = (
    ("sevre", "Légumes", "Carottes", "kg", 260, 550, "vrac", ALL_YEAR),
    ("sevre", "Légumes", "Pommes de terre", "kg", 180, 550, "vrac", ALL_YEAR),
    ("sevre", "Légumes", "Poireaux", "botte", 320, 550, "botte de 1 kg", _AUTUMN_WINTER),
    ("sevre", "Légumes", "Courge butternut", "kg", 290, 550, "vrac", (1, 2, 9, 10, 11, 12)),
    ("sevre", "Légumes", "Salade batavia", "piece", 130, 550, "", tuple(range(3, 12))),
    ("sevre", "Légumes", "Tomates anciennes", "kg", 480, 550, "cagette", (7, 8, 9, 10)),
    ("sevre", "Légumes", "Panier de légumes de saison", "panier", 1500, 550, "environ 5 kg",
     ALL_YEAR),
    ("sevre", "Légumes", "Plants de tomates", "piece", 250, 1000, "godet", (4, 5)),
    ("marais", "Épicerie", "Mogettes du Marais", "kg", 650, 550, "sachet de 1 kg", ALL_YEAR),
    ("marais", "Légumes", "Oignons jaunes", "kg", 220, 550, "vrac", ALL_YEAR),
    ("marais", "Fruits", "Melon charentais", "piece", 300, 550, "", (7, 8, 9)),
    ("marais", "Épicerie", "Œufs plein air", "douzaine", 420, 550, "boîte de 12", ALL_YEAR),
    ("gatine", "Produits laitiers", "Chabichou du Poitou AOP", "piece", 420, 550, "150 g",
     ALL_YEAR),
    ("gatine", "Produits laitiers", "Fromage frais de chèvre", "pot", 290, 550, "pot de 200 g",
     tuple(range(3, 11))),
    ("gatine", "Produits laitiers", "Yaourts au lait de chèvre", "pot", 360, 550, "lot de 4",
     ALL_YEAR),
    ("gatine", "Produits laitiers", "Tomme de chèvre", "kg", 2600, 550, "à la coupe", ALL_YEAR),
    ("fournil", "Boulangerie", "Pain de campagne au levain", "piece", 450, 550, "1 kg",
     ALL_YEAR),
    ("fournil", "Boulangerie", "Pain aux graines", "piece", 520, 550, "800 g", ALL_YEAR),
    ("fournil", "Boulangerie", "Broyé du Poitou", "piece", 750, 550, "400 g", ALL_YEAR),
    ("fournil", "Boulangerie", "Tourteau fromager", "piece", 850, 550, "", ALL_YEAR),
    ("chize", "Épicerie", "Miel de châtaignier", "pot", 900, 550, "pot de 500 g", ALL_YEAR),
    ("chize", "Épicerie", "Angélique confite de Niort", "pot", 780, 550, "pot de 250 g",
     ALL_YEAR),
    ("melle", "Fruits", "Pommes Reinette", "kg", 280, 550, "vrac", _AUTUMN_WINTER),
    ("melle", "Fruits", "Poires Conférence", "kg", 320, 550, "vrac", (1, 8, 9, 10, 11, 12)),
    ("melle", "Fruits", "Noix", "kg", 900, 550, "sèches", (1, 2, 10, 11, 12)),
    ("melle", "Boissons", "Jus de pomme", "bouteille", 350, 550, "1 l", ALL_YEAR),
    ("bocage", "Viandes", "Colis de veau", "panier", 9500, 550, "colis de 5 kg",
     (3, 4, 5, 9, 10, 11)),
    ("bocage", "Viandes", "Saucisses de porc", "kg", 1450, 550, "sous vide", ALL_YEAR),
    ("bocage", "Viandes", "Rôti de porc", "kg", 1690, 550, "sous vide", ALL_YEAR),
    ("bocage", "Viandes", "Poulet fermier", "piece", 1450, 550, "environ 1,8 kg", ALL_YEAR),
    ("kerne", "Boissons", "Cidre brut", "bouteille", 590, 2000, "75 cl", ALL_YEAR),
    ("kerne", "Boissons", "Chouchen", "bouteille", 1490, 2000, "75 cl", ALL_YEAR),
    ("kerne", "Boissons", "Jus de pomme pétillant", "bouteille", 420, 550, "75 cl", ALL_YEAR),
)
# what the members of the demo order: (product, quantity in thousandths) to pick from
_DEMO_BASKETS = (
    (("Carottes", 2000), ("Pommes de terre", 5000), ("Pain de campagne au levain", 1000)),
    (("Panier de légumes de saison", 1000), ("Chabichou du Poitou AOP", 2000)),
    (("Pommes Reinette", 3000), ("Jus de pomme", 2000), ("Miel de châtaignier", 1000)),
    (("Saucisses de porc", 1500), ("Poulet fermier", 1000), ("Poireaux", 1000)),
    (("Cidre brut", 3000), ("Broyé du Poitou", 1000), ("Tomme de chèvre", 500)),
    (("Courge butternut", 2500), ("Œufs plein air", 1000), ("Pain aux graines", 1000)),
    (("Colis de veau", 1000), ("Mogettes du Marais", 1000)),
    (("Chouchen", 1000), ("Angélique confite de Niort", 1000), ("Noix", 500)),
)


def _insert_catalogue(ctx: ServiceContext, *, org_by_name: dict[str, int], people: int) -> None:
    """Eight producers around Niort (a Breton cider maker beyond 100 km), their products in
    season with their VAT rates, a price raised today (the history), a grouped order over a
    month ago, closed, its orders mostly collected, and one open until next week — through
    the service, the past ones with a clock set to when they happened."""
    from maison_app.domain.catalogue import (
        CampaignRecord,
        OrderLine,
        OrderRecord,
        ProducerRecord,
        ProductRecord,
    )
    from maison_app.domain.enums import ProducerLabel, ProductUnit
    from maison_app.services.catalogue import CatalogueService

    now = ctx.now()
    today = now.astimezone(PARIS).date()
    rng = random.Random(f"catalogue-{today.isoformat()}")

    def at(day: dt.date, hour: int = 10) -> ServiceContext:
        moment = min(now, dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS))
        return dataclasses.replace(ctx, clock=lambda moment=moment: moment)

    # the catalogue as it was two months ago
    early = CatalogueService(at(today - dt.timedelta(days=60)))
    producer_ids: dict[str, int] = {}
    for key, name, town, km, labels, contact, minimum in _DEMO_PRODUCERS:
        producer_ids[key] = early.save_producer(ProducerRecord(
            None, name, town=town, distance_km=km,
            labels=tuple(ProducerLabel(label) for label in labels), contact_name=contact,
            email=f"contact@{_slug(name)}.fr", min_order_cents=minimum * 100))
    products: dict[str, ProductRecord] = {}
    for key, category, name, unit, price, vat, packaging, months in _DEMO_PRODUCTS:
        record = ProductRecord(None, producer_ids[key], category, name, ProductUnit(unit),
                               price, vat_bp=vat, packaging=packaging, months=months)
        products[name] = dataclasses.replace(record, id=early.save_product(record))
    catalogue = CatalogueService(ctx)

    pool = list(range(len(STAFF) + 1, people + 1))
    organisations = [oid for _name, oid in sorted(org_by_name.items())][:3]

    def season(day: dt.date) -> tuple[int, ...]:
        return tuple(p.id for p in products.values() if p.in_season(day))

    def take_orders(service: CatalogueService, campaign_id: int, offered: set[int],
                    count: int) -> list[int]:
        members: list[tuple[str, int]] = [("person", pid) for pid in
                                          rng.sample(pool, min(len(pool), count))]
        if organisations:
            members.append(("organisation", rng.choice(organisations)))
        order_ids = []
        for n, (kind, member_id) in enumerate(members):
            basket = _DEMO_BASKETS[n % len(_DEMO_BASKETS)]
            more = 1 + n // len(_DEMO_BASKETS)  # the second round orders twice as much
            lines = tuple(OrderLine(products[name].id, quantity * more)
                          for name, quantity in basket if products[name].id in offered)
            if not lines:
                continue
            try:
                order_ids.append(service.save_order(OrderRecord(
                    None, campaign_id,
                    person_id=member_id if kind == "person" else None,
                    organisation_id=member_id if kind == "organisation" else None,
                    lines=lines)))
            except (Conflict, ValidationError):
                continue
        return order_ids

    # a month ago: the autumn baskets, closed and collected (two members never came)
    opens = today - dt.timedelta(days=45)
    closes, pickup = opens + dt.timedelta(days=10), opens + dt.timedelta(days=14)
    past = CatalogueService(at(opens))
    offered = season(opens)
    autumn = past.save_campaign(CampaignRecord(
        None, _("Paniers d'automne"), opens, closes, pickup,
        pickup_place=_("Maison de l'ESS, hall d'accueil, 17 h – 19 h"), product_ids=offered))
    order_ids = take_orders(CatalogueService(at(opens + dt.timedelta(days=3))), autumn,
                            set(offered), 12)
    CatalogueService(at(closes, 20)).close_campaign(campaign_id=autumn)
    if order_ids:
        CatalogueService(at(pickup, 18)).mark_collected(order_ids=order_ids[2:])

    # prices raised since (the autumn orders keep the price of their day)
    for name, price in (("Pain de campagne au levain", 470), ("Pommes Reinette", 295)):
        catalogue.save_product(dataclasses.replace(products[name], price_cents=price))

    # now: the Christmas baskets, open until next week
    opens = today - dt.timedelta(days=6)
    closes, pickup = today + dt.timedelta(days=6), today + dt.timedelta(days=9)
    offered = season(today)
    christmas = CatalogueService(at(opens)).save_campaign(CampaignRecord(
        None, _("Paniers de Noël"), opens, closes, pickup,
        pickup_place=_("Maison de l'ESS, hall d'accueil, 17 h – 19 h"), product_ids=offered))
    take_orders(catalogue, christmas, set(offered), 8)
