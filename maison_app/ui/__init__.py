"""The shell and shared widgets. Never imports SQLAlchemy: talks to services only."""
