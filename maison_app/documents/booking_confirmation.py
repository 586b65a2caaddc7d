"""Confirmation de réservation: the paper a booker takes away (or receives by e-mail) once a
room is booked.

On the Maison's letterhead (number and moment of issue in the header): the title —
« Confirmation de réservation », or « Réservation en option » with the date the option lapses —
then one table with the room (name, floor, capacity, equipment), the date and the times
(Europe/Paris wall clock: « jeudi 26 novembre 2026 », « de 14 h 00 à 16 h 00 »), the purpose,
who booked, the number of attendees and the price (how it was reached, and the amount), then
the house's conditions (cancellation, tidying, keys…), the place and date of issue and a frame
for the house's signature and stamp. The booking's notes are the desk's own and are not printed.

Same inputs, same bytes: the archived PDF of a confirmation printed twice is byte-identical.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from maison_app.documents.convention import house_name, markup, place_and_date
from maison_app.documents.fonts import BOLD, REGULAR
from maison_app.documents.letterhead import build_pdf as build_letterhead_pdf
from maison_app.documents.letterhead import content_width
from maison_app.documents.receipt import SignatureBox, long_date
from maison_app.documents.styles import ACCENT, ACCENT_LIGHT, MUTED, RULE, stylesheet
from maison_app.domain.bookings import BookingRecord
from maison_app.domain.enums import BookingStatus
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.spaces import SpaceRecord, floor_label
from maison_app.i18n import (
    _,
    current_language,
    format_date,
    format_money,
    ngettext,
    paris,
    to_paris,
)

NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class ConfirmationData:
    """What the confirmation of one booking prints, gathered by the bookings service."""

    booking: BookingRecord
    room: SpaceRecord
    booker_lines: tuple[str, ...]  # the booker's name, then address / e-mail / phone lines
    price_text: str  # the quote's explanation: "2 h au tarif horaire adhérent (…) : 30,00 €"
    conditions: str  # the house's conditions, paragraphs separated by blank lines


# --- wording --------------------------------------------------------------------------------


def full_date(day: dt.date) -> str:
    """"jeudi 26 novembre 2026"; the first of the month is "mardi 1er décembre 2026"."""
    text = format_date(day, "full")
    if current_language() == "fr" and day.day == 1:
        text = re.sub(r"\b1 ", "1er ", text, count=1)
    return text


def clock_time(moment: dt.datetime) -> str:
    """"14 h 00" in French typography ("14:00" in English), Paris wall-clock time."""
    local = moment.astimezone(paris())
    if current_language() == "fr":
        return f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"
    return local.strftime("%H:%M")


def duration_text(minutes: int) -> str:
    """"2 h", "1 h 30", "45 min"."""
    hours, rest = divmod(max(minutes, 0), 60)
    if not hours:
        return _("{minutes} min").format(minutes=rest).replace(" ", NBSP)
    if not rest:
        return _("{hours} h").format(hours=hours).replace(" ", NBSP)
    return _("{hours} h {minutes:02d}").format(hours=hours, minutes=rest).replace(" ", NBSP)


def times_text(booking: BookingRecord) -> str:
    """"de 14 h 00 à 16 h 00 (2 h)"."""
    return _("de {start} à {end} ({duration})").format(
        start=clock_time(booking.start), end=clock_time(booking.end),
        duration=duration_text(booking.minutes))


def people_text(count: int) -> str:
    return ngettext("{n} personne", "{n} personnes", count).format(n=count)


def document_title(booking: BookingRecord) -> str:
    if booking.status is BookingStatus.OPTION:
        return _("Réservation en option")
    return _("Confirmation de réservation")


def option_notice(booking: BookingRecord) -> str:
    """"Option valable jusqu'au 3 décembre 2026. Sans confirmation à cette date, la salle est
    libérée." (an option without a date lapses at the house's discretion)."""
    if booking.option_until is None:
        return _("Réservation en option, à confirmer auprès de l'accueil. Sans confirmation, "
                 "la salle peut être libérée.")
    return _("Option valable jusqu'au {date}. Sans confirmation à cette date, la salle est "
             "libérée.").format(date=long_date(booking.option_until))


def _paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; line breaks inside a block are kept."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [block.strip() for block in blocks if block.strip()]


# --- the story ------------------------------------------------------------------------------


def _room_cell(room: SpaceRecord, styles) -> list[Flowable]:
    cell = styles["td"]
    details = " · ".join((floor_label(room.floor),
                          _("capacité {people}").format(people=people_text(room.capacity))))
    lines = [Paragraph(f"<b>{markup(room.name)}</b>", cell),
             Paragraph(markup(details), cell)]
    if room.equipment.strip():
        lines.append(Paragraph(markup(_("Équipement : {equipment}").format(
            equipment=" ".join(room.equipment.split()))), cell))
    return lines


def _price_row(data: ConfirmationData, styles) -> Paragraph:
    """"Prix : 30,00 €", bold, on the right of the table's last row, like an invoice total."""
    amount = _("Prix : {amount}").format(amount=format_money(data.booking.price_cents))
    style = ParagraphStyle("price", parent=styles["td_right"], fontName=BOLD, fontSize=12,
                           leading=15, textColor=ACCENT)
    return Paragraph(markup(amount), style)


def _details(data: ConfirmationData, styles) -> Table:
    booking, cell = data.booking, styles["td"]
    date_cell: list[Flowable] = [Paragraph(f"<b>{markup(full_date(booking.day))}</b>", cell)]
    if booking.series_id is not None:
        series = _("Fait partie d'une série de réservations ; ce document porte sur cette date.")
        date_cell.append(Paragraph(f'<font color="{MUTED.hexval()}">{markup(series)}</font>',
                                   cell))
    booker = [line.strip() for line in data.booker_lines if line.strip()] or [booking.booker_name]
    booker_cell = [Paragraph(f"<b>{markup(booker[0])}</b>", cell)]
    booker_cell += [Paragraph(markup(line), cell) for line in booker[1:]]
    rows: list[tuple[str, object]] = [
        (_("Salle"), _room_cell(data.room, styles)),
        (_("Date"), date_cell),
        (_("Horaires"), Paragraph(markup(times_text(booking)), cell)),
        (_("Objet"), Paragraph(markup(booking.title), cell)),
        (_("Réservé par"), booker_cell),
        (_("Participants"), Paragraph(markup(people_text(booking.attendees)), cell)),
        (_("Tarif"), Paragraph(markup(data.price_text.strip() or booking.price_basis.label),
                               cell)),
    ]
    width = content_width()
    table = Table(
        [[Paragraph(f'<font color="{MUTED.hexval()}">{markup(label)}</font>', cell), value]
         for label, value in rows] + [[_price_row(data, styles), ""]],
        colWidths=[0.22 * width, 0.78 * width],
    )
    last = len(rows)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 1), (-1, 2), ACCENT_LIGHT),  # when: what people look for first
        ("SPAN", (0, last), (-1, last)),
        ("BACKGROUND", (0, last), (-1, last), ACCENT_LIGHT),
        ("LINEABOVE", (0, last), (-1, last), 0.9, ACCENT),
        ("TOPPADDING", (0, last), (-1, last), 6),
        ("BOTTOMPADDING", (0, last), (-1, last), 7),
    ]))
    return table


def _intro(data: ConfirmationData) -> str:
    if data.booking.status is BookingStatus.OPTION:
        return _("Nous avons bien enregistré votre demande : la salle ci-dessous vous est "
                 "réservée en option.")
    return _("Nous avons le plaisir de vous confirmer la réservation suivante.")


def _contact_line(identity: MaisonIdentity) -> str:
    contact = [c for c in (identity.phone.strip(), identity.email.strip()) if c]
    if not contact:
        return ""
    return _("Pour toute modification ou annulation, contactez l'accueil : {contact}.").format(
        contact=" · ".join(contact))


def build_pdf(identity: MaisonIdentity, data: ConfirmationData, *, number: str,
              issued: dt.datetime) -> bytes:
    """The confirmation (or option) of one booking as PDF bytes. Same inputs, same bytes.

    Raises ValueError for a cancelled booking: it has nothing left to confirm."""
    booking = data.booking
    if booking.status is BookingStatus.CANCELLED:
        raise ValueError("a cancelled booking has no confirmation")
    styles = stylesheet()
    title = document_title(booking)
    subtitle = _("N° {number} — {room}, {date}").format(
        number=number, room=data.room.name, date=full_date(booking.day))
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(subtitle), styles["subtitle"]),
    ]
    if booking.status is BookingStatus.OPTION:
        story.append(Paragraph(f"<b>{markup(option_notice(booking))}</b>", styles["note"]))
        story.append(Spacer(1, 2.5 * mm))
    story += [
        Paragraph(markup(_intro(data)), styles["body"]),
        Spacer(1, 1.5 * mm),
        _details(data, styles),
    ]
    paragraphs = _paragraphs(data.conditions)
    if paragraphs:
        story.append(Paragraph(markup(_("Conditions")), styles["heading"]))
        story += [Paragraph(markup(block).replace("\n", "<br/>"), styles["body"])
                  for block in paragraphs]
    contact = _contact_line(identity)
    if contact:
        story += [Spacer(1, 1 * mm), Paragraph(markup(contact), styles["body"])]
    issued_on = to_paris(issued).date()
    story += [
        Spacer(1, 4 * mm),
        KeepTogether([
            Paragraph(markup(place_and_date(identity, issued_on)), styles["body"]),
            Spacer(1, 2 * mm),
            SignatureBox(house_name(identity), _("Pour la Maison, signature et cachet")),
        ]),
    ]
    return build_letterhead_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_at=issued,
        author="",
        subject=_("{title} — {room}, {date} — {booker}").format(
            title=title, room=data.room.name, date=long_date(booking.day),
            booker=booking.booker_name),
    )
