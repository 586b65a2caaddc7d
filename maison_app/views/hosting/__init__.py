"""The "Hébergement" screen: accompanied projects and their follow-up, hosting agreements
(conventions, attestations, the half-yearly list of domiciliations) and the mail of the
domiciled organisations.

`HostingScreen` is imported on first use, so that importing one of the package's dialogs
does not build the whole screen module."""

from __future__ import annotations

__all__ = ["HostingScreen"]


def __getattr__(name: str):
    if name == "HostingScreen":
        from maison_app.views.hosting.screen import HostingScreen

        return HostingScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
