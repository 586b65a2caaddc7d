"""The tables of short circuits: producers, their products and the history of their prices,
grouped order campaigns with the products they offer, and the members' orders."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from maison_app.db.base import Base
from maison_app.db.models import _enum, _now
from maison_app.domain.enums import ProductUnit


class Producer(Base):
    __tablename__ = "producer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    town: Mapped[str] = mapped_column(String(100), default="")
    distance_km: Mapped[int] = mapped_column(default=0)
    labels: Mapped[str] = mapped_column(String(200), default="")  # comma-separated values
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    min_order_cents: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("distance_km >= 0", name="distance_positive"),
        CheckConstraint("min_order_cents >= 0", name="minimum_positive"),
    )


class Product(Base):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id", ondelete="RESTRICT"),
                                             index=True)
    category: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[ProductUnit] = mapped_column(_enum(ProductUnit))
    price_cents: Mapped[int]  # the current price incl. VAT (the history is in product_price)
    vat_bp: Mapped[int]
    packaging: Mapped[str] = mapped_column(String(200), default="")
    months_mask: Mapped[int] = mapped_column(default=0xFFF)  # bit 0: January
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_positive"),
        CheckConstraint("vat_bp IN (550, 1000, 2000)", name="vat_rate"),
        UniqueConstraint("producer_id", "name"),
        Index("ix_product_category", "category"),
    )


class ProductPrice(Base):
    """A product's price from a date: every change is kept."""

    __tablename__ = "product_price"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    valid_from: Mapped[dt.date]
    price_cents: Mapped[int]
    vat_bp: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (Index("ix_product_price_product_from", "product_id", "valid_from"),)


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[dt.date]
    closes_on: Mapped[dt.date]
    pickup_on: Mapped[dt.date]
    pickup_place: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),
        CheckConstraint("pickup_on >= closes_on", name="pickup_after_closing"),
    )


class CampaignProduct(Base):
    __tablename__ = "campaign_product"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"),
                                             primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="RESTRICT"),
                                            primary_key=True, index=True)


class GroupOrder(Base):
    """One member's order in a campaign."""

    __tablename__ = "group_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="RESTRICT"),
                                             index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    collected_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)

    __table_args__ = (
        CheckConstraint("person_id IS NULL OR organisation_id IS NULL", name="one_member"),
    )


class GroupOrderLine(Base):
    __tablename__ = "group_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("group_order.id", ondelete="CASCADE"),
                                          index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="RESTRICT"),
                                            index=True)
    quantity_milli: Mapped[int]
    unit_price_cents: Mapped[int]  # copied from the product when ordered
    vat_bp: Mapped[int]

    __table_args__ = (
        CheckConstraint("quantity_milli > 0", name="quantity_positive"),
        CheckConstraint("unit_price_cents >= 0", name="price_positive"),
        UniqueConstraint("order_id", "product_id"),
    )
