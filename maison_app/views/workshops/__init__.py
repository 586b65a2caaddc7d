"""The « Ateliers » screen: workshops, their sessions, registrations and attendance."""

from maison_app.views.workshops.screen import WorkshopsScreen

__all__ = ["WorkshopsScreen"]
