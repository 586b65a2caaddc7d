"""Attestation de présence — certificat de réalisation: one page per participant, with the
organiser, the participant, the exact title, the nature of the action, the axis, the dates,
each half-day planned and whether they attended, the hours attended out of those planned,
the place, the place and date of issue and the signature block; the same inputs give the
same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf
import pytest

from maison_app.documents.attendance_certificate import attended_text, build_pdf
from maison_app.domain.enums import HalfDayPart, WorkshopAxis
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.workshops import CertificateData, HalfDay

ISSUED = dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)  # 17:00 in Paris
IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
)
MORNING, AFTERNOON = HalfDayPart.MORNING, HalfDayPart.AFTERNOON
THURSDAY = dt.date(2026, 11, 26)
HALF_DAYS = (
    HalfDay(21, THURSDAY, MORNING, dt.time(9, 0), dt.time(12, 30), booking_id=7),
    HalfDay(22, THURSDAY, AFTERNOON, dt.time(13, 30), dt.time(17, 0), booking_id=8),
)


def certificate(participant: str, attended: tuple[int, ...], *, lines: tuple[str, ...] = (),
                half_days: tuple[HalfDay, ...] = HALF_DAYS) -> CertificateData:
    return CertificateData(
        participant=participant,
        participant_lines=lines,
        title="Fabrique d'entrepreneurs coopératifs",
        nature="Action de formation",
        axis=WorkshopAxis.CREATION,
        facilitator="Claire Dupuis",
        place="Salle Sèvre, 12 rue Joseph Cugnot, 79000 Niort",
        half_days=half_days,
        attended=attended,
        minutes_attended=sum(h.minutes for h in half_days if h.id in attended),
        minutes_planned=sum(h.minutes for h in half_days),
    )


HELENE = certificate("Hélène Lefèvre", (21,), lines=("Coopérative Alpha", "helene@alpha.coop"))
ZOE = certificate("Zoé Martin", (21, 22), lines=("SCOP L'Atelier",))
MOHAMED = certificate("Mohamed Benali", (22,))


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, spaces normalised (no-break spaces, line breaks)."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [" ".join(p.extract_text().replace("\u202f", " ").replace("\u00a0", " ").split())
            for p in pages]


def render(certificates=(HELENE,), **overrides) -> bytes:
    kwargs = {"number": "AP-2026-0003", "issued": ISSUED}
    kwargs.update(overrides)
    identity = kwargs.pop("identity", IDENTITY)
    return build_pdf(identity, list(certificates), **kwargs)


def test_a_certificate_carries_everything_a_funder_asks_for():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    [text] = page_texts(pdf)
    # the document and its number
    assert "Attestation de présence" in text
    assert "Certificat de réalisation — N° AP-2026-0003" in text
    assert "attestation 1 / 1" not in text
    assert "page 1 / 1" in text
    # the organiser: name, address, SIRET
    assert ("Maison de l'ESS (Pôle Territorial de Coopération Économique Niortais), dont le "
            "siège est situé 12 rue Joseph Cugnot, 79000 Niort, SIRET 123 456 789 00012, "
            "organisateur de l'action, atteste que Hélène Lefèvre a suivi l'action « Fabrique "
            "d'entrepreneurs coopératifs »") in text
    # the participant and the action
    assert "Participant·e Hélène Lefèvre Coopérative Alpha helene@alpha.coop" in text
    assert "Intitulé de l'action Fabrique d'entrepreneurs coopératifs" in text
    assert "Nature de l'action Action de formation" in text
    assert "Axe Création d'activités et d'emplois" in text
    assert "Intervenant·e Claire Dupuis" in text
    assert "Lieu Salle Sèvre, 12 rue Joseph Cugnot, 79000 Niort" in text
    assert "Dates jeudi 26 novembre 2026" in text
    # each half-day planned, and whether she was there
    assert ("jeudi 26 novembre 2026 9 h 00 – 12 h 30 (3 h 30) Présent·e "
            "13 h 30 – 17 h 00 (3 h 30) Absent·e") in text
    # the hours attended out of those planned
    assert "Durée suivie : 3 h 30 sur 7 h 00 prévues — 1 demi-journée sur 2" in text
    # issued in Niort, signed for the organiser
    assert "Fait à Niort, le 27 novembre 2026" in text
    assert "Pour l'organisateur, signature et cachet" in text
    assert "Émis le 27 novembre 2026 à 17:00" in text


def test_a_batch_has_one_page_per_participant_in_the_order_given():
    pdf = render((HELENE, ZOE, MOHAMED))
    pages = page_texts(pdf)
    assert len(pages) == 3
    expected = [
        ("Hélène Lefèvre", "3 h 30 sur 7 h 00 prévues — 1 demi-journée sur 2"),
        ("Zoé Martin", "7 h 00 sur 7 h 00 prévues — 2 demi-journées sur 2"),
        ("Mohamed Benali", "3 h 30 sur 7 h 00 prévues — 1 demi-journée sur 2"),
    ]
    others = {name for name, _hours in expected}
    for number, (page, (name, hours)) in enumerate(zip(pages, expected, strict=True), start=1):
        assert f"atteste que {name} a suivi l'action" in page
        assert f"Durée suivie : {hours}" in page
        assert f"N° AP-2026-0003 — attestation {number} / 3" in page
        assert f"page {number} / 3" in page
        assert "Fabrique d'entrepreneurs coopératifs" in page
        assert not any(other in page for other in others - {name})
    assert "Participant·e Zoé Martin SCOP L'Atelier" in pages[1]
    assert ("9 h 00 – 12 h 30 (3 h 30) Absent·e 13 h 30 – 17 h 00 (3 h 30) Présent·e"
            in pages[2])


def test_the_hours_come_from_the_minutes_given():
    assert attended_text(HELENE).replace("\u00a0", " ") == "3 h 30 sur 7 h 00 prévues"
    partial = replace(HELENE, minutes_attended=390, minutes_planned=420)
    [text] = page_texts(render((partial,)))
    assert "Durée suivie : 6 h 30 sur 7 h 00 prévues" in text


def test_a_session_over_several_weeks_lists_every_date_on_one_page():
    mornings = tuple(HalfDay(n, THURSDAY + dt.timedelta(days=7 * (n - 1)), MORNING,
                             dt.time(9, 30), dt.time(12, 0)) for n in range(1, 4))
    data = certificate("Zoé Martin", (1, 3), half_days=mornings)
    [text] = page_texts(render((data,)))
    assert "Dates du jeudi 26 novembre 2026 au jeudi 10 décembre 2026" in text
    assert "jeudi 26 novembre 2026 9 h 30 – 12 h 00 (2 h 30) Présent·e" in text
    assert "jeudi 3 décembre 2026 9 h 30 – 12 h 00 (2 h 30) Absent·e" in text
    assert "jeudi 10 décembre 2026 9 h 30 – 12 h 00 (2 h 30) Présent·e" in text
    assert "Après-midi" not in text  # no afternoon in this session: no column for it
    assert "Durée suivie : 5 h 00 sur 7 h 30 prévues — 2 demi-journées sur 3" in text


def test_twenty_half_days_still_fit_on_one_page_each():
    half_days: list[HalfDay] = []
    day = THURSDAY
    while len(half_days) < 20:
        if day.weekday() < 5:
            n = len(half_days)
            half_days += [HalfDay(n + 1, day, MORNING, dt.time(9, 0), dt.time(12, 30)),
                          HalfDay(n + 2, day, AFTERNOON, dt.time(13, 30), dt.time(17, 0))]
        day += dt.timedelta(days=1)
    data = certificate("Jean-Baptiste de La Rochefoucauld-Montmorency", tuple(range(1, 20)),
                       half_days=tuple(half_days), lines=("Les Jardins de la Sèvre",))
    pages = page_texts(render((data, replace(data, participant="Zoé Martin"))))
    assert len(pages) == 2
    for page in pages:
        assert "Durée suivie : 66 h 30 sur 70 h 00 prévues — 19 demi-journées sur 20" in page
        assert "mercredi 9 décembre 2026" in page
        assert "Fait à Niort, le 27 novembre 2026" in page  # the signature block too


def test_the_date_of_issue_is_the_paris_date():
    late = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # already 2027 in Niort
    [text] = page_texts(render(issued=late))
    assert "Fait à Niort, le 1er janvier 2027" in text


def test_the_same_inputs_give_the_same_bytes():
    first, second = render((HELENE, ZOE)), render((HELENE, ZOE))
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render((ZOE, HELENE)) != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Attestation de présence — Certificat de réalisation"
    assert "Fabrique d'entrepreneurs coopératifs" in meta.subject


def test_markup_characters_without_siret_or_city():
    identity = replace(IDENTITY, siret="", city="", postcode="")
    data = replace(HELENE, participant="Dupont & <fils>", title="R&D <b>coopérative</b>",
                   participant_lines=())
    [text] = page_texts(render((data,), identity=identity))
    assert "atteste que Dupont & <fils> a suivi l'action « R&D <b>coopérative</b> »" in text
    assert "SIRET" not in text
    assert "Fait le 27 novembre 2026" in text and "Fait à" not in text


def test_nothing_to_certify():
    with pytest.raises(ValueError):
        render(())
    with pytest.raises(ValueError):
        render((replace(HELENE, half_days=()),))
