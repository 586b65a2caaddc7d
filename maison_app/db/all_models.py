"""Imports every model module so that Base.metadata knows every table (Alembic, tests)."""

from maison_app.db import models  # noqa: F401
from maison_app.db import members  # noqa: F401
from maison_app.db import spaces  # noqa: F401
from maison_app.db import hosting  # noqa: F401
from maison_app.db import bookings  # noqa: F401
from maison_app.db import workshops  # noqa: F401
from maison_app.db import catalogue  # noqa: F401
