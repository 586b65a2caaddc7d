"""maison_app — l'application d'accueil de la Maison de l'ESS de Niort."""

__version__ = "0.1.0"
APP_NAME = "maison_app"
APP_DISPLAY_NAME = "Maison de l'ESS"
