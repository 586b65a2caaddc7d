"""The "Adhérents" screen: people and organisations, their memberships, duplicates,
renewals, imports, exports and badges.

`MembersScreen` is imported on first use, so that importing one of the package's dialogs
does not build the whole screen module."""

from __future__ import annotations

__all__ = ["MembersScreen"]


def __getattr__(name: str):
    if name == "MembersScreen":
        from maison_app.views.members.screen import MembersScreen

        return MembersScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
