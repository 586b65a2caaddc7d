"""The reception screen ("Accueil"): check-in/check-out all day long."""

from maison_app.views.reception.screen import ReceptionScreen

__all__ = ["ReceptionScreen"]
