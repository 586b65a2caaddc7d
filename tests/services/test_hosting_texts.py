"""HostingTextsService: the texts and defaults of the hosting agreements kept in the settings
(defaults when never saved, a round trip, each refusal, who may read and who may change)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from maison_app.domain.enums import Role
from maison_app.domain.errors import PermissionDenied, ValidationError
from maison_app.domain.hosting import HostingTexts
from maison_app.services.context import Actor
from maison_app.services.hosting_texts import MAX_TEXT_LENGTH, VAT_RATES_BP


def desk(services, role: Role):
    return services.for_actor(Actor(login=role.value, role=role))


def test_defaults_when_nothing_was_saved(services):
    texts = services.hosting_texts.texts()
    assert texts.vat_bp == 2000
    assert texts.default_notice_months == 1
    assert texts.preamble == texts.special_clauses == texts.insurance_text == ""
    assert texts.host_signatory == ""
    rules = texts.internal_rules
    assert "du lundi au vendredi de 8 h à 19 h" in rules
    for topic in ("Badges et clés", "Salles communes", "Cuisine partagée", "Sécurité incendie",
                  "Évacuation", "Tabac et alcool", "Bruit et téléphone", "Courrier",
                  "Respect des autres occupants"):
        assert topic in rules, topic
    assert len(rules.split("\n\n")) == 15  # one paragraph per rule


def test_round_trip_trims_and_keeps_line_breaks(services):
    saved = services.hosting_texts.save_texts(HostingTexts(
        preamble="  Entre les soussignés :\r\nla Maison de l'ESS de Niort…  \n\n",
        special_clauses="Article 12 — Stationnement.\nDeux places sont réservées.",
        internal_rules="Règlement allégé.",
        host_signatory="  Mme Claire   Dupuis, présidente ",
        vat_bp=550,
        default_notice_months=3,
        insurance_text="L'occupant s'assure pour les risques locatifs.",
    ))
    assert saved.preamble == "Entre les soussignés :\nla Maison de l'ESS de Niort…"
    assert saved.host_signatory == "Mme Claire Dupuis, présidente"
    assert services.hosting_texts.texts() == saved
    # read by another desk (another session) the same
    assert desk(services, Role.INCUBATION).hosting_texts.texts() == saved


def test_an_emptied_text_stays_empty(services):
    services.hosting_texts.save_texts(HostingTexts(internal_rules=""))
    assert services.hosting_texts.texts().internal_rules == ""  # no annex: the house's choice


@pytest.mark.parametrize("rate", VAT_RATES_BP)
def test_each_french_vat_rate_is_accepted(services, rate):
    services.hosting_texts.save_texts(HostingTexts(vat_bp=rate))
    assert services.hosting_texts.texts().vat_bp == rate


@pytest.mark.parametrize("rate", [1960, 2100, -2000, 210])
def test_another_vat_rate_is_refused(services, rate):
    with pytest.raises(ValidationError) as refused:
        services.hosting_texts.save_texts(HostingTexts(vat_bp=rate))
    assert refused.value.field == "vat_bp"
    assert refused.value.message == ("Choisissez un taux de TVA français : 20\u00a0%, "
                                     "10\u00a0%, 5,5\u00a0%, 0\u00a0%.")
    assert services.hosting_texts.texts().vat_bp == 2000  # nothing stored


@pytest.mark.parametrize("months", [0, 13, -1])
def test_notice_is_one_to_twelve_months(services, months):
    with pytest.raises(ValidationError) as refused:
        services.hosting_texts.save_texts(HostingTexts(default_notice_months=months))
    assert refused.value.field == "default_notice_months"
    assert "de 1 à 12" in refused.value.message
    services.hosting_texts.save_texts(HostingTexts(default_notice_months=12))
    assert services.hosting_texts.texts().default_notice_months == 12


@pytest.mark.parametrize("name", ["preamble", "special_clauses", "internal_rules",
                                  "insurance_text"])
def test_texts_are_limited_to_twenty_thousand_characters(services, name):
    services.hosting_texts.save_texts(HostingTexts(**{name: "a" * MAX_TEXT_LENGTH}))
    assert len(getattr(services.hosting_texts.texts(), name)) == MAX_TEXT_LENGTH
    with pytest.raises(ValidationError) as refused:
        services.hosting_texts.save_texts(
            HostingTexts(**{name: "b" * (MAX_TEXT_LENGTH + 1)}))
    assert refused.value.field == name
    assert "20\u202f000" in refused.value.message and "20\u202f001" in refused.value.message
    assert getattr(services.hosting_texts.texts(), name) == "a" * MAX_TEXT_LENGTH


def test_signatory_is_limited_to_two_hundred_characters(services):
    with pytest.raises(ValidationError) as refused:
        services.hosting_texts.save_texts(HostingTexts(host_signatory="x" * 201))
    assert refused.value.field == "host_signatory"
    assert services.hosting_texts.save_texts(
        HostingTexts(host_signatory="x" * 200)).host_signatory == "x" * 200


def test_a_refusal_stores_nothing(services):
    good = services.hosting_texts.save_texts(HostingTexts(preamble="Préambule v1"))
    with pytest.raises(ValidationError):
        services.hosting_texts.save_texts(HostingTexts(preamble="Préambule v2", vat_bp=1234))
    assert services.hosting_texts.texts() == good


def test_the_save_is_audited(services):
    from maison_app.domain.audit import AuditFilter

    services.hosting_texts.save_texts(replace(HostingTexts(), vat_bp=1000))
    entries = services.audit.entries(where=AuditFilter(entity="setting",
                                                       entity_id="hosting.vat_bp"))
    assert entries and "1000" in entries[0].summary


def test_incubation_and_accueil_read_but_do_not_save(services):
    for role in (Role.INCUBATION, Role.ACCUEIL):
        other = desk(services, role)
        assert other.hosting_texts.texts().vat_bp == 2000
        with pytest.raises(PermissionDenied):
            other.hosting_texts.save_texts(HostingTexts(vat_bp=1000))
    assert services.hosting_texts.texts().vat_bp == 2000
