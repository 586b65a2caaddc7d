"""PeopleService: the reception search (accents, case, ligatures, wildcards, limit) and the
creation of people and organisations."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from maison_app.db.models import Affiliation, Organisation, Person
from maison_app.domain.enums import LegalForm
from maison_app.domain.errors import ValidationError
from maison_app.services.people import DEFAULT_LIMIT


def names(result) -> list[str]:
    return [hit.name for hit in result.hits]


def count(database, model) -> int:
    with database.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def people(services):
    """A few people of the Maison, with accents, ligatures and organisations."""
    p = services.people
    elan = p.create_organisation(name="Élan Coopératif Niortais", legal_form=LegalForm.SCIC)
    ressourcerie = p.create_organisation(name="La Ressourcerie du Marais", city="Niort")
    coop = p.create_organisation(name="Coop 100% locale")
    return {
        "helene": p.create_person(first_name="Hélène", last_name="Lefèvre",
                                  email="h.lefevre@elan-niortais.fr", organisation_ids=(elan,)),
        "francois": p.create_person(first_name="François", last_name="Cœurdevey",
                                    organisation_ids=(ressourcerie, elan)),
        "noel": p.create_person(first_name="Noël", last_name="Martin",
                                email="noel.martin@exemple.fr"),
        "jerome": p.create_person(first_name="Jérôme", last_name="Dupont",
                                  organisation_ids=(coop,)),
        "celine": p.create_person(first_name="Céline", last_name="Martineau",
                                  email="celine_m@exemple.fr"),
    }


# --- accents, case, ligatures ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["helene", "Hélène", "HELENE", "hÉlÈne", "  helene  "])
def test_first_name_without_accents_or_case(services, people, query):
    assert names(services.people.search(query=query)) == ["Hélène Lefèvre"]


@pytest.mark.parametrize("query", ["lefevre", "Lefèvre", "LEFÈVRE", "lefe"])
def test_last_name_without_accents_or_case(services, people, query):
    assert names(services.people.search(query=query)) == ["Hélène Lefèvre"]


def test_ligature_oe_is_searched_as_oe(services, people):
    assert names(services.people.search(query="coeurdevey")) == ["François Cœurdevey"]
    assert names(services.people.search(query="Cœur")) == ["François Cœurdevey"]
    assert names(services.people.search(query="COEUR")) == ["François Cœurdevey"]


def test_cedilla_and_diaeresis(services, people):
    assert names(services.people.search(query="francois")) == ["François Cœurdevey"]
    assert names(services.people.search(query="noel")) == ["Noël Martin"]
    assert names(services.people.search(query="jerome")) == ["Jérôme Dupont"]


def test_search_by_organisation_name(services, people):
    result = services.people.search(query="elan cooperatif")
    assert names(result) == ["François Cœurdevey", "Hélène Lefèvre"]  # alphabetical by last name
    francois = result.hits[0]
    assert set(francois.organisations.split(", ")) == {"La Ressourcerie du Marais",
                                                       "Élan Coopératif Niortais"}
    assert names(services.people.search(query="ressourcerie")) == ["François Cœurdevey"]
    assert names(services.people.search(query="marais")) == ["François Cœurdevey"]


def test_search_by_email_parts(services, people):
    assert names(services.people.search(query="elan-niortais")) == ["Hélène Lefèvre"]
    assert names(services.people.search(query="h.lefevre@")) == ["Hélène Lefèvre"]
    assert names(services.people.search(query="exemple.fr")) == ["Noël Martin", "Céline Martineau"]


def test_every_word_must_match(services, people):
    assert names(services.people.search(query="martin")) == ["Noël Martin", "Céline Martineau"]
    assert names(services.people.search(query="martin celine")) == ["Céline Martineau"]
    assert names(services.people.search(query="celine martin")) == ["Céline Martineau"]
    assert names(services.people.search(query="helene niortais")) == ["Hélène Lefèvre"]
    assert names(services.people.search(query="helene ressourcerie")) == []


def test_hit_carries_person_fields(services, people):
    (hit,) = services.people.search(query="lefevre").hits
    assert hit.id == people["helene"]
    assert (hit.first_name, hit.last_name, hit.email) == ("Hélène", "Lefèvre",
                                                          "h.lefevre@elan-niortais.fr")
    assert hit.organisations == "Élan Coopératif Niortais"
    assert hit.present_visit_id is None
    (noel,) = services.people.search(query="noel").hits
    assert noel.organisations == ""


def test_hit_says_who_is_in_the_building(services, people):
    visit = services.reception.check_in(person_id=people["helene"])
    (hit,) = services.people.search(query="helene").hits
    assert hit.present_visit_id == visit.id
    services.reception.check_out(visit_id=visit.id)
    (hit,) = services.people.search(query="helene").hits
    assert hit.present_visit_id is None


# --- short queries and wildcards -----------------------------------------------------------------


@pytest.mark.parametrize("query", ["", " ", "h", "é", "  a  ", "%", "_"])
def test_one_character_is_too_short(services, people, query):
    result = services.people.search(query=query)
    assert result.too_short
    assert result.hits == ()
    assert not result.truncated
    assert result.query == query


def test_two_characters_are_enough(services, people):
    result = services.people.search(query="Jé")
    assert not result.too_short
    assert names(result) == ["Jérôme Dupont"]


def test_oe_ligature_alone_is_two_letters(services, people):
    # "œ" folds to "oe": long enough to search, and it finds "Cœurdevey"
    result = services.people.search(query="œ")
    assert not result.too_short
    assert "François Cœurdevey" in names(result)


@pytest.mark.parametrize("query", ["%%", "__", "h%e", "l_fevre", "%lefevre", "\\%",
                                   "\\\\", "[a-z]"])
def test_like_wildcards_are_literal(services, people, query):
    result = services.people.search(query=query)
    assert result.hits == (), f"{query!r} matched {names(result)}"


def test_percent_and_underscore_are_found_literally(services, people):
    assert names(services.people.search(query="100%")) == ["Jérôme Dupont"]
    assert names(services.people.search(query="celine_m")) == ["Céline Martineau"]
    # "_" is not "any character": "noel_martin" must not find "noel.martin@exemple.fr"
    assert names(services.people.search(query="noel_martin")) == []
    assert names(services.people.search(query="noel.martin")) == ["Noël Martin"]


# --- limit ------------------------------------------------------------------------------------------


def test_limit_and_truncated_flag(services):
    for i in range(7):
        services.people.create_person(first_name=f"Prénom{i}", last_name="Bénévole")
    full = services.people.search(query="benevole")
    assert len(full.hits) == 7 and not full.truncated

    cut = services.people.search(query="benevole", limit=5)
    assert len(cut.hits) == 5 and cut.truncated
    # the first five of the alphabetical order
    assert [h.first_name for h in cut.hits] == [h.first_name for h in full.hits[:5]]

    exact = services.people.search(query="benevole", limit=7)
    assert len(exact.hits) == 7 and not exact.truncated


def test_default_limit(services):
    for i in range(DEFAULT_LIMIT + 1):
        services.people.create_person(first_name=f"P{i:03d}", last_name="Durand")
    result = services.people.search(query="durand")
    assert len(result.hits) == DEFAULT_LIMIT
    assert result.truncated


def test_results_are_alphabetical_by_last_then_first_name(services):
    for first, last in [("Zoé", "Abadie"), ("Émile", "Zola"), ("Adèle", "Zola"), ("Éric", "Émery")]:
        services.people.create_person(first_name=first, last_name=last, email="x@coop-niort.fr")
    assert names(services.people.search(query="coop-niort")) == [
        "Zoé Abadie", "Éric Émery", "Adèle Zola", "Émile Zola",
    ]


def test_anonymised_people_are_not_found(services, database, people):
    with database.writing() as s:
        s.execute(update(Person).where(Person.id == people["noel"]).values(anonymised=True))
    assert names(services.people.search(query="martin")) == ["Céline Martineau"]
    assert names(services.people.search(query="noel")) == []


# --- creation ---------------------------------------------------------------------------------------


def test_create_person_links_organisations(services, database):
    org = services.people.create_organisation(name="Emmaüs Niort", legal_form=LegalForm.ASSOCIATION,
                                              siret="732 829 320 00074")
    pid = services.people.create_person(first_name=" Anaïs ", last_name=" Moreau ",
                                        email=" anais@emmaus.fr ", organisation_ids=(org,))
    with database.reading() as s:
        person = s.get(Person, pid)
        assert (person.first_name, person.last_name, person.email) == ("Anaïs", "Moreau",
                                                                       "anais@emmaus.fr")
        assert person.search_key == "anais moreau anais@emmaus.fr emmaus niort"
        assert s.scalars(select(Affiliation.organisation_id).where(
            Affiliation.person_id == pid)).all() == [org]
        assert s.get(Organisation, org).siret == "73282932000074"


def test_create_person_requires_a_last_name(services, database):
    with pytest.raises(ValidationError) as info:
        services.people.create_person(first_name="Hélène", last_name="  ")
    assert info.value.field == "last_name"
    assert info.value.message  # a French sentence
    assert count(database, Person) == 0


def test_create_person_refuses_a_bad_email(services, database):
    with pytest.raises(ValidationError) as info:
        services.people.create_person(first_name="A", last_name="B", email="pas-une-adresse")
    assert info.value.field == "email"
    assert "e-mail" in info.value.message
    assert count(database, Person) == 0


def test_create_organisation_refuses_a_bad_siret(services, database):
    with pytest.raises(ValidationError) as info:
        services.people.create_organisation(name="Coop", siret="73282932000075")
    assert info.value.field == "siret"
    with pytest.raises(ValidationError) as info:
        services.people.create_organisation(name="Coop", siret="1234")
    assert info.value.field == "siret"
    with pytest.raises(ValidationError) as info:
        services.people.create_organisation(name=" ")
    assert info.value.field == "name"
    assert count(database, Organisation) == 0


@pytest.mark.parametrize("cap", [1, 3, 1000])
def test_every_search_plan_gives_the_same_alphabetical_page(services, monkeypatch, cap):
    """The search picks its way (alphabetical walk or trigram index) by how common the
    letters are; whatever the way, the page is the same."""
    from maison_app.services import people as module

    monkeypatch.setattr(module, "TRIGRAM_CANDIDATES_MAX", cap)
    monkeypatch.setattr(module, "ALPHABETICAL_WINDOW", cap)
    names = ["Zoé Sénéchal", "Anne Sénéchal", "Luc Martin", "Léa Marchand", "Paul Sené",
             "Inès Marin", "Hugo Roussel", "Éva Rousseau", "Noé Bensaïd", "Mia Martinez"]
    for full in names:
        first, last = full.split(" ", 1)
        services.people.create_person(first_name=first, last_name=last)

    def found(query, limit=50):
        return [h.name for h in services.people.search(query=query, limit=limit).hits]

    assert found("sen") == ["Paul Sené", "Anne Sénéchal", "Zoé Sénéchal"]
    assert found("ens") == ["Noé Bensaïd"]
    assert found("mar") == ["Léa Marchand", "Inès Marin", "Luc Martin", "Mia Martinez"]
    assert found("mar", limit=2) == ["Léa Marchand", "Inès Marin"]
    assert found("rouss") == ["Éva Rousseau", "Hugo Roussel"]
    assert found("ma tin") == ["Luc Martin", "Mia Martinez"]
    assert found("xyz") == []
