"""Every write goes to the audit trail, without the services writing it themselves."""

from __future__ import annotations

import dataclasses

from maison_app.domain.audit import AuditFilter
from maison_app.domain.enums import VisitPurpose


def test_creation_change_and_deletion_are_recorded_with_the_actor(services, clock):
    pid = services.people.create_person(first_name="Hélène", last_name="Lefèvre")
    visit = services.reception.check_in(person_id=pid, purpose=VisitPurpose.REUNION)
    clock.advance(hours=2)
    services.reception.check_out(visit_id=visit.id)

    entries = services.audit.entries(where=AuditFilter(entity="visit"))
    assert [e.action for e in entries] == ["update", "create"]  # newest first
    update, create = entries
    assert {e.actor for e in entries} == {"accueil-test"}
    assert create.entity_id == str(visit.id)
    assert "purpose: reunion" in create.summary
    assert update.summary.startswith("left_at: — → 2026-11-26 10:00 UTC")
    assert update.action_label == "Modification"

    person = services.audit.entries(where=AuditFilter(entity="person", entity_id=str(pid)))
    assert len(person) == 1 and "last_name: Lefèvre" in person[0].summary
    assert "search_key" not in person[0].summary  # derived columns are left out


def test_a_cancelled_check_in_is_a_recorded_deletion(services):
    pid = services.people.create_person(first_name="Noël", last_name="Ménard")
    visit = services.reception.check_in(person_id=pid)
    services.reception.cancel_check_in(visit_id=visit.id)
    actions = [e.action for e in services.audit.entries(where=AuditFilter(entity="visit"))]
    assert actions == ["delete", "create"]


def test_a_bulk_change_is_recorded_once_with_its_row_count(services):
    for last in ("Bézier", "Cœur", "Ménard"):
        services.reception.check_in(person_id=services.people.create_person(
            first_name="A", last_name=last))
    assert services.reception.check_out_all() == 3
    bulk = services.audit.entries(where=AuditFilter(entity="visit"))[0]
    assert bulk.action == "bulk_update"
    assert bulk.summary.startswith("3 ligne(s)")
    assert "left_at" in bulk.summary


def test_binary_values_are_summarised_by_their_size(services):
    identity = dataclasses.replace(services.settings.identity(), logo=b"\x89PNG" + b"0" * 96)
    services.settings.save_identity(identity)
    logo = services.audit.entries(where=AuditFilter(entity="setting", entity_id="identity.logo"))
    assert logo and "<100 octets>" in logo[0].summary


def test_each_actor_is_named_and_filters_work(services, database, clock):
    from maison_app.services.context import Actor
    from maison_app.services.registry import Services

    other = Services.build(database, actor=Actor(login="incubation"), clock=clock)
    other.people.create_organisation(name="La Ruche Oxalis")
    services.people.create_organisation(name="SCOP Matapeste")
    assert set(services.audit.actors()) >= {"incubation", "accueil-test"}
    assert "organisation" in services.audit.entities()
    mine = services.audit.entries(where=AuditFilter(actor="incubation"))
    assert [e.summary.split(";")[0] for e in mine] == ["name: La Ruche Oxalis"]
    assert services.audit.entries(where=AuditFilter(text="Matapeste"))[0].actor == "accueil-test"
    assert services.audit.entries(where=AuditFilter(since=clock.now + __import__("datetime").timedelta(hours=1))) == ()


def test_paging(services):
    for i in range(5):
        services.people.create_organisation(name=f"Structure {i}")
    first = services.audit.entries(limit=2)
    second = services.audit.entries(offset=2, limit=2)
    assert len(first) == 2 and len(second) == 2
    assert not {e.id for e in first} & {e.id for e in second}


def test_the_service_offers_no_way_to_change_the_trail(services):
    assert not [name for name in dir(services.audit)
                if name.startswith(("delete", "update", "edit", "remove", "purge"))]


def test_a_bulk_load_is_recorded_as_one_entry(services):
    from maison_app.services import demo

    summary = demo.fill(services.ctx, people=20, visit_days=3)
    (entry,) = services.audit.entries(where=AuditFilter(entity="demo"))
    assert entry.action == "bulk_create" and entry.summary == summary
    assert entry.action_label == "Création en masse"
