"""Liste de retrait: the paper the volunteers hold on the pickup day of a grouped order.

On the Maison's letterhead (number and moment of issue in the header): the title, the
campaign, the pickup day and place, then one row per member's order — the member's name, what
they ordered in short (« 2 × pain de campagne, 1,5 kg pommes »), the amount, a « Retiré »
box to tick and a cell to sign (at least 12 mm high) — and the total of the campaign. The
head of the table (the campaign and the column names) is repeated on every page it runs onto.

Same inputs, same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from maison_app.documents.booking_confirmation import full_date
from maison_app.documents.convention import markup
from maison_app.documents.fonts import BOLD, REGULAR
from maison_app.documents.letterhead import build_pdf as build_letterhead_pdf
from maison_app.documents.letterhead import content_width
from maison_app.documents.purchase_order import (
    campaign_rows,
    labelled_table,
    short_line,
)
from maison_app.documents.styles import (
    ACCENT,
    ACCENT_LIGHT,
    MUTED,
    RULE,
    TEXT,
    WHITE,
    stylesheet,
)
from maison_app.domain.catalogue import CampaignRecord, OrderRecord
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _, format_money, ngettext

NBSP = "\u00a0"
NUMBER_WIDTH = 8 * mm
NAME_WIDTH = 40 * mm
AMOUNT_WIDTH = 21 * mm
COLLECTED_WIDTH = 14 * mm
SIGNATURE_WIDTH = 38 * mm
ROW_HEIGHT = 12.5 * mm  # room for a handwritten signature
HEAD_ROWS = 2  # the band with the campaign, and the column names
CELL_PADDING = 3.5


class TickBox(Flowable):
    """An empty square to tick by hand, or ticked when the order is already collected."""

    def __init__(self, ticked: bool = False, size: float = 4.5 * mm) -> None:
        super().__init__()
        self.ticked = ticked
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._available_width = available_width
        return available_width, self.size

    def draw(self) -> None:
        c = self.canv
        x = (self._available_width - self.size) / 2
        c.setStrokeColor(TEXT)
        c.setLineWidth(0.8)
        c.rect(x, 0, self.size, self.size, stroke=1, fill=0)
        if self.ticked:
            c.setLineWidth(1.2)
            c.setStrokeColor(ACCENT)
            path = c.beginPath()
            path.moveTo(x + 0.2 * self.size, 0.5 * self.size)
            path.lineTo(x + 0.42 * self.size, 0.2 * self.size)
            path.lineTo(x + 0.85 * self.size, 0.85 * self.size)
            c.drawPath(path, stroke=1, fill=0)


def order_summary(order: OrderRecord) -> str:
    """"2 × pain de campagne, 1,5 kg pommes"."""
    return ", ".join(short_line(line.product_name, line.quantity_milli, line.unit)
                     for line in order.lines)


def orders_count(count: int) -> str:
    return ngettext("{n} commande", "{n} commandes", count).format(n=count)


def _band(campaign: CampaignRecord, styles) -> Paragraph:
    """"Retrait — Paniers de Noël · jeudi 17 décembre 2026 · Salle polyvalente"."""
    text = f"<b>{markup(_('Retrait'))}</b> — {markup(campaign.title)}{NBSP}· " \
           f"{markup(full_date(campaign.pickup_on))}"
    if campaign.pickup_place.strip():
        text += f"{NBSP}· {markup(campaign.pickup_place.strip())}"
    return Paragraph(f'<font color="{ACCENT.hexval()}">{text}</font>', styles["td"])


def pickup_table(campaign: CampaignRecord, orders: Sequence[OrderRecord]) -> Table:
    styles = stylesheet()
    width = content_width()
    products_width = (width - NUMBER_WIDTH - NAME_WIDTH - AMOUNT_WIDTH - COLLECTED_WIDTH
                      - SIGNATURE_WIDTH)
    widths = [NUMBER_WIDTH, NAME_WIDTH, products_width, AMOUNT_WIDTH, COLLECTED_WIDTH,
              SIGNATURE_WIDTH]
    td, right, center = styles["td"], styles["td_right"], styles["td_center"]
    rows: list[list] = [
        [_band(campaign, styles)] + [""] * 5,
        [Paragraph(markup(_("N°")), styles["th_center"]),
         Paragraph(markup(_("Adhérent·e")), styles["th"]),
         Paragraph(markup(_("Produits")), styles["th"]),
         Paragraph(markup(_("Montant")), styles["th_center"]),
         Paragraph(markup(_("Retiré")), styles["th_center"]),
         Paragraph(markup(_("Signature")), styles["th_center"])],
    ]
    heights: list[float | None] = [None, None]
    for index, order in enumerate(orders, start=1):
        name = Paragraph(f'<font size="9.5"><b>{markup(order.member_name)}</b></font>', td)
        products = Paragraph(markup(order_summary(order)), td)
        rows.append([Paragraph(str(index), center), name, products,
                     Paragraph(markup(format_money(order.total_cents)), right),
                     TickBox(order.collected_at is not None), ""])
        needed = max(name.wrap(NAME_WIDTH - 8, 10_000)[1],
                     products.wrap(products_width - 8, 10_000)[1]) + 2 * CELL_PADDING
        heights.append(max(ROW_HEIGHT, needed))
    total = sum(order.total_cents for order in orders)
    rows.append([Paragraph(f"<b>{markup(_('Total'))}</b> — {markup(orders_count(len(orders)))}",
                           td), "", "",
                 Paragraph(f"<b>{markup(format_money(total))}</b>", right), "", ""])
    heights.append(None)
    last = len(rows) - 1
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=HEAD_ROWS)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("GRID", (0, 1), (-1, -1), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, TEXT),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("BACKGROUND", (0, 1), (-1, 1), ACCENT),
        ("TEXTCOLOR", (0, 1), (-1, 1), WHITE),
        ("LINEAFTER", (0, 1), (-1, 1), 0.5, WHITE),
        # the cells filled at the desk: a darker frame
        ("INNERGRID", (4, 2), (-1, last - 1), 0.6, MUTED),
        ("LINEBEFORE", (4, 2), (4, last), 0.8, TEXT),
        ("SPAN", (0, last), (2, last)),
        ("BACKGROUND", (0, last), (-1, last), ACCENT_LIGHT),
        ("LINEABOVE", (0, last), (-1, last), 1.2, ACCENT),
        ("FONTNAME", (0, last), (-1, last), BOLD),
    ]))
    return table


def build_pdf(identity: MaisonIdentity, campaign: CampaignRecord, orders: Sequence[OrderRecord],
              *, number: str, issued: dt.datetime) -> bytes:
    """The pickup list of a campaign (its orders in the order given) as PDF bytes. Same
    inputs, same bytes."""
    styles = stylesheet()
    title = _("Liste de retrait")
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(_("N° {number} — {campaign}").format(number=number,
                                                               campaign=campaign.title)),
                  styles["subtitle"]),
        labelled_table(campaign_rows(campaign), content_width(), styles, label_share=0.24,
                       stress=(2,)),
        Spacer(1, 2 * mm),
        Paragraph(markup(_(
            "À chaque retrait : vérifier les produits avec l'adhérent·e, cocher la case "
            "« Retiré » et faire signer la ligne. Les montants sont TTC.")), styles["muted"]),
        Spacer(1, 2.5 * mm),
        pickup_table(campaign, orders),
    ]
    return build_letterhead_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_at=issued,
        author="",
        subject=_("Liste de retrait — {campaign}").format(campaign=campaign.title),
    )
