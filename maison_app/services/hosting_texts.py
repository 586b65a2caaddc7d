"""The house's own texts and defaults for the hosting agreements (settings): the preamble,
the special clauses and the insurance article of the conventions, the règlement intérieur
annexed to them, who signs for the house, the VAT rate and the notice period a new
convention starts with.

They are stored in the `setting` key/value table under "hosting.*". A setting never saved
reads as its default: VAT 20 %, one month's notice, a model règlement intérieur, and the
other texts empty (the convention then prints its standard articles only)."""

from __future__ import annotations

from dataclasses import fields, replace
from decimal import Decimal

from sqlalchemy import select

from maison_app.db.models import Setting
from maison_app.domain.errors import ValidationError
from maison_app.domain.hosting import DEFAULT_VAT_BP, HostingTexts
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import N_, _, format_number
from maison_app.services.context import ServiceContext
from maison_app.services.permissions import requires
from maison_app.services.settings import SettingsService

PREFIX = "hosting."
VAT_RATES_BP = (2000, 1000, 550, 0)  # the French rates: normal, intermediate, reduced, none
DEFAULT_NOTICE_MONTHS = 1
MIN_NOTICE_MONTHS, MAX_NOTICE_MONTHS = 1, 12
MAX_TEXT_LENGTH = 20_000
MAX_SIGNATORY_LENGTH = 200
_TEXTS = ("preamble", "special_clauses", "internal_rules", "insurance_text")
_NUMBERS = ("vat_bp", "default_notice_months")

# The model règlement intérieur of a maison de l'ESS, one paragraph per message (translated
# when read, so a desk in English sees it in English until it is saved).
_DEFAULT_RULES = (
    N_("1. Objet. Le présent règlement fixe les règles de vie commune de la maison. Il "
       "s'applique à toutes les structures hébergées, à leurs salariés, bénévoles, "
       "stagiaires et visiteurs. Il est annexé à chaque convention d'hébergement."),
    N_("2. Horaires d'accès. La maison est ouverte du lundi au vendredi de 8 h à 19 h, hors "
       "jours fériés. En dehors de ces horaires, l'accès est possible avec un badge, sous la "
       "responsabilité de l'occupant, qui en informe l'accueil à l'avance."),
    N_("3. Badges et clés. Les badges et les clés sont remis contre signature. Ils sont "
       "personnels et ne doivent être ni prêtés ni reproduits. Toute perte est signalée sans "
       "délai à l'accueil ; le remplacement est facturé. Ils sont rendus au départ."),
    N_("4. Accueil des visiteurs. Les visiteurs se présentent à l'accueil et s'inscrivent sur "
       "le registre des présences. Ils restent sous la responsabilité de la structure qui les "
       "reçoit."),
    N_("5. Salles communes. Les salles de réunion se réservent auprès de l'accueil ou dans "
       "l'agenda partagé. Une réservation non utilisée est annulée au plus tôt. La salle est "
       "rendue rangée, fenêtres fermées et lumières éteintes."),
    N_("6. Propreté. Chacun garde son bureau et les espaces communs propres et rangés. Les "
       "déchets sont triés dans les bacs prévus à cet effet. Aucun objet n'est entreposé dans "
       "les couloirs ni devant les issues."),
    N_("7. Cuisine partagée. La cuisine est à la disposition de tous. Chacun lave et range sa "
       "vaisselle après usage. Le réfrigérateur est vidé chaque vendredi : les denrées non "
       "étiquetées à son nom sont jetées."),
    N_("8. Sécurité incendie. Les consignes de sécurité et les plans d'évacuation sont "
       "affichés à chaque étage. Les issues de secours et les extincteurs restent dégagés. "
       "Les appareils de chauffage d'appoint sont interdits."),
    N_("9. Évacuation. Au signal d'alarme, chacun quitte les lieux sans délai par l'issue la "
       "plus proche, sans utiliser l'ascenseur, et se rend au point de rassemblement. Les "
       "structures participent aux exercices d'évacuation."),
    N_("10. Tabac et alcool. Il est interdit de fumer et de vapoter dans les locaux. "
       "L'introduction et la consommation d'alcool ne sont admises qu'à l'occasion de "
       "moments conviviaux autorisés par la direction."),
    N_("11. Bruit et téléphone. Chacun veille à la tranquillité des autres occupants : "
       "conversations téléphoniques dans les bureaux fermés ou les espaces prévus, volume "
       "modéré en open space, portes des salles fermées pendant les réunions."),
    N_("12. Courrier. Le courrier des structures domiciliées est reçu par l'accueil, qui "
       "prévient le destinataire. Il est retiré dans les meilleurs délais ; les colis "
       "volumineux ne sont acceptés qu'après accord."),
    N_("13. Matériel et équipements. Le mobilier, le réseau, les imprimantes et les "
       "équipements communs sont utilisés avec soin et conformément à leur destination. "
       "Toute panne ou dégradation est signalée à l'accueil."),
    N_("14. Respect des autres occupants. La maison est un lieu de coopération : chacun "
       "s'y comporte avec courtoisie et respecte le travail, les biens et la confidentialité "
       "des autres structures. Aucune discrimination ni aucun harcèlement n'y est toléré."),
    N_("15. Manquements. Tout manquement au présent règlement peut donner lieu à un "
       "avertissement écrit, puis, s'il se répète, à la résiliation de la convention "
       "d'hébergement dans les conditions qu'elle prévoit."),
)


def default_internal_rules() -> str:
    """The model règlement intérieur, in the language of the desk."""
    return "\n\n".join(_(paragraph) for paragraph in _DEFAULT_RULES)


def default_texts() -> HostingTexts:
    return HostingTexts(internal_rules=default_internal_rules(), vat_bp=DEFAULT_VAT_BP,
                        default_notice_months=DEFAULT_NOTICE_MONTHS)


def vat_label(vat_bp: int) -> str:
    """"20 %", "5,5 %": a rate in basis points, written the way of the desk's language."""
    return format_number(Decimal(vat_bp) / 100) + "\u00a0%"


def _clean_text(value: str | None) -> str:
    """Line ends made plain, spaces at the end of lines and blank lines around removed."""
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n").strip()


class HostingTextsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @requires(Area.AGREEMENTS, Access.READ)
    def texts(self) -> HostingTexts:
        """The texts and defaults the conventions use (defaults for what was never saved)."""
        with self.ctx.reading() as s:
            stored = {row.key[len(PREFIX):]: row.value for row in
                      s.scalars(select(Setting).where(Setting.key.startswith(PREFIX)))}
        defaults = default_texts()
        values: dict[str, object] = {}
        for f in fields(HostingTexts):
            if f.name not in stored:
                continue
            if f.name in _NUMBERS:
                try:
                    values[f.name] = int(stored[f.name])
                except ValueError:  # unreadable: the default
                    continue
            else:
                values[f.name] = stored[f.name]
        texts = HostingTexts(**{f.name: values.get(f.name, getattr(defaults, f.name))
                                for f in fields(HostingTexts)})
        if texts.vat_bp not in VAT_RATES_BP:
            texts = replace(texts, vat_bp=defaults.vat_bp)
        if not MIN_NOTICE_MONTHS <= texts.default_notice_months <= MAX_NOTICE_MONTHS:
            texts = replace(texts, default_notice_months=defaults.default_notice_months)
        return texts

    @requires(Area.SETTINGS, Access.WRITE)
    def save_texts(self, texts: HostingTexts) -> HostingTexts:
        """Check and store the texts; returns them as stored (trimmed)."""
        cleaned = check_texts(texts)
        with self.ctx.writing() as s:
            for f in fields(HostingTexts):
                SettingsService._put(s, PREFIX + f.name, value=str(getattr(cleaned, f.name)))
        return cleaned


def check_texts(texts: HostingTexts) -> HostingTexts:
    """The texts trimmed, or a ValidationError on the first field that is wrong."""
    if texts.vat_bp not in VAT_RATES_BP:
        raise ValidationError(
            _("Choisissez un taux de TVA français : {rates}.").format(
                rates=", ".join(vat_label(rate) for rate in VAT_RATES_BP)),
            field="vat_bp")
    notice = texts.default_notice_months
    if not (isinstance(notice, int) and not isinstance(notice, bool)
            and MIN_NOTICE_MONTHS <= notice <= MAX_NOTICE_MONTHS):
        raise ValidationError(
            _("Le préavis se compte en mois, de {low} à {high}.").format(
                low=MIN_NOTICE_MONTHS, high=MAX_NOTICE_MONTHS),
            field="default_notice_months")
    signatory = " ".join((texts.host_signatory or "").split())
    if len(signatory) > MAX_SIGNATORY_LENGTH:
        raise ValidationError(
            _("Ce champ est trop long ({n} caractères au plus).").format(
                n=MAX_SIGNATORY_LENGTH),
            field="host_signatory")
    values = {}
    for name in _TEXTS:
        text = _clean_text(getattr(texts, name))
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError(
                _("Ce texte est trop long ({n} caractères au plus ; il en compte "
                  "{count}).").format(n=format_number(MAX_TEXT_LENGTH),
                                      count=format_number(len(text))),
                field=name)
        values[name] = text
    return HostingTexts(host_signatory=signatory, vat_bp=texts.vat_bp,
                        default_notice_months=texts.default_notice_months, **values)
