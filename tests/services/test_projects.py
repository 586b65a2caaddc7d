"""ProjectsService: the programmes and their settings, accompanied projects (each rule of
their validation, holders replaced as a set, the accent-free search on the name, the holders
and the organisation), follow-up meetings, the incubator manager's alerts, deletion refused
when a hosting agreement names the project, personal data, and the permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from maison_app.db.hosting import HostingAgreement
from maison_app.domain.enums import ProjectOutcome, ProjectStage, Role
from maison_app.domain.errors import NotFound, PermissionDenied, ValidationError
from maison_app.domain.hosting import (
    FollowUpRecord,
    Holder,
    ProgrammeRecord,
    ProjectRecord,
)
from maison_app.services.context import Actor

D = dt.date  # the clock says Thursday 26 November 2026
TODAY = D(2026, 11, 26)
JANUARY_5 = D(2026, 1, 5)


def refused(exc_type, call, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return info.value


@pytest.fixture
def house(services):
    """The seeded programmes, three people and two organisations."""
    ids = {p.name: p.id for p in services.projects.programmes()}
    people = services.people
    ids["Hélène"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene@exemple.fr")
    ids["Noël"] = people.create_person(first_name="Noël", last_name="Ménard")
    ids["Zoé"] = people.create_person(first_name="Zoé", last_name="Aubry")
    ids["Brûlerie"] = people.create_organisation(name="Brûlerie Équitable")
    ids["Compost"] = people.create_organisation(name="Compost'Âge")
    return ids


def holder(house, who: str) -> Holder:
    names = {"Hélène": "Hélène Lefèvre", "Noël": "Noël Ménard", "Zoé": "Zoé Aubry"}
    return Holder(person_id=house[who], name=names[who])


def new_project(services, house, name: str, programme: str = "Pépinière", *,
                entry: dt.date = JANUARY_5, holders: tuple[str, ...] = (), **kw) -> int:
    return services.projects.save_project(ProjectRecord(
        id=None, name=name, programme_id=house[programme], entry_date=entry,
        holders=tuple(holder(house, h) for h in holders), **kw))


def follow_up(services, project_id: int, day: dt.date, topic: str = "Point d'étape") -> int:
    return services.projects.save_follow_up(FollowUpRecord(id=None, project_id=project_id,
                                                           date=day, topic=topic))


# --- programmes ------------------------------------------------------------------------------


def test_the_four_programmes_are_seeded_in_order(services):
    got = [(p.name, p.max_months, p.active) for p in services.projects.programmes()]
    assert got == [("Pépinière", 23, True), ("Hôtel d'entreprises", 36, True),
                   ("CAE", None, True), ("Incubation", 12, True)]


def test_a_new_programme_goes_last_and_can_be_retired(services):
    pid = services.projects.save_programme(ProgrammeRecord(
        id=None, name="  Coopérative jeunesse  ", max_months=3, description="L'été."))
    last = services.projects.programmes()[-1]
    assert last == ProgrammeRecord(id=pid, name="Coopérative jeunesse", max_months=3,
                                   description="L'été.", active=True)
    services.projects.save_programme(replace(last, max_months=None, active=False))
    assert services.projects.programmes()[-1].max_months is None
    assert "Coopérative jeunesse" not in {
        p.name for p in services.projects.programmes(include_inactive=False)}
    assert len(services.projects.programmes()) == 5


@pytest.mark.parametrize("name, months, field", [
    ("", 12, "name"),
    ("   ", 12, "name"),
    ("x" * 101, 12, "name"),
    ("pepiniere", 12, "name"),  # "Pépinière" exists: accents and case ignored
    ("Tremplin", 0, "max_months"),
    ("Tremplin", 121, "max_months"),
    ("Tremplin", -3, "max_months"),
])
def test_a_programme_needs_a_unique_name_and_a_sensible_stay(services, name, months, field):
    error = refused(ValidationError, services.projects.save_programme,
                    ProgrammeRecord(id=None, name=name, max_months=months))
    assert error.field == field and error.message
    assert len(services.projects.programmes()) == 4


def test_a_programme_keeps_its_own_name_and_accepts_the_limits(services):
    pepiniere = services.projects.programmes()[0]
    services.projects.save_programme(replace(pepiniere, name="PÉPINIÈRE", max_months=120))
    services.projects.save_programme(ProgrammeRecord(id=None, name="Tremplin", max_months=1))
    names = {p.name: p.max_months for p in services.projects.programmes()}
    assert names["PÉPINIÈRE"] == 120 and names["Tremplin"] == 1
    refused(NotFound, services.projects.save_programme,
            ProgrammeRecord(id=999_999, name="Fantôme"))


# --- projects: validation --------------------------------------------------------------------


def test_a_project_is_saved_and_read_back_with_its_programme_holders_and_organisation(
        services, house):
    pid = new_project(services, house, "  Torréfaction solidaire ", holders=("Hélène", "Zoé"),
                      organisation_id=house["Brûlerie"], stage=ProjectStage.CREATION,
                      referent="Camille", description="Café torréfié sur place.")
    follow_up(services, pid, D(2026, 3, 2))
    follow_up(services, pid, D(2026, 10, 12))
    follow_up(services, pid, D(2026, 6, 20))
    p = services.projects.project(project_id=pid)
    assert (p.name, p.programme_name, p.max_months, p.stage, p.referent) == (
        "Torréfaction solidaire", "Pépinière", 23, ProjectStage.CREATION, "Camille")
    assert p.organisation_name == "Brûlerie Équitable"
    assert p.holders == (Holder(house["Zoé"], "Zoé Aubry"),
                         Holder(house["Hélène"], "Hélène Lefèvre"))  # by last name
    assert p.last_follow_up == D(2026, 10, 12)
    assert p.active and p.stay_limit == D(2027, 12, 4)
    refused(NotFound, services.projects.project, project_id=999_999)


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"referent": "x" * 101}, "referent"),
    ({"programme_id": 999_999}, "programme_id"),
    ({"entry_date": None}, "entry_date"),
    ({"exit_date": D(2026, 1, 4)}, "exit_date"),  # before the entry
    ({"exit_date": D(2026, 11, 27)}, "exit_date"),  # tomorrow: not a fact yet
    ({"stage": ProjectStage.SORTIE}, "exit_date"),  # left, but when?
    ({"outcome": ProjectOutcome.COMPANY_CREATED}, "outcome"),  # an outcome without an exit
    ({"jobs_fte_hundredths": 150}, "jobs_fte_hundredths"),  # jobs without an exit
    ({"exit_date": D(2026, 6, 30), "jobs_fte_hundredths": -1}, "jobs_fte_hundredths"),
])
def test_each_rule_of_a_project(services, house, changes, field):
    record = ProjectRecord(id=None, name="Ébène Traduction", programme_id=house["Pépinière"],
                           entry_date=D(2026, 1, 5))
    error = refused(ValidationError, services.projects.save_project, replace(record, **changes))
    assert error.field == field and error.message
    assert services.projects.projects(active_only=False) == ()


def test_missing_holders_and_organisations_are_not_found(services, house):
    error = refused(NotFound, new_project, services, house, "Fantôme",
                    holders=(), organisation_id=999_999)
    assert "structure" in error.message
    record = ProjectRecord(id=None, name="Fantôme", programme_id=house["CAE"],
                           entry_date=D(2026, 1, 5), holders=(Holder(999_999, "Jean Absent"),))
    error = refused(NotFound, services.projects.save_project, record)
    assert error.message == "Jean Absent n'existe plus dans la base."
    refused(NotFound, services.projects.save_project, replace(record, id=999_999, holders=()))
    assert services.projects.projects(active_only=False) == ()


def test_a_retired_programme_takes_no_new_project_but_keeps_its_own(services, house):
    pid = new_project(services, house, "Jardin partagé", "Incubation")
    incubation = next(p for p in services.projects.programmes() if p.name == "Incubation")
    services.projects.save_programme(replace(incubation, active=False))
    error = refused(ValidationError, new_project, services, house, "Verger", "Incubation")
    assert error.field == "programme_id" and "Incubation" in error.message
    project = services.projects.project(project_id=pid)
    services.projects.save_project(replace(project, referent="Camille"))  # stays where it is
    assert services.projects.project(project_id=pid).referent == "Camille"


def test_an_exit_sets_the_stage_and_carries_the_outcome_and_jobs(services, house):
    pid = new_project(services, house, "Recyclerie", "Incubation", entry=D(2025, 9, 1))
    p = services.projects.project(project_id=pid)
    services.projects.save_project(replace(p, exit_date=TODAY, stage=ProjectStage.CREATION,
                                           outcome=ProjectOutcome.COMPANY_CREATED,
                                           jobs_fte_hundredths=250))
    p = services.projects.project(project_id=pid)
    assert (p.stage, p.exit_date, p.outcome, p.jobs_fte_hundredths, p.active) == (
        ProjectStage.SORTIE, TODAY, ProjectOutcome.COMPANY_CREATED, 250, False)
    # an exit with no outcome and no job is fine too (a project stopped, figures unknown)
    other = new_project(services, house, "Atelier vélo", "CAE", entry=D(2026, 2, 1),
                        exit_date=D(2026, 2, 1), jobs_fte_hundredths=0)
    assert services.projects.project(project_id=other).stage is ProjectStage.SORTIE
    # reopened: the exit removed, the stage chosen again
    services.projects.save_project(replace(p, exit_date=None, outcome=None,
                                           jobs_fte_hundredths=None,
                                           stage=ProjectStage.DEVELOPPEMENT))
    p = services.projects.project(project_id=pid)
    assert p.active and p.stage is ProjectStage.DEVELOPPEMENT


def test_holders_are_replaced_as_a_set(services, house):
    pid = new_project(services, house, "Épicerie vrac", holders=("Hélène", "Noël"))

    def holders() -> set[int]:
        return {h.person_id for h in services.projects.project(project_id=pid).holders}

    assert holders() == {house["Hélène"], house["Noël"]}
    p = services.projects.project(project_id=pid)
    services.projects.save_project(replace(p, holders=(holder(house, "Noël"),
                                                       holder(house, "Zoé"),
                                                       holder(house, "Zoé"))))
    assert holders() == {house["Noël"], house["Zoé"]}
    services.projects.save_project(replace(p, holders=()))
    assert holders() == set()


# --- projects: the list ----------------------------------------------------------------------


@pytest.fixture
def listed(services, house):
    ids = {
        "torrefaction": new_project(services, house, "Torréfaction", holders=("Hélène",)),
        "ecole": new_project(services, house, "École du vélo", "Incubation",
                             holders=("Noël",), stage=ProjectStage.AMORCAGE),
        "compost": new_project(services, house, "Lombricompostage", "Hôtel d'entreprises",
                               organisation_id=house["Compost"],
                               stage=ProjectStage.DEVELOPPEMENT),
        "ancien": new_project(services, house, "Ancien projet", "CAE", holders=("Hélène",),
                              entry=D(2024, 1, 1), exit_date=D(2025, 12, 31),
                              outcome=ProjectOutcome.STOPPED),
    }
    return ids


def names(records) -> list[str]:
    return [r.name for r in records]


def test_the_list_is_by_name_accents_ignored_and_active_by_default(services, listed):
    assert names(services.projects.projects()) == ["École du vélo", "Lombricompostage",
                                                   "Torréfaction"]
    assert names(services.projects.projects(active_only=False)) == [
        "Ancien projet", "École du vélo", "Lombricompostage", "Torréfaction"]


@pytest.mark.parametrize("query, expected", [
    ("helene", ["Torréfaction"]),  # a holder's first name, without its accent
    ("LEFÈVRE", ["Torréfaction"]),
    ("helene torref", ["Torréfaction"]),  # every word, anywhere
    ("ecole", ["École du vélo"]),
    ("menard", ["École du vélo"]),
    ("compost'age", ["Lombricompostage"]),  # the organisation's name
    ("compost", ["Lombricompostage"]),
    ("velo noel", ["École du vélo"]),
    ("helene velo", []),
    ("", ["École du vélo", "Lombricompostage", "Torréfaction"]),
])
def test_the_search_ignores_accents_and_looks_at_holders_and_organisation(
        services, listed, query, expected):
    assert names(services.projects.projects(query=query)) == expected


def test_the_list_filters_by_programme_stage_and_exit(services, house, listed):
    assert names(services.projects.projects(programme_id=house["Incubation"])) == [
        "École du vélo"]
    assert names(services.projects.projects(stage=ProjectStage.DEVELOPPEMENT)) == [
        "Lombricompostage"]
    assert names(services.projects.projects(query="helene", active_only=False)) == [
        "Ancien projet", "Torréfaction"]
    assert names(services.projects.projects(stage=ProjectStage.SORTIE, active_only=False)) == [
        "Ancien projet"]


# --- deletion --------------------------------------------------------------------------------


def test_a_project_is_deleted_with_its_holders_and_follow_ups(services, house):
    pid = new_project(services, house, "Erreur de saisie", holders=("Hélène",))
    follow_up(services, pid, D(2026, 11, 2))
    services.projects.delete_project(project_id=pid)
    refused(NotFound, services.projects.project, project_id=pid)
    refused(NotFound, services.projects.follow_ups, project_id=pid)
    refused(NotFound, services.projects.delete_project, project_id=pid)
    export = services.privacy.export(person_id=house["Hélène"])
    assert [s.records for s in export.sections if s.area == "projects"] == [()]


def test_a_project_named_by_an_agreement_cannot_be_deleted(services, house):
    pid = new_project(services, house, "Torréfaction", holders=("Hélène",))
    with services.ctx.writing() as s:
        s.add(HostingAgreement(number="CH-2026-0001", year=2026, sequence=1,
                               organisation_id=house["Brûlerie"], project_id=pid,
                               start=D(2026, 1, 5), end=D(2026, 12, 31)))
    error = refused(ValidationError, services.projects.delete_project, project_id=pid)
    assert error.field == "project"
    assert error.message == ("Ce projet figure sur la convention d'hébergement CH-2026-0001 : "
                             "il ne peut pas être supprimé. Enregistrez plutôt sa sortie.")
    assert services.projects.project(project_id=pid).holders == (holder(house, "Hélène"),)


# --- follow-up meetings ----------------------------------------------------------------------


def test_follow_ups_are_listed_latest_first_and_signed_by_their_author(services, house):
    desk = services.for_actor(Actor(login="camille", role=Role.INCUBATION))
    pid = new_project(services, house, "Torréfaction")
    first = desk.projects.save_follow_up(FollowUpRecord(
        id=None, project_id=pid, date=D(2026, 3, 2), topic=" Business plan ",
        notes="Prévisionnel à revoir.", next_steps="Rendez-vous banque", author="quelqu'un"))
    second = follow_up(desk, pid, D(2026, 10, 12), "Recrutement")
    planned = follow_up(desk, pid, TODAY + dt.timedelta(days=365), "Bilan annuel")
    got = desk.projects.follow_ups(project_id=pid)
    assert [f.id for f in got] == [planned, second, first]
    assert got[-1] == FollowUpRecord(id=first, project_id=pid, date=D(2026, 3, 2),
                                     topic="Business plan", notes="Prévisionnel à revoir.",
                                     next_steps="Rendez-vous banque", author="camille")
    # edited by someone else: the author stays
    services.projects.save_follow_up(replace(got[-1], topic="Plan de financement"))
    assert desk.projects.follow_ups(project_id=pid)[-1].author == "camille"
    assert desk.projects.follow_ups(project_id=pid)[-1].topic == "Plan de financement"
    desk.projects.delete_follow_up(follow_up_id=planned)
    assert [f.id for f in desk.projects.follow_ups(project_id=pid)] == [second, first]
    assert desk.projects.project(project_id=pid).last_follow_up == D(2026, 10, 12)
    refused(NotFound, desk.projects.delete_follow_up, follow_up_id=planned)


@pytest.mark.parametrize("changes, field", [
    ({"date": None}, "date"),
    ({"date": TODAY + dt.timedelta(days=366)}, "date"),
    ({"topic": ""}, "topic"),
    ({"topic": "  "}, "topic"),
    ({"topic": "x" * 201}, "topic"),
])
def test_each_rule_of_a_follow_up(services, house, changes, field):
    pid = new_project(services, house, "Torréfaction")
    record = FollowUpRecord(id=None, project_id=pid, date=TODAY, topic="Point")
    error = refused(ValidationError, services.projects.save_follow_up, replace(record, **changes))
    assert error.field == field and error.message
    assert services.projects.follow_ups(project_id=pid) == ()
    refused(NotFound, services.projects.save_follow_up, replace(record, project_id=999_999))
    refused(NotFound, services.projects.save_follow_up, replace(record, id=999_999))


# --- alerts ----------------------------------------------------------------------------------


def test_alerts_flag_stays_ending_and_projects_left_without_follow_up(services, house):
    # entered 22 months ago in the pépinière (23 months): ends on 25 December; followed
    near = new_project(services, house, "Torréfaction", entry=D(2025, 1, 26))
    follow_up(services, near, TODAY - dt.timedelta(days=10))
    # 20 months in: ends on 25 February, more than 60 days away; followed
    calm = new_project(services, house, "Atelier vélo", entry=D(2025, 3, 26))
    follow_up(services, calm, D(2026, 11, 1))
    # never followed since it entered, 70 days ago
    lost = new_project(services, house, "Jardin partagé", "Incubation",
                       entry=TODAY - dt.timedelta(days=70))
    # past its stay, last seen in September
    late = new_project(services, house, "Recyclerie", entry=D(2024, 11, 1))
    follow_up(services, late, D(2026, 9, 1))
    # gone: never flagged
    new_project(services, house, "Ancien projet", entry=D(2023, 1, 1), exit_date=D(2025, 1, 1))
    # no stay limit (CAE) and followed 59 days ago
    new_project(services, house, "Coopérative", "CAE", entry=D(2020, 1, 1))
    follow_up(services, services.projects.projects(query="cooperative")[0].id,
              TODAY - dt.timedelta(days=59))

    alerts = services.projects.alerts()
    assert [(a.project_id, a.kind, a.day) for a in alerts] == [
        (late, "follow_up", D(2026, 9, 1)),
        (lost, "follow_up", None),
        (late, "stay", D(2026, 9, 30)),
        (near, "stay", D(2026, 12, 25)),
    ]
    assert [a.message for a in alerts] == [
        "Recyclerie : aucun rendez-vous de suivi depuis le 1 septembre 2026",
        "Jardin partagé : jamais suivi depuis son entrée le 17 septembre 2026",
        ("Recyclerie : la durée maximale en Pépinière (23 mois) est dépassée depuis le "
         "1 octobre 2026"),
        ("Torréfaction : la durée maximale en Pépinière (23 mois) se termine le "
         "25 décembre 2026"),
    ]
    assert calm not in {a.project_id for a in alerts}


# --- personal data ---------------------------------------------------------------------------


def test_a_holder_is_exported_and_erased_keeping_the_project(services, house):
    pid = new_project(services, house, "Torréfaction", holders=("Hélène", "Noël"),
                      organisation_id=house["Brûlerie"], entry=D(2026, 1, 5))
    services.projects.save_follow_up(FollowUpRecord(
        id=None, project_id=pid, date=D(2026, 3, 2), topic="Business plan",
        notes="Hélène hésite.", next_steps="Banque"))
    new_project(services, house, "Autre projet", holders=("Noël",))

    (section,) = [s for s in services.privacy.export(person_id=house["Hélène"]).sections
                  if s.area == "projects"]
    assert section.title == "Projets accompagnés"
    assert section.records == (
        {"projet": "Torréfaction", "programme": "Pépinière", "étape": "Idée",
         "entrée": "2026-01-05", "sortie": None, "issue": None,
         "structure": "Brûlerie Équitable", "description": "", "notes": None},
        {"projet": "Torréfaction", "rendez-vous de suivi": "2026-03-02",
         "sujet": "Business plan", "notes": "Hélène hésite.", "suites": "Banque"},
    )

    report = services.privacy.erase(person_id=house["Hélène"])
    assert ("Projets accompagnés : 1 projet accompagné conservé pour les bilans, sans cette "
            "personne parmi ses porteurs.") in report.lines
    kept = services.projects.project(project_id=pid)
    assert kept.holders == (holder(house, "Noël"),)
    assert names(services.projects.projects(query="helene")) == []
    assert len(services.projects.projects()) == 2
    (section,) = [s for s in services.privacy.export(person_id=house["Hélène"]).sections
                  if s.area == "projects"]
    assert section.records == ()


def test_erasing_someone_with_several_projects_says_so(services, house):
    for name in ("Un", "Deux"):
        new_project(services, house, name, holders=("Zoé",))
    report = services.privacy.erase(person_id=house["Zoé"])
    assert ("Projets accompagnés : 2 projets accompagnés conservés pour les bilans, sans cette "
            "personne parmi leurs porteurs.") in report.lines


def test_carrying_a_running_project_keeps_a_person_active_for_the_retention(services, clock):
    active = services.people.create_person(first_name="Hélène", last_name="Lefèvre")
    gone = services.people.create_person(first_name="Noël", last_name="Ménard")
    pepiniere = services.projects.programmes()[0].id
    for name, who, exit_ in (("Suivi", active, None), ("Parti", gone, D(2026, 1, 31))):
        services.projects.save_project(ProjectRecord(
            id=None, name=name, programme_id=pepiniere, entry_date=D(2026, 1, 5),
            exit_date=exit_, holders=(Holder(who, ""),)))
    clock.advance(days=365 * 3 + 30)
    assert services.retention.purge().contacts_anonymised == 1
    assert services.people.search(query="lefevre").hits
    assert not services.people.search(query="menard").hits


# --- permissions -----------------------------------------------------------------------------


def test_reception_does_not_see_the_projects(services, house):
    pid = new_project(services, house, "Torréfaction", holders=("Hélène",))
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    record = services.projects.project(project_id=pid)
    for call, kwargs in (
        (desk.projects.projects, {}),
        (desk.projects.project, {"project_id": pid}),
        (desk.projects.alerts, {}),
        (desk.projects.programmes, {}),
        (desk.projects.follow_ups, {"project_id": pid}),
        (desk.projects.delete_project, {"project_id": pid}),
        (desk.projects.delete_follow_up, {"follow_up_id": 1}),
    ):
        refused(PermissionDenied, call, **kwargs)
    error = refused(PermissionDenied, desk.projects.save_project, replace(record, name="Autre"))
    assert error.message.startswith("Votre rôle (Accueil) ne permet pas cette action")
    refused(PermissionDenied, desk.projects.save_follow_up,
            FollowUpRecord(id=None, project_id=pid, date=TODAY, topic="Point"))
    assert services.projects.project(project_id=pid).name == "Torréfaction"


def test_incubation_follows_projects_but_does_not_set_the_programmes(services, house):
    desk = services.for_actor(Actor(login="camille", role=Role.INCUBATION))
    pid = new_project(desk, house, "Torréfaction", holders=("Hélène",))
    follow_up(desk, pid, TODAY)
    assert names(desk.projects.projects(query="helene")) == ["Torréfaction"]
    assert desk.projects.alerts() == ()
    pepiniere = desk.projects.programmes()[0]
    refused(PermissionDenied, desk.projects.save_programme, replace(pepiniere, max_months=24))
    assert services.projects.programmes()[0].max_months == 23
    desk.projects.delete_project(project_id=pid)
    assert desk.projects.projects() == ()
