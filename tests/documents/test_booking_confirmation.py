"""Confirmation de réservation: the room, the date and times in Paris, the price, the
conditions and the house's identity are printed; an option says until when it holds; the
same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf
import pytest

from maison_app.documents import booking_confirmation
from maison_app.documents.booking_confirmation import (
    ConfirmationData,
    build_pdf,
    duration_text,
    full_date,
)
from maison_app.domain.bookings import Booker, BookingRecord
from maison_app.domain.enums import BookingStatus, PriceBasis, SpaceKind
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.i18n import PARIS

ISSUED = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris
IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
)
ROOM = SpaceRecord(
    3, SpaceKind.MEETING_ROOM, "Salle Sèvre", floor=0, capacity=12,
    equipment="Vidéoprojecteur, tableau blanc",
    rates=Rates(hour_member=1500, hour_public=2500, half_day_member=4000, half_day_public=7000,
                day_member=7000, day_public=12000),
)
BOOKING = BookingRecord(
    id=41, space_id=3, space_name="Salle Sèvre",
    # stored in UTC, shown in Paris: 13:00 UTC is 14:00 in November
    start=dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC),
    end=dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC),
    title="Réunion d'équipe", booker=Booker(organisation_id=5), booker_name="Coopérative Alpha",
    attendees=8, status=BookingStatus.CONFIRMED, option_until=None,
    notes="Client pointilleux sur le café", price_cents=3000, price_basis=PriceBasis.HOUR,
    member_rate=True, override_reason="", series_id=None,
)
CONDITIONS = (
    "Annulation : sans frais jusqu'à 48 heures avant le début de la réservation.\n\n"
    "Rangement : merci de rendre la salle propre et rangée.\n"
    "Les déchets sont triés.\n\n"
    "Clés : à retirer à l'accueil et à y rendre en partant."
)
DATA = ConfirmationData(
    booking=BOOKING, room=ROOM,
    booker_lines=("Coopérative Alpha", "4 place de la Brèche, 79000 Niort", "contact@alpha.coop",
                  "05 49 11 22 33"),
    price_text="2 h au tarif horaire adhérent (15,00 €/h) : 30,00 €",
    conditions=CONDITIONS,
)


def text_of(pdf: bytes) -> str:
    """The text of every page, spaces normalised (no-break spaces, line breaks)."""
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    text = "\n".join(pages).replace("\u202f", " ").replace("\u00a0", " ")
    return " ".join(text.split())


def render(data: ConfirmationData = DATA, **overrides) -> bytes:
    kwargs = {"number": "RS-2026-0001", "issued": ISSUED}
    kwargs.update(overrides)
    identity = kwargs.pop("identity", IDENTITY)
    return build_pdf(identity, data, **kwargs)


def test_a_confirmed_booking_carries_everything():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = text_of(pdf)
    # the document, its number, page count
    assert "Confirmation de réservation" in text
    assert "N° RS-2026-0001" in text and "page 1 / 1" in text
    assert "option" not in text.lower()
    # the house
    assert "Maison de l'ESS" in text
    assert "Pôle Territorial de Coopération Économique Niortais" in text
    assert "12 rue Joseph Cugnot, 79000 Niort" in text
    assert "SIRET 123 456 789 00012" in text
    assert "Émis le 26 novembre 2026 à 09:00" in text
    # the room
    assert "Salle Salle Sèvre Rez-de-chaussée · capacité 12 personnes" in text
    assert "Équipement : Vidéoprojecteur, tableau blanc" in text
    # when, in Paris wall-clock time (UTC+1 in November)
    assert "Date jeudi 26 novembre 2026" in text
    assert "Horaires de 14 h 00 à 16 h 00 (2 h)" in text
    # what and who
    assert "Objet Réunion d'équipe" in text
    assert ("Réservé par Coopérative Alpha 4 place de la Brèche, 79000 Niort contact@alpha.coop "
            "05 49 11 22 33") in text
    assert "Participants 8 personnes" in text
    # the price: how, and how much
    assert "2 h au tarif horaire adhérent (15,00 €/h) : 30,00 €" in text
    assert "Prix : 30,00 €" in text
    # the conditions, paragraph by paragraph
    assert "Conditions" in text
    assert "Annulation : sans frais jusqu'à 48 heures avant le début de la réservation." in text
    assert "Rangement : merci de rendre la salle propre et rangée. Les déchets sont triés." in text
    assert "Clés : à retirer à l'accueil et à y rendre en partant." in text
    # how to reach the desk, place and date, signature
    assert "contactez l'accueil : 05 49 00 00 00 · accueil@maison-ess-niort.fr" in text
    assert "Fait à Niort, le 26 novembre 2026" in text
    assert "Pour la Maison, signature et cachet" in text
    # the desk's own notes stay at the desk
    assert "pointilleux" not in text


def test_the_price_is_printed_in_bold():
    reader = pypdf.PdfReader(io.BytesIO(render()))
    fonts_used: list[str] = []

    def visitor(text, cm, tm, font_dict, font_size):
        if "30,00" in text and font_dict is not None:
            fonts_used.append(str(font_dict["/BaseFont"]))

    reader.pages[0].extract_text(visitor_text=visitor)
    assert any(name.endswith("DejaVuSans-Bold") for name in fonts_used), fonts_used


def test_an_option_says_until_when_it_holds():
    option = replace(BOOKING, status=BookingStatus.OPTION, option_until=dt.date(2026, 12, 1))
    pdf = render(replace(DATA, booking=option))
    text = text_of(pdf)
    assert "Réservation en option" in text
    assert "Confirmation de réservation" not in text
    assert ("Option valable jusqu'au 1er décembre 2026. Sans confirmation à cette date, la salle "
            "est libérée.") in text
    assert "réservée en option" in text
    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Réservation en option"


def test_a_summer_booking_is_in_summer_time_and_the_first_of_the_month_is_1er():
    # 1 July 2026, 07:30–12:15 UTC is 09:30–14:15 in Paris (UTC+2)
    summer = replace(BOOKING, start=dt.datetime(2026, 7, 1, 7, 30, tzinfo=dt.UTC),
                     end=dt.datetime(2026, 7, 1, 12, 15, tzinfo=dt.UTC))
    text = text_of(render(replace(DATA, booking=summer)))
    assert "Date mercredi 1er juillet 2026" in text
    assert "de 9 h 30 à 14 h 15 (4 h 45)" in text


def test_a_manual_price_a_series_and_an_upper_floor():
    booking = replace(BOOKING, price_cents=4000, price_basis=PriceBasis.MANUAL, series_id=9,
                      override_reason="Tarif partenaire")
    room = replace(ROOM, floor=1, capacity=1, equipment="")
    data = replace(DATA, booking=booking, room=room, booker_lines=("Hélène Lefèvre",),
                   price_text="Prix saisi à la main (Tarif partenaire) ; tarif : 60,00 €")
    text = text_of(render(data))
    assert "1er étage · capacité 1 personne" in text
    assert "Équipement" not in text
    assert "Prix : 40,00 €" in text
    assert "Prix saisi à la main (Tarif partenaire)" in text
    assert "Fait partie d'une série de réservations" in text
    assert "Réservé par Hélène Lefèvre Participants" in text


def test_without_conditions_or_city_or_contact():
    identity = replace(IDENTITY, city="", postcode="", phone="", email="")
    text = text_of(render(replace(DATA, conditions="  \n "), identity=identity))
    assert "Conditions" not in text
    assert "contactez l'accueil" not in text
    assert "Fait le 26 novembre 2026" in text and "Fait à" not in text


def test_markup_characters_are_printed_not_interpreted():
    booking = replace(BOOKING, title="Atelier <b>R&D</b> & co", booker_name="Dupont & fils")
    data = replace(DATA, booking=booking, booker_lines=("Dupont & fils",),
                   conditions="Tarifs < 100 € & > 0 €")
    text = text_of(render(data))
    assert "Atelier <b>R&D</b> & co" in text
    assert "Dupont & fils" in text
    assert "Tarifs < 100 € & > 0 €" in text


def test_long_conditions_flow_onto_a_second_page_with_the_page_count():
    long_text = "\n\n".join(
        f"Article {n} : " + "la salle est rendue dans l'état où elle a été trouvée. " * 12
        for n in range(1, 16))
    pdf = render(replace(DATA, conditions=long_text))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    assert f"page 1 / {len(pages)}" in " ".join(pages[0].extract_text().split())
    assert "Article 15" in text_of(pdf)


def test_a_cancelled_booking_has_no_confirmation():
    cancelled = replace(BOOKING, status=BookingStatus.CANCELLED)
    with pytest.raises(ValueError):
        render(replace(DATA, booking=cancelled))


def test_same_inputs_same_bytes():
    first, second = render(), render()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert render(number="RS-2026-0002") != first
    assert render(replace(DATA, booking=replace(BOOKING, attendees=9))) != first
    assert render(issued=ISSUED + dt.timedelta(minutes=1)) != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Confirmation de réservation"
    assert meta["/CreationDate"].startswith("D:20261126080000")


def test_embedded_fonts_only():
    reader = pypdf.PdfReader(io.BytesIO(render()))
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(f.endswith(("DejaVuSans", "DejaVuSans-Bold")) for f in fonts), fonts


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2026, 11, 26), "jeudi 26 novembre 2026"),
    (dt.date(2026, 12, 1), "mardi 1er décembre 2026"),
    (dt.date(2027, 1, 11), "lundi 11 janvier 2027"),
])
def test_full_dates(day, text):
    assert full_date(day) == text


@pytest.mark.parametrize(("minutes", "text"), [
    (45, "45\u00a0min"), (60, "1\u00a0h"), (90, "1\u00a0h\u00a030"), (125, "2\u00a0h\u00a005"),
])
def test_durations(minutes, text):
    assert duration_text(minutes) == text


def test_times_are_shown_in_paris_whatever_zone_the_record_carries():
    paris = replace(BOOKING, start=BOOKING.start.astimezone(PARIS),
                    end=BOOKING.end.astimezone(PARIS))
    assert render(replace(DATA, booking=paris)) == render()


def test_module_has_no_qt():
    assert "PySide6" not in booking_confirmation.__dict__
