"""The tables of the spaces area: rooms, offices and desks with their place on the floor
plan and their rates, and the assignments of offices and desks to hosted organisations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from maison_app.db.base import Base
from maison_app.db.models import _enum, _now
from maison_app.domain.enums import SpaceKind


class Space(Base):
    """A room, an office, an open space or a desk; drawn on its floor in metres."""

    __tablename__ = "space"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SpaceKind] = mapped_column(_enum(SpaceKind))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    floor: Mapped[int] = mapped_column(default=0)
    capacity: Mapped[int] = mapped_column(default=1)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("space.id", ondelete="SET NULL"))
    equipment: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    x: Mapped[float] = mapped_column(Float, default=0.0)
    y: Mapped[float] = mapped_column(Float, default=0.0)
    width: Mapped[float] = mapped_column(Float, default=3.0)
    height: Mapped[float] = mapped_column(Float, default=3.0)
    # booking rates in cents, member and public (None: not offered)
    rate_hour_member: Mapped[int | None]
    rate_hour_public: Mapped[int | None]
    rate_half_day_member: Mapped[int | None]
    rate_half_day_public: Mapped[int | None]
    rate_day_member: Mapped[int | None]
    rate_day_public: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("width > 0 AND height > 0", name="size_positive"),
        Index("ix_space_floor", "floor"),
    )


class DeskAssignment(Base):
    """An office or a desk held by an organisation (or a person) from `start` to `end`
    (both included; no end: until further notice). `agreement_id` is the hosting agreement
    that grants it."""

    __tablename__ = "desk_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True)
    seats: Mapped[int] = mapped_column(default=1)
    start: Mapped[dt.date]
    end: Mapped[dt.date | None]
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("hosting_agreement.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="one_holder"),
        CheckConstraint('"end" IS NULL OR "end" >= start', name="end_after_start"),
        CheckConstraint("seats >= 1", name="seats_positive"),
        Index("ix_desk_assignment_space_start", "space_id", "start"),
    )
