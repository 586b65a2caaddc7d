"""Attestation d'hébergement and attestation de domiciliation.

On the Maison's letterhead: the house certifies that the occupant (its SIRET, who represents
it) is hosted at its address, in the spaces its convention grants, since the start of the
convention and until its last day — or that the house provides the occupant's registered
office (Code de commerce, L.123-11-3 and R.123-167 et suivants), with the same dates. The
occupant's details in a box, the place and date of issue, who signs for the house and a frame
for the signature and stamp. Same inputs, same bytes.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from maison_app.documents.convention import (
    BLANK,
    build_dated_pdf,
    french_spacing,
    house_name,
    is_person,
    markup,
    place_and_date,
    representative_text,
    siret_text,
    space_text,
)
from maison_app.documents.fonts import REGULAR
from maison_app.documents.letterhead import content_width, format_siret
from maison_app.documents.receipt import SignatureBox, long_date
from maison_app.documents.styles import MUTED, RULE, stylesheet
from maison_app.domain.hosting import AttestationData
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _


def attestation_title(domiciliation: bool) -> str:
    return _("Attestation de domiciliation") if domiciliation else _("Attestation d'hébergement")


def _certifier(identity: MaisonIdentity, signatory: str) -> str:
    """"Je soussignée Mme Claire Dupuis, présidente, agissant pour la Maison de l'ESS (…),
    SIRET …, dont le siège est situé …, atteste que" — or the house itself without a
    signatory."""
    house = f"<b>{markup(house_name(identity))}</b>"
    organisation = identity.organisation.strip()
    if organisation and organisation != house_name(identity):
        house += f" ({markup(organisation)})"
    details = [house]
    if identity.siret.strip():
        details.append(markup(siret_text(identity.siret)))
    if identity.address_line:
        details.append(markup(_("dont le siège est situé {address}").format(
            address=identity.address_line)))
    house = ", ".join(details)
    if signatory.strip():
        return _("Je soussigné·e {signatory}, agissant pour le compte de {house},").format(
            signatory=f"<b>{markup(signatory.strip())}</b>", house=house)
    return house + ","


def _occupant_table(data: AttestationData, styles) -> Table:
    """The occupant's name, legal form, SIRET, representative and address, in a box."""
    party, agreement = data.occupant, data.agreement
    value, label = styles["td"], styles["td"]
    rows: list[tuple[str, str]] = [(_("Occupant"), f"<b>{markup(party.name)}</b>")]
    if party.legal_form is not None and not is_person(agreement):
        rows.append((_("Forme juridique"), markup(party.legal_form.label)))
    if party.siret.strip():
        rows.append((_("SIRET"), markup(format_siret(party.siret))))
    represented = representative_text(party, agreement)
    if represented and represented != party.name:
        rows.append((_("Représenté·e par"), markup(represented)))
    if party.address.strip() and not data.domiciliation:
        rows.append((_("Domicile") if is_person(agreement) else _("Siège"),
                     markup(party.address)))
    width = content_width()
    table = Table(
        [[Paragraph(f'<font color="{MUTED.hexval()}">{markup(text)}</font>', label),
          Paragraph(cell, value)] for text, cell in rows],
        colWidths=[0.3 * width, 0.7 * width],
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
    ]))
    return table


def _since(data: AttestationData) -> str:
    """"depuis le 1er décembre 2026", or "à compter du …" for a convention yet to start."""
    start = long_date(data.agreement.start)
    if data.agreement.start > data.issued_on:
        return _("à compter du {date}").format(date=start)
    return _("depuis le {date}").format(date=start)


def _hosting_statement(data: AttestationData, identity: MaisonIdentity) -> str:
    agreement = data.agreement
    occupant = f"<b>{markup(data.occupant.name)}</b>"
    address = markup(identity.address_line or BLANK)
    spaces = [space_text(space) for space in agreement.spaces]
    number = markup(agreement.number or BLANK)
    if spaces:
        where = french_spacing(_("est hébergé·e dans ses locaux, {address}, dans les espaces "
                                 "suivants : {spaces},")).format(address=address, spaces=markup(", ".join(spaces)))
    else:
        where = _("est hébergé·e dans ses locaux, {address},").format(address=address)
    return french_spacing(_(
        "atteste que {occupant} {where} {since} et jusqu'au {end}, au titre de la convention "
        "d'hébergement n° {number}."
    )).format(occupant=occupant, where=where, since=markup(_since(data)),
             end=markup(long_date(agreement.last_day)), number=number)


def _domiciliation_statement(data: AttestationData, identity: MaisonIdentity) -> str:
    agreement = data.agreement
    return french_spacing(_(
        "atteste fournir le siège social de {occupant} à son adresse, {address}, {since}, au "
        "titre de la convention d'hébergement n° {number}, conformément aux articles "
        "L.123-11-3 et R.123-167 et suivants du Code de commerce. La présente domiciliation "
        "est valable jusqu'au {end}."
    )).format(occupant=f"<b>{markup(data.occupant.name)}</b>",
             address=markup(identity.address_line or BLANK), since=markup(_since(data)),
             number=markup(agreement.number or BLANK),
             end=markup(long_date(agreement.last_day)))


def render_attestation(data: AttestationData, identity: MaisonIdentity, number: str) -> bytes:
    """The attestation d'hébergement (or de domiciliation) as PDF bytes. Same inputs, same
    bytes."""
    styles = stylesheet()
    title = attestation_title(data.domiciliation)
    statement = (_domiciliation_statement(data, identity) if data.domiciliation
                 else _hosting_statement(data, identity))
    signatory = data.signatory.strip()
    story: list[Flowable] = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(_("N° {number}").format(number=number)), styles["subtitle"]),
        Spacer(1, 4 * mm),
        Paragraph(f"{_certifier(identity, signatory)} {statement}", styles["body"]),
        Spacer(1, 3 * mm),
        _occupant_table(data, styles),
        Spacer(1, 6 * mm),
        Paragraph(markup(_("Attestation délivrée pour servir et valoir ce que de droit.")),
                  styles["body"]),
        Spacer(1, 6 * mm),
        KeepTogether([
            Paragraph(markup(place_and_date(identity, data.issued_on)), styles["body"]),
            Spacer(1, 2 * mm),
            SignatureBox(signatory or house_name(identity), _("Signature et cachet")),
        ]),
    ]
    return build_dated_pdf(
        story,
        identity=identity,
        title=title,
        number=number,
        issued_on=data.issued_on,
        subject=_("{title} — {name}").format(title=title, name=data.occupant.name),
    )
