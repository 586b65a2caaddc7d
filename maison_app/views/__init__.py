"""One package per screen, and the list of areas the main window shows."""

from __future__ import annotations

from maison_app.i18n import _
from maison_app.ui.main_window import Area


def built_areas() -> list[Area]:
    """The areas that exist, in navigation order. Later issues append theirs here; an
    area that is not built is not listed (no empty placeholder page)."""
    from maison_app.views.reception import ReceptionScreen

    return [Area("reception", lambda: _("Accueil"), ReceptionScreen, "Ctrl+1")]
