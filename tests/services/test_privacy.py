"""Data protection: export everything about a person, erase by anonymisation."""

from __future__ import annotations

import json

import pytest

from maison_app.domain.audit import AuditFilter
from maison_app.domain.enums import Role, VisitPurpose
from maison_app.domain.errors import NotFound, PermissionDenied
from maison_app.domain.privacy import ANONYMOUS_NAME
from maison_app.services.context import Actor


@pytest.fixture
def helene(services, clock):
    org = services.people.create_organisation(name="Elan Coopératif Niortais")
    pid = services.people.create_person(first_name="Hélène", last_name="Lefèvre",
                                        email="helene@exemple.fr", phone="06 39 98 00 01",
                                        organisation_ids=(org,))
    visit = services.reception.check_in(person_id=pid, purpose=VisitPurpose.REUNION)
    clock.advance(hours=1)
    services.reception.check_out(visit_id=visit.id)
    other = services.people.create_person(first_name="Noël", last_name="Ménard")
    services.reception.register_visitor(name="Gaëlle Bézier", host_person_id=pid)
    return pid, other


def test_export_holds_every_area_and_is_json(services, helene):
    pid, _other = helene
    export = services.privacy.export(person_id=pid)
    assert export.person_name == "Hélène Lefèvre"
    areas = {s.area: s for s in export.sections}
    assert {"people", "reception", "memberships"} <= set(areas)
    person, affiliation = areas["people"].records
    assert person["e-mail"] == "helene@exemple.fr" and affiliation["structure"] == "Elan Coopératif Niortais"
    roles = sorted(r["rôle"] for r in areas["reception"].records)
    assert roles == ["personne visitée", "visiteur"]
    text = json.dumps(export.as_json_dict(), ensure_ascii=False)
    assert "Hélène" in text and "Réunion" in text


def test_erasure_anonymises_and_keeps_the_figures(services, helene):
    pid, other = helene
    before = services.reception.day().counts
    report = services.privacy.erase(person_id=pid)
    assert any("Fiche anonymisée" in line for line in report.lines)
    assert services.people.search(query="lefevre").hits == ()
    assert services.people.search(query="helene").hits == ()
    assert services.reception.day().counts == before  # the visits stay, without a name
    names = {v.name for v in services.reception.day().today}
    assert ANONYMOUS_NAME in names and "Hélène Lefèvre" not in names
    walk_in = [v for v in services.reception.present() if v.name == "Gaëlle Bézier"][0]
    assert walk_in.host is None  # the person visited is forgotten too
    export = services.privacy.export(person_id=pid)
    person = export.sections[0].records[0]
    assert person["e-mail"] is None and person["nom"] == ANONYMOUS_NAME


def test_erasure_leaves_nothing_in_the_audit_trail(services, helene):
    pid, _other = helene
    services.privacy.erase(person_id=pid)
    entries = services.audit.entries(where=AuditFilter(entity="person", entity_id=str(pid)))
    assert entries and all("Lefèvre" not in e.summary and "helene" not in e.summary
                           for e in entries)
    everything = " ".join(e.summary for e in services.audit.entries(limit=1000))
    assert "helene@exemple.fr" not in everything


def test_only_the_administration_handles_requests(services, helene):
    pid, _other = helene
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    with pytest.raises(PermissionDenied):
        desk.privacy.export(person_id=pid)
    with pytest.raises(PermissionDenied):
        desk.privacy.erase(person_id=pid)
    with pytest.raises(NotFound):
        services.privacy.export(person_id=999_999)
