"""The tables of workshops: workshops, their sessions and half-days (each half-day books the
session's room), the registrations (with the waiting list) and the attendance per half-day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from maison_app.db.base import Base
from maison_app.db.models import _enum, _now
from maison_app.domain.enums import HalfDayPart, RegistrationStatus, WorkshopAxis


class Workshop(Base):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    axis: Mapped[WorkshopAxis] = mapped_column(_enum(WorkshopAxis))
    description: Mapped[str] = mapped_column(Text, default="")
    facilitator_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    facilitator_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    facilitator_name: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int] = mapped_column(default=12)
    price_cents: Mapped[int] = mapped_column(default=0)
    nature: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("price_cents >= 0", name="price_positive"),
    )


class WorkshopSession(Base):
    __tablename__ = "workshop_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="RESTRICT"),
                                             index=True)
    space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id", ondelete="RESTRICT"))
    place: Mapped[str] = mapped_column(String(200), default="")
    first_day: Mapped[dt.date]  # kept with the half-days, for listing by date
    last_day: Mapped[dt.date]
    notes: Mapped[str] = mapped_column(Text, default="")
    attendance_recorded_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="last_after_first"),
        Index("ix_workshop_session_first_day", "first_day"),
    )


class SessionHalfDay(Base):
    __tablename__ = "session_half_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date]
    part: Mapped[HalfDayPart] = mapped_column(_enum(HalfDayPart))
    start: Mapped[dt.time]
    end: Mapped[dt.time]
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint('"end" > start', name="end_after_start"),
        UniqueConstraint("session_id", "day", "part"),
        Index("ix_session_half_day_day", "day"),
    )


class Registration(Base):
    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")  # an outsider's name
    email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus))
    position: Mapped[int | None]  # on the waiting list
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    registered_at: Mapped[dt.datetime] = mapped_column(default=_now)
    cancelled_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index("ix_registration_session_status", "session_id", "status"),
    )


class Attendance(Base):
    """One participant present (or not) at one half-day."""

    __tablename__ = "attendance"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    half_day_id: Mapped[int] = mapped_column(
        ForeignKey("session_half_day.id", ondelete="CASCADE"), primary_key=True, index=True)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=_now)
