"""Attestation d'hébergement and attestation de domiciliation: who, where, since when, until
when, under which convention, signed; the same bytes for the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf

from maison_app.documents.attestation import render_attestation
from maison_app.domain.enums import AgreementStatus, HostingService, LegalForm
from maison_app.domain.hosting import (
    AgreementRecord,
    AttestationData,
    GrantedSpace,
    Party,
)
from maison_app.domain.records import MaisonIdentity

IDENTITY = MaisonIdentity(address="12 rue Joseph Cugnot", siret="12345678900012",
                          email="accueil@maison-ess-niort.fr")
AGREEMENT = AgreementRecord(
    id=7, number="CH-2026-0007", status=AgreementStatus.SIGNED,
    start=dt.date(2026, 6, 1), end=dt.date(2027, 5, 31), organisation_id=3,
    occupant_name="Les Tisserands", representative="Mme Jeanne Martin",
    representative_title="gérante", monthly_fee_cents=45000, deposit_cents=90000,
    services=frozenset({HostingService.DOMICILIATION, HostingService.MAIL}),
    spaces=(GrantedSpace(space_id=1, space_name="Bureau B12", seats=2, floor=2,
                         kind_label="Bureau"),),
    signed_on=dt.date(2026, 5, 20), host_signatory="Mme Claire Dupuis, présidente",
)
OCCUPANT = Party(name="Les Tisserands", legal_form=LegalForm.SCOP, siret="98765432100034",
                 address="4 place de la Brèche, 79000 Niort", representative="Mme Jeanne Martin",
                 representative_title="gérante")
HOSTING = AttestationData(agreement=AGREEMENT, occupant=OCCUPANT,
                          issued_on=dt.date(2026, 11, 26),
                          signatory="Mme Claire Dupuis, présidente")
DOMICILIATION = replace(HOSTING, domiciliation=True)


def text_of(pdf: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(p.extract_text() for p in pages)
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def render(data: AttestationData = HOSTING, number: str = "AH-2026-0001") -> bytes:
    return render_attestation(data, IDENTITY, number)


def test_attestation_d_hebergement():
    pdf = render()
    text = text_of(pdf)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Attestation d'hébergement" in text
    assert "N° AH-2026-0001" in text and "page 1 / 1" in text
    assert ("Je soussigné·e Mme Claire Dupuis, présidente, agissant pour le compte de Maison de "
            "l'ESS (Pôle Territorial de Coopération Économique Niortais), SIRET 123 456 789 "
            "00012, dont le siège est situé 12 rue Joseph Cugnot, 79000 Niort,") in text
    assert ("atteste que Les Tisserands est hébergé·e dans ses locaux, 12 rue Joseph Cugnot, "
            "79000 Niort, dans les espaces suivants : Bureau B12 (bureau, 2e étage), depuis le "
            "1er juin 2026 et jusqu'au 31 mai 2027, au titre de la convention d'hébergement "
            "n° CH-2026-0007.") in text
    # the occupant's box
    assert "Occupant Les Tisserands" in text
    assert "Forme juridique SCOP" in text
    assert "SIRET 987 654 321 00034" in text
    assert "Représenté·e par Mme Jeanne Martin, gérante" in text
    assert "Siège 4 place de la Brèche, 79000 Niort" in text
    assert "Attestation délivrée pour servir et valoir ce que de droit." in text
    assert "Fait à Niort, le 26 novembre 2026" in text
    assert "Signature et cachet" in text
    assert "Code de commerce" not in text


def test_attestation_de_domiciliation():
    text = text_of(render(DOMICILIATION, "AD-2026-0001"))
    assert "Attestation de domiciliation" in text
    assert "N° AD-2026-0001" in text
    assert ("atteste fournir le siège social de Les Tisserands à son adresse, 12 rue Joseph "
            "Cugnot, 79000 Niort, depuis le 1er juin 2026, au titre de la convention "
            "d'hébergement n° CH-2026-0007, conformément aux articles L.123-11-3 et R.123-167 "
            "et suivants du Code de commerce.") in text
    assert "La présente domiciliation est valable jusqu'au 31 mai 2027." in text
    assert "SIRET 987 654 321 00034" in text
    assert "Attestation délivrée pour servir et valoir ce que de droit." in text
    assert "Fait à Niort, le 26 novembre 2026" in text
    assert "Mme Claire Dupuis, présidente" in text
    assert "hébergé·e" not in text


def test_a_convention_yet_to_start_and_one_terminated_early():
    future = replace(HOSTING, agreement=replace(AGREEMENT, start=dt.date(2026, 12, 1),
                                                end=dt.date(2027, 11, 30)))
    assert "à compter du 1er décembre 2026 et jusqu'au 30 novembre 2027" in text_of(
        render(future))
    terminated = replace(DOMICILIATION, agreement=replace(
        AGREEMENT, status=AgreementStatus.TERMINATED, terminated_on=dt.date(2027, 1, 31)))
    assert "valable jusqu'au 31 janvier 2027" in text_of(render(terminated))


def test_domiciliation_only_and_a_project_holder():
    person = Party(name="Hélène Lefèvre", address="8 rue de l'Abreuvoir, 79000 Niort",
                   representative="Hélène Lefèvre")
    data = replace(HOSTING, occupant=person,
                   agreement=replace(AGREEMENT, organisation_id=None, person_id=5, spaces=(),
                                     representative="Hélène Lefèvre", representative_title=""))
    text = text_of(render(data))
    assert "atteste que Hélène Lefèvre est hébergé·e dans ses locaux, 12 rue Joseph Cugnot, " \
           "79000 Niort, depuis le 1er juin 2026" in text
    assert "Domicile 8 rue de l'Abreuvoir" in text
    assert "Forme juridique" not in text and "Représenté·e par" not in text


def test_without_a_signatory_the_house_certifies():
    text = text_of(render(replace(HOSTING, signatory="")))
    assert "Je soussigné" not in text
    assert "Maison de l'ESS (Pôle Territorial de Coopération Économique Niortais), SIRET" in text


def test_same_inputs_same_bytes():
    first = render()
    assert hashlib.sha256(first).digest() == hashlib.sha256(render()).digest()
    assert render(DOMICILIATION) == render(DOMICILIATION)
    assert render(number="AH-2026-0002") != first
    assert render(replace(HOSTING, issued_on=dt.date(2026, 11, 27))) != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Attestation d'hébergement"
    assert "Émis le 26 novembre 2026" in text_of(first)
    assert "Émis le 26 novembre 2026 à" not in text_of(first)
