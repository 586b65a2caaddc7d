"""People and organisations as the reception needs them: search and (for demo and tests)
creation. The members area (#4) extends this module."""

from __future__ import annotations

from sqlalchemy import column, func, select, table, text
from sqlalchemy.orm import aliased

from maison_app.db.models import Affiliation, Organisation, Person, Visit
from maison_app.db.search_index import FTS_TABLE, fts_phrase
from maison_app.domain.enums import AffiliationRole, LegalForm
from maison_app.domain.records import PersonHit, SearchResult
from maison_app.domain.text import MIN_QUERY_LENGTH, escape_like, search_key, search_terms
from maison_app.domain.validation import check_email, check_length, check_required, check_siret
from maison_app.i18n import PARIS, _
from maison_app.services.context import ServiceContext
from maison_app.services.memberships import status_of_people
from maison_app.domain.permissions import Access, Area
from maison_app.services.permissions import requires

DEFAULT_LIMIT = 50
# SQLite: above this many candidates from the trigram index, walking the alphabet is faster.
TRIGRAM_CANDIDATES_MAX = 2000
# PostgreSQL: the search first looks among this many people in alphabetical order (cheap,
# and enough whenever the typed letters are common); only then does it ask the index.
ALPHABETICAL_WINDOW = 4000


def person_keys(first: str, last: str, email: str | None, organisations: list[str]) -> tuple[str, str]:
    """(search_key, sort_key) of a person."""
    return (
        search_key(first, last, email, *organisations),
        search_key(last, first)[:200],
    )


def _matching_rows_postgresql(s, patterns: list[str], long_terms: list[str], limit: int) -> list:
    """PostgreSQL: first among the first people in alphabetical order (an index scan that
    stops early); if the page is not full, through the pg_trgm index."""
    window = (
        select(Person.id, Person.sort_key, Person.search_key)
        .order_by(Person.sort_key, Person.id)
        .limit(ALPHABETICAL_WINDOW)
        .subquery("alphabetical")
    )
    first = s.execute(
        select(Person.id, Person.first_name, Person.last_name, Person.email)
        .join(window, window.c.id == Person.id)
        .where(*(window.c.search_key.like(p, escape="\\") for p in patterns),
               Person.anonymised.is_(False))
        .order_by(window.c.sort_key, window.c.id)
        .limit(limit)
    ).all()
    if len(first) >= limit:
        return first
    source = Person
    if long_terms:
        # the candidates first (GIN index), materialised so that the planner cannot trade
        # them for an alphabetical walk that would read the whole table
        candidates = (
            select(Person.__table__)
            .where(*(Person.search_key.like(f"%{escape_like(t)}%", escape="\\")
                     for t in long_terms))
            .cte("candidates")
            .prefix_with("MATERIALIZED")
        )
        source = aliased(Person, candidates)
    return s.execute(
        select(source.id, source.first_name, source.last_name, source.email)
        .where(*(source.search_key.like(p, escape="\\") for p in patterns),
               source.anonymised.is_(False))
        .order_by(source.sort_key, source.id)
        .limit(limit)
    ).all()


class PeopleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- search -------------------------------------------------------------------------

    @requires(Area.PEOPLE, Access.READ)
    def search(self, *, query: str, limit: int = DEFAULT_LIMIT) -> SearchResult:
        """People whose first name, last name, organisation or email contains every word
        of `query`, ignoring case and accents, in alphabetical order."""
        terms = search_terms(query)
        if len("".join(terms)) < MIN_QUERY_LENGTH:
            return SearchResult(hits=(), query=query, too_short=True)
        with self.ctx.reading() as s:
            rows = self._matching_rows(s, terms, limit + 1)
            truncated = len(rows) > limit
            rows = rows[:limit]
            ids = [r.id for r in rows]
            orgs: dict[int, list[str]] = {}
            present: dict[int, int] = {}
            if ids:
                for pid, name in s.execute(
                    select(Affiliation.person_id, Organisation.name)
                    .join(Organisation, Organisation.id == Affiliation.organisation_id)
                    .where(Affiliation.person_id.in_(ids))
                    .order_by(Organisation.name)
                ):
                    orgs.setdefault(pid, []).append(name)
                for pid, vid in s.execute(
                    select(Visit.person_id, Visit.id).where(
                        Visit.person_id.in_(ids), Visit.left_at.is_(None)
                    )
                ):
                    present[pid] = vid
            statuses = status_of_people(s, ids, self.ctx.now().astimezone(PARIS).year)
        hits = tuple(
            PersonHit(
                id=r.id,
                first_name=r.first_name,
                last_name=r.last_name,
                email=r.email,
                organisations=", ".join(dict.fromkeys(orgs.get(r.id, []))),
                present_visit_id=present.get(r.id),
                membership=statuses.get(r.id),
            )
            for r in rows
        )
        return SearchResult(hits=hits, query=query, truncated=truncated)

    @staticmethod
    def _matching_rows(s, terms: list[str], limit: int) -> list:
        """(id, first_name, last_name, email) of the first `limit` matches in alphabetical
        order, planned for speed on each engine.

        Common letters ("ma", "exemple") match many people: walking the people in
        alphabetical order finds the first page at once. Rare letters, or letters found
        only late in the alphabet, are found at once by the trigram index (FTS5 on SQLite,
        pg_trgm on PostgreSQL) when a word has three letters or more, and the few matches
        are then sorted. Two-letter words cannot use a trigram index: for rare ones the
        whole key column is read (the slowest case, and a rare one)."""
        patterns = [f"%{escape_like(t)}%" for t in terms]
        long_terms = [t for t in terms if len(t) >= 3]  # a trigram needs three letters
        names = (Person.id, Person.first_name, Person.last_name, Person.email)
        if s.get_bind().dialect.name == "postgresql":
            return _matching_rows_postgresql(s, patterns, long_terms, limit)

        # SQLite: count the trigram candidates (up to a cap) to choose the way.
        stmt = (
            select(*names)
            .where(*(Person.search_key.like(p, escape="\\") for p in patterns),
                   Person.anonymised.is_(False))
            .order_by(Person.sort_key, Person.id)
            .limit(limit)
        )
        if long_terms:
            fts = table(FTS_TABLE, column("rowid"))
            candidates = select(fts.c.rowid).where(text(f"{FTS_TABLE} MATCH :fts_match"))
            params = {"fts_match": " AND ".join(fts_phrase(t) for t in long_terms)}
            capped = candidates.limit(TRIGRAM_CANDIDATES_MAX).subquery()
            if s.execute(select(func.count()).select_from(capped), params).scalar_one() \
                    < TRIGRAM_CANDIDATES_MAX:
                return s.execute(stmt.where(Person.id.in_(candidates)), params).all()
        return s.execute(stmt).all()

    # --- creation (the members area will add editing, merging…) -------------------------

    @requires(Area.PEOPLE, Access.WRITE)
    def create_person(
        self,
        *,
        first_name: str,
        last_name: str,
        email: str | None = None,
        phone: str | None = None,
        organisation_ids: tuple[int, ...] = (),
        role: AffiliationRole = AffiliationRole.SALARIE,
    ) -> int:
        last = check_required(last_name, field="last_name", message=_("Le nom est obligatoire."))
        first = check_length(first_name, field="first_name", maximum=100) or ""
        email = check_email(email)
        with self.ctx.writing() as s:
            orgs = [s.get(Organisation, oid) for oid in organisation_ids]
            names = [o.name for o in orgs if o is not None]
            key, sort = person_keys(first, last, email, names)
            person = Person(
                first_name=first, last_name=last, email=email, phone=phone,
                search_key=key, sort_key=sort,
            )
            s.add(person)
            s.flush()
            for org in orgs:
                if org is not None:
                    s.add(Affiliation(person_id=person.id, organisation_id=org.id, role=role))
            return person.id

    @requires(Area.PEOPLE, Access.WRITE)
    def create_organisation(
        self,
        *,
        name: str,
        legal_form: LegalForm | None = None,
        siret: str | None = None,
        city: str | None = None,
    ) -> int:
        name = check_required(name, field="name", message=_("Le nom de la structure est obligatoire."))
        siret = check_siret(siret)
        with self.ctx.writing() as s:
            org = Organisation(
                name=name, legal_form=legal_form, siret=siret, city=city,
                search_key=search_key(name),
            )
            s.add(org)
            s.flush()
            return org.id
