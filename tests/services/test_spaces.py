"""SpacesService: the registry of spaces and its validation, the allocation of offices and
desks and its rules (edges of periods, capacity of offices, the hosting agreement's dates),
the floor plan on a chosen day, the history, the occupancy figures, personal data, the
permissions; and two desks assigning the same place at the same moment, from two processes
(exactly one wins) — on SQLite and, with MAISON_TEST_POSTGRES_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from dataclasses import replace

import pytest

from maison_app.domain.enums import Occupancy, Role, SpaceKind
from maison_app.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from maison_app.domain.privacy import ANONYMOUS_NAME
from maison_app.domain.spaces import Geometry, Rates, SpaceRecord
from maison_app.services.context import Actor

D = dt.date  # the clock says Thursday 26 November 2026
TODAY = D(2026, 11, 26)


def new_space(services, name: str, kind: SpaceKind, *, floor: int = 0, capacity: int = 1,
              parent: int | None = None, **kw) -> int:
    return services.spaces.save_space(SpaceRecord(id=None, kind=kind, name=name, floor=floor,
                                                  capacity=capacity, parent_id=parent, **kw))


@pytest.fixture
def house(services):
    """A small Maison: on the ground floor an open space with two desks and a meeting room;
    upstairs an office of 3, and an office of 2 with two desks inside it. Four hosted
    organisations and a person."""
    people = services.people
    ids = {name: people.create_organisation(name=name) for name in (
        "Brûlerie Équitable", "Ébène Traduction", "Compost'Âge", "Numérique & Partage")}
    ids["Hélène"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene@exemple.fr")
    ids["open"] = new_space(services, "Espace partagé", SpaceKind.OPEN_SPACE, capacity=8,
                            geometry=Geometry(0, 6, 14, 8))
    ids["a1"] = new_space(services, "Poste A1", SpaceKind.DESK, parent=ids["open"],
                          geometry=Geometry(1, 7, 2.4, 1.6))
    ids["a2"] = new_space(services, "Poste A2", SpaceKind.DESK, parent=ids["open"],
                          geometry=Geometry(4.2, 7, 2.4, 1.6))
    ids["room"] = new_space(services, "Salle Sèvre", SpaceKind.MEETING_ROOM, capacity=14,
                            geometry=Geometry(6, 0, 7, 5),
                            rates=Rates(day_member=9000, day_public=15000))
    ids["b101"] = new_space(services, "Bureau 101", SpaceKind.OFFICE, floor=1, capacity=3,
                            geometry=Geometry(7, 0, 4, 5))
    ids["b102"] = new_space(services, "Bureau 102", SpaceKind.OFFICE, floor=1, capacity=2,
                            geometry=Geometry(11, 0, 4, 5))
    ids["d102a"] = new_space(services, "Poste 102-1", SpaceKind.DESK, floor=1,
                             parent=ids["b102"])
    ids["d102b"] = new_space(services, "Poste 102-2", SpaceKind.DESK, floor=1,
                             parent=ids["b102"])
    return ids


def assign(services, house, space: str, holder: str, start, end=None, **kw) -> int:
    key = "person_id" if holder == "Hélène" else "organisation_id"
    return services.spaces.assign(space_id=house[space], start=start, end=end,
                                  **{key: house[holder]}, **kw)


def history(services, house, space: str) -> list[tuple[str, dt.date, dt.date | None]]:
    return [(a.holder, a.start, a.end) for a in services.spaces.history(space_id=house[space])]


def refused(exc_type, call, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return info.value


# --- the registry ---------------------------------------------------------------------------


def test_a_space_is_saved_and_read_back(services, house):
    room = services.spaces.space(space_id=house["room"])
    assert (room.kind, room.name, room.floor, room.capacity) == (
        SpaceKind.MEETING_ROOM, "Salle Sèvre", 0, 14)
    assert room.rates == Rates(day_member=9000, day_public=15000)
    assert room.geometry == Geometry(6, 0, 7, 5)
    assert room.active and room.parent_id is None

    changed = replace(room, name="  Salle Sèvre-Niortaise ", equipment=" Écran, paperboard ",
                      notes="  Clé à l'accueil  ", rates=replace(room.rates, hour_member=1850))
    assert services.spaces.save_space(changed) == house["room"]
    again = services.spaces.space(space_id=house["room"])
    assert again.name == "Salle Sèvre-Niortaise"  # trimmed
    assert again.equipment == "Écran, paperboard" and again.notes == "Clé à l'accueil"
    assert again.rates.hour_member == 1850 and again.rates.day_public == 15000
    assert again.geometry == Geometry(6, 0, 7, 5)  # the plan's place is kept

    desk = services.spaces.space(space_id=house["a1"])
    assert desk.parent_id == house["open"] and desk.capacity == 1


def test_the_list_by_floor_and_in_service(services, house):
    spaces = services.spaces
    assert spaces.floors() == (0, 1)
    assert [s.name for s in spaces.spaces(floor=1)] == [
        "Bureau 101", "Bureau 102", "Poste 102-1", "Poste 102-2"]
    assert [s.name for s in spaces.spaces()][:4] == [
        "Espace partagé", "Poste A1", "Poste A2", "Salle Sèvre"]  # by floor, then name
    a2 = spaces.space(space_id=house["a2"])
    spaces.save_space(replace(a2, active=False))
    assert "Poste A2" not in [s.name for s in spaces.spaces(include_inactive=False)]
    assert "Poste A2" in [s.name for s in spaces.spaces()]
    assert refused(NotFound, spaces.space, space_id=9999).message == "Cet espace n'existe plus."


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name": "   "}, "name", "Le nom de l'espace est obligatoire."),
    ({"name": "x" * 101}, "name", "Ce nom est trop long (100 caractères au plus)."),
    ({"name": "Salle Sèvre"}, "name", "Un espace porte déjà ce nom."),
    ({"capacity": 0}, "capacity", "La capacité se compte en personnes, de 1 à 500."),
    ({"kind": SpaceKind.DESK, "capacity": 2}, "capacity",
     "Un poste de travail accueille une personne."),
    ({"floor": 99}, "floor", "Étage invalide."),
    ({"geometry": Geometry(0, 0, 0, 3)}, "geometry",
     "Les dimensions se donnent en mètres, plus grandes que zéro."),
    ({"rates": Rates(half_day_public=-1)}, "rate_half_day_public",
     "Un tarif ne peut pas être négatif."),
])
def test_the_registry_refuses_what_makes_no_sense(services, house, change, field, message):
    record = SpaceRecord(id=None, kind=SpaceKind.OFFICE, name="Bureau 108", floor=1,
                         capacity=2)
    error = refused(ValidationError, services.spaces.save_space, replace(record, **change))
    assert (error.field, error.message) == (field, message)
    assert "Bureau 108" not in [s.name for s in services.spaces.spaces()]


def test_a_name_is_unique_but_a_space_keeps_its_own(services, house):
    b101 = services.spaces.space(space_id=house["b101"])
    assert services.spaces.save_space(replace(b101, capacity=4)) == house["b101"]
    error = refused(ValidationError, services.spaces.save_space, replace(b101, name="Bureau 102"))
    assert (error.field, error.message) == ("name", "Un espace porte déjà ce nom.")


def test_only_a_desk_sits_in_an_office_or_an_open_space_of_its_floor(services, house):
    save = services.spaces.save_space
    desk = SpaceRecord(id=None, kind=SpaceKind.DESK, name="Poste A5", floor=0)
    in_room = refused(ValidationError, save, replace(desk, parent_id=house["room"]))
    assert in_room.field == "parent"
    assert in_room.message == ("Seul un poste de travail se place dans un bureau ou un espace "
                               "partagé.")
    office_in_open_space = SpaceRecord(id=None, kind=SpaceKind.OFFICE, name="Box", floor=0,
                                       capacity=2, parent_id=house["open"])
    assert refused(ValidationError, save, office_in_open_space).field == "parent"
    other_floor = refused(ValidationError, save, replace(desk, parent_id=house["b101"]))
    assert (other_floor.field, other_floor.message) == (
        "parent", "Le poste doit être au même étage que « Bureau 101 ».")
    gone = refused(NotFound, save, replace(desk, parent_id=9999))
    assert gone.message == "Cet espace n'existe plus."
    # inside an office of its floor, or an open space: fine; or on its own
    assert save(replace(desk, floor=1, parent_id=house["b101"]))
    assert save(replace(desk, name="Poste A6", parent_id=house["open"]))
    assert save(replace(desk, name="Poste isolé"))


def test_a_space_once_allocated_stays_an_office_or_a_desk(services, house):
    assign(services, house, "a1", "Brûlerie Équitable", D(2025, 1, 1), D(2025, 6, 30))
    a1 = services.spaces.space(space_id=house["a1"])
    error = refused(ValidationError, services.spaces.save_space,
                    replace(a1, kind=SpaceKind.MEETING_ROOM, parent_id=None, capacity=4))
    assert (error.field, error.message) == (
        "kind", "Cet espace a déjà été attribué : il reste un bureau ou un poste.")
    # an office it may become
    assert services.spaces.save_space(replace(a1, kind=SpaceKind.OFFICE, parent_id=None))


def test_a_space_moves_on_the_plan(services, house):
    services.spaces.move_space(space_id=house["a1"], geometry=Geometry(2.345, 7.001, 2.4, 1.6))
    assert services.spaces.space(space_id=house["a1"]).geometry == Geometry(2.35, 7.0, 2.4, 1.6)
    error = refused(ValidationError, services.spaces.move_space, space_id=house["a1"],
                    geometry=Geometry(0, 0, -1, 2))
    assert error.field == "geometry"
    refused(NotFound, services.spaces.move_space, space_id=9999, geometry=Geometry())


# --- assignments: one holder per desk at any date ------------------------------------------------


def test_ending_on_the_31st_and_starting_on_the_1st_is_fine(services, house):
    jan = assign(services, house, "a1", "Brûlerie Équitable", D(2026, 1, 1), D(2026, 1, 31))
    feb = assign(services, house, "a1", "Ébène Traduction", D(2026, 2, 1))
    assert history(services, house, "a1") == [
        ("Ébène Traduction", D(2026, 2, 1), None),
        ("Brûlerie Équitable", D(2026, 1, 1), D(2026, 1, 31)),
    ]
    assert jan != feb


def test_one_day_of_overlap_is_refused_naming_the_holder_and_the_dates(services, house):
    jan = assign(services, house, "a1", "Brûlerie Équitable", D(2026, 1, 1), D(2026, 1, 31))
    error = refused(Conflict, assign, services, house, "a1", "Ébène Traduction",
                    D(2026, 1, 31), D(2026, 3, 31))
    assert error.message == ("« Poste A1 » est déjà attribué à Brûlerie Équitable du "
                             "1 janvier 2026 au 31 janvier 2026.")
    assert error.existing_id == jan
    # the day before the start, too
    refused(Conflict, assign, services, house, "a1", "Ébène Traduction", D(2025, 12, 1),
            D(2026, 1, 1))
    # inside it, around it
    refused(Conflict, assign, services, house, "a1", "Ébène Traduction", D(2026, 1, 10),
            D(2026, 1, 10))
    refused(Conflict, assign, services, house, "a1", "Ébène Traduction", D(2025, 1, 1))
    assert len(history(services, house, "a1")) == 1
    # the other desk of the open space is another matter
    assert assign(services, house, "a2", "Ébène Traduction", D(2026, 1, 10), D(2026, 1, 10))


def test_an_assignment_until_further_notice(services, house):
    assign(services, house, "a1", "Compost'Âge", D(2026, 3, 1))
    error = refused(Conflict, assign, services, house, "a1", "Ébène Traduction",
                    D(2030, 1, 1), D(2030, 12, 31))
    assert error.message == ("« Poste A1 » est déjà attribué à Compost'Âge à partir du "
                             "1 mars 2026.")
    # before it, fine; ending on the eve of it, fine; one day into it, not
    assert assign(services, house, "a1", "Ébène Traduction", D(2026, 1, 1), D(2026, 2, 28))
    refused(Conflict, assign, services, house, "a1", "Brûlerie Équitable", D(2025, 6, 1),
            D(2026, 3, 1))


def test_what_an_assignment_needs(services, house):
    spaces = services.spaces
    error = refused(ValidationError, spaces.assign, space_id=house["a1"], start=D(2026, 1, 1))
    assert error.field == "holder"
    error = refused(ValidationError, spaces.assign, space_id=house["a1"], start=D(2026, 1, 1),
                    organisation_id=house["Compost'Âge"], person_id=house["Hélène"])
    assert error.field == "holder"
    error = refused(ValidationError, assign, services, house, "a1", "Compost'Âge",
                    D(2026, 2, 1), D(2026, 1, 31))
    assert (error.field, error.message) == ("end", "La date de fin précède la date de début.")
    error = refused(ValidationError, assign, services, house, "a1", "Compost'Âge",
                    D(2026, 2, 1), seats=2)
    assert (error.field, error.message) == ("seats",
                                            "Un poste de travail accueille une personne.")
    error = refused(ValidationError, assign, services, house, "b101", "Compost'Âge",
                    D(2026, 2, 1), seats=0)
    assert error.field == "seats"
    assert refused(NotFound, spaces.assign, space_id=house["a1"], start=D(2026, 1, 1),
                   organisation_id=9999).message == "Cette structure n'existe plus dans la base."
    assert refused(NotFound, spaces.assign, space_id=house["a1"], start=D(2026, 1, 1),
                   person_id=9999).message == "Cette personne n'existe plus dans la base."
    refused(NotFound, spaces.assign, space_id=9999, start=D(2026, 1, 1),
            organisation_id=house["Compost'Âge"])
    # a one-day assignment is a period like any other
    assert assign(services, house, "a1", "Compost'Âge", D(2026, 2, 1), D(2026, 2, 1))


def test_rooms_open_spaces_and_spaces_out_of_service_are_not_allocated(services, house):
    error = refused(ValidationError, assign, services, house, "room", "Compost'Âge",
                    D(2026, 1, 1))
    assert error.field == "space"
    assert error.message == ("« Salle Sèvre » (salle de réunion) ne s'attribue pas : seuls "
                             "les bureaux et les postes de travail s'attribuent.")
    assert refused(ValidationError, assign, services, house, "open", "Compost'Âge",
                   D(2026, 1, 1)).field == "space"
    a2 = services.spaces.space(space_id=house["a2"])
    services.spaces.save_space(replace(a2, active=False))
    error = refused(ValidationError, assign, services, house, "a2", "Compost'Âge", D(2026, 1, 1))
    assert (error.field, error.message) == ("space", "« Poste A2 » n'est plus en service.")
    services.spaces.save_space(a2)  # back in service
    assert assign(services, house, "a2", "Compost'Âge", D(2026, 1, 1))


# --- an office of N holds at most N people at once ------------------------------------------


def test_an_office_holds_at_most_its_capacity(services, house):
    assign(services, house, "b101", "Brûlerie Équitable", D(2026, 1, 1), seats=2)
    assign(services, house, "b101", "Ébène Traduction", D(2026, 3, 1), D(2026, 8, 31))
    error = refused(Conflict, assign, services, house, "b101", "Compost'Âge", D(2026, 6, 1),
                    D(2026, 12, 31))
    assert error.message == ("« Bureau 101 » accueille 3 personnes au plus : le 1 juin 2026, "
                             "3 places y sont déjà prises.")
    assert error.existing_id == house["b101"]
    # after Ébène leaves on 31 August, a seat is free again: from 1 September
    assert assign(services, house, "b101", "Compost'Âge", D(2026, 9, 1), D(2026, 12, 31))
    # …and a seat before Ébène arrives, until the eve of its arrival
    assert assign(services, house, "b101", "Numérique & Partage", D(2026, 1, 1), D(2026, 2, 28))
    # two seats at once where only one is left
    refused(Conflict, assign, services, house, "b101", "Numérique & Partage", D(2027, 1, 1),
            seats=2)


def test_the_capacity_is_checked_on_every_day_of_the_period(services, house):
    """Free at its start, the office fills up later inside the period: refused, on the day
    the seats run out."""
    assign(services, house, "b101", "Brûlerie Équitable", D(2026, 6, 1), D(2026, 6, 30), seats=2)
    error = refused(Conflict, assign, services, house, "b101", "Ébène Traduction",
                    D(2026, 1, 1), D(2026, 12, 31), seats=2)
    assert "le 1 juin 2026, 2 places y sont déjà prises" in error.message
    # an open-ended one, too
    refused(Conflict, assign, services, house, "b101", "Ébène Traduction", D(2026, 1, 1),
            seats=2)
    # one seat fits beside them all year
    assert assign(services, house, "b101", "Ébène Traduction", D(2026, 1, 1), seats=1)


def test_several_holders_share_an_office(services, house):
    for name in ("Brûlerie Équitable", "Ébène Traduction", "Compost'Âge"):
        assign(services, house, "b101", name, D(2026, 1, 1))
    error = refused(Conflict, assign, services, house, "b101", "Numérique & Partage",
                    D(2026, 11, 1))
    assert error.message == ("« Bureau 101 » accueille 3 personnes au plus : le 1 novembre "
                             "2026, 3 places y sont déjà prises.")


def test_desks_inside_an_office_count_towards_its_capacity(services, house):
    """Bureau 102 holds 2 people; its two desks and the office itself share those seats."""
    assign(services, house, "b102", "Brûlerie Équitable", D(2026, 1, 1))
    assign(services, house, "d102a", "Ébène Traduction", D(2026, 1, 1))
    error = refused(Conflict, assign, services, house, "d102b", "Compost'Âge", D(2026, 5, 1),
                    D(2026, 5, 31))
    assert error.message == ("« Bureau 102 » accueille 2 personnes au plus : le 1 mai 2026, "
                             "2 places y sont déjà prises.")
    refused(Conflict, assign, services, house, "b102", "Compost'Âge", D(2026, 5, 1))
    # the office of one seat: a desk in it, then the office is full
    b102 = services.spaces.space(space_id=house["b102"])
    services.spaces.save_space(replace(b102, name="Bureau 103", capacity=3))
    assert assign(services, house, "d102b", "Compost'Âge", D(2026, 5, 1), D(2026, 5, 31))
    error = refused(Conflict, assign, services, house, "b102", "Numérique & Partage",
                    D(2026, 5, 31), D(2026, 6, 30))
    assert "« Bureau 103 » accueille 3 personnes au plus : le 31 mai 2026" in error.message
    assert assign(services, house, "b102", "Numérique & Partage", D(2026, 6, 1), D(2026, 6, 30))


def test_a_desk_in_an_office_is_still_one_holder_at_a_time(services, house):
    b102 = services.spaces.space(space_id=house["b102"])
    services.spaces.save_space(replace(b102, capacity=5))
    assign(services, house, "d102a", "Ébène Traduction", D(2026, 1, 1), D(2026, 6, 30))
    error = refused(Conflict, assign, services, house, "d102a", "Compost'Âge", D(2026, 6, 30))
    assert error.message.startswith("« Poste 102-1 » est déjà attribué à Ébène Traduction")


# --- changing an assignment: extend, end, move, delete --------------------------------------


def test_extend_shorten_and_end(services, house):
    spaces = services.spaces
    first = assign(services, house, "a1", "Brûlerie Équitable", D(2026, 1, 1), D(2026, 6, 30))
    second = assign(services, house, "a1", "Ébène Traduction", D(2026, 9, 1))
    # extended to the eve of the next holder: fine; one day more: refused
    spaces.update_assignment(assignment_id=first, start=D(2026, 1, 1), end=D(2026, 8, 31),
                             notes="  prolongée  ")
    error = refused(Conflict, spaces.update_assignment, assignment_id=first,
                    start=D(2026, 1, 1), end=D(2026, 9, 1))
    assert error.existing_id == second
    assert history(services, house, "a1")[1] == ("Brûlerie Équitable", D(2026, 1, 1),
                                                 D(2026, 8, 31))
    assert spaces.history(space_id=house["a1"])[1].notes == "prolongée"
    # the next holder cannot start earlier either, but may end
    refused(Conflict, spaces.update_assignment, assignment_id=second, start=D(2026, 8, 31),
            end=None)
    spaces.end_assignment(assignment_id=second, end=D(2027, 3, 31))
    assert history(services, house, "a1")[0] == ("Ébène Traduction", D(2026, 9, 1),
                                                 D(2027, 3, 31))
    error = refused(ValidationError, spaces.end_assignment, assignment_id=second,
                    end=D(2026, 8, 31))
    assert (error.field, error.message) == (
        "end", "La fin ne peut pas précéder le début (1 septembre 2026).")
    error = refused(ValidationError, spaces.update_assignment, assignment_id=second,
                    start=D(2026, 9, 1), end=D(2026, 8, 1))
    assert error.field == "end"
    refused(NotFound, spaces.end_assignment, assignment_id=9999, end=D(2026, 1, 1))
    refused(NotFound, spaces.update_assignment, assignment_id=9999, start=D(2026, 1, 1),
            end=None)


def test_more_seats_in_an_office_only_if_they_are_free(services, house):
    spaces = services.spaces
    mine = assign(services, house, "b101", "Brûlerie Équitable", D(2026, 1, 1))
    assign(services, house, "b101", "Ébène Traduction", D(2026, 1, 1))
    spaces.update_assignment(assignment_id=mine, start=D(2026, 1, 1), end=None, seats=2)
    refused(Conflict, spaces.update_assignment, assignment_id=mine, start=D(2026, 1, 1),
            end=None, seats=3)
    assert [a.seats for a in spaces.history(space_id=house["b101"])] == [1, 2]


def test_move_to_another_desk(services, house):
    spaces = services.spaces
    old = assign(services, house, "a1", "Compost'Âge", D(2026, 1, 1), D(2026, 12, 31),
                 notes="clé n° 4")
    new = spaces.move_assignment(assignment_id=old, space_id=house["a2"], on=D(2026, 3, 1))
    assert new != old
    assert history(services, house, "a1") == [("Compost'Âge", D(2026, 1, 1), D(2026, 2, 28))]
    assert history(services, house, "a2") == [("Compost'Âge", D(2026, 3, 1), D(2026, 12, 31))]
    assert spaces.history(space_id=house["a2"])[0].notes == "clé n° 4"
    # moving on (or before) the first day: the same assignment simply changes place
    later = assign(services, house, "b101", "Brûlerie Équitable", D(2027, 1, 1), seats=2)
    assert spaces.move_assignment(assignment_id=later, space_id=house["b102"],
                                  on=D(2026, 12, 1)) == later
    assert history(services, house, "b101") == []
    assert [(a.holder, a.seats) for a in spaces.history(space_id=house["b102"])] == [
        ("Brûlerie Équitable", 2)]


def test_a_move_is_refused_where_the_place_is_taken_and_changes_nothing(services, house):
    spaces = services.spaces
    mine = assign(services, house, "a1", "Compost'Âge", D(2026, 1, 1))
    assign(services, house, "a2", "Ébène Traduction", D(2026, 6, 1), D(2026, 6, 30))
    error = refused(Conflict, spaces.move_assignment, assignment_id=mine, space_id=house["a2"],
                    on=D(2026, 3, 1))
    assert "Ébène Traduction du 1 juin 2026 au 30 juin 2026" in error.message
    assert history(services, house, "a1") == [("Compost'Âge", D(2026, 1, 1), None)]
    error = refused(ValidationError, spaces.move_assignment, assignment_id=mine,
                    space_id=house["a1"], on=D(2026, 3, 1))
    assert error.field == "space"
    ended = assign(services, house, "b101", "Brûlerie Équitable", D(2026, 1, 1), D(2026, 1, 31))
    error = refused(ValidationError, spaces.move_assignment, assignment_id=ended,
                    space_id=house["b102"], on=D(2026, 2, 1))
    assert (error.field, error.message) == ("on",
                                            "Cette attribution se termine avant cette date.")
    assert refused(ValidationError, spaces.move_assignment, assignment_id=mine,
                   space_id=house["room"], on=D(2026, 3, 1)).field == "space"
    refused(NotFound, spaces.move_assignment, assignment_id=9999, space_id=house["a2"],
            on=D(2026, 3, 1))


def test_a_move_between_two_desks_of_a_full_office(services, house):
    """Bureau 102 holds 2 people and has two desks and a third one added: both taken, the
    holder of 102-2 moves to 102-3 in March — still two people in the office."""
    d102c = new_space(services, "Poste 102-3", SpaceKind.DESK, floor=1, parent=house["b102"])
    assign(services, house, "d102a", "Ébène Traduction", D(2026, 1, 1))
    mover = assign(services, house, "d102b", "Compost'Âge", D(2026, 1, 1))
    services.spaces.move_assignment(assignment_id=mover, space_id=d102c, on=D(2026, 3, 1))
    assert [(a.holder, a.start) for a in services.spaces.history(space_id=d102c)] == [
        ("Compost'Âge", D(2026, 3, 1))]


def test_delete_an_assignment_entered_by_mistake(services, house):
    mistake = assign(services, house, "a1", "Compost'Âge", D(2026, 1, 1))
    services.spaces.delete_assignment(assignment_id=mistake)
    assert history(services, house, "a1") == []
    assert assign(services, house, "a1", "Ébène Traduction", D(2026, 1, 1))
    refused(NotFound, services.spaces.delete_assignment, assignment_id=9999)


# --- the hosting agreement's dates ------------------------------------------------------------


@pytest.fixture
def agreements(services, house):
    """Two signed hosting agreements (issue #6): 7 runs through 2026, 8 from April 2026 to
    March 2027."""
    from maison_app.db.hosting import HostingAgreement
    from maison_app.domain.enums import AgreementStatus

    periods = {7: (D(2026, 1, 1), D(2026, 12, 31)), 8: (D(2026, 4, 1), D(2027, 3, 31))}
    with services.ctx.writing() as s:
        for n, (start, end) in periods.items():
            s.add(HostingAgreement(id=n, number=f"CH-2026-{n:04d}", year=2026, sequence=n,
                                   status=AgreementStatus.SIGNED, start=start, end=end,
                                   organisation_id=house["Compost'Âge"]))
    return periods


def test_an_assignment_stays_within_its_agreement(services, house, agreements):
    inside = assign(services, house, "a1", "Compost'Âge", D(2026, 2, 1), D(2026, 6, 30),
                    agreement_id=7)
    assert services.spaces.history(space_id=house["a1"])[0].agreement_id == 7
    assert assign(services, house, "a2", "Ébène Traduction", D(2026, 1, 1), D(2026, 12, 31),
                  agreement_id=7)  # exactly its dates
    for start, end in ((D(2025, 12, 31), D(2026, 6, 30)),  # starts before it
                       (D(2027, 1, 1), D(2027, 1, 31)),  # after it
                       (D(2026, 7, 1), D(2027, 1, 1)),  # ends after it
                       (D(2026, 7, 1), None)):  # until further notice: beyond its end
        error = refused(ValidationError, assign, services, house, "b101", "Compost'Âge",
                        start, end, agreement_id=7)
        assert (error.field, error.message) == (
            "end", ("L'attribution doit rester dans les dates de la convention (du 1 janvier "
                   "2026 au 31 décembre 2026)."))
    assert assign(services, house, "b101", "Brûlerie Équitable", D(2026, 4, 1),
                  D(2027, 3, 31), agreement_id=8)
    error = refused(ValidationError, assign, services, house, "b102", "Brûlerie Équitable",
                    D(2026, 3, 31), D(2026, 12, 31), agreement_id=8)
    assert "(du 1 avril 2026 au 31 mars 2027)" in error.message
    # an agreement that does not exist
    error = refused(ValidationError, assign, services, house, "b102", "Brûlerie Équitable",
                    D(2026, 4, 1), agreement_id=99)
    assert (error.field, error.message) == ("agreement",
                                            "Cette convention d'hébergement n'existe pas.")
    # extending past the agreement is refused too; moving keeps to it
    refused(ValidationError, services.spaces.update_assignment, assignment_id=inside,
            start=D(2026, 2, 1), end=D(2027, 6, 30))
    refused(ValidationError, services.spaces.end_assignment, assignment_id=inside,
            end=D(2027, 1, 1))
    services.spaces.end_assignment(assignment_id=inside, end=D(2026, 12, 31))


def test_without_the_agreements_area_an_agreement_is_refused(services, house, monkeypatch):
    from maison_app.services import spaces

    monkeypatch.setattr(spaces, "agreement_period", None)
    error = refused(ValidationError, assign, services, house, "a1", "Compost'Âge",
                    D(2026, 2, 1), agreement_id=7)
    assert error.field == "agreement"
    assert assign(services, house, "a1", "Compost'Âge", D(2026, 2, 1))  # none: fine


# --- the plan on a chosen day, the history ----------------------------------------------------


def test_the_floor_plan_on_chosen_days(services, house):
    assign(services, house, "a1", "Brûlerie Équitable", D(2026, 1, 1), D(2026, 12, 15))
    assign(services, house, "a2", "Ébène Traduction", D(2027, 1, 1))
    assign(services, house, "b101", "Compost'Âge", D(2026, 1, 1), seats=2)
    assign(services, house, "b102", "Numérique & Partage", D(2026, 1, 1), D(2027, 6, 30),
           seats=2)

    def states(floor, day=None):
        plan = services.spaces.floor_plan(floor=floor, day=day)
        return plan, {st.space.name: st for st in plan.spaces}

    plan, ground = states(0)  # today, 26 November 2026
    assert plan.day == TODAY and plan.floor == 0
    assert (plan.width, plan.height) == (14, 14)  # the open space reaches 14 m × 14 m
    assert ground["Poste A1"].occupancy is Occupancy.ENDING  # ends on 15 December
    assert [a.holder for a in ground["Poste A1"].current] == ["Brûlerie Équitable"]
    assert ground["Poste A2"].occupancy is Occupancy.RESERVED
    assert ground["Poste A2"].next.holder == "Ébène Traduction"
    assert ground["Poste A2"].current == ()
    assert ground["Salle Sèvre"].occupancy is None  # booked, never allocated
    assert ground["Espace partagé"].occupancy is None
    _plan, upstairs = states(1)
    assert upstairs["Bureau 101"].occupancy is Occupancy.OCCUPIED  # 2 of 3
    assert upstairs["Bureau 101"].seats_taken == 2
    assert upstairs["Bureau 102"].occupancy is Occupancy.FULL
    assert upstairs["Poste 102-1"].occupancy is Occupancy.FREE  # the office took both seats

    # another day: in June every one is occupied; in January 2027 A1 is free, A2 taken
    _plan, june = states(0, D(2026, 6, 15))
    assert june["Poste A1"].occupancy is Occupancy.OCCUPIED
    assert june["Poste A2"].occupancy is Occupancy.RESERVED
    _plan, next_year = states(0, D(2027, 1, 1))
    assert next_year["Poste A1"].occupancy is Occupancy.FREE
    assert next_year["Poste A2"].occupancy is Occupancy.OCCUPIED
    _plan, before = states(1, D(2025, 12, 31))
    assert before["Bureau 102"].occupancy is Occupancy.RESERVED
    _plan, leaving = states(1, D(2027, 6, 10))
    assert leaving["Bureau 102"].occupancy is Occupancy.ENDING

    # a space out of service is not drawn
    a2 = services.spaces.space(space_id=house["a2"])
    services.spaces.save_space(replace(a2, active=False))
    assert "Poste A2" not in states(0)[1]
    # a floor without spaces: an empty drawing of a default size
    empty = services.spaces.floor_plan(floor=3)
    assert empty.spaces == () and (empty.width, empty.height) == (20.0, 12.0)


def test_the_history_of_a_desk_latest_first(services, house):
    assign(services, house, "a1", "Ébène Traduction", D(2027, 1, 1))
    assign(services, house, "a1", "Brûlerie Équitable", D(2024, 1, 1), D(2024, 12, 31))
    assign(services, house, "a1", "Hélène", D(2025, 3, 1), D(2026, 2, 28))
    assert history(services, house, "a1") == [
        ("Ébène Traduction", D(2027, 1, 1), None),
        ("Hélène Lefèvre", D(2025, 3, 1), D(2026, 2, 28)),
        ("Brûlerie Équitable", D(2024, 1, 1), D(2024, 12, 31)),
    ]
    assert services.spaces.history(space_id=house["a2"]) == ()
    refused(NotFound, services.spaces.history, space_id=9999)


def test_current_and_future_assignments_of_a_holder(services, house):
    assign(services, house, "a1", "Compost'Âge", D(2025, 1, 1), D(2025, 12, 31))  # over
    assign(services, house, "a2", "Compost'Âge", D(2026, 1, 1), D(2026, 12, 10))
    assign(services, house, "b101", "Compost'Âge", D(2027, 1, 1))
    assign(services, house, "b102", "Ébène Traduction", D(2026, 1, 1), D(2026, 12, 31))
    mine = services.spaces.assignments(organisation_id=house["Compost'Âge"])
    assert [a.space_name for a in mine] == ["Poste A2", "Bureau 101"]
    ending = services.spaces.assignments(ending_within_days=30)
    assert [(a.space_name, a.holder) for a in ending] == [("Poste A2", "Compost'Âge")]
    assert services.spaces.assignments(person_id=house["Hélène"]) == ()


# --- figures ---------------------------------------------------------------------------------


@pytest.fixture
def small_plan(services):
    """Three units: desk X (on its own) and desk Y (in an open space) on the ground floor,
    office O of 2 upstairs; plus what never counts: a room, a desk out of service."""
    people = services.people
    orgs = [people.create_organisation(name=f"Structure {n}") for n in range(1, 5)]
    ids = {"orgs": orgs}
    open_space = new_space(services, "Plateau", SpaceKind.OPEN_SPACE, capacity=6)
    ids["x"] = new_space(services, "Poste X", SpaceKind.DESK)
    ids["y"] = new_space(services, "Poste Y", SpaceKind.DESK, parent=open_space)
    ids["o"] = new_space(services, "Bureau O", SpaceKind.OFFICE, floor=1, capacity=2)
    new_space(services, "Salle R", SpaceKind.MEETING_ROOM, capacity=12)
    new_space(services, "Poste Z", SpaceKind.DESK, active=False)
    spaces = services.spaces
    spaces.assign(space_id=ids["x"], organisation_id=orgs[0], start=D(2026, 11, 1),
                  end=D(2026, 11, 15))
    spaces.assign(space_id=ids["y"], organisation_id=orgs[1], start=D(2026, 10, 20))
    spaces.assign(space_id=ids["o"], organisation_id=orgs[2], start=D(2026, 11, 10),
                  end=D(2026, 12, 31))
    spaces.assign(space_id=ids["o"], organisation_id=orgs[3], start=D(2026, 12, 1))
    # long gone: outside the twelve months
    spaces.assign(space_id=ids["x"], organisation_id=orgs[3], start=D(2024, 1, 1),
                  end=D(2025, 6, 30))
    return ids


def test_occupancy_figures_on_a_known_plan(services, small_plan):
    figures = services.spaces.figures()
    by = {(f.year, f.month, f.floor): f for f in figures.months}
    assert len(figures.months) == 12 * 3  # twelve months × (ground floor, first floor, house)
    months = sorted({(f.year, f.month) for f in figures.months})
    assert months[0] == (2025, 12) and months[-1] == (2026, 11) and len(months) == 12

    # November 2026, 30 days. X: 1 seat × 30 days, held 1–15 → 15. Y: held all month → 30.
    # O: 2 seats × 30 days, 1 seat from the 10th → 21.
    nov0, nov1, nov = by[(2026, 11, 0)], by[(2026, 11, 1)], by[(2026, 11, None)]
    assert (nov0.seat_days, nov0.occupied_seat_days) == (60, 45)
    assert (nov1.seat_days, nov1.occupied_seat_days) == (60, 21)
    assert (nov.seat_days, nov.occupied_seat_days) == (120, 66)
    assert nov.rate == pytest.approx(0.55)
    assert nov0.rate == pytest.approx(0.75) and nov1.rate == pytest.approx(0.35)
    # October, 31 days: Y from the 20th → 12 seat-days
    octo = by[(2026, 10, None)]
    assert (octo.seat_days, octo.occupied_seat_days) == (124, 12)
    assert by[(2026, 10, 0)].occupied_seat_days == 12
    assert by[(2026, 10, 1)].occupied_seat_days == 0
    # December 2025: nobody (the old holder of X left in June 2025)
    dec = by[(2025, 12, None)]
    assert (dec.seat_days, dec.occupied_seat_days, dec.rate) == (124, 0, 0.0)
    # February 2026: 28 days
    assert by[(2026, 2, None)].seat_days == 4 * 28

    # today (26 Nov): X free, Y taken, O one seat of two → 2 free. On 1 December: X free,
    # Y taken, O full (the second holder arrives) → 1.
    assert (figures.seats, figures.free_now, figures.free_next_month) == (4, 2, 1)
    assert len(services.spaces.figures(months=3).months) == 3 * 3


def test_an_office_with_desks_counts_its_capacity_once(services):
    org1 = services.people.create_organisation(name="Structure 1")
    org2 = services.people.create_organisation(name="Structure 2")
    office = new_space(services, "Bureau P", SpaceKind.OFFICE, floor=1, capacity=3)
    desk = new_space(services, "Poste P1", SpaceKind.DESK, floor=1, parent=office)
    services.spaces.assign(space_id=desk, organisation_id=org1, start=D(2026, 1, 1))
    services.spaces.assign(space_id=office, organisation_id=org2, start=D(2026, 1, 1), seats=2)
    figures = services.spaces.figures(months=1)
    (house,) = [f for f in figures.months if f.floor is None]
    assert figures.seats == 3
    assert (house.seat_days, house.occupied_seat_days) == (3 * 30, 3 * 30)
    assert figures.free_now == 0


# --- personal data ---------------------------------------------------------------------------


def test_a_desk_held_by_a_person_is_exported_and_erased_keeping_the_figures(services, house):
    assign(services, house, "a1", "Hélène", D(2026, 1, 1), notes="Clé n° 4, badge 12")
    before = services.spaces.figures()
    export = services.privacy.export(person_id=house["Hélène"])
    (desks,) = [s for s in export.sections if s.area == "desks"]
    assert desks.title == "Bureaux et postes attribués"
    assert desks.records == ({"espace": "Poste A1", "du": "2026-01-01", "au": None,
                              "places": 1, "notes": "Clé n° 4, badge 12"},)

    report = services.privacy.erase(person_id=house["Hélène"])
    assert ("Bureaux et postes attribués : 1 attribution de poste conservée sans nom pour les "
            "taux d'occupation.") in report.lines
    (kept,) = services.spaces.history(space_id=house["a1"])
    assert kept.notes is None and kept.holder == ANONYMOUS_NAME
    assert services.spaces.figures() == before
    (desks,) = [s for s in services.privacy.export(person_id=house["Hélène"]).sections
                if s.area == "desks"]
    assert desks.records[0]["notes"] is None


def test_holding_a_desk_keeps_a_person_active_for_the_retention(services, house, clock):
    assign(services, house, "a1", "Hélène", D(2026, 1, 1))
    clock.advance(days=365 * 3 + 30)
    assert services.retention.purge().contacts_anonymised == 0


# --- permissions ---------------------------------------------------------------------------


def test_reception_reads_the_plan_but_does_not_allocate(services, house):
    assign(services, house, "a1", "Compost'Âge", D(2026, 1, 1))
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    plan = desk.spaces.floor_plan(floor=0)
    assert {st.space.name: st.occupancy for st in plan.spaces}["Poste A1"] is Occupancy.OCCUPIED
    assert desk.spaces.history(space_id=house["a1"])
    assert desk.spaces.figures().seats > 0
    assert desk.spaces.spaces()
    for call, kwargs in (
        (desk.spaces.assign, {"space_id": house["a2"], "start": D(2026, 1, 1),
                                  "organisation_id": house["Compost'Âge"]}),
        (desk.spaces.end_assignment, {"assignment_id": 1, "end": D(2026, 12, 31)}),
        (desk.spaces.delete_assignment, {"assignment_id": 1}),
        (desk.spaces.move_space, {"space_id": house["a1"], "geometry": Geometry()}),
    ):
        refused(PermissionDenied, call, **kwargs)
    error = refused(PermissionDenied, desk.spaces.save_space,
                    desk.spaces.space(space_id=house["a1"]))
    assert error.message.startswith("Votre rôle (Accueil) ne permet pas cette action")
    assert history(services, house, "a2") == []


def test_incubation_allocates_but_does_not_edit_the_registry(services, house):
    desk = services.for_actor(Actor(login="incubation", role=Role.INCUBATION))
    mine = desk.spaces.assign(space_id=house["a2"], start=D(2026, 1, 1),
                              organisation_id=house["Compost'Âge"])
    desk.spaces.end_assignment(assignment_id=mine, end=D(2026, 12, 31))
    moved = desk.spaces.move_assignment(assignment_id=mine, space_id=house["a1"],
                                        on=D(2026, 6, 1))
    assert history(services, house, "a1") == [("Compost'Âge", D(2026, 6, 1), D(2026, 12, 31))]
    desk.spaces.delete_assignment(assignment_id=moved)
    a1 = desk.spaces.space(space_id=house["a1"])
    refused(PermissionDenied, desk.spaces.save_space, replace(a1, name="Poste A1 bis"))
    refused(PermissionDenied, desk.spaces.move_space, space_id=house["a1"], geometry=Geometry())
    assert services.spaces.space(space_id=house["a1"]).name == "Poste A1"


# --- two desks assigning the same place at the same moment ------------------------------------


def _assign_from_another_process(url, space_id, organisation_id, start, end, barrier, results):
    """One desk of the house: its own connection, waits for the others, then assigns."""
    from maison_app import i18n
    from maison_app.services.context import Actor, Database
    from maison_app.services.registry import Services

    i18n.set_language("fr")
    db = Database.open(url, migrate_schema=False)
    try:
        services = Services.build(db, actor=Actor(login=f"poste-{organisation_id}",
                                                  role=Role.INCUBATION))
        services.spaces.floors()  # connected and warm before the race
        barrier.wait(timeout=60)
        try:
            services.spaces.assign(space_id=space_id, organisation_id=organisation_id,
                                   start=start, end=end)
        except Conflict as exc:
            results.put(("conflict", organisation_id, exc.message))
        else:
            results.put(("won", organisation_id, ""))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        results.put(("error", organisation_id, repr(exc)))
    finally:
        db.dispose()


def race(db_url, targets: list[tuple[int, int, dt.date, dt.date | None]]) -> list[tuple]:
    """Start one process per (space, organisation, start, end), all assigning at once."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(targets))
    results = ctx.Queue()
    processes = [ctx.Process(target=_assign_from_another_process,
                             args=(db_url, space, org, start, end, barrier, results))
                 for space, org, start, end in targets]
    for p in processes:
        p.start()
    try:
        outcomes = [results.get(timeout=120) for _ in processes]
    finally:
        for p in processes:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in processes)
    return outcomes


@pytest.fixture
def racers(services):
    return [services.people.create_organisation(name=f"Structure {n}") for n in range(1, 5)]


def test_four_desks_assign_the_same_desk_at_once_and_exactly_one_wins(services, db_url,
                                                                      racers):
    desk = new_space(services, "Poste A1", SpaceKind.DESK)
    # overlapping periods, none the same
    outcomes = race(db_url, [(desk, org, D(2026, 1, 1) + dt.timedelta(days=7 * i),
                              D(2026, 6, 30) if i % 2 else None)
                             for i, org in enumerate(racers)])
    assert [o for o in outcomes if o[0] == "error"] == []
    winners = [org for kind, org, _msg in outcomes if kind == "won"]
    assert len(winners) == 1
    losers = [msg for kind, _org, msg in outcomes if kind == "conflict"]
    assert len(losers) == 3
    (held,) = services.spaces.history(space_id=desk)
    assert held.organisation_id == winners[0]
    assert all(msg.startswith(f"« Poste A1 » est déjà attribué à {held.holder} ")
               for msg in losers)


def test_two_desks_fill_the_last_seat_of_an_office_at_once(services, db_url, racers):
    office = new_space(services, "Bureau 106", SpaceKind.OFFICE, floor=1, capacity=1)
    outcomes = race(db_url, [(office, racers[0], D(2026, 1, 1), D(2026, 12, 31)),
                             (office, racers[1], D(2026, 6, 1), None)])
    assert sorted(kind for kind, _org, _msg in outcomes) == ["conflict", "won"]
    (msg,) = [msg for kind, _org, msg in outcomes if kind == "conflict"]
    assert msg.startswith("« Bureau 106 » accueille 1 personne au plus")
    assert len(services.spaces.history(space_id=office)) == 1


def test_two_desks_of_one_office_of_one_seat_assigned_at_once(services, db_url, racers):
    """Different desks, one office of one seat: the lock is the office's."""
    office = new_space(services, "Bureau 106", SpaceKind.OFFICE, floor=1, capacity=1)
    desks = [new_space(services, f"Poste 106-{n}", SpaceKind.DESK, floor=1, parent=office)
             for n in (1, 2)]
    outcomes = race(db_url, [(desks[0], racers[0], D(2026, 1, 1), None),
                             (desks[1], racers[1], D(2026, 3, 1), D(2026, 3, 31))])
    assert sorted(kind for kind, _org, _msg in outcomes) == ["conflict", "won"]
    held = [a for d in desks for a in services.spaces.history(space_id=d)]
    assert len(held) == 1


def test_an_office_cannot_shrink_below_the_people_it_holds(services, house):
    """Bureau 101 (3 places) holds 2 from December: 1 place is refused with the day named;
    2 places are fine; a past assignment does not count."""
    assign(services, house, "b101", "Compost'Âge", D(2025, 1, 1), D(2025, 12, 31), seats=3)
    assign(services, house, "b101", "Brûlerie Équitable", D(2026, 12, 1), seats=2)
    office = services.spaces.space(space_id=house["b101"])
    error = refused(ValidationError, services.spaces.save_space, replace(office, capacity=1))
    assert error.field == "capacity"
    assert "1 décembre 2026" in str(error) and "2 personnes" in str(error)
    services.spaces.save_space(replace(office, capacity=2))
    assert services.spaces.space(space_id=house["b101"]).capacity == 2
    # an office held by two people cannot become a desk
    error = refused(ValidationError, services.spaces.save_space,
                    replace(office, kind=SpaceKind.DESK, capacity=1))
    assert error.field in ("capacity", "kind")
