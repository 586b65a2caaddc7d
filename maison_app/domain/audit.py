"""Records of the audit trail (who changed what, when)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from maison_app.i18n import N_, _

_ACTION_LABELS = {
    "create": N_("Création"),
    "update": N_("Modification"),
    "delete": N_("Suppression"),
    "bulk_update": N_("Modification groupée"),
    "bulk_delete": N_("Suppression groupée"),
    "bulk_create": N_("Création en masse"),
    "restore": N_("Restauration"),
}


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: dt.datetime  # aware, UTC
    actor: str
    action: str
    entity: str
    entity_id: str | None
    summary: str

    @property
    def action_label(self) -> str:
        return _(_ACTION_LABELS.get(self.action, self.action))


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    text: str | None = None  # any part of the summary
    since: dt.datetime | None = None
    until: dt.datetime | None = None
