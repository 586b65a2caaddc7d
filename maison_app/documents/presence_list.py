"""Liste des présents: the evacuation list, everyone checked in now.

The evacuation leader takes it to the assembly point and ticks each person found there.
One line per person, sorted by name, with arrival time (and date when it was not today) and
an empty box to tick on paper. The table header repeats on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from maison_app.documents.letterhead import build_pdf, content_width
from maison_app.documents.styles import ACCENT, TEXT, markup, stylesheet, table_style
from maison_app.domain.records import MaisonIdentity, VisitRecord
from maison_app.domain.text import search_key
from maison_app.i18n import _, format_date, format_datetime, format_time, ngettext, to_paris


class CheckBox(Flowable):
    """An empty square to tick with a pen."""

    def __init__(self, size: float = 4.2 * mm) -> None:
        super().__init__()
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._available_width = available_width
        return available_width, self.size

    def draw(self) -> None:
        x = (self._available_width - self.size) / 2
        self.canv.setStrokeColor(TEXT)
        self.canv.setLineWidth(0.8)
        self.canv.rect(x, 0, self.size, self.size, stroke=1, fill=0)


def count_label(n: int) -> str:
    """"Aucune personne présente", "1 personne présente", "12 personnes présentes"."""
    if n == 0:
        return _("Aucune personne présente")
    return ngettext("{n} personne présente", "{n} personnes présentes", n).format(n=n)


def _arrival_parts(arrived_at: dt.datetime, generated_at: dt.datetime) -> tuple[str | None, str]:
    """(date or None when it is the day of the list, time), both in Paris time."""
    time = format_time(arrived_at)
    if to_paris(arrived_at).date() == to_paris(generated_at).date():
        return None, time
    return format_date(arrived_at, "short"), time


def arrival_label(arrived_at: dt.datetime, generated_at: dt.datetime) -> str:
    """"14:05" for the day of the list (Paris time), "25/11/2026 18:30" for an earlier day."""
    day, time = _arrival_parts(arrived_at, generated_at)
    return f"{day} {time}" if day else time


def _sort_key(visit: VisitRecord) -> tuple:
    return (search_key(visit.name), visit.name, visit.arrived_at, visit.id)


def _cell(text: str | None, style) -> Paragraph:
    return Paragraph(markup(text or ""), style)


def _name_cell(visit: VisitRecord, styles) -> Paragraph | list[Paragraph]:
    """The name, and for a walk-in visitor "(visiteur)" below it. Kept as two paragraphs:
    a name in one plain paragraph wraps at its own hyphens ("Rochefoucauld-Montmorency")."""
    name = Paragraph(markup(visit.name), styles["td"])
    if not visit.is_walk_in:
        return name
    return [name, Paragraph(markup(_("(visiteur)")), styles["td_small"])]


def _arrival_cell(arrived_at: dt.datetime, generated_at: dt.datetime, styles) -> Paragraph:
    """The time; for someone who arrived on an earlier day, the date above it, smaller."""
    day, time = _arrival_parts(arrived_at, generated_at)
    if day is None:
        return Paragraph(markup(time), styles["td_center"])
    return Paragraph(f'<font size="7.5">{markup(day)}</font><br/>{markup(time)}', styles["td_center"])


def _table(visits: Sequence[VisitRecord], generated_at: dt.datetime) -> Table:
    styles = stylesheet()
    th, th_c, td, td_c = styles["th"], styles["th_center"], styles["td"], styles["td_center"]
    header = [
        _cell(_("N°"), th_c),
        _cell(_("Nom"), th),
        _cell(_("Structure"), th),
        _cell(_("Motif"), th),
        _cell(_("Personne visitée"), th),
        _cell(_("Arrivée"), th_c),
        _cell(_("Présent au point de rassemblement"), styles["th_small"]),
    ]
    rows: list[list] = [header]
    for index, visit in enumerate(sorted(visits, key=_sort_key), start=1):
        rows.append([
            _cell(str(index), td_c),
            _name_cell(visit, styles),
            _cell(visit.organisation, td),
            _cell(visit.purpose.label, td),
            _cell(visit.host, td),
            _arrival_cell(visit.arrived_at, generated_at, styles),
            CheckBox(),
        ])
    # Fractions of the frame width: N°, Nom, Structure, Motif, Personne visitée, Arrivée, ☐
    fractions = (0.05, 0.22, 0.19, 0.13, 0.15, 0.11, 0.15)
    width = content_width()
    table = Table(rows, colWidths=[f * width for f in fractions], repeatRows=1)
    table.setStyle(table_style())
    return table


def render(
    *,
    identity: MaisonIdentity,
    visits: Sequence[VisitRecord],
    generated_at: dt.datetime,
    number: str,
    author: str,
) -> bytes:
    """The evacuation list as PDF bytes. Same inputs, same bytes."""
    styles = stylesheet()
    title = _("Liste des présents")
    count = count_label(len(visits))
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(
            markup(_("Évacuation — état des présents le {datetime}").format(
                datetime=format_datetime(generated_at))),
            styles["subtitle"],
        ),
        Paragraph(
            f'<font color="{ACCENT.hexval()}">{markup(count)}</font>', styles["heading"],
        ),
        Spacer(1, 2 * mm),
    ]
    if visits:
        story.append(_table(visits, generated_at))
        story.append(KeepTogether([
            Spacer(1, 3 * mm),
            Paragraph(
                "<b>{}</b> {}".format(
                    markup(_("Responsable d'évacuation :")),
                    markup(_(
                        "Cochez chaque personne au point de rassemblement. Signalez sans délai "
                        "aux secours toute personne manquante, et les personnes qui ne peuvent "
                        "pas évacuer seules."
                    )),
                ),
                styles["note"],
            ),
        ]))
    else:
        story.append(Paragraph(
            markup(_("Personne n'est enregistré·e comme présent·e dans le bâtiment à cette heure.")),
            styles["body"],
        ))
    return build_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_at=generated_at,
        author=author,
        subject=count,
    )
