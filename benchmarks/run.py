"""Times maison_app on large generated data and prints one line per figure:

    name value unit

    python benchmarks/run.py [--people 100000] [--database URL] [--runs 5]
                             [--visits-per-day N] [--bookings 200000] [--agreements 2000]
                             [--no-startup]

Without --database, a temporary SQLite file is created, filled with `maison-app demo` data
and deleted at the end. With --database URL (e.g. a PostgreSQL server), that database is
filled if it is empty and kept; if it already holds data, that data is used as it is.
See benchmarks/README.md for what each figure means and the targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import random
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from maison_app import i18n
from maison_app.db.bookings import Booking
from maison_app.db.hosting import AgreementSpace, HostingAgreement
from maison_app.db.engine import sqlite_url
from maison_app.db.models import Organisation, Person, Visit
from maison_app.db.spaces import Space
from maison_app.domain.bookings import week_start
from maison_app.domain.enums import (
    AgreementLink,
    AgreementStatus,
    BookingStatus,
    MemberKind,
    MembershipStatus,
    PriceBasis,
    SpaceKind,
)
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.domain.members import MemberFilter, MemberSort
from maison_app.domain.errors import MaisonError
from maison_app.services import demo
from maison_app.services.context import Database
from maison_app.i18n import PARIS
from maison_app.services.registry import Services

TARGETS = ("search_p95 < 30 ms; startup_ratio <= 1.5 x; demo_fill_100k about 20 s (SQLite); "
           "members_open and members_filter_max < 300 ms; bookings_week_p95 < 100 ms; "
           "agreements_list < 300 ms")

# The "week of bookings" case: so many bookable rooms (the demo's, and more if needed),
# their bookings spread over BOOKING_YEARS years around today, days filled from 08:00 to
# 19:00 (Paris) with back-to-back meetings of 30 minutes to 3 hours, a few gaps.
BOOKING_ROOMS = 8
BOOKING_YEARS = 8
BOOKING_BATCH = 10_000
BOOKING_WEEK_CALLS = 60
BOOKING_TITLES = (
    "Conseil d'administration", "Réunion d'équipe", "Atelier Circuits courts",
    "Permanence juridique", "Formation comptabilité associative", "Comité de pilotage",
    "Réunion Fabrique à initiatives", "Assemblée générale", "Point d'étape", "Entretien",
)
STARTUP_TIMEOUT_S = 60
FIRST_PAINT = re.compile(r"^first-paint\s+([0-9]+(?:\.[0-9]+)?)\s*$", re.MULTILINE)
READY = re.compile(r"^ready\s+([0-9]+(?:\.[0-9]+)?)\s*$", re.MULTILINE)

# What a receptionist types: names (with and without accents), then every prefix of
# length >= 2 of each text is searched, as the list refreshes at each key stroke.
TYPED_NAMES = (
    "Lefèvre", "lefevre", "Hélène Lefèvre", "helene lef", "Ménard", "gaelle menard",
    "Bézier", "François Bé", "Cœur", "coeur", "Noël", "Texier", "Mérieau", "Gaborit",
    "Pineau Chloé", "Chauvet", "Rousseau", "Guérin", "Da Silva", "N'Diaye", "Le Goff",
    "Marie-Hélène", "Jean-François Bo", "Thébault", "Sénéchal", "Prévost Léa", "Lemaître",
    "Benoît Dupré", "Océane", "Mathéo Rivière", "Ben Saïd", "Kowalski",
)
TYPED_ORGANISATIONS = (
    "maif", "ruche oxalis", "matapeste", "bge", "crédit coop", "ville de niort", "elan coop",
    "cigales", "amap sèvre", "urscop",
)
TYPED_EMAILS = (
    "helene.lefevre@", "@bge.exemple", "jaulin@", "exemple.org", "marechal2", "coeur@exemple",
)
TYPED_NOTHING = ("zzqx", "xylophone", "kzq marie", "qwertz", "12345", "lefevre zorglub")

BARE_WINDOW = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv)

class Window(QMainWindow):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print(f"first-paint {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)

window = Window()
window.setWindowTitle("Maison de l'ESS")
window.setCentralWidget(QLabel("Maison de l'ESS"))
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
"""


def emit(name: str, value: float | None, unit: str = "") -> None:
    if value is None:
        print(f"{name} n/a", flush=True)
    else:
        print(f"{name} {value:.1f} {unit}".rstrip(), flush=True)


def comment(text: str) -> None:
    print(f"# {text}", flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def size_label(people: int) -> str:
    return f"{people // 1000}k" if people % 1000 == 0 and people >= 1000 else str(people)


def search_queries() -> list[str]:
    queries = []
    for text in TYPED_NAMES + TYPED_ORGANISATIONS + TYPED_EMAILS + TYPED_NOTHING:
        queries.extend(text[:k] for k in range(2, len(text) + 1))
    return queries


# --- figures ----------------------------------------------------------------------------


def bench_fill(services: Services, args) -> None:
    ctx = services.ctx
    with ctx.db.reading() as s:
        people = s.scalar(select(func.count()).select_from(Person))
    name = f"demo_fill_{size_label(args.people)}"
    if people:
        comment(f"the database already holds {people} people: used as it is, not filled")
        emit(name, None)
        return
    started = time.perf_counter()
    summary = demo.fill(ctx, people=args.people, visit_days=args.visit_days, seed=args.seed,
                        visits_per_day=args.visits_per_day)
    emit(name, time.perf_counter() - started, "s")
    comment(f"filled: {summary.replace(chr(0x202F), ' ')}")


def bench_search(services: Services) -> None:
    people = services.people
    queries = search_queries()
    for q in queries[:20]:  # warm the caches as the first searches of the day would
        people.search(query=q)
    timings: list[tuple[float, str, int]] = []
    for q in queries:
        started = time.perf_counter()
        result = people.search(query=q)
        timings.append(((time.perf_counter() - started) * 1000, q, len(result.hits)))
    ms = [t for t, _q, _n in timings]
    emit("search_median", statistics.median(ms), "ms")
    emit("search_p95", percentile(ms, 0.95), "ms")
    emit("search_max", max(ms), "ms")
    comment(f"{len(queries)} searches; slowest: " + "; ".join(
        f"{q!r} {t:.1f} ms ({n} hits)" for t, q, n in sorted(timings, reverse=True)[:5]))


def _list_view(services: Services, f: MemberFilter, sort: str = MemberSort.NAME,
               offset: int = 0) -> tuple[float, int]:
    """What the members screen does when it opens or a filter changes: count the rows,
    read the first page (200 rows) from `offset`."""
    started = time.perf_counter()
    total = services.members.count(filter=f)
    services.members.page(filter=f, sort=sort, offset=offset, limit=200)
    return (time.perf_counter() - started) * 1000, total


def bench_members_list(services: Services, runs: int) -> None:
    year = services.memberships.this_year()
    colleges = {c.name: c.id for c in services.memberships.colleges()}
    _list_view(services, MemberFilter(year=year))  # warm-up
    opening = [_list_view(services, MemberFilter(year=year))[0] for _ in range(runs)]
    emit("members_open", statistics.median(opening), "ms")
    filters = [
        ("a relancer", MemberFilter(year=year, status=MembershipStatus.A_RELANCER), MemberSort.NAME),
        ("non renouvele", MemberFilter(year=year, status=MembershipStatus.NON_RENOUVELE),
         MemberSort.NAME),
        ("benevoles", MemberFilter(year=year, college_id=colleges.get("Bénévoles")),
         MemberSort.NAME),
        ("adherents", MemberFilter(year=year, members_only=True), MemberSort.COLLEGE),
        ("search 'ma'", MemberFilter(year=year, query="ma"), MemberSort.NAME),
        ("search 'lefevre'", MemberFilter(year=year, query="lefevre"), MemberSort.NAME),
        ("search 'helene ruche'", MemberFilter(year=year, query="helene ruche"), MemberSort.NAME),
        ("by city", MemberFilter(year=year), MemberSort.CITY),
        ("by e-mail, descending", MemberFilter(year=year), MemberSort.EMAIL),
        ("structures", MemberFilter(kind=MemberKind.ORGANISATION, year=year), MemberSort.NAME),
    ]
    timings = []
    for label, f, sort in filters:
        ms, total = min((_list_view(services, f, sort) for _ in range(max(runs // 2, 1))))
        timings.append((ms, label, total))
    ms = [t for t, _l, _n in timings]
    emit("members_filter_median", statistics.median(ms), "ms")
    emit("members_filter_max", max(ms), "ms")
    comment("filters: " + "; ".join(f"{label} {t:.0f} ms ({n} rows)" for t, label, n in timings))
    total = services.members.count(filter=MemberFilter(year=year))
    deep, _n = _list_view(services, MemberFilter(year=year), offset=max(total - 200, 0))
    emit("members_last_page", deep, "ms")


def bench_day_view(services: Services, runs: int) -> None:
    reception = services.reception
    reception.day()
    ms = []
    for _ in range(runs):
        started = time.perf_counter()
        day = reception.day()
        ms.append((time.perf_counter() - started) * 1000)
    emit("day_view", statistics.median(ms), "ms")
    comment(f"day view: {day.counts.present} present, {day.counts.arrivals} arrivals today")


def _bench_rooms(services: Services) -> list[SpaceRecord]:
    """At least BOOKING_ROOMS bookable rooms: the demo's, and « Salle d'essai n » rooms
    (through the spaces service: a handful of rows)."""
    rooms = list(services.bookings.rooms())
    for n in range(len(rooms) + 1, BOOKING_ROOMS + 1):
        services.spaces.save_space(SpaceRecord(
            None, SpaceKind.MEETING_ROOM, f"Salle d'essai {n}", floor=2, capacity=12,
            rates=Rates(hour_member=1500, hour_public=2500, half_day_member=4000,
                        half_day_public=7000, day_member=7000, day_public=12000)))
    return list(services.bookings.rooms())


def _booking_rows(rng: random.Random, rooms: list[SpaceRecord], org_ids: list[int],
                  person_ids: list[int], first: dt.date, count: int):
    """`count` bookings as dicts for a Core insert, in batches of BOOKING_BATCH: the
    working days of BOOKING_YEARS years from `first`, each room's day from 08:00 to 19:00
    cut into as many meetings as the count needs (about 12 a day with 8 rooms), of 30
    minutes to the whole slot, on the quarter-hour."""
    days = [first + dt.timedelta(days=n) for n in range(365 * BOOKING_YEARS + 2)]
    days = [d for d in days if d.weekday() < 5]
    per_room_day = count / (len(days) * len(rooms)) * 1.002  # the count, before the end
    opens, closes = 8 * 60, 19 * 60
    rows: list[dict] = []
    made = 0
    for day in days:
        for room in rooms:
            k = int(per_room_day) + (rng.random() < per_room_day % 1)
            if not k:
                continue
            slot = (closes - opens) // k // 15 * 15
            for i in range(k):
                if made >= count:
                    break
                length = rng.randrange(30, max(slot, 30) + 1, 15) if slot >= 30 else 15
                offset = rng.randrange(0, slot - length + 1, 15) if slot > length else 0
                minute = opens + i * slot + offset
                start = dt.datetime.combine(day, dt.time(minute // 60, minute % 60),
                                            tzinfo=PARIS)
                r, who = rng.random(), rng.random()
                status = (BookingStatus.CANCELLED if r < 0.05 else
                          BookingStatus.OPTION if r < 0.15 else BookingStatus.CONFIRMED)
                outside = who >= 0.85
                rows.append({
                    "space_id": room.id,
                    "start": start.astimezone(dt.UTC),
                    "end": (start + dt.timedelta(minutes=length)).astimezone(dt.UTC),
                    "title": rng.choice(BOOKING_TITLES),
                    "organisation_id": rng.choice(org_ids) if who < 0.6 and org_ids else None,
                    "person_id": (rng.choice(person_ids)
                                  if 0.6 <= who < 0.85 and person_ids else None),
                    "contact_name": "Association Vélo Niort" if outside else "",
                    "contact_email": "contact@velo-niort.example" if outside else "",
                    "contact_phone": "",
                    "attendees": rng.randrange(1, room.capacity + 1),
                    "status": status,
                    "option_until": (day - dt.timedelta(days=3)
                                     if status is BookingStatus.OPTION else None),
                    "notes": "",
                    "price_cents": 1500 * length // 60,
                    "price_basis": PriceBasis.HOUR,
                    "member_rate": who < 0.6,
                    "override_reason": "",
                    "series_id": None,
                    "cancel_reason": "",
                    "cancelled_at": None,
                })
                made += 1
        if len(rows) >= BOOKING_BATCH:
            yield rows
            rows = []
    if rows:
        yield rows


def bench_bookings(services: Services, args) -> None:
    """The calendar's week for all rooms with `--bookings` bookings in the database."""
    if args.bookings <= 0:
        return
    rooms = _bench_rooms(services)
    with services.ctx.db.reading() as s:
        existing = s.scalar(select(func.count()).select_from(Booking)) or 0
        org_ids = list(s.scalars(select(Organisation.id).limit(500)))
        person_ids = list(s.scalars(select(Person.id).limit(5000)))
    today = services.ctx.now().astimezone(PARIS).date()
    name = f"bookings_fill_{size_label(args.bookings)}"
    if existing >= args.bookings:
        comment(f"the database already holds {existing} bookings: used as they are")
        emit(name, None)
    else:
        rng = random.Random(args.seed)
        first = week_start(today - dt.timedelta(days=365 * BOOKING_YEARS // 2))  # half ahead
        started = time.perf_counter()
        with services.ctx.db.writing() as s:
            for batch in _booking_rows(rng, rooms, org_ids, person_ids, first,
                                       args.bookings - existing):
                s.execute(insert(Booking.__table__), batch)
        emit(name, time.perf_counter() - started, "s")
    with services.ctx.db.reading() as s:
        total = s.scalar(select(func.count()).select_from(Booking))
        first_start, last_start = s.execute(
            select(func.min(Booking.start), func.max(Booking.start))).one()
    comment(f"{total} bookings in {len(rooms)} rooms, from {first_start:%Y-%m-%d} "
            f"to {last_start:%Y-%m-%d}")

    bookings = services.bookings
    monday = week_start(today)
    # this week, then the weeks around it, as a desk paging back and forth
    weeks = [monday + dt.timedelta(weeks=k) for k in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5)]
    bookings.bookings(start=monday, end=monday + dt.timedelta(days=7))  # warm-up
    ms: list[float] = []
    rows = 0
    for i in range(max(BOOKING_WEEK_CALLS, args.runs)):
        week = weeks[i % len(weeks)]
        started = time.perf_counter()
        found = bookings.bookings(start=week, end=week + dt.timedelta(days=7))
        ms.append((time.perf_counter() - started) * 1000)
        if week == monday:
            rows = len(found)
    emit("bookings_week_median", statistics.median(ms), "ms")
    emit("bookings_week_p95", percentile(ms, 0.95), "ms")
    comment(f"bookings_week: {len(ms)} calls over {len(weeks)} weeks around {monday}, "
            f"{rows} bookings in this week for {len(rooms)} rooms")
    day_ms = []
    for _ in range(max(args.runs, 5)):
        started = time.perf_counter()
        found = bookings.day(day=today)
        day_ms.append((time.perf_counter() - started) * 1000)
    emit("bookings_day", statistics.median(day_ms), "ms")
    comment(f"bookings_day: {len(found)} bookings today")


def bench_agreements(services: Services, args) -> None:
    """The Conventions tab's list and « ending soon » panel with `--agreements` hosting
    agreements: chains of yearly renewals for the organisations of the house, each granting
    an office or a desk, a third with a domiciliation, a few drafts and terminated ones."""
    if args.agreements <= 0:
        return
    with services.ctx.db.reading() as s:
        existing = s.scalar(select(func.count()).select_from(HostingAgreement)) or 0
        org_ids = list(s.scalars(select(Organisation.id).order_by(Organisation.id).limit(2000)))
        space_ids = list(s.scalars(select(Space.id).where(
            Space.kind.in_((SpaceKind.OFFICE, SpaceKind.DESK))).order_by(Space.id)))
    name = f"agreements_fill_{size_label(args.agreements)}"
    if existing >= args.agreements or not org_ids or not space_ids:
        comment(f"the database holds {existing} agreements: used as they are")
        emit(name, None)
    else:
        rng = random.Random(args.seed)
        today = services.ctx.now().astimezone(PARIS).date()
        started = time.perf_counter()
        with services.ctx.db.writing() as s:
            last_id = s.scalar(select(func.max(HostingAgreement.id))) or 0
            rows, granted = [], []
            chain_of: dict[int, int] = {}  # organisation → its last agreement's id
            for n in range(args.agreements - existing):
                last_id += 1
                org = org_ids[n % len(org_ids)]
                round_ = n // len(org_ids)
                start = dt.date(2001 + round_ % 25, 1 + n % 12, 1)
                end = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
                if n % 50 == 0:  # a few end within the next weeks
                    start = today - dt.timedelta(days=300)
                    end = today + dt.timedelta(days=rng.randint(1, 59))
                status = (AgreementStatus.DRAFT if n % 40 == 1 else
                          AgreementStatus.TERMINATED if n % 30 == 2 else AgreementStatus.SIGNED)
                previous = chain_of.get(org)
                rows.append(dict(
                    id=last_id, number=f"CH-{1000 + n // 9999}-{n % 9999 + 1:04d}",
                    year=1000 + n // 9999, sequence=n % 9999 + 1, status=status,
                    organisation_id=org, start=start, end=end,
                    monthly_fee_cents=rng.randint(150, 900) * 100, vat_bp=2000,
                    deposit_cents=50000, domiciliation=n % 3 == 0, notice_months=1,
                    previous_id=previous, link=AgreementLink.RENEWAL if previous else None,
                    signed_on=start if status is not AgreementStatus.DRAFT else None,
                    terminated_on=end - dt.timedelta(days=30)
                    if status is AgreementStatus.TERMINATED else None,
                    termination_reason="départ" if status is AgreementStatus.TERMINATED
                    else ""))
                granted.append(dict(agreement_id=last_id,
                                    space_id=space_ids[n % len(space_ids)], seats=1))
                chain_of[org] = last_id
            for k in range(0, len(rows), BOOKING_BATCH):
                s.execute(insert(HostingAgreement.__table__), rows[k:k + BOOKING_BATCH])
                s.execute(insert(AgreementSpace.__table__), granted[k:k + BOOKING_BATCH])
        emit(name, time.perf_counter() - started, "s")
    agreements = services.agreements
    agreements.agreements()  # warm-up
    ms, found = [], ()
    for _ in range(max(args.runs, 3)):
        t0 = time.perf_counter()
        found = agreements.agreements()
        ms.append((time.perf_counter() - t0) * 1000)
    emit("agreements_list", statistics.median(ms), "ms")
    t0 = time.perf_counter()
    ending = agreements.ending_soon()
    emit("agreements_ending_soon", (time.perf_counter() - t0) * 1000, "ms")
    comment(f"agreements_list: {len(found)} agreements; {len(ending)} ending within 60 days")


def _child_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "MAISON_DATA_DIR": str(tmp / "data"),  # never the user's own files
        "MAISON_CONFIG_DIR": str(tmp / "config"),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.pop("MAISON_DATABASE_URL", None)
    return env


def first_paint_ms(command: list[str], env: dict[str, str], pattern=FIRST_PAINT) -> float:
    """Milliseconds from just before the process is spawned to the time.time() it prints
    at its first paint. Raises RuntimeError with the reason when there is no such line."""
    started = time.time()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=STARTUP_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed it
        raise RuntimeError(f"no first paint within {STARTUP_TIMEOUT_S} s") from exc
    match = pattern.search(done.stdout or "")
    if match is None:
        lines = (done.stderr or done.stdout or "").strip().splitlines()
        reason = lines[-1] if lines else "no output"
        raise RuntimeError(f"exit code {done.returncode}, no 'first-paint' line: {reason}")
    return (float(match.group(1)) - started) * 1000


def bench_startup(database_url: str, runs: int, tmp: Path) -> None:
    env = _child_env(tmp)
    bare = statistics.median(
        first_paint_ms([sys.executable, "-c", BARE_WINDOW], env) for _ in range(runs))
    emit("startup_bare_window", bare, "ms")

    app_env = dict(env, MAISON_EXIT_AFTER_FIRST_PAINT="1")
    command = [sys.executable, "-m", "maison_app", "--database", database_url]
    try:
        app = statistics.median(first_paint_ms(command, app_env) for _ in range(runs))
    except RuntimeError as exc:
        emit("startup_app", None)
        emit("startup_ratio", None)
        comment(f"startup_app: {exc}")
        return
    emit("startup_app", app, "ms")
    emit("startup_ratio", app / bare, "x")
    # Not the target's figure but the one a receptionist feels: the window painted first,
    # then the database opened off the GUI thread, and the login would show.
    ready_env = dict(env, MAISON_EXIT_WHEN_READY="1")
    try:
        ready = statistics.median(first_paint_ms(command, ready_env, READY) for _ in range(runs))
    except RuntimeError as exc:
        emit("startup_ready", None)
        comment(f"startup_ready: {exc}")
        return
    emit("startup_ready", ready, "ms")


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database", metavar="URL",
                        help="database to use (default: a temporary SQLite file)")
    parser.add_argument("--visit-days", type=int, default=60)
    parser.add_argument("--visits-per-day", type=int, default=None,
                        help="visits of each past working day (default: about 2.5 visits "
                             "per person over the period; 24000 with 60 days gives about "
                             "a million visits)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5, help="runs of each start-up figure")
    parser.add_argument("--bookings", type=int, default=200_000,
                        help="room bookings for the week-of-bookings figures (0: skip them)")
    parser.add_argument("--agreements", type=int, default=2_000,
                        help="hosting agreements for the Conventions list figures (0: skip them)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up figures")
    args = parser.parse_args(argv)

    i18n.set_language("fr")
    with tempfile.TemporaryDirectory(prefix="maison-bench-") as tmp_name:
        tmp = Path(tmp_name)
        url = args.database or sqlite_url(tmp / "bench.db")
        try:
            db = Database.open(url)
        except MaisonError as exc:
            print(exc.message, file=sys.stderr)
            return 2
        try:
            services = Services.build(db)
            comment(f"database: {db.description}; python {sys.version.split()[0]}; "
                    f"{os.cpu_count()} CPU")
            bench_fill(services, args)
            with db.reading() as s:
                n_people = s.scalar(select(func.count()).select_from(Person))
                n_visits = s.scalar(select(func.count()).select_from(Visit))
            comment(f"{n_people} people, {n_visits} visits")
            bench_search(services)
            bench_day_view(services, args.runs)
            bench_members_list(services, args.runs)
            bench_bookings(services, args)
            bench_agreements(services, args)
        finally:
            db.dispose()
        if not args.no_startup:
            bench_startup(url, args.runs, tmp)
    comment(f"targets: {TARGETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
