"""Reading the audit trail. Entries are written by db/audit.py for every write; this
service only reads them: nobody can edit or delete an entry from the app."""

from __future__ import annotations

from sqlalchemy import select

from maison_app.db.models import AuditEntry
from maison_app.domain.audit import AuditFilter, AuditRecord
from maison_app.domain.text import escape_like
from maison_app.services.context import ServiceContext
from maison_app.domain.permissions import Access, Area
from maison_app.services.permissions import requires

PAGE = 200


def _record(e: AuditEntry) -> AuditRecord:
    return AuditRecord(id=e.id, at=e.at, actor=e.actor, action=e.action, entity=e.entity,
                       entity_id=e.entity_id, summary=e.summary)


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @requires(Area.AUDIT, Access.READ)
    def entries(self, *, where: AuditFilter = AuditFilter(), offset: int = 0,  # noqa: B008
                limit: int = PAGE) -> tuple[AuditRecord, ...]:
        """The newest entries first, filtered; `offset`/`limit` page through them."""
        stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if where.actor:
            stmt = stmt.where(AuditEntry.actor == where.actor)
        if where.entity:
            stmt = stmt.where(AuditEntry.entity == where.entity)
        if where.entity_id:
            stmt = stmt.where(AuditEntry.entity_id == where.entity_id)
        if where.text:
            stmt = stmt.where(AuditEntry.summary.ilike(f"%{escape_like(where.text)}%", escape="\\"))
        if where.since:
            stmt = stmt.where(AuditEntry.at >= where.since)
        if where.until:
            stmt = stmt.where(AuditEntry.at < where.until)
        with self.ctx.reading() as s:
            return tuple(_record(e) for e in s.scalars(stmt.offset(offset).limit(limit)))

    @requires(Area.AUDIT, Access.READ)
    def actors(self) -> tuple[str, ...]:
        with self.ctx.reading() as s:
            return tuple(s.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))

    @requires(Area.AUDIT, Access.READ)
    def entities(self) -> tuple[str, ...]:
        with self.ctx.reading() as s:
            return tuple(s.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
