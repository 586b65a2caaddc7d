"""maison_app — l'application d'accueil de la Maison de l'ESS de Niort."""

__version__ = "0.1.0"
APP_NAME = "maison_app"
APP_DISPLAY_NAME = "Maison de l'ESS"
# The variable naming the database to open (wins over the settings of this computer).
DATABASE_ENV_VAR = "MAISON_DATABASE_URL"
