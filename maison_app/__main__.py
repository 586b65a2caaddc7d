"""`python -m maison_app`."""

import sys

from maison_app.app import main

sys.exit(main())
