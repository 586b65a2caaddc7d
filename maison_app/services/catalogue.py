"""Short circuits (« Circuits courts »): local producers, their products and the history of
their prices, grouped order campaigns, the members' orders, the totals and the papers (bon de
commande per producer, liste de retrait, reçu per member), the CSV export of a campaign.

The unit price and the VAT rate of an order line are copied from the product when the line is
first written; a line already in the order keeps its copied price when the order is saved
again. Closing a campaign freezes its orders (only the collected marks still change)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from maison_app.db.catalogue import (
    Campaign,
    CampaignProduct,
    GroupOrder,
    GroupOrderLine,
    Producer,
    Product,
    ProductPrice,
)
from maison_app.db.models import Organisation, Person
from maison_app.domain.catalogue import (
    QUANTITY_SCALE,
    VAT_RATES_BP,
    CampaignRecord,
    CampaignTotals,
    OrderLine,
    OrderRecord,
    PriceChange,
    ProducerRecord,
    ProductRecord,
    TotalRow,
    local_figures,
    mask_months,
    months_mask,
)
from maison_app.domain.enums import DocumentKind, ProducerLabel, ProductUnit
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.members import check_phone
from maison_app.domain.permissions import Access, Area
from maison_app.domain.records import DocumentRecord
from maison_app.domain.text import full_name, search_key, search_terms
from maison_app.domain.validation import check_email
from maison_app.i18n import PARIS, _, format_date, ngettext
from maison_app.services.context import ServiceContext
from maison_app.services.documents import DocumentService
from maison_app.services.permissions import requires
from maison_app.services.privacy import PersonalDataArea, register
from maison_app.services.settings import SettingsService

MAX_NAME_LENGTH = 200
MAX_LINE_LENGTH = 200
MAX_CATEGORY_LENGTH = 100
MAX_TOWN_LENGTH = 100
MAX_TEXT_LENGTH = 5_000
MAX_DISTANCE_KM = 2_000
MAX_PRICE_CENTS = 100_000_00  # 100 000 €: beyond that, a typing mistake
MAX_QUANTITY_MILLI = 100_000 * QUANTITY_SCALE


def _clean_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _clean_text(value: str | None) -> str:
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _too_long(value: str, maximum: int, field: str) -> None:
    if len(value) > maximum:
        raise ValidationError(
            _("Ce champ est trop long ({n} caractères au plus).").format(n=maximum), field=field)


def quantity_text(quantity_milli: int) -> str:
    """1 500 → « 1,5 », 2 000 → « 2 »."""
    whole, milli = divmod(quantity_milli, QUANTITY_SCALE)
    if not milli:
        return str(whole)
    return f"{whole},{milli:03d}".rstrip("0")


def _amount_csv(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    euros, c = divmod(abs(cents), 100)
    return f"{sign}{euros},{c:02d}"


def _rate_text(vat_bp: int) -> str:
    return f"{vat_bp / 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _labels(text: str | None) -> tuple[ProducerLabel, ...]:
    out = []
    for part in (text or "").split(","):
        part = part.strip()
        if part:
            try:
                out.append(ProducerLabel(part))
            except ValueError:
                continue
    return tuple(out)


def _same_name(s: Session, model, name: str, own_id: int | None, *where) -> str | None:
    """The name of another row of `model` spelt like `name` whatever the case, accented
    letters included (SQLite's lower() only folds ASCII, so the comparison is made here on
    the rows whose name has the same length)."""
    wanted = name.casefold()
    for other in s.scalars(select(model.name).where(
            func.length(model.name) == len(name), model.id != (own_id or 0), *where)):
        if other.casefold() == wanted:
            return other
    return None


def _producer(p: Producer) -> ProducerRecord:
    return ProducerRecord(
        id=p.id, name=p.name, town=p.town or "", distance_km=p.distance_km or 0,
        labels=_labels(p.labels), contact_name=p.contact_name or "", phone=p.phone or "",
        email=p.email or "", organisation_id=p.organisation_id,
        min_order_cents=p.min_order_cents or 0, active=bool(p.active), notes=p.notes or "")


def _product(p: Product, producer_name: str = "", distance_km: int = 0) -> ProductRecord:
    return ProductRecord(
        id=p.id, producer_id=p.producer_id, category=p.category, name=p.name,
        unit=ProductUnit(p.unit), price_cents=p.price_cents, vat_bp=p.vat_bp,
        packaging=p.packaging or "", months=mask_months(p.months_mask), active=bool(p.active),
        producer_name=producer_name, distance_km=distance_km)


def _member_name(first: str | None, last: str | None, org_name: str | None,
                 person_id: int | None, organisation_id: int | None) -> str:
    if person_id is not None:
        return full_name(first, last)
    if organisation_id is not None:
        return org_name or ""
    return _("(membre effacé)")


def _product_records(s: Session, *where) -> list[ProductRecord]:
    rows = s.execute(select(Product, Producer.name, Producer.distance_km)
                     .join(Producer, Producer.id == Product.producer_id).where(*where))
    return [_product(p, name, km) for p, name, km in rows]


def _orders(s: Session, *where) -> list[OrderRecord]:
    rows = list(s.execute(
        select(GroupOrder, Person.first_name, Person.last_name, Organisation.name)
        .outerjoin(Person, Person.id == GroupOrder.person_id)
        .outerjoin(Organisation, Organisation.id == GroupOrder.organisation_id)
        .where(*where)))
    ids = [o.id for o, *_rest in rows]
    lines: dict[int, list[OrderLine]] = {i: [] for i in ids}
    if ids:
        for line, p_name, unit, producer_id, producer_name, km in s.execute(
                select(GroupOrderLine, Product.name, Product.unit, Producer.id, Producer.name,
                       Producer.distance_km)
                .join(Product, Product.id == GroupOrderLine.product_id)
                .join(Producer, Producer.id == Product.producer_id)
                .where(GroupOrderLine.order_id.in_(ids))):
            lines[line.order_id].append(OrderLine(
                product_id=line.product_id, quantity_milli=line.quantity_milli,
                unit_price_cents=line.unit_price_cents, vat_bp=line.vat_bp,
                product_name=p_name, unit=ProductUnit(unit), producer_id=producer_id,
                producer_name=producer_name, distance_km=km))
    out = []
    for o, first, last, org_name in rows:
        out.append(OrderRecord(
            id=o.id, campaign_id=o.campaign_id, person_id=o.person_id,
            organisation_id=o.organisation_id,
            lines=tuple(sorted(lines[o.id], key=lambda li: (search_key(li.product_name),
                                                            li.product_id))),
            notes=o.notes or "", collected_at=o.collected_at,
            member_name=_member_name(first, last, org_name, o.person_id, o.organisation_id)))
    return sorted(out, key=lambda r: (search_key(r.member_name), r.id))


class CatalogueService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> dt.date:
        return self.ctx.now().astimezone(PARIS).date()

    # --- producers --------------------------------------------------------------------------

    @requires(Area.CATALOGUE, Access.READ)
    def producers(self, *, query: str = "", active_only: bool = False
                  ) -> tuple[ProducerRecord, ...]:
        """The producers by name; `query` looks for every word in the name, the town and the
        contact (case and accents do not matter)."""
        stmt = select(Producer)
        if active_only:
            stmt = stmt.where(Producer.active.is_(True))
        with self.ctx.reading() as s:
            records = [_producer(p) for p in s.scalars(stmt)]
        terms = search_terms(query)
        if terms:
            records = [r for r in records
                       if all(t in search_key(r.name, r.town, r.contact_name) for t in terms)]
        return tuple(sorted(records, key=lambda r: (search_key(r.name), r.id)))

    @requires(Area.CATALOGUE, Access.READ)
    def producer(self, *, producer_id: int) -> ProducerRecord:
        with self.ctx.reading() as s:
            p = s.get(Producer, producer_id)
            if p is None:
                raise NotFound(_("Ce producteur n'existe plus."))
            return _producer(p)

    @requires(Area.CATALOGUE, Access.WRITE)
    def save_producer(self, record: ProducerRecord) -> int:
        """Create (`record.id` None) or update a producer."""
        name = _clean_line(record.name)
        if not name:
            raise ValidationError(_("Indiquez le nom du producteur."), field="name")
        _too_long(name, MAX_NAME_LENGTH, "name")
        town = _clean_line(record.town)
        _too_long(town, MAX_TOWN_LENGTH, "town")
        if not 0 <= record.distance_km <= MAX_DISTANCE_KM:
            raise ValidationError(
                _("La distance doit être comprise entre 0 et {n} km.").format(n=MAX_DISTANCE_KM),
                field="distance_km")
        if record.min_order_cents < 0 or record.min_order_cents > MAX_PRICE_CENTS:
            raise ValidationError(
                _("Le minimum de commande doit être positif ou nul (0 : pas de minimum)."),
                field="min_order_cents")
        contact = _clean_line(record.contact_name)
        _too_long(contact, MAX_NAME_LENGTH, "contact_name")
        email = check_email(record.email, field="email") or ""
        phone = check_phone(record.phone, field="phone") or ""
        notes = _clean_text(record.notes)
        _too_long(notes, MAX_TEXT_LENGTH, "notes")
        labels = ",".join(dict.fromkeys(ProducerLabel(label).value for label in record.labels))
        with self.ctx.writing() as s:
            twin = _same_name(s, Producer, name, record.id)
            if twin is not None:
                raise Conflict(_("Un producteur s'appelle déjà « {name} » : choisissez un autre "
                                 "nom ou modifiez la fiche existante.").format(name=twin))
            if record.organisation_id is not None and s.get(
                    Organisation, record.organisation_id) is None:
                raise ValidationError(_("Cette organisation n'existe plus."),
                                      field="organisation_id")
            if record.id is None:
                p = Producer()
                s.add(p)
            else:
                p = s.get(Producer, record.id)
                if p is None:
                    raise NotFound(_("Ce producteur n'existe plus."))
            p.name, p.town, p.distance_km, p.labels = name, town, record.distance_km, labels
            p.contact_name, p.phone, p.email = contact, phone, email
            p.organisation_id, p.min_order_cents = record.organisation_id, record.min_order_cents
            p.active, p.notes = bool(record.active), notes
            s.flush()
            return p.id

    # --- products ---------------------------------------------------------------------------

    @requires(Area.CATALOGUE, Access.READ)
    def categories(self) -> tuple[str, ...]:
        with self.ctx.reading() as s:
            found = set(s.scalars(select(Product.category).distinct()))
        return tuple(sorted(found, key=search_key))

    @requires(Area.CATALOGUE, Access.READ)
    def products(self, *, query: str = "", category: str | None = None,
                 producer_id: int | None = None, in_season_on: dt.date | None = None,
                 label: ProducerLabel | None = None, active_only: bool = True
                 ) -> tuple[ProductRecord, ...]:
        """The products by category then name; `query` looks for every word in the product's
        and the producer's names (case and accents do not matter)."""
        where = []
        if category:
            where.append(Product.category == category)
        if producer_id is not None:
            where.append(Product.producer_id == producer_id)
        if active_only:
            where.append(Product.active.is_(True))
        with self.ctx.reading() as s:
            records = _product_records(s, *where)
            if label is not None:
                wanted = ProducerLabel(label)
                labelled = {p.id for p in s.scalars(select(Producer))
                            if wanted in _labels(p.labels)}
                records = [r for r in records if r.producer_id in labelled]
        if in_season_on is not None:
            records = [r for r in records if r.in_season(in_season_on)]
        terms = search_terms(query)
        if terms:
            records = [r for r in records
                       if all(t in search_key(r.name, r.producer_name) for t in terms)]
        return tuple(sorted(records, key=lambda r: (search_key(r.category), search_key(r.name),
                                                    r.id)))

    @requires(Area.CATALOGUE, Access.READ)
    def product(self, *, product_id: int) -> ProductRecord:
        with self.ctx.reading() as s:
            found = _product_records(s, Product.id == product_id)
        if not found:
            raise NotFound(_("Ce produit n'existe plus."))
        return found[0]

    @requires(Area.CATALOGUE, Access.WRITE)
    def save_product(self, record: ProductRecord) -> int:
        """Create (`record.id` None) or update a product; a new product or a changed price or
        VAT rate adds a line to its price history, valid from today."""
        name = _clean_line(record.name)
        if not name:
            raise ValidationError(_("Indiquez le nom du produit."), field="name")
        _too_long(name, MAX_NAME_LENGTH, "name")
        category = _clean_line(record.category)
        if not category:
            raise ValidationError(_("Indiquez la catégorie du produit (Légumes, Fruits…)."),
                                  field="category")
        _too_long(category, MAX_CATEGORY_LENGTH, "category")
        packaging = _clean_line(record.packaging)
        _too_long(packaging, MAX_LINE_LENGTH, "packaging")
        if not 0 <= record.price_cents <= MAX_PRICE_CENTS:
            raise ValidationError(_("Le prix TTC doit être positif ou nul."), field="price_cents")
        if record.vat_bp not in VAT_RATES_BP:
            raise ValidationError(_("Le taux de TVA doit être 5,5 %, 10 % ou 20 %."),
                                  field="vat_bp")
        months = sorted(set(record.months))
        if not months:
            raise ValidationError(_("Cochez au moins un mois de disponibilité."),
                                  field="months")
        try:
            mask = months_mask(months)
        except ValueError:
            raise ValidationError(_("Les mois vont de 1 (janvier) à 12 (décembre)."),
                                  field="months") from None
        unit = ProductUnit(record.unit)
        today = self._today()
        with self.ctx.writing() as s:
            if s.get(Producer, record.producer_id) is None:
                raise ValidationError(_("Choisissez le producteur du produit."),
                                      field="producer_id")
            twin = _same_name(s, Product, name, record.id,
                              Product.producer_id == record.producer_id)
            if twin is not None:
                raise Conflict(_("Ce producteur a déjà un produit « {name} » : modifiez-le "
                                 "plutôt que d'en créer un second.").format(name=twin))
            if record.id is None:
                p = Product()
                s.add(p)
                changed = True
            else:
                p = s.get(Product, record.id)
                if p is None:
                    raise NotFound(_("Ce produit n'existe plus."))
                changed = (p.price_cents, p.vat_bp) != (record.price_cents, record.vat_bp)
            p.producer_id, p.category, p.name, p.unit = record.producer_id, category, name, unit
            p.price_cents, p.vat_bp, p.packaging = record.price_cents, record.vat_bp, packaging
            p.months_mask, p.active = mask, bool(record.active)
            s.flush()
            if changed:
                same_day = s.scalar(select(ProductPrice).where(
                    ProductPrice.product_id == p.id, ProductPrice.valid_from == today))
                if same_day is not None:  # a correction the same day replaces that day's price
                    same_day.price_cents, same_day.vat_bp = p.price_cents, p.vat_bp
                else:
                    s.add(ProductPrice(product_id=p.id, valid_from=today,
                                       price_cents=p.price_cents, vat_bp=p.vat_bp))
                s.flush()
            return p.id

    @requires(Area.CATALOGUE, Access.READ)
    def price_history(self, *, product_id: int) -> tuple[PriceChange, ...]:
        with self.ctx.reading() as s:
            rows = s.scalars(select(ProductPrice).where(ProductPrice.product_id == product_id)
                             .order_by(ProductPrice.valid_from.desc(), ProductPrice.id.desc()))
            return tuple(PriceChange(product_id=r.product_id, valid_from=r.valid_from,
                                     price_cents=r.price_cents, vat_bp=r.vat_bp) for r in rows)

    # --- campaigns --------------------------------------------------------------------------

    @staticmethod
    def _campaign_records(s: Session, *where) -> list[CampaignRecord]:
        campaigns = list(s.scalars(select(Campaign).where(*where)))
        ids = [c.id for c in campaigns]
        offered: dict[int, list[int]] = {i: [] for i in ids}
        counts: dict[int, int] = {}
        totals: dict[int, int] = {}
        if ids:
            for cid, pid in s.execute(select(CampaignProduct.campaign_id,
                                             CampaignProduct.product_id)
                                      .where(CampaignProduct.campaign_id.in_(ids))):
                offered[cid].append(pid)
            counts = dict(s.execute(select(GroupOrder.campaign_id, func.count())
                                    .where(GroupOrder.campaign_id.in_(ids))
                                    .group_by(GroupOrder.campaign_id)).all())
            for cid, qty, price in s.execute(
                    select(GroupOrder.campaign_id, GroupOrderLine.quantity_milli,
                           GroupOrderLine.unit_price_cents)
                    .join(GroupOrder, GroupOrder.id == GroupOrderLine.order_id)
                    .where(GroupOrder.campaign_id.in_(ids))):
                totals[cid] = totals.get(cid, 0) + OrderLine(0, qty, price).total_cents
        return [CampaignRecord(
            id=c.id, title=c.title, opens_on=c.opens_on, closes_on=c.closes_on,
            pickup_on=c.pickup_on, pickup_place=c.pickup_place or "",
            product_ids=tuple(sorted(offered[c.id])), notes=c.notes or "",
            closed_at=c.closed_at, orders=counts.get(c.id, 0), total_cents=totals.get(c.id, 0))
            for c in campaigns]

    @staticmethod
    def _campaign_row(s: Session, campaign_id: int, *, lock: bool = False) -> Campaign:
        c = s.get(Campaign, campaign_id, with_for_update=True if lock else None,
                  populate_existing=lock)
        if c is None:
            raise NotFound(_("Cette commande groupée n'existe plus."))
        return c

    @requires(Area.CATALOGUE, Access.READ)
    def campaigns(self, *, include_closed: bool = True) -> tuple[CampaignRecord, ...]:
        where = [] if include_closed else [Campaign.closed_at.is_(None)]
        with self.ctx.reading() as s:
            records = self._campaign_records(s, *where)
        return tuple(sorted(records, key=lambda r: (r.pickup_on, r.id), reverse=True))

    @requires(Area.CATALOGUE, Access.READ)
    def campaign(self, *, campaign_id: int) -> CampaignRecord:
        with self.ctx.reading() as s:
            found = self._campaign_records(s, Campaign.id == campaign_id)
        if not found:
            raise NotFound(_("Cette commande groupée n'existe plus."))
        return found[0]

    @requires(Area.CATALOGUE, Access.WRITE)
    def save_campaign(self, record: CampaignRecord) -> int:
        """Create (`record.id` None) or update a campaign and the products it offers."""
        title = _clean_line(record.title)
        if not title:
            raise ValidationError(_("Indiquez le titre de la commande groupée."), field="title")
        _too_long(title, MAX_NAME_LENGTH, "title")
        place = _clean_line(record.pickup_place)
        _too_long(place, MAX_LINE_LENGTH, "pickup_place")
        notes = _clean_text(record.notes)
        _too_long(notes, MAX_TEXT_LENGTH, "notes")
        if record.closes_on < record.opens_on:
            raise ValidationError(_("La clôture des commandes ne peut pas précéder leur "
                                    "ouverture."), field="closes_on")
        if record.pickup_on < record.closes_on:
            raise ValidationError(_("Le retrait ne peut pas avoir lieu avant la clôture des "
                                    "commandes."), field="pickup_on")
        wanted = list(dict.fromkeys(record.product_ids))
        with self.ctx.writing() as s:
            if record.id is None:
                c = Campaign(title=title, opens_on=record.opens_on, closes_on=record.closes_on,
                             pickup_on=record.pickup_on)
                s.add(c)
                before: set[int] = set()
            else:
                c = self._campaign_row(s, record.id, lock=True)
                if c.closed_at is not None:
                    raise Conflict(_("Cette commande groupée est close : elle ne peut plus être "
                                     "modifiée."))
                before = set(s.scalars(select(CampaignProduct.product_id)
                                       .where(CampaignProduct.campaign_id == c.id)))
            products = {p.id: p for p in s.scalars(select(Product).where(
                Product.id.in_(wanted)))} if wanted else {}
            for pid in wanted:
                p = products.get(pid)
                if p is None:
                    raise ValidationError(_("Un des produits proposés n'existe plus."),
                                          field="product_ids")
                if not p.active and pid not in before:
                    raise ValidationError(
                        _("Le produit « {name} » n'est plus au catalogue : il ne peut pas être "
                          "proposé.").format(name=p.name), field="product_ids")
            removed = before - set(wanted)
            if removed:
                ordered = s.scalar(
                    select(Product.name)
                    .join(GroupOrderLine, GroupOrderLine.product_id == Product.id)
                    .join(GroupOrder, GroupOrder.id == GroupOrderLine.order_id)
                    .where(GroupOrder.campaign_id == c.id, Product.id.in_(removed))
                    .order_by(Product.name).limit(1))
                if ordered is not None:
                    raise Conflict(_("Le produit « {name} » est déjà commandé par un membre : "
                                     "il ne peut plus être retiré de la commande groupée.")
                                   .format(name=ordered))
            c.title, c.opens_on, c.closes_on = title, record.opens_on, record.closes_on
            c.pickup_on, c.pickup_place, c.notes = record.pickup_on, place, notes
            s.flush()
            if removed:
                s.execute(delete(CampaignProduct).where(CampaignProduct.campaign_id == c.id,
                                                        CampaignProduct.product_id.in_(removed)))
            for pid in wanted:
                if pid not in before:
                    s.add(CampaignProduct(campaign_id=c.id, product_id=pid))
            s.flush()
            return c.id

    @requires(Area.CATALOGUE, Access.WRITE)
    def close_campaign(self, *, campaign_id: int) -> None:
        """Close a campaign: its orders are frozen (collected marks still change)."""
        with self.ctx.writing() as s:
            c = self._campaign_row(s, campaign_id, lock=True)
            if c.closed_at is None:
                c.closed_at = self.ctx.now()

    # --- orders -----------------------------------------------------------------------------

    @requires(Area.CATALOGUE, Access.READ)
    def orders(self, *, campaign_id: int) -> tuple[OrderRecord, ...]:
        with self.ctx.reading() as s:
            return tuple(_orders(s, GroupOrder.campaign_id == campaign_id))

    @requires(Area.CATALOGUE, Access.READ)
    def order(self, *, order_id: int) -> OrderRecord:
        with self.ctx.reading() as s:
            found = _orders(s, GroupOrder.id == order_id)
        if not found:
            raise NotFound(_("Cette commande n'existe plus."))
        return found[0]

    @staticmethod
    def _refuse_frozen(c: Campaign) -> None:
        if c.closed_at is not None:
            raise Conflict(_("La commande groupée « {title} » est close : ses commandes ne "
                             "peuvent plus être modifiées.").format(title=c.title))

    @requires(Area.CATALOGUE, Access.WRITE)
    def save_order(self, record: OrderRecord) -> int:
        """Create (`record.id` None) or update a member's order and its lines."""
        if (record.person_id is None) == (record.organisation_id is None):
            raise ValidationError(_("Choisissez le membre qui commande : une personne ou une "
                                    "organisation."), field="member")
        notes = _clean_text(record.notes)
        _too_long(notes, MAX_TEXT_LENGTH, "notes")
        if not record.lines:
            raise ValidationError(_("Ajoutez au moins un produit à la commande."), field="lines")
        today = self._today()
        with self.ctx.writing() as s:
            c = self._campaign_row(s, record.campaign_id, lock=True)
            self._refuse_frozen(c)
            if today > c.closes_on:
                raise Conflict(_("Les commandes de « {title} » sont closes depuis le {date}.")
                               .format(title=c.title, date=format_date(c.closes_on)))
            if today < c.opens_on:
                raise Conflict(_("Les commandes de « {title} » ouvrent le {date}.")
                               .format(title=c.title, date=format_date(c.opens_on)))
            if record.person_id is not None:
                if s.get(Person, record.person_id) is None:
                    raise ValidationError(_("Cette personne n'existe plus."), field="member")
                same = GroupOrder.person_id == record.person_id
            else:
                if s.get(Organisation, record.organisation_id) is None:
                    raise ValidationError(_("Cette organisation n'existe plus."), field="member")
                same = GroupOrder.organisation_id == record.organisation_id
            existing = s.scalar(select(GroupOrder.id).where(
                GroupOrder.campaign_id == c.id, same, GroupOrder.id != (record.id or 0)))
            if existing is not None:
                raise Conflict(_("Ce membre a déjà une commande dans « {title} » (commande "
                                 "n° {id}) : modifiez-la plutôt que d'en créer une seconde.")
                               .format(title=c.title, id=existing))
            offered = set(s.scalars(select(CampaignProduct.product_id)
                                    .where(CampaignProduct.campaign_id == c.id)))
            products = {p.id: p for p in s.scalars(select(Product).where(
                Product.id.in_([li.product_id for li in record.lines])))}
            seen: set[int] = set()
            for li in record.lines:
                p = products.get(li.product_id)
                if p is None or li.product_id not in offered:
                    raise ValidationError(_("Ce produit n'est pas proposé dans « {title} ».")
                                          .format(title=c.title), field="lines")
                if li.product_id in seen:
                    raise ValidationError(_("Le produit « {name} » figure deux fois : "
                                            "regroupez les quantités sur une ligne.")
                                          .format(name=p.name), field="lines")
                seen.add(li.product_id)
                if not 0 < li.quantity_milli <= MAX_QUANTITY_MILLI:
                    raise ValidationError(_("La quantité de « {name} » doit être positive.")
                                          .format(name=p.name), field="lines")
                unit = ProductUnit(p.unit)
                if not unit.divisible and li.quantity_milli % QUANTITY_SCALE:
                    raise ValidationError(
                        _("« {name} » se commande à l'unité ({unit}) : indiquez un nombre "
                          "entier.").format(name=p.name, unit=unit.label), field="lines")
            if record.id is None:
                o = GroupOrder(campaign_id=c.id, created_at=self.ctx.now())
                s.add(o)
                kept: dict[int, GroupOrderLine] = {}
            else:
                o = s.get(GroupOrder, record.id)
                if o is None:
                    raise NotFound(_("Cette commande n'existe plus."))
                if o.campaign_id != c.id:
                    raise ValidationError(_("Une commande ne change pas de commande groupée."),
                                          field="campaign_id")
                kept = {li.product_id: li for li in s.scalars(
                    select(GroupOrderLine).where(GroupOrderLine.order_id == o.id))}
            o.person_id, o.organisation_id = record.person_id, record.organisation_id
            o.notes, o.updated_at = notes, self.ctx.now()
            s.flush()
            for pid, row in kept.items():
                if pid not in seen:
                    s.delete(row)
            for li in record.lines:
                row = kept.get(li.product_id)
                if row is not None:  # keeps the price copied when it was first ordered
                    row.quantity_milli = li.quantity_milli
                else:
                    p = products[li.product_id]
                    s.add(GroupOrderLine(order_id=o.id, product_id=p.id,
                                         quantity_milli=li.quantity_milli,
                                         unit_price_cents=p.price_cents, vat_bp=p.vat_bp))
            s.flush()
            return o.id

    @requires(Area.CATALOGUE, Access.WRITE)
    def delete_order(self, *, order_id: int) -> None:
        with self.ctx.writing() as s:
            o = s.get(GroupOrder, order_id)
            if o is None:
                raise NotFound(_("Cette commande n'existe plus."))
            self._refuse_frozen(self._campaign_row(s, o.campaign_id, lock=True))
            s.delete(o)

    @requires(Area.CATALOGUE, Access.WRITE)
    def mark_collected(self, *, order_ids: Sequence[int], collected: bool = True) -> None:
        """Mark orders collected at pickup (or not): allowed on a closed campaign too."""
        if not order_ids:
            return
        now = self.ctx.now()
        with self.ctx.writing() as s:
            rows = list(s.scalars(select(GroupOrder).where(GroupOrder.id.in_(list(order_ids)))))
            if len(rows) != len(set(order_ids)):
                raise NotFound(_("Une de ces commandes n'existe plus."))
            for o in rows:
                if collected and o.collected_at is None:
                    o.collected_at = now
                elif not collected:
                    o.collected_at = None

    # --- totals -----------------------------------------------------------------------------

    @requires(Area.CATALOGUE, Access.READ)
    def totals(self, *, campaign_id: int) -> CampaignTotals:
        with self.ctx.reading() as s:
            found = self._campaign_records(s, Campaign.id == campaign_id)
            if not found:
                raise NotFound(_("Cette commande groupée n'existe plus."))
            orders = _orders(s, GroupOrder.campaign_id == campaign_id)
            minimums = dict(s.execute(select(Producer.id, Producer.min_order_cents)).all())
        return _totals(found[0], orders, minimums)

    # --- papers -----------------------------------------------------------------------------

    @requires(Area.CATALOGUE, Access.WRITE)
    def purchase_order(self, *, campaign_id: int, producer_id: int
                       ) -> tuple[DocumentRecord, bytes]:
        """The producer's bon de commande for a campaign (PDF), archived as BC-YYYY-NNNN.
        Printed again with nothing changed, it is the archived document itself (the same for
        the pickup list and the receipts); after a change, a new number."""
        from maison_app.documents.purchase_order import PurchaseOrderData, build_pdf

        identity = SettingsService(self.ctx).identity()
        campaign = self.campaign(campaign_id=campaign_id)
        producer = self.producer(producer_id=producer_id)
        with self.ctx.reading() as s:
            orders = _orders(s, GroupOrder.campaign_id == campaign_id)
        groups: dict[tuple[int, int], list] = {}
        for o in orders:
            for li in o.lines:
                if li.producer_id != producer_id:
                    continue
                g = groups.setdefault((li.product_id, li.unit_price_cents),
                                      [li.product_name, li.unit, 0, 0, 0, 0])
                g[2] += li.quantity_milli
                g[3] += li.total_cents
                g[4] += li.vat_cents
                g[5] += 1
        if not groups:
            raise Conflict(_("Aucun membre n'a commandé de produit de {name} dans cette "
                             "commande groupée.").format(name=producer.name))
        keys = sorted(groups, key=lambda k: (search_key(groups[k][0]), k))
        rows = tuple(TotalRow(key=groups[k][0], quantity_milli=groups[k][2],
                              total_cents=groups[k][3], vat_cents=groups[k][4],
                              orders=groups[k][5]) for k in keys)
        vat: dict[int, int] = {}
        for o in orders:
            for li in o.lines:
                if li.producer_id == producer_id:
                    vat[li.vat_bp] = vat.get(li.vat_bp, 0) + li.vat_cents
        data = PurchaseOrderData(
            campaign=campaign, producer=producer, rows=rows,
            units=tuple(groups[k][1].label for k in keys),
            unit_prices=tuple(k[1] for k in keys),
            total_cents=sum(r.total_cents for r in rows), vat_by_rate=dict(sorted(vat.items())))
        return DocumentService(self.ctx).issue_or_reprint(
            kind=DocumentKind.BON_COMMANDE,
            subject=_("Bon de commande — {producer}, {title}").format(
                producer=producer.name, title=campaign.title),
            render=lambda number, issued: build_pdf(identity, data, number=number,
                                                    issued=issued))

    @requires(Area.CATALOGUE, Access.WRITE)
    def pickup_list(self, *, campaign_id: int) -> tuple[DocumentRecord, bytes]:
        """The campaign's liste de retrait (PDF), archived as LR-YYYY-NNNN."""
        from maison_app.documents.pickup_list import build_pdf

        identity = SettingsService(self.ctx).identity()
        campaign = self.campaign(campaign_id=campaign_id)
        orders = self.orders(campaign_id=campaign_id)
        return DocumentService(self.ctx).issue_or_reprint(
            kind=DocumentKind.LISTE_RETRAIT,
            subject=_("Liste de retrait — {title}, {date}").format(
                title=campaign.title, date=format_date(campaign.pickup_on)),
            render=lambda number, issued: build_pdf(identity, campaign, orders,
                                                    number=number, issued=issued))

    @requires(Area.CATALOGUE, Access.WRITE)
    def receipt(self, *, order_id: int) -> tuple[DocumentRecord, bytes]:
        """A member's reçu for an order (PDF), archived as RA-YYYY-NNNN."""
        from maison_app.documents.order_receipt import build_pdf

        identity = SettingsService(self.ctx).identity()
        order = self.order(order_id=order_id)
        campaign = self.campaign(campaign_id=order.campaign_id)
        return DocumentService(self.ctx).issue_or_reprint(
            kind=DocumentKind.RECU_COMMANDE,
            subject=_("Reçu — {member}, {title}").format(member=order.member_name,
                                                         title=campaign.title),
            render=lambda number, issued: build_pdf(identity, campaign, order, number=number,
                                                    issued=issued))

    @requires(Area.CATALOGUE, Access.READ)
    def campaign_csv(self, *, campaign_id: int) -> bytes:
        """One line per order line, as a table Excel opens with its accents (UTF-8 with BOM,
        `;`): quantities as « 1,5 », amounts as « 12,50 », the VAT rate in percent, the day
        the order was collected (empty while it waits)."""
        self.campaign(campaign_id=campaign_id)
        orders = self.orders(campaign_id=campaign_id)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Membre"), _("Produit"), _("Producteur"), _("Quantité"), _("Unité"),
                         _("Prix unitaire TTC"), _("Taux de TVA (%)"), _("Montant TTC"),
                         _("Retiré le")])
        for o in orders:
            collected = (format_date(o.collected_at.astimezone(PARIS).date(), "short")
                         if o.collected_at else "")
            for li in o.lines:
                writer.writerow([o.member_name, li.product_name, li.producer_name,
                                 quantity_text(li.quantity_milli), li.unit.label,
                                 _amount_csv(li.unit_price_cents), _rate_text(li.vat_bp),
                                 _amount_csv(li.total_cents), collected])
        return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _totals(campaign: CampaignRecord, orders: Sequence[OrderRecord],
            minimums: dict[int, int]) -> CampaignTotals:
    products: dict[int, list] = {}
    producers: dict[int, list] = {}
    members: list[TotalRow] = []
    vat: dict[int, int] = {}
    all_lines: list[OrderLine] = []
    for o in orders:
        for li in o.lines:
            all_lines.append(li)
            p = products.setdefault(li.product_id, [li.product_name, 0, 0, 0, set(),
                                                    li.producer_name, li.unit])
            p[1] += li.quantity_milli
            p[2] += li.total_cents
            p[3] += li.vat_cents
            p[4].add(o.id)
            q = producers.setdefault(li.producer_id, [li.producer_name, 0, 0, set()])
            q[1] += li.total_cents
            q[2] += li.vat_cents
            q[3].add(o.id)
            vat[li.vat_bp] = vat.get(li.vat_bp, 0) + li.vat_cents
        members.append(TotalRow(key=o.member_name, quantity_milli=0, total_cents=o.total_cents,
                                vat_cents=sum(li.vat_cents for li in o.lines), orders=1))
    by_product = sorted((TotalRow(key=name, quantity_milli=qty, total_cents=total,
                                  vat_cents=v, orders=len(ids), group=producer, unit=unit)
                         for name, qty, total, v, ids, producer, unit in products.values()),
                        key=lambda r: (search_key(r.group), search_key(r.key)))
    by_producer = []
    for pid, (name, total, v, ids) in producers.items():
        minimum = minimums.get(pid, 0) or 0
        by_producer.append(TotalRow(key=name, quantity_milli=0, total_cents=total, vat_cents=v,
                                    orders=len(ids), below_minimum=total < minimum,
                                    minimum_cents=minimum))
    by_producer.sort(key=lambda r: search_key(r.key))
    share, average = local_figures(all_lines)
    return CampaignTotals(
        campaign=campaign, by_product=tuple(by_product), by_producer=tuple(by_producer),
        by_member=tuple(members), total_cents=sum(o.total_cents for o in orders),
        vat_by_rate=dict(sorted(vat.items())), local_share=share, average_km=average)


# --- data protection: a person's grouped orders --------------------------------------------------


def _export_catalogue(s: Session, person_id: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    rows = list(s.execute(select(GroupOrder.id, Campaign.title, Campaign.pickup_on)
                          .join(Campaign, Campaign.id == GroupOrder.campaign_id)
                          .where(GroupOrder.person_id == person_id)
                          .order_by(Campaign.pickup_on, GroupOrder.id)))
    records = {o.id: o for o in _orders(s, GroupOrder.person_id == person_id)}
    for order_id, title, pickup_on in rows:
        o = records[order_id]
        out.append({
            "commande groupée": title, "retrait le": pickup_on.isoformat(),
            "produits": [f"{quantity_text(li.quantity_milli)} {li.unit.label} "
                         f"{li.product_name} ({li.producer_name}) — "
                         f"{_amount_csv(li.total_cents)} €" for li in o.lines],
            "montant TTC": _amount_csv(o.total_cents),
            "retirée le": o.collected_at.isoformat() if o.collected_at else None,
            "notes": o.notes or None})
    return out


def _erase_catalogue(s: Session, person_id: int) -> str:
    """The orders stay for the accounts, linked to the anonymised record; their notes are
    erased."""
    rows = list(s.scalars(select(GroupOrder).where(GroupOrder.person_id == person_id)))
    for o in rows:
        o.notes = ""
    return ngettext("{n} commande groupée conservée pour la comptabilité, ses notes effacées.",
                    "{n} commandes groupées conservées pour la comptabilité, leurs notes "
                    "effacées.", len(rows)).format(n=len(rows))


def _active_since(since: dt.datetime):
    """The people who ordered since then, or whose order is collected after that day."""
    day = since.astimezone(PARIS).date()
    ordered = (select(GroupOrder.person_id)
               .join(Campaign, Campaign.id == GroupOrder.campaign_id)
               .where(GroupOrder.person_id.is_not(None),
                      or_(GroupOrder.created_at >= since, Campaign.pickup_on >= day)))
    return select(Person.id).where(Person.id.in_(ordered))


register(PersonalDataArea("catalogue", lambda: _("Commandes groupées"), _export_catalogue,
                          _erase_catalogue, active_since=_active_since))
