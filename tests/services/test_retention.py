"""Retention of visits: after three months a visit no longer says who it was."""

from __future__ import annotations

import datetime as dt

import pytest

from maison_app.domain.audit import AuditFilter
from maison_app.domain.enums import VisitPurpose
from maison_app.domain.errors import ValidationError
from maison_app.services.retention import ANONYMOUS_VISITOR, DEFAULT_VISITS_DAYS


def test_old_visits_lose_who_they_were_and_keep_their_figures(services, clock):
    pid = services.people.create_person(first_name="Hélène", last_name="Lefèvre")
    old = services.reception.check_in(person_id=pid, purpose=VisitPurpose.ATELIER)
    clock.advance(hours=2)
    services.reception.check_out(visit_id=old.id)
    walk_in = services.reception.register_visitor(name="Gaëlle Bézier", organisation="MAIF",
                                                  host_name="Hélène Lefèvre")
    services.reception.check_out(visit_id=walk_in.id)

    clock.advance(days=DEFAULT_VISITS_DAYS - 1)
    assert services.retention.purge().visits_anonymised == 0  # not yet three months

    recent = services.reception.check_in(person_id=pid)  # a visit of today stays whole
    clock.advance(days=2)
    report = services.retention.purge()
    assert report.visits_anonymised == 2
    assert services.retention.purge().visits_anonymised == 0  # idempotent

    from sqlalchemy import select

    from maison_app.db.models import Visit

    with services.ctx.reading() as s:
        rows = {v.id: v for v in s.scalars(select(Visit))}
    for vid in (old.id, walk_in.id):
        v = rows[vid]
        assert v.person_id is None and v.visitor_name == ANONYMOUS_VISITOR
        assert v.visitor_organisation is None and v.host_name is None
        assert v.arrived_at is not None and v.left_at is not None  # the figures stay
    assert rows[old.id].purpose == VisitPurpose.ATELIER
    assert rows[recent.id].person_id == pid
    bulk = services.audit.entries(where=AuditFilter(entity="visit"))[0]
    assert bulk.action == "bulk_update" and bulk.summary.startswith("2 ligne(s)")


def test_the_period_is_a_setting(services, clock):
    assert services.retention.visits_days() == DEFAULT_VISITS_DAYS
    services.retention.save_visits_days(days=30)
    assert services.retention.visits_days() == 30
    with pytest.raises(ValidationError) as info:
        services.retention.save_visits_days(days=0)
    assert info.value.field == "visits_days"


def test_an_open_visit_is_never_purged(services, clock):
    pid = services.people.create_person(first_name="Noël", last_name="Ménard")
    services.reception.check_in(person_id=pid)
    clock.advance(days=400)
    assert services.retention.purge().visits_anonymised == 0
    assert services.reception.present()[0].name == "Noël Ménard"


def test_purge_command(db_url, capsys):
    from maison_app.app import main

    assert main(["purge", "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "0 passage" in out and "0 contact" in out


def test_contacts_without_activity_for_three_years_are_anonymised(services, clock):
    services.people.create_person(first_name="Éloïse", last_name="Cœur",
                                  email="eloise@exemple.fr")
    regular = services.people.create_person(first_name="Noël", last_name="Ménard")
    clock.advance(days=365 * 3 - 10)
    visit = services.reception.check_in(person_id=regular)  # Noël came back recently
    clock.advance(hours=1)
    services.reception.check_out(visit_id=visit.id)
    assert services.retention.purge().contacts_anonymised == 0  # not three years yet

    clock.advance(days=20)
    report = services.retention.purge()
    assert report.contacts_anonymised == 1
    assert services.people.search(query="coeur").hits == ()
    assert [h.name for h in services.people.search(query="menard").hits] == ["Noël Ménard"]
    assert services.retention.purge().contacts_anonymised == 0  # already done


def test_contacts_period_is_a_setting(services):
    from maison_app.services.retention import DEFAULT_CONTACTS_YEARS

    assert services.retention.contacts_years() == DEFAULT_CONTACTS_YEARS
    services.retention.save_contacts_years(years=5)
    assert services.retention.contacts_years() == 5
    with pytest.raises(ValidationError):
        services.retention.save_contacts_years(years=0)


def test_evacuation_lists_go_with_the_visits(services, clock):
    pid = services.people.create_person(first_name="Hélène", last_name="Lefèvre")
    services.reception.check_in(person_id=pid)
    record, _pdf = services.reception.presence_list()
    clock.advance(days=DEFAULT_VISITS_DAYS + 1)
    fresh, _pdf = services.reception.presence_list()
    report = services.retention.purge()
    assert report.lists_deleted == 1
    assert [d.number for d in services.documents.recent()] == [fresh.number]


def test_a_purged_number_is_never_issued_again(services, clock):
    clock.now = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # the purge stays in the year
    first, _pdf = services.reception.presence_list()
    clock.advance(days=DEFAULT_VISITS_DAYS + 1)
    assert services.retention.purge().lists_deleted == 1
    again, _pdf = services.reception.presence_list()
    assert first.number.endswith("-0001") and again.number.endswith("-0002")
