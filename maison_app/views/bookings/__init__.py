"""The "Réservations" screen: the room bookings calendar (day and week views), the booking
dialog, recurring series and the exports."""

from __future__ import annotations

__all__ = ["BookingsScreen"]


def __getattr__(name: str):
    # imported when first asked for: the dialogs and the calendar load without the screen
    if name == "BookingsScreen":
        from maison_app.views.bookings.screen import BookingsScreen

        return BookingsScreen
    raise AttributeError(name)
