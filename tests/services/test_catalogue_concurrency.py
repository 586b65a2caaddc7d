"""Two desks entering the same member's order at the same moment, from separate processes
(each its own connection): exactly one order is created and the other desk is told to edit
it — on SQLite and, with MAISON_TEST_POSTGRES_URL, on PostgreSQL. Orders of different members
entered at once all stand."""

from __future__ import annotations

import datetime as dt

import pytest

from maison_app.domain.catalogue import (
    CampaignRecord,
    OrderLine,
    OrderRecord,
    ProducerRecord,
    ProductRecord,
)
from maison_app.domain.enums import ProductUnit, Role
from tests import concurrency


def _from_another_process(url, job, barrier, results):
    """One desk: its own connection, waits for the others, then saves an order
    (job: (tag, campaign id, person id, product id, quantity))."""
    from maison_app import i18n
    from maison_app.domain.errors import Conflict
    from maison_app.services.context import Actor, Database
    from maison_app.services.registry import Services

    tag, campaign_id, person_id, product_id, quantity = job
    i18n.set_language("fr")
    db = Database.open(url, migrate_schema=False)
    try:
        services = Services.build(db, actor=Actor(login=f"poste-{tag}", role=Role.ACCUEIL))
        services.catalogue.campaigns()  # connected and warm before the race
        barrier.wait(timeout=60)
        try:
            oid = services.catalogue.save_order(OrderRecord(
                None, campaign_id, person_id=person_id,
                lines=(OrderLine(product_id, quantity),)))
            results.put(("saved", tag, oid))
        except Conflict as exc:
            results.put(("refused", tag, str(exc)))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        results.put(("error", tag, repr(exc)))
    finally:
        db.dispose()


def race(db_url, jobs) -> list[tuple]:
    return concurrency.race(_from_another_process, db_url, jobs)


@pytest.fixture
def scene(services):
    """An open campaign offering bread; three people."""
    cat = services.catalogue
    producer = cat.save_producer(ProducerRecord(None, "Fournil des Halles", distance_km=12))
    bread = cat.save_product(ProductRecord(None, producer, "Boulangerie", "Pain de campagne",
                                           ProductUnit.PIECE, 100))
    campaign = cat.save_campaign(CampaignRecord(
        None, "Paniers de Noël", opens_on=dt.date(2026, 11, 20),
        closes_on=dt.date(2026, 12, 3), pickup_on=dt.date(2026, 12, 5),
        product_ids=(bread,)))
    people = [services.people.create_person(first_name=f"Personne {n}", last_name="Test")
              for n in range(1, 4)]
    return campaign, bread, people


def test_two_desks_entering_the_same_members_order_at_once(services, db_url, scene):
    campaign, bread, (person, *_others) = scene
    outcomes = race(db_url, [("a", campaign, person, bread, 2000),
                             ("b", campaign, person, bread, 3000)])
    kinds = sorted(kind for kind, _tag, _detail in outcomes)
    assert kinds == ["refused", "saved"]
    saved = next(detail for kind, _tag, detail in outcomes if kind == "saved")
    refused = next(detail for kind, _tag, detail in outcomes if kind == "refused")
    assert f"commande n° {saved}" in refused
    orders = services.catalogue.orders(campaign_id=campaign)
    assert [o.id for o in orders] == [saved]


def test_three_members_ordering_at_once_all_stand(services, db_url, scene):
    campaign, bread, people = scene
    outcomes = race(db_url, [(str(p), campaign, p, bread, 1000) for p in people])
    assert sorted(kind for kind, _tag, _detail in outcomes) == ["saved"] * 3
    orders = services.catalogue.orders(campaign_id=campaign)
    assert sorted(o.person_id for o in orders) == sorted(people)
    assert services.catalogue.totals(campaign_id=campaign).total_cents == 300
