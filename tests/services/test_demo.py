"""The demonstration data: realistic, French, consistent with the rules of the app, and
refused on a database that already holds data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from maison_app.db.engine import sqlite_url
from maison_app.db.members import Membership, Payment, ShareSubscription
from maison_app.db.models import Affiliation, Organisation, Person, Visit
from maison_app.domain.enums import MembershipStatus
from maison_app.domain.errors import Conflict, MaisonError, ValidationError
from maison_app.domain.members import MemberFilter
from maison_app.i18n import PARIS
from maison_app.services import demo
from maison_app.services.context import Database, ServiceContext
from maison_app.services.people import person_keys
from maison_app.services.reception import paris_day_bounds

PEOPLE = 200


@pytest.fixture
def filled(services):
    summary = demo.fill(services.ctx, people=PEOPLE, visit_days=30, seed=7)
    return services, summary


def _count(services, model, *where) -> int:
    with services.ctx.db.reading() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_counts_and_summary(filled):
    services, summary = filled
    n_orgs = len(demo.PTCE_ACTORS) + len(demo.HOSTED_STARTUPS)
    n_visits = _count(services, Visit)
    assert _count(services, Person) == PEOPLE
    assert _count(services, Organisation) == n_orgs
    assert _count(services, Affiliation) >= PEOPLE // 2
    assert n_visits > PEOPLE  # about 2.5 visits per person over the period
    # "200 personnes, 35 structures, 1 040 passages" (babel's narrow no-break space)
    assert summary.startswith(f"{PEOPLE} personnes, {n_orgs} structures, ")
    visits_part, members_part = summary.rsplit(", ", 2)[1:]
    assert int("".join(ch for ch in visits_part if ch.isdigit())) == n_visits
    assert visits_part.endswith(" passages")
    assert int("".join(ch for ch in members_part if ch.isdigit())) == _count(services, Membership)
    assert members_part.endswith(" adhésions")


def test_memberships_of_the_demo(filled):
    """Organisations and about a third of the people are members; this year's statuses are
    mixed (à jour, partiellement payé, à relancer, non renouvelé); the fee schedule is set;
    every membership's paid total is the sum of its payments."""
    services, _summary = filled
    year = services.ctx.now().year
    fees = {f.college: f.fee_cents for f in services.memberships.fees(year=year)}
    assert fees["Collectivités"] == 25000
    this_year = _count(services, Membership, Membership.year == year)
    assert PEOPLE // 10 < this_year < PEOPLE
    statuses = {s: services.members.count(filter=MemberFilter(year=year, status=s))
                for s in MembershipStatus}
    assert all(statuses.values()), statuses
    with services.ctx.db.reading() as s:
        sums = dict(s.execute(select(Payment.membership_id, func.sum(Payment.amount_cents))
                              .group_by(Payment.membership_id)).all())
        for m in s.scalars(select(Membership)):
            assert sums.get(m.id, 0) == m.paid_cents
    assert _count(services, ShareSubscription) > 0


def test_ptce_actors_without_siret(filled):
    services, _summary = filled
    with services.ctx.db.reading() as s:
        orgs = {o.name: o for o in s.scalars(select(Organisation))}
    for name in ("Ville de Niort", "BGE", "MAIF", "Crédit Coopératif", "URSCOP",
                 "Elan Coopératif Niortais", "La Ruche Oxalis", "SCOP Matapeste",
                 "Les Cigales", "AMAP des Paniers de la Sèvre"):
        assert name in orgs, name
    assert all(o.siret is None for o in orgs.values())
    assert all(o.legal_form is not None and o.city for o in orgs.values())
    assert orgs["SCOP Matapeste"].legal_form == "scop"
    assert orgs["Ville de Niort"].legal_form == "collectivite"


def test_people_look_french_and_fictional(filled):
    services, _summary = filled
    with services.ctx.db.reading() as s:
        people = s.scalars(select(Person)).all()
    names = " ".join(f"{p.first_name} {p.last_name}" for p in people)
    for accented in ("é", "è", "ë", "ç", "œ"):
        assert accented in names.lower(), accented
    emails = [p.email for p in people if p.email]
    assert len(emails) > PEOPLE // 2
    assert len(set(emails)) == len(emails)
    for email in emails:
        assert email.isascii() and email == email.lower()
        assert email.split("@")[1].endswith(("exemple.fr", "exemple.org", "exemple.net",
                                             ".example"))
    phones = [p.phone for p in people if p.phone]
    assert phones and all(len(p) == 14 and p[:2] in ("06", "07") for p in phones)


def test_search_keys_are_those_of_the_people_service(filled):
    services, _summary = filled
    with services.ctx.db.reading() as s:
        people = s.scalars(select(Person).order_by(Person.id).limit(50)).all()
        orgs: dict[int, list[str]] = {}
        for pid, name in s.execute(
            select(Affiliation.person_id, Organisation.name)
            .join(Organisation, Organisation.id == Affiliation.organisation_id)
            .order_by(Affiliation.id)
        ):
            orgs.setdefault(pid, []).append(name)
    assert any(orgs.get(p.id) for p in people)
    for p in people:
        assert (p.search_key, p.sort_key) == person_keys(
            p.first_name, p.last_name, p.email, orgs.get(p.id, []))


def test_city_keys_are_those_the_models_keep(filled):
    """The fill writes people and organisations without the ORM: their city keys (the
    members list's order) must be what the models would have set."""
    from maison_app.db.models import city_key

    services, _summary = filled
    with services.ctx.db.reading() as s:
        rows = (s.execute(select(Person.city, Person.city_key)).all()
                + s.execute(select(Organisation.city, Organisation.city_key)).all())
    assert any(city for city, _key in rows) and any(city is None for city, _key in rows)
    assert all(key == city_key(city) for city, key in rows)


def test_search_finds_a_demo_person_typed_without_accents(filled):
    services, _summary = filled
    # The Maison's team is always there: Hélène Lefèvre of Elan Coopératif Niortais.
    result = services.people.search(query="helene lefev")
    assert any(h.first_name == "Hélène" and h.last_name == "Lefèvre" for h in result.hits)
    hit = next(h for h in result.hits if h.last_name == "Lefèvre")
    assert "Elan Coopératif Niortais" in hit.organisations
    assert any(h.last_name == "Cœur" for h in services.people.search(query="coeur").hits)
    # and by organisation name
    ruche = services.people.search(query="ruche oxalis")
    assert ruche.hits and all("La Ruche Oxalis" in h.organisations for h in ruche.hits)


def test_visits_today_some_present_some_gone(filled, clock):
    services, _summary = filled
    start, end = paris_day_bounds(clock())
    day = services.reception.day()
    assert day.counts.present > 0
    assert day.counts.departures > 0
    assert day.counts.arrivals >= demo.MIN_VISITS_TODAY
    assert any(v.is_walk_in for v in day.today)
    for visit in day.today:
        assert start <= visit.arrived_at <= clock()
        assert visit.left_at is None or visit.left_at <= clock()
    # everyone present arrived today, and the known ones are known people
    assert all(v.arrived_at >= start for v in day.present)
    assert any(v.person_id is not None for v in day.present)


def test_at_most_one_open_visit_per_person(filled):
    services, _summary = filled
    with services.ctx.db.reading() as s:
        counts = s.execute(
            select(Visit.person_id, func.count())
            .where(Visit.left_at.is_(None), Visit.person_id.is_not(None))
            .group_by(Visit.person_id)
        ).all()
        bad = s.scalar(select(func.count()).select_from(Visit).where(
            Visit.left_at.is_not(None), Visit.left_at < Visit.arrived_at))
    assert counts and all(n == 1 for _pid, n in counts)
    assert bad == 0


def test_past_visits_on_working_days_within_opening_hours(filled, clock):
    services, _summary = filled
    start, _end = paris_day_bounds(clock())
    with services.ctx.db.reading() as s:
        past = s.execute(
            select(Visit.arrived_at, Visit.left_at, Visit.person_id, Visit.visitor_name)
            .where(Visit.arrived_at < start)
        ).all()
    assert past
    oldest = clock().astimezone(PARIS).date() - dt.timedelta(days=30)
    for arrived, left, person_id, visitor in past:
        local = arrived.astimezone(PARIS)
        assert local.date() >= oldest
        assert demo.is_working_day(local.date())
        assert demo.OPENING <= local.time() <= demo.LAST_ARRIVAL
        assert left is not None and left.astimezone(PARIS).time() <= demo.CLOSING
        assert person_id is not None or visitor
    # 11 November is a public holiday: no visit that day
    assert not demo.is_working_day(dt.date(2026, 11, 11))
    assert all(a.astimezone(PARIS).date() != dt.date(2026, 11, 11) for a, *_ in past)


def test_the_identity_of_the_maison_is_set(filled):
    services, _summary = filled
    identity = services.settings.identity()
    assert identity.name == "Maison de l'ESS"
    assert identity.organisation == "Pôle Territorial de Coopération Économique Niortais"
    assert identity.postcode == "79000" and identity.city == "Niort"
    assert identity.email == "contact@maison-ess-niort.example"
    assert identity.siret == ""


def test_a_second_fill_is_refused(filled):
    services, _summary = filled
    with pytest.raises(Conflict) as info:
        demo.fill(services.ctx, people=10)
    assert isinstance(info.value, MaisonError)
    assert "La base contient déjà des données" in info.value.message
    assert _count(services, Person) == PEOPLE


def test_same_seed_same_people(services, tmp_path):
    def people(ctx):
        with ctx.db.reading() as s:
            return s.execute(
                select(Person.first_name, Person.last_name, Person.email, Person.search_key)
                .order_by(Person.id)
            ).all()

    demo.fill(services.ctx, people=40, visit_days=5, seed=11)
    other = Database.open(sqlite_url(tmp_path / "other.db"))
    try:
        ctx = ServiceContext(db=other, clock=services.ctx.clock)
        demo.fill(ctx, people=40, visit_days=5, seed=11)
        assert people(ctx) == people(services.ctx)
        assert len(people(ctx)) == 40
    finally:
        other.dispose()


def test_big_fills_add_fictional_organisations():
    orgs = demo._organisations(250_000)
    names = [o.name for o in orgs]
    assert len(names) == len(set(names)) == len(demo.PTCE_ACTORS) + len(demo.HOSTED_STARTUPS) + 250


def test_visits_per_day_sets_the_volume(services):
    demo.fill(services.ctx, people=20, visit_days=14, seed=3, visits_per_day=40)
    working_days = sum(
        demo.is_working_day(services.ctx.now().astimezone(PARIS).date() - dt.timedelta(days=n))
        for n in range(1, 15)
    )
    n = _count(services, Visit)
    # each past working day draws 75 % to 125 % of 40 visits, plus today's
    assert 30 * working_days <= n <= 50 * working_days + 40


def test_empty_fill_and_bad_sizes(services):
    with pytest.raises(ValidationError):
        demo.fill(services.ctx, people=-1)
    with pytest.raises(ValidationError):
        demo.fill(services.ctx, people=10, visit_days=-2)
    summary = demo.fill(services.ctx, people=0, visit_days=3)
    assert summary.startswith("0 personne")
    assert _count(services, Person) == 0
    assert _count(services, Visit) > 0  # walk-in visitors only
    assert _count(services, Visit, Visit.person_id.is_not(None)) == 0


def test_the_app_keeps_working_after_a_fill(filled):
    """Ids were given explicitly: the next ones (PostgreSQL sequences) must not clash."""
    services, _summary = filled
    org_id = services.people.create_organisation(name="Nouvelle structure")
    person_id = services.people.create_person(
        first_name="Anaëlle", last_name="Nouveau", organisation_ids=(org_id,))
    assert person_id > PEOPLE
    visit = services.reception.check_in(person_id=person_id)
    assert visit.present
    present = next(v for v in services.reception.present() if v.person_id is not None
                   and v.person_id != person_id)
    with pytest.raises(Conflict):
        services.reception.check_in(person_id=present.person_id)


def test_demo_comes_with_one_account_per_role(services):
    from maison_app.domain.enums import Role
    from maison_app.services import demo

    demo.fill(services.ctx, people=10, visit_days=1)
    for login, _name, role, password in demo.DEMO_ACCOUNTS:
        user = services.accounts.authenticate(login=login, password=password)
        assert user.role == role
    assert {r for *_x, r, _p in demo.DEMO_ACCOUNTS} == set(Role)


# --- room bookings ---------------------------------------------------------------------------


WORKSHOP_BOOKING = "Atelier : "  # the bookings of the workshops' sessions


def _demo_bookings(services, *, workshops: bool = False):
    """Monday of this week and the bookings of this week and the next (without those of
    the workshops' sessions, unless `workshops`)."""
    from maison_app.domain.bookings import week_start

    monday = week_start(services.ctx.now().astimezone(PARIS).date())
    found = services.bookings.bookings(start=monday, end=monday + dt.timedelta(days=14),
                                       include_cancelled=True)
    return monday, tuple(b for b in found
                         if workshops or not b.title.startswith(WORKSHOP_BOOKING))


def test_bookings_settings_and_closures_of_the_demo(filled):
    services, _summary = filled
    settings = services.bookings.settings()
    assert (settings.opens, settings.closes) == (demo.OPENING, demo.CLOSING)
    assert settings.weekdays == (0, 1, 2, 3, 4) and settings.skip_public_holidays
    assert "48 heures" in settings.conditions  # the model conditions
    closures = {(c.start, c.end, c.label) for c in services.bookings.closures()}
    assert closures == {
        (dt.date(2026, 8, 3), dt.date(2026, 8, 21), "Fermeture estivale"),
        (dt.date(2026, 12, 24), dt.date(2027, 1, 1), "Fermeture de fin d'année"),
    }


def test_bookings_of_the_demo_this_week_and_the_next(filled):
    """About 25 bookings of the meeting rooms around today (Thursday 26 November 2026):
    the SCIC's board, a weekly series, options, a solidarity price, an outside group, a
    cancellation; within each room's capacity, on days the house is open, no conflict."""
    from maison_app.domain.enums import BookingStatus, PriceBasis

    services, _summary = filled
    monday, week = _demo_bookings(services)
    rooms = {r.id: r for r in services.bookings.rooms()}
    assert {r.name for r in rooms.values()} >= {"Salle Sèvre", "Salle Marais",
                                                 "Atelier du Pilori", "Salle du conseil"}
    assert 18 <= len(week) <= 24
    assert {b.day for b in week} <= {monday + dt.timedelta(days=n) for n in range(14)}
    assert all(b.day.weekday() < 5 for b in week)
    assert not services.bookings.closed_days(start=monday, end=monday + dt.timedelta(days=14))
    titles = {b.title for b in week}
    for title in ("Conseil d'administration SCIC", "Permanence juridique",
                  "Atelier Circuits courts", "Réunion Fabrique à initiatives",
                  "Formation comptabilité associative"):
        assert title in titles, title
    for b in week:
        assert 1 <= b.attendees <= rooms[b.space_id].capacity, b.title
        assert b.booker_name
        assert b.start.astimezone(PARIS).time() >= demo.OPENING
        assert b.end.astimezone(PARIS).time() <= demo.CLOSING

    training = next(b for b in week if b.title == "Formation comptabilité associative")
    assert training.minutes == 8 * 60 and training.price_basis is PriceBasis.DAY
    outside = next(b for b in week if b.booker.outside)
    assert outside.booker_name == "Association Vélo Niort"
    assert outside.booker.contact_email == "contact@velo-niort.example"
    assert not outside.member_rate
    solidarity = next(b for b in week if b.price_basis is PriceBasis.MANUAL)
    assert solidarity.override_reason == "Tarif solidaire accordé par le bureau"
    assert solidarity.price_cents == 2000

    today = services.ctx.now().astimezone(PARIS).date()
    options = sorted((b for b in week if b.status is BookingStatus.OPTION),
                     key=lambda b: b.option_until)
    assert len(options) == 2
    assert options[0].option_until == today + dt.timedelta(days=2)  # expires soon
    assert options[1].option_until > options[0].option_until
    assert all(o.holds_room(today) and o.day > today for o in options)
    (cancelled,) = [b for b in week if b.status is BookingStatus.CANCELLED]
    assert cancelled.cancel_reason
    assert cancelled not in services.bookings.bookings(
        start=monday, end=monday + dt.timedelta(days=14))

    # no two bookings holding a room overlap (those of the workshops' sessions included)
    _monday, everything = _demo_bookings(services, workshops=True)
    holding = [b for b in everything if b.holds_room(today)]
    for i, a in enumerate(holding):
        for b in holding[i + 1:]:
            assert a.space_id != b.space_id or a.end <= b.start or b.end <= a.start, (
                a.title, b.title)


def test_the_weekly_series_of_the_demo_skips_the_year_end_closure(filled):
    services, _summary = filled
    _monday, week = _demo_bookings(services)
    first = next(b for b in week if b.title == "Permanence juridique")
    series = services.bookings.series(series_id=first.series_id)
    # 8 Tuesdays from 24 November; the 29 December falls in the year-end closure
    assert [b.day for b in series] == [
        dt.date(2026, 11, 24), dt.date(2026, 12, 1), dt.date(2026, 12, 8),
        dt.date(2026, 12, 15), dt.date(2026, 12, 22), dt.date(2027, 1, 5),
        dt.date(2027, 1, 12)]
    assert {(b.space_name, b.title, b.booker_name) for b in series} == {
        ("Salle Marais", "Permanence juridique", "BGE")}
    assert {(b.start.astimezone(PARIS).time(), b.end.astimezone(PARIS).time())
            for b in series} == {(dt.time(14), dt.time(17))}


def test_demo_closures_follow_the_year():
    assert demo.demo_closures(2026) == (
        (dt.date(2026, 8, 3), dt.date(2026, 8, 21), "Fermeture estivale"),
        (dt.date(2026, 12, 24), dt.date(2027, 1, 1), "Fermeture de fin d'année"))
    (summer_start, summer_end, _label), _year_end = demo.demo_closures(2027)
    assert summer_start == dt.date(2027, 8, 2) and summer_start.weekday() == 0
    assert summer_end.weekday() == 4 and (summer_end - summer_start).days == 18


@pytest.mark.parametrize("now", [
    dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC),  # inside the year-end closure
    dt.datetime(2026, 5, 13, 9, 0, tzinfo=dt.UTC),  # the eve of Ascension, a Thursday
    dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC),  # a Sunday
])
def test_bookings_of_the_demo_on_awkward_days(services, clock, now):
    """Whatever the day the demo is made, its bookings go through the service's rules:
    a closed day moves a booking to the next open day, none lands on a closed day."""
    clock.now = now
    demo.fill(services.ctx, people=20, visit_days=2, seed=5)
    monday, week = _demo_bookings(services)
    assert len(week) >= 8
    closed = services.bookings.closed_days(start=monday, end=monday + dt.timedelta(days=21))
    assert not [b for b in week if b.day in closed]


# --- workshops -------------------------------------------------------------------------------


def test_workshops_of_the_demo(filled):
    """Six workshops of the founding description on the PTCE's four axes, run by actors of
    the demo; sessions over the past weeks with attendance taken (some absences, a walk-in),
    one over without attendance (flagged), one today for the reception, and some to come,
    one full with a waiting list; every session books its room."""
    from maison_app.domain.enums import BookingStatus, WorkshopAxis

    services, _summary = filled
    workshops = services.workshops
    listed = workshops.workshops()
    assert {w.title for w in listed} == {
        "École de l'entrepreneur collectif", "Fabrique d'entrepreneurs coopératifs",
        "Circuits courts", "Achats responsables", "Financement des entreprises de l'ESS",
        "Monnaie complémentaire"}
    assert {w.axis for w in listed} == set(WorkshopAxis)
    by_title = {w.title: w for w in listed}
    assert by_title["Fabrique d'entrepreneurs coopératifs"].facilitator.name == "URSCOP"
    assert by_title["Circuits courts"].facilitator.name == "AMAP des Paniers de la Sèvre"
    assert by_title["Monnaie complémentaire"].facilitator.name == "François Bézier"
    assert all(w.facilitator.name and w.sessions for w in listed)

    today = services.ctx.now().astimezone(PARIS).date()
    sessions = workshops.sessions()
    assert len(sessions) == 9
    past = [s for s in sessions if s.last_day < today]
    future = [s for s in sessions if s.first_day > today]
    assert len(past) == 5 and len(future) == 3
    assert [s.workshop_title for s in past if not s.attendance_recorded] == [
        "Achats responsables"]
    assert [s.workshop_title for s in workshops.unrecorded()] == ["Achats responsables"]
    assert [s.workshop_title for s in workshops.today()] == ["École de l'entrepreneur collectif"]
    assert not any(s.attendance_recorded for s in future)
    full = [s for s in future if s.waiting]
    assert [(s.workshop_title, s.registered, s.capacity, s.waiting) for s in full] == [
        ("Achats responsables", 6, 6, 2)]
    assert all(s.registered for s in sessions)
    assert max(len(s.half_days) for s in sessions) == 3  # a session over two days

    # attendance: partial for some, none for one, a walk-in on the spot
    recorded = [s for s in past if s.attendance_recorded]
    minutes = []
    for s in recorded:
        sheet = workshops.attendance(session_id=s.id)
        minutes += [(sheet.minutes_of(r.id), s.minutes) for r in sheet.participants]
    assert any(done == 0 for done, _planned in minutes)
    assert any(0 < done < planned for done, planned in minutes)
    assert sum(done == planned for done, planned in minutes) > len(minutes) // 2
    circuits = next(s for s in recorded if s.workshop_title == "Circuits courts")
    walk_ins = [r for r in workshops.registrations(session_id=circuits.id) if r.walk_in]
    assert [r.name for r in walk_ins] == ["Inès Marchand"]

    # each half-day has its room booked, « Atelier : <title> », within the room's capacity
    rooms = {r.id: r for r in services.bookings.rooms()}
    for s in sessions:
        assert rooms[s.space_id].capacity >= s.capacity
        for h in s.half_days:
            assert h.booking_id is not None
    _monday, everything = _demo_bookings(services, workshops=True)
    mine = [b for b in everything if b.title.startswith(WORKSHOP_BOOKING)]
    assert mine and all(b.status is BookingStatus.CONFIRMED and b.price_cents == 0
                        for b in mine)

    # the figures of the year count them
    figures = workshops.figures(start=dt.date(today.year, 1, 1), end=dt.date(today.year, 12, 31))
    assert figures.total.minutes_attended > 0
    assert figures.total.sessions == 9
    assert 0.5 < figures.total.attendance_rate < 1


# --- short circuits --------------------------------------------------------------------------


def test_catalogue_of_the_demo(filled):
    """Eight producers around Niort and a Breton cider maker beyond 100 km, their products in
    the seven categories at the three VAT rates (cider 20 %), a price raised since the
    autumn (its history; the orders kept the old price), a past grouped order closed and
    mostly collected, and one open until next week with orders."""
    from maison_app.domain.catalogue import LOCAL_KM

    services, _summary = filled
    catalogue = services.catalogue
    today = services.ctx.now().astimezone(PARIS).date()
    producers = catalogue.producers()
    assert 6 <= len(producers) <= 8
    far = [p for p in producers if p.distance_km > LOCAL_KM]
    assert [p.name for p in far] == ["Cidrerie de Kerné"]
    assert all(p.town for p in producers)
    assert any(p.min_order_cents for p in producers)

    products = catalogue.products(active_only=False)
    assert 25 <= len(products) <= 35
    assert set(catalogue.categories()) == {
        "Légumes", "Fruits", "Produits laitiers", "Boulangerie", "Viandes", "Épicerie",
        "Boissons"}
    assert {p.vat_bp for p in products} == {550, 1000, 2000}
    cider = next(p for p in products if p.name == "Cidre brut")
    assert cider.vat_bp == 2000 and cider.distance_km > LOCAL_KM
    assert any(len(p.months) < 12 for p in products)  # seasons
    bread = next(p for p in products if p.name == "Pain de campagne au levain")
    history = catalogue.price_history(product_id=bread.id)
    assert [h.price_cents for h in history] == [470, 450]

    campaigns = catalogue.campaigns()
    assert len(campaigns) == 2
    closed = [c for c in campaigns if c.closed_at is not None]
    open_ = [c for c in campaigns if c.open_on(today)]
    assert len(closed) == 1 and len(open_) == 1
    past, current = closed[0], open_[0]
    assert past.pickup_on < today < current.closes_on <= today + dt.timedelta(days=7)
    assert past.orders >= 8 and current.orders >= 5
    assert past.total_cents > 0 and current.total_cents > 0

    past_orders = catalogue.orders(campaign_id=past.id)
    collected = [o for o in past_orders if o.collected_at is not None]
    assert 0 < len(collected) < len(past_orders)  # some never came
    assert any(o.organisation_id for o in past_orders)
    # the autumn orders kept the price of their day
    old_bread = [line for o in past_orders for line in o.lines
                 if line.product_id == bread.id]
    assert old_bread and all(line.unit_price_cents == 450 for line in old_bread)
    totals = catalogue.totals(campaign_id=past.id)
    assert totals.total_cents == sum(o.total_cents for o in past_orders)
    assert totals.local_share is not None and 0 < totals.local_share <= 1
    # the open campaign's orders are still open to changes
    assert all(o.collected_at is None for o in catalogue.orders(campaign_id=current.id))
