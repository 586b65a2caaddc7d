"""The audit trail, recorded for every write without any service repeating it.

Listeners on the sessions that write (services.context.Database.writing):

- after_flush: each created, changed or deleted row of a model gets an AuditEntry with the
  actor (session.info["actor"], set by ServiceContext.writing), the entity, its id and a
  summary of the change ("left_at: — → 2026-11-26 15:02");
- do_orm_execute: an ORM bulk UPDATE or DELETE (update(Visit)…) gets one entry with the
  number of rows it touched.

Values are shortened; binary values (a logo, a PDF) are summarised by their size. A model
opts out with `__audited__ = False` (the audit table itself).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from maison_app.db.models import AuditEntry

MAX_VALUE = 80
SKIPPED_FIELDS = {"search_key", "sort_key", "updated_at", "created_at"}
HIDDEN_FIELDS = {"password_hash"}  # the change is recorded, never the value
ACTOR_KEY = "actor"
REDACT_KEY = "audit_redact"  # set by an erasure: record that rows changed, not the values
REDACTED = "anonymisation (protection des données) : valeurs non reprises"
CLOCK_KEY = "clock"  # the service context's clock, so that tests (and entries) share one time
SYSTEM_ACTOR = "système"


def _now(session: Session) -> dt.datetime:
    clock = session.info.get(CLOCK_KEY)
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} octets>"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = str(getattr(value, "value", value))
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _audited(obj) -> bool:
    return getattr(type(obj), "__audited__", True) and hasattr(type(obj), "__tablename__")


def _identity(obj) -> str | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)  # set by now, even for new rows
    if not key or all(k is None for k in key):
        return None
    return "/".join(str(k) for k in key)


def _changes(obj, *, created: bool) -> str:
    state = inspect(obj)
    parts = []
    for attr in state.mapper.column_attrs:
        if attr.key in SKIPPED_FIELDS:
            continue
        if attr.key in HIDDEN_FIELDS:
            if created or state.attrs[attr.key].history.has_changes():
                parts.append(f"{attr.key}: ••••")
            continue
        history = state.attrs[attr.key].history
        if created:
            value = getattr(obj, attr.key)
            if value is not None and attr.key != "id":
                parts.append(f"{attr.key}: {_show(value)}")
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            parts.append(f"{attr.key}: {_show(before)} → {_show(after)}")
    return "; ".join(parts)


def _after_flush(session: Session, _context) -> None:
    actor = session.info.get(ACTOR_KEY, SYSTEM_ACTOR)
    at = _now(session)
    redact = session.info.get(REDACT_KEY, False)
    rows = []
    for obj in session.new:
        if _audited(obj):
            rows.append(("create", obj, _changes(obj, created=True)))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            summary = _changes(obj, created=False)
            if summary:
                rows.append(("update", obj, summary))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(("delete", obj, ""))
    if redact:
        rows = [(action, obj, REDACTED if summary else "") for action, obj, summary in rows]
    if rows:
        session.connection().execute(insert(AuditEntry), [
            {"at": at, "actor": actor, "action": action, "entity": type(obj).__tablename__,
             "entity_id": _identity(obj), "summary": summary}
            for action, obj, summary in rows
        ])


def _do_orm_execute(state) -> object | None:
    if not (state.is_update or state.is_delete) or not state.is_orm_statement:
        return None
    mapper = state.bind_mapper
    if mapper is None or not getattr(mapper.class_, "__audited__", True):
        return None
    result = state.invoke_statement()
    if not result.rowcount:
        return result  # nothing changed: nothing to record
    what = "bulk_update" if state.is_update else "bulk_delete"
    values = getattr(state.statement, "_values", None) or {}
    fields = ", ".join(sorted(getattr(k, "key", str(k)) for k in values)) if values else ""
    summary = f"{result.rowcount} ligne(s)" + (f"; {fields}" if fields else "")
    state.session.connection().execute(insert(AuditEntry), [{
        "at": _now(state.session), "actor": state.session.info.get(ACTOR_KEY, SYSTEM_ACTOR), "action": what,
        "entity": mapper.class_.__tablename__, "entity_id": None, "summary": summary,
    }])
    return result


def record(session: Session, *, action: str, entity: str, summary: str,
           entity_id: str | None = None) -> None:
    """One entry written explicitly: only for bulk loads that bypass the ORM (the demo
    data, imports), which the listeners cannot see row by row."""
    session.connection().execute(insert(AuditEntry), [{
        "at": _now(session), "actor": session.info.get(ACTOR_KEY, SYSTEM_ACTOR),
        "action": action, "entity": entity, "entity_id": entity_id, "summary": summary,
    }])


def scrub(session: Session, *, entity: str, entity_id: str) -> int:
    """Erasure: the summaries of an entity's past entries may hold the personal data being
    erased; they are replaced (who and when stay). Returns how many entries."""
    from sqlalchemy import update

    result = session.connection().execute(
        update(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .values(summary=REDACTED)
    )
    return result.rowcount or 0


def install(factory: sessionmaker) -> None:
    """Record the audit trail for every session `factory` makes."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _do_orm_execute)
