"""Feuille d'émargement: the paper the participants of a workshop session sign, half-day by
half-day, and that funders of training ask for.

On the Maison's letterhead (number and moment of issue in the header): the title, then who
organises (the house's name, address and SIRET), the exact title of the workshop, the nature
of the action, the axis, the facilitator, the place, the dates and the total hours. Then the
table to sign: one column per half-day, headed by its date, its part of the day, its times
and its duration (« jeu. 26/11/2026 · Matin · 9 h 00 – 12 h 30 · (3 h 30) »); the
facilitator's row first, with a signature cell per half-day; one row per participant (name
and organisation, in the order given, with the hours planned for each); a few blank rows for
people who come without registering; and a row for the number of people present. Every
signature cell is at least 11 mm high.

A session of one to three half-days fits on A4 portrait; a longer one is printed in landscape,
with at most six half-days side by side: beyond that, the half-days are split into several
tables (whole days kept together), each on its own pages. The table's head (the workshop's
title and the half-days) is repeated on every page it runs onto.

Same inputs, same bytes: the archived sheet and a re-rendering of the same data are
byte-identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from maison_app.documents.booking_confirmation import (
    clock_time,
    duration_text,
    full_date,
)
from maison_app.documents.convention import house_name, markup, siret_text
from maison_app.documents.fonts import BOLD, REGULAR
from maison_app.documents.letterhead import build_pdf as build_letterhead_pdf
from maison_app.documents.letterhead import content_width
from maison_app.documents.styles import (
    ACCENT,
    ACCENT_LIGHT,
    MUTED,
    RULE,
    TEXT,
    WHITE,
    stylesheet,
)
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.workshops import HalfDay, SignInSheetData, half_day_minutes
from maison_app.i18n import _, format_date, ngettext, paris

NBSP = "\u00a0"

NUMBER_WIDTH = 8 * mm  # « N° »
TOTAL_WIDTH = 17 * mm  # the hours planned
NAME_MIN_WIDTH = 55 * mm  # the participant's name and organisation…
NAME_WIDTH = 65 * mm  # …and what it gets when the half-days leave room
SIGNATURE_MIN_WIDTH = 30 * mm  # narrower, a signature no longer fits
SIGNATURE_MAX_WIDTH = 50 * mm  # wider, the name column takes the rest
SIGN_ROW_HEIGHT = 11.5 * mm  # a signature cell: room for a handwritten signature
COUNT_ROW_HEIGHT = 8 * mm  # « Nombre de présent·e·s »: a figure to write
PORTRAIT_MAX = 3  # half-days that still fit side by side on a portrait page
BLANK_ROWS = 4  # for walk-ins
BLANK_ROWS_ALONE = 10  # when nobody registered yet
CELL_PADDING = 3.5  # points, top and bottom of a cell
HEAD_ROWS = 2  # the band with the workshop's title, and the half-days


# --- wording --------------------------------------------------------------------------------


def hours_text(minutes: int) -> str:
    """Hours of training as French practice writes them: "7 h 00", "3 h 30", "0 h 45"."""
    hours, rest = divmod(max(minutes, 0), 60)
    return _("{hours} h {minutes:02d}").format(hours=hours, minutes=rest).replace(" ", NBSP)


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=paris())


def span_text(half_day: HalfDay) -> str:
    """"9 h 00 – 12 h 30"."""
    return f"{clock_time(_moment(half_day.day, half_day.start))}{NBSP}– {clock_time(_moment(half_day.day, half_day.end))}"


def short_date(day: dt.date) -> str:
    """"jeu. 26/11/2026"."""
    return format_date(day, "EEE dd/MM/yyyy")


def dates_text(half_days: Sequence[HalfDay]) -> str:
    """"jeudi 26 novembre 2026", or "du jeudi 26 novembre 2026 au vendredi 27 novembre 2026"."""
    first, last = half_days[0].day, half_days[-1].day
    if first == last:
        return full_date(first)
    return _("du {first} au {last}").format(first=full_date(first), last=full_date(last))


def half_days_count(count: int) -> str:
    return ngettext("{n} demi-journée", "{n} demi-journées", count).format(n=count)


def total_text(half_days: Sequence[HalfDay]) -> str:
    """"7 h 00 (2 demi-journées)"."""
    return _("{hours} ({half_days})").format(hours=hours_text(half_day_minutes(half_days)),
                                             half_days=half_days_count(len(half_days)))


def organiser_lines(identity: MaisonIdentity, *, compact: bool = False) -> list[str]:
    """The house as the organiser, in markup: its name (and organisation), then its address
    and its SIRET (on one line when `compact`)."""
    name = f"<b>{markup(house_name(identity))}</b>"
    organisation = identity.organisation.strip()
    if organisation and organisation != house_name(identity):
        name += f" — {markup(organisation)}"
    details = [markup(text) for text in (identity.address_line, siret_text(identity.siret))
               if text]
    if compact and details:
        return [name, " · ".join(details)]
    return [name, *details]


# --- layout ---------------------------------------------------------------------------------


def is_landscape(half_days: Sequence[HalfDay]) -> bool:
    return len(half_days) > PORTRAIT_MAX


def per_table(landscape: bool) -> int:
    """How many half-days one table holds side by side."""
    room = content_width(landscape) - NUMBER_WIDTH - TOTAL_WIDTH - NAME_MIN_WIDTH
    return max(1, int(room // SIGNATURE_MIN_WIDTH))


def split_half_days(half_days: Sequence[HalfDay], limit: int) -> list[tuple[HalfDay, ...]]:
    """The half-days in as few groups of at most `limit` as the days allow, a day's half-days
    kept in one group, the groups as even as possible (7 half-days by 6 over 4 days: 4 + 3
    rather than 6 + 1)."""
    days: list[list[HalfDay]] = []
    for half_day in half_days:
        if days and days[-1][0].day == half_day.day and len(days[-1]) < limit:
            days[-1].append(half_day)
        else:
            days.append([half_day])

    def pack(size: int) -> list[list[HalfDay]]:
        groups: list[list[HalfDay]] = []
        for day in days:
            if groups and len(groups[-1]) + len(day) <= size:
                groups[-1].extend(day)
            else:
                groups.append(list(day))
        return groups

    fewest = len(pack(limit))
    for size in range(-(-len(half_days) // fewest), limit + 1):
        groups = pack(size)
        if len(groups) == fewest:
            return [tuple(group) for group in groups]
    return [tuple(group) for group in pack(limit)]  # pragma: no cover - the loop ends at limit


def _widths(count: int, landscape: bool) -> list[float]:
    width = content_width(landscape)
    fixed = NUMBER_WIDTH + TOTAL_WIDTH
    signature = min(SIGNATURE_MAX_WIDTH,
                    max(SIGNATURE_MIN_WIDTH, (width - fixed - NAME_WIDTH) / count),
                    (width - fixed - NAME_MIN_WIDTH) / count)
    name = width - NUMBER_WIDTH - TOTAL_WIDTH - signature * count
    return [NUMBER_WIDTH, name, TOTAL_WIDTH] + [signature] * count


def _half_day_head(half_day: HalfDay, style) -> Paragraph:
    lines = [f'<font name="{BOLD}" size="8">{markup(short_date(half_day.day))}</font>',
             markup(half_day.part.label),
             markup(span_text(half_day)),
             markup(f"({duration_text(half_day.minutes)})")]
    return Paragraph("<br/>".join(lines), style)


def _person_cell(name: str, organisation: str, styles) -> list[Paragraph]:
    cell = [Paragraph(f'<font size="9.5">{markup(name)}</font>', styles["td"])]
    if organisation.strip():
        cell.append(Paragraph(markup(organisation), styles["td_small"]))
    return cell


def _height(cell: list[Paragraph] | Paragraph, width: float) -> float:
    cells = cell if isinstance(cell, list) else [cell]
    inner = width - 2 * 4  # the table's left and right padding
    return sum(p.wrap(inner, 10_000)[1] for p in cells) + 2 * CELL_PADDING


def _band(data: SignInSheetData, first: int, last: int, styles) -> Paragraph:
    """"Émargement — École de l'entrepreneur collectif · demi-journées 1 à 6 sur 10"."""
    text = f"<b>{markup(_('Émargement'))}</b> — {markup(data.title)}"
    total = len(data.half_days)
    if last - first + 1 < total:
        part = (_("demi-journées {first} à {last} sur {total}").format(
                    first=first, last=last, total=total) if first != last
                else _("demi-journée {first} sur {total}").format(first=first, total=total))
        text += f"{NBSP}· {markup(part)}"
    return Paragraph(f'<font color="{ACCENT.hexval()}">{text}</font>', styles["td"])


def sign_table(data: SignInSheetData, half_days: tuple[HalfDay, ...], first: int,
               landscape: bool) -> Table:
    """The table to sign for `half_days`, the first of which is the session's `first`th."""
    styles = stylesheet()
    widths = _widths(len(half_days), landscape)
    name_width = widths[1]
    planned = hours_text(half_day_minutes(data.half_days))
    blanks = [""] * len(half_days)

    rows: list[list] = [
        [_band(data, first, first + len(half_days) - 1, styles), "", ""] + blanks,
        [Paragraph(markup(_("N°")), styles["th_center"]),
         Paragraph(markup(_("Participant·e (nom, structure)")), styles["th"]),
         Paragraph(markup(_("Heures prévues")), styles["th_small"])]
        + [_half_day_head(h, styles["th_small"]) for h in half_days],
    ]
    heights: list[float | None] = [None, None]

    facilitator = [
        Paragraph(markup(_("Intervenant·e")), styles["td_small"]),
        Paragraph(f'<font size="9.5"><b>{markup(data.facilitator.strip())}</b></font>',
                  styles["td"]),
    ]
    rows.append([facilitator, "", ""] + blanks)
    heights.append(max(SIGN_ROW_HEIGHT,
                       _height(facilitator, NUMBER_WIDTH + name_width + TOTAL_WIDTH)))

    for index, (name, organisation) in enumerate(data.participants, start=1):
        person = _person_cell(name, organisation, styles)
        rows.append([Paragraph(str(index), styles["td_center"]), person,
                     Paragraph(markup(planned), styles["td_center"])] + blanks)
        heights.append(max(SIGN_ROW_HEIGHT, _height(person, name_width)))

    start = len(data.participants) + 1
    blank_rows = BLANK_ROWS if data.participants else BLANK_ROWS_ALONE
    for index in range(start, start + blank_rows):
        rows.append([Paragraph(str(index), styles["td_center"]), "",
                     Paragraph(markup(planned), styles["td_center"])] + blanks)
        heights.append(SIGN_ROW_HEIGHT)

    rows.append([Paragraph(markup(_("Nombre de présent·e·s")), styles["td"]), "", ""] + blanks)
    heights.append(COUNT_ROW_HEIGHT)

    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=HEAD_ROWS)
    facilitator_row, last = 2, len(rows) - 1
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("GRID", (0, 1), (-1, -1), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, TEXT),
        # the band: which workshop, on every page
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        # the half-days
        ("BACKGROUND", (0, 1), (-1, 1), ACCENT),
        ("TEXTCOLOR", (0, 1), (-1, 1), WHITE),
        ("VALIGN", (0, 1), (-1, 1), "MIDDLE"),
        ("LINEAFTER", (0, 1), (-1, 1), 0.5, WHITE),
        # the facilitator signs each half-day too
        ("SPAN", (0, facilitator_row), (2, facilitator_row)),
        ("BACKGROUND", (0, facilitator_row), (2, facilitator_row), ACCENT_LIGHT),
        ("LINEBELOW", (0, facilitator_row), (-1, facilitator_row), 1.2, ACCENT),
        # the signature cells: a darker frame than the rest
        ("INNERGRID", (3, facilitator_row), (-1, last), 0.6, MUTED),
        ("LINEBEFORE", (3, facilitator_row), (3, last), 0.8, TEXT),
        # the count of people present, written by the facilitator
        ("SPAN", (0, last), (2, last)),
        ("BACKGROUND", (0, last), (2, last), ACCENT_LIGHT),
        ("LINEABOVE", (0, last), (-1, last), 1.2, ACCENT),
    ]))
    return table


def _summary(identity: MaisonIdentity, data: SignInSheetData, landscape: bool) -> Table:
    """Who, what, where, when: two columns of labelled values."""
    sheet = stylesheet()
    cell = sheet["td"]

    def label(text: str) -> Paragraph:
        return Paragraph(f'<font color="{MUTED.hexval()}">{markup(text)}</font>', cell)

    def value(*lines: str) -> Paragraph:
        return Paragraph("<br/>".join(lines), cell)

    left = [
        (_("Organisme"), value(*organiser_lines(identity, compact=landscape))),
        (_("Action"), value(f'<font size="10"><b>{markup(data.title)}</b></font>')),
        (_("Nature"), value(markup(data.nature))),
        (_("Axe"), value(markup(data.axis.label))),
    ]
    right = [
        (_("Intervenant·e"), value(f"<b>{markup(data.facilitator)}</b>")),
        (_("Lieu"), value(markup(data.place))),
        (_("Dates"), value(markup(dates_text(data.half_days)))),
        (_("Durée totale"), value(markup(total_text(data.half_days)))),
    ]
    width = content_width(landscape)
    label_width, gap = 25 * mm, 4 * mm
    values = width - 2 * label_width - gap
    rows = [[label(a), b, "", label(c), d] for (a, b), (c, d) in zip(left, right, strict=True)]
    table = Table(rows, colWidths=[label_width, 0.56 * values, gap, label_width, 0.44 * values])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (1, -2), 0.4, RULE),
        ("LINEBELOW", (3, 0), (4, -2), 0.4, RULE),
        ("BOX", (0, 0), (1, -1), 0.6, RULE),
        ("BOX", (3, 0), (4, -1), 0.6, RULE),
        ("BACKGROUND", (0, 1), (1, 1), ACCENT_LIGHT),  # the exact title
    ]))
    return table


def _instructions() -> str:
    return _("Chaque participant·e signe, pour chaque demi-journée, la case de sa ligne ; une "
             "case reste vide en cas d'absence. Les personnes venues sans inscription "
             "s'inscrivent sur une ligne vide. L'intervenant·e signe chaque demi-journée et "
             "note le nombre de présent·e·s.")


def _group_heading(group: Sequence[HalfDay]) -> str:
    """"Demi-journées du jeudi 26 novembre 2026 au lundi 30 novembre 2026"."""
    if group[0].day == group[-1].day:
        return _("Demi-journées du {date}").format(date=full_date(group[0].day))
    return _("Demi-journées du {first} au {last}").format(first=full_date(group[0].day),
                                                          last=full_date(group[-1].day))


def document_title() -> str:
    return _("Feuille d'émargement")


def build_pdf(identity: MaisonIdentity, data: SignInSheetData, *, number: str,
              issued: dt.datetime) -> bytes:
    """The feuille d'émargement of one session as PDF bytes. Same inputs, same bytes.

    Raises ValueError for a session without half-days: there is nothing to sign."""
    if not data.half_days:
        raise ValueError("a session without half-days has no sign-in sheet")
    styles = stylesheet()
    landscape = is_landscape(data.half_days)
    title = document_title()
    groups = split_half_days(data.half_days, per_table(landscape))
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(_("N° {number} — {title}").format(number=number, title=data.title)),
                  styles["subtitle"]),
        _summary(identity, data, landscape),
        Spacer(1, 2 * mm),
        Paragraph(markup(_instructions()), styles["muted"]),
        Spacer(1, 3 * mm),
    ]
    first = 1
    for index, group in enumerate(groups):
        if index:
            story.append(PageBreak())
        if len(groups) > 1:
            story.append(Paragraph(markup(_group_heading(group)), styles["heading"]))
        story.append(sign_table(data, group, first, landscape))
        first += len(group)
    return build_letterhead_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_at=issued,
        author="",
        subject=_("{title} — {workshop}, {dates}").format(
            title=title, workshop=data.title, dates=dates_text(data.half_days)),
        landscape=landscape,
    )
