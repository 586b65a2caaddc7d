"""Données personnelles: the readable export of everything the house holds about one person
(the data-protection right of access), next to the JSON file of the same export.

One section per area of the export (the person's record, their visits…), each record as a
small two-column table label / value; a missing value is shown as "—". The document ends
with the person's rights. It is not archived: its number is "RGPD-<person id>".
"""

from __future__ import annotations

import datetime as dt
import re

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from maison_app.documents.fonts import BOLD
from maison_app.documents.letterhead import build_pdf, content_width
from maison_app.documents.styles import ACCENT_LIGHT, markup, stylesheet, table_style
from maison_app.domain.privacy import PersonalDataExport
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _, format_date, format_datetime, ngettext

MISSING = "—"
LABEL_FRACTION = 0.30
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}.*)?$")


def issued_at(export: PersonalDataExport) -> dt.datetime:
    """The moment of the export as an aware datetime (the service writes ISO 8601, UTC)."""
    moment = dt.datetime.fromisoformat(export.generated_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def document_title(export: PersonalDataExport) -> str:
    return _("Données personnelles — {name}").format(name=export.person_name)


def document_number(export: PersonalDataExport) -> str:
    return f"RGPD-{export.person_id}"


def _value_text(value: object) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    text = str(value)
    # ISO dates and moments from the service, shown the French way
    if isinstance(value, str) and ISO_DATE.match(text):
        try:
            if len(text) == 10:
                return format_date(dt.date.fromisoformat(text))
            return format_datetime(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    return text


def _record_table(record: dict[str, object]) -> Table:
    styles = stylesheet()
    width = content_width()
    rows = [
        [Paragraph(f'<font name="{BOLD}">{markup(str(label))}</font>', styles["td"]),
         Paragraph(markup(_value_text(value)), styles["td"])]
        for label, value in record.items()
    ]
    table = Table(rows, colWidths=[LABEL_FRACTION * width, (1 - LABEL_FRACTION) * width])
    style = table_style(header_rows=0, zebra=False)
    style.add("BACKGROUND", (0, 0), (0, -1), ACCENT_LIGHT)  # the labels' column
    table.setStyle(style)
    return table


def _section(title: str, records, styles) -> list[Flowable]:
    count = ngettext("{n} élément", "{n} éléments", len(records)).format(n=len(records))
    heading = Paragraph(
        f'{markup(title)} <font size="8.5" color="#5F6B6A">({markup(count)})</font>',
        styles["heading"],
    )
    if not records:
        return [KeepTogether([heading, Paragraph(
            markup(_("Aucune donnée dans cette rubrique.")), styles["body"])])]
    parts: list[Flowable] = []
    for index, record in enumerate(records):
        table = _record_table(record)
        if index == 0:
            parts.append(KeepTogether([heading, table]))  # never a heading alone at a page end
        else:
            parts.append(table)
        parts.append(Spacer(1, 2.5 * mm))
    return parts


def rights_text() -> str:
    return _(
        "Vous pouvez à tout moment demander l'accès à ces données, leur rectification ou leur "
        "effacement en vous adressant à l'accueil de la Maison (sur place, par courrier ou par "
        "e-mail aux coordonnées ci-dessus). Si vous estimez que vos droits ne sont pas "
        "respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr)."
    )


def render(*, identity: MaisonIdentity, export: PersonalDataExport, author: str) -> bytes:
    """The readable export as PDF bytes. Same inputs, same bytes."""
    styles = stylesheet()
    title = document_title(export)
    moment = issued_at(export)
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(
            markup(_("Tout ce que la Maison conserve sur cette personne, extrait le "
                     "{datetime}.").format(datetime=format_datetime(moment))),
            styles["subtitle"],
        ),
    ]
    for section in export.sections:
        story.extend(_section(section.title, section.records, styles))
    story.append(KeepTogether([
        Spacer(1, 2 * mm),
        Paragraph(
            "<b>{}</b> {}".format(markup(_("Vos droits :")), markup(rights_text())),
            styles["note"],
        ),
    ]))
    return build_pdf(
        story,
        identity=identity,
        title=title,
        number=document_number(export),
        issued_at=moment,
        author=author,
        subject=_("Données personnelles"),
    )
