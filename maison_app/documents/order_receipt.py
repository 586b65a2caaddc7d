"""Reçu de commande groupée: what one member ordered in a campaign and paid for.

On the Maison's letterhead (number and moment of issue in the header): the title, the member,
the campaign with its pickup day and place, one line per product (producer, quantity, unit
price incl. VAT, VAT rate, amount), the total incl. VAT and the VAT included per rate (each
line's VAT rounded to the cent, then summed, as French invoices do), the place and date of
issue and the house's signature.

Same inputs, same bytes.
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

from maison_app.documents.convention import house_name, markup, place_and_date
from maison_app.documents.fonts import REGULAR
from maison_app.documents.letterhead import build_pdf as build_letterhead_pdf
from maison_app.documents.letterhead import content_width
from maison_app.documents.purchase_order import (
    Line,
    campaign_rows,
    labelled_table,
    lines_table,
)
from maison_app.documents.receipt import SignatureBox, long_date
from maison_app.documents.styles import MUTED, RULE, stylesheet
from maison_app.domain.catalogue import CampaignRecord, OrderRecord
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _, to_paris


def _member_block(order: OrderRecord, styles) -> Table:
    """The member, on the right as on a French letter."""
    lines = [Paragraph(markup(_("Commande de")), styles["muted"]), Spacer(1, 1 * mm),
             Paragraph(f'<font size="10.5"><b>{markup(order.member_name)}</b></font>',
                       styles["td"])]
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


def build_pdf(identity: MaisonIdentity, campaign: CampaignRecord, order: OrderRecord, *,
              number: str, issued: dt.datetime) -> bytes:
    """The receipt of one member's order as PDF bytes. Same inputs, same bytes."""
    styles = stylesheet()
    title = _("Reçu de commande groupée")
    lines = []
    for line in order.lines:
        product = f"<b>{markup(line.product_name)}</b>"
        if line.producer_name.strip():
            product += (f'<br/><font size="7" color="{MUTED.hexval()}">'
                        f"{markup(line.producer_name)}</font>")
        lines.append(Line(product=product, quantity_milli=line.quantity_milli, unit=line.unit,
                          unit_price_cents=line.unit_price_cents, total_cents=line.total_cents,
                          vat_bp=line.vat_bp))
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(_("N° {number} — {campaign}").format(number=number,
                                                               campaign=campaign.title)),
                  styles["subtitle"]),
        _member_block(order, styles),
        Spacer(1, 5 * mm),
        labelled_table(campaign_rows(campaign), content_width(), styles, stress=(2,)),
        Paragraph(markup(_("Détail de la commande")), styles["heading"]),
    ]
    if lines:
        story.append(lines_table(lines, order.total_cents, order.vat_by_rate, styles,
                                 total_label=_("Total TTC")))
    else:
        story.append(Paragraph(markup(_("Cette commande ne contient aucun produit.")),
                               styles["body"]))
    if order.collected_at is not None:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(markup(_("Commande retirée le {date}.").format(
            date=long_date(to_paris(order.collected_at).date()))), styles["body"]))
    story += [
        Spacer(1, 4 * mm),
        KeepTogether([
            Paragraph(markup(place_and_date(identity, to_paris(issued).date())),
                      styles["body"]),
            Spacer(1, 2 * mm),
            SignatureBox(house_name(identity), _("Pour la Maison, signature et cachet")),
        ]),
        Spacer(1, 4 * mm),
        Paragraph(markup(_(
            "Les produits sont vendus par les producteurs ; la Maison les commande pour le "
            "compte de ses membres (groupement d'achats). Prix TTC.")), styles["muted"]),
    ]
    return build_letterhead_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_at=issued,
        author="",
        subject=_("Reçu de commande — {member} — {campaign}").format(
            member=order.member_name, campaign=campaign.title),
    )
