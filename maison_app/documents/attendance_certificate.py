"""Attestation de présence — certificat de réalisation: what a participant of a workshop
session takes to their funder, one page each.

On the Maison's letterhead (number and moment of issue in the header): the title, the number
(with « attestation 3 / 12 » in a batch), then the house as the organiser (name, address,
SIRET) certifies that the participant followed the action: its exact title, its nature, the
axis, the facilitator, the place and the dates; then every half-day planned, with its date,
part of the day and times, and whether the participant was there; the hours attended
against the hours planned (« 6 h 30 sur 7 h 00 prévues »); the place and date of issue and a
frame for the house's signature and stamp.

A batch (every participant of a session) is one PDF, one certificate per page. Same inputs,
same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from maison_app.documents.booking_confirmation import full_date
from maison_app.documents.convention import (
    house_name,
    markup,
    place_and_date,
    siret_text,
)
from maison_app.documents.fonts import BOLD, REGULAR
from maison_app.documents.letterhead import build_pdf as build_letterhead_pdf
from maison_app.documents.letterhead import content_width
from maison_app.documents.receipt import SignatureBox
from maison_app.documents.sign_in_sheet import (
    dates_text,
    half_days_count,
    hours_text,
    span_text,
)
from maison_app.documents.styles import ACCENT, ACCENT_LIGHT, MUTED, RULE, stylesheet
from maison_app.domain.enums import HalfDayPart
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.workshops import CertificateData, HalfDay
from maison_app.i18n import _, to_paris

# --- wording --------------------------------------------------------------------------------


def document_title() -> str:
    return _("Attestation de présence")


def document_subtitle() -> str:
    return _("Certificat de réalisation")


def attended_text(data: CertificateData) -> str:
    """"6 h 30 sur 7 h 00 prévues"."""
    return _("{attended} sur {planned} prévues").format(
        attended=hours_text(data.minutes_attended), planned=hours_text(data.minutes_planned))


def half_days_attended_text(data: CertificateData) -> str:
    """"2 demi-journées sur 3"."""
    attended = sum(1 for h in data.half_days if h.id is not None and h.id in data.attended)
    return _("{attended} sur {planned}").format(attended=half_days_count(attended),
                                               planned=len(data.half_days))


def _organiser(identity: MaisonIdentity) -> str:
    """"<b>Maison de l'ESS</b> (Pôle …), dont le siège est situé …, SIRET …" — markup."""
    parts = [f"<b>{markup(house_name(identity))}</b>"]
    organisation = identity.organisation.strip()
    if organisation and organisation != house_name(identity):
        parts[0] += f" ({markup(organisation)})"
    if identity.address_line:
        parts.append(markup(_("dont le siège est situé {address}").format(
            address=identity.address_line)))
    if identity.siret.strip():
        parts.append(markup(siret_text(identity.siret)))
    return ", ".join(parts)


def _statement(identity: MaisonIdentity, data: CertificateData) -> str:
    return _("{organiser}, organisateur de l'action, atteste que {participant} a suivi "
             "l'action « {title} » dans les conditions ci-dessous.").format(
        organiser=_organiser(identity), participant=f"<b>{markup(data.participant)}</b>",
        title=f"<b>{markup(data.title)}</b>")


# --- the story ------------------------------------------------------------------------------


def _details(data: CertificateData, styles) -> Table:
    cell = styles["td"]
    participant = [Paragraph(f"<b>{markup(data.participant)}</b>", cell)]
    participant += [Paragraph(markup(line), cell) for line in data.participant_lines
                    if line.strip()]
    rows: list[tuple[str, object]] = [
        (_("Participant·e"), participant),
        (_("Intitulé de l'action"), Paragraph(f"<b>{markup(data.title)}</b>", cell)),
        (_("Nature de l'action"), Paragraph(markup(data.nature), cell)),
        (_("Axe"), Paragraph(markup(data.axis.label), cell)),
        (_("Intervenant·e"), Paragraph(markup(data.facilitator or "—"), cell)),
        (_("Lieu"), Paragraph(markup(data.place), cell)),
        (_("Dates"), Paragraph(markup(dates_text(data.half_days)), cell)),
    ]
    width = content_width()
    table = Table(
        [[Paragraph(f'<font color="{MUTED.hexval()}">{markup(label)}</font>', cell), value]
         for label, value in rows],
        colWidths=[0.26 * width, 0.74 * width],
    )
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 1), (-1, 1), ACCENT_LIGHT),  # the exact title
    ]))
    return table


def _presence(half_day: HalfDay, data: CertificateData, styles) -> Paragraph:
    present = half_day.id is not None and half_day.id in data.attended
    if present:
        mark = f'<font name="{BOLD}" color="{ACCENT.hexval()}">{markup(_("Présent·e"))}</font>'
    else:
        mark = f'<font color="{MUTED.hexval()}">{markup(_("Absent·e"))}</font>'
    return Paragraph(mark, styles["td_center"])


def _half_days(data: CertificateData, styles) -> Table:
    """Every half-day planned and whether the participant was there: one row per day, a
    column of times and one of presence per part of the day (a session of mornings only has
    no afternoon columns); the hours attended below."""
    parts = [part for part in HalfDayPart if any(h.part is part for h in data.half_days)]
    by_day: dict[dt.date, dict[HalfDayPart, HalfDay]] = {}
    for half_day in data.half_days:
        by_day.setdefault(half_day.day, {})[half_day.part] = half_day
    width = content_width()
    date_width = 48 * mm  # « mercredi 30 septembre 2026 » on one line
    part_width = min((width - date_width) / len(parts), 0.4 * width)
    widths = ([width - part_width * len(parts)]
              + [0.66 * part_width, 0.34 * part_width] * len(parts))

    head: list[object] = [Paragraph(markup(_("Date")), styles["th"])]
    for part in parts:
        head += [Paragraph(markup(part.label), styles["th_center"]), ""]
    sub: list[object] = [""]
    for _part in parts:
        sub += [Paragraph(markup(_("Horaires (durée)")), styles["th_small"]),
                Paragraph(markup(_("Présence")), styles["th_small"])]
    rows: list[list] = [head, sub]
    for day in sorted(by_day):
        row: list[object] = [Paragraph(markup(full_date(day)), styles["td"])]
        for part in parts:
            half_day = by_day[day].get(part)
            if half_day is None:
                row += [Paragraph("—", styles["td_center"]), ""]
                continue
            times = f"{span_text(half_day)} ({hours_text(half_day.minutes)})"
            row += [Paragraph(markup(times), styles["td_center"]),
                    _presence(half_day, data, styles)]
        rows.append(row)
    total = Paragraph(
        f'<font name="{BOLD}" size="10.5" color="{ACCENT.hexval()}">'
        f"{markup(_('Durée suivie : {hours}').format(hours=attended_text(data)))}</font>"
        f'<font color="{MUTED.hexval()}"> — {markup(half_days_attended_text(data))}</font>',
        styles["td"])
    rows.append([total] + [""] * (len(widths) - 1))
    last = len(rows) - 1
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (0, -1), 5),
        ("BACKGROUND", (0, 0), (-1, 1), ACCENT),
        ("SPAN", (0, 0), (0, 1)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("SPAN", (0, last), (-1, last)),
        ("BACKGROUND", (0, last), (-1, last), ACCENT_LIGHT),
        ("LINEABOVE", (0, last), (-1, last), 0.9, ACCENT),
        ("TOPPADDING", (0, last), (-1, last), 5),
        ("BOTTOMPADDING", (0, last), (-1, last), 6),
    ]
    for index in range(len(parts)):
        column = 1 + 2 * index
        commands += [
            ("SPAN", (column, 0), (column + 1, 0)),
            ("LINEBEFORE", (column, 0), (column, last - 1), 0.6, RULE),
        ]
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def _certificate(identity: MaisonIdentity, data: CertificateData, number: str, index: int,
                 count: int, issued_on: dt.date, styles) -> list[Flowable]:
    reference = _("N° {number}").format(number=number)
    if count > 1:
        reference = _("{reference} — attestation {index} / {count}").format(
            reference=reference, index=index, count=count)
    return [
        Paragraph(markup(document_title()), styles["title"]),
        Paragraph(markup(_("{subtitle} — {reference}").format(subtitle=document_subtitle(),
                                                             reference=reference)),
                  styles["subtitle"]),
        Spacer(1, 2 * mm),
        Paragraph(_statement(identity, data), styles["body"]),
        Spacer(1, 2 * mm),
        _details(data, styles),
        Paragraph(markup(_("Demi-journées prévues et suivies")), styles["heading"]),
        _half_days(data, styles),
        Spacer(1, 4 * mm),
        Paragraph(markup(_("Attestation délivrée pour servir et valoir ce que de droit.")),
                  styles["body"]),
        Spacer(1, 3 * mm),
        KeepTogether([
            Paragraph(markup(place_and_date(identity, issued_on)), styles["body"]),
            Spacer(1, 2 * mm),
            SignatureBox(house_name(identity), _("Pour l'organisateur, signature et cachet")),
        ]),
    ]


def build_pdf(identity: MaisonIdentity, certificates: Sequence[CertificateData], *,
              number: str, issued: dt.datetime) -> bytes:
    """The certificates of one or more participants as PDF bytes, one page each, in the order
    given. Same inputs, same bytes.

    Raises ValueError without any certificate, or for a session without half-days."""
    if not certificates:
        raise ValueError("no certificate to print")
    if any(not data.half_days for data in certificates):
        raise ValueError("a session without half-days has no certificate")
    styles = stylesheet()
    issued_on = to_paris(issued).date()
    story: list[Flowable] = []
    for index, data in enumerate(certificates, start=1):
        if index > 1:
            story.append(PageBreak())
        story += _certificate(identity, data, number, index, len(certificates), issued_on,
                              styles)
    title = document_title()
    first = certificates[0]
    if len(certificates) == 1:
        subject = _("{title} — {participant}, {workshop}").format(
            title=title, participant=first.participant, workshop=first.title)
    else:
        subject = _("{title} — {workshop}, {dates} ({count} participant·e·s)").format(
            title=title, workshop=first.title, dates=full_date(first.half_days[0].day),
            count=len(certificates))
    return build_letterhead_pdf(
        story,
        identity=identity,
        title=_("{title} — {subtitle}").format(title=title, subtitle=document_subtitle()),
        number=number,
        issued_at=issued,
        author="",
        subject=subject,
    )
