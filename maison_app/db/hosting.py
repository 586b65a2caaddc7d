"""The tables of incubation and hosting: programmes, accompanied projects and their holders
and follow-up meetings, hosting agreements with the spaces they grant, and the mail log of
domiciled organisations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from maison_app.db.base import Base
from maison_app.db.models import _enum, _now
from maison_app.domain.enums import (
    AgreementLink,
    AgreementStatus,
    MailKind,
    ProjectOutcome,
    ProjectStage,
)


class Programme(Base):
    """Pépinière, hôtel d'entreprises, CAE, incubation… (configurable)."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    max_months: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(default=0)


class Project(Base):
    """An accompanied project."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="RESTRICT"),
                                              index=True)
    stage: Mapped[ProjectStage] = mapped_column(_enum(ProjectStage), default=ProjectStage.IDEE)
    referent: Mapped[str] = mapped_column(String(100), default="")
    entry_date: Mapped[dt.date | None]
    exit_date: Mapped[dt.date | None]
    outcome: Mapped[ProjectOutcome | None] = mapped_column(_enum(ProjectOutcome))
    jobs_fte_hundredths: Mapped[int | None]
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("exit_date IS NULL OR entry_date IS NULL OR exit_date >= entry_date",
                        name="exit_after_entry"),
        CheckConstraint("jobs_fte_hundredths IS NULL OR jobs_fte_hundredths >= 0",
                        name="jobs_positive"),
    )


class ProjectHolder(Base):
    """A person carrying a project (porteur·se de projet)."""

    __tablename__ = "project_holder"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)


class FollowUp(Base):
    """A follow-up meeting of a project."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    date: Mapped[dt.date]
    topic: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (Index("ix_follow_up_project_date", "project_id", "date"),)


class HostingAgreement(Base):
    """A convention d'hébergement. Its number (CH-2026-0007) is given when the draft is
    created, in one sequence per year shared with the archive of documents; once signed,
    the archived PDF (`document_id`) is the reference and the agreement no longer changes
    (but for its early termination): a change is an amendment, a new agreement."""

    __tablename__ = "hosting_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int]
    sequence: Mapped[int]
    status: Mapped[AgreementStatus] = mapped_column(_enum(AgreementStatus),
                                                    default=AgreementStatus.DRAFT)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), index=True)
    representative: Mapped[str] = mapped_column(String(200), default="")
    representative_title: Mapped[str] = mapped_column(String(100), default="")
    start: Mapped[dt.date]
    end: Mapped[dt.date]
    monthly_fee_cents: Mapped[int] = mapped_column(default=0)
    vat_bp: Mapped[int] = mapped_column(default=2000)
    deposit_cents: Mapped[int] = mapped_column(default=0)
    domiciliation: Mapped[bool] = mapped_column(Boolean, default=False)
    mail_handling: Mapped[bool] = mapped_column(Boolean, default=False)
    internet: Mapped[bool] = mapped_column(Boolean, default=False)
    printing: Mapped[bool] = mapped_column(Boolean, default=False)
    notice_months: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("hosting_agreement.id", ondelete="RESTRICT"), index=True)
    link: Mapped[AgreementLink | None] = mapped_column(_enum(AgreementLink))
    signed_on: Mapped[dt.date | None]
    host_signatory: Mapped[str] = mapped_column(String(200), default="")
    occupant_signatory: Mapped[str] = mapped_column(String(200), default="")
    terminated_on: Mapped[dt.date | None]
    termination_reason: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="RESTRICT"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="one_occupant"),
        CheckConstraint('"end" >= start', name="end_after_start"),
        CheckConstraint("monthly_fee_cents >= 0 AND deposit_cents >= 0", name="money_positive"),
        UniqueConstraint("year", "sequence"),
        Index("ix_hosting_agreement_end", "end"),
    )


class AgreementSpace(Base):
    """An office or a desk granted by an agreement."""

    __tablename__ = "agreement_space"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("hosting_agreement.id", ondelete="CASCADE"), primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="RESTRICT"),
                                          primary_key=True, index=True)
    seats: Mapped[int] = mapped_column(default=1)

    __table_args__ = (CheckConstraint("seats >= 1", name="seats_positive"),)


class MailItem(Base):
    """A letter or parcel received for a domiciled organisation (or person)."""

    __tablename__ = "mail_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[dt.date]
    kind: Mapped[MailKind] = mapped_column(_enum(MailKind), default=MailKind.LETTER)
    sender: Mapped[str] = mapped_column(String(200), default="")
    notified_on: Mapped[dt.date | None]
    collected_on: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="one_recipient"),
        Index("ix_mail_item_waiting", "collected_on", "received_on"),
    )
