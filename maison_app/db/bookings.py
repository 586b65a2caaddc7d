"""The tables of room bookings: bookings, their recurring series, and the closures of the
house (summer break, Christmas…) that series skip."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from maison_app.db.base import Base
from maison_app.db.models import _enum, _now
from maison_app.domain.enums import BookingStatus, PriceBasis


class BookingSeries(Base):
    """A recurring series: every `interval_weeks` weeks, until a date or for a count."""

    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    interval_weeks: Mapped[int] = mapped_column(default=1)
    until: Mapped[dt.date | None]
    count: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("interval_weeks >= 1", name="interval_positive"),
        CheckConstraint("(until IS NULL) <> (count IS NULL)", name="until_or_count"),
    )


class Booking(Base):
    """A room booked from `start` to `end` (UTC; half-open: [start, end)). Who booked is a
    person or an organisation of the house, or an outside contact (contact_* columns)."""

    __tablename__ = "booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="RESTRICT"))
    start: Mapped[dt.datetime]
    end: Mapped[dt.datetime]
    title: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    attendees: Mapped[int] = mapped_column(default=1)
    status: Mapped[BookingStatus] = mapped_column(_enum(BookingStatus))
    option_until: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    price_cents: Mapped[int] = mapped_column(default=0)
    price_basis: Mapped[PriceBasis] = mapped_column(_enum(PriceBasis))
    member_rate: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking_series.id", ondelete="SET NULL"), index=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[dt.datetime | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)

    __table_args__ = (
        CheckConstraint('"end" > start', name="end_after_start"),
        CheckConstraint("attendees >= 1", name="attendees_positive"),
        CheckConstraint("price_cents >= 0", name="price_positive"),
        CheckConstraint("person_id IS NULL OR organisation_id IS NULL", name="one_booker"),
        Index("ix_booking_space_start", "space_id", "start"),
        Index("ix_booking_start", "start"),
    )


class Closure(Base):
    """The house closed from `start` to `end`, both included (series skip these days)."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[dt.date]
    end: Mapped[dt.date]
    label: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (CheckConstraint('"end" >= start', name="end_after_start"),)
