"""The archive of issued documents: numbering, SHA-256 and the PDF bytes as printed."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maison_app.db.models import Document, Setting
from maison_app.domain.enums import DocumentKind
from maison_app.domain.errors import NotFound
from maison_app.domain.records import DocumentRecord
from maison_app.i18n import PARIS, _
from maison_app.services.context import ServiceContext
from maison_app.domain.permissions import Access, Area
from maison_app.services.permissions import internal, requires


def _record(d: Document) -> DocumentRecord:
    return DocumentRecord(
        id=d.id, kind=DocumentKind(d.kind), number=d.number, subject=d.subject,
        author=d.author, issued_at=d.issued_at, sha256=d.sha256, filename=d.filename,
        size=d.size,
    )


def next_sequence(s: Session, kind: DocumentKind, year: int) -> int:
    """The next number of a kind's sequence for a year, taken in this unit of work.

    The last number is kept in a counter row, not read back from the archive: a document
    removed by the retention rules (or a draft agreement deleted) never frees its number.
    The row is locked for the rest of the unit of work; two desks creating the counter at
    the same moment make one of them fail on its primary key (the caller retries)."""
    counter_key = f"sequence.{kind.value}.{year}"
    counter = s.get(Setting, counter_key, with_for_update=True)
    last = s.scalar(select(func.max(Document.sequence)).where(Document.kind == kind,
                                                              Document.year == year))
    sequence = max(last or 0, int(counter.value) if counter else 0) + 1
    if counter is None:
        s.add(Setting(key=counter_key, value=str(sequence)))
    else:
        counter.value = str(sequence)
    s.flush()
    return sequence


class DocumentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @internal
    def issue(
        self, *, kind: DocumentKind, subject: str, render: Callable[[str], bytes],
        attempts: int = 3, attach: Callable[[Session, Document], None] | None = None,
        now: dt.datetime | None = None,
    ) -> tuple[DocumentRecord, bytes]:
        """Number, render and archive a document in one unit of work.

        Numbers run in one sequence per kind and year ("LP-2026-0007") and are never reused:
        the unique constraints refuse a number taken by another desk at the same moment, in
        which case the next number is tried. `attach(session, document)` runs in the same
        unit of work (to point a payment at its receipt, say); if it raises, nothing is
        written and the number is not used."""
        now = now or self.ctx.now()
        year = now.astimezone(PARIS).year
        for attempt in range(attempts):
            try:
                with self.ctx.writing() as s:
                    sequence = next_sequence(s, kind, year)
                    number = f"{kind.prefix}-{year}-{sequence:04d}"
                    content = render(number)
                    doc = self.archive(s, kind=kind, year=year, sequence=sequence,
                                       subject=subject, content=content, issued_at=now)
                    if attach is not None:
                        attach(s, doc)
                        s.flush()
                    return _record(doc), content
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    @internal
    def issue_or_reprint(
        self, *, kind: DocumentKind, subject: str,
        render: Callable[[str, dt.datetime], bytes],
    ) -> tuple[DocumentRecord, bytes]:
        """Like `issue`, for a paper printed again and again (a purchase order, a receipt):
        when the last document of this kind and subject renders today to the very bytes
        archived (nothing it shows has changed since), that document is given back; after
        any change, a new one with the next number. `render(number, issued)`."""
        with self.ctx.reading() as s:
            last = s.scalars(select(Document).where(
                Document.kind == kind, Document.subject == subject[:300])
                .order_by(Document.id.desc()).limit(1)).first()
            if last is not None:
                again = render(last.number, last.issued_at)
                if hashlib.sha256(again).hexdigest() == last.sha256:
                    return _record(last), last.content
        now = self.ctx.now()
        return self.issue(kind=kind, subject=subject, render=lambda number: render(number, now),
                          now=now)

    @internal
    def archive(self, s: Session, *, kind: DocumentKind, year: int, sequence: int,
                subject: str, content: bytes, issued_at: dt.datetime | None = None
                ) -> Document:
        """Keep a rendered document under its number (kind prefix, year, sequence) in the
        unit of work `s`; issued now unless `issued_at` (the moment printed on it) is given."""
        number = f"{kind.prefix}-{year}-{sequence:04d}"
        doc = Document(
            kind=kind, number=number, year=year, sequence=sequence,
            subject=subject[:300], author=self.ctx.actor.login,
            issued_at=issued_at or self.ctx.now(),
            sha256=hashlib.sha256(content).hexdigest(),
            filename=f"{number}.pdf", content=content, size=len(content),
        )
        s.add(doc)
        s.flush()
        return doc

    @requires(Area.DOCUMENTS, Access.READ)
    def content(self, *, document_id: int) -> bytes:
        with self.ctx.reading() as s:
            doc = s.get(Document, document_id)
            if doc is None:
                raise NotFound(_("Ce document n'est plus dans les archives."))
            return doc.content

    @requires(Area.DOCUMENTS, Access.READ)
    def recent(self, *, kind: DocumentKind | None = None, limit: int = 100) -> tuple[DocumentRecord, ...]:
        stmt = select(Document).order_by(Document.issued_at.desc(), Document.id.desc()).limit(limit)
        if kind is not None:
            stmt = stmt.where(Document.kind == kind)
        with self.ctx.reading() as s:
            return tuple(_record(d) for d in s.scalars(stmt))
