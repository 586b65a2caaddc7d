"""The tables of the members area: the SCIC's colleges, their fees year by year,
memberships, payments and share subscriptions (parts sociales). Money is in cents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from maison_app.db.base import Base
from maison_app.db.models import _enum, _now
from maison_app.domain.enums import PaymentMethod

_ONE_MEMBER = "(person_id IS NULL) <> (organisation_id IS NULL)"


class College(Base):
    """A college of the SCIC (entreprises adhérentes, collectivités…), set in the settings."""

    __tablename__ = "college"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CollegeFee(Base):
    """The fee schedule: what a membership of a college costs for a year."""

    __tablename__ = "college_fee"

    id: Mapped[int] = mapped_column(primary_key=True)
    college_id: Mapped[int] = mapped_column(ForeignKey("college.id", ondelete="CASCADE"))
    year: Mapped[int]
    fee_cents: Mapped[int]

    __table_args__ = (
        UniqueConstraint("college_id", "year"),
        CheckConstraint("fee_cents >= 0", name="fee_not_negative"),
    )


class Membership(Base):
    """One member's membership for one year: a person or an organisation, a college, the
    fee due (copied from the schedule, may be changed) and what was paid so far (the sum
    of the payments, kept here by the service so that lists filter on it quickly)."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    year: Mapped[int]
    college_id: Mapped[int] = mapped_column(ForeignKey("college.id"))
    fee_cents: Mapped[int]
    paid_cents: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint(_ONE_MEMBER, name="one_member"),
        CheckConstraint("fee_cents >= 0 AND paid_cents >= 0", name="amounts"),
        # one membership per member and year (NULLs never clash)
        UniqueConstraint("person_id", "year"),
        UniqueConstraint("organisation_id", "year"),
        Index("ix_membership_year_college", "year", "college_id"),
    )


class Payment(Base):
    """A payment of a membership; several per membership, partial allowed. Its receipt,
    once printed, is the archived document it points to."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True)
    amount_cents: Mapped[int]
    paid_on: Mapped[dt.date]
    method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod))
    reference: Mapped[str | None] = mapped_column(String(100))  # cheque number…
    receipt_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)


class ShareSubscription(Base):
    """Parts sociales of the SCIC subscribed by a sociétaire (person or organisation)."""

    __tablename__ = "share_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    count: Mapped[int]
    nominal_cents: Mapped[int]
    subscribed_on: Mapped[dt.date]
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(_ONE_MEMBER, name="one_member"),
        CheckConstraint("count > 0 AND nominal_cents > 0", name="positive"),
    )
