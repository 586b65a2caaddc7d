"""The front desk: check-in and check-out of people and walk-in visitors, who is in the
building, today's comings and goings, and the evacuation list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maison_app.db.models import Affiliation, Organisation, Person, PersonMerge, Visit
from maison_app.domain.enums import DocumentKind, VisitPurpose
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.members import parse_member_code
from maison_app.domain.records import DayCounts, DocumentRecord, ReceptionDay, VisitRecord
from maison_app.domain.text import full_name
from maison_app.domain.validation import check_length, check_required
from maison_app.i18n import PARIS, _, format_time
from maison_app.services.context import ServiceContext
from maison_app.services.documents import DocumentService
from maison_app.services.settings import SettingsService
from maison_app.services.workshops import forget_check_in_attendance
from maison_app.domain.permissions import Access, Area
from maison_app.services.permissions import requires


def paris_day_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (UTC) of the Paris calendar day containing `moment`."""
    day = moment.astimezone(PARIS).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=PARIS)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=PARIS)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _purpose(value: VisitPurpose | str) -> VisitPurpose:
    try:
        return VisitPurpose(value)
    except ValueError as exc:
        raise ValidationError(_("Choisissez le motif de la visite."), field="purpose") from exc


def _visit(s: Session, visit_id: int) -> Visit:
    visit = s.get(Visit, visit_id)
    if visit is None:
        raise NotFound(_("Ce passage n'existe plus (il a peut-être été annulé par un autre poste)."))
    return visit


class ReceptionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- writes -------------------------------------------------------------------------

    @requires(Area.RECEPTION, Access.WRITE)
    def check_in(
        self, *, person_id: int, purpose: VisitPurpose = VisitPurpose.COWORKING,
        host_name: str | None = None,
    ) -> VisitRecord:
        """Record the arrival of a known person. Refused (Conflict naming the open visit)
        when the person is already in the building."""
        now = self.ctx.now()
        try:
            with self.ctx.writing() as s:
                person = s.get(Person, person_id)
                if person is None or person.anonymised:
                    raise NotFound(_("Cette personne n'existe plus dans la base."))
                open_visit = s.scalar(
                    select(Visit).where(Visit.person_id == person_id, Visit.left_at.is_(None))
                )
                if open_visit is not None:
                    raise self._already_in(person, open_visit)
                visit = Visit(
                    person_id=person_id, purpose=_purpose(purpose), arrived_at=now,
                    host_name=check_length(host_name, field="host", maximum=200),
                    checked_in_by=self.ctx.actor.login,
                )
                s.add(visit)
                s.flush()
                return self._records(s, [visit])[0]
        except IntegrityError as exc:
            # Another desk checked the same person in between our check and our insert.
            with self.ctx.reading() as s:
                person = s.get(Person, person_id)
                open_visit = s.scalar(
                    select(Visit).where(Visit.person_id == person_id, Visit.left_at.is_(None))
                )
                if person is not None and open_visit is not None:
                    raise self._already_in(person, open_visit) from exc
            raise

    @requires(Area.RECEPTION, Access.WRITE)
    def check_in_by_code(self, *, code: str, purpose: VisitPurpose = VisitPurpose.COWORKING
                         ) -> VisitRecord:
        """Check in the member whose badge code was typed or scanned ("ESS0001234"+key)."""
        person_id = parse_member_code(code)
        if person_id is None:
            raise ValidationError(_("« {code} » n'est pas un code de membre valide.").format(
                code=code.strip()), field="code")
        with self.ctx.reading() as s:
            person = s.get(Person, person_id)
            if person is None:  # a duplicate merged into another record: that one
                merged = s.get(PersonMerge, person_id)
                if merged is not None:
                    person_id = merged.kept_id
                    person = s.get(Person, person_id)
            if person is None or person.anonymised:
                raise NotFound(_("Aucun membre ne porte le code {code}.").format(
                    code=code.strip().upper()))
        return self.check_in(person_id=person_id, purpose=purpose)

    @staticmethod
    def _already_in(person: Person, visit: Visit) -> Conflict:
        return Conflict(
            _("{name} est déjà dans la maison (arrivée à {time}). "
              "Voulez-vous pointer sa sortie ?").format(
                name=full_name(person.first_name, person.last_name),
                time=format_time(visit.arrived_at),
            ),
            existing_id=visit.id,
        )

    @requires(Area.RECEPTION, Access.WRITE)
    def register_visitor(
        self, *, name: str, organisation: str | None = None,
        purpose: VisitPurpose = VisitPurpose.RENDEZ_VOUS,
        host_name: str | None = None, host_person_id: int | None = None,
    ) -> VisitRecord:
        """A walk-in visitor: recorded as a visit only, never as a member."""
        name = check_required(name, field="name", message=_("Indiquez le nom du visiteur."))
        if len(name) > 200:
            raise ValidationError(_("Le nom est trop long (200 caractères au plus)."), field="name")
        organisation = check_length(organisation, field="organisation", maximum=200)
        host_name = check_length(host_name, field="host", maximum=200)
        purpose = _purpose(purpose)
        with self.ctx.writing() as s:
            if host_person_id is not None:
                host = s.get(Person, host_person_id)
                if host is None:
                    raise NotFound(_("La personne visitée n'existe plus dans la base."))
                host_name = host_name or full_name(host.first_name, host.last_name)
            visit = Visit(
                visitor_name=name, visitor_organisation=organisation, purpose=purpose,
                host_person_id=host_person_id, host_name=host_name,
                arrived_at=self.ctx.now(), checked_in_by=self.ctx.actor.login,
            )
            s.add(visit)
            s.flush()
            return self._records(s, [visit])[0]

    @requires(Area.RECEPTION, Access.WRITE)
    def check_out(self, *, visit_id: int) -> VisitRecord:
        with self.ctx.writing() as s:
            visit = _visit(s, visit_id)
            if visit.left_at is not None:
                raise Conflict(
                    _("Sortie déjà pointée à {time}.").format(time=format_time(visit.left_at)),
                    existing_id=visit.id,
                )
            visit.left_at = max(self.ctx.now(), visit.arrived_at)
            s.flush()
            return self._records(s, [visit])[0]

    @requires(Area.RECEPTION, Access.WRITE)
    def cancel_check_in(self, *, visit_id: int) -> int:
        """Undo a check-in made by mistake: the visit is removed, as if never recorded, and
        so is the workshop presence the check-in noted (see WorkshopsService.
        check_in_attendance); how many such presences were removed. Only an open visit can
        be cancelled; a finished one is history."""
        with self.ctx.writing() as s:
            visit = _visit(s, visit_id)
            if visit.left_at is not None:
                raise Conflict(
                    _("Ce passage est terminé : il ne peut plus être annulé."), existing_id=visit.id
                )
            removed = 0
            if visit.person_id is not None:
                removed = forget_check_in_attendance(s, visit.person_id, visit.arrived_at)
            s.delete(visit)
            return removed

    @requires(Area.RECEPTION, Access.WRITE)
    def undo_check_out(self, *, visit_id: int) -> VisitRecord:
        """Undo a check-out made by mistake: the person is in the building again."""
        try:
            with self.ctx.writing() as s:
                visit = _visit(s, visit_id)
                if visit.left_at is None:
                    return self._records(s, [visit])[0]
                if visit.person_id is not None:
                    other = s.scalar(
                        select(Visit.id).where(
                            Visit.person_id == visit.person_id, Visit.left_at.is_(None)
                        )
                    )
                    if other is not None:
                        raise Conflict(
                            _("Cette personne a déjà été pointée à nouveau à l'arrivée."),
                            existing_id=other,
                        )
                visit.left_at = None
                s.flush()
                return self._records(s, [visit])[0]
        except IntegrityError as exc:
            with self.ctx.reading() as s:
                visit = s.get(Visit, visit_id)
                other = s.scalar(
                    select(Visit.id).where(
                        Visit.person_id == visit.person_id, Visit.left_at.is_(None)
                    )
                ) if visit is not None else None
            raise Conflict(_("Cette personne a déjà été pointée à nouveau à l'arrivée."),
                           existing_id=other) from exc

    @requires(Area.RECEPTION, Access.WRITE)
    def check_out_all(self) -> int:
        """Closing time: everyone still in is checked out now. Returns how many."""
        now = self.ctx.now()
        with self.ctx.writing() as s:
            result = s.execute(
                update(Visit)
                .where(Visit.left_at.is_(None))
                # a visit stamped by a desk whose clock runs ahead never ends before it began
                .values(left_at=case((Visit.arrived_at > now, Visit.arrived_at), else_=now))
            )
            return result.rowcount or 0

    # --- reads --------------------------------------------------------------------------

    @requires(Area.RECEPTION, Access.READ)
    def present(self) -> tuple[VisitRecord, ...]:
        with self.ctx.reading() as s:
            visits = s.scalars(
                select(Visit).where(Visit.left_at.is_(None)).order_by(Visit.arrived_at, Visit.id)
            ).all()
            return tuple(self._records(s, visits))

    @requires(Area.RECEPTION, Access.READ)
    def day(self) -> ReceptionDay:
        """Who is in now, and today's arrivals and departures (Paris day) with counts."""
        start, end = paris_day_bounds(self.ctx.now())
        with self.ctx.reading() as s:
            present = s.scalars(
                select(Visit).where(Visit.left_at.is_(None)).order_by(Visit.arrived_at, Visit.id)
            ).all()
            today = s.scalars(
                select(Visit)
                .where(
                    or_(
                        (Visit.arrived_at >= start) & (Visit.arrived_at < end),
                        (Visit.left_at >= start) & (Visit.left_at < end),
                    )
                )
                .order_by(Visit.arrived_at.desc(), Visit.id.desc())
            ).all()
            arrivals = s.scalar(
                select(func.count()).select_from(Visit).where(
                    Visit.arrived_at >= start, Visit.arrived_at < end
                )
            )
            departures = s.scalar(
                select(func.count()).select_from(Visit).where(
                    Visit.left_at >= start, Visit.left_at < end
                )
            )
            records = self._records(s, list(present) + list(today))
        return ReceptionDay(
            present=tuple(records[: len(present)]),
            today=tuple(records[len(present):]),
            counts=DayCounts(arrivals=arrivals or 0, departures=departures or 0, present=len(present)),
        )

    @requires(Area.RECEPTION, Access.READ)
    def presence_list(self) -> tuple[DocumentRecord, bytes]:
        """The evacuation list: everyone in the building now, as an archived PDF."""
        from maison_app.documents import presence_list

        visits = self.present()
        identity = SettingsService(self.ctx).identity()
        documents = DocumentService(self.ctx)
        now = self.ctx.now()
        return documents.issue(
            kind=DocumentKind.LISTE_PRESENTS,
            subject=presence_list.count_label(len(visits)),
            render=lambda number: presence_list.render(
                identity=identity, visits=visits, generated_at=now, number=number,
                author=self.ctx.actor.login,
            ),
        )

    # --- helpers ------------------------------------------------------------------------

    def _records(self, s: Session, visits: list[Visit]) -> list[VisitRecord]:
        person_ids = {v.person_id for v in visits if v.person_id is not None}
        people: dict[int, Person] = {}
        orgs: dict[int, list[str]] = {}
        if person_ids:
            people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(person_ids)))}
            for pid, name in s.execute(
                select(Affiliation.person_id, Organisation.name)
                .join(Organisation, Organisation.id == Affiliation.organisation_id)
                .where(Affiliation.person_id.in_(person_ids))
                .order_by(Organisation.name)
            ):
                orgs.setdefault(pid, []).append(name)
        out = []
        for v in visits:
            if v.person_id is not None:
                p = people.get(v.person_id)
                name = full_name(p.first_name, p.last_name) if p else _("(personne supprimée)")
                organisation = ", ".join(dict.fromkeys(orgs.get(v.person_id, []))) or None
            else:
                name = v.visitor_name or ""
                organisation = v.visitor_organisation
            out.append(
                VisitRecord(
                    id=v.id, person_id=v.person_id, name=name, organisation=organisation,
                    purpose=VisitPurpose(v.purpose), host=v.host_name, arrived_at=v.arrived_at,
                    left_at=v.left_at, is_walk_in=v.person_id is None,
                )
            )
        return out


