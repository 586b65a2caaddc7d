"""Convention d'hébergement: the agreement by which the house hosts an occupant.

On the Maison's letterhead: the title and number (an amendment or a renewal names the
agreement it follows), the parties (the house and the occupant, with their SIRET and who
represents them), a preamble, then the numbered articles French practice expects of a
pépinière's convention — object and nature (a precarious occupation tied to support, not a
commercial lease), premises and furniture, services, duration and renewal, fee and charges,
deposit, insurance, inventories, internal rules, support, confidentiality, notice and
termination, and, only when the occupant's registered office is at the house, the
domiciliation article (Code de commerce, R.123-167 to R.123-171) — the house's special
clauses, the signatures of both parties, and the règlement intérieur as an annex on its own
page. A draft says « PROJET — document non signé » under the title and in every page's
footer, and leaves the date of signature blank.

Same inputs, same bytes: the signed convention is archived, and a re-rendering of the same
data gives the same PDF.

The helpers the attestation and the domiciliation list share (a document dated by a day,
the parties' descriptions, an empty signature frame) live here too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from maison_app.documents.fonts import BOLD, REGULAR
from maison_app.documents.letterhead import (
    DocumentMeta,
    LetterheadDocTemplate,
    content_width,
    format_siret,
    long_date,
)
from maison_app.documents.styles import (
    ACCENT,
    ACCENT_LIGHT,
    RULE,
    stylesheet,
    table_style,
)
from maison_app.documents.styles import markup as _markup
from maison_app.domain.enums import AgreementLink, HostingService
from maison_app.domain.hosting import (
    AgreementRecord,
    ConventionData,
    GrantedSpace,
    HostingTexts,
    Party,
    add_months,
)
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.spaces import floor_label
from maison_app.i18n import _, format_money, format_number, ngettext, paris

# A draft's warning band: a brick red that no other document uses.
DRAFT_COLOUR = colors.HexColor("#9C2F1B")
DRAFT_BACKGROUND = colors.HexColor("#FBEDE8")
BLANK = "_" * 22  # a date or a name to write by hand
_BEFORE = re.compile(r" +([:;!?»])")
_AFTER = re.compile(r"« +")
_HEADING_LINE = re.compile(r"^(Article|Titre|Chapitre|Annexe)\b", re.IGNORECASE)


def french_spacing(text: str) -> str:
    """French typography: a no-break space before « : ; ! ? » and after « and « n° » (so
    that a quotation mark, a colon or a number never starts a line alone)."""
    text = _AFTER.sub("«\u00a0", _BEFORE.sub("\u00a0\\1", text))
    return text.replace("n° ", "n°\u00a0").replace("N° ", "N°\u00a0")


def markup(text: str | None) -> str:
    """`styles.markup` with French spacing."""
    return _markup(french_spacing(text or ""))


# --- shared with the attestation and the domiciliation list ----------------------------------


def issued_moment(day: dt.date) -> dt.datetime:
    """The moment a document dated by a day is issued: noon in Paris, so that the PDF's
    creation date (and thus its bytes) depends on the day only."""
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=paris())


def build_dated_pdf(
    story: Sequence[Flowable],
    *,
    identity: MaisonIdentity,
    title: str,
    number: str,
    issued_on: dt.date,
    subject: str = "",
    footer_title: str | None = None,
    landscape: bool = False,
) -> bytes:
    """`letterhead.build_pdf` for a document dated by a day, not a moment: the header says
    « Émis le 1er décembre 2026 », without a time. Same inputs, same bytes.

    `footer_title` replaces the title in the footer (a draft adds « PROJET » there)."""
    meta = DocumentMeta(title=footer_title or title, number=number,
                        issued_at=issued_moment(issued_on), author="", subject=subject or title,
                        dated_only=True)
    doc = LetterheadDocTemplate(io.BytesIO(), identity=identity, meta=meta, landscape=landscape)
    doc.title = title
    return doc.build_bytes(story)


def house_name(identity: MaisonIdentity) -> str:
    return identity.name.strip() or identity.organisation.strip()


def siret_text(siret: str) -> str:
    """"SIRET 123 456 789 00012", or "" without one."""
    return _("SIRET {siret}").format(siret=format_siret(siret)) if siret.strip() else ""


def is_person(agreement: AgreementRecord) -> bool:
    """A project holder hosted before the company exists."""
    return agreement.organisation_id is None and agreement.person_id is not None


def representative_text(party: Party, agreement: AgreementRecord | None = None) -> str:
    """"Mme Jeanne Martin, gérante" (the agreement's values first, then the party's)."""
    name = ((agreement.representative if agreement else "") or party.representative).strip()
    title = ((agreement.representative_title if agreement else "")
             or party.representative_title).strip()
    return ", ".join(p for p in (name, title) if p)


def occupant_identity(party: Party, agreement: AgreementRecord | None = None) -> str:
    """The occupant in one line of markup: "<b>Les Tisserands</b>, SCOP, SIRET …, dont le
    siège est situé …, représentée par …"; a person is "demeurant …"."""
    parts = [f"<b>{markup(party.name)}</b>"]
    person = agreement is not None and is_person(agreement)
    if party.legal_form is not None and not person:
        parts.append(markup(party.legal_form.label))
    if party.siret.strip():
        parts.append(markup(siret_text(party.siret)))
    if party.address.strip():
        template = (_("demeurant {address}") if person
                    else _("dont le siège est situé {address}"))
        parts.append(markup(template.format(address=party.address.strip())))
    represented = representative_text(party, agreement)
    if represented and not (person and represented.startswith(party.name)):
        parts.append(markup(_("représentée par {who}").format(who=represented)))
    return ", ".join(parts)


def host_identity(identity: MaisonIdentity, signatory: str) -> str:
    """The house in one line of markup, represented by `signatory` (a blank when unknown)."""
    parts = [f"<b>{markup(house_name(identity))}</b>"]
    if identity.organisation.strip() and identity.organisation.strip() != house_name(identity):
        parts[0] += f" ({markup(identity.organisation.strip())})"
    if identity.address_line:
        parts.append(markup(_("dont le siège est situé {address}").format(
            address=identity.address_line)))
    if identity.siret.strip():
        parts.append(markup(siret_text(identity.siret)))
    parts.append(markup(_("représentée par {who}").format(who=signatory.strip() or BLANK)))
    return ", ".join(parts)


def place_and_date(identity: MaisonIdentity, day: dt.date | None) -> str:
    """"Fait à Niort, le 1er décembre 2026" (a blank line instead of a missing date)."""
    date = long_date(day) if day is not None else BLANK
    city = identity.city.strip()
    if city:
        return _("Fait à {place}, le {date}").format(place=city, date=date)
    return _("Fait le {date}").format(date=date)


def space_text(space: GrantedSpace) -> str:
    """"B12 (bureau, 2e étage)"."""
    details = ", ".join(p for p in (space.kind_label.lower(), floor_label(space.floor).lower())
                        if p)
    return f"{space.space_name} ({details})" if details else space.space_name


class SignatureFrame(Flowable):
    """An empty frame, as wide as it is given, for a handwritten signature and a stamp."""

    def __init__(self, height: float = 28 * mm) -> None:
        super().__init__()
        self.frame_height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._width = available_width
        return available_width, self.frame_height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.setDash(2, 2)
        c.roundRect(0, 0, self._width, self.frame_height, 2 * mm, stroke=1, fill=0)


def signature_table(blocks: Sequence[tuple[str, Sequence[str]]], caption: str, styles
                    ) -> Table:
    """Side by side, one column per party: « Pour la Maison », who signs, the caption and an
    empty frame. The frames line up whatever the number of names above them."""
    heads, captions, frames = [], [], []
    for heading, names in blocks:
        lines: list[str] = []
        for name in (n.strip() for n in names):
            if name and not any(line.startswith(name) or name.startswith(line)
                                for line in lines):
                lines.append(name)
        heads.append([Paragraph(f"<b>{markup(heading)}</b>", styles["td"])]
                     + [Paragraph(markup(line), styles["td"]) for line in lines])
        captions.append(Paragraph(markup(caption), styles["muted"]))
        frames.append(SignatureFrame())
    width = content_width()
    gap = 10 * mm
    column = (width - gap * (len(blocks) - 1)) / len(blocks)
    widths = [column]
    for _block in blocks[1:]:
        widths += [gap, column]

    def spaced(row: list) -> list:
        out = [row[0]]
        for cell in row[1:]:
            out += ["", cell]
        return out

    table = Table([spaced(heads), spaced(captions), spaced(frames)], colWidths=widths)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 1 * mm),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 1.5 * mm),
    ]))
    return table


def text_paragraphs(text: str, style) -> list[Paragraph]:
    """The house's own text (settings): paragraphs at blank lines, line breaks kept, lines
    that start with « - » or « • » as bullets."""
    paragraphs: list[Paragraph] = []
    for block in (b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block:
            continue
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        plain: list[str] = []
        if len(lines) > 1 and _HEADING_LINE.match(lines[0]):
            lines[0] = "\0" + lines[0]  # a heading line: bold
        for line in lines:
            if line[:2] in ("- ", "• ", "* "):
                if plain:
                    paragraphs.append(Paragraph("<br/>".join(plain), style))
                    plain = []
                paragraphs.append(Paragraph(markup(line[2:].strip()), _bullet(style),
                                            bulletText="•"))
            elif line.startswith("\0"):
                plain.append(f"<b>{markup(line[1:])}</b>")
            else:
                plain.append(markup(line))
        if plain:
            paragraphs.append(Paragraph("<br/>".join(plain), style))
    return paragraphs


def _bullet(style) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_bullet", parent=style, leftIndent=5 * mm,
                          bulletIndent=1.5 * mm, bulletFontName=REGULAR, spaceAfter=1.5)


# --- the convention --------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    sheet = stylesheet()
    clause = ParagraphStyle("clause", parent=sheet["body"], alignment=TA_JUSTIFY, spaceAfter=4,
                            allowWidows=0, allowOrphans=0)
    return {
        "sheet": sheet,
        "clause": clause,
        "article": ParagraphStyle("article", parent=sheet["heading"], keepWithNext=1,
                                  spaceBefore=9, spaceAfter=3.5),
        "bullet": _bullet(clause),
        "draft": ParagraphStyle("draft", parent=sheet["body"], fontName=BOLD, fontSize=11,
                                leading=14, textColor=DRAFT_COLOUR, alignment=TA_CENTER,
                                spaceAfter=0),
        "parties": ParagraphStyle("parties", parent=clause, spaceAfter=2),
        "between": ParagraphStyle("between", parent=sheet["body"], alignment=TA_CENTER,
                                  spaceBefore=2, spaceAfter=6),
    }


def draft_label() -> str:
    return _("PROJET — document non signé")


def _draft_band(style) -> Table:
    band = Table([[Paragraph(markup(draft_label()), style)]], colWidths=[content_width()])
    band.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("BACKGROUND", (0, 0), (-1, -1), DRAFT_BACKGROUND),
        ("BOX", (0, 0), (-1, -1), 1, DRAFT_COLOUR),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return band


def link_text(agreement: AgreementRecord) -> str:
    """« Avenant à la convention CH-2026-0003 », « Renouvellement de la convention … »."""
    if agreement.link is None:
        return ""
    previous = agreement.previous_number.strip() or BLANK
    if agreement.link is AgreementLink.AMENDMENT:
        return _("Avenant à la convention {previous_number}").format(previous_number=previous)
    return _("Renouvellement de la convention {previous_number}").format(
        previous_number=previous)


def period_text(start: dt.date, end: dt.date) -> str:
    """"du 1er décembre 2026 au 30 novembre 2027"."""
    return _("du {start} au {end}").format(start=long_date(start), end=long_date(end))


def whole_months(start: dt.date, end: dt.date) -> int | None:
    """The number of months from `start` to `end` when the period is whole months (1 December
    to 30 November: 12), else None."""
    for months in range(1, 121):
        last = add_months(start, months) - dt.timedelta(days=1)
        if last == end:
            return months
        if last > end:
            return None
    return None


def vat_rate_text(vat_bp: int) -> str:
    """2000 → "20 %", 550 → "5,5 %"."""
    rate = (Decimal(vat_bp) / 100).normalize()
    return f"{format_number(rate)}\u00a0%"


class _Convention:
    """Builds the story of one convention."""

    def __init__(self, data: ConventionData, identity: MaisonIdentity, number: str) -> None:
        self.data = data
        self.a = data.agreement
        self.party = data.occupant
        self.texts: HostingTexts = data.texts
        self.identity = identity
        self.number = number
        self.st = _styles()
        self.sheet = self.st["sheet"]
        self.article_count = 0
        self.story: list[Flowable] = []

    # --- building blocks ------------------------------------------------------------------

    def heading(self, text: str) -> None:
        self.story.append(Paragraph(markup(text), self.st["article"]))

    def article(self, title: str) -> None:
        self.article_count += 1
        self.heading(_("Article {n} — {title}").format(n=self.article_count, title=title))

    def para(self, text: str, *, raw: bool = False) -> None:
        self.story.append(Paragraph(text if raw else markup(text), self.st["clause"]))

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.story.append(Paragraph(markup(item), self.st["bullet"], bulletText="•"))
        self.story.append(Spacer(1, 1.5 * mm))

    def custom(self, text: str) -> None:
        self.story.extend(text_paragraphs(text, self.st["clause"]))

    @property
    def house(self) -> str:
        return house_name(self.identity)

    @property
    def host_signatory(self) -> str:
        return (self.a.host_signatory or self.texts.host_signatory).strip()

    @property
    def occupant_signatory(self) -> str:
        return (self.a.occupant_signatory or representative_text(self.party, self.a)).strip()

    # --- the parts ------------------------------------------------------------------------

    def title(self) -> None:
        self.story.append(Paragraph(markup(_("Convention d'hébergement")), self.sheet["title"]))
        subtitle = [_("N° {number}").format(number=self.number)] if self.number else []
        if self.a.programme_name.strip():
            subtitle.append(_("Programme « {programme} »").format(
                programme=self.a.programme_name.strip()))
        if subtitle:
            self.story.append(Paragraph(markup(" · ".join(subtitle)), self.sheet["subtitle"]))
        link = link_text(self.a)
        if link:
            self.story.append(Paragraph(
                f'<font name="{BOLD}" color="{ACCENT.hexval()}">{markup(link)}</font>',
                ParagraphStyle("link", parent=self.sheet["body"], fontSize=10.5, leading=13,
                               spaceAfter=6)))
        if self.data.draft:
            self.story += [_draft_band(self.st["draft"]), Spacer(1, 3 * mm)]

    def parties(self) -> None:
        self.heading(_("Entre les soussignés"))
        style = self.st["parties"]
        person = is_person(self.a)
        self.story += [
            Paragraph(host_identity(self.identity, self.host_signatory) + ",", style),
            Paragraph(markup(_("ci-après dénommée « la Maison »,")), style),
            Paragraph(markup(_("d'une part,")), style),
            Paragraph(markup(_("et")), self.st["between"]),
            Paragraph(occupant_identity(self.party, self.a) + ",", style),
        ]
        if person and self.a.project_name.strip():
            self.story.append(Paragraph(markup(
                _("porteur ou porteuse du projet « {project} »,").format(
                    project=self.a.project_name.strip())), style))
        self.story += [
            Paragraph(markup(_("ci-après dénommé « l'Occupant »,")), style),
            Paragraph(markup(_("d'autre part.")), style),
        ]

    def preamble(self) -> None:
        self.heading(_("Préambule"))
        if self.texts.preamble.strip():
            self.custom(self.texts.preamble)
        else:
            self.para(_(
                "La Maison accueille, dans sa pépinière et ses programmes d'accompagnement, des "
                "porteurs de projets et des structures de l'économie sociale et solidaire en "
                "création ou en développement. Cet hébergement est temporaire : pendant une durée "
                "limitée, il offre à l'Occupant des locaux, des services partagés et un "
                "accompagnement, afin de l'aider à consolider son activité et à gagner en "
                "autonomie jusqu'à son installation dans ses propres locaux."
            ))
        context = []
        if self.a.programme_name.strip():
            context.append(_("L'Occupant est accueilli au titre du programme « {programme} »."
                             ).format(programme=self.a.programme_name.strip()))
        if self.a.project_name.strip():
            context.append(_("Il y développe le projet « {project} ».").format(
                project=self.a.project_name.strip()))
        if self.a.link is AgreementLink.AMENDMENT:
            context.append(_(
                "Le présent avenant modifie la convention {previous_number} ; à compter du "
                "{start}, il la remplace dans toutes ses dispositions."
            ).format(previous_number=self.a.previous_number or BLANK,
                     start=long_date(self.a.start)))
        elif self.a.link is AgreementLink.RENEWAL:
            context.append(_(
                "La présente convention renouvelle, pour une nouvelle période, la convention "
                "{previous_number}."
            ).format(previous_number=self.a.previous_number or BLANK))
        if context:
            self.para(" ".join(context))
        self.para(_("Ceci exposé, il a été convenu ce qui suit."))

    def object_and_nature(self) -> None:
        self.article(_("Objet et nature de la convention"))
        self.para(_(
            "La présente convention a pour objet de définir les conditions dans lesquelles la "
            "Maison met à la disposition de l'Occupant les locaux et les services décrits "
            "ci-après, et l'accompagne dans le développement de son projet."
        ))
        self.para(_(
            "Consentie en considération de la personne de l'Occupant et de son projet, cette mise "
            "à disposition est une occupation précaire, indissociable de l'accompagnement prévu "
            "à l'article 10. Elle ne constitue pas un bail commercial : les parties excluent "
            "expressément l'application du statut des baux commerciaux (articles L.145-1 et "
            "suivants du Code de commerce). L'Occupant ne peut se prévaloir d'aucun droit au "
            "renouvellement, d'aucune propriété commerciale ni d'aucun droit au maintien dans "
            "les lieux. Il ne peut ni céder la présente convention, ni sous-louer ou prêter tout "
            "ou partie des locaux."
        ))

    def spaces(self) -> None:
        self.article(_("Locaux et mobilier mis à disposition"))
        spaces = self.a.spaces
        if not spaces:
            if self.a.domiciled:
                self.para(_("Aucun bureau n'est mis à disposition : domiciliation seule "
                            "(article 13)."))
            else:
                self.para(_("Aucun bureau ni poste de travail n'est encore désigné."))
        else:
            self.para(_("La Maison met à la disposition de l'Occupant, dans ses locaux situés "
                        "{address}, les espaces suivants :").format(
                address=self.identity.address_line or BLANK))
            self.story += [self._spaces_table(spaces), Spacer(1, 2.5 * mm)]
            seats = sum(s.seats for s in spaces)
            self.para(ngettext(
                "soit {n} place de travail. Les espaces sont meublés et équipés comme indiqué "
                "ci-dessus ; un inventaire du mobilier est joint à l'état des lieux d'entrée.",
                "soit {n} places de travail. Les espaces sont meublés et équipés comme indiqué "
                "ci-dessus ; un inventaire du mobilier est joint à l'état des lieux d'entrée.",
                seats).format(n=seats))
        self.para(_(
            "L'Occupant a accès aux parties communes (accueil, salles de réunion sur réservation, "
            "espace de convivialité, sanitaires) dans les conditions du règlement intérieur. Il "
            "utilise les locaux et le mobilier avec soin, pour son activité professionnelle "
            "seulement, et n'y apporte aucune transformation sans l'accord écrit de la Maison."
        ))

    def _spaces_table(self, spaces: Sequence[GrantedSpace]) -> Table:
        sheet = self.sheet
        th, th_c, td, td_c = sheet["th"], sheet["th_center"], sheet["td"], sheet["td_center"]
        rows: list[list] = [[
            Paragraph(markup(_("Espace")), th), Paragraph(markup(_("Type")), th),
            Paragraph(markup(_("Étage")), th), Paragraph(markup(_("Places")), th_c),
            Paragraph(markup(_("Équipement")), th),
        ]]
        for space in spaces:
            rows.append([
                Paragraph(f"<b>{markup(space.space_name)}</b>", td),
                Paragraph(markup(space.kind_label), td),
                Paragraph(markup(floor_label(space.floor)), td),
                Paragraph(markup(str(space.seats)), td_c),
                Paragraph(markup(space.equipment or "—"), td),
            ])
        width = content_width()
        fractions = (0.22, 0.17, 0.17, 0.08, 0.36)
        table = Table(rows, colWidths=[f * width for f in fractions], repeatRows=1)
        table.setStyle(table_style())
        return table

    def services(self) -> None:
        self.article(_("Services"))
        included = [s for s in HostingService if s in self.a.services]
        if not included:
            self.para(_("Aucun service n'est inclus en plus de l'accès aux parties communes."))
            return
        self.para(_("Sont compris dans la présente convention les services suivants :"))
        self.bullets([
            _("{service} (article 13)").format(service=s.label)
            if s is HostingService.DOMICILIATION else s.label
            for s in included
        ])
        self.para(_("Tout autre service fait l'objet d'un accord distinct."))

    def duration(self) -> None:
        self.article(_("Durée et renouvellement"))
        a = self.a
        months = whole_months(a.start, a.end)
        period = period_text(a.start, a.end)
        if months is not None:
            self.para(ngettext(
                "La présente convention est conclue pour une durée déterminée de {n} mois, "
                "{period}.",
                "La présente convention est conclue pour une durée déterminée de {n} mois, "
                "{period}.", months).format(n=months, period=period))
        else:
            self.para(_("La présente convention est conclue pour une durée déterminée, "
                        "{period}.").format(period=period))
        programme = a.programme_name.strip()
        limit = (_("dans la limite de la durée maximale de séjour prévue par le programme "
                   "« {programme} »").format(programme=programme) if programme
                 else _("dans la limite de la durée maximale de séjour prévue par le programme "
                        "d'accompagnement"))
        self.para(_(
            "Elle prend fin de plein droit à son terme, sans qu'un congé soit nécessaire. Elle "
            "ne se renouvelle pas tacitement : sa prolongation ne peut résulter que d'une "
            "nouvelle convention écrite, signée des deux parties avant ce terme, {limit}."
        ).format(limit=limit))

    def fee(self) -> None:
        self.article(_("Redevance et charges"))
        a = self.a
        if a.monthly_fee_cents <= 0:
            self.para(_("La mise à disposition des locaux et des services est consentie sans "
                        "redevance."))
        else:
            self.para(_(
                "En contrepartie des locaux et des services mis à sa disposition, l'Occupant "
                "verse à la Maison une redevance mensuelle de {excl} hors taxes, soit {incl} "
                "toutes taxes comprises :"
            ).format(excl=format_money(a.monthly_fee_cents), incl=format_money(a.fee_incl_cents)))
            self.story += [self._fee_table(), Spacer(1, 2.5 * mm)]
            self.para(_(
                "La redevance est payable mensuellement et d'avance, au plus tard le 5 de chaque "
                "mois, à réception de la facture ; le premier et le dernier mois sont comptés au "
                "prorata des jours d'occupation."
            ))
        self.para(_(
            "Les charges sont comprises dans la redevance : chauffage, électricité, eau, "
            "nettoyage des parties communes, entretien des locaux et usage des services prévus "
            "à l'article 3. Les impôts et taxes propres à l'activité de l'Occupant restent à sa "
            "charge."
        ))

    def _fee_table(self) -> Table:
        a = self.a
        td, right = self.sheet["td"], self.sheet["td_right"]
        rows = [
            [Paragraph(markup(_("Redevance mensuelle hors taxes")), td),
             Paragraph(markup(format_money(a.monthly_fee_cents)), right)],
            [Paragraph(markup(_("TVA à {rate}").format(rate=vat_rate_text(a.vat_bp))), td),
             Paragraph(markup(format_money(a.fee_vat_cents)), right)],
            [Paragraph(f"<b>{markup(_('Redevance mensuelle toutes taxes comprises'))}</b>", td),
             Paragraph(f"<b>{markup(format_money(a.fee_incl_cents))}</b>", right)],
        ]
        width = content_width()
        table = Table(rows, colWidths=[0.5 * width, 0.18 * width], hAlign="LEFT")
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

    def deposit(self) -> None:
        self.article(_("Dépôt de garantie"))
        if self.a.deposit_cents <= 0:
            self.para(_("Aucun dépôt de garantie n'est demandé."))
            return
        self.para(_(
            "À la signature, l'Occupant verse un dépôt de garantie de {amount}. Il ne porte pas "
            "intérêt et lui est restitué dans les deux mois qui suivent l'état des lieux de "
            "sortie et la remise des clés et badges, déduction faite des sommes restant dues à "
            "la Maison (redevances, remise en état des dégradations constatées)."
        ).format(amount=format_money(self.a.deposit_cents)))

    def insurance(self) -> None:
        self.article(_("Assurances"))
        if self.texts.insurance_text.strip():
            self.custom(self.texts.insurance_text)
            return
        self.para(_(
            "L'Occupant assure, auprès d'une compagnie d'assurance de son choix, sa "
            "responsabilité civile pour les dommages causés aux tiers et à la Maison du fait de "
            "son activité, de ses salariés et de ses visiteurs, ainsi que ses biens propres "
            "(matériel, marchandises, documents) contre l'incendie, le dégât des eaux et le vol. "
            "Il remet l'attestation d'assurance à la signature, puis chaque année à la demande "
            "de la Maison. La Maison n'est pas responsable des biens que l'Occupant laisse dans "
            "les locaux."
        ))

    def inventory(self) -> None:
        self.article(_("État des lieux"))
        self.para(_(
            "Un état des lieux et un inventaire du mobilier sont dressés contradictoirement à "
            "l'entrée de l'Occupant et à sa sortie, et signés des deux parties. L'Occupant "
            "restitue les locaux et le mobilier dans l'état de l'entrée, compte tenu de l'usure "
            "normale, et rend les clés et badges qui lui ont été remis."
        ))

    def rules(self) -> None:
        self.article(_("Règlement intérieur"))
        self.para(_(
            "L'Occupant déclare avoir pris connaissance du règlement intérieur de la Maison, "
            "annexé à la présente convention, et l'accepte. Il s'engage à le respecter et à le "
            "faire respecter par ses salariés, associés, stagiaires et visiteurs. Le règlement "
            "intérieur peut évoluer ; la Maison en informe l'Occupant par écrit."
        ))

    def support(self) -> None:
        self.article(_("Accompagnement"))
        self.para(_("Pendant toute la durée de la convention, la Maison s'engage à :"))
        self.bullets([
            _("organiser des rendez-vous de suivi réguliers entre l'Occupant et son ou sa "
              "référent·e, pour faire le point sur le projet et ses prochaines étapes ;"),
            _("ouvrir à l'Occupant ses ateliers, formations et temps collectifs ;"),
            _("le mettre en relation avec le réseau du Pôle territorial de coopération "
              "économique (PTCE) : ses membres, ses partenaires et ses financeurs."),
        ])
        self.para(_(
            "L'Occupant s'engage à participer aux rendez-vous de suivi, à informer la Maison de "
            "l'évolution de son activité (chiffre d'affaires, emplois, financements) et à "
            "répondre aux enquêtes de suivi, y compris après sa sortie."
        ))

    def confidentiality(self) -> None:
        self.article(_("Confidentialité"))
        self.para(_(
            "Chacune des parties garde confidentielles les informations qu'elle apprend sur "
            "l'autre à l'occasion de la présente convention, notamment celles qui concernent le "
            "projet, les clients et les finances de l'Occupant. La Maison ne les communique qu'à "
            "ses financeurs et partenaires, sous une forme qui ne permet pas d'identifier "
            "l'Occupant, sauf accord de celui-ci ou obligation légale. Cet engagement demeure "
            "après la fin de la convention."
        ))

    def termination(self) -> None:
        self.article(_("Préavis et résiliation"))
        months = max(self.a.notice_months, 0)
        self.para(ngettext(
            "Chacune des parties peut mettre fin à la présente convention avant son terme, par "
            "lettre recommandée avec accusé de réception, moyennant un préavis de {n} mois.",
            "Chacune des parties peut mettre fin à la présente convention avant son terme, par "
            "lettre recommandée avec accusé de réception, moyennant un préavis de {n} mois.",
            months).format(n=months))
        self.para(_(
            "Si l'Occupant manque à l'une de ses obligations, notamment au paiement de la "
            "redevance ou au respect du règlement intérieur, la Maison peut résilier la "
            "convention de plein droit quinze jours après une mise en demeure, adressée par "
            "lettre recommandée avec accusé de réception, restée sans effet."
        ))
        self.para(_(
            "À la fin de la convention, quelle qu'en soit la cause, l'Occupant libère les locaux, "
            "les remet en état et rend les clés et badges ; il ne peut se prévaloir d'aucun droit "
            "au maintien dans les lieux."
        ))

    def domiciliation(self) -> None:
        self.article(_("Domiciliation"))
        self.para(_(
            "La Maison domicilie le siège social de l'Occupant à son adresse, {address}, "
            "conformément aux articles L.123-11-3 et R.123-167 à R.123-171 du Code de commerce, "
            "pour la durée de la présente convention."
        ).format(address=self.identity.address_line or BLANK))
        self.para(_("La Maison, domiciliataire, s'engage à :"))
        self.bullets([
            _("mettre à la disposition de l'Occupant des locaux dotés d'une pièce propre à "
              "assurer la confidentialité nécessaire et à permettre la réunion régulière de ses "
              "organes de direction, d'administration ou de surveillance, ainsi que la tenue, "
              "la conservation et la consultation de ses livres, registres et documents ;"),
            _("recevoir son courrier et le tenir à sa disposition ;"),
            _("communiquer chaque semestre au centre des impôts et à l'URSSAF la liste des "
              "personnes domiciliées dans ses locaux, et de celles qui ont cessé de l'être ;"),
            _("informer le greffe du tribunal de la fin de la domiciliation, à l'expiration ou "
              "à la résiliation de la convention."),
        ])
        self.para(_("L'Occupant, domicilié, s'engage à :"))
        self.bullets([
            _("utiliser effectivement et exclusivement les locaux comme siège de son "
              "entreprise ;"),
            _("informer la Maison de tout changement de son activité, de sa forme juridique, de "
              "son objet, de son nom ou de sa dénomination, et de ses représentants légaux et de "
              "leur domicile ;"),
            _("conserver ses livres, registres et documents dans les locaux de la Maison, ou lui "
              "indiquer le lieu où ils sont conservés ;"),
            _("donner mandat à la Maison de recevoir en son nom toute notification ;"),
            _("à la fin de la convention, transférer son siège et en justifier auprès de la "
              "Maison."),
        ])

    def special_clauses(self) -> None:
        if not self.texts.special_clauses.strip():
            return
        self.article(_("Clauses particulières"))
        self.custom(self.texts.special_clauses)

    def signatures(self) -> None:
        a = self.a
        day = None if self.data.draft else a.signed_on
        intro = [
            Spacer(1, 4 * mm),
            Paragraph(markup(_("{place_and_date}, en deux exemplaires originaux.").format(
                place_and_date=place_and_date(self.identity, day))), self.st["clause"]),
            Spacer(1, 3 * mm),
        ]
        table = signature_table(
            [(_("Pour la Maison"), [self.house, self.host_signatory]),
             (_("Pour l'Occupant"), [self.party.name, self.occupant_signatory])],
            _("« Lu et approuvé », signature et cachet"), self.sheet)
        self.story.append(KeepTogether([*intro, table]))

    def annex(self) -> None:
        self.story += [
            PageBreak(),
            Paragraph(markup(_("Annexe : Règlement intérieur")), self.sheet["title"]),
            Paragraph(markup(_("Annexe à la convention d'hébergement {number}").format(
                number=self.number) if self.number else
                _("Annexe à la convention d'hébergement")), self.sheet["subtitle"]),
        ]
        if self.texts.internal_rules.strip():
            self.custom(self.texts.internal_rules)
        else:
            self.para(_("Règlement intérieur remis à l'occupant."))

    def build(self) -> list[Flowable]:
        self.title()
        self.parties()
        self.preamble()
        self.object_and_nature()
        self.spaces()
        self.services()
        self.duration()
        self.fee()
        self.deposit()
        self.insurance()
        self.inventory()
        self.rules()
        self.support()
        self.confidentiality()
        self.termination()
        if self.a.domiciled:
            self.domiciliation()
        self.special_clauses()
        self.story.append(CondPageBreak(70 * mm))
        self.signatures()
        self.annex()
        return self.story


def render_convention(data: ConventionData, identity: MaisonIdentity, number: str,
                      issued_on: dt.date) -> bytes:
    """The convention d'hébergement as PDF bytes. Same inputs, same bytes."""
    title = _("Convention d'hébergement")
    story = _Convention(data, identity, number).build()
    footer = (_("{title} (PROJET — document non signé)").format(title=title) if data.draft
              else title)
    return build_dated_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_on=issued_on,
        subject=_("Convention d'hébergement — {name}").format(name=data.occupant.name),
        footer_title=footer,
    )
