"""The « Circuits courts » screen: the catalogue of local products, the producers and the
grouped orders."""

from maison_app.views.catalogue.screen import CatalogueScreen

__all__ = ["CatalogueScreen"]
