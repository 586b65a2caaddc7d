"""Short circuits: local producers, their products, and the grouped orders of the members
(coopérative d'achats) collected at the Maison on a pickup day — the records the area returns
and its pure rules: line amounts and VAT rounded per line then summed (as French invoices do),
seasons, the "conso'acteur" figures (share of products from within 100 km, average distance).

Money is in cents, prices include VAT; a VAT rate is in basis points (550 = 5,5 %);
quantities are in thousandths of the product's unit (1 500 = 1,5 kg; 2 000 = 2 pièces)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from maison_app.domain.enums import ProducerLabel, ProductUnit
from maison_app.i18n import format_number, ngettext

VAT_RATES_BP = (550, 1000, 2000)  # the rates food and drinks are sold at in France
LOCAL_KM = 100  # a product from within so many kilometres counts as local
QUANTITY_SCALE = 1000  # quantities are stored in thousandths
NBSP = "\u00a0"

def as_unit(unit: ProductUnit | str) -> ProductUnit | None:
    """A unit given as the enum, its value ("kg") or its label ("pièce"); None if unknown."""
    if isinstance(unit, ProductUnit):
        return unit
    for candidate in ProductUnit:
        if unit in (candidate.value, candidate.label):
            return candidate
    return None


def quantity_number(quantity_milli: int) -> str:
    """Thousandths of a unit as a French number: 1500 → "1,5", 2000 → "2", 250 → "0,25"."""
    value = (Decimal(quantity_milli) / QUANTITY_SCALE).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return format_number(value)


def quantity_text(quantity_milli: int, unit: ProductUnit | str) -> str:
    """"1,5 kg", "24 pièces", "1 botte" (no-break space); French takes the singular below 2
    ("1,5 litre"). An unknown unit is written as given."""
    number = quantity_number(quantity_milli)
    n = quantity_milli // QUANTITY_SCALE
    match as_unit(unit):
        case ProductUnit.KG:
            text = ngettext("{n} kg", "{n} kg", n)
        case ProductUnit.PIECE:
            text = ngettext("{n} pièce", "{n} pièces", n)
        case ProductUnit.LITRE:
            text = ngettext("{n} litre", "{n} litres", n)
        case ProductUnit.BUNCH:
            text = ngettext("{n} botte", "{n} bottes", n)
        case ProductUnit.BASKET:
            text = ngettext("{n} panier", "{n} paniers", n)
        case ProductUnit.DOZEN:
            text = ngettext("{n} douzaine", "{n} douzaines", n)
        case ProductUnit.JAR:
            text = ngettext("{n} pot", "{n} pots", n)
        case ProductUnit.BOTTLE:
            text = ngettext("{n} bouteille", "{n} bouteilles", n)
        case _:
            return f"{number}{NBSP}{unit}"
    return text.replace(" ", NBSP).format(n=number)


def short_line(product_name: str, quantity_milli: int, unit: ProductUnit | str) -> str:
    """A line of an order in short: "1,5 kg pommes", or "2 × pain de campagne" for units
    counted whole."""
    known = as_unit(unit)
    if known is not None and known.divisible:
        return f"{quantity_text(quantity_milli, known)}{NBSP}{product_name}"
    return f"{quantity_number(quantity_milli)}{NBSP}×{NBSP}{product_name}"


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest integer, halves away from zero."""
    q, r = divmod(abs(numerator), denominator)
    value = q + (1 if 2 * r >= denominator else 0)
    return value if numerator >= 0 else -value


def line_total_cents(quantity_milli: int, unit_price_cents: int) -> int:
    """A line's amount incl. VAT: quantity × unit price, rounded to the cent."""
    return round_half_up(quantity_milli * unit_price_cents, QUANTITY_SCALE)


def vat_in_cents(total_incl_cents: int, vat_bp: int) -> int:
    """The VAT included in an amount incl. VAT, rounded to the cent:
    total − total / (1 + rate)."""
    excl = round_half_up(total_incl_cents * 10_000, 10_000 + vat_bp)
    return total_incl_cents - excl


# --- producers and products ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProducerRecord:
    id: int | None  # None: a new producer
    name: str  # "GAEC des Prés Verts"
    town: str = ""
    distance_km: int = 0  # by road, to the Maison
    labels: tuple[ProducerLabel, ...] = ()
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    organisation_id: int | None = None  # when the producer is also an organisation of the house
    min_order_cents: int = 0  # the producer's minimum order per campaign (0: none)
    active: bool = True
    notes: str = ""

    @property
    def local(self) -> bool:
        return self.distance_km <= LOCAL_KM


@dataclass(frozen=True, slots=True)
class ProductRecord:
    id: int | None  # None: a new product
    producer_id: int
    category: str  # "Légumes", "Fruits", "Produits laitiers", "Viandes", "Boulangerie"…
    name: str
    unit: ProductUnit
    price_cents: int  # incl. VAT, per unit
    vat_bp: int = 550
    packaging: str = ""  # "sachet de 1 kg", "bocal 370 ml", "vrac"
    months: tuple[int, ...] = tuple(range(1, 13))  # the months it is available (1..12)
    active: bool = True
    # read-only, filled by the service
    producer_name: str = ""
    distance_km: int = 0

    def in_season(self, day: dt.date) -> bool:
        return day.month in self.months


@dataclass(frozen=True, slots=True)
class PriceChange:
    """One price of a product from a date (the history of its prices)."""

    product_id: int
    valid_from: dt.date
    price_cents: int
    vat_bp: int


def months_mask(months: Iterable[int]) -> int:
    """Months 1..12 as a 12-bit mask (bit 0: January), how the database keeps them."""
    mask = 0
    for m in months:
        if not 1 <= m <= 12:
            raise ValueError(f"month {m} out of 1..12")
        mask |= 1 << (m - 1)
    return mask


def mask_months(mask: int) -> tuple[int, ...]:
    return tuple(m for m in range(1, 13) if mask & (1 << (m - 1)))


# --- grouped orders --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    """A grouped order: orders are taken from `opens_on` to `closes_on` (both included) and
    collected on `pickup_on` at `pickup_place`. Closing it (closed_at set, or by hand)
    freezes its orders."""

    id: int | None  # None: a new campaign
    title: str  # "Paniers de Noël", "Commande de printemps"
    opens_on: dt.date
    closes_on: dt.date
    pickup_on: dt.date
    pickup_place: str = ""
    product_ids: tuple[int, ...] = ()  # the products offered, from the catalogue
    notes: str = ""
    closed_at: dt.datetime | None = None  # frozen (read-only: set by close())
    # read-only, filled by the service
    orders: int = 0
    total_cents: int = 0

    def open_on(self, day: dt.date) -> bool:
        return self.closed_at is None and self.opens_on <= day <= self.closes_on


@dataclass(frozen=True, slots=True)
class OrderLine:
    product_id: int
    quantity_milli: int
    unit_price_cents: int = 0  # copied from the product when the line is written
    vat_bp: int = 550  # copied too
    # read-only, filled by the service
    product_name: str = ""
    unit: ProductUnit = ProductUnit.PIECE
    producer_id: int | None = None
    producer_name: str = ""
    distance_km: int = 0

    @property
    def total_cents(self) -> int:
        return line_total_cents(self.quantity_milli, self.unit_price_cents)

    @property
    def vat_cents(self) -> int:
        return vat_in_cents(self.total_cents, self.vat_bp)


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One member's order in a campaign: a person or an organisation."""

    id: int | None  # None: a new order
    campaign_id: int
    person_id: int | None = None
    organisation_id: int | None = None
    lines: tuple[OrderLine, ...] = ()
    notes: str = ""
    collected_at: dt.datetime | None = None  # marked at pickup
    member_name: str = ""  # read-only

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def vat_by_rate(self) -> dict[int, int]:
        """VAT per rate: each line's VAT rounded, then summed."""
        out: dict[int, int] = {}
        for line in self.lines:
            out[line.vat_bp] = out.get(line.vat_bp, 0) + line.vat_cents
        return dict(sorted(out.items()))


@dataclass(frozen=True, slots=True)
class TotalRow:
    """A line of a campaign's totals: per product, per producer or per member."""

    key: str  # the product's, producer's or member's name
    quantity_milli: int  # products only (0 otherwise)
    total_cents: int
    vat_cents: int
    orders: int  # how many orders it appears in
    below_minimum: bool = False  # producers: the minimum order is not reached
    minimum_cents: int = 0
    group: str = ""  # products: the producer's name
    unit: ProductUnit | None = None  # products: their unit


@dataclass(frozen=True, slots=True)
class CampaignTotals:
    campaign: CampaignRecord
    by_product: tuple[TotalRow, ...]
    by_producer: tuple[TotalRow, ...]
    by_member: tuple[TotalRow, ...]
    total_cents: int
    vat_by_rate: dict[int, int]
    local_share: float | None  # share of the amount from producers within LOCAL_KM
    average_km: float | None  # average distance, weighted by amount


def local_figures(lines: Iterable[OrderLine]) -> tuple[float | None, float | None]:
    """(share of the amount from within LOCAL_KM, average distance weighted by amount)."""
    total = local = weighted = 0
    for line in lines:
        amount = line.total_cents
        total += amount
        weighted += amount * line.distance_km
        if line.distance_km <= LOCAL_KM:
            local += amount
    if total == 0:
        return None, None
    return local / total, weighted / total
