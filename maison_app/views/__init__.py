"""One package per screen."""
