"""Programmes and accompanied projects: holders, stages, follow-up meetings, exits and their
outcome, and the alerts of the incubator manager (stay limit near, no follow-up for 60 days).

A house follows a few hundred projects, not a hundred thousand: lists are read in one pass
(projects, then their holders) and the accent-free search runs in Python over the project's
name, its holders' names and its organisation's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maison_app.db.hosting import (
    FollowUp,
    HostingAgreement,
    Programme,
    Project,
    ProjectHolder,
)
from maison_app.db.models import Organisation, Person
from maison_app.domain.enums import ProjectOutcome, ProjectStage
from maison_app.domain.errors import NotFound, ValidationError
from maison_app.domain.hosting import (
    FollowUpRecord,
    Holder,
    ProgrammeRecord,
    ProjectAlert,
    ProjectRecord,
    follow_up_overdue,
    stay_alert,
)
from maison_app.domain.permissions import Access, Area
from maison_app.domain.text import full_name, search_key, search_terms
from maison_app.i18n import _, format_date, ngettext, to_paris
from maison_app.services.context import ServiceContext
from maison_app.services.permissions import requires
from maison_app.services.privacy import PersonalDataArea, register

MAX_PROGRAMME_MONTHS = 120
FOLLOW_UP_HORIZON_DAYS = 365  # a meeting may be planned up to a year ahead


def _programme_record(p: Programme) -> ProgrammeRecord:
    return ProgrammeRecord(id=p.id, name=p.name, max_months=p.max_months,
                           description=p.description or "", active=p.active)


def _follow_up_record(f: FollowUp) -> FollowUpRecord:
    return FollowUpRecord(id=f.id, project_id=f.project_id, date=f.date, topic=f.topic,
                          notes=f.notes or "", next_steps=f.next_steps or "",
                          author=f.author or "")


def _holders(s: Session, project_ids: Iterable[int]) -> dict[int, list[Holder]]:
    ids = list(project_ids)
    out: dict[int, list[Holder]] = {pid: [] for pid in ids}
    if not ids:
        return out
    rows = s.execute(
        select(ProjectHolder.project_id, Person.id, Person.first_name, Person.last_name)
        .join(Person, Person.id == ProjectHolder.person_id)
        .where(ProjectHolder.project_id.in_(ids))
        .order_by(Person.sort_key, Person.id))
    for project_id, person_id, first, last in rows:
        out[project_id].append(Holder(person_id=person_id, name=full_name(first, last)))
    return out


def _project_records(s: Session, *where) -> list[ProjectRecord]:
    """The projects matching `where`, with their programme, organisation, holders and latest
    follow-up meeting, in two queries."""
    last_meeting = (select(FollowUp.project_id, func.max(FollowUp.date).label("last"))
                    .group_by(FollowUp.project_id).subquery())
    rows = s.execute(
        select(Project, Programme.name, Programme.max_months, Organisation.name,
               last_meeting.c.last)
        .join(Programme, Programme.id == Project.programme_id)
        .outerjoin(Organisation, Organisation.id == Project.organisation_id)
        .outerjoin(last_meeting, last_meeting.c.project_id == Project.id)
        .where(*where)).all()
    holders = _holders(s, (p.id for p, *_rest in rows))
    return [ProjectRecord(
        id=p.id, name=p.name, programme_id=p.programme_id, programme_name=programme,
        stage=ProjectStage(p.stage), referent=p.referent or "", entry_date=p.entry_date,
        exit_date=p.exit_date, outcome=ProjectOutcome(p.outcome) if p.outcome else None,
        jobs_fte_hundredths=p.jobs_fte_hundredths, organisation_id=p.organisation_id,
        organisation_name=organisation or "", holders=tuple(holders[p.id]),
        description=p.description or "", notes=p.notes, last_follow_up=last,
        max_months=max_months)
        for p, programme, max_months, organisation, last in rows]


def _text(value: str | None, *, field: str, maximum: int) -> str:
    text = (value or "").strip()
    if len(text) > maximum:
        raise ValidationError(
            _("Ce champ est trop long ({n} caractères au plus).").format(n=maximum), field=field)
    return text


def _months(n: int) -> str:
    return ngettext("{n} mois", "{n} mois", n).format(n=n)


class ProjectsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> dt.date:
        return to_paris(self.ctx.now()).date()

    # --- programmes --------------------------------------------------------------------------

    @requires(Area.PROJECTS, Access.READ)
    def programmes(self, *, include_inactive: bool = True) -> tuple[ProgrammeRecord, ...]:
        stmt = select(Programme)
        if not include_inactive:
            stmt = stmt.where(Programme.active.is_(True))
        with self.ctx.reading() as s:
            rows = sorted(s.scalars(stmt),
                          key=lambda p: (p.position, search_key(p.name), p.id))
            return tuple(_programme_record(p) for p in rows)

    @requires(Area.SETTINGS, Access.WRITE)
    def save_programme(self, record: ProgrammeRecord) -> int:
        """Create (`record.id` None, placed last) or update a programme."""
        name = (record.name or "").strip()
        if not name:
            raise ValidationError(_("Le nom du programme est obligatoire."), field="name")
        if len(name) > 100:
            raise ValidationError(_("Ce nom est trop long (100 caractères au plus)."),
                                  field="name")
        months = record.max_months
        if months is not None and not 1 <= months <= MAX_PROGRAMME_MONTHS:
            raise ValidationError(
                _("La durée maximale se compte en mois, de 1 à {n} ; laissez-la vide s'il n'y a "
                  "pas de limite.").format(n=MAX_PROGRAMME_MONTHS), field="max_months")
        try:
            with self.ctx.writing() as s:
                # compared without case or accents ("pepiniere" is "Pépinière")
                clash = next((pid for pid, other in s.execute(select(Programme.id, Programme.name))
                              if search_key(other) == search_key(name)), None)
                if clash is not None and clash != record.id:
                    raise ValidationError(_("Un programme porte déjà ce nom."), field="name")
                if record.id is None:
                    last = s.scalar(select(func.max(Programme.position)))
                    programme = Programme(position=0 if last is None else last + 1)
                    s.add(programme)
                else:
                    programme = s.get(Programme, record.id)
                    if programme is None:
                        raise NotFound(_("Ce programme n'existe plus."))
                programme.name, programme.max_months = name, months
                programme.description = (record.description or "").strip()
                programme.active = bool(record.active)
                s.flush()
                return programme.id
        except IntegrityError:  # another desk took the name at the same moment
            raise ValidationError(_("Un programme porte déjà ce nom."), field="name") from None

    # --- projects ----------------------------------------------------------------------------

    @requires(Area.PROJECTS, Access.READ)
    def projects(self, *, query: str = "", programme_id: int | None = None,
                 stage: ProjectStage | None = None, active_only: bool = True
                 ) -> tuple[ProjectRecord, ...]:
        """Projects by name (accents ignored); `query` looks in the project's name, its
        holders' names and its organisation's name, every word somewhere."""
        where = []
        if programme_id is not None:
            where.append(Project.programme_id == programme_id)
        if stage is not None:
            where.append(Project.stage == ProjectStage(stage))
        if active_only:
            where.append(Project.exit_date.is_(None))
        with self.ctx.reading() as s:
            records = _project_records(s, *where)
        terms = search_terms(query or "")
        if terms:
            def matches(r: ProjectRecord) -> bool:
                key = search_key(r.name, r.organisation_name, *(h.name for h in r.holders))
                return all(t in key for t in terms)
            records = [r for r in records if matches(r)]
        records.sort(key=lambda r: (search_key(r.name), r.id))
        return tuple(records)

    @requires(Area.PROJECTS, Access.READ)
    def project(self, *, project_id: int) -> ProjectRecord:
        with self.ctx.reading() as s:
            found = _project_records(s, Project.id == project_id)
        if not found:
            raise NotFound(_("Ce projet n'existe plus."))
        return found[0]

    @requires(Area.PROJECTS, Access.WRITE)
    def save_project(self, record: ProjectRecord) -> int:
        """Create (`record.id` None) or update a project; its holders become exactly the
        record's. A project with an exit date is at the stage « Sortie »."""
        name = (record.name or "").strip()
        if not name:
            raise ValidationError(_("Le nom du projet est obligatoire."), field="name")
        if len(name) > 200:
            raise ValidationError(_("Ce nom est trop long (200 caractères au plus)."),
                                  field="name")
        referent = _text(record.referent, field="referent", maximum=100)
        stage = ProjectStage(record.stage)
        today = self._today()
        entry, exit_ = record.entry_date, record.exit_date
        if entry is None:
            raise ValidationError(_("Indiquez la date d'entrée dans le programme."),
                                  field="entry_date")
        if exit_ is not None:
            if exit_ < entry:
                raise ValidationError(
                    _("La date de sortie ({exit}) précède la date d'entrée ({entry}).").format(
                        exit=format_date(exit_), entry=format_date(entry)), field="exit_date")
            if exit_ > today:
                raise ValidationError(
                    _("La date de sortie ne peut pas être dans le futur : enregistrez la sortie "
                      "le jour où le projet quitte le programme."), field="exit_date")
            stage = ProjectStage.SORTIE
        elif stage is ProjectStage.SORTIE:
            raise ValidationError(_("Un projet sorti a une date de sortie : indiquez-la."),
                                  field="exit_date")
        outcome = ProjectOutcome(record.outcome) if record.outcome is not None else None
        if outcome is not None and exit_ is None:
            raise ValidationError(
                _("L'issue du projet se renseigne avec sa date de sortie."), field="outcome")
        jobs = record.jobs_fte_hundredths
        if jobs is not None:
            if jobs < 0:
                raise ValidationError(_("Le nombre d'emplois créés ne peut pas être négatif."),
                                      field="jobs_fte_hundredths")
            if exit_ is None:
                raise ValidationError(
                    _("Les emplois créés se comptent à la sortie : indiquez d'abord la date de "
                      "sortie."), field="jobs_fte_hundredths")
        holder_ids = list(dict.fromkeys(h.person_id for h in record.holders))

        with self.ctx.writing() as s:
            project = None
            if record.id is not None:
                project = s.get(Project, record.id)
                if project is None:
                    raise NotFound(_("Ce projet n'existe plus."))
            programme = s.get(Programme, record.programme_id) if record.programme_id else None
            if programme is None:
                raise ValidationError(_("Choisissez le programme du projet."),
                                      field="programme_id")
            moved = project is None or project.programme_id != programme.id
            if moved and not programme.active:
                raise ValidationError(
                    _("Le programme « {name} » n'est plus proposé : choisissez-en un autre.")
                    .format(name=programme.name), field="programme_id")
            if record.organisation_id is not None \
                    and s.get(Organisation, record.organisation_id) is None:
                raise NotFound(_("Cette structure n'existe plus dans la base."))
            names = {h.person_id: h.name for h in record.holders}
            for pid in holder_ids:
                person = s.get(Person, pid)
                if person is None or person.anonymised:
                    who = names.get(pid) or _("Un porteur du projet")
                    raise NotFound(_("{who} n'existe plus dans la base.").format(who=who))

            if project is None:
                project = Project()
                s.add(project)
            project.name, project.programme_id, project.stage = name, programme.id, stage
            project.referent, project.entry_date, project.exit_date = referent, entry, exit_
            project.outcome, project.jobs_fte_hundredths = outcome, jobs
            project.organisation_id = record.organisation_id
            project.description = (record.description or "").strip()
            project.notes = (record.notes or "").strip() or None
            s.flush()

            current = {h.person_id: h for h in s.scalars(
                select(ProjectHolder).where(ProjectHolder.project_id == project.id))}
            for pid, row in current.items():
                if pid not in holder_ids:
                    s.delete(row)
            for pid in holder_ids:
                if pid not in current:
                    s.add(ProjectHolder(project_id=project.id, person_id=pid))
            s.flush()
            return project.id

    @requires(Area.PROJECTS, Access.WRITE)
    def delete_project(self, *, project_id: int) -> None:
        """Delete a project entered by mistake, with its holders and follow-up meetings. A
        project a hosting agreement names stays: record its exit instead."""
        with self.ctx.writing() as s:
            project = s.get(Project, project_id)
            if project is None:
                raise NotFound(_("Ce projet n'existe plus."))
            numbers = list(s.scalars(select(HostingAgreement.number)
                                     .where(HostingAgreement.project_id == project_id)
                                     .order_by(HostingAgreement.number)))
            if numbers:
                raise ValidationError(ngettext(
                    "Ce projet figure sur la convention d'hébergement {numbers} : il ne peut pas "
                    "être supprimé. Enregistrez plutôt sa sortie.",
                    "Ce projet figure sur {n} conventions d'hébergement ({numbers}) : il ne peut "
                    "pas être supprimé. Enregistrez plutôt sa sortie.",
                    len(numbers)).format(n=len(numbers), numbers=", ".join(numbers)),
                    field="project")
            for model in (ProjectHolder, FollowUp):  # one audit entry each
                for row in s.scalars(select(model).where(model.project_id == project_id)):
                    s.delete(row)
            s.flush()
            s.delete(project)

    # --- follow-up meetings ------------------------------------------------------------------

    @requires(Area.PROJECTS, Access.READ)
    def follow_ups(self, *, project_id: int) -> tuple[FollowUpRecord, ...]:
        """The project's follow-up meetings, latest first."""
        with self.ctx.reading() as s:
            if s.get(Project, project_id) is None:
                raise NotFound(_("Ce projet n'existe plus."))
            return tuple(_follow_up_record(f) for f in s.scalars(
                select(FollowUp).where(FollowUp.project_id == project_id)
                .order_by(FollowUp.date.desc(), FollowUp.id.desc())))

    @requires(Area.PROJECTS, Access.WRITE)
    def save_follow_up(self, record: FollowUpRecord) -> int:
        """Create (`record.id` None, signed by whoever is logged in) or update a meeting."""
        if record.date is None:
            raise ValidationError(_("Indiquez la date du rendez-vous."), field="date")
        horizon = self._today() + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)
        if record.date > horizon:
            raise ValidationError(
                _("Un rendez-vous se prévoit au plus un an à l'avance (jusqu'au {date}).")
                .format(date=format_date(horizon)), field="date")
        topic = (record.topic or "").strip()
        if not topic:
            raise ValidationError(_("Indiquez le sujet du rendez-vous."), field="topic")
        if len(topic) > 200:
            raise ValidationError(_("Ce sujet est trop long (200 caractères au plus)."),
                                  field="topic")
        with self.ctx.writing() as s:
            if record.id is None:
                if s.get(Project, record.project_id) is None:
                    raise NotFound(_("Ce projet n'existe plus."))
                row = FollowUp(project_id=record.project_id,
                               author=(self.ctx.actor.login or "")[:100])
                s.add(row)
            else:
                row = s.get(FollowUp, record.id)
                if row is None:
                    raise NotFound(_("Ce rendez-vous de suivi n'existe plus."))
            row.date, row.topic = record.date, topic
            row.notes = (record.notes or "").strip()
            row.next_steps = (record.next_steps or "").strip()
            s.flush()
            return row.id

    @requires(Area.PROJECTS, Access.WRITE)
    def delete_follow_up(self, *, follow_up_id: int) -> None:
        with self.ctx.writing() as s:
            row = s.get(FollowUp, follow_up_id)
            if row is None:
                raise NotFound(_("Ce rendez-vous de suivi n'existe plus."))
            s.delete(row)

    # --- alerts ------------------------------------------------------------------------------

    @requires(Area.PROJECTS, Access.READ)
    def alerts(self) -> tuple[ProjectAlert, ...]:
        """Active projects near or past their programme's longest stay, and those without a
        follow-up meeting for 60 days (counted from their entry when never followed)."""
        today = self._today()
        with self.ctx.reading() as s:
            records = _project_records(s, Project.exit_date.is_(None))
        alerts: list[tuple[dt.date, ProjectAlert]] = []
        for r in records:
            if stay_alert(r, today):
                limit = r.stay_limit
                values = {"name": r.name, "programme": r.programme_name,
                          "months": _months(r.max_months)}
                if limit < today:
                    message = _("{name} : la durée maximale en {programme} ({months}) est "
                                "dépassée depuis le {date}").format(
                        date=format_date(limit + dt.timedelta(days=1)), **values)
                else:
                    message = _("{name} : la durée maximale en {programme} ({months}) se "
                                "termine le {date}").format(date=format_date(limit), **values)
                alerts.append((limit, ProjectAlert(project_id=r.id, project_name=r.name,
                                                   kind="stay", day=limit, message=message)))
            if follow_up_overdue(r, today):
                if r.last_follow_up is not None:
                    since = r.last_follow_up
                    message = _("{name} : aucun rendez-vous de suivi depuis le {date}").format(
                        name=r.name, date=format_date(since))
                else:
                    since = r.entry_date
                    message = _("{name} : jamais suivi depuis son entrée le {date}").format(
                        name=r.name, date=format_date(since))
                alerts.append((since, ProjectAlert(project_id=r.id, project_name=r.name,
                                                   kind="follow_up", day=r.last_follow_up,
                                                   message=message)))
        alerts.sort(key=lambda pair: (pair[0], search_key(pair[1].project_name),
                                      pair[1].project_id, pair[1].kind))
        return tuple(alert for _day, alert in alerts)


# --- data protection: the projects a person carries ----------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _export_projects(s: Session, person_id: int) -> list[dict[str, object]]:
    held = select(ProjectHolder.project_id).where(ProjectHolder.person_id == person_id)
    records = sorted(_project_records(s, Project.id.in_(held)),
                     key=lambda r: (r.entry_date or dt.date.min, r.id))
    rows: list[dict[str, object]] = []
    for r in records:
        rows.append({"projet": r.name, "programme": r.programme_name, "étape": r.stage.label,
                     "entrée": _iso(r.entry_date), "sortie": _iso(r.exit_date),
                     "issue": r.outcome.label if r.outcome else None,
                     "structure": r.organisation_name or None, "description": r.description,
                     "notes": r.notes})
        for f in s.scalars(select(FollowUp).where(FollowUp.project_id == r.id)
                           .order_by(FollowUp.date, FollowUp.id)):
            rows.append({"projet": r.name, "rendez-vous de suivi": f.date.isoformat(),
                         "sujet": f.topic, "notes": f.notes, "suites": f.next_steps})
    return rows


def _erase_projects(s: Session, person_id: int) -> str:
    rows = list(s.scalars(select(ProjectHolder).where(ProjectHolder.person_id == person_id)))
    for row in rows:
        s.delete(row)
    return ngettext(
        "{n} projet accompagné conservé pour les bilans, sans cette personne parmi ses "
        "porteurs.",
        "{n} projets accompagnés conservés pour les bilans, sans cette personne parmi leurs "
        "porteurs.", len(rows)).format(n=len(rows))


register(PersonalDataArea(
    "projects", lambda: _("Projets accompagnés"), _export_projects, _erase_projects,
    active_since=lambda since: select(ProjectHolder.person_id)
    .join(Project, Project.id == ProjectHolder.project_id)
    .where(or_(Project.exit_date.is_(None), Project.exit_date >= since.date())),
))
