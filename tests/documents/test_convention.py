"""Convention d'hébergement: every article French practice expects, the domiciliation article
only with the service, PROJET on a draft, the annex, and the same bytes for the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf
import pytest

from maison_app.documents.convention import (
    french_spacing,
    period_text,
    render_convention,
    vat_rate_text,
    whole_months,
)
from maison_app.domain.enums import (
    AgreementLink,
    AgreementStatus,
    HostingService,
    LegalForm,
)
from maison_app.domain.hosting import (
    AgreementRecord,
    ConventionData,
    GrantedSpace,
    HostingTexts,
    Party,
)
from maison_app.domain.records import MaisonIdentity

ISSUED = dt.date(2026, 11, 20)
IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
)
AGREEMENT = AgreementRecord(
    id=7, number="CH-2026-0007", status=AgreementStatus.SIGNED,
    start=dt.date(2026, 12, 1), end=dt.date(2027, 11, 30), organisation_id=3,
    occupant_name="Les Tisserands", project_id=2, project_name="Atelier textile solidaire",
    programme_name="Pépinière", representative="Mme Jeanne Martin", representative_title="gérante",
    monthly_fee_cents=45000, vat_bp=2000, deposit_cents=90000,
    services=frozenset({HostingService.DOMICILIATION, HostingService.MAIL,
                        HostingService.INTERNET}),
    notice_months=3,
    spaces=(
        GrantedSpace(space_id=1, space_name="Bureau B12", seats=2, floor=1, kind_label="Bureau",
                     equipment="2 bureaux, 2 sièges, armoire fermant à clé"),
        GrantedSpace(space_id=2, space_name="Poste P3", seats=1, floor=0,
                     kind_label="Poste de travail"),
    ),
    signed_on=ISSUED, host_signatory="Mme Claire Dupuis, présidente",
    occupant_signatory="Mme Jeanne Martin, gérante",
)
OCCUPANT = Party(
    name="Les Tisserands", legal_form=LegalForm.SCOP, siret="98765432100034",
    address="4 place de la Brèche, 79000 Niort", representative="Mme Jeanne Martin",
    representative_title="gérante",
)
TEXTS = HostingTexts(
    special_clauses="L'Occupant dispose de la salle Marais deux demi-journées par mois.",
    internal_rules="Article 1 — Horaires\nLa Maison est ouverte de 8 h à 19 h.\n\n"
                   "Article 2 — Badges\nLes badges sont personnels.",
    host_signatory="M. Paul Texier, vice-président",
)
SIGNED = ConventionData(agreement=AGREEMENT, occupant=OCCUPANT, texts=TEXTS)
DRAFT = replace(SIGNED, agreement=replace(AGREEMENT, status=AgreementStatus.DRAFT,
                                          signed_on=None, host_signatory="",
                                          occupant_signatory=""), draft=True)

HEADINGS = [
    "Entre les soussignés",
    "Préambule",
    "Article 1 — Objet et nature de la convention",
    "Article 2 — Locaux et mobilier mis à disposition",
    "Article 3 — Services",
    "Article 4 — Durée et renouvellement",
    "Article 5 — Redevance et charges",
    "Article 6 — Dépôt de garantie",
    "Article 7 — Assurances",
    "Article 8 — État des lieux",
    "Article 9 — Règlement intérieur",
    "Article 10 — Accompagnement",
    "Article 11 — Confidentialité",
    "Article 12 — Préavis et résiliation",
]


def normalise(text: str) -> str:
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    return " ".join(text.split())


def pages_of(pdf: bytes) -> list[str]:
    return [normalise(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


def render(data: ConventionData = SIGNED, **overrides) -> bytes:
    kwargs = {"data": data, "identity": IDENTITY, "number": "CH-2026-0007", "issued_on": ISSUED}
    kwargs.update(overrides)
    return render_convention(**kwargs)


def with_agreement(data: ConventionData = SIGNED, **changes) -> ConventionData:
    return replace(data, agreement=replace(data.agreement, **changes))


def test_every_article_heading_is_printed_in_order():
    text = text_of(render())
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert text.index("Article 13 — Domiciliation") > positions[-1]
    assert text.index("Article 14 — Clauses particulières") > text.index("Article 13")
    assert "L'Occupant dispose de la salle Marais deux demi-journées par mois." in text
    assert text.startswith("Maison de l'ESS")
    assert "Convention d'hébergement" in text
    assert "N° CH-2026-0007 · Programme « Pépinière »" in text


def test_both_parties_with_their_siret_and_representatives():
    text = text_of(render())
    # the house, represented by the agreement's signatory (not the settings' default)
    assert ("Maison de l'ESS (Pôle Territorial de Coopération Économique Niortais), dont le "
            "siège est situé 12 rue Joseph Cugnot, 79000 Niort, SIRET 123 456 789 00012, "
            "représentée par Mme Claire Dupuis, présidente") in text
    assert "ci-après dénommée « la Maison »" in text
    # the occupant: name, legal form, formatted SIRET, address, representative and title
    assert ("Les Tisserands, SCOP, SIRET 987 654 321 00034, dont le siège est situé 4 place de "
            "la Brèche, 79000 Niort, représentée par Mme Jeanne Martin, gérante") in text
    assert "ci-après dénommé « l'Occupant »" in text
    assert "M. Paul Texier" not in text


def test_a_draft_is_represented_by_the_settings_signatory():
    text = text_of(render(DRAFT))
    assert "représentée par M. Paul Texier, vice-président" in text


def test_a_project_holder_without_a_company():
    person = Party(name="Hélène Lefèvre", address="8 rue de l'Abreuvoir, 79000 Niort",
                   representative="Hélène Lefèvre")
    data = replace(with_agreement(organisation_id=None, person_id=12,
                                  representative="Hélène Lefèvre", representative_title="",
                                  occupant_signatory="Hélène Lefèvre"),
                   occupant=person)
    text = text_of(render(data))
    assert "Hélène Lefèvre, demeurant 8 rue de l'Abreuvoir, 79000 Niort," in text
    assert "porteur ou porteuse du projet « Atelier textile solidaire »" in text
    assert "représentée par Hélène Lefèvre" not in text
    # her name once in her signature block, though she is both the occupant and its signatory
    assert "Pour l'Occupant Hélène Lefèvre « Lu et approuvé »" in text


def test_preamble_default_and_custom():
    text = text_of(render())
    assert "Cet hébergement est temporaire" in text
    assert "à gagner en autonomie" in text
    assert "L'Occupant est accueilli au titre du programme « Pépinière »." in text
    assert "Il y développe le projet « Atelier textile solidaire »." in text
    custom = replace(SIGNED, texts=replace(TEXTS, preamble="Notre pépinière accueille l'ESS."))
    text = text_of(render(custom))
    assert "Notre pépinière accueille l'ESS." in text
    assert "Cet hébergement est temporaire" not in text
    assert "au titre du programme « Pépinière »" in text


def test_nature_excludes_the_commercial_lease():
    text = text_of(render())
    assert "occupation précaire" in text
    assert "ne constitue pas un bail commercial" in text
    assert "statut des baux commerciaux (articles L.145-1 et suivants du Code de commerce)" in text


def test_granted_spaces_and_services():
    text = text_of(render())
    for cell in ("Espace", "Type", "Étage", "Places", "Équipement", "Bureau B12", "1er étage",
                 "Poste P3", "Poste de travail", "Rez-de-chaussée"):
        assert cell in text
    assert "armoire fermant à clé" in text
    assert "soit 3 places de travail" in text
    # included services only
    assert "Domiciliation du siège (article 13)" in text
    assert "Réception et gestion du courrier" in text
    assert "Accès internet" in text
    assert "Impressions et photocopies" not in text


def test_domiciliation_only():
    data = with_agreement(spaces=(), services=frozenset({HostingService.DOMICILIATION}))
    text = text_of(render(data))
    assert "Aucun bureau n'est mis à disposition : domiciliation seule" in text
    assert "Équipement" not in text


def test_duration_in_words_and_renewal():
    text = text_of(render())
    assert ("conclue pour une durée déterminée de 12 mois, du 1er décembre 2026 au 30 novembre "
            "2027.") in text
    assert "ne se renouvelle pas tacitement" in text
    assert "nouvelle convention écrite" in text
    assert "durée maximale de séjour prévue par le programme « Pépinière »" in text
    odd = text_of(render(with_agreement(end=dt.date(2027, 3, 15))))
    assert "durée déterminée, du 1er décembre 2026 au 15 mars 2027." in odd


def test_fee_vat_and_charges():
    text = text_of(render())
    assert "redevance mensuelle de 450,00 € hors taxes, soit 540,00 € toutes taxes comprises" in text
    assert "Redevance mensuelle hors taxes 450,00 €" in text
    assert "TVA à 20 % 90,00 €" in text
    assert "Redevance mensuelle toutes taxes comprises 540,00 €" in text
    assert "payable mensuellement et d'avance" in text
    assert "chauffage, électricité" in text and "nettoyage des parties communes" in text
    reduced = text_of(render(with_agreement(monthly_fee_cents=10001, vat_bp=550)))
    assert "TVA à 5,5 % 5,50 €" in reduced
    assert "105,51 €" in reduced
    free = text_of(render(with_agreement(monthly_fee_cents=0)))
    assert "consentie sans redevance" in free
    assert "hors taxes" not in free


def test_deposit():
    assert "un dépôt de garantie de 900,00 €" in text_of(render())
    assert "état des lieux de sortie" in text_of(render())
    none = text_of(render(with_agreement(deposit_cents=0)))
    assert "Aucun dépôt de garantie n'est demandé." in none


def test_insurance_default_and_override():
    text = text_of(render())
    assert "sa responsabilité civile" in text and "ses biens propres" in text
    custom = replace(SIGNED, texts=replace(TEXTS, insurance_text="Assurance MAIF obligatoire."))
    text = text_of(render(custom))
    assert "Assurance MAIF obligatoire." in text
    assert "ses biens propres" not in text


def test_inventory_rules_support_confidentiality_notice():
    text = text_of(render())
    assert "à l'entrée de l'Occupant et à sa sortie, et signés des deux parties" in text
    assert "règlement intérieur de la Maison, annexé à la présente convention" in text
    assert "rendez-vous de suivi réguliers" in text
    assert "ateliers" in text and "réseau du Pôle territorial de coopération économique" in text
    assert "garde confidentielles les informations" in text
    assert "lettre recommandée avec accusé de réception, moyennant un préavis de 3 mois" in text
    assert "quinze jours après une mise en demeure" in text


def test_domiciliation_article_only_with_the_service():
    text = text_of(render())
    assert "Article 13 — Domiciliation" in text
    assert "articles L.123-11-3 et R.123-167 à R.123-171 du Code de commerce" in text
    assert "réunion régulière de ses organes" in text
    assert "tenir à sa disposition" in text  # the mail
    assert "chaque semestre au centre des impôts et à l'URSSAF" in text
    assert "informer le greffe du tribunal de la fin de la domiciliation" in text
    assert "comme siège de son entreprise" in text
    assert "de sa forme juridique" in text

    without = text_of(render(with_agreement(
        services=frozenset({HostingService.MAIL, HostingService.PRINTING}))))
    assert "Domiciliation" not in without
    assert "R.123-167" not in without
    assert "(article 13)" not in without
    assert "Impressions et photocopies" in without
    # the special clauses take the next number
    assert "Article 13 — Clauses particulières" in without


def test_no_special_clauses_no_article():
    text = text_of(render(replace(SIGNED, texts=replace(TEXTS, special_clauses="  "))))
    assert "Clauses particulières" not in text
    assert "Article 14" not in text


def test_signed_convention_dated_with_both_signature_blocks():
    text = text_of(render())
    assert "PROJET" not in text
    assert "Fait à Niort, le 20 novembre 2026, en deux exemplaires originaux." in text
    assert "Pour la Maison" in text and "Pour l'Occupant" in text
    assert text.count("« Lu et approuvé », signature et cachet") == 2
    assert "Mme Claire Dupuis, présidente" in text
    assert "Mme Jeanne Martin, gérante" in text
    assert "Émis le 20 novembre 2026" in text
    assert "Émis le 20 novembre 2026 à" not in text  # a day, not a moment


def test_draft_says_projet_on_every_page_and_leaves_the_date_blank():
    pages = pages_of(render(DRAFT))
    assert len(pages) >= 2
    for page in pages:
        assert "Convention d'hébergement (PROJET — document non signé) — CH-2026-0007" in page
    first = pages[0]
    # the band under the title
    assert first.index("PROJET — document non signé", first.index("N° CH-2026-0007")) > 0
    text = " ".join(pages)
    assert "Fait à Niort, le ______________________, en deux exemplaires originaux." in text
    # the occupant's block falls back on its representative
    assert "Pour l'Occupant Les Tisserands Mme Jeanne Martin, gérante" in text


def test_amendment_and_renewal_name_the_previous_convention():
    amendment = text_of(render(with_agreement(link=AgreementLink.AMENDMENT, previous_id=3,
                                              previous_number="CH-2026-0003")))
    assert "Avenant à la convention CH-2026-0003" in amendment
    assert "Le présent avenant modifie la convention CH-2026-0003" in amendment
    renewal = text_of(render(with_agreement(link=AgreementLink.RENEWAL, previous_id=3,
                                            previous_number="CH-2025-0011")))
    assert "Renouvellement de la convention CH-2025-0011" in renewal
    assert "Avenant" not in renewal
    assert "Avenant" not in text_of(render()) and "Renouvellement de" not in text_of(render())


def test_the_annex_is_on_its_own_last_page():
    pages = pages_of(render())
    last = pages[-1]
    assert "Annexe : Règlement intérieur" in last
    assert "Annexe à la convention d'hébergement CH-2026-0007" in last
    assert "Article 1 — Horaires La Maison est ouverte de 8 h à 19 h." in last
    assert "Les badges sont personnels." in last
    assert "Pour l'Occupant" not in last
    assert f"page {len(pages)} / {len(pages)}" in last
    empty = pages_of(render(replace(SIGNED, texts=replace(TEXTS, internal_rules=""))))
    assert "Règlement intérieur remis à l'occupant." in empty[-1]


@pytest.mark.parametrize("data", [SIGNED, DRAFT], ids=["signed", "draft"])
def test_fonts_are_embedded(data):
    reader = pypdf.PdfReader(io.BytesIO(render(data)))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None:
                assert "/FontFile2" in descriptor.get_object()


def test_same_inputs_same_bytes():
    first, second = render(), render()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert render(DRAFT) == render(DRAFT)
    assert render(number="CH-2026-0008") != first
    assert render(issued_on=dt.date(2026, 11, 21)) != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Convention d'hébergement"
    assert meta.creation_date.date() == ISSUED


def test_helpers():
    assert period_text(dt.date(2026, 12, 1), dt.date(2027, 11, 30)) == (
        "du 1er décembre 2026 au 30 novembre 2027")
    assert whole_months(dt.date(2026, 12, 1), dt.date(2027, 11, 30)) == 12
    assert whole_months(dt.date(2026, 1, 31), dt.date(2026, 2, 27)) == 1
    assert whole_months(dt.date(2026, 12, 1), dt.date(2027, 3, 15)) is None
    assert vat_rate_text(2000) == "20\u00a0%"
    assert vat_rate_text(550) == "5,5\u00a0%"
    assert french_spacing("« Pépinière » : n° 3 ; oui ?") == (
        "«\u00a0Pépinière\u00a0»\u00a0: n°\u00a03\u00a0; oui\u00a0?")


@pytest.mark.parametrize("name", ["SCOP « L'Atelier & Cie »", "Cœur <Solidaire>"])
def test_names_with_markup_characters(name):
    data = replace(SIGNED, occupant=replace(OCCUPANT, name=name))
    assert name in text_of(render(data))
