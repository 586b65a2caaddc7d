"""Bon de commande: what the Maison, as the buying group of its members (groupement d'achats),
orders from one producer for one grouped-order campaign.

On the Maison's letterhead (number and moment of issue in the header): the title, the buyer
(the house) and the supplier (the producer: name, town, contact) side by side, the campaign and
the delivery (pickup day and place), then one line per product — quantity in its unit
(« 12,5 kg », « 24 pièces »), unit price incl. VAT, amount — the total incl. VAT and the VAT
included per rate, a warning when the producer's minimum order is not reached, and a frame
for the house's signature.

Also the wording the three papers of grouped orders share (quantities, unit prices, VAT
rates, the table of lines and its totals), used by pickup_list.py and order_receipt.py.

Same inputs, same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.enums import TA_RIGHT
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

from maison_app.documents.booking_confirmation import full_date
from maison_app.documents.convention import (
    house_name,
    markup,
    place_and_date,
    siret_text,
    vat_rate_text,
)
from maison_app.documents.fonts import REGULAR
from maison_app.documents.letterhead import build_pdf as build_letterhead_pdf
from maison_app.documents.letterhead import content_width
from maison_app.documents.receipt import SignatureBox, long_date
from maison_app.documents.styles import (
    ACCENT,
    ACCENT_LIGHT,
    MUTED,
    RULE,
    WHITE,
    ZEBRA,
    stylesheet,
)
from maison_app.domain.catalogue import (
    NBSP,
    CampaignRecord,
    ProducerRecord,
    TotalRow,
    as_unit,
    quantity_number,
    quantity_text,
    short_line,
)
from maison_app.domain.enums import ProductUnit
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _, format_money, to_paris


def th_right(styles) -> ParagraphStyle:
    return ParagraphStyle("th_right", parent=styles["th"], alignment=TA_RIGHT)


# --- wording shared by the papers of grouped orders ------------------------------------------


def unit_price_text(price_cents: int, unit: ProductUnit | str) -> str:
    """"3,20 € / kg", "1,80 € / pièce"."""
    known = as_unit(unit)
    label = known.label if known is not None else str(unit)
    return f"{format_money(price_cents)}{NBSP}/{NBSP}{label}"


def vat_line_text(vat_bp: int) -> str:
    """"dont TVA 5,5 %"."""
    return _("dont TVA {rate}").format(rate=vat_rate_text(vat_bp))


def minimum_warning(producer: ProducerRecord, total_cents: int) -> str:
    """The warning when a producer's minimum order is not reached, or ""."""
    if producer.min_order_cents <= 0 or total_cents >= producer.min_order_cents:
        return ""
    return _("Minimum de commande non atteint : {total} commandés pour un minimum de "
             "{minimum} (il manque {missing}).").format(
        total=format_money(total_cents), minimum=format_money(producer.min_order_cents),
        missing=format_money(producer.min_order_cents - total_cents))


def pickup_text(campaign: CampaignRecord) -> str:
    """"jeudi 17 décembre 2026 — Maison de l'ESS, salle du rez-de-chaussée"."""
    place = campaign.pickup_place.strip()
    day = full_date(campaign.pickup_on)
    return f"{day} — {place}" if place else day


def labelled_table(rows: Sequence[tuple[str, object]], width: float, styles,
                   *, label_share: float = 0.28, stress: Sequence[int] = ()) -> Table:
    """Two columns: a muted label, a value (markup string or flowables)."""
    cell = styles["td"]
    data = [[Paragraph(f'<font color="{MUTED.hexval()}">{markup(label)}</font>', cell),
             Paragraph(value, cell) if isinstance(value, str) else value]
            for label, value in rows]
    table = Table(data, colWidths=[label_share * width, (1 - label_share) * width])
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), ACCENT_LIGHT) for i in stress]
    table.setStyle(TableStyle(commands))
    return table


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the table of products: what the three papers print per product."""

    product: str  # markup
    quantity_milli: int
    unit: ProductUnit | str
    unit_price_cents: int
    total_cents: int
    vat_bp: int | None = None  # printed when given (the member's receipt)


def lines_table(lines: Sequence[Line], total_cents: int, vat_by_rate: Mapping[int, int],
                styles, *, total_label: str) -> Table:
    """Product / quantity / unit price / (VAT) / amount, then the total incl. VAT and the VAT
    included per rate; the head repeats on every page."""
    with_vat = any(line.vat_bp is not None for line in lines)
    width = content_width()
    quantity_w, price_w, vat_w, amount_w = 26 * mm, 35 * mm, 15 * mm, 24 * mm
    widths = [width - quantity_w - price_w - amount_w - (vat_w if with_vat else 0),
              quantity_w, price_w] + ([vat_w] if with_vat else []) + [amount_w]
    right, td = styles["td_right"], styles["td"]
    head = [Paragraph(markup(_("Produit")), styles["th"]),
            Paragraph(markup(_("Quantité")), th_right(styles)),
            Paragraph(markup(_("Prix unitaire TTC")), th_right(styles))]
    if with_vat:
        head.append(Paragraph(markup(_("TVA")), th_right(styles)))
    head.append(Paragraph(markup(_("Montant TTC")), th_right(styles)))
    rows: list[list] = [head]
    for line in lines:
        row = [Paragraph(line.product, td),
               Paragraph(markup(quantity_text(line.quantity_milli, line.unit)), right),
               Paragraph(markup(unit_price_text(line.unit_price_cents, line.unit)), right)]
        if with_vat:
            row.append(Paragraph(markup(vat_rate_text(line.vat_bp or 0)), right))
        row.append(Paragraph(markup(format_money(line.total_cents)), right))
        rows.append(row)
    blanks = [""] * (len(widths) - 2)
    total_row = len(rows)
    rows.append([Paragraph(f"<b>{markup(total_label)}</b>", td)] + blanks
                + [Paragraph(f"<b>{markup(format_money(total_cents))}</b>", right)])
    for rate, vat in sorted(vat_by_rate.items()):
        rows.append([Paragraph(markup(vat_line_text(rate)), styles["td_small"])] + blanks
                    + [Paragraph(f'<font size="7" color="{MUTED.hexval()}">'
                                 f"{markup(format_money(vat))}</font>", right)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    last_line = total_row - 1
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("TEXTCOLOR", (0, 0), (-1, 0), WHITE),
        ("LINEBELOW", (0, 1), (-1, last_line), 0.4, RULE),
        ("BOX", (0, 0), (-1, last_line), 0.6, RULE),
        ("SPAN", (0, total_row), (-2, total_row)),
        ("BACKGROUND", (0, total_row), (-1, total_row), ACCENT_LIGHT),
        ("LINEABOVE", (0, total_row), (-1, total_row), 0.9, ACCENT),
        ("LINEBELOW", (0, total_row), (-1, total_row), 0.6, RULE),
        ("TOPPADDING", (0, total_row + 1), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, total_row + 1), (-1, -1), 1.5),
    ]
    if last_line >= 2:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, last_line), [WHITE, ZEBRA]))
    commands += [("SPAN", (0, r), (-2, r)) for r in range(total_row + 1, len(rows))]
    table.setStyle(TableStyle(commands))
    return table


def campaign_rows(campaign: CampaignRecord) -> list[tuple[str, str]]:
    """The campaign and the pickup, for a labelled table."""
    place = campaign.pickup_place.strip()
    rows = [
        (_("Commande groupée"), f"<b>{markup(campaign.title)}</b>"),
        (_("Commandes reçues"), markup(_("du {start} au {end}").format(
            start=long_date(campaign.opens_on), end=long_date(campaign.closes_on)))),
        (_("Jour de retrait"), f"<b>{markup(full_date(campaign.pickup_on))}</b>"),
    ]
    if place:
        rows.append((_("Lieu de retrait"), markup(place)))
    return rows


def house_lines(identity: MaisonIdentity) -> list[str]:
    """The house in markup: name, organisation, address, SIRET, contact."""
    lines = [f"<b>{markup(house_name(identity))}</b>"]
    organisation = identity.organisation.strip()
    if organisation and organisation != house_name(identity):
        lines.append(markup(organisation))
    lines += [markup(text) for text in (identity.address_line, siret_text(identity.siret))
              if text]
    contact = " · ".join(c for c in (identity.phone.strip(), identity.email.strip()) if c)
    if contact:
        lines.append(markup(contact))
    return lines


# --- the purchase order ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PurchaseOrderData:
    """What the purchase order to one producer prints, gathered by the catalogue service."""

    campaign: CampaignRecord
    producer: ProducerRecord
    rows: tuple[TotalRow, ...]  # per product: key = the product's name, quantity, amount
    units: tuple[str, ...]  # the unit of each row (its label, or a ProductUnit)
    unit_prices: tuple[int, ...]  # the unit price incl. VAT of each row, in cents
    total_cents: int
    vat_by_rate: dict[int, int]


def producer_lines(producer: ProducerRecord) -> list[str]:
    lines = [f"<b>{markup(producer.name)}</b>"]
    if producer.town.strip():
        lines.append(markup(producer.town.strip()))
    if producer.contact_name.strip():
        lines.append(markup(_("Contact : {name}").format(name=producer.contact_name.strip())))
    contact = " · ".join(c for c in (producer.phone.strip(), producer.email.strip()) if c)
    if contact:
        lines.append(markup(contact))
    if producer.labels:
        lines.append(f'<font color="{MUTED.hexval()}">'
                     f'{markup(", ".join(label.label for label in producer.labels))}</font>')
    return lines


def _parties(identity: MaisonIdentity, producer: ProducerRecord, styles) -> Table:
    """The buyer and the supplier, side by side."""
    cell = styles["td"]

    def block(caption: str, lines: list[str]) -> list[Paragraph]:
        return [Paragraph(markup(caption), styles["muted"]), Spacer(1, 1 * mm),
                Paragraph("<br/>".join(lines), cell)]

    buying_group = markup(_("pour le groupement d'achats de ses membres"))
    buyer = [*house_lines(identity),
             f'<font color="{MUTED.hexval()}">{buying_group}</font>']
    width = content_width()
    gap = 6 * mm
    table = Table([[block(_("Acheteur"), buyer), "",
                    block(_("Fournisseur"), producer_lines(producer))]],
                  colWidths=[(width - gap) / 2, gap, (width - gap) / 2])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ("BOX", (0, 0), (0, 0), 0.6, RULE),
        ("BOX", (2, 0), (2, 0), 0.8, ACCENT),
    ]))
    return table


def build_pdf(identity: MaisonIdentity, data: PurchaseOrderData, *, number: str,
              issued: dt.datetime) -> bytes:
    """The purchase order of one campaign to one producer as PDF bytes. Same inputs, same
    bytes."""
    if not len(data.rows) == len(data.units) == len(data.unit_prices):
        raise ValueError("rows, units and unit_prices must have the same length")
    styles = stylesheet()
    campaign, producer = data.campaign, data.producer
    title = _("Bon de commande")
    lines = [Line(product=f"<b>{markup(row.key)}</b>", quantity_milli=row.quantity_milli,
                  unit=unit, unit_price_cents=price, total_cents=row.total_cents)
             for row, unit, price in zip(data.rows, data.units, data.unit_prices, strict=True)]
    delivery = [(label, value) for label, value in campaign_rows(campaign)]
    delivery[2] = (_("Livraison et retrait"), delivery[2][1])
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(_("N° {number} — {campaign}").format(number=number,
                                                               campaign=campaign.title)),
                  styles["subtitle"]),
        _parties(identity, producer, styles),
        Paragraph(markup(_("Commande et livraison")), styles["heading"]),
        labelled_table(delivery, content_width(), styles, stress=(2,)),
        Paragraph(markup(_("Produits commandés")), styles["heading"]),
    ]
    if lines:
        story.append(lines_table(lines, data.total_cents, data.vat_by_rate, styles,
                                 total_label=_("Total de la commande TTC")))
    else:
        story.append(Paragraph(markup(_("Aucun produit commandé à ce producteur.")),
                               styles["body"]))
    warning = minimum_warning(producer, data.total_cents)
    if warning:
        story.append(Paragraph(f'<font color="#9A3412"><b>{markup(_("Attention"))}</b> — '
                               f"{markup(warning)}</font>", styles["note"]))
    story += [
        Spacer(1, 3 * mm),
        Paragraph(markup(_("Merci de livrer ces produits au lieu et au jour de retrait "
                           "indiqués ci-dessus. La facture est à adresser à {house}.").format(
            house=house_name(identity))), styles["body"]),
        Spacer(1, 3 * mm),
        KeepTogether([
            Paragraph(markup(place_and_date(identity, to_paris(issued).date())),
                      styles["body"]),
            Spacer(1, 2 * mm),
            SignatureBox(house_name(identity), _("Pour l'acheteur, signature et cachet")),
        ]),
    ]
    return build_letterhead_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_at=issued,
        author="",
        subject=_("Bon de commande — {producer} — {campaign}").format(
            producer=producer.name, campaign=campaign.title),
    )


__all__ = [
    "Line", "PurchaseOrderData", "as_unit", "build_pdf", "campaign_rows",
    "house_lines", "labelled_table", "lines_table", "minimum_warning", "pickup_text",
    "quantity_number", "quantity_text", "short_line", "unit_price_text",
    "vat_line_text",
]
