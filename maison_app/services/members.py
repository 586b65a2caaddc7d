"""The members area's people and organisations: the list (filtered, sorted, read page by
page so that it stays fast with 100,000 people), the detail records and their validation,
affiliations, likely duplicates and merging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

import maison_app.db.all_models  # noqa: F401 - every table, for the merge
from maison_app.db import audit
from maison_app.db.base import Base
from maison_app.db.members import College, Membership, Payment
from maison_app.db.models import Affiliation, Organisation, Person, PersonMerge, Visit
from maison_app.domain.enums import (
    AffiliationRole,
    LegalForm,
    MemberKind,
    MembershipStatus,
)
from maison_app.domain.errors import (
    Conflict,
    LikelyDuplicate,
    NotFound,
    ValidationError,
)
from maison_app.domain.members import (
    AffiliationRecord,
    DuplicateGroup,
    MemberFilter,
    MemberRow,
    MemberSort,
    MergePreview,
    OrganisationDetail,
    PersonDetail,
    check_naf,
    check_phone,
    check_postcode,
    member_code,
    membership_status,
)
from maison_app.domain.permissions import Access, Area
from maison_app.domain.text import escape_like, full_name, search_key, search_terms
from maison_app.domain.validation import (
    check_email,
    check_length,
    check_required,
    check_siret,
)
from maison_app.i18n import PARIS, _, ngettext
from maison_app.services.context import ServiceContext
from maison_app.services.people import person_keys
from maison_app.services.permissions import requires

PAGE_SIZE = 200


def _text(value: str | None, *, field: str, maximum: int) -> str | None:
    return check_length(value, field=field, maximum=maximum)


def refresh_person_keys(s: Session, person: Person) -> None:
    """Recompute a person's search and sort keys (name, e-mail, organisations)."""
    names = list(s.scalars(
        select(Organisation.name).join(Affiliation, Affiliation.organisation_id == Organisation.id)
        .where(Affiliation.person_id == person.id)
    )) if person.id is not None else []
    person.search_key, person.sort_key = person_keys(
        person.first_name, person.last_name, person.email, names)


def clean_person(d: PersonDetail) -> dict[str, object]:
    """The validated fields of a person (ValidationError naming the field)."""
    return {
        "last_name": check_length(
            check_required(d.last_name, field="last_name", message=_("Le nom est obligatoire.")),
            field="last_name", maximum=100),
        "first_name": _text(d.first_name, field="first_name", maximum=100) or "",
        "email": check_email(_text(d.email, field="email", maximum=254)),
        "phone": check_phone(d.phone),
        "address": _text(d.address, field="address", maximum=200),
        "postcode": check_postcode(d.postcode),
        "city": _text(d.city, field="city", maximum=100),
        "notes": _text(d.notes, field="notes", maximum=5000),
        "consent_date": d.consent_date,
    }


def clean_organisation(d: OrganisationDetail) -> dict[str, object]:
    return {
        "name": check_length(check_required(
            d.name, field="name", message=_("Le nom de la structure est obligatoire.")),
            field="name", maximum=200),
        "legal_form": LegalForm(d.legal_form) if d.legal_form else None,
        "siret": check_siret(d.siret),
        "naf_code": check_naf(d.naf_code),
        "esus_agrement": bool(d.esus_agrement),
        "email": check_email(_text(d.email, field="email", maximum=254)),
        "phone": check_phone(d.phone),
        "address": _text(d.address, field="address", maximum=200),
        "postcode": check_postcode(d.postcode),
        "city": _text(d.city, field="city", maximum=100),
        "notes": _text(d.notes, field="notes", maximum=5000),
    }


def _affiliations(s: Session, where) -> tuple[AffiliationRecord, ...]:
    rows = s.execute(
        select(Affiliation, Person.first_name, Person.last_name, Organisation.name)
        .join(Person, Person.id == Affiliation.person_id)
        .join(Organisation, Organisation.id == Affiliation.organisation_id)
        .where(where)
        .order_by(Organisation.search_key, Person.sort_key, Affiliation.id)
    )
    return tuple(
        AffiliationRecord(
            id=a.id, person_id=a.person_id, person_name=full_name(first, last),
            organisation_id=a.organisation_id, organisation_name=org,
            role=AffiliationRole(a.role), since=a.since, until=a.until)
        for a, first, last, org in rows
    )


def _member_columns(kind: MemberKind):
    if kind is MemberKind.PERSON:
        return Person, Membership.person_id
    return Organisation, Membership.organisation_id


def _status_condition(status: MembershipStatus, m, entity, member_col, year: int):
    if status is MembershipStatus.A_JOUR:
        return and_(m.id.is_not(None), m.paid_cents >= m.fee_cents)
    if status is MembershipStatus.PARTIEL:
        return and_(m.id.is_not(None), m.paid_cents > 0, m.paid_cents < m.fee_cents)
    if status is MembershipStatus.A_RELANCER:
        return and_(m.id.is_not(None), m.paid_cents == 0, m.fee_cents > 0)
    # members of the year before, less those of this year: a semi-join on a few thousand
    # ids, that both planners run from the memberships rather than from every person
    lapsed = (select(member_col).where(Membership.year == year - 1, member_col.is_not(None))
              .except_(select(member_col).where(Membership.year == year,
                                                member_col.is_not(None))))
    return entity.id.in_(lapsed)


class MembersService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _year(self, year: int | None) -> int:
        return year if year is not None else self.ctx.now().astimezone(PARIS).year

    # --- the list ----------------------------------------------------------------------

    def _filtered(self, f: MemberFilter, columns, *, join: bool = True):
        """The SELECT of the filtered list: `columns` from the entity joined with that
        year's membership (aliased m) and its college. `join=False` leaves the join out
        when no filter needs it (the rows are the same: at most one membership per year)."""
        year = self._year(f.year)
        entity, member_col = _member_columns(f.kind)
        m = Membership.__table__.alias("m")
        m_member = m.c.person_id if f.kind is MemberKind.PERSON else m.c.organisation_id
        stmt = select(*columns(entity, m)).select_from(entity)
        on = and_(m_member == entity.id, m.c.year == year)
        if f.college_id is not None or f.members_only or f.status not in (
                None, MembershipStatus.NON_RENOUVELE):
            # only members of that year: the planner may start from the memberships
            stmt = stmt.join(m, on).join(College, College.id == m.c.college_id)
        elif join:
            stmt = stmt.outerjoin(m, on).outerjoin(College, College.id == m.c.college_id)
        if f.kind is MemberKind.PERSON:
            stmt = stmt.where(Person.anonymised.is_(False))
        for term in search_terms(f.query):
            stmt = stmt.where(entity.search_key.like(f"%{escape_like(term)}%", escape="\\"))
        if f.college_id is not None:
            stmt = stmt.where(m.c.college_id == f.college_id)
        if f.members_only:
            stmt = stmt.where(m.c.id.is_not(None))
        if f.status is not None:
            stmt = stmt.where(_status_condition(f.status, m.c, entity, member_col, year))
        if f.legal_form is not None and f.kind is MemberKind.ORGANISATION:
            stmt = stmt.where(Organisation.legal_form == f.legal_form)
        return stmt

    @requires(Area.PEOPLE, Access.READ)
    def count(self, *, filter: MemberFilter) -> int:
        stmt = self._filtered(filter, lambda e, m: (e.id,), join=False)
        with self.ctx.reading() as s:
            return s.scalar(select(func.count()).select_from(stmt.subquery())) or 0

    @requires(Area.PEOPLE, Access.READ)
    def page(self, *, filter: MemberFilter, sort: str = MemberSort.NAME,
             descending: bool = False, offset: int = 0, limit: int = PAGE_SIZE
             ) -> tuple[MemberRow, ...]:
        """Rows `offset` to `offset + limit` of the filtered, sorted list."""
        f = filter
        year = self._year(f.year)
        person = f.kind is MemberKind.PERSON

        def columns(e, m):
            name_cols = (e.first_name, e.last_name) if person else (e.name, e.legal_form, e.siret)
            return (e.id, *name_cols, e.email, e.phone, e.postcode, e.city,
                    College.name.label("college"), m.c.fee_cents, m.c.paid_cents,
                    m.c.id.label("membership_id"))

        entity = Person if person else Organisation
        name_key = entity.sort_key if person else entity.search_key
        order = {
            MemberSort.NAME: [name_key],
            MemberSort.EMAIL: [func.lower(entity.email), name_key],
            MemberSort.CITY: [entity.city_key, name_key],  # accents aside (see db.models)
            MemberSort.POSTCODE: [entity.postcode, name_key],
            MemberSort.CREATED: [entity.created_at],
            MemberSort.COLLEGE: [College.position, name_key],
        }.get(sort)
        if order is None:
            raise ValueError(f"unknown sort {sort!r}")
        # empty values last either way, on both engines (their NULL orders differ)
        order = [(c.desc() if descending else c.asc()).nulls_last() for c in order]
        order.append(entity.id.desc() if descending else entity.id.asc())
        # the page's ids first (through the indexes, without reading the memberships of
        # the rows skipped), then their columns
        page_ids = (self._filtered(f, lambda e, m: (e.id,), join=sort == MemberSort.COLLEGE)
                    .order_by(*order).offset(offset).limit(limit))
        with self.ctx.reading() as s:
            ids = list(s.scalars(page_ids))
            rank = {pid: i for i, pid in enumerate(ids)}
            rows = sorted(s.execute(
                self._filtered(MemberFilter(kind=f.kind, year=f.year), columns)
                .where(entity.id.in_(ids))).all(), key=lambda r: rank[r.id]) if ids else []
            ids = [r.id for r in rows]
            previous = self._members_of_year(s, f.kind, ids, year - 1)
            details: dict[int, list[str]] = {}
            if person and ids:
                for pid, org in s.execute(
                    select(Affiliation.person_id, Organisation.name)
                    .join(Organisation, Organisation.id == Affiliation.organisation_id)
                    .where(Affiliation.person_id.in_(ids)).order_by(Organisation.search_key)
                ):
                    if org not in details.setdefault(pid, []):
                        details[pid].append(org)
        out = []
        for r in rows:
            if person:
                name = full_name(r.first_name, r.last_name)
                detail = ", ".join(details.get(r.id, []))
            else:
                name = r.name
                parts = [LegalForm(r.legal_form).label if r.legal_form else "", r.siret or ""]
                detail = " · ".join(p for p in parts if p)
            fee = r.fee_cents if r.membership_id is not None else None
            out.append(MemberRow(
                kind=f.kind, id=r.id, name=name, email=r.email, phone=r.phone,
                postcode=r.postcode, city=r.city, detail=detail, college=r.college,
                status=membership_status(fee_cents=fee, paid_cents=r.paid_cents or 0,
                                         had_previous_year=r.id in previous),
                fee_cents=fee, paid_cents=r.paid_cents or 0,
            ))
        return tuple(out)

    @staticmethod
    def _members_of_year(s: Session, kind: MemberKind, ids: Sequence[int], year: int) -> set[int]:
        if not ids:
            return set()
        _entity, col = _member_columns(kind)
        return set(s.scalars(select(col).where(col.in_(ids), Membership.year == year)))

    # --- people --------------------------------------------------------------------------

    @requires(Area.PEOPLE, Access.READ)
    def person(self, *, person_id: int) -> PersonDetail:
        with self.ctx.reading() as s:
            p = s.get(Person, person_id)
            if p is None or p.anonymised:
                raise NotFound(_("Cette personne n'existe plus dans la base."))
            return PersonDetail(
                id=p.id, first_name=p.first_name, last_name=p.last_name, email=p.email,
                phone=p.phone, address=p.address, postcode=p.postcode, city=p.city,
                notes=p.notes, consent_date=p.consent_date, member_code=member_code(p.id),
                affiliations=_affiliations(s, Affiliation.person_id == p.id),
            )

    @requires(Area.PEOPLE, Access.WRITE)
    def save_person(self, detail: PersonDetail, *, allow_duplicate: bool = False) -> int:
        """Create (`detail.id` None) or update a person. A record with the same name and
        e-mail as another raises LikelyDuplicate unless `allow_duplicate`."""
        values = clean_person(detail)
        with self.ctx.writing() as s:
            if detail.id is None:
                person = Person(**values)
                s.add(person)
            else:
                person = s.get(Person, detail.id)
                if person is None or person.anonymised:
                    raise NotFound(_("Cette personne n'existe plus dans la base."))
                for k, v in values.items():
                    setattr(person, k, v)
            refresh_person_keys(s, person)
            if not allow_duplicate:
                with s.no_autoflush:  # the record itself is not written yet
                    twins = self._person_twins(s, person.sort_key, person.email, detail.id)
                if twins:
                    raise LikelyDuplicate(ngettext(
                        "Une personne du même nom avec la même adresse e-mail existe déjà.",
                        "{n} personnes du même nom avec la même adresse e-mail existent déjà.",
                        len(twins)).format(n=len(twins)), candidates=tuple(twins))
            s.flush()
            return person.id

    @staticmethod
    def _person_twins(s: Session, sort_key: str, email: str | None, own_id: int | None) -> list[int]:
        if not email:
            return []
        stmt = select(Person.id).where(
            Person.sort_key == sort_key, func.lower(Person.email) == email.lower(),
            Person.anonymised.is_(False))
        if own_id is not None:
            stmt = stmt.where(Person.id != own_id)
        return list(s.scalars(stmt.order_by(Person.id)))

    @requires(Area.PEOPLE, Access.WRITE)
    def delete_person(self, *, person_id: int) -> None:
        """Remove a record entered by mistake. A person with visits, memberships or other
        history is kept: merge it with its twin, or erase it (data protection)."""
        with self.ctx.writing() as s:
            person = s.get(Person, person_id)
            if person is None:
                raise NotFound(_("Cette personne n'existe plus dans la base."))
            if _history(s, "person", person_id, ignore={"person_merge"}):
                raise Conflict(_("Cette fiche a un historique (passages, adhésions…) : "
                                 "fusionnez-la avec son doublon ou effacez-la au titre de la "
                                 "protection des données."), existing_id=person_id)
            s.delete(person)

    # --- organisations -------------------------------------------------------------------

    @requires(Area.PEOPLE, Access.READ)
    def organisation(self, *, organisation_id: int) -> OrganisationDetail:
        with self.ctx.reading() as s:
            o = s.get(Organisation, organisation_id)
            if o is None:
                raise NotFound(_("Cette structure n'existe plus dans la base."))
            return OrganisationDetail(
                id=o.id, name=o.name, legal_form=LegalForm(o.legal_form) if o.legal_form else None,
                siret=o.siret, naf_code=o.naf_code, esus_agrement=o.esus_agrement,
                email=o.email, phone=o.phone, address=o.address, postcode=o.postcode,
                city=o.city, notes=o.notes,
                affiliations=_affiliations(s, Affiliation.organisation_id == o.id),
            )

    @requires(Area.PEOPLE, Access.WRITE)
    def save_organisation(self, detail: OrganisationDetail, *, allow_duplicate: bool = False) -> int:
        values = clean_organisation(detail)
        with self.ctx.writing() as s:
            renamed = False
            if detail.id is None:
                org = Organisation(**values)
                s.add(org)
            else:
                org = s.get(Organisation, detail.id)
                if org is None:
                    raise NotFound(_("Cette structure n'existe plus dans la base."))
                renamed = org.name != values["name"]
                for k, v in values.items():
                    setattr(org, k, v)
            org.search_key = search_key(org.name)
            if not allow_duplicate:
                with s.no_autoflush:
                    twins = self._organisation_twins(s, org.search_key, org.email, org.siret,
                                                     detail.id)
                if twins:
                    raise LikelyDuplicate(ngettext(
                        "Une structure avec le même SIRET, ou le même nom et la même adresse "
                        "e-mail, existe déjà.",
                        "{n} structures avec le même SIRET, ou le même nom et la même adresse "
                        "e-mail, existent déjà.", len(twins)).format(n=len(twins)),
                        candidates=tuple(twins))
            s.flush()
            if renamed:  # the people's search keys carry their organisations' names
                for person in s.scalars(select(Person).join(Affiliation).where(
                        Affiliation.organisation_id == org.id)):
                    refresh_person_keys(s, person)
            return org.id

    @staticmethod
    def _organisation_twins(s: Session, key: str, email: str | None, siret: str | None,
                            own_id: int | None) -> list[int]:
        conditions = []
        if siret:
            conditions.append(Organisation.siret == siret)
        if email:
            conditions.append(and_(Organisation.search_key == key,
                                   func.lower(Organisation.email) == email.lower()))
        if not conditions:
            return []
        stmt = select(Organisation.id).where(or_(*conditions))
        if own_id is not None:
            stmt = stmt.where(Organisation.id != own_id)
        return list(s.scalars(stmt.order_by(Organisation.id)))

    @requires(Area.PEOPLE, Access.WRITE)
    def delete_organisation(self, *, organisation_id: int) -> None:
        with self.ctx.writing() as s:
            org = s.get(Organisation, organisation_id)
            if org is None:
                raise NotFound(_("Cette structure n'existe plus dans la base."))
            if _history(s, "organisation", organisation_id, ignore={"affiliation"}):
                raise Conflict(_("Cette structure a un historique (adhésions…) : fusionnez-la "
                                 "avec son doublon plutôt que de la supprimer."),
                               existing_id=organisation_id)
            people = list(s.scalars(select(Person).join(Affiliation).where(
                Affiliation.organisation_id == organisation_id)))
            s.delete(org)
            s.flush()
            for person in people:
                refresh_person_keys(s, person)

    @requires(Area.PEOPLE, Access.READ)
    def find_organisations(self, *, query: str, limit: int = 30) -> tuple[tuple[int, str], ...]:
        """(id, name) of organisations whose name contains every word of `query`."""
        stmt = select(Organisation.id, Organisation.name)
        for term in search_terms(query):
            stmt = stmt.where(Organisation.search_key.like(f"%{escape_like(term)}%", escape="\\"))
        with self.ctx.reading() as s:
            return tuple((r.id, r.name) for r in s.execute(
                stmt.order_by(Organisation.search_key, Organisation.id).limit(limit)))

    # --- affiliations ----------------------------------------------------------------------

    @requires(Area.PEOPLE, Access.WRITE)
    def add_affiliation(self, *, person_id: int, organisation_id: int, role: AffiliationRole,
                        since: dt.date | None = None, until: dt.date | None = None) -> int:
        if since and until and until < since:
            raise ValidationError(_("La fin du rattachement précède son début."), field="until")
        with self.ctx.writing() as s:
            person = s.get(Person, person_id)
            if person is None or s.get(Organisation, organisation_id) is None:
                raise NotFound(_("Cette personne ou cette structure n'existe plus."))
            existing = s.scalar(select(Affiliation.id).where(
                Affiliation.person_id == person_id, Affiliation.organisation_id == organisation_id,
                Affiliation.role == AffiliationRole(role)))
            if existing is not None:
                raise Conflict(_("Ce rattachement existe déjà."), existing_id=existing)
            a = Affiliation(person_id=person_id, organisation_id=organisation_id,
                            role=AffiliationRole(role), since=since, until=until)
            s.add(a)
            s.flush()
            refresh_person_keys(s, person)
            return a.id

    @requires(Area.PEOPLE, Access.WRITE)
    def remove_affiliation(self, *, affiliation_id: int) -> None:
        with self.ctx.writing() as s:
            a = s.get(Affiliation, affiliation_id)
            if a is None:
                raise NotFound(_("Ce rattachement n'existe plus."))
            person = a.person
            s.delete(a)
            s.flush()
            s.expire(person, ["affiliations"])
            refresh_person_keys(s, person)

    # --- duplicates and merging ------------------------------------------------------------

    @requires(Area.PEOPLE, Access.READ)
    def duplicates(self, *, kind: MemberKind, limit: int = 500) -> tuple[DuplicateGroup, ...]:
        """Groups of records that look like the same person (same normalised name and
        e-mail) or organisation (same SIRET, or same name and e-mail)."""
        groups: list[DuplicateGroup] = []
        with self.ctx.reading() as s:
            if kind is MemberKind.PERSON:
                keys = s.execute(
                    select(Person.sort_key, func.lower(Person.email))
                    .where(Person.email.is_not(None), Person.anonymised.is_(False))
                    .group_by(Person.sort_key, func.lower(Person.email))
                    .having(func.count() > 1).limit(limit)).all()
                for key, email in keys:
                    rows = s.execute(select(Person.id, Person.first_name, Person.last_name).where(
                        Person.sort_key == key, func.lower(Person.email) == email,
                        Person.anonymised.is_(False)).order_by(Person.id)).all()
                    groups.append(DuplicateGroup(
                        kind=kind, reason=_("même nom et même e-mail ({email})").format(email=email),
                        ids=tuple(r.id for r in rows),
                        names=tuple(full_name(r.first_name, r.last_name) for r in rows)))
            else:
                seen: set[tuple[int, ...]] = set()
                for siret in s.scalars(
                        select(Organisation.siret).where(Organisation.siret.is_not(None))
                        .group_by(Organisation.siret).having(func.count() > 1).limit(limit)):
                    rows = s.execute(select(Organisation.id, Organisation.name).where(
                        Organisation.siret == siret).order_by(Organisation.id)).all()
                    ids = tuple(r.id for r in rows)
                    seen.add(ids)
                    groups.append(DuplicateGroup(
                        kind=kind, reason=_("même SIRET ({siret})").format(siret=siret),
                        ids=ids, names=tuple(r.name for r in rows)))
                for key, email in s.execute(
                        select(Organisation.search_key, func.lower(Organisation.email))
                        .where(Organisation.email.is_not(None))
                        .group_by(Organisation.search_key, func.lower(Organisation.email))
                        .having(func.count() > 1).limit(limit)):
                    rows = s.execute(select(Organisation.id, Organisation.name).where(
                        Organisation.search_key == key, func.lower(Organisation.email) == email
                    ).order_by(Organisation.id)).all()
                    ids = tuple(r.id for r in rows)
                    if ids not in seen:
                        groups.append(DuplicateGroup(
                            kind=kind,
                            reason=_("même nom et même e-mail ({email})").format(email=email),
                            ids=ids, names=tuple(r.name for r in rows)))
        return tuple(groups)

    @requires(Area.MEMBERSHIP, Access.READ)
    def merge_preview(self, *, kind: MemberKind, keep_id: int, remove_id: int) -> MergePreview:
        with self.ctx.reading() as s:
            return _merge(s, kind, keep_id, remove_id, apply=False, now=self.ctx.now())

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def merge(self, *, kind: MemberKind, keep_id: int, remove_id: int) -> MergePreview:
        """Merge `remove_id` into `keep_id`: every visit, membership, payment, share, link
        and later area's record of the removed one moves to the kept one; its empty fields
        are filled from the removed one; the removed record is deleted."""
        with self.ctx.writing() as s:
            return _merge(s, kind, keep_id, remove_id, apply=True, now=self.ctx.now())


# --- history and merge, generic over every table that points at a person or organisation ----


def _references(target: str) -> list[tuple[object, object]]:
    """(table, column) of every foreign key to `target`.id, in every area's tables."""
    out = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == target and fk.column.name == "id":
                out.append((table, fk.parent))
    return out


def _history(s: Session, target: str, record_id: int, ignore: set[str] = frozenset()) -> bool:
    for table, col in _references(target):
        if table.name in ignore:
            continue
        if s.execute(select(col).where(col == record_id).limit(1)).first() is not None:
            return True
    return False


_AREA_LABELS = {
    "person_merge": lambda: _("Codes de membre de fiches déjà fusionnées"),
    "visit": lambda: _("Passages à l'accueil"),
    "affiliation": lambda: _("Rattachements"),
    "membership": lambda: _("Adhésions"),
    "share_subscription": lambda: _("Souscriptions de parts sociales"),
}

_PERSON_FIELDS = {
    "first_name": lambda: _("prénom"), "email": lambda: _("e-mail"),
    "phone": lambda: _("téléphone"), "address": lambda: _("adresse"),
    "postcode": lambda: _("code postal"), "city": lambda: _("ville"),
    "notes": lambda: _("notes"), "consent_date": lambda: _("date de consentement"),
}
_ORGANISATION_FIELDS = {
    "legal_form": lambda: _("forme juridique"), "siret": lambda: _("SIRET"),
    "naf_code": lambda: _("code NAF"), "email": lambda: _("e-mail"),
    "phone": lambda: _("téléphone"), "address": lambda: _("adresse"),
    "postcode": lambda: _("code postal"), "city": lambda: _("ville"),
    "notes": lambda: _("notes"),
}


def _merge(s: Session, kind: MemberKind, keep_id: int, remove_id: int, *, apply: bool,
           now: dt.datetime) -> MergePreview:
    person = kind is MemberKind.PERSON
    model = Person if person else Organisation
    if keep_id == remove_id:
        raise ValidationError(_("Choisissez deux fiches différentes."), field="remove")
    keep, remove = s.get(model, keep_id), s.get(model, remove_id)
    if keep is None or remove is None:
        raise NotFound(_("Une des deux fiches n'existe plus dans la base."))
    name = (lambda r: full_name(r.first_name, r.last_name)) if person else (lambda r: r.name)
    fields = _PERSON_FIELDS if person else _ORGANISATION_FIELDS
    filled = [f for f in fields if getattr(keep, f) in (None, "") and getattr(remove, f) not in (None, "")]
    member_col = Membership.person_id if person else Membership.organisation_id
    joined = sorted(set(s.scalars(select(Membership.year).where(member_col == keep_id)))
                    & set(s.scalars(select(Membership.year).where(member_col == remove_id))))
    moved: list[tuple[str, int]] = []
    target = model.__tablename__
    for table, col in _references(target):
        n = s.scalar(select(func.count()).select_from(table).where(col == remove_id)) or 0
        if n:
            label = _AREA_LABELS.get(table.name, lambda t=table.name: t)()
            if table.name == "visit" and col.name == "host_person_id":
                label = _("Passages où la personne était visitée")
            moved.append((label, n))
    preview = MergePreview(
        kind=kind, keep_id=keep_id, keep_name=name(keep), remove_id=remove_id,
        remove_name=name(remove), moved=tuple(moved),
        filled_fields=tuple(fields[f]() for f in filled), joined_years=tuple(joined))
    if not apply:
        return preview

    # memberships of the same year: the payments join the kept one, the fee is the higher
    for year in joined:
        kept_m = s.scalar(select(Membership).where(member_col == keep_id, Membership.year == year))
        gone_m = s.scalar(select(Membership).where(member_col == remove_id, Membership.year == year))
        s.execute(update(Payment).where(Payment.membership_id == gone_m.id)
                  .values(membership_id=kept_m.id))
        kept_m.paid_cents += gone_m.paid_cents
        kept_m.fee_cents = max(kept_m.fee_cents, gone_m.fee_cents)
        if gone_m.notes:
            kept_m.notes = "\n".join(n for n in (kept_m.notes, gone_m.notes) if n)
        s.delete(gone_m)
    # links already held by the kept record
    other = Affiliation.organisation_id if person else Affiliation.person_id
    own = Affiliation.person_id if person else Affiliation.organisation_id
    kept_links = select(other, Affiliation.role).where(own == keep_id)
    for a in s.scalars(select(Affiliation).where(own == remove_id)):
        if (getattr(a, other.key), a.role) in {tuple(r) for r in s.execute(kept_links)}:
            s.delete(a)
    # one open visit per person: if both are in the building, the removed one leaves
    if person and s.scalar(select(Visit.id).where(Visit.person_id == keep_id,
                                                  Visit.left_at.is_(None))):
        for v in s.scalars(select(Visit).where(Visit.person_id == remove_id,
                                               Visit.left_at.is_(None))):
            v.left_at = max(now, v.arrived_at)
    for f in filled:
        setattr(keep, f, getattr(remove, f))
    s.flush()
    for table, col in _references(target):
        s.execute(update(table).where(col == remove_id).values({col.name: keep_id}))
    s.expire(keep, ["affiliations"])
    s.execute(delete(model).where(model.id == remove_id))
    if person:  # the removed record's member code (a badge) now finds the kept one
        s.add(PersonMerge(old_id=remove_id, kept_id=keep_id, merged_at=now))
    audit.record(s, action="merge", entity=target, entity_id=str(keep_id),
                 summary=f"fiche {remove_id} fusionnée dans {keep_id} : "
                 + "; ".join(preview.lines()))
    if person:
        refresh_person_keys(s, s.get(Person, keep_id))
    else:
        for p in s.scalars(select(Person).join(Affiliation).where(
                Affiliation.organisation_id == keep_id)):
            refresh_person_keys(s, p)
    return preview
