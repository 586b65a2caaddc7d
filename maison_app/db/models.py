"""The tables of the foundation: people, organisations, their links, visits, settings and
the document archive. Later areas add a module each and import it in `db/__init__`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maison_app.db.base import Base
from maison_app.domain.enums import (
    AffiliationRole,
    DocumentKind,
    LegalForm,
    Role,
    VisitPurpose,
)
from maison_app.domain.text import search_key


def _enum(cls):  # values stored as VARCHAR + CHECK, portable and readable
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        create_constraint=True,
        length=32,
        name=cls.__name__.lower(),
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    # the city accent-free and lower-case, for the members list's order (set on every
    # write, see _keep_city_key); None without a city
    city_key: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    consent_date: Mapped[dt.date | None]
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    # accent-free, lower-case "first last email organisations": see domain.text.search_key
    search_key: Mapped[str] = mapped_column(String(600), default="")
    # "lastname firstname" normalised, for a stable alphabetical order
    sort_key: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)

    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    # covering index: the reception search walks it in alphabetical order without
    # touching the table (see services.people.search_people)
    __table_args__ = (Index("ix_person_sort_search", "sort_key", "search_key"),)


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[LegalForm | None] = mapped_column(_enum(LegalForm))
    siret: Mapped[str | None] = mapped_column(String(14))
    naf_code: Mapped[str | None] = mapped_column(String(6))
    esus_agrement: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    city_key: Mapped[str | None] = mapped_column(String(100))  # as Person.city_key
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)

    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_organisation_search_key", "search_key"),
        Index("ix_organisation_siret", "siret"),
    )


class Affiliation(Base):
    __tablename__ = "affiliation"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    role: Mapped[AffiliationRole] = mapped_column(_enum(AffiliationRole))
    since: Mapped[dt.date | None]
    until: Mapped[dt.date | None]

    person: Mapped[Person] = relationship(back_populates="affiliations")
    organisation: Mapped[Organisation] = relationship(back_populates="affiliations")

    __table_args__ = (
        UniqueConstraint("person_id", "organisation_id", "role"),
        Index("ix_affiliation_organisation_id", "organisation_id"),
    )


class Visit(Base):
    """A check-in (and later check-out) of a known person or of a walk-in visitor."""

    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    visitor_name: Mapped[str | None] = mapped_column(String(200))
    visitor_organisation: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[VisitPurpose] = mapped_column(_enum(VisitPurpose))
    host_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    host_name: Mapped[str | None] = mapped_column(String(200))
    arrived_at: Mapped[dt.datetime]
    left_at: Mapped[dt.datetime | None]
    checked_in_by: Mapped[str | None] = mapped_column(String(100))

    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    host_person: Mapped[Person | None] = relationship(foreign_keys=[host_person_id])

    __table_args__ = (
        CheckConstraint(
            "person_id IS NOT NULL OR visitor_name IS NOT NULL", name="who"
        ),
        CheckConstraint("left_at IS NULL OR left_at >= arrived_at", name="left_after_arrival"),
        Index("ix_visit_arrived_at", "arrived_at"),
        Index("ix_visit_left_at", "left_at"),
        Index("ix_visit_person_id", "person_id"),
        Index("ix_visit_host_person_id", "host_person_id"),
        # One open visit per person: the database itself refuses a double check-in,
        # so two desks checking the same person in at once cannot both win.
        Index(
            "uq_visit_person_present",
            "person_id",
            unique=True,
            sqlite_where=text("left_at IS NULL AND person_id IS NOT NULL"),
            postgresql_where=text("left_at IS NULL AND person_id IS NOT NULL"),
        ),
    )


class PersonMerge(Base):
    """A person's record merged into another (a duplicate): the removed id's member code,
    printed on a badge, still finds the kept person. A later merge of the kept person moves
    these rows on with every other reference."""

    __tablename__ = "person_merge"

    old_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kept_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                         index=True)
    merged_at: Mapped[dt.datetime] = mapped_column(default=_now)


class Setting(Base):
    """One setting of the house (identity, rates, retention…), stored as text."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    blob: Mapped[bytes | None] = mapped_column(LargeBinary)  # the logo, for instance


class Document(Base):
    """An issued document, kept as it was printed (bytes and SHA-256)."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind))
    number: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    sequence: Mapped[int]
    subject: Mapped[str] = mapped_column(String(300), default="")
    author: Mapped[str] = mapped_column(String(100), default="")
    issued_at: Mapped[dt.datetime]
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]

    __table_args__ = (
        UniqueConstraint("kind", "number"),
        UniqueConstraint("kind", "year", "sequence"),
        Index("ix_document_issued_at", "issued_at"),
    )


class AuditEntry(Base):
    """One write: who, when, what entity, and a summary of the change.

    Written by db.audit for every write of the ORM, never by hand; the app offers no way
    to edit or delete an entry."""

    __tablename__ = "audit_entry"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete, bulk_update…
    entity: Mapped[str] = mapped_column(String(60))  # the table name
    entity_id: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_actor", "actor"),
    )


class User(Base):
    """An account: a login, a role, a password hash (scrypt), and its lockout state."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


def city_key(city: str | None) -> str | None:
    """The key the members list sorts cities by: "Échiré" → "echire" (SQLite's lower()
    folds ASCII only, so the order cannot be computed in SQL on both engines)."""
    return search_key(city)[:100] or None if city else None


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
@event.listens_for(Organisation, "before_insert")
@event.listens_for(Organisation, "before_update")
def _keep_city_key(_mapper, _connection, target) -> None:
    target.city_key = city_key(target.city)
