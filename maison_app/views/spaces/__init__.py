"""The "Bureaux & postes" screen: the floor plan of the house, the allocation of offices and
desks to hosted organisations, and the occupancy figures.

`SpacesScreen` is imported on first use, so that importing one of the package's dialogs
does not build the whole screen module."""

from __future__ import annotations

__all__ = ["SpacesScreen"]


def __getattr__(name: str):
    if name == "SpacesScreen":
        from maison_app.views.spaces.screen import SpacesScreen

        return SpacesScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
