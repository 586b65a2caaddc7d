"""Reçu de cotisation: the receipt of one payment towards a year's membership.

On the Maison's letterhead (number and date of issue in the header): the member and their
address, the college, the period (the calendar year), the amount of this payment, its date
and method (with the cheque number or reference), then where the membership stands (fee of
the year, total paid with this payment, what remains due), the place and date of issue and a block for
the signature and stamp. Same inputs, same bytes: a reprint is the archived document itself,
and a re-rendering of the same data gives the same PDF.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from maison_app.documents.fonts import BOLD, REGULAR
from maison_app.documents.letterhead import build_pdf, content_width, long_date
from maison_app.documents.styles import (
    ACCENT,
    ACCENT_LIGHT,
    MUTED,
    RULE,
    TEXT,
    markup,
    stylesheet,
)
from maison_app.domain.enums import PaymentMethod
from maison_app.domain.members import ReceiptData
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _, format_money, to_paris


def period_label(year: int) -> str:
    """The period a membership covers: the calendar year."""
    return _("du 1er janvier au 31 décembre {year}").format(year=year)


def method_label(method: PaymentMethod, reference: str | None) -> str:
    """"Chèque n° 1234567", "Virement — référence VIR-0042", "Espèces"."""
    reference = (reference or "").strip()
    if not reference:
        return method.label
    if method is PaymentMethod.CHEQUE:
        return _("Chèque n° {reference}").format(reference=reference)
    return _("{method} — référence {reference}").format(method=method.label, reference=reference)


def _address_lines(address: str) -> list[str]:
    """"12 rue X, 79000 Niort" as the lines of a postal address: the street part, then the
    postcode and city (the last part)."""
    parts = [part.strip() for part in (address or "").split(",") if part.strip()]
    if len(parts) <= 2:
        return parts
    return [", ".join(parts[:-1]), parts[-1]]


def _member_block(data: ReceiptData, styles) -> Table:
    """The member's name and address, on the right as on a French letter."""
    line = styles["td"]
    lines = [Paragraph(markup(_("Reçu de")), styles["muted"]), Spacer(1, 1 * mm),
             Paragraph(f'<font size="10.5"><b>{markup(data.member_name)}</b></font>', line),
             Spacer(1, 1 * mm)]
    lines += [Paragraph(markup(text), line) for text in _address_lines(data.member_address)]
    width = content_width()
    box = 82 * mm
    table = Table([["", lines]], colWidths=[width - box, box])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (1, 0), (1, 0), 8),
        ("RIGHTPADDING", (1, 0), (1, 0), 8),
        ("TOPPADDING", (1, 0), (1, 0), 6),
        ("BOTTOMPADDING", (1, 0), (1, 0), 8),
        ("BOX", (1, 0), (1, 0), 0.6, RULE),
    ]))
    return table


def _details(data: ReceiptData, styles) -> Table:
    """The payment itself: one line per item, the amount stressed."""
    value = styles["td"]
    amount = Paragraph(
        f'<font name="{BOLD}" size="12" color="{ACCENT.hexval()}">'
        f"{markup(format_money(data.amount_cents))}</font>", value)
    rows = [
        (_("Adhérent·e"), Paragraph(markup(data.member_name), value)),
        (_("Collège"), Paragraph(markup(data.college), value)),
        (_("Période d'adhésion"), Paragraph(markup(period_label(data.year)), value)),
        (_("Montant de ce paiement"), amount),
        (_("Date du paiement"), Paragraph(markup(long_date(data.paid_on)), value)),
        (_("Mode de paiement"), Paragraph(markup(method_label(data.method, data.reference)), value)),
    ]
    width = content_width()
    table = Table(
        [[Paragraph(f'<font color="{MUTED.hexval()}">{markup(text)}</font>', value), cell]
         for text, cell in rows],
        colWidths=[0.32 * width, 0.68 * width],
    )
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 3), (-1, 3), ACCENT_LIGHT),
    ]))
    return table


def _balance(data: ReceiptData, styles) -> Table:
    """Where the membership of the year stands after this payment."""
    due = max(data.fee_cents - data.paid_total_cents, 0)
    right = styles["td_right"]
    rows = [
        (_("Cotisation {year}").format(year=data.year), format_money(data.fee_cents)),
        (_("Total réglé, ce paiement compris"), format_money(data.paid_total_cents)),
        (_("Reste dû"), format_money(due)),
    ]
    width = content_width()
    table = Table(
        [[Paragraph(markup(text), styles["td"]), Paragraph(markup(amount), right)]
         for text, amount in rows[:-1]]
        + [[Paragraph(f"<b>{markup(rows[-1][0])}</b>", styles["td"]),
            Paragraph(f"<b>{markup(rows[-1][1])}</b>", right)]],
        colWidths=[0.32 * width, 0.22 * width], hAlign="LEFT",
    )
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, ACCENT),
        ("BACKGROUND", (0, -1), (-1, -1), ACCENT_LIGHT),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]))
    return table


def _balance_note(data: ReceiptData) -> str:
    due = max(data.fee_cents - data.paid_total_cents, 0)
    if due == 0:
        return _("La cotisation {year} est entièrement réglée.").format(year=data.year)
    return _("Paiement partiel : il reste {due} à régler pour l'année {year}.").format(
        due=format_money(due), year=data.year)


class SignatureBox(Flowable):
    """An empty frame for the signature and the stamp, on the right, with who signs above."""

    def __init__(self, signatory: str, caption: str, width: float = 78 * mm,
                 height: float = 26 * mm) -> None:
        super().__init__()
        self.signatory = signatory
        self.caption = caption
        self.box_width = width
        self.box_height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._available_width = available_width
        return available_width, self.box_height + 10 * mm

    def draw(self) -> None:
        c = self.canv
        x = self._available_width - self.box_width
        signatory = self.signatory
        while signatory and c.stringWidth(signatory, BOLD, 9) > self.box_width:
            signatory = signatory[:-2] + "…"
        c.setFillColor(TEXT)
        c.setFont(BOLD, 9)
        c.drawString(x, self.box_height + 6.5 * mm, signatory)
        c.setFillColor(MUTED)
        c.setFont(REGULAR, 8)
        c.drawString(x, self.box_height + 2.5 * mm, self.caption)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.setDash(2, 2)
        c.roundRect(x, 0, self.box_width, self.box_height, 2 * mm, stroke=1, fill=0)


def render_receipt(number: str, identity: MaisonIdentity, data: ReceiptData,
                   issued_at: dt.datetime) -> bytes:
    """The reçu de cotisation of one payment as PDF bytes. Same inputs, same bytes."""
    styles = stylesheet()
    title = _("Reçu de cotisation")
    house = identity.name.strip() or identity.organisation.strip()
    place = identity.city.strip()
    issued_on = long_date(to_paris(issued_at).date())
    statement = _(
        "Nous attestons avoir reçu de {member} la somme de {amount} au titre de sa cotisation "
        "pour l'année {year}, collège « {college} »."
    ).format(member=f"<b>{markup(data.member_name)}</b>",
             amount=f"<b>{markup(format_money(data.amount_cents))}</b>",
             year=data.year, college=markup(data.college))
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(_("N° {number} — adhésion {year}").format(number=number, year=data.year)),
                  styles["subtitle"]),
        _member_block(data, styles),
        Spacer(1, 6 * mm),
        Paragraph(statement, styles["body"]),
        Spacer(1, 2 * mm),
        _details(data, styles),
        Paragraph(markup(_("Situation de l'adhésion")), styles["heading"]),
        _balance(data, styles),
        Spacer(1, 2 * mm),
        Paragraph(markup(_balance_note(data)), styles["body"]),
        Spacer(1, 4 * mm),
        KeepTogether([
            Paragraph(markup(
                _("Fait à {place}, le {date}").format(place=place, date=issued_on) if place
                else _("Fait le {date}").format(date=issued_on)), styles["body"]),
            Spacer(1, 2 * mm),
            SignatureBox(house, _("Signature et cachet")),
        ]),
        Spacer(1, 5 * mm),
        Paragraph(markup(_(
            "Ce reçu atteste le paiement d'une cotisation ; il ne constitue pas un reçu fiscal. "
            "À conserver : il peut vous être demandé comme justificatif d'adhésion."
        )), styles["muted"]),
    ]
    return build_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_at=issued_at,
        author="",
        subject=_("Reçu de cotisation {year} — {name}").format(year=data.year,
                                                             name=data.member_name),
    )
