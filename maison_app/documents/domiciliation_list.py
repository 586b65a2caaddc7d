"""Liste des personnes domiciliées: what the house, as a domiciliation company, sends each
half-year to the tax office and the URSSAF (article R.123-168 du Code de commerce).

On the Maison's letterhead, A4 landscape: the half-year, the sentence that says why the list
is sent, a table of everyone domiciled at the house during the period — name, legal form,
SIRET, representative, start of the domiciliation, its end (or « en cours »), the convention —
sorted by name, its header row repeated on every page; then the count, the place and date and
a frame for the signature. Same inputs, same bytes.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from maison_app.documents.convention import (
    build_dated_pdf,
    french_spacing,
    house_name,
    markup,
    place_and_date,
)
from maison_app.documents.letterhead import content_width, format_siret
from maison_app.documents.receipt import SignatureBox, long_date
from maison_app.documents.styles import ACCENT, stylesheet, table_style
from maison_app.domain.hosting import DomiciliationLine, DomiciliationList
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.text import search_key
from maison_app.i18n import _, format_date, ngettext

LANDSCAPE = True  # eight columns: a portrait page would wrap every SIRET and name


def half_label(half: int) -> str:
    return _("1er semestre") if half == 1 else _("2e semestre")


def list_title(data: DomiciliationList) -> str:
    """« Liste des personnes domiciliées — 1er semestre 2026 »."""
    return _("Liste des personnes domiciliées — {half} {year}").format(
        half=half_label(data.half), year=data.year)


def count_label(data: DomiciliationList) -> str:
    """"3 personnes domiciliées au cours du semestre, dont 1 ayant cessé de l'être."""
    n = len(data.lines)
    if n == 0:
        return _("Aucune personne domiciliée au cours du semestre.")
    text = ngettext("{n} personne domiciliée au cours du semestre",
                    "{n} personnes domiciliées au cours du semestre", n).format(n=n)
    ended = sum(1 for line in data.lines if line.end is not None)
    if ended:
        text += ngettext(", dont {n} ayant cessé de l'être", ", dont {n} ayant cessé de l'être",
                         ended).format(n=ended)
    return text + "."


def _sort_key(line: DomiciliationLine) -> tuple:
    return (search_key(line.name), line.name, line.start, line.agreement_number)


def _table(data: DomiciliationList, styles) -> Table:
    th, th_c, td, td_c = styles["th"], styles["th_center"], styles["td"], styles["td_center"]

    def cell(text: str, style) -> Paragraph:
        return Paragraph(markup(text), style)

    rows: list[list] = [[
        cell(_("N°"), th_c),
        cell(_("Nom ou dénomination"), th),
        cell(_("Forme juridique"), th),
        cell(_("SIRET"), th),
        cell(_("Représentant·e légal·e"), th),
        cell(_("Début"), th_c),
        cell(_("Fin"), th_c),
        cell(_("Convention"), th_c),
    ]]
    for index, line in enumerate(sorted(data.lines, key=_sort_key), start=1):
        rows.append([
            cell(str(index), td_c),
            Paragraph(f"<b>{markup(line.name)}</b>", td),
            cell(line.legal_form.label if line.legal_form is not None else "—", td),
            cell(format_siret(line.siret) if line.siret.strip() else "—", td),
            cell(line.representative or "—", td),
            cell(format_date(line.start, "short"), td_c),
            cell(format_date(line.end, "short") if line.end is not None else _("en cours"),
                 td_c),
            cell(line.agreement_number, td_c),
        ])
    fractions = (0.04, 0.26, 0.14, 0.13, 0.17, 0.08, 0.08, 0.10)
    width = content_width(LANDSCAPE)
    table = Table(rows, colWidths=[f * width for f in fractions], repeatRows=1)
    table.setStyle(table_style())
    return table


def render_domiciliation_list(data: DomiciliationList, identity: MaisonIdentity, number: str,
                              issued_on: dt.date) -> bytes:
    """The half-year list of domiciled persons as PDF bytes. Same inputs, same bytes."""
    styles = stylesheet()
    title = list_title(data)
    house = house_name(identity)
    period = _("Période du {first} au {last}").format(first=long_date(data.first),
                                                     last=long_date(data.last))
    reason = french_spacing(_(
        "En application de l'article R.123-168 du Code de commerce, {house}, entreprise "
        "domiciliataire, communique chaque semestre au centre des impôts et à l'URSSAF la liste "
        "des personnes domiciliées dans ses locaux, {address}, au cours de la période écoulée, "
        "et de celles qui ont cessé de l'être."
    )).format(house=f"<b>{markup(house)}</b>",
              address=markup(identity.address_line or "—"))
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(_("N° {number} · {period}").format(number=number, period=period)),
                  styles["subtitle"]),
        Paragraph(reason, styles["body"]),
        Spacer(1, 3 * mm),
    ]
    if data.lines:
        story.append(_table(data, styles))
    story += [
        Spacer(1, 3 * mm),
        Paragraph(f'<font color="{ACCENT.hexval()}">{markup(count_label(data))}</font>',
                  styles["strong"]),
        Spacer(1, 4 * mm),
        KeepTogether([
            Paragraph(markup(place_and_date(identity, issued_on)), styles["body"]),
            Spacer(1, 2 * mm),
            SignatureBox(house, _("Signature et cachet du domiciliataire")),
        ]),
    ]
    return build_dated_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_on=issued_on,
        subject=title,
        landscape=LANDSCAPE,
    )
